/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:LVM-activate: one LVM volume group, or one logical volume of
 * it, active on this node; a drop-in for ocf:heartbeat:LVM-activate.  Called
 * as LVM, the older ocf:heartbeat:LVM (volgrpname, exclusive), the agent of
 * heartbeat-era configurations ("LVM::vg0" in haresources).
 *
 * Changes go through LVM's own tools (vgs, lvs, vgchange, lvchange), which own
 * the metadata, as an argv under the operation's deadline, never a shell.
 * monitor and probes start no process: the state is device-mapper's, read
 * from sysfs (lib/dm.c).
 *
 * Is it ours?  A device-mapper device is the VG's by its dm uuid,
 * "LVM-<vg uuid><lv uuid>", recorded at start with the set of devices the
 * activation made; without a record (a probe after a reboot) by LVM's dm
 * name "VG-LV" with an "LVM-" uuid.  monitor is 0 only while every recorded
 * device is there and not suspended; some of them is a failure naming the
 * missing ones; none is "not running".  Stop deactivates, then succeeds only
 * once no device of the VG (or LV) is left, and otherwise names the holder
 * (a mount, a device stacked on it, swap, a process).
 *
 * system_id: a VG whose system ID is another host's is taken over only when
 * Pacemaker says that node has left the cluster (crm_node -l: "lost"); an
 * owner alive, or unknown, refuses the start.  tagging: our tag on the VG,
 * every other removed, activation through volume_list=["@tag"] (this keeps
 * the VG from activating at boot; it is no lock between running nodes).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "agent.h"
#include "dm.h"
#include "mount.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

