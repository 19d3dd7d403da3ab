/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual machines: libvirt's C API, loaded with dlopen() by the first
 * connection (meta-data and validate-all never pay for its fifty libraries),
 * and what can be proven of a domain when the daemon is not there.
 *
 * Every libvirt call blocks, and libvirt's client has no timeout of its own:
 * a guard thread watches the operation's deadline.  When it passes, the guard
 * aborts a migration that is under way (on a connection of its own), and if
 * the call still has not returned a moment later it ends the process with
 * OCF_ERR_GENERIC and a reason: an answer within the timeout, never a hang
 * that Pacemaker must kill.
 *
 * Without the daemon (libvirtd stopped: its socket missing or refusing), the
 * hypervisor itself is asked: a local QEMU domain is a qemu process whose
 * command line carries the domain's UUID (or, with none known, its name); a
 * Xen domain is an entry under /local/domain in xenstore, read over
 * xenstored's socket.  Anything else cannot be told.
 */
#ifndef RA_VIRT_H
#define RA_VIRT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"

/* A domain's identity: its name, and its UUID when known ("" otherwise). */
struct ra_vm_id {
    char name[256];
    char uuid[37];
};

enum ra_vm_state {
    RA_VM_ABSENT,   /* no such domain on this hypervisor */
    RA_VM_OFF,      /* defined, not running */
    RA_VM_RUNNING,  /* running, idle or blocked */
    RA_VM_PAUSED,   /* paused (by a user, an I/O error, a migration) */
    RA_VM_SHUTDOWN, /* shutting down */
    RA_VM_CRASHED,
    RA_VM_PMSUSPENDED,
    RA_VM_NOSTATE, /* the hypervisor has no state for it (yet) */
};

const char *ra_vm_state_name(enum ra_vm_state s);

struct ra_virt;

/* ra_virt_open's answer when the daemon cannot be reached at all */
#define RA_VIRT_DOWN 1

/*
 * Connect to @uri (NULL: libvirt's default) within @deadline.  0 with *@ret; RA_VIRT_DOWN
 * when the daemon is not there (its socket missing or refusing); -1 for any other failure.
 * @why gets the message either way.
 */
int ra_virt_open(const char *uri, const struct ra_deadline *deadline, struct ra_virt **ret,
                 char *why, size_t cap) __attribute__((warn_unused_result));
void ra_virt_close(struct ra_virt *v);

/* The last libvirt error of this connection, one line ("" if none). */
const char *ra_virt_error(const struct ra_virt *v);

/* The connection's canonical URI (libvirt's own spelling), or "" */
const char *ra_virt_uri(const struct ra_virt *v);

/*
 * The state of domain @id: by UUID when it has one (a domain of the same name but
 * another UUID is not this one: RA_VM_ABSENT), else by name.  0 with *@st (and
 * @reason, libvirt's reason code, when not NULL), -1 when the hypervisor could not say.
 * With @persistent, whether it is defined (not only running).
 */
int ra_virt_state(struct ra_virt *v, const struct ra_vm_id *id, enum ra_vm_state *st, int *reason,
                  bool *persistent) __attribute__((warn_unused_result));

/* Fill in @id's UUID from the running or defined domain of its name: 0, 1 absent, -1 error. */
int ra_virt_learn_uuid(struct ra_virt *v, struct ra_vm_id *id) __attribute__((warn_unused_result));

/* Virtual CPUs and maximum memory (KiB) of domain @id: 0 or -1. */
int ra_virt_info(struct ra_virt *v, const struct ra_vm_id *id, unsigned *vcpus,
                 unsigned long long *max_kib) __attribute__((warn_unused_result));

/* Start a transient domain from @xml: 0 (its UUID into @id) or -1. */
int ra_virt_create(struct ra_virt *v, const char *xml, struct ra_vm_id *id)
    __attribute__((warn_unused_result));
/* Define a persistent domain from @xml: 0 (its UUID into @id) or -1. */
int ra_virt_define(struct ra_virt *v, const char *xml, struct ra_vm_id *id)
    __attribute__((warn_unused_result));
/* Start the defined domain @id: 0 or -1. */
int ra_virt_start(struct ra_virt *v, const struct ra_vm_id *id) __attribute__((warn_unused_result));
/* Forget the persistent definition of @id (the domain keeps running if it runs). 0 or -1. */
int ra_virt_undefine(struct ra_virt *v, const struct ra_vm_id *id)
    __attribute__((warn_unused_result));
/* Restore a domain saved with ra_virt_save: 0 or -1. */
int ra_virt_restore(struct ra_virt *v, const char *file) __attribute__((warn_unused_result));
/* Save @id's memory to @file (the domain stops): 0 or -1. */
int ra_virt_save(struct ra_virt *v, const struct ra_vm_id *id, const char *file)
    __attribute__((warn_unused_result));
/* Ask @id to shut down with libvirt's VIR_DOMAIN_SHUTDOWN_* @flags: 0 or -1. */
int ra_virt_shutdown(struct ra_virt *v, const struct ra_vm_id *id, unsigned flags)
    __attribute__((warn_unused_result));
/* Power @id off at once: 0 (or it was not running) or -1. */
int ra_virt_destroy(struct ra_virt *v, const struct ra_vm_id *id)
    __attribute__((warn_unused_result));
/* Set @id's current memory (KiB): 0 or -1. */
int ra_virt_set_memory(struct ra_virt *v, const struct ra_vm_id *id, unsigned long long kib)
    __attribute__((warn_unused_result));
