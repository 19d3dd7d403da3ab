/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:VirtualDomain and ocf:rampart:Xen: one virtual machine through
 * libvirt's C API, in-process (lib/virt.c): no virsh, xl or xm child.  Drop-ins
 * for ocf:heartbeat:VirtualDomain (a domain XML file, any hypervisor URI) and,
 * under its second name, ocf:heartbeat:Xen (an xm or xl configuration file,
 * read through libvirt's native-config conversion, on xen:///system).
 *
 * Is it ours?  The domain's UUID when the configuration names one (a domain
 * of the same name but another UUID is somebody else's), else its name; the
 * identity is kept in the state directory at start, so that stop and a probe
 * still know the domain when the configuration file has gone (a failed stop
 * fences the node; a stop that lies gets the disks used twice).
 *
 * Without libvirtd (stopped: its socket missing or refusing), monitor and
 * stop ask the hypervisor itself: the qemu processes of a local QEMU domain,
 * xenstore for a Xen one.  "Not there" is then proven and stop succeeds;
 * "there" fails the stop (nothing can stop it without the daemon); anything
 * else cannot be told and fails.  A libvirt call that hangs is cut at the
 * deadline by lib/virt.c's guard: OCF_ERR_GENERIC, never a hang.
 *
 * start: create the transient domain (undefining a persistent one of the
 * same name first, as the anchor does) and return once it runs and the
 * monitor_scripts pass.  stop: the graceful shutdown (shutdown_mode, or
 * Xen's shutdown_acpi) bounded by a share of the timeout, then destroy;
 * success only once the hypervisor no longer runs it.  migrate_to: libvirt's
 * migration API with the anchor's URI rules, bounded by the timeout (the job
 * is aborted at the deadline); migrate_from waits for the domain to run here.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libvirt/libvirt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "parse.h"
#include "run.h"
#include "state.h"
#include "str.h"
#include "virt.h"

#define CONFIG_MAX (4u << 20)

/* ---------------------------------------------------------------- parameters */

static bool
valid_shutdown_mode(const char *v, const char **why)
{
    static const char *const modes[] = { "acpi", "agent", "initctl", "signal", "paravirt" };
    const char *p = v;

    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        bool ok = false;

        for (size_t i = 0; i < RA_NELEM(modes); i++) {
            ok = ok || (strlen(modes[i]) == n && strncmp(p, modes[i], n) == 0);
        }
        if (!ok) {
            *why = "not a list of acpi, agent, initctl, signal, paravirt";
            return false;
        }
        p += n + (p[n] == ',');
    }
    return true;
}

static bool
valid_decimal(const char *v, const char **why)
{
    if (v[0] == '\0' || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9) {
        *why = "not a whole number";
        return false;
    }
    return true;
}

/* virsh migrate's options, as libvirt's flags */
static const struct {
    const char *opt;
    unsigned long flag;
} migrate_flags[] = {
    { "--live", VIR_MIGRATE_LIVE },
    { "--p2p", VIR_MIGRATE_PEER2PEER },
    { "--tunnelled", VIR_MIGRATE_TUNNELLED },
    { "--persistent", VIR_MIGRATE_PERSIST_DEST },
    { "--undefinesource", VIR_MIGRATE_UNDEFINE_SOURCE },
    { "--suspend", VIR_MIGRATE_PAUSED },
    { "--copy-storage-all", VIR_MIGRATE_NON_SHARED_DISK },
    { "--copy-storage-inc", VIR_MIGRATE_NON_SHARED_INC },
    { "--change-protection", VIR_MIGRATE_CHANGE_PROTECTION },
    { "--unsafe", VIR_MIGRATE_UNSAFE },
    { "--compressed", VIR_MIGRATE_COMPRESSED },
    { "--abort-on-error", VIR_MIGRATE_ABORT_ON_ERROR },
    { "--auto-converge", VIR_MIGRATE_AUTO_CONVERGE },
    { "--rdma-pin-all", VIR_MIGRATE_RDMA_PIN_ALL },
    { "--postcopy", VIR_MIGRATE_POSTCOPY },
    { "--tls", VIR_MIGRATE_TLS },
    { "--parallel", VIR_MIGRATE_PARALLEL },
};

/* virsh migrate's options that take a value, as libvirt's typed parameters ('-': virsh's
 * own, with no meaning to the migration itself: accepted and left alone) */
static const struct {
    const char *opt, *field;
    char type;
    bool list; /* comma-separated: one parameter each */
} migrate_values[] = {
    { "--bandwidth", VIR_MIGRATE_PARAM_BANDWIDTH, 'u', false },
    { "--dname", VIR_MIGRATE_PARAM_DEST_NAME, 's', false },
    { "--migrate-disks", VIR_MIGRATE_PARAM_MIGRATE_DISKS, 's', true },
    { "--listen-address", VIR_MIGRATE_PARAM_LISTEN_ADDRESS, 's', false },
    { "--disks-port", VIR_MIGRATE_PARAM_DISKS_PORT, 'i', false },
    { "--graphicsuri", VIR_MIGRATE_PARAM_GRAPHICS_URI, 's', false },
    { "--comp-methods", VIR_MIGRATE_PARAM_COMPRESSION, 's', true },
    { "--parallel-connections", VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, 'i', false },
    { "--timeout", "-", 0, false },
    { "--timeout-suspend", "-", 0, false },
    { "--timeout-postcopy", "-", 0, false },
};

/* Where parse_migrate_options puts the values it gives as parameters. */
struct migrate_words {
    char uri[1024];
    char vals[12][256];
};

/*
 * migrate_options as libvirt's flags (*@flags), its --migrateuri= (@mw->uri) and the
 * typed parameters of the options with a value (into @m, when not NULL): 0, or -1 with @why.
 */
static int
parse_migrate_options(const char *v, unsigned long *flags, struct migrate_words *mw,
                      struct ra_virt_migration *m, const char **why)
{
    const char *pos = v;
    char w[512];
    size_t nv = 0;

    *flags = 0;
    if (mw != NULL) {
        mw->uri[0] = '\0';
    }
    while (ra_list_next(&pos, w, sizeof(w))) {
        size_t i;

        if (strncmp(w, "--migrateuri=", 13) == 0 || strcmp(w, "--migrateuri") == 0) {
            char val[512];

            if (w[12] != '=' && !ra_list_next(&pos, val, sizeof(val))) {
                *why = "has --migrateuri without its URI";
                return -1;
            }
            if (mw != NULL) {
                ra_format_cut(mw->uri, sizeof(mw->uri), "%s", w[12] == '=' ? w + 13 : val);
            }
            continue;
        }
        if (strcmp(w, "--verbose") == 0 || strcmp(w, "--live") == 0) {
            *flags |= strcmp(w, "--live") == 0 ? VIR_MIGRATE_LIVE : 0;
            continue;
        }
        for (i = 0; i < RA_NELEM(migrate_flags); i++) {
            if (strcmp(w, migrate_flags[i].opt) == 0) {
                *flags |= migrate_flags[i].flag;
                break;
            }
        }
        if (i < RA_NELEM(migrate_flags)) {
            continue;
        }
        for (i = 0; i < RA_NELEM(migrate_values); i++) {
            size_t ol = strlen(migrate_values[i].opt);

            if (strncmp(w, migrate_values[i].opt, ol) == 0 && (w[ol] == '\0' || w[ol] == '=')) {
                break;
            }
        }
        if (i == RA_NELEM(migrate_values)) {
            *why = "has an option this agent does not know (virsh migrate's --p2p, "
                   "--tunnelled, --persistent, --undefinesource, --compressed, "
                   "--auto-converge, --copy-storage-all, --dname NAME, --bandwidth MIB, "
                   "--migrateuri URI, ...)";
            return -1;
        }
        {
            size_t ol = strlen(migrate_values[i].opt);
            char val[256];
            const char *p;

            if (w[ol] == '=') {
                ra_format_cut(val, sizeof(val), "%s", w + ol + 1);
            } else if (!ra_list_next(&pos, val, sizeof(val))) {
                *why = "has an option without its value";
                return -1;
            }
            if (val[0] == '\0') {
                *why = "has an option with an empty value";
                return -1;
            }
            if (migrate_values[i].type == 'u' || migrate_values[i].type == 'i' ||
                migrate_values[i].type == 0) {
                if (strspn(val, "0123456789") != strlen(val) || strlen(val) > 9) {
                    *why = "has an option whose value is not a whole number";
                    return -1;
                }
            }
            if (migrate_values[i].type == 0 || m == NULL || mw == NULL) {
                continue; /* virsh's own, or only checked */
            }
            /* a list: one parameter per element */
            for (p = val; *p != '\0';) {
                size_t n = migrate_values[i].list ? strcspn(p, ",") : strlen(p);

                if (nv == RA_NELEM(mw->vals) || m->nextra == RA_NELEM(m->extra)) {
                    *why = "has too many values";
                    return -1;
                }
                ra_format_cut(mw->vals[nv], sizeof(mw->vals[nv]), "%.*s", (int)n, p);
                m->extra[m->nextra].field = migrate_values[i].field;
                m->extra[m->nextra].value = mw->vals[nv];
                m->extra[m->nextra].type = migrate_values[i].type;
                m->nextra++;
                nv++;
                p += n + (p[n] == ',');
            }
        }
    }
    return 0;
}

static bool
valid_migrate_options(const char *v, const char **why)
{
    unsigned long f;

    return parse_migrate_options(v, &f, NULL, NULL, why) == 0;
}

