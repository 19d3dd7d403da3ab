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
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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
valid_options(const char *v, const char **why)
{
    /* mount options are words, =values and commas (SELinux contexts quote theirs) */
    if (strpbrk(v, " \t;|&$`<>(){}!*?\\") != NULL) {
        *why = "contains a character no mount option uses";
        return false;
    }
    return true;
}

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
      .flags = RA_P_REQUIRED,
      .shortdesc = "block device",
      .longdesc = "What to mount: a block device (/dev/drbd0), -U uuid or UUID=uuid, -L label "
                  "or LABEL=label, host:/export for NFS, //server/share for CIFS, a directory "
                  "to bind-mount, or a name such as tmpfs for filesystems without a device." },
    { .name = "directory",
      .type = RA_T_PATH,
      .flags = RA_P_REQUIRED,
      .ocf_type = "string",
      .shortdesc = "mount point",
      .longdesc = "Where to mount it: an absolute path, created when missing. Nothing may "
                  "already be mounted below it." },
    { .name = "fstype",
      .type = RA_T_STRING,
      .shortdesc = "filesystem type",
      .longdesc = "The filesystem type (ext4, xfs, nfs4, ...). When not set, it is detected "
                  "from the device." },
    { .name = "options",
      .type = RA_T_STRING,
      .valid = valid_options,
      .shortdesc = "options",
      .longdesc = "Mount options, comma separated, as in mount -o." },
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
/* Local filesystems that must never be mounted on two nodes. */
static const char *const local_types[] = { "ext2", "ext3",     "ext4", "xfs",  "btrfs",
                                           "jfs",  "reiserfs", "vfat", "f2fs", NULL };

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
    DEV_BIND,
    DEV_OTHER
};

struct fsconf {
    char device[4096];  /* as libmount takes it: a path, UUID=..., LABEL=..., host:/x */
    char dir[4096];     /* without trailing slashes */
    const char *fstype; /* or NULL */
    const char *options;
    enum devkind kind;
    char tag[16]; /* DEV_TAG: UUID or LABEL */
    const char *tagval;
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

static int
fs_validate(struct ra_ctx *ctx)
{
    struct fsconf *c = ctx->data;
    const char *dev = ra_str(ctx, "device");
    const char *max = ra_env_meta("clone_max");
    size_t n;

    if (ra_format(c->dir, sizeof(c->dir), "%s", ra_str(ctx, "directory")) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory is too long");
    }
    n = strlen(c->dir);
    while (n > 1 && c->dir[n - 1] == '/') {
        c->dir[--n] = '\0';
    }
    if (strcmp(c->dir, "/") == 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory must not be /");
    }
    c->fstype = ra_str(ctx, "fstype");
    c->options = ra_str(ctx, "options");
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
        struct stat st;

        ra_format_cut(c->device, sizeof(c->device), "%s", dev);
        /* a bind mount first: its type may well be written "none" */
        if (dev[0] == '/' && (has_option(c->options, "bind") || has_option(c->options, "rbind") ||
                              (stat(dev, &st) == 0 && S_ISDIR(st.st_mode)))) {
            c->kind = DEV_BIND;
        } else if (in_list(netlike_types, c->fstype) || has_option(c->options, "loop") ||
                   dev[0] != '/') {
            c->kind = DEV_OTHER;
        } else {
            c->kind = DEV_BLOCK;
        }
    }
    /* the clone guard: a local filesystem on two nodes at once is destroyed */
    if (max != NULL && strcmp(max, "1") != 0 && in_list(local_types, c->fstype) &&
        !ra_bool(ctx, "force_clones") && !has_option(c->options, "ro")) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "%s is a local filesystem: as a clone it would be mounted on several "
                       "nodes at once (set force_clones or mount it ro)",
                       c->fstype);
    }
    return OCF_SUCCESS;
}

/* The device's number (st_rdev), for matching the mount table; 0 if unknown. */
static dev_t
device_number(const struct fsconf *c)
{
    char path[4096];
    struct stat st;
    const char *p = c->device;

    if (c->kind == DEV_TAG) {
        if (ra_blkid_resolve(c->tag, c->tagval, path, sizeof(path)) < 0) {
            return 0;
        }
        p = path;
    }
    if ((c->kind == DEV_BLOCK || c->kind == DEV_TAG) && stat(p, &st) == 0 && S_ISBLK(st.st_mode)) {
        return st.st_rdev;
    }
    if (c->kind == DEV_BIND && stat(p, &st) == 0) {
        return st.st_dev;
    }
    return 0;
}

