/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Finding and signalling the processes that use a mount (see proc.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount.h"
#include "parse.h"
#include "proc.h"
#include "state.h"
#include "str.h"

void
ra_pids_release(struct ra_pids *p)
{
    if (p != NULL) {
        free(p->v);
        p->v = NULL;
        p->n = p->cap = 0;
    }
}

static int
pids_add(struct ra_pids *p, pid_t pid)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        pid_t *v = realloc(p->v, cap * sizeof(*v));

        if (v == NULL) {
            return -ENOMEM;
        }
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = pid;
    return 0;
}

/* readlink of /proc/PID/NAME lies inside @target */
static bool
link_under(const char *piddir, const char *name, const char *target)
{
    char path[300], dest[4096];
    ssize_t n;

    if (ra_format(path, sizeof(path), "%s/%s", piddir, name) < 0) {
        return false;
    }
    n = readlink(path, dest, sizeof(dest) - 1);
    if (n <= 0) {
        return false;
    }
    dest[n] = '\0';
    return dest[0] == '/' && ra_path_under(dest, target);
}

/* The mnt_id line of an fdinfo file, or -1 (kernels before 3.15 have none). */
static int
fd_mnt_id(int dirfd, const char *fd)
{
    char buf[512];
    int f = openat(dirfd, fd, O_RDONLY | O_CLOEXEC);
    ssize_t n;
    const char *m;
    long long v = -1;

    if (f < 0) {
        return -1;
    }
    n = read(f, buf, sizeof(buf) - 1);
    close(f);
    if (n <= 0) {
        return -1;
    }
    buf[n] = '\0';
    m = strstr(buf, "mnt_id:");
    if (m == NULL) {
        return -1;
    }
    m += 7;
    while (*m == ' ' || *m == '\t') {
        m++;
    }
    {
        char num[24];
        size_t k = strspn(m, "0123456789");

        if (k == 0 || k >= sizeof(num)) {
            return -1;
        }
        memcpy(num, m, k);
        num[k] = '\0';
        if (ra_parse_int(num, 0, 1LL << 31, &v) < 0) {
            return -1;
        }
    }
    return (int)v;
}

static bool
fds_use(const char *piddir, const char *target, int mnt_id)
{
    char path[300];
    DIR *d;
    struct dirent *e;
    int infofd;
    bool hit = false;

    if (ra_format(path, sizeof(path), "%s/fdinfo", piddir) < 0) {
        return false;
    }
    infofd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (ra_format(path, sizeof(path), "%s/fd", piddir) < 0 || (d = opendir(path)) == NULL) {
        if (infofd >= 0) {
            close(infofd);
        }
        return false;
    }
    while (!hit && (e = readdir(d)) != NULL) {
        char name[300];
        int id;

        if (e->d_name[0] == '.') {
            continue;
        }
        id = infofd >= 0 ? fd_mnt_id(infofd, e->d_name) : -1;
        if (id >= 0 && mnt_id >= 0) {
            hit = id == mnt_id; /* exact: the mount, not a path that looks like it */
        } else if (target != NULL && ra_format(name, sizeof(name), "fd/%s", e->d_name) == 0) {
            hit = link_under(piddir, name, target);
        }
    }
    closedir(d);
    if (infofd >= 0) {
        close(infofd);
    }
    return hit;
}

/* A mapped file (shared library, mmap) inside @target. */
static bool
maps_use(const char *piddir, const char *target)
{
    char path[300], line[4352];
    FILE *f;
    bool hit = false;

    if (ra_format(path, sizeof(path), "%s/maps", piddir) < 0 || (f = fopen(path, "re")) == NULL) {
        return false;
    }
    while (!hit && fgets(line, sizeof(line), f) != NULL) {
        char *slash = strchr(line, '/');

        if (slash != NULL) {
            slash[strcspn(slash, "\n")] = '\0';
            hit = ra_path_under(slash, target);
        }
    }
    fclose(f);
    return hit;
}

/* The mount namespace of /proc/PID (or "self"), as its inode number; 0 if unknown. */
static ino_t
mnt_ns(const char *piddir)
{
    char path[300];
    struct stat st;

    if (ra_format(path, sizeof(path), "%s/ns/mnt", piddir) < 0 || stat(path, &st) < 0) {
        return 0;
    }
    return st.st_ino;
}

/*
 * Paths in /proc/PID (cwd, root, exe, maps, fd links) mean something only
 * in our own mount namespace: in another one the same string can name an
 * unrelated filesystem (a container's tmpfs at the same path).  There only
 * an open file's mount id, which is unique on the system, counts.
 */