#define MONITOR_SCRIPTS_PARAM(dflt)                                                      \
 {                                                                                       \
  .name = "monitor_scripts", .type = RA_T_STRING, .def = dflt,                           \
  .shortdesc = "list of space separated monitor scripts",                                \
  .longdesc = "Programs the monitor runs, in order, while the domain runs: each is run " \
              "without a shell or arguments, under the operation's deadline, and the "   \
              "first that fails makes the monitor fail (with its first line of output)." \
 }

#define AUTOSET_PARAM(what, dflt, doc)                                                 \
 {                                                                                     \
  .name = "autoset_utilization_" what, .type = RA_T_BOOLEAN, .def = dflt,              \
  .shortdesc = "Enable auto-setting the " doc " utilization of the resource",          \
  .longdesc = "Keep the resource's " what " utilization equal to the domain's " doc    \
              ": written with crm_resource only when it changes, so a steady monitor " \
              "starts no process."                                                     \
 }

#define UNSET_PARAM(what, doc)                                                                    \
 {                                                                                                \
  .name = "unset_utilization_" what, .type = RA_T_BOOLEAN, .def = "false",                        \
  .shortdesc = "Enable auto-removing the " doc " utilization of the resource",                    \
  .longdesc =                                                                                     \
      "With autoset_utilization_" what " off, remove the resource's " what " utilization (once)." \
 }

static const struct ra_param vd_params[] = {
    { .name = "config",
      .type = RA_T_STRING,
      .def = "",
      .flags = RA_P_REQUIRED | RA_P_UNIQUE | RA_P_IDENTITY,
      .shortdesc = "Virtual domain configuration file",
      .longdesc = "The domain's libvirt XML.  Its <uuid> (else its <name>) says which domain "
                  "is this resource's." },
    { .name = "hypervisor",
      .type = RA_T_STRING,
      .shortdesc = "Hypervisor URI",
      .longdesc = "libvirt's connection URI (qemu:///system, xen:///system, lxc:///, "
                  "test:///default, ...).  Default: libvirt's own default, as virsh uri "
                  "prints it." },
    { .name = "force_stop",
      .type = RA_T_BOOLEAN,
      .def = "0",
      .shortdesc = "Always force shutdown on stop",
      .longdesc = "Destroy the domain at once on stop, without a graceful shutdown." },
    { .name = "migration_transport",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "Remote hypervisor transport",
      .longdesc = "The transport of the target's URI when it is made from hypervisor: "
                  "ssh makes qemu:///system qemu+ssh://TARGET/system." },
    { .name = "migration_user",
      .type = RA_T_STRING,
      .shortdesc = "Remote username for the remoteuri",
      .longdesc = "The user in the target's URI made from hypervisor (user@TARGET)." },
    { .name = "migration_downtime",
      .type = RA_T_INTEGER,
      .def = "0",
      .min = 0,
      .max = 1000000000,
      .shortdesc = "Live migration downtime",
      .longdesc = "The longest pause of the guest a live migration may make, in ms (0: the "
                  "hypervisor's default)." },
    { .name = "migration_speed",
      .type = RA_T_INTEGER,
      .def = "0",
      .min = 0,
      .max = 1000000000,
      .shortdesc = "Live migration speed",
      .longdesc = "The migration's bandwidth limit, in MiB/s (0: none)." },
    { .name = "migration_network_suffix",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "Migration network host name suffix",
      .longdesc = "Added to the target's node name before its first dot, to migrate over "
                  "another network: node2 becomes node2-mig, node2.example.com becomes "
                  "node2-mig.example.com." },
    { .name = "migrateuri",
      .type = RA_T_STRING,
      .shortdesc = "Custom migrateuri for migration state transfer",
      .longdesc = "The URI of the migration's data channel; %n is the target node." },
    { .name = "migrate_options",
      .type = RA_T_STRING,
      .valid = valid_migrate_options,
      .shortdesc = "live migrate options",
      .longdesc = "virsh migrate's options (--p2p, --tunnelled, --persistent, "
                  "--undefinesource, --compressed, --auto-converge, --copy-storage-all, "
                  "--migrateuri=URI, ...), given to libvirt as its flags." },
    MONITOR_SCRIPTS_PARAM(""),
    AUTOSET_PARAM("cpu", "true", "CPU"),
    AUTOSET_PARAM("host_memory", "true", "host memory"),
    AUTOSET_PARAM("hv_memory", "true", "hypervisor memory"),
    UNSET_PARAM("cpu", "CPU"),
    UNSET_PARAM("host_memory", "host memory"),
    UNSET_PARAM("hv_memory", "hypervisor memory"),
    { .name = "migrateport",
      .type = RA_T_PORT,
      .ocf_type = "integer",
      .shortdesc = "Port for migrateuri",
      .longdesc = "The port of the data channel made with migration_network_suffix.  "
                  "Default: one of 49152 to 49215, at random." },
    { .name = "remoteuri",
      .type = RA_T_STRING,
      .shortdesc = "Custom remoteuri to communicate with a remote hypervisor",
      .longdesc = "The target's libvirt URI; %n is the target node.  Default: made from "
                  "hypervisor, migration_transport, migration_user and "
                  "migration_network_suffix." },
    { .name = "save_config_on_stop",
      .type = RA_T_BOOLEAN,
      .shortdesc = "Save running VM's config back to its config file",
      .longdesc = "Write the domain's definition (as libvirt has it, secrets included) over "
                  "config before stop and migration, and at each monitor, when it changed." },
    { .name = "sync_config_on_stop",
      .type = RA_T_BOOLEAN,
      .shortdesc = "Save running VM's config back to its config file",
      .longdesc = "save_config_on_stop, and each saved file sent on with csync2 -x." },
    { .name = "snapshot",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "Restore state on start/stop",
      .longdesc = "A directory: stop saves the domain's memory to NAME.state there, and start "
                  "restores it (and removes the file) instead of booting." },
    { .name = "backingfile",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "If the VM is wanted to work with Copy-On-Write mode, this is the backing "
                   "file to use (with its full path)",
      .longdesc = "A qcow2 image made over this backing file (with qemu-img) is the domain's "
                  "disk; the domain is defined and started rather than created." },
    { .name = "stateless",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "If set to true, the (<vmname>.qcow2) file will be re-created at each "
                   "start, based on the backing file (if defined)",
      .longdesc = "Make the copy-on-write image afresh at every start." },
    { .name = "copyindirs",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "List of directories for the virt-copy-in before booting the VM stateless "
                   "mode.",
      .longdesc = "Directories copied into a fresh stateless image with virt-copy-in." },
    { .name = "shutdown_mode",
      .type = RA_T_STRING,
      .def = "",
      .valid = valid_shutdown_mode,
      .shortdesc = "Instruct virsh to use specific shutdown mode",
      .longdesc = "How the graceful stop asks the guest: acpi, agent, initctl, signal, "
                  "paravirt, or a comma-separated list of them (the anchor ignores this; "
                  "here it is honoured)." },
    { .name = "start_resources",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Ensure the needed virtual storage pools and networks are started",
      .longdesc = "Before start and migration, start the libvirt networks and storage pools "
                  "the domain's XML refers to." },
};

static bool
valid_seconds(const char *v, const char **why)
{
    return valid_decimal(v, why);
}

static const struct ra_param xen_params[] = {
    { .name = "xmfile",
      .type = RA_T_STRING,
      .def = "/etc/xen/vm/MyDomU",
      .flags = RA_P_REQUIRED,
      .shortdesc = "Xen control file",
      .longdesc = "The domain's xm or xl configuration file, read through libvirt's "
                  "conversion (xen-xl, else xen-xm)." },
    { .name = "name",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "Xen DomU name",
      .longdesc = "The domain's name.  Default: the name = of xmfile, else the resource's "
                  "name." },
    { .name = "shutdown_timeout",
      .type = RA_T_STRING,
      .valid = valid_seconds,
      .shortdesc = "Shutdown escalation timeout",
      .longdesc = "Seconds the graceful shutdown may take before the domain is destroyed "
                  "(0: destroy at once).  Default: two thirds of the stop timeout." },
    { .name = "shutdown_acpi",
      .type = RA_T_BOOLEAN,
      .def = "0",
      .shortdesc = "Simulate power button event on shutdown",
      .longdesc = "Stop with the ACPI power button rather than the paravirtual shutdown." },
    { .name = "allow_mem_management",
      .type = RA_T_BOOLEAN,
      .def = "0",
      .shortdesc = "Use dynamic memory management",
      .longdesc = "Share the host's memory (less reserved_Dom0_memory) evenly between the "
                  "running domains at start, stop and migration (the file is not rewritten)." },
    { .name = "node_ip_attribute",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "Node attribute containing target IP address",
      .longdesc = "The node attribute that holds the address migration goes to (else the "
                  "target's node name)." },
    { .name = "reserved_Dom0_memory",
      .type = RA_T_STRING,
      .def = "512",
      .valid = valid_decimal,
      .shortdesc = "Minimum Dom0 memory",
      .longdesc = "MiB kept for domain 0 by allow_mem_management." },
    { .name = "autoset_utilization_cpu",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Enable auto-setting the CPU utilization of the resource",
      .longdesc = "Keep the resource's cpu utilization equal to the domain's virtual CPUs "
                  "(written only when it changes)." },
    { .name = "autoset_utilization_hv_memory",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Enable auto-setting the hv_memory utilization of the resource",
      .longdesc = "Keep the resource's hv_memory utilization equal to the domain's memory in "
                  "MiB (written only when it changes)." },
    MONITOR_SCRIPTS_PARAM(""),
    { .name = "hypervisor",
      .type = RA_T_STRING,
      .def = "xen:///system",
      .shortdesc = "Hypervisor URI",
      .longdesc = "libvirt's connection URI (not in the anchor, which runs xl)." },
    { .name = "migration_transport",
      .type = RA_T_STRING,
      .def = "ssh",
      .shortdesc = "Remote hypervisor transport",
      .longdesc = "The transport to the target's libvirtd: xen+ssh://ADDRESS/system as xl "
                  "migrate uses ssh, or tcp, tls (not in the anchor)." },
};

