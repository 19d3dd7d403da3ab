/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:exportfs: one or more directories exported over NFS to one
 * client specification, with a fixed fsid; a drop-in for
 * ocf:heartbeat:exportfs.
 *
 * Exports are made and removed by exportfs(8), which owns etab's format,
 * as an argv under the operation's deadline.  monitor and probes start no
 * process: they read etab (what rpc.mountd serves from), nfsd's thread count
 * and the process table.
 *
 * Is it ours?  An etab line whose decoded path is the directory (canonical)
 * and whose client is the clientspec: the same string ignoring case, or the
 * canonical name etab recorded for it at start (exportfs writes a host's
 * canonical name, not the name given).  Running means every directory so
 * exported with our fsid while nfsd has threads and rpc.mountd lives: a
 * stale etab line after a reboot, with no nfsd, is not running.  Some
 * directories exported, another fsid, or nfsd or mountd dead: a failure
 * that names it.  Stop unexports every line of ours whatever its fsid, and
 * succeeds only once etab has none and the kernel's export cache no valid
 * entry for it.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "mount.h"
#include "nfs.h"
#include "parse.h"
#include "proc.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

static bool
valid_clientspec(const char *v, const char **why)
{
    if (v[0] == '\0' || v[0] == '-' || strpbrk(v, " \t\n()") != NULL || strlen(v) > 255) {
        *why = "must be one NFS client specification (a host, network, @netgroup or *)";
        return false;
    }
    return true;
}

static bool
valid_fsid(const char *v, const char **why)
{
    size_t hex = 0;
    long long n;

    /* decimal only: nfs-utils would also read 0x10 and 010, which is ambiguous */
    if (strcmp(v, "root") == 0 || (strspn(v, "0123456789") == strlen(v) && (v[0] != '0' || !v[1]) &&
                                   ra_parse_int(v, 0, INT32_MAX, &n) == 0)) {
        return true;
    }
    for (const char *p = v; *p != '\0'; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')) {
            hex++;
        } else if (*p != '-' && *p != ':') {
            hex = 0;
            break;
        }
    }
    if (hex == 32 && strspn(v, "0123456789") != strlen(v)) {
        return true; /* (32 decimal digits would be read as a number by nfs-utils) */
    }
    *why = "must be a decimal number (0 to 2147483647), root, or a 32-hex-digit UUID";
    return false;
}

static bool
valid_options(const char *v, const char **why)
{
    if (strpbrk(v, " \t\n()") != NULL || v[0] == '-') {
        *why = "must be exportfs options, comma-separated, without spaces";
        return false;
    }
    return true;
}

static const struct ra_param exportfs_params[] = {
    { .name = "clientspec",
      .type = RA_T_STRING,
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .valid = valid_clientspec,
      .shortdesc = "Client ACL.",
      .longdesc = "Who may mount: a host, a network (10.0.0.0/24), an @netgroup, or *." },
    { .name = "options",
      .type = RA_T_STRING,
      .valid = valid_options,
      .shortdesc = "Export options.",
      .longdesc = "exportfs options (rw,no_root_squash,...); the fsid comes from fsid." },
    { .name = "directory",
      .type = RA_T_STRING,
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .shortdesc = "The directory or directories to export.",
      .longdesc = "One directory, or several separated by spaces (they then get fsid, "
                  "fsid+1, ...)." },
    { .name = "fsid",
      .type = RA_T_STRING,
      .flags = RA_P_REQUIRED,
      .valid = valid_fsid,
      .shortdesc = "Unique fsid within cluster or starting fsid for multiple exports.",
      .longdesc = "The same on every node, so clients keep their file handles across a "
                  "failover. 0 or root is NFSv4's pseudo-root." },
    { .name = "unlock_on_stop",
      .type = RA_T_BOOLEAN,
      .def = "1",
      .shortdesc = "Unlock filesystem on stop?",
      .longdesc = "Release the NFS locks on the filesystem when unexporting "
                  "(/proc/fs/nfsd/unlock_filesystem)." },
    { .name = "wait_for_leasetime_on_stop",
      .type = RA_T_BOOLEAN,
      .def = "0",
      .shortdesc = "Ensure NFSv4 leases expire on stop.",
      .longdesc = "Wait the NFSv4 lease time after unexporting (bounded by the stop timeout)." },
    { .name = "rmtab_backup",
      .type = RA_T_STRING,
      .def = ".rmtab",
      .shortdesc = "Location of the rmtab backup, relative to directory.",
      .longdesc = "Where the mounts of the export (rmtab) are kept inside it; none for no "
                  "backup." },
};

