/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:nfsserver: the kernel NFS server (nfsd threads, rpc.mountd,
 * rpc.statd with rpcbind, sm-notify), its state in /var/lib/nfs on shared
 * storage (nfs_shared_infodir, bind-mounted); a drop-in for
 * ocf:heartbeat:nfsserver.
 *
 * The daemons are started directly, in order, each as an argv under the
 * operation's deadline (no init script, no shell): rpcbind, rpc.statd, rpc.mountd,
 * then rpc.nfsd; clients are told with sm-notify.  Mounts (nfsd, rpc_pipefs, the
 * bind of the info dir) are system calls.  monitor and probes start no process:
 * nfsd's thread count, the daemons in the process table, the bind by device and
 * inode.
 *
 * Running: nfsd has threads, rpc.mountd lives, rpc.statd too (unless
 * nfsv4_only), /var/lib/nfs is the shared info dir (when one is given).  None of
 * it: not running.  Part of it (a dead mountd, zero threads): a failure naming
 * the piece.  Stop takes every piece down and succeeds only once none is left
 * (rpcbind stays: other RPC services use it).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "mount.h"
#include "nfs.h"
#include "proc.h"
#include "run.h"
#include "state.h"
#include "str.h"

#define NFS_STATE "/var/lib/nfs"

static bool
valid_scope(const char *v, const char **why)
{
    if (strlen(v) > 64 || v[0] == '-' ||
        strspn(v, ".-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be a host name (letters, digits, '.' and '-')";
        return false;
    }
    return true;
}

static const struct ra_param nfsserver_params[] = {
    { .name = "nfs_init_script",
      .type = RA_T_STRING,
      .def = "auto detected",
      .flags = RA_P_DEFAULT_DOC,
      .shortdesc = "Init script for nfsserver",
      .longdesc = "Accepted for compatibility: the daemons are started directly." },
    { .name = "nfsv4_only",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "NFSv4 only mode.",
      .longdesc = "Serve NFSv4 only: no rpcbind or rpc.statd, nfsd and mountd without v2/v3." },
    { .name = "nfs_no_notify",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Disable NFSv3 server reboot notifications",
      .longdesc = "Do not run sm-notify after start." },
    { .name = "nfs_notify_foreground",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Keeps the notify tool running in the foreground.",
      .longdesc = "Run sm-notify in the foreground (-d), within the start timeout." },
    { .name = "nfs_smnotify_retry_time",
      .type = RA_T_INTEGER,
      .def = "",
      .min = 0,
      .max = 100000,
      .shortdesc = "Specifies the length of sm-notify retry time (minutes).",
      .longdesc = "How long sm-notify keeps trying to reach a client (-m)." },
    { .name = "nfs_server_scope",
      .type = RA_T_STRING,
      .valid = valid_scope,
      .shortdesc = "RFC8881 NFS server scope for (lock) state reclaim after failover.",
      .longdesc = "The same on every node: rpc.nfsd runs with this host name (its own UTS "
                  "namespace), so NFSv4 clients may reclaim their state after a failover." },
    { .name = "nfs_ip",
      .type = RA_T_STRING,
      .shortdesc = "IP addresses.",
      .longdesc = "Comma-separated addresses clients know the server by: sm-notify tells "
                  "clients the server at each of them restarted." },
    { .name = "nfs_shared_infodir",
      .type = RA_T_PATH,
      .def = "",
      .shortdesc = "Directory to store nfs server related information.",
      .longdesc = "A directory on the shared storage, bind-mounted over /var/lib/nfs: the "
                  "NFSv3 lock clients and NFSv4 recovery state follow the server." },
    { .name = "rpcpipefs_dir",
      .type = RA_T_PATH,
      .def = "/var/lib/nfs/rpc_pipefs",
      .shortdesc = "The mount point for the sunrpc file system.",
      .longdesc = "Where rpc_pipefs is mounted." },
    { .name = "nfsd_args",
      .type = RA_T_STRING,
      .valid = ra_valid_words,
      .shortdesc = "rpc.nfsd options",
      .longdesc = "Arguments for rpc.nfsd, as words (default: 8 threads)." },
    { .name = "lockd_udp_port",
      .type = RA_T_PORT,
      .shortdesc = "Lockd UDP port",
      .longdesc = "The UDP port lockd listens on (/proc/sys/fs/nfs/nlm_udpport)." },
    { .name = "lockd_tcp_port",
      .type = RA_T_PORT,
      .shortdesc = "Lockd TCP port",
      .longdesc = "The TCP port lockd listens on (/proc/sys/fs/nfs/nlm_tcpport)." },
    { .name = "statd_outgoing_port",
      .type = RA_T_PORT,
      .shortdesc = "Statd outgoing port",
      .longdesc = "The port rpc.statd and sm-notify send from (-o, -p)." },
    { .name = "statd_port",
      .type = RA_T_PORT,
      .shortdesc = "Statd Port",
      .longdesc = "The port rpc.statd listens on (-p)." },
    { .name = "mountd_port",
      .type = RA_T_PORT,
      .shortdesc = "Mountd port",
      .longdesc = "The port rpc.mountd listens on (-p)." },
};

struct nfsconf {
    bool v4only;
    const char *infodir; /* NULL: none */
    const char *pipefs;
};

static int
nfsserver_validate(struct ra_ctx *ctx)
{
    struct nfsconf *c = ctx->data;
    const char *a = ra_ctx_action(ctx);

    c->v4only = ra_bool(ctx, "nfsv4_only");
    c->infodir = ra_str0(ctx, "nfs_shared_infodir")[0] ? ra_str0(ctx, "nfs_shared_infodir") : NULL;
    c->pipefs = ra_str(ctx, "rpcpipefs_dir");
    if (c->infodir != NULL && ra_env_meta("clone_max") != NULL && strcmp(a, "stop") != 0 &&
        !ra_is_probe(ctx)) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "nfs_shared_infodir cannot be used in a clone");
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ state */

/* Is a process named @comm alive?  Unsure (no process table) is yes. */
static bool
alive(const char *comm)
{
    struct ra_pids p;
    int r = ra_proc_by_comm(comm, &p);
    bool yes = r < 0 || p.n > 0;

    ra_pids_release(&p);
    return yes;
}

/* /var/lib/nfs is the info dir (a bind of it: the same directory). */
static bool
bound(const struct nfsconf *c)
{
    struct stat a, b;

    return c->infodir != NULL && stat(NFS_STATE, &a) == 0 && stat(c->infodir, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Is anything mounted on @target? */
static bool
mounted_on(const char *target)
{
    struct ra_mounts m;
    bool yes = false;

    if (ra_mounts_read(&m) < 0) {
        return true; /* unsure: as if */
    }
    for (size_t i = 0; i < m.n && !yes; i++) {
        yes = strcmp(m.v[i].target, target) == 0;
    }
    ra_mounts_release(&m);
    return yes;
}

/* The daemons, counted in one walk of the process table (by name, as the anchor finds
 * them) */
enum {
    D_MOUNTD,
    D_EXPORTD,
    D_STATD,
    D_RPCBIND,
    D_N
};

static const char *const daemons[] = { "rpc.mountd", "nfsv4.exportd", "rpc.statd", "rpcbind",
                                       NULL };

struct pieces {
    int threads; /* or -errno */
    int walk;    /* 0, or -errno: the process table could not be read */
    bool mountd, statd, rpcbind, bind;
    size_t up, want;
    char missing[200];
};

static void
look(const struct nfsconf *c, struct pieces *p)
{
    size_t n[D_N + 1];

    memset(p, 0, sizeof(*p));
    p->threads = ra_nfsd_live_threads();
    p->walk = ra_proc_count_comms(daemons, n);
    p->mountd = p->walk == 0 && n[D_MOUNTD] + n[D_EXPORTD] > 0;
    p->statd = p->walk == 0 && n[D_STATD] > 0;
    p->rpcbind = p->walk == 0 && n[D_RPCBIND] > 0;
    p->bind = bound(c);
#define PIECE(cond, name, wanted)                                                             \
 do {                                                                                         \
  if (wanted) {                                                                               \
   p->want++;                                                                                 \
   if (cond) {                                                                                \
    p->up++;                                                                                  \
   } else {                                                                                   \
    size_t len = strlen(p->missing);                                                          \
    ra_format_cut(p->missing + len, sizeof(p->missing) - len, "%s%s", len ? ", " : "", name); \
   }                                                                                          \
  }                                                                                           \
 } while (0)
    PIECE(p->threads > 0, "nfsd threads", true);
    PIECE(p->mountd, "rpc.mountd", true);
    PIECE(p->statd, "rpc.statd", !c->v4only);
    PIECE(p->rpcbind, "rpcbind", !c->v4only);
    PIECE(p->bind, NFS_STATE " on nfs_shared_infodir", c->infodir != NULL);
#undef PIECE
}

static int
nfsserver_monitor(struct ra_ctx *ctx)
{
    const struct nfsconf *c = ctx->data;
    struct pieces p;

    look(c, &p);
    if (p.threads < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read nfsd's thread count: %s",
                       strerror(-p.threads));
    }
    if (p.walk < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the process table: %s",
                       strerror(-p.walk));
    }
    if (p.up == p.want) {
        return OCF_SUCCESS;
    }
    /* nothing of ours: no threads, and no mountd, statd or bind either (rpcbind is
     * everyone's: stop leaves it) */
    if (p.threads == 0 && !p.mountd && !p.statd && !p.bind) {
        return OCF_NOT_RUNNING;
    }
    return ra_fail(ctx, OCF_ERR_GENERIC, "the NFS server is only partly up: no %s", p.missing);
}

/* ------------------------------------------------------------ statd's records */

/*
 * statd keeps one file per monitored peer in sm/ (sm.bak/ while sm-notify tells them
 * of a restart).  When nfsd stops, lockd unmonitors its clients and statd deletes
 * their files: the next server would tell no one, and no client would reclaim its
 * locks.  So stop keeps a copy in sm.ha/ (sm.ha/sm, sm.ha/sm.bak: the anchor's
 * layout, on the shared storage with the rest) and start puts it back before statd
 * and sm-notify run.
 *
 * records_keep: at stop, with nfsd still up, sm.ha gets what sm and sm.bak hold now
 * (a failed copy keeps the previous set).  statd's directory is found as nfs-utils
 * finds it (lib/nfs.c), under the bind when it is /var/lib/nfs or below.
 */
static void
records_keep(struct ra_ctx *ctx)
{
    char dir[PATH_MAX];

    ra_nfs_statd_dir(RA_NFS_CONF, dir, sizeof(dir));
    if (ra_nfs_sync_records(dir, "sm", "sm.ha/sm", false) < 0 ||
        ra_nfs_sync_records(dir, "sm.bak", "sm.ha/sm.bak", false) < 0) {
        ra_info(ctx, "statd's records in %s could not all be kept in sm.ha", dir);
    }
}

/* start, before statd: what the last server kept comes back (never over a newer file) */
static void
records_restore(struct ra_ctx *ctx)
{
    char dir[PATH_MAX];
    int a, b;

    ra_nfs_statd_dir(RA_NFS_CONF, dir, sizeof(dir));
    a = ra_nfs_sync_records(dir, "sm.ha/sm", "sm", true);
    b = ra_nfs_sync_records(dir, "sm.ha/sm.bak", "sm.bak", true);
    if ((a < 0 && a != -ENOENT) || (b < 0 && b != -ENOENT)) {
        ra_debug(ctx, "statd's kept records in %s/sm.ha could not all be restored", dir);
    }
}

/* ------------------------------------------------------------ start */

static int
run(struct ra_ctx *ctx, const char *name, const char *const *args, const char *uts,
    const char *what)
{
    int code = ra_run_tool_full(ctx, name, args, NULL, NULL, uts);

    if (code != 0) {
        if (ctx->reason[0] != '\0') {
            return strstr(ctx->reason, "not installed") ? OCF_ERR_INSTALLED : OCF_ERR_GENERIC;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s failed (%s exit %d)", what, name, code);
    }
    return OCF_SUCCESS;
}

static int
mount_once(struct ra_ctx *ctx, const char *src, const char *target, const char *type,
           unsigned long flags)
{
    struct ra_mounts m;
    bool there = false;

    if (ra_mounts_read(&m) == 0) {
        for (size_t i = 0; i < m.n && !there; i++) {
            there = strcmp(m.v[i].target, target) == 0 &&
                    (type == NULL || strcmp(m.v[i].fstype, type) == 0);
        }
        ra_mounts_release(&m);
    }
    if (there) {
        return OCF_SUCCESS;
    }
    if (mkdir(target, 0755) < 0 && errno != EEXIST) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot create %s: %s", target, strerror(errno));
    }
    if (mount(src, target, type, flags, NULL) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot mount %s on %s: %s", type ? type : src, target,
                       strerror(errno));
    }
    return OCF_SUCCESS;
}

