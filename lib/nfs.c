/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel NFS server's tables; see nfs.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nfs.h"
#include "parse.h"
#include "proc.h"
#include "state.h"
#include "str.h"

/* The whole file, NUL-terminated, in a buffer of its own (etab has no fixed size). */
static int
slurp(const char *file, char **ret)
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
            char *nb = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;

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
        return -ENOMEM;
    }
    buf[len] = '\0';
    *ret = buf;
    return 0;
}

int
ra_exports_read(const char *file, struct ra_exports *ret)
{
    size_t cap = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    r = slurp(file, &ret->buf);
    if (r == -ENOENT) {
        return 0;
    }
    if (r < 0) {
        return r;
    }
    for (char *l = ret->buf, *nl; l != NULL && *l != '\0'; l = nl) {
        char *tab, *paren, *end;

        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        if (*l == '#' || (tab = strchr(l, '\t')) == NULL) {
            continue;
        }
        *tab = '\0';
        paren = strchr(tab + 1, '(');
        end = paren ? strrchr(paren, ')') : NULL;
        if (paren == NULL || end == NULL) {
            continue;
        }
        *paren = '\0';
        *end = '\0';
        if (ret->n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            struct ra_export *nv = realloc(ret->v, ncap * sizeof(*nv));

            if (nv == NULL) {
                ra_exports_release(ret);
                return -ENOMEM;
            }
            ret->v = nv;
            cap = ncap;
        }
        ra_unescape_octal(l);
        ret->v[ret->n].path = l;
        ret->v[ret->n].client = tab + 1 + strspn(tab + 1, "\t ");
        ret->v[ret->n].opts = paren + 1;
        ret->n++;
    }
    return 0;
}

void
ra_exports_release(struct ra_exports *e)
{
    free(e->v);
    free(e->buf);
    memset(e, 0, sizeof(*e));
}

bool
ra_export_opt(const char *opts, const char *key, char *buf, size_t cap)
{
    size_t klen = strlen(key);

    for (const char *p = opts; p != NULL && *p != '\0';
         p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t vlen = strcspn(p + klen + 1, ",");

            if (vlen >= cap) {
                return false;
            }
            memcpy(buf, p + klen + 1, vlen);
            buf[vlen] = '\0';
            return true;
        }
    }
    return false;
}

int
ra_nfsd_threads(void)
{
    char buf[32];
    long long n;
    int r = ra_state_read("/proc/fs/nfsd/threads", buf, sizeof(buf));

    if (r < 0) {
        return r;
    }
    return ra_parse_int(buf, 0, 1 << 20, &n) == 0 ? (int)n : -EBADMSG;
}

void
ra_nfs_flush_caches(void)
{
    static const char *const caches[] = { "auth.unix.ip", "auth.unix.gid", "nfsd.fh",
                                          "nfsd.export" };
    char path[64], now[32];

    ra_format_cut(now, sizeof(now), "%lld\n", (long long)time(NULL) + 1);
    for (size_t i = 0; i < sizeof(caches) / sizeof(caches[0]); i++) {
        int fd;

        ra_format_cut(path, sizeof(path), "/proc/net/rpc/%s/flush", caches[i]);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd >= 0) {
            if (write(fd, now, strlen(now)) < 0) {
                /* nothing cached, or nfsd gone: nothing to flush */
            }
            close(fd);
        }
    }
}

int
ra_nfsd_live_threads(void)
{
    int r = ra_nfsd_threads();

    if (r == -ENOENT) {
        struct ra_pids p;
        int k = ra_proc_by_comm("nfsd", &p);

        r = k < 0 ? k : p.n > 0;
        ra_pids_release(&p);
    }
    return r;
}
