/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:Filesystem: a filesystem on shared or replicated storage, a
 * drop-in for ocf:heartbeat:Filesystem.
 *
 * monitor at depth 0 is one read of the mount table; depth 10 reads the
 * device's first block directly; depth 20 writes, syncs and reads back a
 * status file.  start and stop mount and unmount through libmount (loaded
 * only then).  stop is where clusters lose data: it unmounts submounts
 * deepest first, then the mount point; when the mount is busy it signals
 * only the processes that use this mount (found by walking /proc, never
 * blocking on the filesystem), TERM first and KILL later, and it reports
 * success only once the mount is gone.  No fixed sleeps: short, growing
 * polls, all inside the operation's deadline.
 *
 * Is this mount ours?  The mount point is canonical (symlinks, "//", "."
 * and "..") and every mount stacked on it is looked at, not only the top
 * one.  A mount is ours when it is the same filesystem by number, never by
 * the way a path is spelled:
 *  - a block device (or UUID=/LABEL=): the mount's device number is the
 *    device's, or its source is a device node with that number (btrfs
 *    shows an anonymous 0:N number and the real device as its source), or
 *    both are loop devices backed by the same file; where a tag can name
 *    several devices (DRBD's backing disk and /dev/drbdN, multipath paths,
 *    a cloned image) or btrfs spans several, the UUID or LABEL read from
 *    the mounted device's own superblock decides;
 *  - an image file (-o loop): the mount's loop device is backed by that
 *    very file (device and inode numbers of the backing file);
 *  - a bind mount: the mount is of the source directory's filesystem;
 *  - NFS, CIFS, tmpfs: the source as written, the only identity they have.
 * When that cannot be decided (the device has vanished: a dropped
 * /dev/disk/by-id link, a deleted image), the answer is "unsure": monitor
 * and probe fail, which makes Pacemaker stop the resource, and stop
 * unmounts whatever is mounted on the mount point, as the shell agent
 * does.  Our device mounted somewhere else (a moved mount) is not
 * "stopped" either: monitor and probe fail and stop unmounts it there.
 * Stop unmounts in the order the mount tree allows (what is mounted on a
 * mount before it, the later of two siblings first) and returns 0 only
 * once nothing of ours, nor anything unsure, is mounted.  Only device,
 * directory and fstype can make stop a no-op when invalid.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "agent.h"
#include "mount.h"
#include "proc.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

static bool
valid_force_unmount(const char *v, const char **why)
{
    bool b;

    if (strcmp(v, "safe") == 0 || strcmp(v, "move") == 0 || ra_parse_bool(v, &b) == 0) {
        return true;
    }
    *why = "must be true, false, safe or move";
    return false;
}

static bool
valid_prefix(const char *v, const char **why)
{
    if (v[0] == '/' || strstr(v, "..") != NULL) {
        *why = "must be a relative path inside the filesystem";
        return false;
    }
    return true;
}

static const char *const fsck_modes[] = { "auto", "force", "no", NULL };

static const struct ra_param fs_params[] = {
    { .name = "device",
      .type = RA_T_STRING,
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .shortdesc = "block device",
      .longdesc = "What to mount: a block device (/dev/drbd0), -U uuid or UUID=uuid, -L label "
                  "or LABEL=label, host:/export for NFS, //server/share for CIFS, a directory "
                  "to bind-mount, or a name such as tmpfs for filesystems without a device." },
    { .name = "directory",
      .type = RA_T_PATH,
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .ocf_type = "string",
      .shortdesc = "mount point",
      .longdesc = "Where to mount it: an absolute path, created when missing. Nothing may "
                  "already be mounted below it." },
    { .name = "fstype",
      .type = RA_T_STRING,
      .flags = RA_P_IDENTITY,
      .shortdesc = "filesystem type",
      .longdesc = "The filesystem type (ext4, xfs, nfs4, ...). When not set, it is detected "
                  "from the device." },
    { .name = "options",
      .type = RA_T_STRING,
      .shortdesc = "options",
      .longdesc = "Mount options, comma separated, as in mount -o. They are passed to "
                  "libmount as they are, never to a shell. The value of a password=, pass= or "
                  "passwd= option is hidden in every log line and exit reason." },
    { .name = "statusfile_prefix",
      .type = RA_T_STRING,
      .def = ".Filesystem_status/",
      .valid = valid_prefix,
      .shortdesc = "status file prefix",
      .longdesc = "Where the depth-20 monitor writes its status file, relative to the mount "
                  "point; the file is named after the resource and the node." },
    { .name = "run_fsck",
      .type = RA_T_ENUM,
      .values = fsck_modes,
      .def = "auto",
      .ocf_type = "string",
      .shortdesc = "run_fsck",
      .longdesc = "Check the filesystem before mounting: auto checks block devices whose "
                  "type has no journal, force always checks, no never does." },
    { .name = "fast_stop",
      .type = RA_T_BOOLEAN,
      .def = "no",
      .shortdesc = "fast stop",
      .longdesc = "Escalate from TERM to KILL quickly when the mount is busy, for processes "
                  "that may not stop on TERM." },
    { .name = "force_clones",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "allow running as a clone, regardless of filesystem type",
      .longdesc = "A local filesystem (ext4, xfs, ...) mounted on several nodes at once is "
                  "destroyed, so cloning one is refused unless it is mounted read-only or this "
                  "is set. Cluster filesystems (gfs2, ocfs2) and network ones are fine." },
    { .name = "force_unmount",
      .type = RA_T_STRING,
      .def = "true",
      .ocf_type = "boolean",
      .valid = valid_force_unmount,
      .shortdesc = "Kill processes before unmount",
      .longdesc = "What stop does when the mount is busy: true or safe signals the processes "
                  "that use this mount (TERM, then KILL), found by walking /proc without "
                  "touching the filesystem; false signals nobody and fails the stop if the "
                  "mount stays busy; move also signals the processes, as true does." },
};