/* The info dir: the layout of /var/lib/nfs in it, then bound over /var/lib/nfs. */
static int
bind_infodir(struct ra_ctx *ctx)
{
    const struct nfsconf *c = ctx->data;
    static const char *const dirs[] = { "",           "/sm",         "/sm.bak",
                                        "/sm.ha",     "/v4recovery", "/nfsdcltrack",
                                        "/rpc_pipefs" };
    struct stat local;
    struct ra_mounts m;
    int rc = OCF_SUCCESS;

    if (bound(c)) {
        return OCF_SUCCESS;
    }
    /* /var/lib/nfs a mount of something else: not ours to cover */
    if (ra_mounts_read(&m) == 0) {
        for (size_t i = 0; i < m.n; i++) {
            if (strcmp(m.v[i].target, NFS_STATE) == 0) {
                rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is already a mount of %s, not %s", NFS_STATE,
                             m.v[i].source, c->infodir);
            }
        }
        ra_mounts_release(&m);
    }
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    for (size_t i = 0; i < RA_NELEM(dirs); i++) {
        char path[PATH_MAX];

        ra_format_cut(path, sizeof(path), "%s%s", c->infodir, dirs[i]);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot create %s: %s", path, strerror(errno));
        }
    }
    /* statd runs as the owner of the local sm directory: keep that owner */
    if (stat(NFS_STATE "/sm", &local) == 0) {
        const char *own[] = { "/sm", "/sm.bak", "" };

        for (size_t i = 0; i < RA_NELEM(own); i++) {
            char path[PATH_MAX];

            ra_format_cut(path, sizeof(path), "%s%s", c->infodir, own[i]);
            if (chown(path, local.st_uid, local.st_gid) < 0) {
                ra_debug(ctx, "cannot chown %s: %s", path, strerror(errno));
            }
        }
    }
    for (const char *f = "etab\0rmtab\0xtab\0"; *f != '\0'; f += strlen(f) + 1) {
        char path[PATH_MAX];
        int fd;

        ra_format_cut(path, sizeof(path), "%s/%s", c->infodir, f);
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            close(fd);
        }
    }
    if (mount(c->infodir, NFS_STATE, NULL, MS_BIND, NULL) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot bind %s on %s: %s", c->infodir, NFS_STATE,
                       strerror(errno));
    }
    return OCF_SUCCESS;
}