/* ---------------------------------------------------------------- the resource */

struct vm {
    struct ra_vm_id id;
    const char *uri;     /* the hypervisor URI, NULL: libvirt's default */
    char *config_text;   /* the configuration file, or NULL when it cannot be read */
    int config_errno;    /* why not */
    bool have_id;        /* the identity is known (from the file, a parameter or the record) */
    bool no_daemon;      /* libvirtd cannot be reached: the hypervisor's own state was used */
    bool foreign;        /* Xen: it runs, outside libvirt (xl): nothing here can act on it */
    bool from_record;    /* ... only from what start recorded */
    struct ra_vm_id rec; /* what start recorded, when have_rec */
    bool have_rec;
    const char *dtype_uri; /* VirtualDomain: the local URI of the XML's domain type */
    char record[4096];     /* where start records the identity */
    struct ra_virt *v;
};

static bool
is_xen(const struct ra_ctx *ctx)
{
    return strcmp(ctx->agent->name, "Xen") == 0;
}

static const char *
config_path(const struct ra_ctx *ctx)
{
    return ra_str0(ctx, is_xen(ctx) ? "xmfile" : "config");
}

/* The URI asked when libvirtd is down: the parameter, libvirt's default variable, else the
 * local hypervisor of the XML's domain type (NULL: none can be asked). */
static const char *
fallback_uri(const struct vm *vm)
{
    const char *d = ra_env_get("LIBVIRT_DEFAULT_URI");

    return vm->uri != NULL ? vm->uri : d != NULL ? d : vm->dtype_uri;
}

static int
record_read(struct vm *vm, struct ra_vm_id *out)
{
    char buf[512], *nl;

    memset(out, 0, sizeof(*out));
    if (ra_state_read(vm->record, buf, sizeof(buf)) < 0) {
        return -1;
    }
    nl = strchr(buf, '\n');
    if (nl != NULL) {
        *nl = '\0';
        ra_format_cut(out->uuid, sizeof(out->uuid), "%s", nl + 1);
    }
    ra_format_cut(out->name, sizeof(out->name), "%s", buf);
    return out->name[0] != '\0' ? 0 : -1;
}

/* The local URI of a domain XML's type (<domain type='kvm'>), for when libvirtd is away
 * and the hypervisor must be asked: NULL when it is not one we can ask. */
static const char *
type_uri(const char *xml)
{
    const char *d = strstr(xml, "<domain"), *t, *end;
    char type[16];
    size_t n;

    if (d == NULL || (end = strchr(d, '>')) == NULL || (t = strstr(d, "type=")) == NULL ||
        t > end || (t[5] != '\'' && t[5] != '"')) {
        return NULL;
    }
    n = strcspn(t + 6, "'\"");
    ra_format_cut(type, sizeof(type), "%.*s", (int)n, t + 6);
    if (strcmp(type, "kvm") == 0 || strcmp(type, "qemu") == 0) {
        return "qemu:///system";
    }
    return strcmp(type, "xen") == 0 ? "xen:///system" : NULL;
}

static void
record_write(struct ra_ctx *ctx, struct vm *vm)
{
    char buf[400];
    int n = snprintf(buf, sizeof(buf), "%s\n%s\n", vm->id.name, vm->id.uuid);

    if (n > 0 && ra_state_write(vm->record, buf, (size_t)n) < 0) {
        ra_warn(ctx, "cannot record the domain in %s", vm->record);
    }
}

static void
forget(struct ra_ctx *ctx, struct vm *vm)
{
    if (ra_state_remove(vm->record) < 0) {
        ra_warn(ctx, "cannot remove %s", vm->record);
    }
}

/*
 * Who is this resource's domain?  From the configuration (VirtualDomain's XML; Xen's name
 * parameter or the file's name =), else from what start recorded, else (Xen) the
 * resource's name.  Returns an OCF code; with @need_file, the file must be readable.
 */
static int
identify(struct ra_ctx *ctx, struct vm *vm, bool need_file)
{
    const char *path = config_path(ctx);
    char why[256];
    int r;

    if (ra_ctx_state_path(ctx, ".domain", vm->record, sizeof(vm->record)) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "the state path is too long");
    }
    if (is_xen(ctx)) {
        vm->uri = ra_str(ctx, "hypervisor");
    } else {
        vm->uri = ra_str(ctx, "hypervisor");
        if (vm->uri != NULL && vm->uri[0] == '\0') {
            vm->uri = NULL;
        }
    }
    vm->have_rec = record_read(vm, &vm->rec) == 0;
    r = ra_state_slurp(path, CONFIG_MAX, &vm->config_text);
    vm->config_errno = -r;
    if (r == 0) {
        if (is_xen(ctx)) {
            r = ra_vm_xen_ident(vm->config_text, &vm->id, why, sizeof(why));
        } else {
            r = ra_vm_xml_ident(vm->config_text, &vm->id, NULL, NULL, why, sizeof(why));
            vm->dtype_uri = type_uri(vm->config_text);
        }
        if (r < 0 && !(ra_lenient(ctx) && vm->have_rec)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "%s: %s", path, why);
        }
        if (r < 0) {
            /* stop, a probe: what start recorded still says which domain it is */
            ra_warn(ctx, "%s: %s", path, why);
            memset(&vm->id, 0, sizeof(vm->id));
            vm->config_errno = EINVAL;
        }
    } else if (need_file) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "%s cannot be read: %s", path, strerror(-r));
    }
    if (is_xen(ctx) && ra_str0(ctx, "name")[0] != '\0') {
        const char *n = ra_str0(ctx, "name");

        if (strpbrk(n, "% \t\"'") != NULL || strlen(n) >= sizeof(vm->id.name)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "name \"%s\" is not a domain name", n);
        }
        ra_format_cut(vm->id.name, sizeof(vm->id.name), "%s", n);
    }
    if (vm->id.name[0] != '\0') {
        vm->have_id = true;
        return OCF_SUCCESS;
    }
    if (vm->have_rec) {
        vm->id = vm->rec;
        vm->have_id = vm->from_record = true;
        ra_info(ctx, "%s cannot be read (%s): the domain is %s, as start recorded it", path,
                strerror(vm->config_errno), vm->id.name);
        return OCF_SUCCESS;
    }
    if (is_xen(ctx)) {
        /* the anchor's last resort: the resource's own name */
        if (ra_instance_base(ctx, vm->id.name, sizeof(vm->id.name)) == 0) {
            vm->have_id = true;
        }
        return OCF_SUCCESS;
    }
    return OCF_SUCCESS; /* unknown: the caller decides */
}

static int
connect_vm(struct ra_ctx *ctx, struct vm *vm)
{
    char why[700];
    int r = ra_virt_open(vm->uri, &ctx->deadline, &vm->v, why, sizeof(why));

    if (r < 0) {
        ra_fail(ctx, OCF_ERR_GENERIC, "%s", why);
    } else if (r == RA_VIRT_DOWN) {
        ra_info(ctx, "%s", why);
    }
    return r;
}

static void
release(struct vm *vm)
{
    ra_virt_close(vm->v);
    vm->v = NULL;
    free(vm->config_text);
    vm->config_text = NULL;
}

/* The state, asked again while the hypervisor has none for it (a domain being created,
 * migrated or torn down), for at most a quarter of what is left. */
static int
get_state(struct ra_ctx *ctx, struct vm *vm, enum ra_vm_state *st, bool *persistent)
{
    uint64_t until = ra_now_ms() + ra_deadline_left_ms(&ctx->deadline) / 4;
    uint64_t nap = 50;

    for (;;) {
        if (ra_virt_state(vm->v, &vm->id, st, NULL, persistent) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot get the state of %s: %s", vm->id.name,
                           ra_virt_error(vm->v));
        }
        if (*st != RA_VM_NOSTATE) {
            return OCF_SUCCESS;
        }
        if (ra_now_ms() + nap > until) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s has no state", vm->id.name);
        }
        (void)ra_deadline_sleep(&ctx->deadline, nap);
        nap = nap < 500 ? nap * 2 : 1000;
    }
}

/* ---------------------------------------------------------------- monitor */

static int
run_monitor_scripts(struct ra_ctx *ctx, const struct vm *vm)
{
    const char *pos = ra_str0(ctx, "monitor_scripts");
    char w[1024];

    while (ra_list_next(&pos, w, sizeof(w))) {
        char path[1100], q[300];
        const char *argv[] = { path, NULL };
        struct ra_cmd cmd = { .argv = argv, .deadline = &ctx->deadline };
        struct ra_run_result res;
        int rc;

        if (w[0] == '/') {
            ra_format_cut(path, sizeof(path), "%s", w);
        } else if (ra_run_which(w, path, sizeof(path)) < 0) {
            return ra_fail(ctx, OCF_ERR_INSTALLED, "monitor script %s is not installed", w);
        }
        if (ra_run(&cmd, &res) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot run monitor script %s", w);
        }
        if (!ra_run_ok(&res)) {
            const char *out = res.out != NULL && res.out[0] ? res.out : res.err ? res.err : "";
            size_t n = strcspn(out, "\n");
            char line[256];

            ra_format_cut(line, sizeof(line), "%.*s", (int)n, out);
            rc = ra_fail(ctx, OCF_ERR_GENERIC, "monitor script %s for domain %s %s %d: %s", w,
                         vm->id.name,
                         res.status == RA_RUN_DONE      ? "returned"
                         : res.status == RA_RUN_TIMEOUT ? "timed out, status"
                                                        : "failed, status",
                         res.status == RA_RUN_DONE ? res.exit_code : res.signo,
                         ra_escape(line, q, sizeof(q)));
            ra_run_result_release(&res);
            return rc;
        }
        ra_run_result_release(&res);
    }
    return OCF_SUCCESS;
}