/* Types with a journal or no local device: auto does not fsck them. */
static const char *const no_fsck_types[] = {
    "ext3", "ext4",  "xfs",   "btrfs",     "jfs",  "reiserfs", "gfs2",    "ocfs2", "nfs",  "nfs4",
    "cifs", "smbfs", "tmpfs", "glusterfs", "ceph", "none",     "overlay", "zfs",   "f2fs", NULL,
};
/* Types whose device is not a block device. */
static const char *const netlike_types[] = {
    "nfs",    "nfs4",    "efs",       "smbfs",    "cifs", "glusterfs", "ceph",
    "tmpfs",  "overlay", "overlayfs", "rozofs",   "zfs",  "cvfs",      "none",
    "lustre", "proc",    "sysfs",     "devtmpfs", NULL,
};
/* Filesystems that may be mounted on several nodes at once (the anchor's list). */
static const char *const cluster_safe_types[] = {
    "nfs",  "nfs4",  "efs",     "smbfs",     "cifs",  "none", "gfs2",   "glusterfs",
    "ceph", "ocfs2", "overlay", "overlayfs", "tmpfs", "cvfs", "lustre", NULL,
};
/* Journalled filesystems that write their journal even when mounted read-only. */
static const char *const journal_types[] = { "ext3",     "ext4",    "ext4dev", "xfs",
                                             "reiserfs", "reiser4", "jfs",     NULL };

static bool
in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s != NULL && list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ configuration */

enum devkind {
    DEV_BLOCK,
    DEV_TAG,
    DEV_LOOP, /* an image file, mounted through a loop device */
    DEV_BIND,
    DEV_OTHER
};

struct fsconf {
    char device[4096];  /* as libmount takes it: a path, UUID=..., LABEL=..., host:/x */
    char dir[PATH_MAX]; /* as configured, cleaned; canonical once an action has looked */
    const char *fstype; /* or NULL */
    const char *options;
    enum devkind kind;
    char tag[16]; /* DEV_TAG: UUID or LABEL */
    const char *tagval;
    char secrets[1024]; /* password values from options, NUL-separated, hidden in logs */
};

static bool
has_option(const char *options, const char *opt)
{
    size_t n = strlen(opt);

    for (const char *p = options; p != NULL && *p != '\0';) {
        if (strncmp(p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
            return true;
        }
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    return false;
}

/* The values of password-like options (password=, pass=, passwd=) become log secrets. */
static void
hide_option_secrets(struct ra_ctx *ctx, struct fsconf *c)
{
    static const char *const keys[] = { "password=", "pass=", "passwd=", NULL };
    size_t used = 0;

    for (const char *p = c->options; p != NULL && *p != '\0';) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        for (size_t k = 0; keys[k] != NULL; k++) {
            size_t kl = strlen(keys[k]);

            if (len > kl && strncmp(p, keys[k], kl) == 0 &&
                used + len - kl + 1 <= sizeof(c->secrets)) {
                memcpy(c->secrets + used, p + kl, len - kl);
                c->secrets[used + len - kl] = '\0';
                ra_log_add_secret(&ctx->log, c->secrets + used);
                used += len - kl + 1;
            }
        }
        p = end ? end + 1 : NULL;
    }
}

static bool
is_clone(void)
{
    const char *max = ra_env_meta("clone_max");

    return max != NULL && *max != '\0' && strcmp(max, "1") != 0;
}

static int
fs_validate(struct ra_ctx *ctx)
{
    struct fsconf *c = ctx->data;
    const char *dev = ra_str(ctx, "device");
    struct stat st;

    c->options = ra_str(ctx, "options");
    hide_option_secrets(ctx, c);
    if (ra_format(c->dir, sizeof(c->dir), "%s", ra_str(ctx, "directory")) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory is too long");
    }
    ra_path_clean(c->dir);
    if (strcmp(c->dir, "/") == 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory must not be /");
    }
    c->fstype = ra_str(ctx, "fstype");
    /* -U uuid, -L label, --uuid=, --label=, UUID=, LABEL= */
    if (strncmp(dev, "-U", 2) == 0 || strncmp(dev, "--uuid=", 7) == 0 ||
        strncmp(dev, "UUID=", 5) == 0) {
        c->kind = DEV_TAG;
        ra_format_cut(c->tag, sizeof(c->tag), "UUID");
        c->tagval = dev[0] == 'U' ? dev + 5 : dev[1] == 'U' ? dev + 2 : dev + 7;
    } else if (strncmp(dev, "-L", 2) == 0 || strncmp(dev, "--label=", 8) == 0 ||
               strncmp(dev, "LABEL=", 6) == 0) {
        c->kind = DEV_TAG;
        ra_format_cut(c->tag, sizeof(c->tag), "LABEL");
        c->tagval = dev[0] == 'L' ? dev + 6 : dev[1] == 'L' ? dev + 2 : dev + 8;
    }
    if (c->kind == DEV_TAG) {
        while (*c->tagval == ' ' || *c->tagval == '=') {
            c->tagval++;
        }
        if (*c->tagval == '\0') {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "device '%s' names no %s", dev, c->tag);
        }
        ra_format_cut(c->device, sizeof(c->device), "%s=%s", c->tag, c->tagval);
    } else {
        bool exists = dev[0] == '/' && stat(dev, &st) == 0;

        ra_format_cut(c->device, sizeof(c->device), "%s", dev);
        /* a bind mount first: its type may well be written "none" */
        if (dev[0] == '/' && (has_option(c->options, "bind") || has_option(c->options, "rbind") ||
                              (exists && S_ISDIR(st.st_mode)))) {
            c->kind = DEV_BIND;
        } else if (dev[0] == '/' &&
                   (has_option(c->options, "loop") || (exists && S_ISREG(st.st_mode)))) {
            c->kind = DEV_LOOP;
        } else if (exists && S_ISBLK(st.st_mode)) {
            c->kind = DEV_BLOCK; /* a block device is one, whatever fstype says */
        } else if (in_list(netlike_types, c->fstype) || dev[0] != '/') {
            c->kind = DEV_OTHER;
        } else {
            c->kind = DEV_BLOCK;
        }
    }
    /*
     * The clone guard, the anchor's allow-list: a filesystem that is not
     * made for several nodes is destroyed by being mounted on two.  An
     * unknown or unset type is not known to be safe.  It guards start only:
     * what is mounted must still be found, and unmounted by stop, after the
     * resource was made a clone.
     */
    if ((strcmp(ra_ctx_action(ctx), "start") == 0 ||
         strcmp(ra_ctx_action(ctx), "validate-all") == 0) &&
        is_clone() && !ra_bool(ctx, "force_clones") && !in_list(cluster_safe_types, c->fstype) &&
        !(has_option(c->options, "ro") && c->fstype != NULL &&
          !in_list(journal_types, c->fstype))) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "%s%s is not a cluster filesystem: as a clone it would be mounted on "
                       "several nodes at once (set fstype to a cluster filesystem, or "
                       "force_clones)",
                       c->fstype ? "" : "a filesystem of unset type on ",
                       c->fstype ? c->fstype : dev);
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ identity */