#define DIRS_MAX 32

struct exportconf {
    const char *spec; /* clientspec, IPv6 brackets removed */
    char specbuf[256];
    size_t ndirs;
    char dirs[DIRS_MAX][PATH_MAX];
    char fsids[DIRS_MAX][48];
    char canon[256];                      /* the client string etab recorded at start, if known */
    char etab[PATH_MAX], rmtab[PATH_MAX]; /* in nfs-utils' state directory (nfs.conf) */
};

static int
exportfs_validate(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    const char *spec = ra_str(ctx, "clientspec"), *list = ra_str(ctx, "directory");
    const char *fsid = ra_str0(ctx, "fsid"), *pos = list, *a = ra_ctx_action(ctx);
    bool strict = strcmp(a, "start") == 0 || strcmp(a, "validate-all") == 0;
    char word[PATH_MAX];
    struct ra_mounts m = { 0 };
    char state[PATH_MAX - 8];

    ra_nfs_state_dir(RA_NFS_CONF, state, sizeof(state));
    ra_format_cut(c->etab, sizeof(c->etab), "%s/etab", state);
    ra_format_cut(c->rmtab, sizeof(c->rmtab), "%s/rmtab", state);
    /* IPv6 in brackets ([fd00::5], [fd00::]/64): etab has it without them */
    if (spec[0] == '[' && strchr(spec, ']') != NULL) {
        size_t n = 0;

        for (const char *p = spec; *p != '\0' && n + 1 < sizeof(c->specbuf); p++) {
            if (*p != '[' && *p != ']') {
                c->specbuf[n++] = *p;
            }
        }
        c->specbuf[n] = '\0';
        c->spec = c->specbuf;
    } else {
        c->spec = spec;
    }
    if (ra_mounts_read(&m) < 0) {
        memset(&m, 0, sizeof(m));
    }
    while (ra_list_next(&pos, word, sizeof(word))) {
        if (c->ndirs == DIRS_MAX) {
            ra_mounts_release(&m);
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory: at most %d directories", DIRS_MAX);
        }
        if (word[0] != '/') {
            ra_mounts_release(&m);
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory: %s is not an absolute path", word);
        }
        /* canonical where it exists (exportfs resolves it so); as given otherwise */
        if (ra_path_canon(word, &m, c->dirs[c->ndirs], sizeof(c->dirs[0])) < 0) {
            ra_format_cut(c->dirs[c->ndirs], sizeof(c->dirs[0]), "%s", word);
            ra_path_clean(c->dirs[c->ndirs]);
        }
        if (strict) {
            struct stat st;

            if (stat(c->dirs[c->ndirs], &st) < 0 || !S_ISDIR(st.st_mode)) {
                ra_mounts_release(&m);
                return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory: %s is not a directory", word);
            }
        }
        c->ndirs++;
    }
    ra_mounts_release(&m);
    if (c->ndirs == 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "directory: no directory given");
    }
    if (fsid[0] == '\0') {
        /* stop and a probe without a usable fsid: any fsid of a line of ours is ours (stop
         * removes them all; a probe that finds one cannot say it is ours: it fails) */
        for (size_t i = 0; i < c->ndirs; i++) {
            c->fsids[i][0] = '\0';
        }
        return OCF_SUCCESS;
    }
    if (c->ndirs > 1 && strspn(fsid, "0123456789") != strlen(fsid)) {
        return ra_soften(ctx,
                         ra_fail(ctx, OCF_ERR_CONFIGURED,
                                 "fsid: several directories need a decimal fsid, not %s", fsid));
    }
    for (size_t i = 0; i < c->ndirs; i++) {
        if (strcmp(fsid, "root") == 0 || c->ndirs == 1) {
            ra_format_cut(c->fsids[i], sizeof(c->fsids[0]), "%s",
                          strcmp(fsid, "root") == 0 ? "0" : fsid);
        } else {
            long long f = 0;

            if (ra_parse_int(fsid, 0, INT32_MAX, &f) < 0 || f + (long long)i > INT32_MAX) {
                return ra_soften(ctx,
                                 ra_fail(ctx, OCF_ERR_CONFIGURED,
                                         "fsid: %s + %zu directories overflows", fsid, c->ndirs));
            }
            ra_format_cut(c->fsids[i], sizeof(c->fsids[0]), "%lld", f + (long long)i);
        }
    }
    if (strict && strcmp(c->fsids[0], "0") == 0) {
        ra_info(ctx, "fsid 0 makes %s NFSv4's pseudo-root: v4 clients mount it as /", c->dirs[0]);
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ state */

static void
canon_path(const struct ra_ctx *ctx, char *buf, size_t cap)
{
    if (ra_ctx_state_path(ctx, ".client", buf, cap) < 0) {
        buf[0] = '\0';
    }
}

/* A network: "10.0.0.0/24", "10.0.0.0/255.255.255.0", "fd00::/64", masked to its prefix. */
static bool
parse_subnet(const char *s, int *fam, unsigned char addr[16], int *len)
{
    const char *slash = strchr(s, '/');
    char host[64];
    long long n;
    int max;

    if (slash == NULL || (size_t)(slash - s) >= sizeof(host)) {
        return false;
    }
    memcpy(host, s, (size_t)(slash - s));
    host[slash - s] = '\0';
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, host, addr) == 1) {
        *fam = AF_INET;
        max = 32;
    } else if (inet_pton(AF_INET6, host, addr) == 1) {
        *fam = AF_INET6;
        max = 128;
    } else {
        return false;
    }
    if (ra_parse_int(slash + 1, 0, max, &n) == 0) {
        *len = (int)n;
    } else {
        unsigned char mask[4];
        int bits = 0;

        if (*fam != AF_INET || inet_pton(AF_INET, slash + 1, mask) != 1) {
            return false;
        }
        for (int i = 0; i < 32 && (mask[i / 8] & (0x80 >> (i % 8))); i++) {
            bits++;
        }
        *len = bits;
    }
    for (int i = *len; i < max; i++) {
        addr[i / 8] &= (unsigned char)~(0x80 >> (i % 8));
    }
    return true;
}