/* Inside a cluster?  (Utilization has nowhere to go otherwise.) */
static bool
in_cluster(const struct ra_ctx *ctx)
{
    return ctx->env.on_node != NULL || ra_env_get("CIB_file") != NULL;
}

/*
 * Keep the resource's utilization as the domain is: crm_resource runs only for a value
 * that differs from the one this node last wrote (remembered in the state directory), so a
 * steady monitor starts no process.
 */
/* Does any utilization follow the domain (and is there a cluster to write it to)? */
static bool
wants_utilization(const struct ra_ctx *ctx)
{
    static const char *const attrs[] = { "cpu", "host_memory", "hv_memory" };

    if (!in_cluster(ctx)) {
        return false;
    }
    for (size_t i = 0; i < RA_NELEM(attrs); i++) {
        char a[64], u[64];

        ra_format_cut(a, sizeof(a), "autoset_utilization_%s", attrs[i]);
        ra_format_cut(u, sizeof(u), "unset_utilization_%s", attrs[i]);
        if ((ra_has_param(ctx, a) && ra_bool(ctx, a)) ||
            (ra_has_param(ctx, u) && ra_bool(ctx, u))) {
            return true;
        }
    }
    return false;
}

static void
update_utilization(struct ra_ctx *ctx, struct vm *vm, const struct ra_vm_peek *pk)
{
    static const char *const attrs[] = { "cpu", "host_memory", "hv_memory" };
    char path[4096], old[256] = "", now[256] = "", rsc[256];
    unsigned vcpus = pk != NULL ? pk->vcpus : 0;
    unsigned long long kib = pk != NULL ? pk->max_kib : 0;
    size_t o = 0;

    if (!wants_utilization(ctx) || ra_ctx_state_path(ctx, ".utilization", path, sizeof(path)) < 0 ||
        ra_instance_base(ctx, rsc, sizeof(rsc)) < 0) {
        return;
    }
    if (pk == NULL && (vm->v == NULL || ra_virt_info(vm->v, &vm->id, &vcpus, &kib) < 0)) {
        ra_info(ctx, "no utilization: %s", vm->v ? ra_virt_error(vm->v) : "no connection");
        return;
    }
    /* what each attribute should be: a number, "-" (removed) or "" (left alone) */
    for (size_t i = 0; i < RA_NELEM(attrs); i++) {
        char a[64], u[64];
        const char *val = "";
        char num[32];

        ra_format_cut(a, sizeof(a), "autoset_utilization_%s", attrs[i]);
        ra_format_cut(u, sizeof(u), "unset_utilization_%s", attrs[i]);
        if (ra_has_param(ctx, a) && ra_bool(ctx, a)) {
            ra_format_cut(num, sizeof(num), "%llu",
                          i == 0 ? (unsigned long long)vcpus : kib / 1024);
            val = num;
        } else if (ra_has_param(ctx, u) && ra_bool(ctx, u)) {
            val = "-";
        }
        o += (size_t)snprintf(now + o, sizeof(now) - o, "%s=%s\n", attrs[i], val);
    }
    if (ra_state_read(path, old, sizeof(old) - 1) == 0) {
        size_t l = strlen(old);

        old[l] = '\n'; /* the newline the read took off */
        old[l + 1] = '\0';
        if (strcmp(old, now) == 0) {
            return;
        }
    }
    for (const char *line = now; *line != '\0';) {
        const char *eq = strchr(line, '='), *nl = strchr(line, '\n');
        char attr[32], val[32];

        ra_format_cut(attr, sizeof(attr), "%.*s", (int)(eq - line), line);
        ra_format_cut(val, sizeof(val), "%.*s", (int)(nl - eq - 1), eq + 1);
        line = nl + 1;
        if (val[0] == '\0') {
            continue;
        }
        {
            char oldline[64];

            ra_format_cut(oldline, sizeof(oldline), "%s=%s\n", attr, val);
            if (strstr(old, oldline) != NULL) {
                continue; /* this one is already so */
            }
        }
        if (strcmp(val, "-") == 0) {
            const char *args[] = { "-r", rsc, "-z", "-d", attr, NULL };

            (void)ra_pcmk_tool(ctx, "crm_resource", args, NULL);
        } else {
            const char *args[] = { "-r", rsc, "-z", "-p", attr, "-v", val, NULL };

            if (ra_pcmk_tool(ctx, "crm_resource", args, NULL) != 0) {
                ra_warn(ctx, "cannot set the %s utilization of %s to %s", attr, rsc, val);
                return; /* not remembered: tried again next time */
            }
        }
    }
    if (ra_state_write(path, now, strlen(now)) < 0) {
        ra_debug(ctx, "cannot remember the utilization in %s", path);
    }
}

static int save_config(struct ra_ctx *ctx, struct vm *vm);

/* Without the daemon: what the hypervisor itself says.  An OCF code. */
static int
state_without_daemon(struct ra_ctx *ctx, struct vm *vm, bool *runs)
{
    char why[256];
    pid_t pids[8];
    size_t n = 0;
    int r = ra_vm_runs_here(fallback_uri(vm), &vm->id, &ctx->deadline, pids, RA_NELEM(pids), &n,
                            why, sizeof(why));

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "libvirtd cannot be reached, and %s", why);
    }
    *runs = r == 1;
    if (r == 1 && n > 0) {
        ra_info(ctx, "libvirtd cannot be reached; %s runs (qemu pid %d)", vm->id.name,
                (int)pids[0]);
    } else {
        ra_info(ctx, "libvirtd cannot be reached; by the hypervisor's own state, %s %s",
                vm->id.name, r == 1 ? "runs" : "does not run here");
    }
    return OCF_SUCCESS;
}

/* The running domain's monitor: scripts, utilization, the saved configuration (not
 * without the daemon: nothing to ask). */
static int
monitor_running(struct ra_ctx *ctx, struct vm *vm, const struct ra_vm_peek *pk)
{
    int rc = run_monitor_scripts(ctx, vm);

    if (rc != OCF_SUCCESS || vm->no_daemon) {
        return rc;
    }
    if (pk != NULL || vm->v != NULL) {
        update_utilization(ctx, vm, pk);
    }
    if (!is_xen(ctx) && ra_bool(ctx, "save_config_on_stop") &&
        (vm->v != NULL || connect_vm(ctx, vm) == 0)) {
        (void)save_config(ctx, vm);
    }
    return OCF_SUCCESS;
}

/*
 * The domain's state, the fast way when it can (the daemon's protocol, lib/virt.c's
 * ra_virt_peek: no library loaded), else through libvirt; without the daemon, by the
 * hypervisor's own state (vm->no_daemon).  With @pk (and a cluster to write utilization
 * to), its CPUs and memory too.  An OCF code.
 */
static int
look_libvirt(struct ra_ctx *ctx, struct vm *vm, enum ra_vm_state *st, struct ra_vm_peek *pk,
             bool *have_pk)
{
    struct ra_vm_peek mine;
    char why[600];
    bool persistent, runs = false;
    int r = vm->v != NULL
                ? RA_VIRT_HAND_OVER
                : ra_virt_peek(vm->uri != NULL ? vm->uri : ra_env_get("LIBVIRT_DEFAULT_URI"),
                               &vm->id, pk != NULL && wants_utilization(ctx), &ctx->deadline,
                               pk ? pk : &mine, why, sizeof(why));

    *have_pk = false;
    if (r == 0 && (pk ? pk : &mine)->st != RA_VM_NOSTATE) {
        *st = (pk ? pk : &mine)->st;
        *have_pk = pk != NULL && wants_utilization(ctx);
        return OCF_SUCCESS;
    }
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot get the state of %s: %s", vm->id.name, why);
    }
    if (r != RA_VIRT_DOWN) {
        if (vm->v == NULL) {
            r = connect_vm(ctx, vm);
            if (r < 0) {
                return OCF_ERR_GENERIC;
            }
        } else {
            r = 0;
        }
    }
    if (r == RA_VIRT_DOWN) {
        r = state_without_daemon(ctx, vm, &runs);
        if (r != OCF_SUCCESS) {
            return r;
        }
        vm->no_daemon = true;
        *st = runs ? RA_VM_RUNNING : RA_VM_ABSENT;
        return OCF_SUCCESS;
    }
    return get_state(ctx, vm, st, &persistent);
}

/*
 * Xen: does a domain of this name run that libvirt does not know?  One that xl started
 * (an administrator, or the anchor before this agent took over) is invisible to libvirt's
 * libxl driver, and must not pass for stopped.  xenstore is asked.  Sets vm->foreign.
 */
static void
check_foreign(struct ra_ctx *ctx, struct vm *vm)
{
    char why[256];
    int r;

    if (!is_xen(ctx)) {
        return;
    }
    r = ra_vm_runs_here(fallback_uri(vm), &vm->id, &ctx->deadline, NULL, 0, NULL, why, sizeof(why));
    if (r == 1) {
        vm->foreign = true;
        ra_warn(ctx,
                "libvirt does not know %s, but xenstore has a domain of that name: it runs "
                "outside libvirt (started with xl?)",
                vm->id.name);
    } else if (r < 0) {
        ra_info(ctx, "%s", why);
    }
}

/* Does what start recorded name another domain than the configuration does now? */
static bool
record_differs(const struct vm *vm)
{
    return vm->have_rec && !vm->from_record &&
           (strcmp(vm->rec.name, vm->id.name) != 0 || strcmp(vm->rec.uuid, vm->id.uuid) != 0);
}