/* What our filesystem is, looked up once per action. */
struct ident {
    bool known; /* false: the device cannot be found now, so no mount can be proven ours */
    dev_t rdev; /* DEV_BLOCK, DEV_TAG: the block device's number */
    dev_t dev;  /* DEV_LOOP: the image's filesystem; DEV_BIND: the source's filesystem */
    ino_t ino;  /* DEV_LOOP: the image's inode */
};

enum match {
    NOT_OURS,
    OURS,
    UNSURE
};

static const char *
device_path(const struct fsconf *c, char *buf, size_t cap)
{
    if (c->kind == DEV_TAG) {
        return ra_blkid_resolve(c->tag, c->tagval, buf, cap) == 0 ? buf : NULL;
    }
    return c->device;
}

static void
identify(const struct fsconf *c, struct ident *id)
{
    char path[4096];
    const char *p = device_path(c, path, sizeof(path));
    struct stat st;

    memset(id, 0, sizeof(*id));
    if (c->kind == DEV_OTHER) {
        id->known = true;
        return;
    }
    if (p == NULL || stat(p, &st) < 0) {
        return;
    }
    switch (c->kind) {
    case DEV_BLOCK:
    case DEV_TAG:
        id->known = S_ISBLK(st.st_mode);
        id->rdev = st.st_rdev;
        break;
    case DEV_LOOP:
        id->known = S_ISREG(st.st_mode);
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        break;
    default:
        id->known = true;
        id->dev = st.st_dev;
        break;
    }
}

/* An NFS or CIFS source with "//" and a trailing "/" of the export path not counted. */
static bool
same_source(const char *a, const char *b)
{
    char x[4096], y[4096];
    const char *colon;

    ra_format_cut(x, sizeof(x), "%s", a);
    ra_format_cut(y, sizeof(y), "%s", b);
    colon = strstr(x, ":/");
    if (colon != NULL) {
        ra_path_clean(x + (colon - x) + 1);
    }
    colon = strstr(y, ":/");
    if (colon != NULL) {
        ra_path_clean(y + (colon - y) + 1);
    }
    return strcmp(x, y) == 0;
}

/*
 * Two loop devices (@a as node @pa, @b as @pb, either NULL) backed by the
 * very same file: 1, 0, or -1 when either cannot be read.
 */
static int
same_backing(dev_t a, const char *pa, dev_t b, const char *pb)
{
    dev_t da, db;
    ino_t ia, ib;

    if (ra_loop_backing(major(a), minor(a), pa, &da, &ia) < 0 ||
        ra_loop_backing(major(b), minor(b), pb, &db, &ib) < 0) {
        return -1;
    }
    return da == db && ia == ib;
}

/*
 * A block device (or UUID=/LABEL=) against mount @e: its device number,
 * else the device its source names (btrfs shows an anonymous 0:N), else
 * the file behind two loop devices, else, where a tag may name several
 * devices (DRBD's backing disk and /dev/drbdN, multipath paths, a cloned
 * image) or btrfs spans several, the UUID or LABEL in the mounted device's
 * own superblock.
 */