static bool
uses(const char *piddir, const char *target, int mnt_id, ino_t our_ns)
{
    ino_t ns = mnt_ns(piddir);

    if (ns == 0 || ns != our_ns) {
        return mnt_id >= 0 && fds_use(piddir, NULL, mnt_id);
    }
    return link_under(piddir, "cwd", target) || link_under(piddir, "root", target) ||
           link_under(piddir, "exe", target) || fds_use(piddir, target, mnt_id) ||
           maps_use(piddir, target);
}

int
ra_proc_users(const char *target, int mnt_id, struct ra_pids *ret)
{
    struct ra_pids p = { 0 };
    DIR *proc = opendir("/proc");
    struct dirent *e;
    pid_t self = getpid();
    ino_t our_ns = mnt_ns("/proc/self");

    if (proc == NULL) {
        return -errno;
    }
    while ((e = readdir(proc)) != NULL) {
        long long pid = 0;
        char piddir[64];

        if (ra_parse_int(e->d_name, 2, 1LL << 30, &pid) < 0 || (pid_t)pid == self) {
            continue; /* not a process, pid 1, or ourselves */
        }
        if (ra_format(piddir, sizeof(piddir), "/proc/%lld", pid) < 0) {
            continue;
        }
        if (uses(piddir, target, mnt_id, our_ns)) {
            if (pids_add(&p, (pid_t)pid) < 0) {
                closedir(proc);
                ra_pids_release(&p);
                return -ENOMEM;
            }
        }
    }
    closedir(proc);
    *ret = p;
    return 0;
}

void
ra_proc_signal(const struct ra_pids *p, int sig)
{
    for (size_t i = 0; i < p->n; i++) {
        if (kill(p->v[i], sig) < 0 && errno != ESRCH) {
            /* a process we may not signal: the unmount will tell */
        }
    }
}