/*
 * look_libvirt; when the configuration's domain is not there but start recorded another
 * identity (the file edited while the domain ran), that one too: the domain started is
 * this resource's whatever the file says now.  And for Xen, a domain libvirt does not
 * have is looked for in xenstore.
 */
static int
look(struct ra_ctx *ctx, struct vm *vm, enum ra_vm_state *st, struct ra_vm_peek *pk, bool *have_pk)
{
    int rc = look_libvirt(ctx, vm, st, pk, have_pk);

    if (rc == OCF_SUCCESS && (*st == RA_VM_ABSENT || *st == RA_VM_OFF) && record_differs(vm)) {
        struct ra_vm_id now = vm->id;
        enum ra_vm_state st2;

        vm->id = vm->rec;
        rc = look_libvirt(ctx, vm, &st2, pk, have_pk);
        if (rc != OCF_SUCCESS) {
            return rc; /* unsure */
        }
        if (st2 != RA_VM_ABSENT && st2 != RA_VM_OFF) {
            ra_warn(ctx, "%s now names %s, but the domain this resource started (%s %s) is %s",
                    config_path(ctx), now.name, vm->rec.name, vm->rec.uuid, ra_vm_state_name(st2));
            *st = st2;
            return OCF_SUCCESS; /* vm->id stays the running one, for stop */
        }
        vm->id = now;
    }

    if (rc == OCF_SUCCESS && !vm->no_daemon && (*st == RA_VM_ABSENT || *st == RA_VM_OFF)) {
        check_foreign(ctx, vm);
        if (vm->foreign) {
            *st = RA_VM_RUNNING;
            *have_pk = false;
        }
    }
    return rc;
}

static int
do_monitor(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    struct ra_vm_peek pk;
    enum ra_vm_state st;
    bool have_pk;
    int rc = identify(ctx, vm, false);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (!vm->have_id) {
        /* no configuration and no record of a start on this node since it booted */
        ra_info(ctx, "%s cannot be read (%s) and this node has not started the domain",
                config_path(ctx), strerror(vm->config_errno));
        return ra_is_probe(ctx) ? OCF_NOT_RUNNING
                                : ra_fail(ctx, OCF_ERR_GENERIC, "%s cannot be read: %s",
                                          config_path(ctx), strerror(vm->config_errno));
    }
    rc = look(ctx, vm, &st, &pk, &have_pk);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (vm->foreign) {
        /* a probe tells what runs; a recurring monitor cannot vouch for it */
        return ra_is_probe(ctx)
                   ? OCF_SUCCESS
                   : ra_fail(ctx, OCF_ERR_GENERIC,
                             "%s runs outside libvirt: it cannot be managed here", vm->id.name);
    }
    switch (st) {
    case RA_VM_ABSENT:
    case RA_VM_OFF:
        return OCF_NOT_RUNNING;
    case RA_VM_PAUSED:
        ra_info(ctx, "%s is paused", vm->id.name);
        /* fall through */
    case RA_VM_RUNNING:
    case RA_VM_SHUTDOWN:
        return monitor_running(ctx, vm, have_pk ? &pk : NULL);
    default:
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s is %s", vm->id.name, ra_vm_state_name(st));
    }
}

/* status: the state alone (no scripts, no utilization). */
static int
do_status(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    enum ra_vm_state st;
    bool have_pk;
    int rc = identify(ctx, vm, false);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (!vm->have_id) {
        return OCF_NOT_RUNNING;
    }
    rc = look(ctx, vm, &st, NULL, &have_pk);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (st == RA_VM_ABSENT || st == RA_VM_OFF) {
        return OCF_NOT_RUNNING;
    }
    if (st == RA_VM_CRASHED || st == RA_VM_PMSUSPENDED) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s is %s", vm->id.name, ra_vm_state_name(st));
    }
    return OCF_SUCCESS;
}

/* ---------------------------------------------------------------- the configuration back */

/* Write @text over @path, keeping its owner and mode: a new file renamed over the old. */
static int
write_over(const char *path, const char *text)
{
    char tmp[4200];
    struct stat st;
    size_t len = strlen(text);
    int fd, r = 0;

    if (stat(path, &st) < 0) {
        st.st_mode = 0600;
        st.st_uid = getuid();
        st.st_gid = getgid();
    }
    if (ra_format(tmp, sizeof(tmp), "%s.rampart-XXXXXX", path) < 0) {
        return -ENAMETOOLONG;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        return -errno;
    }
    if (fchmod(fd, st.st_mode & 07777) < 0 || fchown(fd, st.st_uid, st.st_gid) < 0) {
        r = -errno;
    }
    for (size_t put = 0; r == 0 && put < len;) {
        ssize_t k = write(fd, text + put, len - put);

        if (k < 0) {
            r = -errno;
        } else {
            put += (size_t)k;
        }
    }
    if (r == 0 && fsync(fd) < 0) {
        r = -errno;
    }
    close(fd);
    if (r == 0 && rename(tmp, path) < 0) {
        r = -errno;
    }
    if (r < 0) {
        unlink(tmp);
    }
    return r;
}

/* save_config_on_stop: libvirt's definition of the domain, over config when it differs. */
static int
save_config(struct ra_ctx *ctx, struct vm *vm)
{
    const char *path = config_path(ctx);
    char *xml = ra_virt_xml(vm->v, &vm->id, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
    struct ra_vm_id check;
    char why[200];
    int r;

    if (xml == NULL) {
        ra_warn(ctx, "cannot read the definition of %s: %s", vm->id.name, ra_virt_error(vm->v));
        return -1;
    }
    if (ra_vm_xml_ident(xml, &check, NULL, NULL, why, sizeof(why)) < 0 ||
        strcmp(check.name, vm->id.name) != 0) {
        ra_warn(ctx, "libvirt's definition of %s is not usable: %s", vm->id.name, why);
        free(xml);
        return -1;
    }
    if (vm->config_text != NULL && strcmp(vm->config_text, xml) == 0) {
        free(xml);
        return 0;
    }
    r = write_over(path, xml);
    if (r < 0) {
        ra_warn(ctx, "cannot save the definition of %s to %s: %s", vm->id.name, path, strerror(-r));
    } else {
        ra_info(ctx, "saved the definition of %s to %s", vm->id.name, path);
        free(vm->config_text);
        vm->config_text = xml;
        xml = NULL;
        if (ra_bool(ctx, "sync_config_on_stop")) {
            const char *args[] = { "-x", path, NULL };

            if (ra_run_tool(ctx, "csync2", args, NULL) != 0) {
                ra_warn(ctx, "csync2 -x %s failed", path);
            }
        }
    }
    free(xml);
    return r < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- start */

/* The domain XML to create: the file (VirtualDomain) or its conversion (Xen). */
static char *
domain_xml(struct ra_ctx *ctx, struct vm *vm)
{
    char *xml, *renamed;
    struct ra_vm_id conv;
    char why[256];

    if (!is_xen(ctx)) {
        return strdup(vm->config_text);
    }
    /* an xl file first (it knows type = "pvh"), then the older xm syntax */
    xml = ra_virt_from_native(vm->v, "xen-xl", vm->config_text);
    if (xml == NULL) {
        char first[600];

        ra_format_cut(first, sizeof(first), "%s", ra_virt_error(vm->v));
        xml = ra_virt_from_native(vm->v, "xen-xm", vm->config_text);
        if (xml == NULL) {
            ra_fail(ctx, OCF_ERR_CONFIGURED, "%s is neither an xl nor an xm file: %s",
                    config_path(ctx), first);
            return NULL;
        }
    }
    if (ra_vm_xml_ident(xml, &conv, NULL, NULL, why, sizeof(why)) < 0 ||
        strcmp(conv.name, vm->id.name) != 0) {
        renamed = ra_vm_xml_rename(xml, vm->id.name);
        free(xml);
        xml = renamed;
        if (xml == NULL) {
            ra_fail(ctx, OCF_ERR_GENERIC, "cannot name the domain %s", vm->id.name);
        }
    }
    return xml;
}

static int
source_up(const char *kind, const char *name, void *data)
{
    struct ra_ctx *ctx = data;
    struct vm *vm = ctx->data;
    int r = strcmp(kind, "network") == 0 ? ra_virt_network_up(vm->v, name)
                                         : ra_virt_pool_up(vm->v, name);

    if (r < 0) {
        ra_fail(ctx, OCF_ERR_GENERIC, "cannot start the %s %s: %s", kind, name,
                ra_virt_error(vm->v));
        return -1;
    }
    return 0;
}

/* allow_mem_management: the host's memory less dom0's share, evenly between the running
 * domains and @extra more. */
static void
balance_memory(struct ra_ctx *ctx, struct vm *vm, int extra)
{
    struct ra_vm_id doms[64];
    size_t n = 0;
    unsigned long long total, reserved_mib, share;

    if (!is_xen(ctx) || !ra_bool(ctx, "allow_mem_management") || vm->v == NULL) {
        return;
    }
    {
        long long v = 512;

        if (ra_parse_int(ra_str0(ctx, "reserved_Dom0_memory"), 0, INT32_MAX, &v) < 0) {
            v = 512; /* validate said so already */
        }
        reserved_mib = (unsigned long long)v;
    }
    if (ra_virt_host_memory(vm->v, &total) < 0 || ra_virt_running(vm->v, doms, 64, &n) < 0) {
        ra_warn(ctx, "no memory balancing: %s", ra_virt_error(vm->v));
        return;
    }
    if (n + (size_t)extra == 0 || total / 1024 <= reserved_mib) {
        return;
    }
    share = (total / 1024 - reserved_mib) / (n + (size_t)extra);
    for (size_t i = 0; i < n && i < 64; i++) {
        if (ra_virt_set_memory(vm->v, &doms[i], share * 1024) < 0) {
            ra_warn(ctx, "cannot set the memory of %s to %llu MiB: %s", doms[i].name, share,
                    ra_virt_error(vm->v));
        } else {
            ra_info(ctx, "memory of %s set to %llu MiB", doms[i].name, share);
        }
    }
}

/* backingfile: the copy-on-write image the domain boots from (the anchor's name for it). */
static int
prepare_image(struct ra_ctx *ctx, struct vm *vm)
{
    const char *config = config_path(ctx), *dot = strchr(config, '.');
    char img[4096];
    struct stat st;
    bool fresh;

    ra_format_cut(img, sizeof(img), "%.*s.qcow2",
                  (int)(dot ? (size_t)(dot - config) : strlen(config)), config);
    fresh = ra_bool(ctx, "stateless") || stat(img, &st) < 0 || st.st_size == 0;
    if (fresh) {
        const char *args[] = { "create", "-f",    "qcow2", "-b", ra_str0(ctx, "backingfile"),
                               "-F",     "qcow2", img,     NULL };

        if (unlink(img) < 0 && errno != ENOENT) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot remove %s: %s", img, strerror(errno));
        }
        if (ra_run_tool(ctx, "qemu-img", args, NULL) != 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "qemu-img cannot make %s over %s", img,
                           ra_str0(ctx, "backingfile"));
        }
    }
    if (ra_virt_define(vm->v, vm->config_text, &vm->id) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot define %s: %s", vm->id.name,
                       ra_virt_error(vm->v));
    }
    record_write(ctx, vm);
    if (fresh && ra_str0(ctx, "copyindirs")[0] != '\0') {
        const char *args[40] = { "-d", vm->id.name };
        const char *pos = ra_str0(ctx, "copyindirs");
        char words[36][1024];
        size_t n = 2, k = 0;

        while (k < RA_NELEM(words) && ra_list_next(&pos, words[k], sizeof(words[k]))) {
            args[n++] = words[k++];
        }
        args[n++] = "/";
        args[n] = NULL;
        if (ra_run_tool(ctx, "virt-copy-in", args, NULL) != 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "virt-copy-in into %s failed", vm->id.name);
        }
    }
    if (ra_virt_start(vm->v, &vm->id) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot start %s: %s", vm->id.name,
                       ra_virt_error(vm->v));
    }
    return OCF_SUCCESS;
}