static enum match
match_block(const struct fsconf *c, const struct ident *id, const struct ra_mount *e)
{
    dev_t num = makedev(e->major, e->minor);
    char node[PATH_MAX], want[256], got[256], path[4096];
    const char *mounted = e->source, *ours;
    struct stat st;
    bool btrfs = strcmp(e->fstype, "btrfs") == 0;

    if (num == id->rdev) {
        return OURS;
    }
    if (e->source[0] == '/' && stat(e->source, &st) == 0 && S_ISBLK(st.st_mode)) {
        num = st.st_rdev;
    } else if (e->major != 0) {
        mounted = ra_dev_node(e->major, e->minor, node, sizeof(node)) == 0 ? node : NULL;
    } else {
        /* no device at all (tmpfs, proc), or a device node this host does not show */
        return e->source[0] == '/' ? UNSURE : NOT_OURS;
    }
    if (num == id->rdev) {
        return OURS;
    }
    if (major(num) == 7 && major(id->rdev) == 7) {
        int r = same_backing(num, mounted, id->rdev, device_path(c, path, sizeof(path)));

        if (r != 0) {
            return r < 0 ? UNSURE : OURS;
        }
    }
    if (c->kind != DEV_TAG && !btrfs) {
        return NOT_OURS;
    }
    if (c->kind == DEV_TAG) {
        ra_format_cut(want, sizeof(want), "%s", c->tagval);
    } else if ((ours = device_path(c, path, sizeof(path))) == NULL ||
               ra_blkid_probe_tag(ours, "UUID", want, sizeof(want)) < 0) {
        return UNSURE;
    }
    if (mounted == NULL ||
        ra_blkid_probe_tag(mounted, c->kind == DEV_TAG ? c->tag : "UUID", got, sizeof(got)) < 0) {
        return UNSURE;
    }
    return strcmp(got, want) == 0 ? OURS : NOT_OURS;
}

static enum match
match_mount(const struct fsconf *c, const struct ident *id, const struct ra_mount *e)
{
    dev_t num = makedev(e->major, e->minor);
    struct stat st;

    if (c->kind == DEV_OTHER) {
        /* NFS, CIFS, tmpfs: the source as written is all the identity there is */
        return same_source(e->source, c->device) ||
                       (c->fstype != NULL && strcmp(e->fstype, c->fstype) == 0 &&
                        in_list((const char *const[]){ "tmpfs", "none", NULL }, c->device))
                   ? OURS
                   : NOT_OURS;
    }
    if (!id->known) {
        return UNSURE;
    }
    switch (c->kind) {
    case DEV_BIND:
        return num == id->dev ? OURS : NOT_OURS;
    case DEV_LOOP: {
        dev_t bdev;
        ino_t bino;
        int r;

        if (e->major != 7 && strncmp(e->source, "/dev/loop", 9) != 0) {
            return NOT_OURS;
        }
        r = ra_loop_backing(e->major, e->minor, e->source, &bdev, &bino);
        if (r == 0 || r == -ENXIO) {
            return r == 0 && bdev == id->dev && bino == id->ino ? OURS : NOT_OURS;
        }
        /* btrfs on a loop device shows 0:N: the source names the loop device */
        if (e->major == 0 && stat(e->source, &st) == 0 && S_ISBLK(st.st_mode) &&
            ra_loop_backing(major(st.st_rdev), minor(st.st_rdev), e->source, &bdev, &bino) == 0) {
            return bdev == id->dev && bino == id->ino ? OURS : NOT_OURS;
        }
        return UNSURE;
    }
    default:
        return match_block(c, id, e);
    }
}

/* Where our filesystem is in the mount table, as the actions see it. */
struct where {
    const struct ra_mount *ours; /* the lowest mount on the directory that is, or may be, ours */
    enum match how;              /* OURS or UNSURE when ours is set */
    size_t index;                /* of ours in the table */
    const struct ra_mount *top;  /* the topmost mount on the directory, or NULL */
    bool other;                  /* something that is not ours is mounted on the directory */
    /* none of ours on the directory, but our device mounted somewhere else (moved, rebound) */
    const struct ra_mount *elsewhere;
};

/* Our device mounted at @e, by number alone (cheap enough for every mount). */
static bool
same_device(const struct fsconf *c, const struct ident *id, const struct ra_mount *e)
{
    dev_t num = makedev(e->major, e->minor);

    if (!id->known) {
        return false;
    }
    if (c->kind == DEV_BLOCK || c->kind == DEV_TAG) {
        return num == id->rdev;
    }
    if (c->kind == DEV_LOOP && e->major == 7) {
        dev_t bdev;
        ino_t bino;

        return ra_loop_backing(e->major, e->minor, NULL, &bdev, &bino) == 0 && bdev == id->dev &&
               bino == id->ino;
    }
    return false;
}

/*
 * Read the mount table, make c->dir canonical with it, and find our mount
 * among everything mounted on the directory.  0 or -errno.
 */
static int
locate(struct fsconf *c, struct ra_mounts *m, struct where *w)
{
    struct ident id;
    char canon[PATH_MAX];
    int r = ra_mounts_read(m);

    memset(w, 0, sizeof(*w));
    if (r < 0) {
        return r;
    }
    if (ra_path_canon(c->dir, m, canon, sizeof(canon)) == 0) {
        ra_format_cut(c->dir, sizeof(c->dir), "%s", canon);
    }
    identify(c, &id);
    for (size_t i = 0; i < m->n; i++) {
        const struct ra_mount *e = &m->v[i];
        enum match how;

        if (strcmp(e->target, c->dir) != 0) {
            continue;
        }
        w->top = e;
        how = match_mount(c, &id, e);
        if (how != NOT_OURS && w->ours == NULL) {
            w->ours = e;
            w->how = how;
            w->index = i;
        } else if (how == NOT_OURS) {
            w->other = true;
        }
    }
    for (size_t i = 0; w->ours == NULL && w->elsewhere == NULL && i < m->n; i++) {
        if (strcmp(m->v[i].target, c->dir) != 0 && same_device(c, &id, &m->v[i])) {
            w->elsewhere = &m->v[i];
        }
    }
    return 0;
}

