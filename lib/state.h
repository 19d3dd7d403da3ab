/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State files and locks under HA_RSCTMP (default /run/resource-agents), a
 * tmpfs directory that a reboot empties: what an agent must remember between
 * calls but must forget when the node restarts.
 */
#ifndef RA_STATE_H
#define RA_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"

#define RA_STATE_DIR_DEFAULT "/run/resource-agents"

/* HA_RSCTMP, or the default.  Borrowed. */
const char *ra_state_dir(void);

/*
 * Write "<dir>/<prefix><name><suffix>" to @buf, with every '/' in @name
 * replaced by '_' (an instance name must not escape the directory).
 */
int ra_state_path(char *buf, size_t cap, const char *dir, const char *prefix, const char *name,
                  const char *suffix) __attribute__((warn_unused_result));

/* Create @path's parent directories (mode 0755) as needed.  0 or -errno. */
int ra_state_mkdirs(const char *path) __attribute__((warn_unused_result));

/*
 * Replace @path's content with @data atomically (temporary file, fsync,
 * rename), creating parent directories.  0 or -errno.
 */
int ra_state_write(const char *path, const char *data, size_t len)
    __attribute__((warn_unused_result));

/*
 * Read at most @cap - 1 bytes of @path into @buf, NUL-terminated, with one
 * trailing newline removed.  0, -ENOENT if absent, -EFBIG if larger, or -errno.
 */
int ra_state_read(const char *path, char *buf, size_t cap) __attribute__((warn_unused_result));

/*
 * Read an integer from @path (as in a pid file or a scripted exit code):
 * 0, -ENOENT, -EINVAL if it is not an integer in min..max, or -errno.
 */
int ra_state_read_int(const char *path, long long min, long long max, long long *ret_v)
    __attribute__((warn_unused_result));

/*
 * The whole of @path, NUL-terminated, in a buffer of its own (the caller frees it):
 * 0, -EFBIG past @max bytes, or -errno.
 */
int ra_state_slurp(const char *path, size_t max, char **ret) __attribute__((warn_unused_result));

/* True if @path exists (as anything). */
bool ra_state_exists(const char *path);

/*
 * Remove @path: 0 once it is not there (absent, or its directory is not a
 * directory), or -errno while it still is.
 */
int ra_state_remove(const char *path) __attribute__((warn_unused_result));

/*
 * An exclusive lock on a lock file (flock), waited for until @deadline.
 * ra_lock_acquire returns 0 and sets *@ret_fd, -ETIME when the deadline
 * passed, or -errno.  ra_lock_release closes the fd (the lock file stays).
 */
int ra_lock_acquire(const char *path, const struct ra_deadline *deadline, int *ret_fd)
    __attribute__((warn_unused_result));
void ra_lock_release(int fd);

#endif