/* Wait until the domain runs and its monitor passes. */
static int
wait_running(struct ra_ctx *ctx, struct vm *vm, const char *what)
{
    uint64_t nap = 20;

    for (;;) {
        enum ra_vm_state st;
        int rc = OCF_NOT_RUNNING;

        if (ra_virt_state(vm->v, &vm->id, &st, NULL, NULL) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s: cannot get the state of %s: %s", what,
                           vm->id.name, ra_virt_error(vm->v));
        }
        if (st == RA_VM_RUNNING || st == RA_VM_PAUSED) {
            char keep[sizeof(ctx->reason)];

            memcpy(keep, ctx->reason, sizeof(keep));
            rc = run_monitor_scripts(ctx, vm);
            if (rc == OCF_SUCCESS) {
                memcpy(ctx->reason, keep, sizeof(keep));
                update_utilization(ctx, vm, NULL);
                return OCF_SUCCESS;
            }
        } else if (st == RA_VM_CRASHED) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s: %s crashed", what, vm->id.name);
        }
        if (ra_deadline_sleep(&ctx->deadline, nap) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "%s: %s is %s, not running and monitored, at "
                           "the deadline",
                           what, vm->id.name, ra_vm_state_name(st));
        }
        nap = nap < 500 ? nap * 2 : 1000;
    }
}

static int
do_start(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    enum ra_vm_state st;
    bool persistent;
    char *xml = NULL;
    char snap[4200] = "";
    int rc = identify(ctx, vm, true);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    rc = connect_vm(ctx, vm);
    if (rc != 0) {
        return rc == RA_VIRT_DOWN ? ra_fail(ctx, OCF_ERR_GENERIC, "libvirtd cannot be reached")
                                  : OCF_ERR_GENERIC;
    }
    rc = get_state(ctx, vm, &st, &persistent);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (st == RA_VM_RUNNING || st == RA_VM_PAUSED || st == RA_VM_SHUTDOWN) {
        ra_info(ctx, "%s is already running", vm->id.name);
        record_write(ctx, vm);
        return OCF_SUCCESS;
    }
    if ((st == RA_VM_ABSENT || st == RA_VM_OFF) && record_differs(vm)) {
        struct ra_vm_id now = vm->id;
        enum ra_vm_state st2;

        vm->id = vm->rec;
        rc = get_state(ctx, vm, &st2, NULL);
        vm->id = now;
        if (rc != OCF_SUCCESS) {
            return rc;
        }
        if (st2 != RA_VM_ABSENT && st2 != RA_VM_OFF) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "the domain this resource started as %s still runs: stop it first",
                           vm->rec.name);
        }
    }
    if (st == RA_VM_ABSENT || st == RA_VM_OFF) {
        check_foreign(ctx, vm);
        if (vm->foreign) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "a domain named %s already runs outside libvirt (started with xl?)",
                           vm->id.name);
        }
    }
    if (st == RA_VM_PMSUSPENDED) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s is suspended by its guest: wake it or destroy it",
                       vm->id.name);
    }
    if (st == RA_VM_CRASHED && ra_virt_destroy(vm->v, &vm->id) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s crashed and cannot be cleared: %s", vm->id.name,
                       ra_virt_error(vm->v));
    }
    /* from here on, stop must find it even if this start dies half way */
    record_write(ctx, vm);
    if (!is_xen(ctx) && ra_str0(ctx, "snapshot")[0] != '\0') {
        struct stat sb;

        ra_format_cut(snap, sizeof(snap), "%s/%s.state", ra_str0(ctx, "snapshot"), vm->id.name);
        if (stat(snap, &sb) == 0 && S_ISREG(sb.st_mode)) {
            if (ra_virt_restore(vm->v, snap) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "cannot restore %s from %s: %s", vm->id.name,
                               snap, ra_virt_error(vm->v));
            }
            if (unlink(snap) < 0) {
                ra_warn(ctx, "cannot remove %s: %s", snap, strerror(errno));
            }
            ra_info(ctx, "%s restored from %s", vm->id.name, snap);
            return wait_running(ctx, vm, "start");
        }
    }
    if (persistent) {
        /* the file is the definition: a persistent one of the same name goes (as the anchor
         * does), and if libvirt took the file with it, the file comes back */
        if (ra_virt_undefine(vm->v, &vm->id) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot undefine the persistent %s: %s",
                           vm->id.name, ra_virt_error(vm->v));
        }
        if (access(config_path(ctx), F_OK) < 0 &&
            write_over(config_path(ctx), vm->config_text) < 0) {
            ra_warn(ctx, "libvirt removed %s with the definition, and it cannot be written back",
                    config_path(ctx));
        }
    }
    if (!is_xen(ctx) && ra_bool(ctx, "start_resources") &&
        ra_vm_xml_sources(vm->config_text, source_up, ctx) != 0) {
        return OCF_ERR_GENERIC;
    }
    balance_memory(ctx, vm, 1);
    if (!is_xen(ctx) && ra_str0(ctx, "backingfile")[0] != '\0') {
        rc = prepare_image(ctx, vm);
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    } else {
        xml = domain_xml(ctx, vm);
        if (xml == NULL) {
            return ctx->reason[0] ? OCF_ERR_CONFIGURED : OCF_ERR_GENERIC;
        }
        if (ra_virt_create(vm->v, xml, &vm->id) < 0) {
            rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot start %s: %s", vm->id.name,
                         ra_virt_error(vm->v));
            free(xml);
            return rc;
        }
        free(xml);
    }
    record_write(ctx, vm);
    balance_memory(ctx, vm, 0);
    ra_info(ctx, "%s created", vm->id.name);
    return wait_running(ctx, vm, "start");
}

/* ---------------------------------------------------------------- stop */

/* Wait until the hypervisor no longer runs the domain, until @until_ms: 1 gone, 0 not yet,
 * -1 error (with a reason). */
static int
wait_gone(struct ra_ctx *ctx, struct vm *vm, uint64_t until_ms)
{
    uint64_t nap = 20;

    for (;;) {
        enum ra_vm_state st;

        if (ra_virt_state(vm->v, &vm->id, &st, NULL, NULL) < 0) {
            ra_fail(ctx, OCF_ERR_GENERIC, "cannot get the state of %s: %s", vm->id.name,
                    ra_virt_error(vm->v));
            return -1;
        }
        if (st == RA_VM_ABSENT || st == RA_VM_OFF) {
            return 1;
        }
        if (ra_now_ms() >= until_ms || ra_deadline_expired(&ctx->deadline)) {
            return 0;
        }
        {
            uint64_t left = until_ms - ra_now_ms();

            (void)ra_deadline_sleep(&ctx->deadline, nap < left ? nap : left);
        }
        nap = nap < 250 ? nap * 2 : 500;
    }
}