static void
write_proc(struct ra_ctx *ctx, const char *path, const char *value)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0 || write(fd, value, strlen(value)) < 0) {
        ra_warn(ctx, "cannot write %s to %s: %s", value, path, strerror(errno));
    }
    if (fd >= 0) {
        close(fd);
    }
}

static int
start_nfsd(struct ra_ctx *ctx)
{
    const struct nfsconf *c = ctx->data;
    const char *args[24], *pos = ra_str0(ctx, "nfsd_args");
    const char *scope = ra_given(ctx, "nfs_server_scope") ? ra_str(ctx, "nfs_server_scope") : NULL;
    char words[16][64];
    size_t n = 0, w = 0;

    if (c->v4only) {
        args[n++] = "-N"; /* (version 2 is off in the kernel already: -N 2 is refused) */
        args[n++] = "3";
    }
    while (w < 16 && n < RA_NELEM(args) - 2 && ra_list_next(&pos, words[w], sizeof(words[0]))) {
        args[n++] = words[w++];
    }
    if (w == 0) {
        args[n++] = "8";
    }
    args[n] = NULL;
    /* the server scope is the host name nfsd's threads start under: rpc.nfsd runs in a
     * UTS namespace of its own with that name (lib/run.c), the host's stays */
    return run(ctx, "rpc.nfsd", args, scope, "starting nfsd");
}