/* LVM's own name rules: [A-Za-z0-9+_.-], not starting with '-', not "." or "..". */
static bool
valid_lvm_name(const char *v, const char **why)
{
    if (strlen(v) > 127 || v[0] == '-' || strcmp(v, ".") == 0 || strcmp(v, "..") == 0 ||
        strspn(v, "+_.-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be an LVM name (letters, digits and +_.-, not starting with -)";
        return false;
    }
    return true;
}

static bool
valid_tag(const char *v, const char **why)
{
    if (v[0] == '\0' || v[0] == '-' || strlen(v) > 1024 ||
        strspn(v, "+_.-/=!:&#0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be an LVM tag (letters, digits and +_.-/=!:&#)";
        return false;
    }
    return true;
}

static const char *const access_modes[] = { "lvmlockd", "clvmd", "system_id", "tagging", NULL };
static const char *const activation_modes[] = { "exclusive", "shared", NULL };

enum {
    M_LVMLOCKD,
    M_CLVMD,
    M_SYSTEM_ID,
    M_TAGGING,
    M_PLAIN,
    M_NONE
};

static const struct ra_param activate_params[] = {
    { .name = "vgname",
      .type = RA_T_STRING,
      .def = "",
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .valid = valid_lvm_name,
      .shortdesc = "The volume group name",
      .longdesc = "The volume group to activate." },
    { .name = "lvname",
      .type = RA_T_STRING,
      .def = "",
      .flags = RA_P_IDENTITY,
      .valid = valid_lvm_name,
      .shortdesc = "Only activate the given LV",
      .longdesc = "One logical volume of the group; empty activates all of them." },
    { .name = "vg_access_mode",
      .type = RA_T_ENUM,
      .def = "",
      .flags = RA_P_REQUIRED,
      .values = access_modes,
      .ocf_type = "string",
      .shortdesc = "The VG access mode",
      .longdesc = "How the VG is kept from being active on two nodes: lvmlockd, clvmd, "
                  "system_id or tagging." },
    { .name = "activation_mode",
      .type = RA_T_ENUM,
      .def = "exclusive",
      .values = activation_modes,
      .ocf_type = "string",
      .shortdesc = "Logical volume activation mode",
      .longdesc = "exclusive, or shared (lvmlockd and clvmd only)." },
    { .name = "tag",
      .type = RA_T_STRING,
      .def = "pacemaker",
      .valid = valid_tag,
      .shortdesc = "The tag used for tagging activation mode",
      .longdesc = "The tag put on the VG in tagging mode." },
    { .name = "partial_activation",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Activate VG partially when missing PVs",
      .longdesc = "Activate even with physical volumes missing (--partial)." },
    { .name = "degraded_activation",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Activate RAID LVs in degraded mode",
      .longdesc = "Activate RAID LVs with legs missing (--activationmode degraded)." },
};

static const struct ra_param lvm_params[] = {
    { .name = "volgrpname",
      .type = RA_T_STRING,
      .def = "",
      .flags = RA_P_REQUIRED | RA_P_UNIQUE | RA_P_IDENTITY,
      .valid = valid_lvm_name,
      .shortdesc = "Volume group name",
      .longdesc = "The volume group to activate." },
    { .name = "exclusive",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Exclusive activation",
      .longdesc = "Activate on one node only: through clvmd for a clustered VG, else by tag." },
    { .name = "tag",
      .type = RA_T_STRING,
      .def = "pacemaker",
      .valid = valid_tag,
      .shortdesc = "Exclusive activation tag",
      .longdesc = "The tag put on the VG for exclusive activation without clvmd." },
    { .name = "partial_activation",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Activate VG even with partial PV's",
      .longdesc = "Activate even with physical volumes missing (--partial)." },
};

#define REC_MAX 256

struct lvmconf {
    bool old;       /* called as LVM */
    const char *vg; /* vgname or volgrpname */
    const char *lv; /* NULL for the whole VG */
    int mode;       /* M_* */
    bool shared;    /* activation_mode=shared */
    char vgid[40];  /* the VG's uuid without dashes, once known */
    size_t nrec;    /* recorded dm devices: uuid and name */
    char rec[REC_MAX][132];
    char recname[REC_MAX][64];
};

static int
lvm_validate(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    const char *a = ra_ctx_action(ctx);

    c->old = strcmp(ctx->agent->name, "LVM") == 0;
    c->vg = ra_str0(ctx, c->old ? "volgrpname" : "vgname");
    c->lv = c->old || ra_str0(ctx, "lvname")[0] == '\0' ? NULL : ra_str0(ctx, "lvname");
    if (c->old) {
        c->mode = ra_bool(ctx, "exclusive") ? M_TAGGING : M_PLAIN; /* clvm decided at start */
        if (ra_bool(ctx, "exclusive") && ra_env_meta("clone_max") != NULL &&
            strcmp(a, "stop") != 0 && !ra_is_probe(ctx)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "exclusive=true cannot be cloned");
        }
        return OCF_SUCCESS;
    }
    c->mode = ra_given(ctx, "vg_access_mode") ? (int)ra_int(ctx, "vg_access_mode") : M_NONE;
    c->shared = ra_str0(ctx, "activation_mode")[0] == 's';
    if (strcmp(a, "stop") == 0 || ra_is_probe(ctx) || strcmp(a, "monitor") == 0) {
        return OCF_SUCCESS; /* a bad mode cannot hide what is active */
    }
    if (c->mode == M_NONE) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "vg_access_mode must be lvmlockd, clvmd, system_id or tagging");
    }
    if (c->shared && c->mode != M_LVMLOCKD && c->mode != M_CLVMD) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "activation_mode=shared needs vg_access_mode lvmlockd or clvmd");
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ device-mapper state */

static void
rec_path(const struct ra_ctx *ctx, char *buf, size_t cap)
{
    if (ra_ctx_state_path(ctx, ".lvm", buf, cap) < 0) {
        buf[0] = '\0';
    }
}