const char *
ra_pids_str(const struct ra_pids *p, char *buf, size_t cap)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < p->n && o + 12 < cap; i++) {
        int n = snprintf(buf + o, cap - o, "%s%d", i ? " " : "", (int)p->v[i]);

        o += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

int
ra_proc_dev_users(dev_t dev, struct ra_pids *ret)
{
    DIR *proc = opendir("/proc");
    struct dirent *p;
    int r = 0;

    memset(ret, 0, sizeof(*ret));
    if (proc == NULL) {
        return -errno;
    }
    while (r == 0 && (p = readdir(proc)) != NULL) {
        char path[300];
        DIR *fds;
        struct dirent *f;

        if (p->d_name[0] < '1' || p->d_name[0] > '9' ||
            ra_format(path, sizeof(path), "/proc/%s/fd", p->d_name) < 0 ||
            (fds = opendir(path)) == NULL) {
            continue;
        }
        while ((f = readdir(fds)) != NULL) {
            char fd[600];
            struct stat st;
            long long pid;

            char link[64];
            ssize_t ln;

            /* readlink first: it does not touch the file (a stat of one on a dead NFS
             * server would hang); only device nodes are looked at further */
            if (f->d_name[0] == '.' || ra_format(fd, sizeof(fd), "%s/%s", path, f->d_name) < 0 ||
                (ln = readlink(fd, link, sizeof(link) - 1)) < 5 || strncmp(link, "/dev/", 5) != 0) {
                continue;
            }
            if (stat(fd, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == dev &&
                ra_parse_int(p->d_name, 1, INT32_MAX, &pid) == 0) {
                r = pids_add(ret, (pid_t)pid);
                break;
            }
        }
        closedir(fds);
    }
    closedir(proc);
    if (r < 0) {
        ra_pids_release(ret);
    }
    return r;
}

/* Call @fn with each live process's pid and name (comm) until it returns non-zero. */
static int
comm_walk(int (*fn)(pid_t pid, const char *comm, void *data), void *data)
{
    DIR *proc = opendir("/proc");
    struct dirent *p;
    int r = 0;

    if (proc == NULL) {
        return -errno;
    }
    while (r == 0 && (p = readdir(proc)) != NULL) {
        char path[300], buf[512], *close_paren;
        long long pid;

        if (p->d_name[0] < '1' || p->d_name[0] > '9' ||
            ra_parse_int(p->d_name, 1, INT32_MAX, &pid) < 0 ||
            ra_format(path, sizeof(path), "/proc/%s/stat", p->d_name) < 0 ||
            ra_state_read(path, buf, sizeof(buf)) < 0) {
            continue;
        }
        /* "PID (COMM) STATE ...": the name is between the first '(' and the last ')' */
        close_paren = strrchr(buf, ')');
        if (close_paren == NULL || strchr(buf, '(') == NULL || close_paren[1] != ' ' ||
            close_paren[2] == 'Z' || close_paren[2] == 'X') {
            continue;
        }
        *close_paren = '\0';
        r = fn((pid_t)pid, strchr(buf, '(') + 1, data);
    }
    closedir(proc);
    return r;
}

struct by_comm {
    const char *comm;
    struct ra_pids *pids;
};

static int
by_comm_one(pid_t pid, const char *comm, void *data)
{
    struct by_comm *b = data;

    return strcmp(comm, b->comm) == 0 ? pids_add(b->pids, pid) : 0;
}

int
ra_proc_by_comm(const char *comm, struct ra_pids *ret)
{
    struct by_comm b = { comm, ret };
    int r;

    memset(ret, 0, sizeof(*ret));
    r = comm_walk(by_comm_one, &b);
    if (r < 0) {
        ra_pids_release(ret);
    }
    return r;
}

struct count_comms {
    const char *const *comms;
    size_t *counts;
};

static int
count_one(pid_t pid, const char *comm, void *data)
{
    struct count_comms *c = data;

    (void)pid;
    for (size_t i = 0; c->comms[i] != NULL; i++) {
        c->counts[i] += strcmp(comm, c->comms[i]) == 0;
    }
    return 0;
}

int
ra_proc_count_comms(const char *const *comms, size_t *counts)
{
    struct count_comms c = { comms, counts };

    for (size_t i = 0; comms[i] != NULL; i++) {
        counts[i] = 0;
    }
    return comm_walk(count_one, &c);
}

int
ra_proc_stat(pid_t pid, char *comm, size_t cap, pid_t *ret_ppid, pid_t *ret_sid)
{
    char path[64], buf[512], *open_paren, *close_paren;
    long long ppid;
    int r;

    if (ra_format(path, sizeof(path), "/proc/%d/stat", (int)pid) < 0) {
        return -EINVAL;
    }
    r = ra_state_read(path, buf, sizeof(buf));
    if (r < 0) {
        return r == -ENOENT || r == -ESRCH ? 0 : r;
    }
    open_paren = strchr(buf, '(');
    close_paren = strrchr(buf, ')');
    if (open_paren == NULL || close_paren == NULL || close_paren < open_paren ||
        close_paren[1] != ' ' || close_paren[2] == '\0') {
        return -EBADMSG;
    }
    if (close_paren[2] == 'Z' || close_paren[2] == 'X') {
        return 0; /* dead, only not reaped yet */
    }
    if (comm != NULL) {
        ra_format_cut(comm, cap, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
    }
    if (ret_ppid != NULL || ret_sid != NULL) {
        /* after the state: ppid pgrp session */
        long long f[3];
        char *p = close_paren + 4;

        for (int i = 0; i < 3; i++) {
            char *sp = strchr(p, ' ');

            if (sp == NULL) {
                return -EBADMSG;
            }
            *sp = '\0';
            if (ra_parse_int(p, 0, INT32_MAX, &f[i]) < 0) {
                return -EBADMSG;
            }
            p = sp + 1;
        }
        ppid = f[0];
        if (ret_ppid != NULL) {
            *ret_ppid = (pid_t)ppid;
        }
        if (ret_sid != NULL) {
            *ret_sid = (pid_t)f[2];
        }
    }
    return 1;
}

int
ra_proc_arg_file_is(pid_t pid, const char *opt, const char *file, dev_t dev, ino_t ino,
                    bool *has_opt)
{
    char path[64], args[16384];
    size_t olen = strlen(opt);
    ssize_t n;
    int fd;

    *has_opt = false;
    if (ra_format(path, sizeof(path), "/proc/%d/cmdline", (int)pid) < 0) {
        return -EINVAL;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT || errno == ESRCH ? 0 : -errno;
    }
    n = read(fd, args, sizeof(args) - 1);
    close(fd);
    if (n < 0) {
        return errno == ESRCH ? 0 : -errno;
    }
    args[n] = '\0';
    for (const char *a = args; a < args + n; a += strlen(a) + 1) {
        const char *v = NULL;
        char full[PATH_MAX + 64];
        struct stat st;

        if (strcmp(a, opt) == 0 && a + strlen(a) + 1 < args + n) {
            v = a + strlen(a) + 1;
        } else if (strncmp(a, opt, olen) == 0 && a[olen] != '\0') {
            v = a + olen;
        }
        if (v == NULL || v[0] == '\0') {
            continue;
        }
        *has_opt = true;
        if (dev == 0 && ino == 0) {
            if (file != NULL && strcmp(v, file) == 0) {
                return 1;
            }
            continue;
        }
        /* relative to where the process runs, through its own view of the files */
        if (ra_format(full, sizeof(full), v[0] == '/' ? "/proc/%d/root%s" : "/proc/%d/cwd/%s",
                      (int)pid, v) < 0) {
            continue;
        }
        if (stat(full, &st) == 0) {
            if (st.st_dev == dev && st.st_ino == ino) {
                return 1;
            }
        } else if (errno != ENOENT && errno != ENOTDIR) {
            return -errno; /* a file we cannot look at may be ours */
        }
    }
    return 0;
}

int
ra_proc_exe_is(pid_t pid, dev_t dev, ino_t ino)
{
    char path[64];
    struct stat st;

    if (ra_format(path, sizeof(path), "/proc/%d/exe", (int)pid) < 0) {
        return -EINVAL;
    }
    if (stat(path, &st) < 0) {
        return errno == ENOENT || errno == ESRCH ? 0 : -errno;
    }
    return st.st_dev == dev && st.st_ino == ino;
}

struct by_arg {
    const char *opt, *file;
    dev_t dev, exe_dev;
    ino_t ino, exe_ino;
    pid_t self;
    struct ra_pids *pids;
    int err;
};

static int
by_arg_one(pid_t pid, const char *comm, void *data)
{
    struct by_arg *b = data;
    bool has;
    int r;

    (void)comm;
    if (pid == b->self) {
        return 0;
    }
    r = ra_proc_arg_file_is(pid, b->opt, b->file, b->dev, b->ino, &has);
    if (r > 0 && (b->exe_dev != 0 || b->exe_ino != 0)) {
        r = ra_proc_exe_is(pid, b->exe_dev, b->exe_ino);
    }
    if (r < 0) {
        b->err = r;
    }
    return r > 0 ? pids_add(b->pids, pid) : 0;
}

int
ra_proc_by_arg_file(const char *opt, const char *file, dev_t dev, ino_t ino, dev_t exe_dev,
                    ino_t exe_ino, struct ra_pids *ret)
{
    struct by_arg b = { opt, file, dev, exe_dev, ino, exe_ino, getpid(), ret, 0 };
    int r;

    memset(ret, 0, sizeof(*ret));
    r = comm_walk(by_arg_one, &b);
    if (r == 0) {
        r = b.err;
    }
    if (r < 0) {
        ra_pids_release(ret);
    }
    return r;
}

struct by_session {
    pid_t sid;
    struct ra_pids *pids;
    int err;
};

static int
by_session_one(pid_t pid, const char *comm, void *data)
{
    struct by_session *b = data;
    pid_t sid = 0;
    int r = ra_proc_stat(pid, NULL, 0, NULL, &sid);

    (void)comm;
    if (r < 0) {
        b->err = r;
    }
    return r == 1 && sid == b->sid ? pids_add(b->pids, pid) : 0;
}

int
ra_proc_by_session(pid_t sid, struct ra_pids *ret)
{
    struct by_session b = { sid, ret, 0 };
    int r;

    memset(ret, 0, sizeof(*ret));
    r = comm_walk(by_session_one, &b);
    if (r == 0) {
        r = b.err;
    }
    if (r < 0) {
        ra_pids_release(ret);
    }
    return r;
}

int
ra_proc_cwd_is(pid_t pid, dev_t dev, ino_t ino)
{
    char path[64];
    struct stat st;

    if (ra_format(path, sizeof(path), "/proc/%d/cwd", (int)pid) < 0) {
        return -EINVAL;
    }
    if (stat(path, &st) < 0) {
        return errno == ENOENT || errno == ESRCH ? 0 : -errno;
    }
    return st.st_dev == dev && st.st_ino == ino;
}

struct by_cwd {
    dev_t dev;
    ino_t ino;
    pid_t self;
    struct ra_pids *pids;
    int err;
};

static int
by_cwd_one(pid_t pid, const char *comm, void *data)
{
    struct by_cwd *b = data;
    int r;

    (void)comm;
    if (pid == b->self) {
        return 0;
    }
    r = ra_proc_cwd_is(pid, b->dev, b->ino);
    if (r < 0 && r != -EACCES) {
        b->err = r;
    }
    return r > 0 ? pids_add(b->pids, pid) : 0;
}

int
ra_proc_by_cwd(dev_t dev, ino_t ino, struct ra_pids *ret)
{
    struct by_cwd b = { dev, ino, getpid(), ret, 0 };
    int r;

    memset(ret, 0, sizeof(*ret));
    r = comm_walk(by_cwd_one, &b);
    if (r == 0) {
        r = b.err;
    }
    if (r < 0) {
        ra_pids_release(ret);
    }
    return r;
}