static bool
same_subnet(const char *a, const char *b)
{
    unsigned char x[16], y[16];
    int fx, fy, lx, ly;

    return parse_subnet(a, &fx, x, &lx) && parse_subnet(b, &fy, y, &ly) && fx == fy && lx == ly &&
           memcmp(x, y, 16) == 0;
}

/*
 * Is etab's path @path our directory @dir?  The same path once cleaned (exportfs keeps
 * a path as typed until its next run), or the same directory (a symlink to it).
 */
static bool
same_dir(const char *path, const char *dir)
{
    char clean[PATH_MAX];
    struct stat a, b;

    if (strcmp(path, dir) == 0) {
        return true;
    }
    ra_format_cut(clean, sizeof(clean), "%s", path);
    ra_path_clean(clean);
    if (strcmp(clean, dir) == 0) {
        return true;
    }
    return stat(path, &a) == 0 && stat(dir, &b) == 0 && S_ISDIR(a.st_mode) &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Is etab's client string @client our clientspec? */
static bool
client_matches(const struct exportconf *c, const char *client)
{
    size_t n = strlen(c->spec);

    if (strcasecmp(client, c->spec) == 0 ||
        (c->canon[0] != '\0' && strcasecmp(client, c->canon) == 0) ||
        same_subnet(client, c->spec)) {
        return true;
    }
    /* a short host name exportfs wrote as its canonical FQDN */
    return strpbrk(c->spec, "/*?[@:") == NULL && strspn(c->spec, "0123456789.") != n &&
           strncasecmp(client, c->spec, n) == 0 && client[n] == '.';
}

/* The fsid an etab option list carries ("" when none; "0" for root). */
static void
opts_fsid(const char *opts, char *buf, size_t cap)
{
    if (!ra_export_opt(opts, "fsid", buf, cap)) {
        buf[0] = '\0';
    } else if (strcmp(buf, "root") == 0) {
        ra_format_cut(buf, cap, "0");
    }
}

enum {
    D_ABSENT,
    D_OURS,
    D_OTHER_FSID
};

/* Each directory's state in @e (D_*), and how many of each. */
static void
classify(const struct exportconf *c, const struct ra_exports *e, int *st, size_t count[3])
{
    count[0] = count[1] = count[2] = 0;
    for (size_t i = 0; i < c->ndirs; i++) {
        st[i] = D_ABSENT;
        for (size_t k = 0; k < e->n; k++) {
            char f[64];

            if (!same_dir(e->v[k].path, c->dirs[i]) || !client_matches(c, e->v[k].client)) {
                continue;
            }
            opts_fsid(e->v[k].opts, f, sizeof(f));
            st[i] =
                c->fsids[i][0] != '\0' && strcasecmp(f, c->fsids[i]) == 0 ? D_OURS : D_OTHER_FSID;
            if (st[i] == D_OURS) {
                break;
            }
        }
        count[st[i]]++;
    }
}

static int
read_etab(struct ra_ctx *ctx, struct ra_exports *e)
{
    const struct exportconf *c = ctx->data;
    int r = ra_exports_read(c->etab, e);

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read %s: %s", c->etab, strerror(-r));
    }
    return OCF_SUCCESS;
}