/* The record of start: "vg UUID" then one "dm UUID" a line.  0, or -errno. */
static int
rec_load(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    char path[4096], buf[REC_MAX * 140];
    int r;

    c->nrec = 0;
    rec_path(ctx, path, sizeof(path));
    if (path[0] == '\0') {
        return -ENAMETOOLONG;
    }
    r = ra_state_read(path, buf, sizeof(buf));
    if (r < 0) {
        return r;
    }
    for (char *l = buf, *nl; *l != '\0'; l = nl + 1) {
        nl = strchr(l, '\n');
        if (nl == NULL) {
            break;
        }
        *nl = '\0';
        if (strncmp(l, "vg ", 3) == 0 && strlen(l + 3) < sizeof(c->vgid)) {
            memcpy(c->vgid, l + 3, strlen(l + 3) + 1);
        } else if (strncmp(l, "dm LVM-", 7) == 0 && c->nrec < REC_MAX) {
            char *sp = strchr(l + 3, ' ');
            size_t ulen = sp ? (size_t)(sp - (l + 3)) : strlen(l + 3);

            if (ulen < sizeof(c->rec[0])) {
                memcpy(c->rec[c->nrec], l + 3, ulen);
                c->rec[c->nrec][ulen] = '\0';
                ra_format_cut(c->recname[c->nrec], sizeof(c->recname[0]), "%s", sp ? sp + 1 : "?");
                c->nrec++;
            }
        }
    }
    return c->vgid[0] != '\0' ? 0 : -EBADMSG;
}

/* Is @d a device of this VG (or LV)?  By uuid once the VG's uuid is known, else by name. */
static bool
is_ours(const struct lvmconf *c, const struct ra_dm_dev *d)
{
    char vg[256], lv[256];
    const char *layer;

    if (strncmp(d->uuid, "LVM-", 4) != 0) {
        return false;
    }
    if (c->vgid[0] != '\0' && strncmp(d->uuid + 4, c->vgid, 32) == 0) {
        if (c->lv == NULL) {
            return true;
        }
        for (size_t i = 0; i < c->nrec; i++) {
            if (strncmp(d->uuid, c->rec[i], 68) == 0) {
                return true; /* the LV, or a layer of it */
            }
        }
    }
    /* by name: a probe without a record, or a device made since */
    return ra_dm_lvm_split(d->name, vg, sizeof(vg), lv, sizeof(lv), &layer) &&
           strcmp(vg, c->vg) == 0 && (c->lv == NULL || strcmp(lv, c->lv) == 0);
}

static const struct ra_dm_dev *
find_uuid(const struct ra_dm_devs *d, const char *uuid)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strcmp(d->v[i].uuid, uuid) == 0) {
            return &d->v[i];
        }
    }
    return NULL;
}

/* Record the VG's uuid and every device of ours now active. */
static void
rec_save(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    struct lvmconf *c = ctx->data;
    char path[4096], buf[REC_MAX * 140];
    size_t len = 0;

    rec_path(ctx, path, sizeof(path));
    bool fits = ra_format(buf, sizeof(buf), "vg %s\n", c->vgid) == 0;

    for (size_t i = 0; i < d->n && fits; i++) {
        len = strlen(buf);
        if (is_ours(c, &d->v[i])) {
            fits = ra_format(buf + len, sizeof(buf) - len, "dm %s %s\n", d->v[i].uuid,
                             d->v[i].name) == 0;
        }
    }
    len = strlen(buf);
    if (path[0] == '\0' || !fits || ra_state_write(path, buf, len) < 0) {
        ra_warn(ctx, "cannot record the devices of %s: monitor will go by their names", c->vg);
    }
}

static int
dm_read(struct ra_ctx *ctx, struct ra_dm_devs *d)
{
    int r = ra_dm_list(d);

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read device-mapper's state: %s", strerror(-r));
    }
    return OCF_SUCCESS;
}

/* Read from each active device (OCF_CHECK_LEVEL 10): a dead PV under it fails. */
static int
read_check(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    const struct lvmconf *c = ctx->data;

    for (size_t i = 0; i < d->n; i++) {
        char node[64], byte;
        int fd;

        if (!is_ours(c, &d->v[i]) ||
            ra_dev_node(d->v[i].major, d->v[i].minor, node, sizeof(node)) < 0) {
            continue;
        }
        fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0 || pread(fd, &byte, 1, 0) != 1) {
            int e = errno;

            if (fd >= 0) {
                close(fd);
            }
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read %s (%s): %s", d->v[i].name, node,
                           strerror(e));
        }
        close(fd);
    }
    return OCF_SUCCESS;
}