static int
mounts_fail(struct ra_ctx *ctx, int r)
{
    return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the mount table: %s", strerror(-r));
}

static int
unsure_fail(struct ra_ctx *ctx, const struct fsconf *c, const struct where *w)
{
    return ra_fail(ctx, OCF_ERR_GENERIC,
                   "cannot tell whether %s mounted on %s is %s: the device cannot be found",
                   w->ours->source, c->dir, c->device);
}

/* ------------------------------------------------------------ monitor */

static int
read_first_block(struct ra_ctx *ctx, const struct fsconf *c)
{
    char path[4096];
    const char *p = device_path(c, path, sizeof(path));
    void *buf = NULL;
    int fd, rc = OCF_SUCCESS;

    if (c->kind != DEV_BLOCK && c->kind != DEV_TAG && c->kind != DEV_LOOP) {
        ra_debug(ctx, "depth 10: %s is not a block device, nothing to read", c->device);
        return OCF_SUCCESS;
    }
    if (p == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "no device has %s", c->device);
    }
    fd = open(p, O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot open %s: %s", p, strerror(errno));
    }
    if (posix_memalign(&buf, 4096, 4096) != 0) {
        close(fd);
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    if (read(fd, buf, 4096) != 4096) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the first block of %s: %s", p,
                     strerror(errno));
    }
    free(buf);
    close(fd);
    return rc;
}

/*
 * The directory of the depth-20 status file, opened by walking from the
 * mount point one component at a time without following any symlink, and
 * checked to be on @e: whoever may write in the filesystem cannot make
 * this root-run agent write or remove a file anywhere else.  The file's
 * name (after the resource and the node) goes to @name.  A descriptor, or
 * -errno.
 */
static int
status_dir(const struct ra_ctx *ctx, const struct fsconf *c, const struct ra_mount *e, bool create,
           char *name, size_t cap)
{
    char rel[PATH_MAX], node[256];
    struct stat st;
    char *comp, *save = NULL, *next;
    int fd, r;

    if (ra_format(rel, sizeof(rel), "%s%s_%s", ra_str0(ctx, "statusfile_prefix"), ctx->env.instance,
                  ra_node_name(ctx, node, sizeof(node))) < 0) {
        return -ENAMETOOLONG;
    }
    fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) < 0 || st.st_dev != makedev(e->major, e->minor)) {
        close(fd);
        return -EXDEV;
    }
    for (comp = strtok_r(rel, "/", &save); comp != NULL; comp = next) {
        next = strtok_r(NULL, "/", &save);
        if (next == NULL) {
            break; /* the file's own name */
        }
        if (strcmp(comp, ".") == 0) {
            continue;
        }
        if (create && mkdirat(fd, comp, 0755) < 0 && errno != EEXIST) {
            r = -errno;
            close(fd);
            return r;
        }
        r = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        if (r < 0) {
            return -errno;
        }
        fd = r;
    }
    if (comp == NULL || ra_format(name, cap, "%s", comp) < 0) {
        close(fd);
        return -EINVAL;
    }
    return fd;
}

static int
status_file_check(struct ra_ctx *ctx, const struct fsconf *c, const struct ra_mount *e)
{
    char name[NAME_MAX + 1], tmp[NAME_MAX + 32], content[512], back[512];
    int rc = OCF_SUCCESS, fd = -1, dfd = status_dir(ctx, c, e, true, name, sizeof(name));
    size_t len;

    if (dfd < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot open the status directory in %s: %s", c->dir,
                       strerror(-dfd));
    }
    if (ra_format(content, sizeof(content), "%s\n", ctx->env.instance) < 0 ||
        ra_format(tmp, sizeof(tmp), ".%.200s.%ld", name, (long)getpid()) < 0) {
        close(dfd);
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "resource name is too long");
    }
    len = strlen(content);
    /*
     * A new file of our own (never opened through a link), written, synced
     * and read back, then renamed over the status file: a rename replaces a
     * planted symlink itself, and monitors running side by side each have
     * their own file.
     */
    (void)unlinkat(dfd, tmp, 0);
    fd = openat(dfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, content, len) != (ssize_t)len || fsync(fd) < 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot write the status file %s/%s: %s", c->dir, name,
                     strerror(errno));
    } else if (pread(fd, back, sizeof(back), 0) != (ssize_t)len ||
               memcmp(back, content, len) != 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "the status file %s/%s did not read back", c->dir, name);
    } else if (renameat(dfd, tmp, dfd, name) < 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot put the status file %s/%s in place: %s", c->dir,
                     name, strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
    if (rc != OCF_SUCCESS) {
        (void)unlinkat(dfd, tmp, 0);
    }
    close(dfd);
    return rc;
}

static void
status_file_remove(const struct ra_ctx *ctx, const struct fsconf *c, const struct ra_mount *e)
{
    char name[NAME_MAX + 1];
    int dfd = status_dir(ctx, c, e, false, name, sizeof(name));

    if (dfd >= 0) {
        (void)unlinkat(dfd, name, 0);
        close(dfd);
    }
}