/* What serves etab: nfsd's threads and a live rpc.mountd.  NULL, or what is missing. */
static const char *
server_down(void)
{
    static const char *const names[] = { "rpc.mountd", "nfsv4.exportd", NULL };
    size_t n[3];
    int threads = ra_nfsd_live_threads();

    if (threads < 0) {
        return "nfsd's thread count cannot be read";
    }
    if (threads == 0) {
        return "nfsd has no threads";
    }
    /* rpc.mountd, or on an NFSv4-only server nfsv4.exportd, answers the kernel's upcalls */
    if (ra_proc_count_comms(names, n) < 0) {
        return "the process table cannot be read";
    }
    return n[0] + n[1] > 0 ? NULL : "rpc.mountd is not running";
}

static void
load_canon(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    char path[4096];

    canon_path(ctx, path, sizeof(path));
    if (path[0] == '\0' || ra_state_read(path, c->canon, sizeof(c->canon)) < 0) {
        c->canon[0] = '\0';
    }
    c->canon[strcspn(c->canon, "\n")] = '\0';
}

static const char *left_from(struct ra_ctx *ctx, size_t from, char *what, size_t cap);

static int
exportfs_monitor(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    struct ra_exports e;
    int st[DIRS_MAX], rc;
    size_t count[3];
    const char *down;

    load_canon(ctx);
    rc = read_etab(ctx, &e);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    classify(c, &e, st, count);
    ra_exports_release(&e);
    if (count[D_ABSENT] == c->ndirs) {
        char what[PATH_MAX + 600];

        /* etab has none, but the kernel still serves one (an etab of another path, a
         * table edited by hand): not stopped */
        if (left_from(ctx, 1, what, sizeof(what)) != NULL) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s has none of it, but the kernel exports %s",
                           c->etab, what);
        }
        return OCF_NOT_RUNNING;
    }
    down = server_down();
    if (down != NULL && count[D_OURS] == c->ndirs) {
        /* exported in etab, served by nothing: a stale line (a reboot), or a dead server */
        /* only when nothing of nfsd is left: threads still running without nfsd's
         * filesystem serve the export */
        if (ra_is_probe(ctx) && ra_nfsd_live_threads() == 0) {
            ra_info(ctx, "%s is in %s, but %s: not exported", c->dirs[0], c->etab, down);
            return OCF_NOT_RUNNING;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s is exported, but %s", c->dirs[0], down);
    }
    for (size_t i = 0; i < c->ndirs; i++) {
        struct stat sb;

        if (st[i] == D_OURS && stat(c->dirs[i], &sb) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s is exported, but %s", c->dirs[i],
                           strerror(errno));
        }
        if (st[i] == D_OTHER_FSID) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s is exported to %s with another fsid than %s",
                           c->dirs[i], c->spec, c->fsids[i]);
        }
        if (st[i] == D_ABSENT) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s is not exported to %s (%zu of %zu are)",
                           c->dirs[i], c->spec, count[D_OURS], c->ndirs);
        }
    }
    return down == NULL ? OCF_SUCCESS : ra_fail(ctx, OCF_ERR_GENERIC, "exported, but %s", down);
}

/* ------------------------------------------------------------ start, stop */

/* options with our fsid: any fsid= of options replaced */
static int
export_options(struct ra_ctx *ctx, size_t i, char *buf, size_t cap)
{
    const struct exportconf *c = ctx->data;
    const char *o = ra_str0(ctx, "options");
    size_t len = 0;

    buf[0] = '\0';
    for (const char *p = o; *p != '\0';) {
        size_t n = strcspn(p, ",");

        if (n > 0 && strncmp(p, "fsid=", 5) != 0) {
            if (len + n + 2 >= cap) {
                return -1;
            }
            memcpy(buf + len, p, n);
            len += n;
            buf[len++] = ',';
            buf[len] = '\0';
        }
        p += n + (p[n] == ',');
    }
    return ra_format(buf + len, cap - len, "fsid=%s", c->fsids[i]);
}