static int
lvm_monitor(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    size_t present = 0, n_ours = 0;
    char missing[300] = "";
    int rc;

    (void)rec_load(ctx); /* none: by name */
    rc = dm_read(ctx, &d);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    for (size_t i = 0; i < d.n; i++) {
        if (is_ours(c, &d.v[i])) {
            n_ours++;
            if (d.v[i].suspended) {
                rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is suspended", d.v[i].name);
            }
        }
    }
    for (size_t i = 0; i < c->nrec; i++) {
        if (find_uuid(&d, c->rec[i]) != NULL) {
            present++;
        } else {
            size_t len = strlen(missing);

            ra_format_cut(missing + len, sizeof(missing) - len, "%s%s", len ? ", " : "",
                          c->recname[i]);
        }
    }
    if (rc == OCF_SUCCESS && n_ours == 0) {
        /* nothing of it is active: that is sure, and OCF's 7 (the shell LVM-activate says 1
         * on a recurring monitor; Pacemaker recovers from either) */
        rc = OCF_NOT_RUNNING;
    } else if (rc == OCF_SUCCESS && present < c->nrec) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC,
                     "%s is only partly active: %zu of the %zu devices of its start are gone "
                     "(%s)",
                     c->vg, c->nrec - present, c->nrec, missing);
    }
    if (rc == OCF_SUCCESS && ra_check_level(ctx) >= 10) {
        rc = read_check(ctx, &d);
    }
    ra_dm_release(&d);
    return rc;
}

/* ------------------------------------------------------------ LVM's tools */

/* KEY='value' from LVM's --nameprefixes output, starting at @from; the line's end or NULL. */
static bool
field(const char *line, const char *key, char *buf, size_t cap)
{
    const char *p = line;
    size_t klen = strlen(key);

    while ((p = strstr(p, key)) != NULL) {
        if ((p == line || p[-1] == ' ') && strncmp(p + klen, "='", 2) == 0) {
            const char *v = p + klen + 2, *end = strchr(v, '\'');

            if (end == NULL || (size_t)(end - v) >= cap) {
                return false;
            }
            memcpy(buf, v, (size_t)(end - v));
            buf[end - v] = '\0';
            return true;
        }
        p += klen;
    }
    return false;
}

static void
strip_dashes(const char *in, char *out, size_t cap)
{
    size_t n = 0;

    for (; *in != '\0' && n + 1 < cap; in++) {
        if (*in != '-') {
            out[n++] = *in;
        }
    }
    out[n] = '\0';
}

struct vginfo {
    char systemid[256], tags[1024], lock_type[32], attr[16];
    long long missing;
};

/* vgs about our VG (--foreign: also when another host owns it). */
static int
vg_info(struct ra_ctx *ctx, struct vginfo *vi)
{
    struct lvmconf *c = ctx->data;
    const char *args[] = { "--foreign",
                           "--noheadings",
                           "--nameprefixes",
                           "-o",
                           "vg_uuid,vg_systemid,vg_tags,vg_lock_type,vg_attr,vg_missing_pv_count",
                           c->vg,
                           NULL };
    char *out = NULL, uuid[64], missing[32];
    int code = ra_run_tool(ctx, "vgs", args, &out);

    memset(vi, 0, sizeof(*vi));
    if (code != 0 || out == NULL || !field(out, "LVM2_VG_UUID", uuid, sizeof(uuid))) {
        free(out);
        return ctx->reason[0] != '\0'
                   ? OCF_ERR_INSTALLED
                   : ra_fail(ctx, OCF_ERR_GENERIC, "volume group %s is not visible here", c->vg);
    }
    strip_dashes(uuid, c->vgid, sizeof(c->vgid));
    (void)field(out, "LVM2_VG_SYSTEMID", vi->systemid, sizeof(vi->systemid));
    (void)field(out, "LVM2_VG_TAGS", vi->tags, sizeof(vi->tags));
    (void)field(out, "LVM2_VG_LOCK_TYPE", vi->lock_type, sizeof(vi->lock_type));
    (void)field(out, "LVM2_VG_ATTR", vi->attr, sizeof(vi->attr));
    if (!field(out, "LVM2_VG_MISSING_PV_COUNT", missing, sizeof(missing)) ||
        ra_parse_int(missing, 0, 100000, &vi->missing) < 0) {
        vi->missing = 0;
    }
    free(out);
    return OCF_SUCCESS;
}

