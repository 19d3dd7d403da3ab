/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processes: which processes use a mount, and signalling them.  The walk of
 * /proc reads only procfs (readlink of cwd, root, exe and each fd; the
 * mnt_id of each fd from fdinfo; the paths in maps), so it never waits on
 * the filesystem in question: a dead NFS server cannot hang it.
 */
#ifndef RA_PROC_H
#define RA_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ra_pids {
    pid_t *v;
    size_t n, cap;
};

void ra_pids_release(struct ra_pids *p);

/*
 * The processes that use the mount with id @mnt_id mounted on @target: a
 * working directory, root, executable, open file or mapped file inside it.
 * A process in another mount namespace counts only by an open file on that
 * very mount (by mount id): a path there names something else.  Never this
 * process or pid 1.  0 or -errno; release with ra_pids_release.
 */
int ra_proc_users(const char *target, int mnt_id, struct ra_pids *ret)
    __attribute__((warn_unused_result));

/*
 * The processes with block device @dev open (a file descriptor on it).
 * 0 or -errno; release with ra_pids_release.
 */
int ra_proc_dev_users(dev_t dev, struct ra_pids *ret) __attribute__((warn_unused_result));

/*
 * The live processes (not zombies) whose name (/proc/PID/comm) is @comm,
 * as ps -C finds them.  0 or -errno; release with ra_pids_release.
 */
int ra_proc_by_comm(const char *comm, struct ra_pids *ret) __attribute__((warn_unused_result));

/*
 * How many live processes bear each name of @comms (NULL-terminated; names as the
 * kernel keeps them, at most 15 bytes), in one walk of /proc: @counts[i] for
 * @comms[i].  0 or -errno.
 */
int ra_proc_count_comms(const char *const *comms, size_t *counts)
    __attribute__((warn_unused_result));

/* Send @sig to each process in @p (those already gone are skipped). */
void ra_proc_signal(const struct ra_pids *p, int sig);

/*
 * One process's name (comm, into @comm when not NULL), parent and session (@ret_ppid,
 * @ret_sid when not NULL): 1 while it lives, 0 when it is gone or a zombie, -errno
 * when unsure.
 */
int ra_proc_stat(pid_t pid, char *comm, size_t cap, pid_t *ret_ppid, pid_t *ret_sid)
    __attribute__((warn_unused_result));

/* The live processes of session @sid.  0 or -errno. */
int ra_proc_by_session(pid_t sid, struct ra_pids *ret) __attribute__((warn_unused_result));

/* Is @pid's working directory the directory @dev:@ino?  1, 0 (or gone), or -errno. */
int ra_proc_cwd_is(pid_t pid, dev_t dev, ino_t ino) __attribute__((warn_unused_result));

/* The live processes (not ourselves) whose working directory is @dev:@ino.  0 or -errno
 * (a process whose directory cannot be read makes the answer unsure). */
int ra_proc_by_cwd(dev_t dev, ino_t ino, struct ra_pids *ret) __attribute__((warn_unused_result));

/*
 * Does @pid's command line have option @opt ("-f") with a value (the next argument,
 * or glued to it: "-fPATH") that names the file @dev:@ino (a relative path from the
 * process's working directory), or, with @dev and @ino 0 (the file is gone), that is
 * @file as it was given?  1, 0 (no: *@has_opt says whether @opt was there at all), or
 * -errno when that cannot be told.
 */
int ra_proc_arg_file_is(pid_t pid, const char *opt, const char *file, dev_t dev, ino_t ino,
                        bool *has_opt) __attribute__((warn_unused_result));
/* Is @pid running the program file @dev:@ino (its /proc/PID/exe)?  1, 0 (or gone), or
 * -errno. */
int ra_proc_exe_is(pid_t pid, dev_t dev, ino_t ino) __attribute__((warn_unused_result));
/*
 * The live processes (not ourselves) running the program @exe_dev:@exe_ino (any, when
 * both are 0) whose command line names the file so.  0 or -errno (a process that
 * cannot be looked at makes the answer unsure).
 */
int ra_proc_by_arg_file(const char *opt, const char *file, dev_t dev, ino_t ino, dev_t exe_dev,
                        ino_t exe_ino, struct ra_pids *ret) __attribute__((warn_unused_result));

/* "123 456 789" (cut to @cap). */
const char *ra_pids_str(const struct ra_pids *p, char *buf, size_t cap);

#endif