/* CLIENT:DIR as exportfs takes it (the clientspec as given, brackets and all) */
static int
export_arg(struct ra_ctx *ctx, const char *client, size_t i, char *buf, size_t cap)
{
    const struct exportconf *c = ctx->data;

    const char *slash;

    if (client == NULL) {
        return ra_format(buf, cap, "%s:%s", ra_str(ctx, "clientspec"), c->dirs[i]);
    }
    /* etab's IPv6 client has no brackets; exportfs splits CLIENT:DIR at the first ':' */
    if (strchr(client, ':') != NULL) {
        slash = strchr(client, '/');
        return ra_format(buf, cap, "[%.*s]%s:%s",
                         (int)(slash ? slash - client : (long)strlen(client)), client,
                         slash ? slash : "", c->dirs[i]);
    }
    return ra_format(buf, cap, "%s:%s", client, c->dirs[i]);
}

#define RMTAB_MAX (1 << 20)

/* The rmtab_backup file of @dir, or false when there is none to keep. */
static bool
backup_path(struct ra_ctx *ctx, const char *dir, char *buf, size_t cap)
{
    const char *name = ra_str0(ctx, "rmtab_backup");

    return name[0] != '\0' && strcmp(name, "none") != 0 && strstr(name, "..") == NULL &&
           name[0] != '/' && ra_format(buf, cap, "%s/%s", dir, name) == 0;
}

/* Read @file whole with its last line newline-terminated: 0, or -errno. */
static int
read_lines(const char *file, char *buf, size_t cap)
{
    int r = ra_state_read(file, buf, cap - 1);
    size_t n;

    if (r < 0) {
        return r;
    }
    n = strlen(buf);
    if (n > 0 && buf[n - 1] != '\n') {
        buf[n] = '\n';
        buf[n + 1] = '\0';
    }
    return 0;
}

/* Is @line (no newline) one of the lines of @all? */
static bool
has_line(const char *all, const char *line)
{
    size_t n = strlen(line);

    for (const char *p = all; (p = strstr(p, line)) != NULL; p++) {
        if ((p == all || p[-1] == '\n') && p[n] == '\n') {
            return true;
        }
    }
    return false;
}

/*
 * rmtab (who mounted what: showmount -a) is informational; the anchor keeps
 * each export's lines inside it across a failover.  Best effort both ways, and
 * only into a directory that is there (a stop after its filesystem went must
 * not create it again).
 */