/* This host's LVM system ID ("" when it has none). */
static void
host_systemid(struct ra_ctx *ctx, char *buf, size_t cap)
{
    const char *args[] = { "systemid", NULL };
    char *out = NULL, *p;

    buf[0] = '\0';
    if (ra_run_tool(ctx, "lvm", args, &out) == 0 && out != NULL &&
        (p = strstr(out, "system ID:")) != NULL) {
        p += strlen("system ID:");
        p += strspn(p, " \t");
        p[strcspn(p, " \t\n")] = '\0';
        if (strlen(p) < cap) {
            memcpy(buf, p, strlen(p) + 1);
        }
    }
    free(out);
}

/* Has node @name left the cluster, as Pacemaker sees it?  Unknown is no. */
static bool
node_lost(struct ra_ctx *ctx, const char *name)
{
    const char *args[] = { "-l", NULL };
    char *out = NULL;
    bool lost = false;

    if (ra_run_tool(ctx, "crm_node", args, &out) == 0 && out != NULL) {
        for (char *l = out, *nl; *l != '\0' && !lost; l = nl + 1) {
            char id[32], node[256], state[32];

            nl = strchr(l, '\n');
            if (nl == NULL) {
                nl = l + strlen(l) - 1;
            } else {
                *nl = '\0';
            }
            lost = sscanf(l, "%31s %255s %31s", id, node, state) == 3 && strcmp(node, name) == 0 &&
                   strcmp(state, "lost") == 0;
            if (nl[1] == '\0') {
                break;
            }
        }
    }
    free(out);
    ctx->reason[0] = '\0';
    return lost;
}

/* VG, or VG/LV, as LVM's commands take it. */
static const char *
target(const struct lvmconf *c, char *buf, size_t cap)
{
    if (c->lv == NULL) {
        return c->vg;
    }
    return ra_format(buf, cap, "%s/%s", c->vg, c->lv) == 0 ? buf : c->vg;
}

static int
tool(struct ra_ctx *ctx, const char *name, const char *const *args, const char *what)
{
    int code = ra_run_tool(ctx, name, args, NULL);

    if (code != 0 && ctx->reason[0] == '\0') {
        ra_fail(ctx, OCF_ERR_GENERIC, "%s failed (%s %s)", what, name, args[0]);
    }
    return code;
}

/* Our tag on the VG, and no other (tagging mode). */
static int
set_tags(struct ra_ctx *ctx, const struct vginfo *vi)
{
    const struct lvmconf *c = ctx->data;
    const char *tag = ra_str(ctx, "tag");
    const char *args[] = { "--deltag", NULL, c->vg, NULL };
    char tags[sizeof(vi->tags)];
    bool have = false;

    memcpy(tags, vi->tags, sizeof(tags));
    for (char *t = tags, *comma; *t != '\0'; t = comma + 1) {
        comma = strchr(t, ',');
        if (comma != NULL) {
            *comma = '\0';
        }
        if (strcmp(t, tag) == 0) {
            have = true;
        } else if (*t != '\0') {
            args[1] = t;
            if (tool(ctx, "vgchange", args, "removing another node's tag") != 0) {
                return OCF_ERR_GENERIC;
            }
        }
        if (comma == NULL) {
            break;
        }
    }
    args[0] = "--addtag";
    args[1] = tag;
    return have || tool(ctx, "vgchange", args, "tagging the volume group") == 0 ? OCF_SUCCESS
                                                                                : OCF_ERR_GENERIC;
}