static int
fs_monitor(struct ra_ctx *ctx)
{
    struct fsconf *c = ctx->data;
    struct ra_mounts m;
    struct where w;
    int r = locate(c, &m, &w), rc = OCF_SUCCESS;

    if (r < 0) {
        return mounts_fail(ctx, r);
    }
    if (w.ours == NULL && w.elsewhere != NULL) {
        /* not where it belongs, but mounted on this node: never "stopped" */
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is mounted on %s, not on %s", c->device,
                     w.elsewhere->target, c->dir);
    } else if (w.ours == NULL) {
        if (w.other) {
            ra_info(ctx, "something else is mounted on %s", c->dir);
        }
        rc = OCF_NOT_RUNNING;
    } else if (w.how == UNSURE) {
        rc = unsure_fail(ctx, c, &w);
    } else if (w.top != w.ours) {
        ra_warn(ctx, "%s is mounted on %s, but covered by %s mounted on top of it", c->device,
                c->dir, w.top->source);
    }
    if (rc == OCF_SUCCESS && ra_check_level(ctx) >= 10) {
        rc = read_first_block(ctx, c);
    }
    if (rc == OCF_SUCCESS && ra_check_level(ctx) >= 20) {
        rc = w.top == w.ours ? status_file_check(ctx, c, w.ours)
                             : ra_fail(ctx, OCF_ERR_GENERIC,
                                       "%s is covered by another mount: cannot write its status "
                                       "file",
                                       c->dir);
    }
    ra_mounts_release(&m);
    return rc;
}

/* ------------------------------------------------------------ start */

/* Does this kernel (or a mount.<type> helper) know @fstype? */
static bool
fstype_supported(const char *fstype)
{
    char buf[8192], helper[256];

    if (fstype == NULL || strcmp(fstype, "none") == 0 || strncmp(fstype, "fuse", 4) == 0) {
        return true;
    }
    if (ra_state_read("/proc/filesystems", buf, sizeof(buf)) == 0) {
        char *save = NULL;

        for (char *line = strtok_r(buf, "\n", &save); line != NULL;
             line = strtok_r(NULL, "\n", &save)) {
            char *tab = strrchr(line, '\t');

            if (tab != NULL && strcmp(tab + 1, fstype) == 0) {
                return true;
            }
        }
    }
    return ra_format(helper, sizeof(helper), "mount.%s", fstype) == 0 &&
           ra_run_which(helper, buf, sizeof(buf)) == 0;
}

static int
run_fsck(struct ra_ctx *ctx, const struct fsconf *c)
{
    const char *mode = ra_str(ctx, "run_fsck");
    char tool[256];
    const char *argv[8];
    size_t n = 0;
    struct ra_run_result res;
    struct ra_cmd cmd = { .argv = argv, .deadline = &ctx->deadline };
    int rc = OCF_SUCCESS;

    if (strcmp(mode, "no") == 0 || (c->kind != DEV_BLOCK && c->kind != DEV_TAG) ||
        (strcmp(mode, "auto") == 0 && (c->fstype == NULL || in_list(no_fsck_types, c->fstype)))) {
        return OCF_SUCCESS;
    }
    if (ra_run_which("fsck", tool, sizeof(tool)) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "run_fsck=%s but fsck is not installed", mode);
    }
    argv[n++] = tool;
    argv[n++] = "-p";
    if (c->fstype != NULL) {
        argv[n++] = "-t";
        argv[n++] = c->fstype;
    }
    argv[n++] = c->device;
    argv[n] = NULL;
    if (ra_run(&cmd, &res) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot run fsck");
    }
    /* fsck: 0 clean, 1 and 2 corrected, 4 and above left errors or failed */
    if (res.status != RA_RUN_DONE || res.exit_code >= 4) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "fsck of %s failed (%s %d)", c->device,
                     res.status == RA_RUN_DONE ? "exit" : "status", res.exit_code);
    } else if (res.exit_code != 0) {
        ra_warn(ctx, "fsck corrected errors on %s", c->device);
    }
    ra_run_result_release(&res);
    return rc;
}

