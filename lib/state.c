/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * State files and locks under HA_RSCTMP.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "parse.h"
#include "state.h"
#include "str.h"

const char *
ra_state_dir(void)
{
    const char *d = ra_env_get("HA_RSCTMP");

    return (d != NULL && d[0] == '/') ? d : RA_STATE_DIR_DEFAULT;
}

int
ra_state_path(char *buf, size_t cap, const char *dir, const char *prefix, const char *name,
              const char *suffix)
{
    int r = ra_format(buf, cap, "%s/%s", dir, prefix);
    size_t o;

    if (r < 0) {
        return r;
    }
    o = strlen(buf);
    for (const char *p = name; *p != '\0'; p++) {
        if (o + 1 >= cap) {
            return -ENAMETOOLONG;
        }
        buf[o++] = (*p == '/') ? '_' : *p;
    }
    buf[o] = '\0';
    return ra_format(buf + o, cap - o, "%s", suffix);
}

int
ra_state_mkdirs(const char *path)
{
    char dir[4096];
    int r = ra_format(dir, sizeof(dir), "%s", path);
    char *slash;

    if (r < 0) {
        return r;
    }
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;

            *p = '\0';
            if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
                return -errno;
            }
            *p = c;
            if (c == '\0') {
                break;
            }
        }
    }
    return 0;
}

int
ra_state_write(const char *path, const char *data, size_t len)
{
    char tmp[4096];
    int fd = -1, r;

    r = ra_format(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (r < 0) {
        return r;
    }
    r = ra_state_mkdirs(path);
    if (r < 0) {
        return r;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -errno;
    }
    while (len > 0) {
        ssize_t w = write(fd, data, len);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            r = -errno;
            goto cleanup;
        }
        data += w;
        len -= (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        fd = -1;
        r = -errno;
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        r = -errno;
        goto cleanup;
    }
    return 0;

cleanup:
    if (fd >= 0) {
        close(fd);
    }
    unlink(tmp);
    return r;
}

int
ra_state_read(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    size_t len = 0;
    int r = 0;

    if (fd < 0) {
        return -errno;
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            r = -errno;
            break;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
        if (len == cap - 1) {
            char extra;

            if (read(fd, &extra, 1) > 0) {
                r = -EFBIG;
            }
            break;
        }
    }
    close(fd);
    if (r < 0) {
        return r;
    }
    if (len > 0 && buf[len - 1] == '\n') {
        len--;
    }
    buf[len] = '\0';
    return 0;
}

int
ra_state_read_int(const char *path, long long min, long long max, long long *ret_v)
{
    char buf[64];
    int r = ra_state_read(path, buf, sizeof(buf));

    if (r < 0) {
        return r == -EFBIG ? -EINVAL : r;
    }
    r = ra_parse_int(buf, min, max, ret_v);
    return r < 0 ? -EINVAL : 0;
}

bool
ra_state_exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

int
ra_state_remove(const char *path)
{
    struct stat st;
    int r;

    if (unlink(path) == 0 || errno == ENOENT || errno == ENOTDIR) {
        return 0;
    }
    /*
     * unlink can fail on a file that is not there (a read-only directory
     * gives EROFS before the name is looked up): absent is what counts.
     */
    r = -errno;
    if (lstat(path, &st) < 0 && (errno == ENOENT || errno == ENOTDIR)) {
        return 0;
    }
    return r;
}

int
ra_lock_acquire(const char *path, const struct ra_deadline *deadline, int *ret_fd)
{
    int fd, r;

    r = ra_state_mkdirs(path);
    if (r < 0) {
        return r;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        return -errno;
    }
    /* flock has no timeout: try, and sleep briefly between tries */
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            r = -errno;
            close(fd);
            return r;
        }
        if (ra_deadline_sleep(deadline, 20) < 0) {
            close(fd);
            return -ETIME;
        }
    }
    *ret_fd = fd;
    return 0;
}

void
ra_lock_release(int fd)
{
    if (fd >= 0) {
        close(fd);
    }
}

int
ra_state_slurp(const char *file, size_t max, char **ret)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    size_t len = 0, cap = 8192;
    char *buf;

    *ret = NULL;
    if (fd < 0) {
        return -errno;
    }
    buf = malloc(cap);
    while (buf != NULL) {
        ssize_t n;

        if (len + 1 >= cap) {
            char *nb = cap < max ? realloc(buf, cap * 2) : NULL;

            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int e = errno;

            free(buf);
            close(fd);
            return -e;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
    }
    close(fd);
    if (buf == NULL) {
        return cap >= max ? -EFBIG : -ENOMEM;
    }
    buf[len] = '\0';
    *ret = buf;
    return 0;
}