/* Our mount in @m: the topmost mount on the directory, and from our device. */
static const struct ra_mount *
our_mount(const struct fsconf *c, const struct ra_mounts *m, bool *ret_other)
{
    const struct ra_mount *e = ra_mounts_find(m, c->dir);
    dev_t dev;

    *ret_other = false;
    if (e == NULL) {
        return NULL;
    }
    if (c->kind == DEV_OTHER) {
        /* NFS, CIFS, tmpfs: the source as written (NFS may add a trailing slash) */
        size_t n = strlen(c->device);

        if (strcmp(e->source, c->device) == 0 ||
            (strncmp(e->source, c->device, n) == 0 && strcmp(e->source + n, "/") == 0) ||
            (c->fstype != NULL && strcmp(e->fstype, c->fstype) == 0 &&
             in_list((const char *const[]){ "tmpfs", "none", NULL }, c->device))) {
            return e;
        }
        *ret_other = true;
        return NULL;
    }
    dev = device_number(c);
    if (dev != 0 && major(dev) == e->major && minor(dev) == e->minor) {
        return e;
    }
    if (dev == 0 && strcmp(e->source, c->device) == 0) {
        return e;
    }
    *ret_other = true; /* something else is mounted there */
    return NULL;
}

/* ------------------------------------------------------------ monitor */

static int
read_first_block(struct ra_ctx *ctx, const struct fsconf *c)
{
    char path[4096];
    const char *p = c->device;
    void *buf = NULL;
    int fd, rc = OCF_SUCCESS;

    if (c->kind == DEV_TAG && ra_blkid_resolve(c->tag, c->tagval, path, sizeof(path)) == 0) {
        p = path;
    } else if (c->kind != DEV_BLOCK) {
        ra_debug(ctx, "depth 10: %s is not a block device, nothing to read", c->device);
        return OCF_SUCCESS;
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

/* The depth-20 status file: in the filesystem, named after the resource and the node. */
static int
status_path(const struct ra_ctx *ctx, const struct fsconf *c, char *buf, size_t cap)
{
    char node[256];

    return ra_format(buf, cap, "%s/%s%s_%s", c->dir, ra_str0(ctx, "statusfile_prefix"),
                     ctx->env.instance, ra_node_name(ctx, node, sizeof(node)));
}

static int
status_file_check(struct ra_ctx *ctx, const struct fsconf *c)
{
    char path[4096], content[512], back[512];
    int rc = OCF_SUCCESS, fd, flags = O_WRONLY | O_CREAT | O_TRUNC | O_SYNC | O_CLOEXEC;
    size_t len;

    if (status_path(ctx, c, path, sizeof(path)) < 0 ||
        ra_format(content, sizeof(content), "%s\n", ctx->env.instance) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "status file path is too long");
    }
    len = strlen(content);
    if (ra_state_mkdirs(path) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot create the status directory in %s: %s", c->dir,
                       strerror(errno));
    }
    fd = open(path, flags, 0644);
    if (fd < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot write the status file %s: %s", path,
                       strerror(errno));
    }
    if (write(fd, content, len) != (ssize_t)len || fsync(fd) < 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot write the status file %s: %s", path,
                     strerror(errno));
    }
    close(fd);
    if (rc == OCF_SUCCESS &&
        (ra_state_read(path, back, sizeof(back)) < 0 || strcmp(back, ctx->env.instance) != 0)) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "the status file %s did not read back", path);
    }
    return rc;
}

