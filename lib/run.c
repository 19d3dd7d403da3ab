/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helper programs under a deadline, with posix_spawn (a vfork-style clone,
 * cheap for a small agent), captured output with a cap, and the helper's
 * whole process group killed when the deadline passes.  A command that
 * needs a host name of its own (uts_name: nfsd's server scope) is forked
 * instead, and the child unshares its UTS namespace before the exec: no
 * unshare(1), no shell; so is one that runs as another user (a daemon such as
 * mariadbd, started by ra_spawn in a session of its own), which takes that
 * user's ids before the exec: no su, no runuser.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"
#include "str.h"

extern char **environ;

#define RUN_SAFE_PATH "PATH=/usr/sbin:/usr/bin:/sbin:/bin"

struct stream {
    int fd;
    char *buf;
    size_t len;
    size_t cap; /* cap on captured bytes */
    bool truncated;
};

void
ra_run_result_release(struct ra_run_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
    r->out_len = r->err_len = 0;
}

bool
ra_run_ok(const struct ra_run_result *r)
{
    return r->status == RA_RUN_DONE && r->exit_code == 0;
}

int
ra_run_which(const char *name, char *buf, size_t cap)
{
    static const char *const dirs[] = { "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

    if (strchr(name, '/') != NULL) {
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        int r = ra_format(buf, cap, "%s/%s", dirs[i], name);

        if (r < 0) {
            return r;
        }
        if (access(buf, X_OK) == 0) {
            return 0;
        }
    }
    return -ENOENT;
}

/* Read what is available on @s; on EOF close it.  Bytes past the cap are read and dropped. */
static void
stream_read(struct stream *s)
{
    char chunk[4096];
    ssize_t n = read(s->fd, chunk, sizeof(chunk));

    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        return;
    }
    if (n <= 0) {
        close(s->fd);
        s->fd = -1;
        return;
    }
    {
        size_t keep = (size_t)n;

        if (s->len + keep > s->cap) {
            keep = s->cap - s->len;
            s->truncated = true;
        }
        if (keep > 0) {
            memcpy(s->buf + s->len, chunk, keep);
            s->len += keep;
        }
    }
}

static char **
build_env(const char *const *extra)
{
    size_t n = 0;
    char **envp;

    while (extra != NULL && extra[n] != NULL) {
        n++;
    }
    envp = calloc(n + 3, sizeof(*envp));
    if (envp == NULL) {
        return NULL;
    }
    envp[0] = (char *)(uintptr_t) "LC_ALL=C";
    envp[1] = (char *)(uintptr_t)RUN_SAFE_PATH;
    for (size_t i = 0; i < n; i++) {
        envp[2 + i] = (char *)(uintptr_t)extra[i];
    }
    return envp;
}

static int
pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

/* dup2, and for a descriptor already in place, its close-on-exec flag cleared */
static int
dup_to(int fd, int to)
{
    return fd == to ? fcntl(fd, F_SETFD, 0) : dup2(fd, to);
}

/* The identity a child takes (ra_cmd's user), looked up before the fork. */
struct ids {
    bool set;
    uid_t uid;
    gid_t gid;
    int ngroups;
    gid_t groups[1024];
};

static int
ids_for(const char *user, struct ids *ret)
{
    char buf[4096];
    struct passwd pw, *res = NULL;

    memset(ret, 0, sizeof(*ret));
    if (user == NULL) {
        return 0;
    }
    if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) != 0 || res == NULL) {
        return ENOENT;
    }
    ret->set = true;
    ret->uid = pw.pw_uid;
    ret->gid = pw.pw_gid;
    ret->ngroups = (int)(sizeof(ret->groups) / sizeof(ret->groups[0]));
    if (getgrouplist(user, pw.pw_gid, ret->groups, &ret->ngroups) < 0) {
        return E2BIG; /* never run with fewer groups than the user has */
    }
    return 0;
}