/* system_id: the VG is ours, or its owner has left the cluster and we take it. */
static int
claim_systemid(struct ra_ctx *ctx, const struct vginfo *vi)
{
    const struct lvmconf *c = ctx->data;
    char mine[256], extra[400];
    struct vginfo after;
    int rc;

    host_systemid(ctx, mine, sizeof(mine));
    if (mine[0] == '\0') {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "this host has no LVM system ID (set global/system_id_source in lvm.conf)");
    }
    if (vi->systemid[0] == '\0') {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "volume group %s has no system ID: vg_access_mode=system_id needs one",
                       c->vg);
    }
    if (strcmp(vi->systemid, mine) == 0) {
        return OCF_SUCCESS;
    }
    if (!node_lost(ctx, vi->systemid)) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "volume group %s belongs to system ID %s, which the cluster does not "
                       "know to have left: not taking it",
                       c->vg, vi->systemid);
    }
    if (ra_format(extra, sizeof(extra), "local/extra_system_ids=[\"%s\"]", vi->systemid) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "system ID too long");
    }
    {
        const char *args[] = { "-y", "--config", extra, "--systemid", mine, c->vg, NULL };

        if (tool(ctx, "vgchange", args, "taking over the volume group") != 0) {
            return OCF_ERR_GENERIC;
        }
    }
    rc = vg_info(ctx, &after);
    if (rc == OCF_SUCCESS && strcmp(after.systemid, mine) != 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s still has system ID %s after the takeover", c->vg,
                     after.systemid);
    }
    if (rc == OCF_SUCCESS) {
        ra_info(ctx, "took %s over from %s, which left the cluster", c->vg, vi->systemid);
    }
    return rc;
}

/* The LVs lvm lists (visible ones), each of which must have its device now. */
static int
verify_active(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    struct lvmconf *c = ctx->data;
    char t[300], *out = NULL, notup[300] = "";
    const char *args[] = { "--noheadings",    "--nameprefixes",        "-o",
                           "lv_uuid,lv_name", target(c, t, sizeof(t)), NULL };
    int rc = OCF_SUCCESS;

    if (ra_run_tool(ctx, "lvs", args, &out) != 0 || out == NULL) {
        free(out);
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot list the LVs of %s", c->vg);
    }
    for (char *l = out, *nl; l != NULL && *l != '\0'; l = nl ? nl + 1 : NULL) {
        char uuid[64], name[256], want[140];

        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl = '\0';
        }
        if (!field(l, "LVM2_LV_UUID", uuid, sizeof(uuid)) ||
            !field(l, "LVM2_LV_NAME", name, sizeof(name))) {
            continue;
        }
        strip_dashes(uuid, want + 4 + 32, sizeof(want) - 36);
        memcpy(want, "LVM-", 4);
        memcpy(want + 4, c->vgid, 32);
        if (c->lv != NULL && c->nrec == 0) {
            memcpy(c->rec[c->nrec++], want, strlen(want) + 1); /* the LV's own uuid */
        }
        if (find_uuid(d, want) == NULL) {
            size_t len = strlen(notup);

            ra_format_cut(notup + len, sizeof(notup) - len, "%s%s", len ? ", " : "", name);
            rc = OCF_ERR_GENERIC;
        }
    }
    free(out);
    return rc == OCF_SUCCESS ? rc : ra_fail(ctx, rc, "not active after start: %s", notup);
}