static int
fs_start(struct ra_ctx *ctx)
{
    struct fsconf *c = ctx->data;
    struct ra_mounts m;
    struct where w;
    char why[512], dot[PATH_MAX + 8];
    int r = locate(c, &m, &w), rc = OCF_SUCCESS;

    if (r < 0) {
        return mounts_fail(ctx, r);
    }
    if (w.ours != NULL) {
        rc = w.how == UNSURE ? unsure_fail(ctx, c, &w)
             : w.top != w.ours
                 ? ra_fail(ctx, OCF_ERR_GENERIC, "%s is mounted on %s but covered by %s", c->device,
                           c->dir, w.top->source)
                 : OCF_SUCCESS;
        ra_mounts_release(&m);
        return rc;
    }
    for (size_t i = 0; i < m.n && rc == OCF_SUCCESS; i++) {
        if (strcmp(m.v[i].target, c->dir) != 0 && ra_path_under(m.v[i].target, c->dir)) {
            rc = ra_fail(ctx, OCF_ERR_CONFIGURED,
                         "%s is mounted below %s: refusing to mount on "
                         "top of it",
                         m.v[i].target, c->dir);
        }
    }
    ra_mounts_release(&m);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (w.other) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "something else is already mounted on %s", c->dir);
    }
    {
        /* a type not yet in /proc/filesystems may be a module nobody loaded yet (a fresh
         * boot); the kernel's own name for it is fs-TYPE (nfs4 is in nfsv4) */
        char fsmod[96];

        ra_format_cut(fsmod, sizeof(fsmod), "fs-%s", c->fstype ? c->fstype : "");
        if (!fstype_supported(c->fstype) &&
            (ra_modprobe(ctx, fsmod) < 0 || !fstype_supported(c->fstype))) {
            return ra_fail(ctx, OCF_ERR_INSTALLED, "filesystem type '%s' is not supported here",
                           c->fstype);
        }
    }
    if ((c->kind == DEV_BLOCK || c->kind == DEV_LOOP) && access(c->device, F_OK) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "device %s does not exist", c->device);
    }
    if (c->kind == DEV_TAG && device_path(c, why, sizeof(why)) == NULL) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "no device has %s", c->device);
    }
    rc = run_fsck(ctx, c);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (ra_format(dot, sizeof(dot), "%s/.", c->dir) < 0 || ra_state_mkdirs(dot) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot create mount point %s: %s", c->dir,
                       strerror(errno));
    }
    r = ra_mount(c->device, c->dir, c->fstype, c->options, why, sizeof(why));
    if (r < 0) {
        return ra_fail(ctx, r == -EPERM || r == -EACCES ? OCF_ERR_PERM : OCF_ERR_GENERIC,
                       "cannot mount %s on %s: %s", c->device, c->dir, why);
    }
    r = locate(c, &m, &w);
    if (r < 0) {
        return mounts_fail(ctx, r);
    }
    rc = w.ours != NULL && w.how == OURS && w.top == w.ours ? OCF_SUCCESS : OCF_ERR_GENERIC;
    ra_mounts_release(&m);
    if (rc != OCF_SUCCESS) {
        /* a failed start leaves nothing behind: take back what was just mounted */
        r = ra_umount(c->dir, false, why, sizeof(why));
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "%s was mounted on %s but is not found there as ours%s%s", c->device, c->dir,
                       r < 0 ? "; and cannot unmount it: " : " (unmounted again)",
                       r < 0 ? why : "");
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ stop */

/* How long TERM has before KILL follows. */
static uint64_t
term_grace_ms(const struct ra_ctx *ctx)
{
    uint64_t g = ctx->timeout_ms / 4;

    if (ra_bool(ctx, "fast_stop")) {
        return 500;
    }
    return g < 1000 ? 1000 : g > 5000 ? 5000 : g;
}

/*
 * Unmount @target, signalling the processes that keep it busy as
 * force_unmount allows, until it is gone or the deadline passes.
 */
static int
unmount_one(struct ra_ctx *ctx, const char *target, int mnt_id, const char *fstype)
{
    const char *mode = ra_str(ctx, "force_unmount");
    /* by the mount's own type: a network filesystem whose server may be gone */
    bool kill_ok = false,
         force =
             in_list((const char *const[]){ "nfs", "nfs4", "cifs", "smbfs", "smb3", NULL }, fstype);
    uint64_t term_at = 0, backoff = 20;
    char why[512] = "", pids[512] = "";
    int sent = 0;

    /* true, safe and move all signal the users (found the safe way); false never does */
    if (ra_parse_bool(mode, &kill_ok) < 0) {
        kill_ok = strcmp(mode, "safe") == 0 || strcmp(mode, "move") == 0;
    }
    for (;;) {
        struct ra_pids users = { 0 };
        int r = ra_umount(target, force, why, sizeof(why));

        if (r == 0) {
            if (sent) {
                ra_info(ctx, "unmounted %s after signalling its users", target);
            }
            return OCF_SUCCESS;
        }
        if (r != -EBUSY && r != -EAGAIN) {
            struct ra_mounts m;
            bool gone = false;

            /* someone else unmounted it meanwhile: that is success too */
            if (ra_mounts_read(&m) == 0) {
                gone = true;
                for (size_t i = 0; i < m.n; i++) {
                    gone = gone && m.v[i].id != mnt_id;
                }
                ra_mounts_release(&m);
            }
            if (gone) {
                return OCF_SUCCESS;
            }
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot unmount %s: %s", target, why);
        }
        if (ra_proc_users(target, mnt_id, &users) == 0 && users.n > 0) {
            ra_pids_str(&users, pids, sizeof(pids));
            if (kill_ok && sent == 0) {
                ra_info(ctx, "%s is busy: sending TERM to %s", target, pids);
                ra_proc_signal(&users, SIGTERM);
                term_at = ra_now_ms();
                sent = 1;
            } else if (kill_ok && ra_now_ms() - term_at >= term_grace_ms(ctx)) {
                ra_info(ctx, "%s is still busy: sending KILL to %s", target, pids);
                ra_proc_signal(&users, SIGKILL);
                sent = 2;
            }
        }
        ra_pids_release(&users);
        if (ra_deadline_sleep(&ctx->deadline, backoff) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot unmount %s before the deadline: %s%s%s",
                           target, why, pids[0] ? "; held by pids " : "", pids);
        }
        backoff = backoff * 2 > 250 ? 250 : backoff * 2;
    }
}

struct target {
    char path[PATH_MAX];
    char fstype[64];
    int id;
};

/*
 * Mount @i and everything mounted on it, in the order they can be
 * unmounted: each mount after everything mounted on it, and of two mounted
 * on the same mount the later one first (it covers the earlier one when
 * they share a path).
 */