static void
notify(struct ra_ctx *ctx)
{
    const char *ips = ra_str0(ctx, "nfs_ip");
    char retry[32], port[16], ip[64];
    const char *opts[8];
    size_t n = 0;

    if (ra_bool(ctx, "nfs_notify_foreground")) {
        opts[n++] = "-d";
    }
    if (ra_given(ctx, "nfs_smnotify_retry_time")) {
        ra_format_cut(retry, sizeof(retry), "%lld", ra_int(ctx, "nfs_smnotify_retry_time"));
        opts[n++] = "-m";
        opts[n++] = retry;
    }
    if (ra_given(ctx, "statd_outgoing_port")) {
        ra_format_cut(port, sizeof(port), "%lld", ra_int(ctx, "statd_outgoing_port"));
        opts[n++] = "-p";
        opts[n++] = port;
    }
    opts[n] = NULL;
    /* the clients are told best effort, as by the anchor; what failed is logged by ra_fail (an
     * address that comes after this resource: nfsnotify, after it, tells them) */
    if (ips[0] == '\0') {
        (void)ra_nfs_notify(ctx, opts, NULL, NULL);
    }
    for (const char *p = ips; *p != '\0';) {
        size_t len = strcspn(p, ", ");

        if (len > 0 && len < sizeof(ip)) {
            memcpy(ip, p, len);
            ip[len] = '\0';
            (void)ra_nfs_notify(ctx, opts, ip, NULL);
        }
        p += len + strspn(p + len, ", ");
    }
    ctx->reason[0] = '\0';
}