static int
lvm_start(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    struct vginfo vi;
    struct ra_dm_devs d;
    char t[300];
    const char *args[12];
    size_t n = 0;
    int rc;

    rc = vg_info(ctx, &vi);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (vi.missing > 0 && !ra_bool(ctx, "partial_activation") &&
        !(ra_has_param(ctx, "degraded_activation") && ra_bool(ctx, "degraded_activation"))) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "%s misses %lld physical volume(s) (see partial_activation)", c->vg,
                       vi.missing);
    }
    if (c->old && c->mode == M_TAGGING && vi.attr[5] == 'c') {
        c->mode = M_CLVMD; /* LVM: exclusive on a clustered VG goes through clvmd */
    }
    if (!c->old) {
        bool locked = strcmp(vi.lock_type, "dlm") == 0 || strcmp(vi.lock_type, "sanlock") == 0;

        if ((c->mode == M_LVMLOCKD) != locked) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "vg_access_mode=%s, but %s's lock type is '%s'",
                           ra_str(ctx, "vg_access_mode"), c->vg, vi.lock_type);
        }
    }
    switch (c->mode) {
    case M_SYSTEM_ID:
        rc = claim_systemid(ctx, &vi);
        break;
    case M_TAGGING:
        rc = set_tags(ctx, &vi);
        break;
    case M_LVMLOCKD: {
        const char *ls[] = { "--lockstart", c->vg, NULL };

        rc = tool(ctx, "vgchange", ls, "starting the VG's lockspace") == 0 ? OCF_SUCCESS
                                                                           : OCF_ERR_GENERIC;
        break;
    }
    default:
        break;
    }
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* the anchors' commands: LVM-activate uses lvchange, LVM vgchange with -aly */
    args[n++] = c->old                                        ? "-aly"
                : c->mode == M_LVMLOCKD || c->mode == M_CLVMD ? (c->shared ? "-asy" : "-aey")
                                                              : "-ay";
    if (c->old && c->mode == M_CLVMD) {
        args[0] = "-aey";
    }
    if (ra_bool(ctx, "partial_activation")) {
        args[n++] = "--partial";
    }
    if (ra_has_param(ctx, "degraded_activation") && ra_bool(ctx, "degraded_activation")) {
        args[n++] = "--activationmode";
        args[n++] = "degraded";
    }
    {
        char vl[1200];

        if (c->mode == M_TAGGING && ra_format(vl, sizeof(vl), "activation{volume_list=[\"@%s\"]}",
                                              ra_str(ctx, "tag")) == 0) {
            args[n++] = "--config";
            args[n++] = vl;
        }
        if (c->old && ra_env_meta("clone_max") != NULL) {
            args[n++] = "--monitor";
            args[n++] = "y";
        }
        args[n++] = target(c, t, sizeof(t));
        args[n] = NULL;
        if (tool(ctx, c->old ? "vgchange" : "lvchange", args, "activation") != 0) {
            return OCF_ERR_GENERIC;
        }
    }
    rc = dm_read(ctx, &d);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    rc = verify_active(ctx, &d);
    if (rc == OCF_SUCCESS) {
        rec_save(ctx, &d);
    }
    ra_dm_release(&d);
    return rc;
}

/* The devices of ours still there, and what holds the first (for the reason). */
static size_t
left(struct ra_ctx *ctx, char *what, size_t cap)
{
    const struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    size_t n = 0;

    what[0] = '\0';
    if (ra_dm_list(&d) < 0) {
        ra_format_cut(what, cap, "device-mapper's state cannot be read");
        return 1;
    }
    for (size_t i = 0; i < d.n; i++) {
        if (is_ours(c, &d.v[i]) && n++ == 0) {
            char h[300];

            ra_format_cut(
                what, cap, "%s (%u:%u) %s", d.v[i].name, d.v[i].major, d.v[i].minor,
                ra_dev_holders(makedev(d.v[i].major, d.v[i].minor), d.v[i].sysname, h, sizeof(h)));
        }
    }
    ra_dm_release(&d);
    return n;
}

