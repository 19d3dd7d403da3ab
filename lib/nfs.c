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
#include <stdio.h>
#include <unistd.h>

#include "agent.h"
#include "net.h"
#include "nfs.h"
#include "nl.h"
#include "parse.h"
#include "proc.h"
#include "state.h"
#include "str.h"

int
ra_exports_read(const char *file, struct ra_exports *ret)
{
    size_t cap = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    r = ra_state_slurp(file, 64u << 20, &ret->buf);
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

    if (ra_state_slurp(file, 64u << 20, &text) < 0) {
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
        if (end - v >= 2 && (v[0] == '"' || v[0] == '\'') && end[-1] == v[0]) {
            v++;
            end[-1] = '\0';
        }
        /* an empty value sets nothing (nfs-utils keeps what was there) */
        if (strcasecmp(k, key) == 0 && *v != '\0' && strlen(v) < cap) {
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
    char dir[PATH_MAX], **names = NULL;
    size_t n = 0, ncap = 0;
    bool found = conf_file_get(conf, section, key, buf, cap);
    DIR *d;

    ra_format_cut(dir, sizeof(dir), "%s.d", conf);
    d = opendir(dir);
    if (d == NULL) {
        return found;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);

        if (e->d_name[0] == '.' || len <= 5 || strcmp(e->d_name + len - 5, ".conf") != 0) {
            continue;
        }
        if (n == ncap) {
            char **nn = realloc(names, (ncap = ncap ? ncap * 2 : 16) * sizeof(*names));

            if (nn == NULL) {
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) != NULL) {
            n++;
        }
    }
    closedir(d);
    if (n > 0) {
        qsort(names, n, sizeof(names[0]), name_cmp);
    }
    for (size_t i = 0; i < n; i++) {
        char file[PATH_MAX];

        if (ra_format(file, sizeof(file), "%s/%s", dir, names[i]) == 0 &&
            conf_file_get(file, section, key, buf, cap)) {
            found = true;
        }
        free(names[i]);
    }
    free(names);
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
ra_nfs_statd_dir(const char *conf, char *buf, size_t cap)
{
    struct stat st;

    if (ra_nfs_conf_get(conf, "statd", "state-directory-path", buf, cap) && buf[0] == '/') {
        return;
    }
    if (stat(RA_NFS_STATE "/statd", &st) == 0 && S_ISDIR(st.st_mode)) {
        ra_format_cut(buf, cap, "%s/statd", RA_NFS_STATE);
    } else {
        ra_format_cut(buf, cap, "%s", RA_NFS_STATE);
    }
}

/*
 * The directory @rel under @base, each component opened without following a symlink;
 * with @create, missing ones made, owned like @owner.  A descriptor, or -errno.
 */
static int
open_under(int base, const char *rel, bool create, const struct stat *owner)
{
    char part[NAME_MAX + 1];
    int fd = dup(base);

    while (fd >= 0 && *rel != '\0') {
        size_t n = strcspn(rel, "/");
        int next;

        if (n == 0 || n > NAME_MAX || (n <= 2 && strncmp(rel, "..", n) == 0)) {
            close(fd);
            return -EINVAL;
        }
        memcpy(part, rel, n);
        part[n] = '\0';
        rel += n + (rel[n] == '/');
        next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0 && errno == ENOENT && create && mkdirat(fd, part, 0755) == 0) {
            next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (next >= 0 && owner != NULL && fchown(next, owner->st_uid, owner->st_gid) < 0) {
                /* left root's: statd reads it all the same */
            }
        }
        if (next < 0) {
            int e = errno;

            close(fd);
            return -e;
        }
        close(fd);
        fd = next;
    }
    return fd < 0 ? -errno : fd;
}

/*
 * @name of directory @from into directory @to: written under a temporary name, then
 * renamed over (never writing through an existing link), owned like the original.
 * With @keep, an existing file stays.  0 or -errno.
 */
static int
copy_one(int from, int to, const char *name, bool keep)
{
    char tmp[NAME_MAX + 8], buf[8192];
    struct stat st;
    int in, out, r = 0;
    ssize_t n;

    if (keep && fstatat(to, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        return 0;
    }
    in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (in < 0) {
        return -errno;
    }
    if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(in);
        return 0; /* not a record */
    }
    ra_format_cut(tmp, sizeof(tmp), ".tmp-%.*s", NAME_MAX, name);
    (void)unlinkat(to, tmp, 0);
    out = openat(to, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0777);
    if (out < 0) {
        r = -errno;
        close(in);
        return r;
    }
    while (r == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            r = errno == EINTR ? 0 : -errno;
            continue;
        }
        for (ssize_t off = 0; r == 0 && off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));

            if (w < 0 && errno != EINTR) {
                r = -errno;
            }
            off += w > 0 ? w : 0;
        }
    }
    if (r == 0 && fchown(out, st.st_uid, st.st_gid) < 0) {
        /* root's then */
    }
    if (close(out) < 0 && r == 0) {
        r = -errno;
    }
    close(in);
    if (r == 0 && renameat2(to, tmp, to, name, keep ? RENAME_NOREPLACE : 0) < 0) {
        r = errno == EEXIST ? 0 : -errno;
    }
    if (r != 0 || keep) {
        (void)unlinkat(to, tmp, 0);
    }
    return r;
}

