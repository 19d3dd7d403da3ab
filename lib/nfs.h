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

#define RA_ETAB "/var/lib/nfs/etab"

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

/* Drop the kernel's export caches (what exportfs -f does): the next lookup asks mountd. */
void ra_nfs_flush_caches(void);

#endif
