/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Running a helper program: the only place in Rampart that starts a
 * process.  Never a shell of our making: the command is an argv vector
 * whose argv[0] is an absolute path (the one shell is the administrator's
 * own password_script command line, run as {"/bin/sh", "-c", script} by
 * the fence driver, as fence-agents runs it).  The child gets a minimal
 * environment (LC_ALL=C, a fixed PATH, plus what the caller names; never
 * OCF_RESKEY_*), stdin from /dev/null (or a pipe carrying @input, which is
 * how a secret reaches a helper without touching argv), its signal mask and
 * dispositions reset, and no descriptor but 0, 1 and 2.
 *
 * Process group: the helper runs in a process group of its own, so that on
 * timeout we can signal everything it started (TERM, a grace period, then
 * KILL).  Pacemaker's SIGKILL of our group on *its* timeout would miss it,
 * which is why the deadline here is the operation's timeout less a margin
 * (deadline.h): we always act first.
 */
#ifndef RA_RUN_H
#define RA_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "deadline.h"

/* Default cap on captured stdout and on captured stderr. */
#define RA_RUN_CAPTURE_MAX (64 * 1024)

enum ra_run_status {
    RA_RUN_DONE,        /* exited; see exit_code */
    RA_RUN_TIMEOUT,     /* deadline reached; the group was killed */
    RA_RUN_SIGNALED,    /* killed by signal signo */
    RA_RUN_EXEC_FAILED, /* could not be started; see exec_errno */
};

struct ra_run_result {
    enum ra_run_status status;
    int exit_code;
    int signo;
    int exec_errno;
    char *out; /* NUL-terminated stdout (owned; ra_run_result_release frees) */
    size_t out_len;
    bool out_truncated;
    char *err; /* NUL-terminated stderr */
    size_t err_len;
    bool err_truncated;
};

struct ra_cmd;

/*
 * A dry-run hook runs instead of the program: it sees the argv and fills
 * the result (status, exit code, and out/err allocated with malloc).  Tests
 * use it to record commands and script their output.
 */
typedef int (*ra_run_hook)(void *data, const struct ra_cmd *cmd, struct ra_run_result *ret);

struct ra_cmd {
    const char *const *argv; /* NULL-terminated; argv[0] absolute */
    const char *const *env;  /* extra NAME=VALUE entries, NULL-terminated, or NULL */
    const char *input;       /* written to the child's stdin, or NULL for /dev/null */
    size_t input_len;
    const struct ra_deadline *deadline; /* required */
    size_t capture_max;                 /* per stream; 0 means RA_RUN_CAPTURE_MAX */
    uint64_t kill_grace_ms;             /* between TERM and KILL; 0 means 1000 */
    const char *uts_name;               /* run in a UTS namespace of its own, with this host name */
    const char *user;                   /* run as this user (its uid, gid and groups), or NULL */
    ra_run_hook dry_run;                /* NULL: really run */
    void *dry_run_data;
};

/*
 * Run @cmd to completion or to its deadline and fill @ret (always
 * initialised, even on error).  Returns 0 when @ret describes what happened
 * (including a failed exec or a timeout), or -errno when the run could not
 * be set up (-ENOMEM, -EMFILE, -EINVAL for a relative argv[0]).  The caller
 * releases @ret with ra_run_result_release.
 */
int ra_run(const struct ra_cmd *cmd, struct ra_run_result *ret) __attribute__((warn_unused_result));

/* Free what @r owns; safe to call twice and on a zeroed result. */
void ra_run_result_release(struct ra_run_result *r);

/* True if the command exited with status 0. */
bool ra_run_ok(const struct ra_run_result *r);

/*
 * Find @name in the vetted directories /usr/sbin, /usr/bin, /sbin, /bin and
 * write its absolute path to @buf.  0, -ENOENT, or -ENAMETOOLONG.
 */
int ra_run_which(const char *name, char *buf, size_t cap) __attribute__((warn_unused_result));

/*
 * Start @cmd as a daemon of its own: a new session (setsid), stdin, stdout and stderr
 * on /dev/null (it never holds the caller's pipes), nothing else open, the minimal
 * environment, @cmd->user and @cmd->uts_name applied; not waited for.  Returns 0 once
 * the program is executing, with its pid in @ret_pid (our child until we exit: reap
 * it with waitpid to see an early death), or -errno (the exec failed, or the deadline
 * passed first).
 */
int ra_spawn(const struct ra_cmd *cmd, pid_t *ret_pid) __attribute__((warn_unused_result));

#endif
