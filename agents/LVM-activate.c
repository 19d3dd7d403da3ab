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
 * system_id: a VG whose system ID is another host's is taken over only under
 * Pacemaker, and only when Pacemaker sees the resource active nowhere else
 * (crm_resource --locate); active elsewhere, unknown, or outside a cluster,
 * the start is refused.  tagging: our tag on the VG,
 * every other removed, activation through volume_list=["@tag"] (this keeps
 * the VG from activating at boot; it is no lock between running nodes).
 */
#include "config.h"

#include <dirent.h>
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

#define REC_MAX 512

struct lvmconf {
    bool old;       /* called as LVM */
    const char *vg; /* vgname or volgrpname */
    const char *lv; /* NULL for the whole VG */
    int mode;       /* M_* */
    bool shared;    /* activation_mode=shared */
    char vgid[40];  /* the VG's uuid without dashes, once known */
    char lvid[40];  /* the LV's, in LV mode */
    size_t nrec;    /* the dm devices start made: uuid and name */
    char rec[REC_MAX][132];
    char recname[REC_MAX][132];
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

/* "VG" or "VG/LV": what a record is for */
static const char *
target(const struct lvmconf *c, char *buf, size_t cap)
{
    if (c->lv == NULL) {
        return c->vg;
    }
    return ra_format(buf, cap, "%s/%s", c->vg, c->lv) == 0 ? buf : c->vg;
}

/*
 * The record of start: "target VG[/LV]", "vg UUID", "lv UUID", one "dm UUID NAME" a
 * device, then "end".  A record for another target, or cut short, is no record (the
 * names decide then).  0, or -errno.
 */
static int
rec_load(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    static char buf[REC_MAX * 280];
    char path[4096], t[300];
    bool mine = false, end = false;
    int r;

    c->nrec = 0;
    c->vgid[0] = c->lvid[0] = '\0';
    rec_path(ctx, path, sizeof(path));
    r = path[0] == '\0' ? -ENAMETOOLONG : ra_state_read(path, buf, sizeof(buf));
    if (r < 0) {
        return r;
    }
    for (char *l = buf, *nl; l != NULL && *l != '\0'; l = nl) {
        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        if (strncmp(l, "target ", 7) == 0) {
            mine = strcmp(l + 7, target(c, t, sizeof(t))) == 0;
        } else if (strncmp(l, "vg ", 3) == 0 && strlen(l + 3) < sizeof(c->vgid)) {
            memcpy(c->vgid, l + 3, strlen(l + 3) + 1);
        } else if (strncmp(l, "lv ", 3) == 0 && strlen(l + 3) < sizeof(c->lvid)) {
            memcpy(c->lvid, l + 3, strlen(l + 3) + 1);
        } else if (strncmp(l, "dm LVM-", 7) == 0 && c->nrec < REC_MAX) {
            char *sp = strchr(l + 3, ' ');
            size_t ulen = sp ? (size_t)(sp - (l + 3)) : strlen(l + 3);

            if (ulen < sizeof(c->rec[0])) {
                memcpy(c->rec[c->nrec], l + 3, ulen);
                c->rec[c->nrec][ulen] = '\0';
                ra_format_cut(c->recname[c->nrec], sizeof(c->recname[0]), "%s", sp ? sp + 1 : "?");
                c->nrec++;
            }
        } else if (strcmp(l, "end") == 0) {
            end = true;
        }
    }
    if (!mine || !end || strlen(c->vgid) != 32 || (c->lv != NULL && strlen(c->lvid) != 32)) {
        c->nrec = 0;
        c->vgid[0] = c->lvid[0] = '\0';
        return -EBADMSG;
    }
    return 0;
}

/* LVM's hidden parts of an LV, named LV_<suffix>: raid images and metadata, mirror
 * legs and log, thin pool data and metadata, cache, VDO, integrity */
static bool
is_sub_lv(const char *name, const char *lv)
{
    static const char *const parts[] = { "rimage_", "rmeta_", "mimage_", "mlog", "tdata", "tmeta",
                                         "cdata",   "cmeta",  "corig",   "cvol", "vdata", "imeta",
                                         "iorig",   "wcorig", "cpool",   NULL };
    size_t n = strlen(lv);

    if (strncmp(name, lv, n) != 0 || name[n] != '_') {
        return false;
    }
    for (size_t i = 0; parts[i] != NULL; i++) {
        if (strncmp(name + n + 1, parts[i], strlen(parts[i])) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Is @d a device of this VG (or LV)?  By uuid once start has recorded it: the VG's
 * prefix, or in LV mode the LV's own uuid (its layers too) and the devices recorded
 * under it.  By LVM's name otherwise, and always as well: a device of that name made
 * since is ours too.
 */
static bool
is_ours(const struct lvmconf *c, const struct ra_dm_dev *d)
{
    char vg[256], lv[256];
    const char *layer;

    if (strncmp(d->uuid, "LVM-", 4) != 0) {
        return false;
    }
    if (c->vgid[0] != '\0' && strncmp(d->uuid + 4, c->vgid, 32) == 0) {
        if (c->lv == NULL || (c->lvid[0] != '\0' && strncmp(d->uuid + 36, c->lvid, 32) == 0)) {
            return true;
        }
        for (size_t i = 0; i < c->nrec; i++) {
            if (strcmp(d->uuid, c->rec[i]) == 0) {
                return true;
            }
        }
    }
    return ra_dm_lvm_split(d->name, vg, sizeof(vg), lv, sizeof(lv), &layer) &&
           strcmp(vg, c->vg) == 0 &&
           (c->lv == NULL || strcmp(lv, c->lv) == 0 || is_sub_lv(lv, c->lv));
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

/* Mark @i and, recursively, the dm devices below it (slaves/) that are the VG's. */
static void
mark_below(const struct lvmconf *c, const struct ra_dm_devs *d, size_t i, bool *mark, int depth)
{
    char path[300];
    DIR *dir;
    struct dirent *e;

    if (mark[i] || depth > 16) {
        return;
    }
    mark[i] = true;
    if (ra_format(path, sizeof(path), "/sys/block/%s/slaves", d->v[i].sysname) < 0 ||
        (dir = opendir(path)) == NULL) {
        return;
    }
    while ((e = readdir(dir)) != NULL) {
        for (size_t k = 0; k < d->n; k++) {
            if (strcmp(d->v[k].sysname, e->d_name) == 0 && strncmp(d->v[k].uuid, "LVM-", 4) == 0 &&
                strncmp(d->v[k].uuid + 4, c->vgid, 32) == 0) {
                mark_below(c, d, k, mark, depth + 1);
            }
        }
    }
    closedir(dir);
}

/* Record what start made: the VG's devices, or the LV's and every device under it. */
static void
rec_save(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    struct lvmconf *c = ctx->data;
    static char buf[REC_MAX * 280];
    char path[4096], t[300];
    bool *mark = calloc(d->n + 1, sizeof(*mark)), fits;
    size_t len, n = 0;

    rec_path(ctx, path, sizeof(path));
    fits = mark != NULL && ra_format(buf, sizeof(buf), "target %s\nvg %s\nlv %s\n",
                                     target(c, t, sizeof(t)), c->vgid, c->lvid) == 0;
    for (size_t i = 0; fits && i < d->n; i++) {
        if (is_ours(c, &d->v[i])) {
            mark_below(c, d, i, mark, 0);
        }
    }
    for (size_t i = 0; fits && i < d->n; i++) {
        len = strlen(buf);
        if (mark[i] && n++ < REC_MAX) {
            fits = ra_format(buf + len, sizeof(buf) - len, "dm %s %s\n", d->v[i].uuid,
                             d->v[i].name) == 0;
        }
    }
    len = strlen(buf);
    fits = fits && n <= REC_MAX && ra_format(buf + len, sizeof(buf) - len, "end\n") == 0;
    free(mark);
    if (path[0] == '\0' || !fits || ra_state_write(path, buf, strlen(buf)) < 0) {
        ra_warn(ctx, "cannot record the devices of %s: monitor will go by their names", c->vg);
        if (path[0] != '\0' && ra_state_remove(path) < 0) {
            ra_debug(ctx, "cannot remove %s", path);
        }
    }
    (void)rec_load(ctx); /* what monitor will see */
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

/* Read from each active device (OCF_CHECK_LEVEL 10), past the page cache: a dead PV under it
 * fails. */
static int
read_check(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    const struct lvmconf *c = ctx->data;
    void *block = NULL;

    if (posix_memalign(&block, 4096, 4096) != 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    for (size_t i = 0; i < d->n; i++) {
        char node[64];
        int fd;

        if (!is_ours(c, &d->v[i]) ||
            ra_dev_node(d->v[i].major, d->v[i].minor, node, sizeof(node)) < 0) {
            continue;
        }
        fd = open(node, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_DIRECT);
        if (fd < 0 || pread(fd, block, 4096, 0) < 0) {
            int e = errno;

            if (fd >= 0) {
                close(fd);
            }
            free(block);
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read %s (%s): %s", d->v[i].name, node,
                           strerror(e));
        }
        close(fd);
    }
    free(block);
    return OCF_SUCCESS;
}

static bool lv_uuid_exists(struct ra_ctx *ctx, const char *lvid, bool *sure);

/*
 * Recorded devices gone: a failure, unless the LV itself is gone (a snapshot removed, a
 * mirror leg converted away: lvs -a says), or it was a layer of an LV whose own device
 * is still there.  Only this rare path runs lvs.  The count of real losses; their names
 * in @missing.
 */
static size_t
lost(struct ra_ctx *ctx, const struct ra_dm_devs *d, char *missing, size_t cap)
{
    struct lvmconf *c = ctx->data;
    size_t n = 0;

    missing[0] = '\0';
    for (size_t i = 0; i < c->nrec; i++) {
        char top[80], lvid[40];
        bool sure = true;

        if (find_uuid(d, c->rec[i]) != NULL) {
            continue;
        }
        ra_format_cut(top, sizeof(top), "%.68s", c->rec[i]);
        ra_format_cut(lvid, sizeof(lvid), "%.32s", c->rec[i] + 36);
        if (strlen(c->rec[i]) > 68 && find_uuid(d, top) != NULL) {
            continue; /* a layer (-real, -cow, -tpool) of an LV that is still active */
        }
        if (!lv_uuid_exists(ctx, lvid, &sure) && sure) {
            continue; /* removed on purpose */
        }
        if (n++ == 0 || strlen(missing) + strlen(c->recname[i]) + 3 < cap) {
            size_t len = strlen(missing);

            ra_format_cut(missing + len, cap - len, "%s%s", len ? ", " : "", c->recname[i]);
        }
    }
    return n;
}

static int
lvm_monitor(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    size_t n_ours = 0, suspended = 0;
    char missing[300] = "", susp[140] = "";
    int rc, tries = 0;

    (void)rec_load(ctx); /* none: by name */
    for (;;) {
        rc = dm_read(ctx, &d);
        if (rc != OCF_SUCCESS) {
            return rc;
        }
        n_ours = suspended = 0;
        for (size_t i = 0; i < d.n; i++) {
            if (is_ours(c, &d.v[i])) {
                n_ours++;
                if (d.v[i].suspended && suspended++ == 0) {
                    ra_format_cut(susp, sizeof(susp), "%s", d.v[i].name);
                }
            }
        }
        /* LVM suspends a device for a moment on every metadata change: look again */
        if (suspended == 0 || ++tries > 10 || ra_deadline_sleep(&ctx->deadline, 300) < 0) {
            break;
        }
        ra_dm_release(&d);
    }
    if (n_ours == 0) {
        rc = OCF_NOT_RUNNING; /* nothing of it is active: that is sure, and OCF's 7 */
    } else if (suspended > 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is suspended", susp);
    } else if (c->nrec > 0 && lost(ctx, &d, missing, sizeof(missing)) > 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is only partly active: %s gone", c->vg, missing);
    } else if (ra_check_level(ctx) >= 10) {
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
        if (ctx->reason[0] != '\0') {
            return strstr(ctx->reason, "not installed") ? OCF_ERR_INSTALLED : OCF_ERR_GENERIC;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "volume group %s is not visible here", c->vg);
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

/*
 * Where does Pacemaker see this resource active, other than here?  The node in @where
 * (true), or "" (false).  Unsure (crm_resource failed) is true: "somewhere".
 */
static bool
active_elsewhere(struct ra_ctx *ctx, char *where, size_t cap)
{
    char rsc[256], me[256], *out = NULL;
    const char *args[] = { "--locate", "--quiet", "--resource", rsc, NULL };
    bool elsewhere = false;

    ra_format_cut(where, cap, "somewhere (crm_resource --locate failed)");
    if (ra_instance_base(ctx, rsc, sizeof(rsc)) < 0 || ra_node_name(ctx, me, sizeof(me)) == NULL ||
        ra_run_tool(ctx, "crm_resource", args, &out) != 0 || out == NULL) {
        free(out);
        ctx->reason[0] = '\0';
        return true;
    }
    where[0] = '\0';
    for (char *l = out, *nl; l != NULL && *l != '\0' && !elsewhere; l = nl) {
        char node[256];

        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        if (sscanf(l, "%255s", node) == 1 && strcmp(node, me) != 0) {
            ra_format_cut(where, cap, "%s", node);
            elsewhere = true;
        }
    }
    free(out);
    return elsewhere;
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

/* system_id: the VG is ours, or Pacemaker moves it here and we take it. */
static int
claim_systemid(struct ra_ctx *ctx, const struct vginfo *vi)
{
    const struct lvmconf *c = ctx->data;
    char mine[256], extra[400], where[300];
    struct vginfo after;
    int rc;

    host_systemid(ctx, mine, sizeof(mine));
    if (mine[0] == '\0') {
        return ra_fail(ctx, OCF_ERR_INSTALLED,
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
    /*
     * Another host's.  Pacemaker starts a resource here only once it is stopped
     * everywhere else, or that node is fenced: take it then, as LVM-activate does, but
     * only when Pacemaker asked and does not see it active on another node.  Outside a
     * cluster nothing says the owner is done with it: refuse.
     */
    if (ctx->env.on_node == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "volume group %s belongs to system ID %s; outside a cluster it is not "
                       "taken over",
                       c->vg, vi->systemid);
    }
    if (active_elsewhere(ctx, where, sizeof(where))) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "volume group %s belongs to system ID %s and is active on %s: not taking it",
                       c->vg, vi->systemid, where);
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
        ra_info(ctx, "took %s over from system ID %s", c->vg, vi->systemid);
    }
    return rc;
}

/* Has any dm device the 68-character prefix LVM-<vg><lv> of @want (the LV, or a layer)? */
static bool
has_prefix(const struct ra_dm_devs *d, const char *want)
{
    for (size_t i = 0; i < d->n; i++) {
        if (strncmp(d->v[i].uuid, want, 68) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * The LVs lvm lists (visible ones), each of which must have its device now, except
 * those LVM does not activate (activation skipped, as thin snapshots by default; a cache
 * pool not attached).  In LV mode, the LV's uuid is learnt here.
 */
static int
verify_active(struct ra_ctx *ctx, const struct ra_dm_devs *d)
{
    struct lvmconf *c = ctx->data;
    char t[300], *out = NULL, notup[300] = "";
    const char *args[] = { "--noheadings",
                           "--nameprefixes",
                           "-o",
                           "lv_uuid,lv_name,lv_attr,lv_skip_activation",
                           target(c, t, sizeof(t)),
                           NULL };
    int rc = OCF_SUCCESS;

    if (ra_run_tool(ctx, "lvs", args, &out) != 0 || out == NULL) {
        free(out);
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot list the LVs of %s", c->vg);
    }
    for (char *l = out, *nl; l != NULL && *l != '\0'; l = nl) {
        char uuid[64], name[256], attr[16] = "", skip[8] = "", want[140];

        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        if (!field(l, "LVM2_LV_UUID", uuid, sizeof(uuid)) ||
            !field(l, "LVM2_LV_NAME", name, sizeof(name))) {
            continue;
        }
        (void)field(l, "LVM2_LV_ATTR", attr, sizeof(attr));
        (void)field(l, "LVM2_LV_SKIP_ACTIVATION", skip, sizeof(skip));
        memcpy(want, "LVM-", 4);
        memcpy(want + 4, c->vgid, 32);
        strip_dashes(uuid, want + 36, sizeof(want) - 36);
        if (c->lv != NULL) {
            ra_format_cut(c->lvid, sizeof(c->lvid), "%s", want + 36);
        }
        if (strcmp(skip, "1") == 0 || strcmp(skip, "skip activation") == 0 || attr[0] == 'C') {
            continue;
        }
        if (!has_prefix(d, want)) {
            size_t len = strlen(notup);

            ra_format_cut(notup + len, sizeof(notup) - len, "%s%s", len ? ", " : "", name);
            rc = OCF_ERR_GENERIC;
        }
    }
    free(out);
    return rc == OCF_SUCCESS ? rc : ra_fail(ctx, rc, "not active after start: %s", notup);
}

/* Does lvs -a still list an LV of uuid @lvid (dashes removed)?  *@sure false when lvs failed. */
static bool
lv_uuid_exists(struct ra_ctx *ctx, const char *lvid, bool *sure)
{
    struct lvmconf *c = ctx->data;
    const char *args[] = { "-a", "--noheadings", "--nameprefixes", "-o", "lv_uuid", c->vg, NULL };
    static char *out;
    static bool have, ok;
    bool found = false;

    if (!have) {
        ok = ra_run_tool(ctx, "lvs", args, &out) == 0 && out != NULL;
        have = true;
        ctx->reason[0] = '\0';
    }
    *sure = ok;
    for (const char *l = ok ? out : NULL; l != NULL && !found; l = strchr(l + 1, '\n')) {
        char uuid[64], id[40];

        if (field(l + (*l == '\n'), "LVM2_LV_UUID", uuid, sizeof(uuid))) {
            strip_dashes(uuid, id, sizeof(id));
            found = strcmp(id, lvid) == 0;
        }
    }
    return found;
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

/* How many devices of ours are still there; the first in @first.  Unsure counts as one. */
static size_t
left(struct ra_ctx *ctx, struct ra_dm_dev *first, bool *vg_busy)
{
    const struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    size_t n = 0;

    memset(first, 0, sizeof(*first));
    *vg_busy = false;
    if (ra_dm_list(&d) < 0) {
        ra_format_cut(first->name, sizeof(first->name), "(device-mapper's state cannot be read)");
        *vg_busy = true;
        return 1;
    }
    for (size_t i = 0; i < d.n; i++) {
        if (is_ours(c, &d.v[i]) && n++ == 0) {
            *first = d.v[i];
        }
        /* any LV of the VG still active (another resource's): the lockspace stays */
        if (c->vgid[0] != '\0' && strncmp(d.v[i].uuid, "LVM-", 4) == 0 &&
            strncmp(d.v[i].uuid + 4, c->vgid, 32) == 0) {
            *vg_busy = true;
        }
    }
    ra_dm_release(&d);
    return n;
}

/*
 * Pieces LVM no longer counts as active but device-mapper still has (an earlier stop
 * failed half way: the LV's top device gone, a raid image held open then): once
 * lvchange -an has succeeded, remove each of ours that nothing holds, top first, as
 * dmsetup remove would.  The kernel refuses an open one.
 */
static void
remove_leftovers(struct ra_ctx *ctx)
{
    const struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    bool again = true;

    for (int pass = 0; again && pass < 8; pass++) {
        again = false;
        if (ra_dm_list(&d) < 0) {
            return;
        }
        for (size_t i = 0; i < d.n; i++) {
            if (is_ours(c, &d.v[i]) && d.v[i].holders == 0) {
                int r = ra_dm_remove(d.v[i].name);

                ra_info(ctx, "removing %s, left by LVM: %s", d.v[i].name,
                        r == 0 ? "done" : strerror(-r));
                again = again || r == 0;
            }
        }
        ra_dm_release(&d);
    }
}

/* The stop's failure: which device is still there, and what holds it (only now, once:
 * that scans every process's files).  A device with a holder is named before one without. */
static int
still_active(struct ra_ctx *ctx, const struct ra_dm_dev *first)
{
    const struct lvmconf *c = ctx->data;
    struct ra_dm_devs d;
    char h[300] = "";
    size_t n = 0;

    if (ra_dm_list(&d) == 0) {
        for (size_t i = 0; i < d.n; i++) {
            if (is_ours(c, &d.v[i])) {
                n++;
                if (h[0] == '\0' && ra_dev_holders(makedev(d.v[i].major, d.v[i].minor),
                                                   d.v[i].sysname, h, sizeof(h))[0] != '\0') {
                    first = &d.v[i];
                }
            }
        }
        int rc = ra_fail(ctx, OCF_ERR_GENERIC, "still active: %s (%u:%u)%s%s%s", first->name,
                         first->major, first->minor, h[0] ? " " : "", h, n > 1 ? ", and more" : "");

        ra_dm_release(&d);
        return rc;
    }
    return ra_fail(ctx, OCF_ERR_GENERIC, "still active: %s", first->name);
}

static int
lvm_stop(struct ra_ctx *ctx)
{
    struct lvmconf *c = ctx->data;
    char t[300], vl[1200];
    const char *args[6];
    size_t n = 0;
    bool tagged = c->mode == M_TAGGING, was, vg_busy;
    struct ra_dm_dev first;

    (void)rec_load(ctx);
    was = left(ctx, &first, &vg_busy) > 0;
    if (was) {
        args[n++] = c->old ? "-aln" : "-an";
        if (tagged && !c->old &&
            ra_format(vl, sizeof(vl), "activation{volume_list=[\"@%s\"]}", ra_str(ctx, "tag")) ==
                0) {
            args[n++] = "--config";
            args[n++] = vl;
        }
        args[n++] = target(c, t, sizeof(t));
        args[n] = NULL;
        for (;;) {
            int code = ra_run_tool(ctx, c->old ? "vgchange" : "lvchange", args, NULL);

            if (left(ctx, &first, &vg_busy) == 0) {
                break;
            }
            /* LVM says done, device-mapper still has pieces: LVM's leftovers */
            if (code == 0) {
                remove_leftovers(ctx);
                if (left(ctx, &first, &vg_busy) == 0) {
                    break;
                }
            }
            if (ra_deadline_sleep(&ctx->deadline, 500) < 0) {
                return still_active(ctx, &first);
            }
        }
    }
    ctx->reason[0] = '\0';
    if (c->mode == M_LVMLOCKD && was && !vg_busy) {
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
    return ra_main(ra_called_as(argc, argv, "LVM") ? &lvm_agent : &activate_agent, argc, argv);
}