static void
rmtab_backup(struct ra_ctx *ctx, const char *dir)
{
    const struct exportconf *c = ctx->data;
    char path[PATH_MAX + 256], needle[PATH_MAX + 4];
    char *all = malloc(RMTAB_MAX), *out = malloc(RMTAB_MAX);
    size_t len = 0;
    struct stat st;

    if (all != NULL && out != NULL && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
        backup_path(ctx, dir, path, sizeof(path)) &&
        ra_format(needle, sizeof(needle), ":%s:", dir) == 0 &&
        read_lines(c->rmtab, all, RMTAB_MAX) == 0) {
        out[0] = '\0';
        for (char *l = all, *nl; (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
            *nl = '\0';
            if (strstr(l, needle) != NULL && len + strlen(l) + 2 < RMTAB_MAX) {
                ra_format_cut(out + len, RMTAB_MAX - len, "%s\n", l);
                len += strlen(out + len);
            }
        }
        if (ra_state_write(path, out, len) < 0) {
            ra_debug(ctx, "cannot keep rmtab's lines in %s", path);
        }
    }
    free(all);
    free(out);
}

static void
rmtab_restore(struct ra_ctx *ctx, const char *dir)
{
    const struct exportconf *c = ctx->data;
    char path[PATH_MAX + 256], *have = malloc(RMTAB_MAX), *add = malloc(RMTAB_MAX / 2);
    size_t len;
    int r;

    if (have == NULL || add == NULL || !backup_path(ctx, dir, path, sizeof(path)) ||
        read_lines(path, add, RMTAB_MAX / 2) < 0) {
        free(have);
        free(add);
        return;
    }
    /* only onto an rmtab read whole (or none yet): never cut one short */
    r = read_lines(c->rmtab, have, RMTAB_MAX / 2);
    if (r == -ENOENT) {
        have[0] = '\0';
        r = 0;
    }
    len = r == 0 ? strlen(have) : 0;
    for (char *l = add, *nl; r == 0 && (nl = strchr(l, '\n')) != NULL; l = nl + 1) {
        *nl = '\0';
        if (*l != '\0' && !has_line(have, l) && len + strlen(l) + 2 < RMTAB_MAX) {
            ra_format_cut(have + len, RMTAB_MAX - len, "%s\n", l);
            len += strlen(have + len);
        }
    }
    if (r == 0 && ra_state_write(c->rmtab, have, len) < 0) {
        ra_debug(ctx, "cannot restore rmtab's lines from %s", path);
    }
    free(have);
    free(add);
}

/*
 * exportfs ARGS: its exit code, or -1 for a timeout or a signal.  With @refused, what
 * exportfs said when it wrote an export the kernel will not take ("... does not
 * support NFS export": a warning to exportfs, which writes the line all the same).
 */
static int
exportfs_run(struct ra_ctx *ctx, const char *const *args, char **out, char *refused, size_t cap)
{
    char *err = NULL;
    int code = ra_run_tool_full(ctx, "exportfs", args, out, &err, NULL);

    ctx->reason[0] = '\0'; /* etab decides, not the exit code */
    if (refused != NULL && err != NULL) {
        const char *hit = strstr(err, "does not support NFS export");

        if (hit != NULL) {
            const char *line = hit;

            while (line > err && line[-1] != '\n') {
                line--;
            }
            ra_format_cut(refused, cap, "%.*s", (int)strcspn(line, "\n"), line);
        }
    }
    free(err);
    return code;
}

/*
 * Unexport every etab line of ours, whatever its fsid, by etab's own client string;
 * and each directory by the clientspec as given, which exportfs resolves as it did on
 * export (a host alias: its canonical name).  OCF code.
 */
static int
unexport_all(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    struct ra_exports e;
    int rc = read_etab(ctx, &e);

    for (size_t k = 0; rc == OCF_SUCCESS && k < e.n; k++) {
        for (size_t i = 0; i < c->ndirs; i++) {
            char arg[PATH_MAX + 300];

            if (!same_dir(e.v[k].path, c->dirs[i]) || !client_matches(c, e.v[k].client)) {
                continue;
            }
            rmtab_backup(ctx, c->dirs[i]);
            if (export_arg(ctx, e.v[k].client, i, arg, sizeof(arg)) == 0) {
                const char *args[] = { "-v", "-u", arg, NULL };

                (void)exportfs_run(ctx, args, NULL, NULL, 0);
            }
        }
    }
    ra_exports_release(&e);
    for (size_t i = 0; rc == OCF_SUCCESS && i < c->ndirs; i++) {
        char arg[PATH_MAX + 300];

        if (export_arg(ctx, NULL, i, arg, sizeof(arg)) == 0) {
            const char *args[] = { "-u", arg, NULL };

            (void)exportfs_run(ctx, args, NULL, NULL, 0); /* "Could not find" when it is gone */
        }
    }
    return rc;
}

/* From exportfs -v's "exporting CLIENT:DIR": the client string it wrote to etab for @dir. */
static void
learn_client(struct exportconf *c, const char *out, const char *dir)
{
    size_t dlen = strlen(dir);

    for (const char *l = out; l != NULL && *l != '\0';
         l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        size_t n = strcspn(l, "\n");

        if (strncmp(l, "exporting ", 10) == 0 && n > 10 + dlen + 1 &&
            strncmp(l + n - dlen, dir, dlen) == 0 && l[n - dlen - 1] == ':' &&
            n - 10 - dlen - 1 < sizeof(c->canon)) {
            memcpy(c->canon, l + 10, n - 10 - dlen - 1);
            c->canon[n - 10 - dlen - 1] = '\0';
            return;
        }
    }
}

static int
exportfs_start(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    const char *down;
    struct ra_exports e;
    int st[DIRS_MAX], rc;
    size_t count[3];
    char tool[256], refused[300] = "";

    if (ra_run_which("exportfs", tool, sizeof(tool)) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "exportfs is not installed (nfs-kernel-server)");
    }
    load_canon(ctx);
    if (exportfs_monitor(ctx) == OCF_SUCCESS) {
        return OCF_SUCCESS;
    }
    ctx->reason[0] = '\0';
    down = server_down();
    if (down != NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot export: %s (start nfsserver first)", down);
    }
    for (size_t i = 0; i < c->ndirs; i++) {
        char opts[2048], arg[PATH_MAX + 300], *out = NULL;

        if (export_options(ctx, i, opts, sizeof(opts)) < 0 ||
            export_arg(ctx, NULL, i, arg, sizeof(arg)) < 0) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "options: too long");
        }
        {
            const char *args[] = { "-v", "-o", opts, arg, NULL };

            (void)exportfs_run(ctx, args, &out, refused, sizeof(refused));
        }
        /* the name exportfs wrote for the client (a host's canonical name) */
        if (i == 0 && out != NULL) {
            learn_client(c, out, c->dirs[0]);
        }
        free(out);
    }
    if (refused[0] != '\0') {
        /* in etab, but the kernel refuses it: nothing is exported */
        (void)unexport_all(ctx);
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s", refused);
    }
    /* exportfs' exit code can say 1 for a line it did write: etab decides */
    rc = read_etab(ctx, &e);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    classify(c, &e, st, count);
    ra_exports_release(&e);
    if (count[D_OURS] < c->ndirs) {
        size_t bad = 0;
        int keep;
        char reason[sizeof(ctx->reason)];

        while (bad < c->ndirs && st[bad] == D_OURS) {
            bad++;
        }
        keep =
            ra_fail(ctx, OCF_ERR_GENERIC, "exportfs did not export %s to %s with fsid %s",
                    c->dirs[bad < c->ndirs ? bad : 0], c->spec, c->fsids[bad < c->ndirs ? bad : 0]);
        memcpy(reason, ctx->reason, sizeof(reason));
        (void)unexport_all(ctx);
        memcpy(ctx->reason, reason, sizeof(reason));
        return keep;
    }
    {
        char path[4096], line[300];

        canon_path(ctx, path, sizeof(path));
        if (path[0] != '\0' &&
            ra_format(line, sizeof(line), "%s\n", c->canon[0] ? c->canon : c->spec) == 0 &&
            ra_state_write(path, line, strlen(line)) < 0) {
            ra_debug(ctx, "cannot remember the client name in %s", path);
        }
    }
    for (size_t i = 0; i < c->ndirs; i++) {
        rmtab_restore(ctx, c->dirs[i]);
    }
    return OCF_SUCCESS;
}