int
ra_nfs_sync_records(const char *base, const char *from, const char *to, bool merge)
{
    int b = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC), f, t, r = 0;
    struct stat owner;
    DIR *d;
    struct dirent *e;

    if (b < 0) {
        return -errno;
    }
    f = open_under(b, from, false, NULL);
    if (f < 0 || fstat(f, &owner) < 0) {
        r = f < 0 ? f : -errno;
        if (f >= 0) {
            close(f);
        }
        close(b);
        return r; /* nothing changed */
    }
    t = open_under(b, to, true, &owner);
    close(b);
    if (t < 0) {
        close(f);
        return t;
    }
    d = fdopendir(dup(f));
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            int k = copy_one(f, t, e->d_name, merge);

            r = r != 0 ? r : k;
        }
    }
    if (d != NULL) {
        closedir(d);
    } else {
        r = -ENOMEM;
    }
    /* a whole copy: what @from no longer has goes (never after a failed copy) */
    d = r == 0 && !merge ? fdopendir(dup(t)) : NULL;
    while (d != NULL && (e = readdir(d)) != NULL) {
        struct stat st;

        if (e->d_name[0] != '.' && fstatat(f, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
            errno == ENOENT) {
            (void)unlinkat(t, e->d_name, 0);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    close(f);
    close(t);
    return r;
}

int
ra_nfs_copy_state(const char *base, const char *to)
{
    int b = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC), t, r;

    if (b < 0) {
        return -errno;
    }
    t = open_under(b, to, true, NULL);
    r = t < 0 ? t : copy_one(b, t, "state", false);
    if (t >= 0) {
        close(t);
    }
    close(b);
    return r;
}

int
ra_nfs_notify(struct ra_ctx *ctx, const char *const *opts, const char *host, const char *statedir)
{
    const char *args[48];
    size_t n = 0;
    struct ra_ip ip;
    int code;

    ctx->reason[0] = '\0'; /* what follows says what failed */
    args[n++] = "-f";      /* whether or not sm-notify ran since boot */
    for (; *opts != NULL; opts++) {
        if (n == RA_NELEM(args) - 5) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "too many sm-notify arguments");
        }
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
        if (code < 0) {
            return ctx->reason[0] != '\0'
                       ? OCF_ERR_GENERIC /* could not run: said */
                       : ra_fail(ctx, OCF_ERR_GENERIC, "sm-notify%s%s did not finish in time",
                                 host ? " -v " : "", host ? host : "");
        }
        /* it logs to syslog only; the usual cause is a name that does not resolve */
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "sm-notify%s%s failed (exit %d; its reason is in syslog: an address given "
                       "must resolve to a name, in /etc/hosts or DNS)",
                       host ? " -v " : "", host ? host : "", code);
    }
    return OCF_SUCCESS;
}
