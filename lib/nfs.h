/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kernel NFS server's state without a child process: nfs-utils' export
 * table (/var/lib/nfs/etab, written by exportfs(8), read by rpc.mountd),
 * the kernel's export cache (/proc/fs/nfsd/exports) and nfsd's thread
 * count.  Changes stay with exportfs(8) and rpc.nfsd, which own the formats.
 */
#ifndef RA_NFS_H
#define RA_NFS_H

#include <stdbool.h>
#include <stddef.h>

#define RA_ETAB      "/var/lib/nfs/etab"
#define RA_NFS_STATE "/var/lib/nfs"
#define RA_NFS_CONF  "/etc/nfs.conf"

struct ra_export {
    char *path;   /* decoded (etab writes \ooo for spaces and the like) */
    char *client; /* as etab has it: "*", "10.0.0.0/24", a canonical host name */
    char *opts;   /* between the parentheses */
};

struct ra_exports {
    struct ra_export *v;
    size_t n;
    char *buf; /* owned */
};

/*
 * The table in @file (etab, or /proc/fs/nfsd/exports whose lines have the
 * same shape; '#' lines skipped).  A missing file is an empty table.  0 or
 * -errno; release with ra_exports_release.
 */
int ra_exports_read(const char *file, struct ra_exports *ret) __attribute__((warn_unused_result));
void ra_exports_release(struct ra_exports *e);

/* The value of option @key ("fsid") in @opts, copied to @buf: false when absent. */
bool ra_export_opt(const char *opts, const char *key, char *buf, size_t cap);

/* nfsd's threads (/proc/fs/nfsd/threads): the count, or -errno (-ENOENT: nfsd not mounted). */
int ra_nfsd_threads(void);

/*
 * Whether nfsd serves: its thread count; without nfsd's filesystem (where
 * the count cannot be read) 1 while nfsd kernel threads are still there, 0
 * when none is; -errno when unsure.  Never 0 for threads that still run.
 */
int ra_nfsd_live_threads(void);

/*
 * The value of @key in section @section of nfs.conf as nfs-utils reads it: @conf
 * (RA_NFS_CONF), then each @conf.d/ *.conf in name order, the last setting winning;
 * section and key names without case, values unquoted.  false when unset.
 */
bool ra_nfs_conf_get(const char *conf, const char *section, const char *key, char *buf, size_t cap);

/*
 * nfs-utils' state directory as exportfs(8) and rpc.mountd find it (etab and rmtab
 * live there): state-directory-path of [mountd], else of [exportd], else RA_NFS_STATE.
 */
void ra_nfs_state_dir(const char *conf, char *buf, size_t cap);

/*
 * statd's directory (its records sm/ and sm.bak/, and the state number): nfs.conf's
 * [statd] state-directory-path, else /var/lib/nfs/statd where it exists (Red Hat,
 * SUSE), else /var/lib/nfs (Debian).
 */
void ra_nfs_statd_dir(const char *conf, char *buf, size_t cap);

/*
 * statd's records (one small file per peer): under @base (statd's directory), the
 * regular files of subdirectory @from copied into @to (relative paths, e.g. "sm" and
 * "sm.ha/sm"; missing directories of @to made, owned like @from).  Every component is
 * opened without following a symlink and every file written under a temporary name
 * then renamed over: statd's user owns what is below @base.  With @merge, an existing
 * file of @to stays and nothing is removed (a restore); without, once every copy
 * succeeded, the files @from no longer has are removed from @to.  0, or -errno
 * (@from cannot be opened: nothing changed).
 */
int ra_nfs_sync_records(const char *base, const char *from, const char *to, bool merge);

/* @base/state copied into @base/@to/state (as above).  0 or -errno. */
int ra_nfs_copy_state(const char *base, const char *to);

/*
 * Tell NFSv3 clients this server restarted: sm-notify -f OPTS [-v HOST] [-P STATEDIR],
 * which reads statd's records and goes on in the background.  A HOST that is an
 * address must be one of this node's now (sm-notify's background child sends from it,
 * where a failure is seen by no one).  OCF code, with a reason when not 0.
 */
struct ra_ctx;
int ra_nfs_notify(struct ra_ctx *ctx, const char *const *opts, const char *host,
                  const char *statedir);

/* Drop the kernel's export caches (what exportfs -f does): the next lookup asks mountd. */
void ra_nfs_flush_caches(void);

#endif