/* The domain's XML (VIR_DOMAIN_XML_* @flags), malloc'd, or NULL. */
char *ra_virt_xml(struct ra_virt *v, const struct ra_vm_id *id, unsigned flags);
/* Domain XML from a native configuration (@format "xen-xm", "xen-xl"), malloc'd, or NULL. */
char *ra_virt_from_native(struct ra_virt *v, const char *format, const char *text);

/* Host memory (KiB) and the running domains' names (not domain 0), for memory balancing. */
int ra_virt_host_memory(struct ra_virt *v, unsigned long long *total_kib)
    __attribute__((warn_unused_result));
/* The running domains other than Xen's domain 0: @names gets up to @max, *@n their count. */
int ra_virt_running(struct ra_virt *v, struct ra_vm_id *names, size_t max, size_t *n)
    __attribute__((warn_unused_result));

/* Is the network / storage pool @name active (0), made active now (0), or not (-1)? */
int ra_virt_network_up(struct ra_virt *v, const char *name) __attribute__((warn_unused_result));
int ra_virt_pool_up(struct ra_virt *v, const char *name) __attribute__((warn_unused_result));

struct ra_virt_migration {
    const char *dest_uri;             /* the target's libvirt URI */
    const char *migrate_uri;          /* the data channel, or NULL: libvirt's choice */
    unsigned long flags;              /* VIR_MIGRATE_*: LIVE, PEER2PEER, ... */
    unsigned long long bandwidth_mib; /* 0: no limit */
    unsigned long long downtime_ms;   /* 0: the hypervisor's default (a driver without it:
                                         a warning in ra_virt_error, the migration goes on) */

    struct {
        const char *field; /* VIR_MIGRATE_PARAM_* */
        const char *value;
        char type; /* 's' string, 'u' unsigned long long, 'i' int */
    } extra[12];   /* more typed parameters (migrate_options' --dname X, ...) */

    size_t nextra;
};

/*
 * Migrate @id as @m says: the target connection opened here (or, with PEER2PEER, by the
 * source daemon).  The guard aborts the job when the deadline passes.  0 or -1.
 */
int ra_virt_migrate(struct ra_virt *v, const struct ra_vm_id *id, const struct ra_virt_migration *m)
    __attribute__((warn_unused_result));

/*
 * The guard for libvirt calls: armed by ra_virt_open for the deadline given there.
 * @reason_line is what the process prints before it ends itself (one line, with the
 * exit reason prefix): set it before a call that may hang.
 */
void ra_virt_guard_reason(struct ra_virt *v, const char *reason_line);

/* ---- the domain's own description ---- */

/*
 * The name and UUID of the domain XML @xml (the <name> and <uuid> children of the root
 * <domain>): 0, or -EINVAL with a one-line @why.  The offsets of the name's text, for
 * ra_vm_xml_rename, into @name_at/@name_len when not NULL.
 */
int ra_vm_xml_ident(const char *xml, struct ra_vm_id *id, size_t *name_at, size_t *name_len,
                    char *why, size_t cap) __attribute__((warn_unused_result));
/* A copy of @xml whose domain name is @name (malloc'd), or NULL. */
char *ra_vm_xml_rename(const char *xml, const char *name);
/*
 * The names referred to by <source network='...'> and <source pool='...'> in @xml:
 * @fn(kind "network" or "pool", name, data) for each; stops at the first non-zero.
 */
int ra_vm_xml_sources(const char *xml, int (*fn)(const char *kind, const char *name, void *data),
                      void *data);

/*
 * From an xm or xl configuration file's text: its name = and uuid = settings (either may
 * be missing: "").  0, or -EINVAL when the name is not usable (quotes, spaces, %).
 */
int ra_vm_xen_ident(const char *text, struct ra_vm_id *id, char *why, size_t cap)
    __attribute__((warn_unused_result));

/* ---- without the daemon ---- */

/*
 * Does domain @id run here, by the hypervisor's own state?  For a local QEMU URI, the
 * qemu processes (their pids into @pids when not NULL: at most @max, *@npids); for a
 * local Xen URI, xenstore.  1 yes, 0 no, -1 cannot be told (another driver, a remote
 * URI, no xenstored): @why says which.
 */
int ra_vm_runs_here(const char *uri, const struct ra_vm_id *id, const struct ra_deadline *deadline,
                    pid_t *pids, size_t max, size_t *npids, char *why, size_t cap)
    __attribute__((warn_unused_result));

/* ---- a look without libvirt: the daemon's own protocol ---- */

/* ra_virt_peek's answer when only libvirt itself can ask: another transport or host, an
 * authentication other than none or polkit, an answer this reader does not know */
#define RA_VIRT_HAND_OVER 2

struct ra_vm_peek {
    enum ra_vm_state st;
    unsigned vcpus;             /* with @info, when it runs */
    unsigned long long max_kib; /* with @info, when it runs */
};

/*
 * The state of domain @id (and with @info its virtual CPUs and memory), asked of the
 * local libvirt daemon of @uri over its socket in its own RPC protocol: no library
 * loaded, a handful of round trips, every one bound by @deadline.  0 with *@ret;
 * RA_VIRT_DOWN when no daemon listens; RA_VIRT_HAND_OVER (ask through libvirt); -1
 * for an error (@why).
 */
int ra_virt_peek(const char *uri, const struct ra_vm_id *id, bool info,
                 const struct ra_deadline *deadline, struct ra_vm_peek *ret, char *why, size_t cap)
    __attribute__((warn_unused_result));

/* Does @uri name this host's hypervisor of driver @scheme ("qemu", "xen")? */
bool ra_virt_uri_local(const char *uri, const char *scheme);

#endif