static int
lvm_stop(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    char what[600], t[300], vl[1200];
    const char *args[6];
    size_t n = 0;
    bool tagged = c->mode == M_TAGGING, was = false;

    (void)rec_load(ctx);
    if (left(ctx, what, sizeof(what)) > 0) {
        was = true;
        args[n++] = c->old ? "-aln" : "-an";
        if (tagged && !c->old &&
            ra_format(vl, sizeof(vl), "activation{volume_list=[\"@%s\"]}", ra_str(ctx, "tag")) ==
                0) {
            args[n++] = "--config";
            args[n++] = vl;
        }
        args[n++] = target(c, t, sizeof(t));
        args[n] = NULL;
        while (left(ctx, what, sizeof(what)) > 0) {
            (void)ra_run_tool(ctx, c->old ? "vgchange" : "lvchange", args, NULL);
            if (left(ctx, what, sizeof(what)) == 0) {
                break;
            }
            if (ra_deadline_sleep(&ctx->deadline, 500) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "still active: %s", what);
            }
        }
    }
    ctx->reason[0] = '\0';
    if (c->mode == M_LVMLOCKD && was) {
        const char *ls[] = { "--lockstop", c->vg, NULL };

        if (tool(ctx, "vgchange", ls, "stopping the VG's lockspace") != 0) {
            return OCF_ERR_GENERIC;
        }
    }
    if (tagged && was) {
        const char *dt[] = { "--deltag", ra_str(ctx, "tag"), c->vg, NULL };

        if (ra_run_tool(ctx, "vgchange", dt, NULL) != 0) {
            ra_warn(ctx, "cannot remove tag %s from %s", ra_str(ctx, "tag"), c->vg);
        }
        ctx->reason[0] = '\0';
    }
    {
        char path[4096];

        rec_path(ctx, path, sizeof(path));
        if (path[0] != '\0' && ra_state_remove(path) < 0) {
            ra_debug(ctx, "cannot remove %s", path);
        }
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ the two names */

static const struct ra_action activate_actions[] = {
    { .name = "start", .fn = lvm_start, .timeout_s = 90 },
    { .name = "stop", .fn = lvm_stop, .timeout_s = 90 },
    { .name = "monitor", .fn = lvm_monitor, .timeout_s = 90, .interval_s = 30 },
    { .name = "meta-data", .timeout_s = 10 },
    { .name = "validate-all", .timeout_s = 20 },
};

static const struct ra_agent activate_agent = {
    .name = "LVM-activate",
    .shortdesc = "This agent activates/deactivates logical volumes.",
    .longdesc = "Activates a volume group, or one logical volume of it, through LVM's tools; "
                "monitor reads device-mapper's state (no lvm command).  vg_access_mode says "
                "how the VG is kept from two nodes: lvmlockd, clvmd, system_id (a VG owned "
                "by another host is taken only once the cluster says it left) or tagging.",
    .params = activate_params,
    .nparams = RA_NELEM(activate_params),
    .actions = activate_actions,
    .nactions = RA_NELEM(activate_actions),
    .validate = lvm_validate,
    .data_size = sizeof(struct lvmconf),
};

static const struct ra_action lvm_actions[] = {
    { .name = "start", .fn = lvm_start, .timeout_s = 30 },
    { .name = "stop", .fn = lvm_stop, .timeout_s = 30 },
    { .name = "status", .fn = lvm_monitor, .timeout_s = 30 },
    { .name = "monitor", .fn = lvm_monitor, .timeout_s = 30, .interval_s = 10 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 5 },
};

static const char *const lvm_positional[] = { "volgrpname", NULL };

static const struct ra_agent lvm_agent = {
    .name = "LVM",
    .shortdesc = "Controls the availability of an LVM Volume Group",
    .longdesc = "Activates a whole volume group (heartbeat's LVM::vg): through clvmd or a tag "
                "with exclusive=true.  monitor reads device-mapper's state.",
    .params = lvm_params,
    .nparams = RA_NELEM(lvm_params),
    .actions = lvm_actions,
    .nactions = RA_NELEM(lvm_actions),
    .validate = lvm_validate,
    .data_size = sizeof(struct lvmconf),
    .positional = lvm_positional,
};

int
main(int argc, char **argv)
{
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
    const char *me = slash ? slash + 1 : (argc > 0 ? argv[0] : "");

    return ra_main(strcmp(me, "LVM") == 0 ? &lvm_agent : &activate_agent, argc, argv);
}