static unsigned
shutdown_flags(struct ra_ctx *ctx)
{
    unsigned f = 0;
    const char *p;

    if (is_xen(ctx)) {
        return ra_bool(ctx, "shutdown_acpi") ? VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN : 0;
    }
    for (p = ra_str0(ctx, "shutdown_mode"); *p != '\0';) {
        size_t n = strcspn(p, ",");

        f |= strncmp(p, "acpi", n) == 0       ? VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN
             : strncmp(p, "agent", n) == 0    ? VIR_DOMAIN_SHUTDOWN_GUEST_AGENT
             : strncmp(p, "initctl", n) == 0  ? VIR_DOMAIN_SHUTDOWN_INITCTL
             : strncmp(p, "signal", n) == 0   ? VIR_DOMAIN_SHUTDOWN_SIGNAL
             : strncmp(p, "paravirt", n) == 0 ? VIR_DOMAIN_SHUTDOWN_PARAVIRT
                                              : 0;
        p += n + (p[n] == ',');
    }
    return f;
}

/* How long the graceful shutdown may take, in ms: what is left less what destroy needs (a
 * fifth, 2 s to 15 s), and for Xen no more than shutdown_timeout or two thirds of the
 * timeout, as the anchor. */
static uint64_t
graceful_ms(struct ra_ctx *ctx)
{
    uint64_t left = ra_deadline_left_ms(&ctx->deadline);
    uint64_t keep = left / 5 < 2000 ? 2000 : left / 5 > 15000 ? 15000 : left / 5;
    uint64_t g = left > keep ? left - keep : 0;

    if (is_xen(ctx)) {
        const char *t = ra_str0(ctx, "shutdown_timeout");
        long long secs = -1;
        uint64_t want;

        if (t[0] == '\0' || ra_parse_int(t, 0, INT32_MAX, &secs) < 0) {
            secs = -1;
        }
        want = secs >= 0 ? (uint64_t)secs * 1000 : ctx->timeout_ms * 2 / 3;

        g = want < g ? want : g;
    }
    return g;
}

static int
do_stop(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    enum ra_vm_state st;
    bool have_pk;
    int rc = identify(ctx, vm, false), gone;

    if (rc != OCF_SUCCESS && !vm->have_id) {
        return rc;
    }
    if (!vm->have_id) {
        ra_info(ctx,
                "%s cannot be read (%s) and this node has no record of starting the "
                "domain: nothing of it runs here",
                config_path(ctx), strerror(vm->config_errno));
        return OCF_SUCCESS;
    }
    rc = look(ctx, vm, &st, NULL, &have_pk);
    if (rc != OCF_SUCCESS) {
        return rc; /* unsure, so not stopped */
    }
    if (vm->foreign) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "%s runs outside libvirt (started with xl?): it cannot be stopped here",
                       vm->id.name);
    }
    if (vm->no_daemon && st != RA_VM_ABSENT) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "libvirtd cannot be reached and %s still runs: it cannot be stopped",
                       vm->id.name);
    }
    if (st == RA_VM_ABSENT || st == RA_VM_OFF) {
        ra_info(ctx, "%s is %s", vm->id.name,
                vm->no_daemon ? "not running (by the hypervisor's own state)" : "already stopped");
        forget(ctx, vm);
        return OCF_SUCCESS;
    }
    if (vm->v == NULL && connect_vm(ctx, vm) != 0) {
        return ctx->reason[0] ? OCF_ERR_GENERIC
                              : ra_fail(ctx, OCF_ERR_GENERIC, "libvirtd went away during stop");
    }
    if (!is_xen(ctx) && !ra_bool(ctx, "force_stop")) {
        if (ra_bool(ctx, "save_config_on_stop")) {
            (void)save_config(ctx, vm);
        }
        if (ra_str0(ctx, "snapshot")[0] != '\0') {
            char snap[4200];

            ra_format_cut(snap, sizeof(snap), "%s/%s.state", ra_str0(ctx, "snapshot"), vm->id.name);
            if (ra_virt_save(vm->v, &vm->id, snap) == 0) {
                ra_info(ctx, "%s saved to %s", vm->id.name, snap);
            } else {
                ra_err(ctx, "cannot save %s to %s: %s", vm->id.name, snap, ra_virt_error(vm->v));
            }
        }
    }
    gone = wait_gone(ctx, vm, ra_now_ms());
    if (gone == 0 && !(!is_xen(ctx) && ra_bool(ctx, "force_stop"))) {
        uint64_t g = graceful_ms(ctx);

        if (st == RA_VM_PAUSED) {
            ra_info(ctx, "%s is paused and cannot shut down by itself", vm->id.name);
        } else if (g > 0) {
            ra_info(ctx, "%s: shutting down (at most %llu ms)", vm->id.name, (unsigned long long)g);
            if (ra_virt_shutdown(vm->v, &vm->id, shutdown_flags(ctx)) < 0) {
                ra_warn(ctx, "cannot shut %s down: %s", vm->id.name, ra_virt_error(vm->v));
            } else {
                gone = wait_gone(ctx, vm, ra_now_ms() + g);
            }
        }
    }
    if (gone == 0) {
        ra_info(ctx, "%s: destroying", vm->id.name);
        if (ra_virt_destroy(vm->v, &vm->id) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot destroy %s: %s", vm->id.name,
                           ra_virt_error(vm->v));
        }
        gone = wait_gone(ctx, vm, UINT64_MAX);
    }
    if (gone < 0) {
        return OCF_ERR_GENERIC;
    }
    if (gone == 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s still runs at the deadline", vm->id.name);
    }
    ra_info(ctx, "%s stopped", vm->id.name);
    forget(ctx, vm);
    balance_memory(ctx, vm, 0);
    return OCF_SUCCESS;
}

/* ---------------------------------------------------------------- migration */

/* "node2" with the suffix "-mig": "node2-mig"; "node2.example.com": "node2-mig.example.com". */
static void
suffixed(const char *node, const char *suffix, char *buf, size_t cap)
{
    size_t n = strcspn(node, ".");

    ra_format_cut(buf, cap, "%.*s%s%s", (int)n, node, suffix, node + n);
}

/* @s with each %n replaced by @node. */
static void
subst_node(const char *s, const char *node, char *buf, size_t cap)
{
    size_t o = 0;

    for (; *s != '\0' && o + 1 < cap; s++) {
        if (s[0] == '%' && s[1] == 'n') {
            o += (size_t)snprintf(buf + o, cap - o, "%s", node);
            if (o >= cap) {
                o = cap - 1;
            }
            s++;
        } else {
            buf[o++] = *s;
        }
    }
    buf[o] = '\0';
}

/*
 * The target's URI made from ours, as the anchor makes it: the scheme with "+transport",
 * the host replaced by [user@]target (with the suffix), the port, path and query kept.
 */
static int
remote_uri(struct ra_ctx *ctx, const char *uri, const char *host, const char *transport, char *buf,
           size_t cap)
{
    const char *sep = strstr(uri, "://"), *h, *rest;
    const char *user = ra_has_param(ctx, "migration_user") ? ra_str0(ctx, "migration_user") : "";
    char scheme[64];
    bool user_ok = user[0] >= 'a' && user[0] <= 'z' &&
                   strspn(user, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(user);

    if (sep == NULL || (size_t)(sep - uri) >= sizeof(scheme)) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "cannot make the target's URI from %s", uri);
    }
    ra_format_cut(scheme, sizeof(scheme), "%.*s", (int)(sep - uri), uri);
    h = sep + 3;
    rest = h + strcspn(h, ":/");
    ra_format_cut(buf, cap, "%s%s%s://%s%s%s%s", scheme, transport[0] ? "+" : "", transport,
                  user_ok ? user : "", user_ok ? "@" : "", host, rest);
    return OCF_SUCCESS;
}