/* Write the directory to nfsd's unlock_filesystem: NLM locks on its filesystem go. */
static void
unlock_fs(struct ra_ctx *ctx, const char *dir)
{
    int fd = open("/proc/fs/nfsd/unlock_filesystem", O_WRONLY | O_CLOEXEC);
    char line[PATH_MAX + 2];
    int n;

    if (fd < 0) {
        ra_info(ctx, "cannot release the locks on %s: %s", dir, strerror(errno));
        return;
    }
    n = ra_format(line, sizeof(line), "%s\n", dir) == 0 ? (int)strlen(line) : -1;
    if (n < 0 || write(fd, line, (size_t)n) != n) {
        ra_info(ctx, "releasing the locks on %s: %s", dir, strerror(errno));
    }
    close(fd);
}

/* The kernel's cache names a client domain as mountd composed it: "*,10.0.0.0/24". */
static bool
client_in(const struct exportconf *c, const char *domain)
{
    char one[256];

    for (const char *p = domain; *p != '\0';) {
        size_t n = strcspn(p, ",");

        if (n < sizeof(one)) {
            memcpy(one, p, n);
            one[n] = '\0';
            if (client_matches(c, one)) {
                return true;
            }
        }
        p += n + (p[n] == ',');
    }
    return false;
}

/* Anything of ours left: in etab, or a valid entry in the kernel's export cache (mountd's
 * v4root pseudo-exports aside).  NULL if nothing. */
static const char *
left_from(struct ra_ctx *ctx, size_t from, char *what, size_t cap)
{
    const struct exportconf *c = ctx->data;
    struct ra_exports e;
    /* the cache's content marks an expired or negative entry with '#': those are gone
     * (/proc/fs/nfsd/exports lists them as if they were not) */
    const char *files[] = { c->etab, "/proc/net/rpc/nfsd.export/content" };

    for (size_t f = from; f < 2; f++) {
        int r = ra_exports_read(files[f], &e);

        if (r < 0 && !(f == 1 && r == -ENOENT)) {
            ra_format_cut(what, cap, "%s cannot be read (%s)", files[f], strerror(-r));
            return what;
        }
        for (size_t k = 0; r == 0 && k < e.n; k++) {
            for (size_t i = 0; i < c->ndirs; i++) {
                if (same_dir(e.v[k].path, c->dirs[i]) && client_in(c, e.v[k].client) &&
                    !(f == 1 && strstr(e.v[k].opts, "v4root") != NULL)) {
                    ra_format_cut(what, cap, "%s to %s in %s", c->dirs[i], e.v[k].client, files[f]);
                    ra_exports_release(&e);
                    return what;
                }
            }
        }
        ra_exports_release(&e);
    }
    return NULL;
}