static void
add_subtree(const struct ra_mounts *m, size_t i, bool *taken, struct target *t, size_t *nt)
{
    taken[i] = true;
    for (size_t k = m->n; k-- > 0;) {
        if (!taken[k] && m->v[k].parent == m->v[i].id) {
            add_subtree(m, k, taken, t, nt);
        }
    }
    ra_format_cut(t[*nt].path, sizeof(t[*nt].path), "%s", m->v[i].target);
    ra_format_cut(t[*nt].fstype, sizeof(t[*nt].fstype), "%s", m->v[i].fstype);
    t[(*nt)++].id = m->v[i].id;
}

/*
 * What stop unmounts, in order: our mount with everything mounted on it
 * (submounts, and whatever covers it; never a mount underneath ours), then
 * the same filesystem mounted elsewhere (bind mounts of it, or our device
 * moved elsewhere), each with what is mounted on it.
 */
static struct target *
stop_targets(const struct fsconf *c, const struct ra_mounts *m, const struct where *w,
             size_t *ret_n)
{
    struct target *t = calloc(m->n + 1, sizeof(*t));
    bool *taken = calloc(m->n + 1, sizeof(*taken));
    const struct ra_mount *same = w->how == OURS ? w->ours : w->elsewhere;
    size_t nt = 0;

    if (t == NULL || taken == NULL) {
        free(t);
        free(taken);
        return NULL;
    }
    if (w->ours != NULL) {
        add_subtree(m, w->index, taken, t, &nt);
    }
    for (size_t i = 0; same != NULL && c->kind != DEV_OTHER && c->kind != DEV_BIND && i < m->n;
         i++) {
        if (!taken[i] && m->v[i].major == same->major && m->v[i].minor == same->minor) {
            add_subtree(m, i, taken, t, &nt);
        }
    }
    free(taken);
    *ret_n = nt;
    return t;
}

static int
fs_stop(struct ra_ctx *ctx)
{
    struct fsconf *c = ctx->data;
    struct ra_mounts m;
    struct where w;
    struct target *t;
    size_t nt = 0;
    int r = locate(c, &m, &w), rc = OCF_SUCCESS;

    if (r < 0) {
        return mounts_fail(ctx, r);
    }
    if (w.ours == NULL && w.elsewhere == NULL) {
        if (w.other) {
            ra_info(ctx, "%s holds another filesystem: not ours, nothing to stop", c->dir);
        }
        ra_mounts_release(&m);
        return OCF_SUCCESS;
    }
    if (w.ours == NULL) {
        ra_warn(ctx, "%s is mounted on %s, not on %s: unmounting it there", c->device,
                w.elsewhere->target, c->dir);
    } else if (w.how == UNSURE) {
        ra_warn(ctx, "cannot tell whether %s on %s is ours (%s cannot be found): unmounting it",
                w.ours->source, c->dir, c->device);
    }
    /* the depth-20 status file lives in the filesystem: remove it first */
    if (w.how == OURS && w.top == w.ours) {
        status_file_remove(ctx, c, w.ours);
    }
    t = stop_targets(c, &m, &w, &nt);
    ra_mounts_release(&m);
    if (t == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    for (size_t i = 0; i < nt && rc == OCF_SUCCESS; i++) {
        rc = unmount_one(ctx, t[i].path, t[i].id, t[i].fstype);
    }
    free(t);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* a stop that reports success leaves nothing of ours, nor anything unsure, there */
    r = locate(c, &m, &w);
    if (r < 0) {
        return mounts_fail(ctx, r);
    }
    rc = w.ours == NULL
             ? OCF_SUCCESS
             : ra_fail(ctx, OCF_ERR_GENERIC, "%s is still mounted on %s after unmounting",
                       w.ours->source, c->dir);
    ra_mounts_release(&m);
    return rc;
}

static int
fs_notify(struct ra_ctx *ctx)
{
    (void)ctx;
    return OCF_SUCCESS;
}

static const struct ra_action fs_actions[] = {
    { .name = "start", .fn = fs_start, .timeout_s = 60 },
    { .name = "stop", .fn = fs_stop, .timeout_s = 60 },
    { .name = "notify", .fn = fs_notify, .timeout_s = 60 },
    { .name = "monitor", .fn = fs_monitor, .timeout_s = 40, .interval_s = 20, .depth = 0 },
    { .name = "monitor", .fn = fs_monitor, .timeout_s = 40, .interval_s = 60, .depth = 10 },
    { .name = "monitor", .fn = fs_monitor, .timeout_s = 40, .interval_s = 120, .depth = 20 },
    { .name = "validate-all", .timeout_s = 5 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const char *const fs_positional[] = { "device", "directory", "fstype", "options", NULL };

static const struct ra_agent fs_agent = {
    .name = "Filesystem",
    .shortdesc = "Manages filesystem mounts",
    .longdesc = "Mounts a filesystem on start and unmounts it on stop: a block device (DRBD, "
                "a SAN LUN), a device named by UUID or label, an NFS or CIFS export, a bind "
                "mount or a tmpfs. monitor checks the mount table (depth 0), reads the device's "
                "first block directly (depth 10), and writes and reads back a status file "
                "(depth 20). stop unmounts everything below the mount point first, signals only "
                "the processes that use this mount when it is busy, and succeeds only once the "
                "filesystem is gone.",
    .params = fs_params,
    .nparams = RA_NELEM(fs_params),
    .actions = fs_actions,
    .nactions = RA_NELEM(fs_actions),
    .validate = fs_validate,
    .data_size = sizeof(struct fsconf),
    .positional = fs_positional,
};

int
main(int argc, char **argv)
{
    return ra_main(&fs_agent, argc, argv);
}