static int
do_migrate_to(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    const char *target = ra_env_meta("migrate_target");
    struct ra_virt_migration m = { 0 };
    char dest[1024], data_uri[1024] = "", host[512], q[300];
    struct migrate_words mw;
    enum ra_vm_state st;
    bool persistent;
    const char *why;
    int rc = identify(ctx, vm, false);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (!vm->have_id) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "%s cannot be read: %s", config_path(ctx),
                       strerror(vm->config_errno));
    }
    if (target == NULL || target[0] == '\0') {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "migrate_to needs the target node "
                       "(OCF_RESKEY_CRM_meta_migrate_target)");
    }
    if (connect_vm(ctx, vm) != 0) {
        return ctx->reason[0] ? OCF_ERR_GENERIC
                              : ra_fail(ctx, OCF_ERR_GENERIC, "libvirtd cannot be reached");
    }
    rc = get_state(ctx, vm, &st, &persistent);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (st != RA_VM_RUNNING && st != RA_VM_PAUSED) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s: migrate_to: not active locally (%s)", vm->id.name,
                       ra_vm_state_name(st));
    }
    m.flags = VIR_MIGRATE_LIVE;
    if (is_xen(ctx)) {
        const char *attr = ra_str0(ctx, "node_ip_attribute");
        char *out = NULL;

        ra_format_cut(host, sizeof(host), "%s", target);
        if (attr[0] != '\0') {
            const char *args[] = {
                "--type", "nodes", "--node", target, "-n", attr, "-G", "-q", NULL
            };

            if (ra_crm_attribute(ctx, args, &out) == 0 && out != NULL) {
                char *t;

                out[strcspn(out, "\r\n")] = '\0';
                t = ra_trim(out);
                if (t[0] != '\0' && strcmp(t, "(null)") != 0 &&
                    strspn(
                        t,
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]_") ==
                        strlen(t)) {
                    ra_info(ctx, "%s is using address %s", target, t);
                    ra_format_cut(host, sizeof(host), "%s", t);
                }
            }
            free(out);
        }
        rc = remote_uri(ctx, ra_virt_uri(vm->v), host, ra_str0(ctx, "migration_transport"), dest,
                        sizeof(dest));
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    } else {
        const char *suffix = ra_str0(ctx, "migration_network_suffix");
        const char *uri = vm->uri != NULL ? vm->uri : ra_virt_uri(vm->v);
        unsigned long extra = 0;

        suffixed(target, suffix, host, sizeof(host));
        if (ra_str0(ctx, "remoteuri")[0] != '\0') {
            subst_node(ra_str0(ctx, "remoteuri"), target, dest, sizeof(dest));
        } else {
            rc =
                remote_uri(ctx, uri, host, ra_str0(ctx, "migration_transport"), dest, sizeof(dest));
            if (rc != OCF_SUCCESS) {
                return rc;
            }
        }
        /* %n in the data URI: the target as the remote URI names it (suffixed unless
         * remoteuri is given, as the anchor) */
        const char *data_host = ra_str0(ctx, "remoteuri")[0] != '\0' ? target : host;

        if (parse_migrate_options(ra_str0(ctx, "migrate_options"), &extra, &mw, &m, &why) < 0) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "migrate_options %s", why);
        }
        m.flags |= extra;
        if (ra_str0(ctx, "migrateuri")[0] != '\0') {
            subst_node(ra_str0(ctx, "migrateuri"), data_host, data_uri, sizeof(data_uri));
        } else if (mw.uri[0] != '\0') {
            subst_node(mw.uri, data_host, data_uri, sizeof(data_uri));
        } else if (suffix[0] != '\0') {
            if (strncmp(uri, "qemu", 4) == 0) {
                unsigned port;

                if (ra_given(ctx, "migrateport")) {
                    port = (unsigned)ra_int(ctx, "migrateport");
                } else {
                    uint32_t rnd = 0;

                    if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd)) {
                        rnd = (uint32_t)getpid();
                    }
                    port = 49152 + rnd % 64;
                }
                ra_format_cut(data_uri, sizeof(data_uri), "tcp:%s:%u", host, port);
            } else if (strncmp(uri, "xen", 3) == 0) {
                ra_format_cut(data_uri, sizeof(data_uri), "%s", host);
            }
        }
        m.bandwidth_mib = (unsigned long long)ra_int(ctx, "migration_speed");
        for (size_t i = 0; i < m.nextra; i++) {
            if (strcmp(m.extra[i].field, VIR_MIGRATE_PARAM_BANDWIDTH) == 0) {
                m.bandwidth_mib = 0; /* migrate_options' --bandwidth says it */
            }
        }
        m.downtime_ms = (unsigned long long)ra_int(ctx, "migration_downtime");
        if (ra_bool(ctx, "save_config_on_stop")) {
            (void)save_config(ctx, vm);
        }
    }
    m.dest_uri = dest;
    m.migrate_uri = data_uri[0] != '\0' ? data_uri : NULL;
    ra_info(ctx, "%s: live migration to %s (%s%s%s)", vm->id.name, target,
            ra_escape(dest, q, sizeof(q)), m.migrate_uri ? ", data over " : "",
            m.migrate_uri ? m.migrate_uri : "");
    {
        char line[400];

        ra_format_cut(line, sizeof(line), "%s: live migration to %s did not end within the timeout",
                      vm->id.name, target);
        ra_virt_guard_reason(vm->v, line);
    }
    if (ra_virt_migrate(vm->v, &vm->id, &m) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s: live migration to %s failed: %s", vm->id.name,
                       target, ra_virt_error(vm->v));
    }
    /* it runs there now: here, nothing of it may be left running */
    if (ra_virt_state(vm->v, &vm->id, &st, NULL, NULL) < 0 ||
        (st != RA_VM_ABSENT && st != RA_VM_OFF)) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s migrated to %s but is still %s here", vm->id.name,
                       target, ra_vm_state_name(st));
    }
    forget(ctx, vm);
    balance_memory(ctx, vm, 0);
    ra_info(ctx, "%s: live migration to %s succeeded", vm->id.name, target);
    return OCF_SUCCESS;
}

static int
do_migrate_from(struct ra_ctx *ctx)
{
    struct vm *vm = ctx->data;
    const char *source = ra_env_meta("migrate_source");
    int rc = identify(ctx, vm, false);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (!vm->have_id) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "%s cannot be read: %s", config_path(ctx),
                       strerror(vm->config_errno));
    }
    if (connect_vm(ctx, vm) != 0) {
        return ctx->reason[0] ? OCF_ERR_GENERIC
                              : ra_fail(ctx, OCF_ERR_GENERIC, "libvirtd cannot be reached");
    }
    record_write(ctx, vm);
    rc = wait_running(ctx, vm, "migrate_from");
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (!vm->id.uuid[0] && ra_virt_learn_uuid(vm->v, &vm->id) == 0) {
        record_write(ctx, vm);
    }
    if (!is_xen(ctx) && ra_bool(ctx, "save_config_on_stop")) {
        (void)save_config(ctx, vm);
    }
    balance_memory(ctx, vm, 0);
    ra_info(ctx, "%s: live migration from %s succeeded", vm->id.name,
            source != NULL ? source : "its source");
    return OCF_SUCCESS;
}

/* ---------------------------------------------------------------- validate */

static int
vd_validate(struct ra_ctx *ctx)
{
    const char *path = config_path(ctx);

    if (!is_xen(ctx)) {
        if (ra_bool(ctx, "force_stop") && ra_str0(ctx, "snapshot")[0] != '\0') {
            return ra_soften(ctx, ra_fail(ctx, OCF_ERR_CONFIGURED,
                                          "force_stop and snapshot cannot be used together"));
        }
        if (ra_bool(ctx, "stateless") && ra_str0(ctx, "backingfile")[0] == '\0') {
            return ra_soften(ctx,
                             ra_fail(ctx, OCF_ERR_CONFIGURED, "stateless needs a backingfile"));
        }
        if (ra_bool(ctx, "sync_config_on_stop")) {
            char tool[256];

            if (ra_run_which("csync2", tool, sizeof(tool)) < 0) {
                return ra_soften(
                    ctx, ra_fail(ctx, OCF_ERR_INSTALLED, "sync_config_on_stop needs csync2"));
            }
        }
    }
    if (strcmp(ra_ctx_action(ctx), "validate-all") == 0 ||
        strcmp(ra_ctx_action(ctx), "start") == 0) {
        struct vm *vm = ctx->data;
        int rc = identify(ctx, vm, true);

        free(vm->config_text);
        vm->config_text = NULL;
        memset(&vm->id, 0, sizeof(vm->id));
        vm->have_id = vm->from_record = false;
        if (rc != OCF_SUCCESS) {
            return rc;
        }
        (void)path;
    }
    return OCF_SUCCESS;
}

/* Each action, and what it holds let go of afterwards. */
#define ACTION(name)                      \
 static int vd_##name(struct ra_ctx *ctx) \
 {                                        \
  int rc_ = do_##name(ctx);               \
  release(ctx->data);                     \
  return rc_;                             \
 }
ACTION(start)
ACTION(stop)
ACTION(monitor)
ACTION(status)
ACTION(migrate_to)
ACTION(migrate_from)
#undef ACTION

static const struct ra_action vd_actions[] = {
    { .name = "start", .fn = vd_start, .timeout_s = 90 },
    { .name = "stop", .fn = vd_stop, .timeout_s = 90 },
    { .name = "status", .fn = vd_status, .timeout_s = 30, .interval_s = 10 },
    { .name = "monitor", .fn = vd_monitor, .timeout_s = 30, .interval_s = 10 },
    { .name = "migrate_from", .fn = vd_migrate_from, .timeout_s = 60 },
    { .name = "migrate_to", .fn = vd_migrate_to, .timeout_s = 120 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 5 },
};

static const struct ra_action xen_actions[] = {
    { .name = "start", .fn = vd_start, .timeout_s = 60 },
    { .name = "stop", .fn = vd_stop, .timeout_s = 40 },
    { .name = "migrate_from", .fn = vd_migrate_from, .timeout_s = 120 },
    { .name = "migrate_to", .fn = vd_migrate_to, .timeout_s = 120 },
    { .name = "monitor", .fn = vd_monitor, .timeout_s = 30, .interval_s = 10 },
    { .name = "status", .fn = vd_status, .timeout_s = 30 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 5 },
};

static const struct ra_agent vd_agent = {
    .name = "VirtualDomain",
    .version = "1.1",
    .shortdesc = "Manages virtual domains through the libvirt virtualization framework",
    .longdesc = "One libvirt domain, from its XML file, through libvirt's C API in-process "
                "(no virsh).  The domain is known by its UUID (else its name) and recorded at "
                "start, so stop and probes still find it when the file is gone.  With "
                "libvirtd down, the hypervisor itself is asked (a local QEMU domain's qemu "
                "process); stop succeeds only once nothing of the domain runs.  A steady "
                "monitor starts no process.",
    .params = vd_params,
    .nparams = RA_NELEM(vd_params),
    .actions = vd_actions,
    .nactions = RA_NELEM(vd_actions),
    .validate = vd_validate,
    .data_size = sizeof(struct vm),
};

static const struct ra_agent xen_agent = {
    .name = "Xen",
    .version = "1.0",
    .shortdesc = "Manages Xen unprivileged domains (DomUs)",
    .longdesc = "One Xen domU, from its xm or xl configuration file, through libvirt's libxl "
                "driver in-process (no xl or xm).  Without libvirtd, xenstore says whether "
                "the domain runs; stop succeeds only once it does not.",
    .params = xen_params,
    .nparams = RA_NELEM(xen_params),
    .actions = xen_actions,
    .nactions = RA_NELEM(xen_actions),
    .validate = vd_validate,
    .data_size = sizeof(struct vm),
};

int
main(int argc, char **argv)
{
    return ra_main(ra_called_as(argc, argv, "Xen") ? &xen_agent : &vd_agent, argc, argv);
}