/*
 * The child of spawn_fork, between fork and exec: only system calls.  A process group
 * of its own (@session: a session), signals reset, a UTS namespace named
 * @cmd->uts_name, the identity @ids, the three descriptors, nothing else open
 * (@maxfd: the descriptor limit, for kernels without close_range); an errno reaches
 * the parent through @errfd (close-on-exec).
 */
static _Noreturn void
child_setup(const struct ra_cmd *cmd, const int fds[3], int errfd, int maxfd, char **envp,
            const struct ids *ids, bool session)
{
    sigset_t none;
    int e;

    if (session) {
        (void)setsid();
    } else {
        (void)setpgid(0, 0);
    }
    for (int s = 1; s < NSIG; s++) {
        (void)signal(s, SIG_DFL);
    }
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    if (cmd->uts_name != NULL &&
        (unshare(CLONE_NEWUTS) < 0 || sethostname(cmd->uts_name, strlen(cmd->uts_name)) < 0)) {
        goto fail;
    }
    if (ids->set && (setgroups((size_t)ids->ngroups, ids->groups) < 0 || setgid(ids->gid) < 0 ||
                     setuid(ids->uid) < 0)) {
        goto fail;
    }
    for (int i = 0; i < 3; i++) {
        if (dup_to(fds[i], i) < 0) {
            goto fail;
        }
    }
    /* everything above 2 closes at exec (the error pipe too) */
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0)
#endif
    {
        for (int fd = 3; fd < maxfd; fd++) {
            if (fd != errfd) {
                (void)close(fd);
            }
        }
    }
    execve(cmd->argv[0], (char *const *)(uintptr_t)cmd->argv, envp);
fail:
    e = errno;
    (void)!write(errfd, &e, sizeof(e));
    _exit(127); /* the forked child's exec failed */
}

/*
 * spawn for what posix_spawn cannot do (a UTS namespace, another user): fork, and the
 * child sets itself up.  Returns 0, or the errno of what failed before the exec
 * (ETIMEDOUT when the exec did not happen before the deadline: the child is killed).
 */
static int
spawn_fork(const struct ra_cmd *cmd, const int fds[3], pid_t *ret_pid, char **envp, bool session)
{
    struct rlimit nofile = { .rlim_cur = 1024 };
    struct ids ids;
    int ep[2], e = 0, maxfd;
    ssize_t n = -1;
    pid_t pid;

    if ((e = ids_for(cmd->user, &ids)) != 0) {
        return e;
    }
    (void)getrlimit(RLIMIT_NOFILE, &nofile);
    maxfd = nofile.rlim_cur > 65536 ? 65536 : (int)nofile.rlim_cur;
    if (pipe2(ep, O_CLOEXEC) < 0) {
        return errno;
    }
    pid = fork();
    if (pid < 0) {
        e = errno;
        close(ep[0]);
        close(ep[1]);
        return e;
    }
    if (pid == 0) {
        close(ep[0]);
        child_setup(cmd, fds, ep[1], maxfd, envp, &ids, session);
    }
    close(ep[1]);
    /* the pipe closes at the exec, or carries the errno of what failed */
    for (;;) {
        struct pollfd pfd = { .fd = ep[0], .events = POLLIN };
        uint64_t left = ra_deadline_left_ms(cmd->deadline);
        int p = poll(&pfd, 1, (int)(left > 1000 ? 1000 : left));

        if (p > 0) {
            n = read(ep[0], &e, sizeof(e));
            if (n < 0 && errno == EINTR) {
                continue;
            }
            break;
        }
        if ((p < 0 && errno != EINTR) || (p == 0 && ra_deadline_expired(cmd->deadline))) {
            kill(pid, SIGKILL);
            n = sizeof(e);
            e = ETIMEDOUT;
            break;
        }
    }
    close(ep[0]);
    if (n == (ssize_t)sizeof(e)) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
        return e != 0 ? e : EIO;
    }
    *ret_pid = pid;
    return 0;
}

