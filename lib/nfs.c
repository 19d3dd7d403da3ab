/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel NFS server's tables; see nfs.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "net.h"
#include "nfs.h"
#include "nl.h"
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

/* @key of @section in one file, into @buf (the last one there); true when set. */
static bool
conf_file_get(const char *file, const char *section, const char *key, char *buf, size_t cap)
{
    char *text;
    bool in = false, found = false;

    if (slurp(file, &text) < 0) {
        return false;
    }
    for (char *l = text, *nl; l != NULL && *l != '\0'; l = nl) {
        char *eq, *k, *v, *end;

        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        l += strspn(l, " \t");
        if (*l == '#' || *l == ';' || *l == '\0') {
            continue;
        }
        if (*l == '[') {
            /* [name] or [name "sub"]: a subsection is another section */
            size_t n = strcspn(l + 1, "]");

            in = l[1 + n] == ']' && n == strlen(section) && strncasecmp(l + 1, section, n) == 0;
            continue;
        }
        if (!in || (eq = strchr(l, '=')) == NULL) {
            continue;
        }
        k = l;
        for (end = eq; end > k && (end[-1] == ' ' || end[-1] == '\t'); end--) {
        }
        *end = '\0';
        v = eq + 1 + strspn(eq + 1, " \t");
        for (end = v + strlen(v); end > v && strchr(" \t\r", end[-1]) != NULL; end--) {
        }
        *end = '\0';
        if (end - v >= 2 && v[0] == '"' && end[-1] == '"') {
            v++;
            end[-1] = '\0';
        }
        if (strcasecmp(k, key) == 0 && strlen(v) < cap) {
            memcpy(buf, v, strlen(v) + 1);
            found = true;
        }
    }
    free(text);
    return found;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool
ra_nfs_conf_get(const char *conf, const char *section, const char *key, char *buf, size_t cap)
{
    char dir[PATH_MAX], *names[64];
    size_t n = 0;
    bool found = conf_file_get(conf, section, key, buf, cap);
    DIR *d;

    ra_format_cut(dir, sizeof(dir), "%s.d", conf);
    d = opendir(dir);
    if (d == NULL) {
        return found;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL && n < sizeof(names) / sizeof(names[0]);) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] != '.' && len > 5 && strcmp(e->d_name + len - 5, ".conf") == 0 &&
            (names[n] = strdup(e->d_name)) != NULL) {
            n++;
        }
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), name_cmp);
    for (size_t i = 0; i < n; i++) {
        char file[PATH_MAX];

        if (ra_format(file, sizeof(file), "%s/%s", dir, names[i]) == 0 &&
            conf_file_get(file, section, key, buf, cap)) {
            found = true;
        }
        free(names[i]);
    }
    return found;
}

void
ra_nfs_state_dir(const char *conf, char *buf, size_t cap)
{
    if ((!ra_nfs_conf_get(conf, "mountd", "state-directory-path", buf, cap) &&
         !ra_nfs_conf_get(conf, "exportd", "state-directory-path", buf, cap)) ||
        buf[0] != '/') {
        ra_format_cut(buf, cap, "%s", RA_NFS_STATE);
    }
}

void
ra_nfs_copy_records(const char *from, const char *to, bool clobber, const struct stat *owner)
{
    DIR *d = opendir(from);
    struct dirent *e;

    if (d == NULL) {
        return;
    }
    if (mkdir(to, 0755) == 0 && owner != NULL) {
        (void)!chown(to, owner->st_uid, owner->st_gid);
    }
    while ((e = readdir(d)) != NULL) {
        char src[PATH_MAX], dst[PATH_MAX], buf[4096];
        int in, out;
        ssize_t n;
        struct stat st;

        if (e->d_name[0] == '.' || ra_format(src, sizeof(src), "%s/%s", from, e->d_name) < 0 ||
            ra_format(dst, sizeof(dst), "%s/%s", to, e->d_name) < 0) {
            continue;
        }
        in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode) ||
            (n = read(in, buf, sizeof(buf))) < 0) {
            if (in >= 0) {
                close(in);
            }
            continue;
        }
        close(in);
        out = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (clobber ? O_TRUNC : O_EXCL),
                   st.st_mode & 07777);
        if (out < 0) {
            continue; /* there already (no clobber), or not writable */
        }
        (void)!write(out, buf, (size_t)n);
        (void)!fchown(out, st.st_uid, st.st_gid);
        close(out);
    }
    closedir(d);
}

void
ra_nfs_clear_records(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            (void)unlinkat(dirfd(d), e->d_name, 0);
        }
    }
    closedir(d);
}

int
ra_nfs_notify(struct ra_ctx *ctx, const char *const *opts, const char *host, const char *statedir)
{
    const char *args[48];
    size_t n = 0;
    struct ra_ip ip;
    int code;

    args[n++] = "-f"; /* whether or not sm-notify ran since boot */
    for (; *opts != NULL && n < RA_NELEM(args) - 5; opts++) {
        args[n++] = *opts;
    }
    if (host != NULL) {
        /* sm-notify sends from the address in a child of its own, after this one
         * returns: an address not here yet would fail unseen */
        if (ra_parse_ip(host, &ip) == 0) {
            struct ra_nl nl;
            int ifindex, r = ra_nl_open(&nl, &ctx->deadline);

            if (r == 0) {
                r = ra_net_local_lookup(&nl, &ip, &ifindex);
                ra_nl_close(&nl);
            }
            if (r == -ENOENT) {
                return ra_fail(ctx, OCF_ERR_GENERIC,
                               "%s is not an address of this node: sm-notify cannot send from it "
                               "(notify after the address starts)",
                               host);
            }
        }
        args[n++] = "-v";
        args[n++] = host;
    }
    if (statedir != NULL) {
        args[n++] = "-P";
        args[n++] = statedir;
    }
    args[n] = NULL;
    code = ra_run_tool(ctx, "sm-notify", args, NULL);
    if (code != 0) {
        if (ctx->reason[0] != '\0' && strstr(ctx->reason, "not installed") != NULL) {
            return OCF_ERR_INSTALLED;
        }
        /* it logs to syslog only; the usual cause is a name that does not resolve */
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "sm-notify%s%s failed (exit %d; its reason is in syslog: an address given "
                       "must resolve to a name, in /etc/hosts or DNS)",
                       host ? " -v " : "", host ? host : "", code);
    }
    return OCF_SUCCESS;
}