static int
fs_monitor(struct ra_ctx *ctx)
{
    const struct fsconf *c = ctx->data;
    struct ra_mounts m;
    bool other = false;
    int r = ra_mounts_read(&m), rc;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the mount table: %s", strerror(-r));
    }
    rc = our_mount(c, &m, &other) != NULL ? OCF_SUCCESS : OCF_NOT_RUNNING;
    ra_mounts_release(&m);
    if (rc != OCF_SUCCESS) {
        if (other) {
            ra_info(ctx, "something else is mounted on %s", c->dir);
        }
        return rc;
    }
    if (ra_check_level(ctx) >= 10) {
        rc = read_first_block(ctx, c);
    }
    if (rc == OCF_SUCCESS && ra_check_level(ctx) >= 20) {
        rc = status_file_check(ctx, c);
    }
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
    const struct fsconf *c = ctx->data;
    struct ra_mounts m;
    char why[512], dot[4200];
    bool other = false;
    int r = ra_mounts_read(&m), rc = OCF_SUCCESS;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the mount table: %s", strerror(-r));
    }
    if (our_mount(c, &m, &other) != NULL) {
        ra_mounts_release(&m);
        return OCF_SUCCESS;
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
    if (other) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "something else is already mounted on %s", c->dir);
    }
    if (!fstype_supported(c->fstype)) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "filesystem type '%s' is not supported here",
                       c->fstype);
    }
    if (c->kind == DEV_BLOCK && access(c->device, F_OK) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "device %s does not exist", c->device);
    }
    if (c->kind == DEV_TAG && device_number(c) == 0) {
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
    r = ra_mounts_read(&m);
    rc =
        r == 0 && our_mount(c, &m, &other) != NULL
            ? OCF_SUCCESS
            : ra_fail(ctx, OCF_ERR_GENERIC, "%s was mounted but is not in the mount table", c->dir);
    if (r == 0) {
        ra_mounts_release(&m);
    }
    return rc;
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
unmount_one(struct ra_ctx *ctx, const char *target, int mnt_id)
{
    const struct fsconf *c = ctx->data;
    const char *mode = ra_str(ctx, "force_unmount");
    bool kill_ok = false,
         force = in_list((const char *const[]){ "nfs", "nfs4", "cifs", "smbfs", NULL }, c->fstype);
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
        if (r != -EBUSY) {
            struct ra_mounts m;
            bool gone = false;

            /* someone else unmounted it meanwhile: that is success too */
            if (ra_mounts_read(&m) == 0) {
                gone = ra_mounts_find(&m, target) == NULL;
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
    char path[4096];
    int id;
    size_t depth;
};

static int
cmp_depth(const void *a, const void *b)
{
    const struct target *x = a, *y = b;

    return (x->depth < y->depth) - (x->depth > y->depth); /* deepest first */
}

static int
fs_stop(struct ra_ctx *ctx)
{
    const struct fsconf *c = ctx->data;
    struct ra_mounts m;
    const struct ra_mount *ours;
    struct target *t = NULL;
    size_t nt = 0;
    bool other = false;
    char status[4200];
    int r = ra_mounts_read(&m), rc = OCF_SUCCESS;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the mount table: %s", strerror(-r));
    }
    ours = our_mount(c, &m, &other);
    if (ours == NULL) {
        if (other) {
            ra_info(ctx, "%s holds another filesystem: not ours, nothing to stop", c->dir);
        }
        ra_mounts_release(&m);
        return OCF_SUCCESS;
    }
    /* our mount, everything mounted below it, and the same device elsewhere (bind mounts) */
    t = calloc(m.n, sizeof(*t));
    if (t == NULL) {
        ra_mounts_release(&m);
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    for (size_t i = 0; i < m.n; i++) {
        const struct ra_mount *e = &m.v[i];
        bool same_dev = c->kind != DEV_OTHER && c->kind != DEV_BIND && e->major == ours->major &&
                        e->minor == ours->minor && ours->major != 0;

        if (ra_path_under(e->target, c->dir) || same_dev) {
            ra_format_cut(t[nt].path, sizeof(t[nt].path), "%s", e->target);
            t[nt].id = e->id;
            for (const char *p = e->target; *p; p++) {
                t[nt].depth += *p == '/';
            }
            /* the same device elsewhere goes after ours; ours after its submounts */
            if (!ra_path_under(e->target, c->dir)) {
                t[nt].depth = 0;
            }
            nt++;
        }
    }
    ra_mounts_release(&m);
    qsort(t, nt, sizeof(*t), cmp_depth);
    /* the depth-20 status file lives in the filesystem: remove it first */
    if (status_path(ctx, c, status, sizeof(status)) == 0) {
        (void)unlink(status);
    }
    for (size_t i = 0; i < nt && rc == OCF_SUCCESS; i++) {
        rc = unmount_one(ctx, t[i].path, t[i].id);
    }
    free(t);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* a stop that reports success leaves nothing mounted there */
    r = ra_mounts_read(&m);
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the mount table: %s", strerror(-r));
    }
    ours = our_mount(c, &m, &other);
    ra_mounts_release(&m);
    if (ours != NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s is still mounted after unmounting", c->dir);
    }
    return OCF_SUCCESS;
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