int
ra_spawn(const struct ra_cmd *cmd, pid_t *ret_pid)
{
    char **envp;
    int null_fd, r;

    if (cmd->argv == NULL || cmd->argv[0] == NULL || cmd->argv[0][0] != '/' ||
        cmd->deadline == NULL) {
        return -EINVAL;
    }
    if ((envp = build_env(cmd->env)) == NULL) {
        return -ENOMEM;
    }
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd < 0) {
        r = errno;
    } else {
        const int fds[3] = { null_fd, null_fd, null_fd };

        r = spawn_fork(cmd, fds, ret_pid, envp, true);
        close(null_fd);
    }
    free(envp);
    return -r;
}

static int
spawn(const struct ra_cmd *cmd, int in_fd, int out_fd, int err_fd, pid_t *ret_pid)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, all;
    char **envp = build_env(cmd->env);
    int r;

    if (envp == NULL) {
        return ENOMEM;
    }
    if (cmd->uts_name != NULL || cmd->user != NULL) {
        int null_fd = in_fd < 0 ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
        const int fds[3] = { in_fd < 0 ? null_fd : in_fd, out_fd, err_fd };

        r = fds[0] < 0 ? errno : spawn_fork(cmd, fds, ret_pid, envp, false);
        if (null_fd >= 0) {
            close(null_fd);
        }
        free(envp);
        return r;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    if (in_fd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
    } else {
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
#ifdef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                        POSIX_SPAWN_SETPGROUP);
    r = posix_spawn(ret_pid, cmd->argv[0], &fa, &attr, (char *const *)(uintptr_t)cmd->argv, envp);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    free(envp);
    return r;
}

static void
set_status(struct ra_run_result *ret, int wstatus)
{
    if (WIFEXITED(wstatus)) {
        ret->status = RA_RUN_DONE;
        ret->exit_code = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        ret->status = RA_RUN_SIGNALED;
        ret->signo = WTERMSIG(wstatus);
    }
}

int
ra_run(const struct ra_cmd *cmd, struct ra_run_result *ret)
{
    size_t cap = cmd->capture_max ? cmd->capture_max : RA_RUN_CAPTURE_MAX;
    uint64_t grace = cmd->kill_grace_ms ? cmd->kill_grace_ms : 1000;
    struct stream out = { .fd = -1, .cap = cap }, err = { .fd = -1, .cap = cap };
    int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 }, in_pipe[2] = { -1, -1 };
    int pidfd = -1, rc = 0, wstatus = 0;
    size_t in_off = 0;
    uint64_t kill_at = 0;
    bool reaped = false, timed_out = false;
    pid_t pid = -1;

    memset(ret, 0, sizeof(*ret));
    if (cmd->argv == NULL || cmd->argv[0] == NULL || cmd->argv[0][0] != '/' ||
        cmd->deadline == NULL) {
        return -EINVAL;
    }
    if (cmd->dry_run != NULL) {
        return cmd->dry_run(cmd->dry_run_data, cmd, ret);
    }
    out.buf = malloc(cap + 1);
    err.buf = malloc(cap + 1);
    if (out.buf == NULL || err.buf == NULL) {
        rc = -ENOMEM;
        goto cleanup;
    }
    if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0 ||
        (cmd->input != NULL && pipe2(in_pipe, O_CLOEXEC) < 0)) {
        rc = -errno;
        goto cleanup;
    }
    rc = spawn(cmd, in_pipe[0], out_pipe[1], err_pipe[1], &pid);
    if (rc != 0) {
        ret->status = RA_RUN_EXEC_FAILED;
        ret->exec_errno = rc;
        rc = 0;
        goto cleanup;
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    if (in_pipe[0] >= 0) {
        close(in_pipe[0]);
        in_pipe[0] = -1;
        /* a child that does not read its input must not block us */
        (void)fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
        (void)signal(SIGPIPE, SIG_IGN);
    }
    out.fd = out_pipe[0];
    err.fd = err_pipe[0];
    out_pipe[0] = err_pipe[0] = -1;
    pidfd = pidfd_for(pid);

    while (!reaped) {
        struct pollfd pfd[4];
        nfds_t n = 0;
        int idx_out = -1, idx_err = -1, idx_in = -1, idx_pid = -1;
        uint64_t now = ra_now_ms(), wait_ms;
        int p;

        if (!timed_out && ra_deadline_expired(cmd->deadline)) {
            timed_out = true;
            kill(-pid, SIGTERM);
            kill_at = now + grace;
        } else if (timed_out && kill_at != 0 && now >= kill_at) {
            kill(-pid, SIGKILL);
            kill_at = 0;
        }
        wait_ms = timed_out ? (kill_at ? kill_at - now : 100) : ra_deadline_left_ms(cmd->deadline);
        if (pidfd < 0 && wait_ms > 20) {
            wait_ms = 20; /* no pidfd: poll for the exit */
        }
        if (out.fd >= 0) {
            idx_out = (int)n;
            pfd[n++] = (struct pollfd){ .fd = out.fd, .events = POLLIN };
        }
        if (err.fd >= 0) {
            idx_err = (int)n;
            pfd[n++] = (struct pollfd){ .fd = err.fd, .events = POLLIN };
        }
        if (in_pipe[1] >= 0) {
            idx_in = (int)n;
            pfd[n++] = (struct pollfd){ .fd = in_pipe[1], .events = POLLOUT };
        }
        if (pidfd >= 0) {
            idx_pid = (int)n;
            pfd[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
        }
        p = poll(pfd, n, (int)(wait_ms > 1000 ? 1000 : wait_ms));
        if (p < 0 && errno != EINTR) {
            rc = -errno;
            break;
        }
        if (p > 0 && idx_out >= 0 && pfd[idx_out].revents) {
            stream_read(&out);
        }
        if (p > 0 && idx_err >= 0 && pfd[idx_err].revents) {
            stream_read(&err);
        }
        if (p > 0 && idx_in >= 0 && pfd[idx_in].revents) {
            ssize_t w = (pfd[idx_in].revents & POLLOUT)
                            ? write(in_pipe[1], cmd->input + in_off, cmd->input_len - in_off)
                            : -1;

            if (w > 0) {
                in_off += (size_t)w;
            }
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || in_off >= cmd->input_len) {
                close(in_pipe[1]);
                in_pipe[1] = -1;
            }
        }
        if (idx_pid < 0 || (p > 0 && pfd[idx_pid].revents)) {
            pid_t w = waitpid(pid, &wstatus, WNOHANG);

            if (w == pid) {
                reaped = true;
            }
        }
    }
    if (!reaped) {
        kill(-pid, SIGKILL);
        while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
        }
    }
    /* Collect what is already written; a daemon the helper left holding the
     * pipe must not keep us here. */
    for (struct stream *s = &out; s != NULL; s = (s == &out) ? &err : NULL) {
        while (s->fd >= 0) {
            struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

            if (poll(&pfd, 1, 0) <= 0) {
                break;
            }
            stream_read(s);
        }
    }
    set_status(ret, wstatus);
    if (timed_out) {
        ret->status = RA_RUN_TIMEOUT;
    }

cleanup:
    for (int i = 0; i < 2; i++) {
        if (out_pipe[i] >= 0) {
            close(out_pipe[i]);
        }
        if (err_pipe[i] >= 0) {
            close(err_pipe[i]);
        }
        if (in_pipe[i] >= 0) {
            close(in_pipe[i]);
        }
    }
    if (out.fd >= 0) {
        close(out.fd);
    }
    if (err.fd >= 0) {
        close(err.fd);
    }
    if (pidfd >= 0) {
        close(pidfd);
    }
    if (rc == 0 && out.buf != NULL && err.buf != NULL) {
        out.buf[out.len] = '\0';
        err.buf[err.len] = '\0';
        ret->out = out.buf;
        ret->out_len = out.len;
        ret->out_truncated = out.truncated;
        ret->err = err.buf;
        ret->err_len = err.len;
        ret->err_truncated = err.truncated;
    } else {
        free(out.buf);
        free(err.buf);
    }
    return rc;
}