/* Anything of ours in etab or the kernel's export cache: NULL, or what. */
static const char *
left(struct ra_ctx *ctx, char *what, size_t cap)
{
    return left_from(ctx, 0, what, cap);
}

/* etab's lines for our directories, to any client (SIZE_MAX when etab cannot be read) */
static size_t
dir_lines(const struct exportconf *c)
{
    struct ra_exports e;
    size_t n = 0;

    if (ra_exports_read(c->etab, &e) < 0) {
        return SIZE_MAX;
    }
    for (size_t k = 0; k < e.n; k++) {
        for (size_t i = 0; i < c->ndirs; i++) {
            n += same_dir(e.v[k].path, c->dirs[i]);
        }
    }
    ra_exports_release(&e);
    return n;
}

static int
exportfs_stop(struct ra_ctx *ctx)
{
    struct exportconf *c = ctx->data;
    char what[PATH_MAX + 400];
    bool had;
    size_t before;

    load_canon(ctx);
    /* once whatever we see: exportfs itself finds a client we cannot place (an alias
     * whose canonical name start did not get to record) */
    before = dir_lines(c);
    had = left(ctx, what, sizeof(what)) != NULL;
    if (unexport_all(ctx) != OCF_SUCCESS) {
        return OCF_ERR_GENERIC;
    }
    had = had || dir_lines(c) < before;
    while (left(ctx, what, sizeof(what)) != NULL) {
        int rc = unexport_all(ctx);

        if (rc != OCF_SUCCESS) {
            return rc;
        }
        ra_nfs_flush_caches();
        if (left(ctx, what, sizeof(what)) == NULL) {
            break;
        }
        if (ra_deadline_sleep(&ctx->deadline, 250) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "still exported: %s", what);
        }
    }
    ctx->reason[0] = '\0';
    if (had && ra_bool(ctx, "unlock_on_stop")) {
        for (size_t i = 0; i < c->ndirs; i++) {
            unlock_fs(ctx, c->dirs[i]);
        }
    }
    if (had && ra_bool(ctx, "wait_for_leasetime_on_stop")) {
        char buf[32];
        long long lease = 90;

        if (ra_state_read("/proc/fs/nfsd/nfsv4leasetime", buf, sizeof(buf)) < 0 ||
            ra_parse_int(buf, 0, 3600, &lease) < 0) {
            lease = 90;
        }
        if (ra_deadline_sleep(&ctx->deadline, (uint64_t)(lease + 2) * 1000) < 0) {
            ra_warn(ctx, "the stop timeout cut the wait for the NFSv4 lease time (%llds)", lease);
        }
    }
    {
        char path[4096];

        canon_path(ctx, path, sizeof(path));
        if (path[0] != '\0' && ra_state_remove(path) < 0) {
            ra_debug(ctx, "cannot remove %s", path);
        }
    }
    return OCF_SUCCESS;
}

static const struct ra_action exportfs_actions[] = {
    { .name = "start", .fn = exportfs_start, .timeout_s = 40 },
    { .name = "stop", .fn = exportfs_stop, .timeout_s = 120 },
    { .name = "monitor", .fn = exportfs_monitor, .timeout_s = 20, .interval_s = 10 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 30 },
};

static const struct ra_agent exportfs_agent = {
    .name = "exportfs",
    .shortdesc = "Manages NFS exports",
    .longdesc = "Exports directories over NFS to one client specification with a fixed "
                "fsid (so clients keep their file handles across a failover), through "
                "exportfs(8).  monitor reads etab, nfsd's threads and the process table "
                "(no exportfs run): exported, served by nfsd and a live rpc.mountd.",
    .params = exportfs_params,
    .nparams = RA_NELEM(exportfs_params),
    .actions = exportfs_actions,
    .nactions = RA_NELEM(exportfs_actions),
    .validate = exportfs_validate,
    .data_size = sizeof(struct exportconf),
};

int
main(int argc, char **argv)
{
    return ra_main(&exportfs_agent, argc, argv);
}