static bool kill_all(struct ra_ctx *ctx, const char *comm);

static int
nfsserver_start(struct ra_ctx *ctx)
{
    const struct nfsconf *c = ctx->data;
    char port[16], oport[16];
    struct pieces p;
    bool rebind;
    int rc;

    if (nfsserver_monitor(ctx) == OCF_SUCCESS) {
        return OCF_SUCCESS;
    }
    ctx->reason[0] = '\0';
    if (access("/proc/fs/nfsd/threads", F_OK) < 0 && ra_nfsd_threads() == -ENOENT) {
        if (access("/sys/module/nfsd", F_OK) < 0 && ra_modprobe(ctx, "nfsd") < 0) {
            return ra_fail(ctx, OCF_ERR_INSTALLED, "the nfsd kernel module cannot be loaded");
        }
        rc = mount_once(ctx, "nfsd", "/proc/fs/nfsd", "nfsd", 0);
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    rebind = c->infodir != NULL && !bound(c);
    if (c->infodir != NULL && (rc = bind_infodir(ctx)) != OCF_SUCCESS) {
        return rc;
    }
    if (!c->v4only) {
        records_restore(ctx);
    }
    look(c, &p);
    if (p.walk < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the process table: %s",
                       strerror(-p.walk));
    }
    /* a statd that was already running keeps the local /var/lib/nfs/sm open under the
     * bind: its records of clients would miss the shared state; start it again */
    if (rebind && p.statd && !c->v4only) {
        ra_info(ctx, "restarting rpc.statd, which started before %s was bound", NFS_STATE);
        if (!kill_all(ctx, "rpc.statd")) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "rpc.statd does not stop");
        }
        p.statd = false;
    }
    if ((rc = mount_once(ctx, "sunrpc", c->pipefs, "rpc_pipefs", 0)) != OCF_SUCCESS) {
        return rc;
    }
    if (ra_given(ctx, "lockd_tcp_port")) {
        ra_format_cut(port, sizeof(port), "%lld\n", ra_int(ctx, "lockd_tcp_port"));
        write_proc(ctx, "/proc/sys/fs/nfs/nlm_tcpport", port);
    }
    if (ra_given(ctx, "lockd_udp_port")) {
        ra_format_cut(port, sizeof(port), "%lld\n", ra_int(ctx, "lockd_udp_port"));
        write_proc(ctx, "/proc/sys/fs/nfs/nlm_udpport", port);
    }
    if (!c->v4only) {
        if (!p.rpcbind) {
            const char *args[] = { "-w", NULL };

            if ((rc = run(ctx, "rpcbind", args, NULL, "starting rpcbind")) != OCF_SUCCESS) {
                return rc;
            }
        }
        if (!p.statd) {
            const char *args[8];
            size_t n = 0;

            args[n++] = "--no-notify";
            if (ra_given(ctx, "statd_port")) {
                ra_format_cut(port, sizeof(port), "%lld", ra_int(ctx, "statd_port"));
                args[n++] = "-p";
                args[n++] = port;
            }
            if (ra_given(ctx, "statd_outgoing_port")) {
                ra_format_cut(oport, sizeof(oport), "%lld", ra_int(ctx, "statd_outgoing_port"));
                args[n++] = "-o";
                args[n++] = oport;
            }
            args[n] = NULL;
            if ((rc = run(ctx, "rpc.statd", args, NULL, "starting rpc.statd")) != OCF_SUCCESS) {
                return rc;
            }
        }
    }
    if (!p.mountd) {
        const char *args[8];
        size_t n = 0;

        if (ra_given(ctx, "mountd_port")) {
            ra_format_cut(port, sizeof(port), "%lld", ra_int(ctx, "mountd_port"));
            args[n++] = "-p";
            args[n++] = port;
        }
        if (c->v4only) {
            args[n++] = "-N";
            args[n++] = "2";
            args[n++] = "-N";
            args[n++] = "3";
        }
        args[n] = NULL;
        if ((rc = run(ctx, "rpc.mountd", args, NULL, "starting rpc.mountd")) != OCF_SUCCESS) {
            return rc;
        }
    }
    if (ra_nfsd_threads() <= 0 && (rc = start_nfsd(ctx)) != OCF_SUCCESS) {
        return rc;
    }
    /* everything up, within the deadline (the daemons fork into the background) */
    while ((rc = nfsserver_monitor(ctx)) != OCF_SUCCESS) {
        if (ra_deadline_sleep(&ctx->deadline, 100) < 0) {
            /* start never says 7 */
            return rc == OCF_NOT_RUNNING
                       ? ra_fail(ctx, OCF_ERR_GENERIC, "the NFS server did not come up")
                       : OCF_ERR_GENERIC;
        }
        ctx->reason[0] = '\0';
    }
    if (!c->v4only && !ra_bool(ctx, "nfs_no_notify")) {
        notify(ctx);
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ stop */

/* TERM each process named @comm, then KILL what is left; true once none is. */
static bool
kill_all(struct ra_ctx *ctx, const char *comm)
{
    for (int round = 0; round < 40; round++) {
        struct ra_pids p;

        if (ra_proc_by_comm(comm, &p) < 0) {
            return false;
        }
        if (p.n == 0) {
            ra_pids_release(&p);
            return true;
        }
        ra_proc_signal(&p, round < 20 ? SIGTERM : SIGKILL);
        ra_pids_release(&p);
        if (ra_deadline_sleep(&ctx->deadline, 100) < 0) {
            return false;
        }
    }
    return !alive(comm);
}

static int
nfsserver_stop(struct ra_ctx *ctx)
{
    const struct nfsconf *c = ctx->data;
    struct pieces p;
    char why[256];

    /* nfsd's threads first: no new requests while the rest goes.  Without nfsd's
     * filesystem they cannot be counted or stopped: mount it */
    if (ra_nfsd_live_threads() != 0 && ra_nfsd_threads() == -ENOENT &&
        mount_once(ctx, "nfsd", "/proc/fs/nfsd", "nfsd", 0) != OCF_SUCCESS) {
        return OCF_ERR_GENERIC;
    }
    if (ra_nfsd_live_threads() != 0) {
        /* lockd forgets its clients when nfsd stops, and statd their records */
        if (!c->v4only && (c->infodir == NULL || bound(c))) {
            records_keep(ctx);
        }
        write_proc(ctx, "/proc/fs/nfsd/threads", "0\n");
        while (ra_nfsd_live_threads() != 0) {
            if (ra_deadline_sleep(&ctx->deadline, 100) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "nfsd's threads are still there (%d)",
                               ra_nfsd_threads());
            }
        }
    }
    ra_nfs_flush_caches();
    for (const char *d = "rpc.mountd\0nfsv4.exportd\0nfsdcld\0sm-notify\0rpc.statd\0"; *d != '\0';
         d += strlen(d) + 1) {
        if (!kill_all(ctx, d)) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s is still running", d);
        }
    }
    /* whatever is mounted on /var/lib/nfs goes, ours by path or not (the info dir's own
     * path may no longer resolve): the shared filesystem must not stay pinned here */
    if (bound(c) || (c->infodir != NULL && mounted_on(NFS_STATE))) {
        /* rpc_pipefs may be mounted inside the bind: it goes first */
        if (ra_path_under(c->pipefs, NFS_STATE) && umount2(c->pipefs, 0) < 0 && errno != EINVAL &&
            errno != ENOENT) {
            ra_debug(ctx, "cannot unmount %s: %s", c->pipefs, strerror(errno));
        }
        while (umount2(NFS_STATE, 0) < 0 && (bound(c) || mounted_on(NFS_STATE))) {
            ra_format_cut(why, sizeof(why), "%s", strerror(errno));
            if (ra_deadline_sleep(&ctx->deadline, 200) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "cannot unmount %s: %s", NFS_STATE, why);
            }
        }
    }
    look(c, &p);
    if (p.threads != 0 || p.walk != 0 || p.mountd || p.statd || p.bind ||
        (c->infodir != NULL && mounted_on(NFS_STATE))) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "the NFS server did not stop (threads %d%s%s%s%s)",
                       p.threads, p.walk != 0 ? ", the process table unreadable" : "",
                       p.mountd ? ", rpc.mountd" : "", p.statd ? ", rpc.statd" : "",
                       p.bind ? ", the bind of " NFS_STATE : "");
    }
    return OCF_SUCCESS;
}

static const struct ra_action nfsserver_actions[] = {
    { .name = "start", .fn = nfsserver_start, .timeout_s = 40 },
    { .name = "stop", .fn = nfsserver_stop, .timeout_s = 20 },
    { .name = "monitor", .fn = nfsserver_monitor, .timeout_s = 20, .interval_s = 10 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 30 },
};

static const struct ra_agent nfsserver_agent = {
    .name = "nfsserver",
    .shortdesc = "Manages an NFS server",
    .longdesc = "The kernel NFS server: rpcbind, rpc.statd, rpc.mountd and nfsd's threads, "
                "started in order without an init script, its state in /var/lib/nfs on the "
                "shared storage (nfs_shared_infodir), clients told through sm-notify.  monitor "
                "reads nfsd's threads and the process table (no child): a dead rpc.mountd or "
                "zero threads is a failure.",
    .params = nfsserver_params,
    .nparams = RA_NELEM(nfsserver_params),
    .actions = nfsserver_actions,
    .nactions = RA_NELEM(nfsserver_actions),
    .validate = nfsserver_validate,
    .data_size = sizeof(struct nfsconf),
};

int
main(int argc, char **argv)
{
    return ra_main(&nfsserver_agent, argc, argv);
}
