/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:apache: one Apache httpd, run with its own configuration file;
 * a drop-in for ocf:heartbeat:apache.
 *
 * Is it ours?  An httpd of this resource is a process whose command line
 * names our configuration file with -f (the same file by device and inode,
 * however it was spelt): the pid file's process first, then any such process
 * (its children, or one whose pid file is gone).  A name proves nothing.
 *
 * The configuration is read as the anchor reads it, and as httpd would:
 * Include and IncludeOptional followed (files, directories, wildcards,
 * relative to ServerRoot), ${VAR} expanded; from it ServerRoot, PidFile, Port,
 * Listen and the <Location> whose handler is server-status give the pid file
 * and the status URL.  envfiles (Debian's /etc/apache2/envvars) are read for
 * their variable assignments only, never run by a shell: assignments in order,
 * $VAR and ${VAR} expanded, conditions and commands skipped; the exported
 * ones reach httpd's environment.
 *
 * start: httpd -t first (a configuration it rejects is 6, with httpd's own
 * first line), then httpd -DSTATUS [options] -f configfile, and it returns as
 * soon as the status URL answers and matches: polled with a short backoff, no
 * fixed sleep.  monitor asks over HTTP in-process (lib/http.c: no curl or
 * wget child): depth 0 the status URL against testregex, depth 10 testurl
 * against testregex10, or a test of testconffile.  stop: graceful stop
 * (WINCH) for half the time, then TERM, then KILL before the deadline, to
 * every process of ours; success only when none is left.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "http.h"
#include "parse.h"
#include "proc.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* what the anchor documents for testregex: its real default cannot be shown */
#define TESTREGEX_DOC \
 "exists, but impossible to show in a human readable format (try grep testregex)"
#define TESTREGEX_DEFAULT "</ *html *>"

static bool
valid_regex(const char *v, const char **why)
{
    regex_t re;

    if (regcomp(&re, v, REG_EXTENDED | REG_ICASE | REG_NOSUB | REG_NEWLINE) != 0) {
        *why = "is not an extended regular expression";
        return false;
    }
    regfree(&re);
    return true;
}

static bool
valid_url(const char *v, const char **why)
{
    struct ra_url u;

    if (v[0] == '\0' || (strncasecmp(v, "http", 4) == 0 && ra_url_parse(v, &u) < 0) ||
        (strncasecmp(v, "http", 4) != 0 && v[0] != '/')) {
        *why = "must be an http:// URL, or a path from /";
        return false;
    }
    return true;
}

static const struct ra_param apache_params[] = {
    { .name = "configfile",
      .type = RA_T_PATH,
      .ocf_type = "string",
      .def = "/etc/httpd/conf/httpd.conf",
      .flags = RA_P_UNIQUE | RA_P_IDENTITY | RA_P_DEFAULT_DOC,
      .shortdesc = "configuration file path",
      .longdesc = "The httpd configuration file (-f): the server of this resource is the one "
                  "started with it.  The pid file, the port and the status page's URL are read "
                  "from it.  Default, as the anchor finds it: /etc/apache2/httpd.conf, else "
                  "/etc/apache2/apache2.conf, else /etc/httpd/conf/httpd.conf." },
    { .name = "httpd",
      .type = RA_T_PATH,
      .ocf_type = "string",
      .def = "/usr/sbin/httpd",
      .shortdesc = "httpd binary path",
      .longdesc = "The httpd program.  When it is not there, the usual places are looked in "
                  "(/usr/sbin/apache2, /usr/sbin/httpd2, ...), as the anchor does." },
    { .name = "port",
      .type = RA_T_PORT,
      .ocf_type = "integer",
      .shortdesc = "httpd port",
      .longdesc = "The port of the status URL when the configuration has no Listen: else "
                  "its Port, else 80." },
    { .name = "statusurl",
      .type = RA_T_STRING,
      .valid = valid_url,
      .shortdesc = "url name",
      .longdesc = "The URL the depth-0 monitor reads.  Default: the Listen address and the "
                  "<Location> of the server-status handler.  It must answer from this host "
                  "only (the request goes out over the loopback device)." },
    { .name = "testregex",
      .type = RA_T_STRING,
      .def = TESTREGEX_DOC,
      .flags = RA_P_DEFAULT_DOC,
      .valid = valid_regex,
      .shortdesc = "monitor regular expression",
      .longdesc = "An extended regular expression (case-insensitive, per line) the status "
                  "page must match.  Default: '</ *html *>'." },
    { .name = "client",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "http client",
      .longdesc = "Accepted for compatibility: the page is read in-process, with no client "
                  "program." },
    { .name = "testurl",
      .type = RA_T_STRING,
      .valid = valid_url,
      .shortdesc = "test url",
      .longdesc = "The URL the depth-10 monitor reads; a path is taken from the Listen "
                  "address." },
    { .name = "testregex10",
      .type = RA_T_STRING,
      .valid = valid_regex,
      .shortdesc = "extended monitor regular expression",
      .longdesc = "The regular expression testurl's page must match (case-insensitive)." },
    { .name = "testconffile",
      .type = RA_T_PATH,
      .ocf_type = "string",
      .shortdesc = "test configuration file",
      .longdesc = "A file of tests for the depth-10 monitor (test NAME, url, user, password, "
                  "match, end), as the anchor reads it: its password stays out of the "
                  "resource's parameters." },
    { .name = "testname",
      .type = RA_T_STRING,
      .shortdesc = "test name",
      .longdesc = "The test of testconffile to run (default: the first)." },
    { .name = "options",
      .type = RA_T_STRING,
      .valid = ra_valid_words,
      .shortdesc = "command line options",
      .longdesc = "More httpd options at start, as words (not run by a shell)." },
    { .name = "envfiles",
      .type = RA_T_STRING,
      .def = "/etc/apache2/envvars",
      .shortdesc = "environment settings files",
      .longdesc = "Files of variable assignments (space-separated), read in order: their "
                  "variables expand in the configuration, and the exported ones reach httpd.  "
                  "Read, never run: conditions and commands in them are skipped.  Empty: "
                  "none." },
    { .name = "use_ipv6",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "use ipv6 with http clients",
      .longdesc = "Ask the status and test URLs over IPv6 (a URL with '::' always is)." },
};

/* ------------------------------------------------------------ variables */

#define VARS_MAX 64

struct var {
    char name[64];
    char value[512];
    bool exported, unset;
};

struct apacheconf {
    struct stat cst; /* the configuration file (zero when it is not there) */
    struct stat exe; /* the httpd program (zero when there is none) */
    char config[PATH_MAX];
    char httpd[PATH_MAX];
    char pidfile[PATH_MAX];
    bool pid_directive; /* no usable PidFile: we give ours with -c */
    char base[400];     /* http://host:port of the Listen address */
    char statusurl[2400];
    struct var vars[VARS_MAX];
    size_t nvars;
};

static struct var *
var_find(struct apacheconf *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->nvars; i++) {
        if (strlen(c->vars[i].name) == len && strncmp(c->vars[i].name, name, len) == 0) {
            return &c->vars[i];
        }
    }
    return NULL;
}

/* a variable's value: ours, else the environment's; NULL when neither has it */
static const char *
var_get(struct apacheconf *c, const char *name, size_t len)
{
    struct var *v = var_find(c, name, len);
    char n[64];

    if (v != NULL) {
        return v->unset ? "" : v->value;
    }
    if (len >= sizeof(n)) {
        return NULL;
    }
    memcpy(n, name, len);
    n[len] = '\0';
    return ra_env_get(n);
}

static void
var_set(struct apacheconf *c, const char *name, size_t len, const char *value, bool exported)
{
    struct var *v = var_find(c, name, len);

    if (v == NULL) {
        if (c->nvars == VARS_MAX || len >= sizeof(v->name)) {
            return;
        }
        v = &c->vars[c->nvars++];
        memcpy(v->name, name, len);
        v->name[len] = '\0';
        v->exported = false;
    }
    if (value != NULL && value != v->value) {
        ra_format_cut(v->value, sizeof(v->value), "%s", value);
    }
    if (value != NULL) {
        v->unset = false;
    }
    v->exported |= exported;
}

static size_t
name_len(const char *p)
{
    size_t n = 0;

    if ((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z') || p[0] == '_') {
        n = 1 + strspn(p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    }
    return n;
}

/*
 * One shell word of an assignment's value at *@pp, quotes removed, $VAR and ${VAR}
 * expanded (as the shell would, undefined ones empty), into @out: 0, or -1 when it asks
 * for what only a shell can do (${VAR##x}, $(...), `...`).
 */
static int
shell_word(struct apacheconf *c, const char **pp, char *out, size_t cap)
{
    const char *p = *pp;
    size_t o = 0;
    char quote = 0;

    for (; *p != '\0'; p++) {
        const char *val = NULL;
        size_t vl = 0;

        if (quote == 0 && (*p == ' ' || *p == '\t' || *p == ';' || *p == '#')) {
            break;
        }
        if (*p == '\'' && quote != '"') {
            quote = quote == '\'' ? 0 : '\'';
            continue;
        }
        if (*p == '"' && quote != '\'') {
            quote = quote == '"' ? 0 : '"';
            continue;
        }
        if (*p == '\\' && quote != '\'' && p[1] != '\0') {
            p++;
        } else if (*p == '`' && quote != '\'') {
            return -1;
        } else if (*p == '$' && quote != '\'') {
            if (p[1] == '{') {
                size_t n = name_len(p + 2);

                if (n == 0 || p[2 + n] != '}') {
                    return -1; /* ${VAR##...} and the like */
                }
                val = var_get(c, p + 2, n);
                vl = n + 3;
            } else if ((vl = name_len(p + 1)) > 0) {
                val = var_get(c, p + 1, vl);
                vl += 1;
            } else if (p[1] == '(') {
                return -1;
            }
            if (vl > 0) {
                size_t n = val ? strlen(val) : 0;

                if (o + n >= cap) {
                    return -1;
                }
                memcpy(out + o, val ? val : "", n);
                o += n;
                p += vl - 1;
                continue;
            }
        }
        if (o + 1 >= cap) {
            return -1;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
    *pp = p;
    return quote == 0 ? 0 : -1;
}

/* An envfile's assignments ([export] NAME=VALUE ..., export NAME, unset NAME). */
static void
read_envfile(struct ra_ctx *ctx, struct apacheconf *c, const char *path)
{
    FILE *f = fopen(path, "re");
    char line[4096];
    int depth = 0;

    if (f == NULL) {
        ra_debug(ctx, "envfile %s: %s", path, strerror(errno));
        return;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        const char *p = line + strspn(line, " \t");
        bool exported = false, unset = false;
        size_t kw;

        line[strcspn(line, "\r\n")] = '\0';
        /* what a condition or a loop guards is not ours to apply: the shell would have
         * decided, and we run none */
        kw = strcspn(p, " \t;");
        if ((kw == 2 && (strncmp(p, "if", 2) == 0 || strncmp(p, "fi", 2) == 0)) ||
            (kw == 4 && (strncmp(p, "case", 4) == 0 || strncmp(p, "esac", 4) == 0 ||
                         strncmp(p, "done", 4) == 0)) ||
            (kw == 3 && strncmp(p, "for", 3) == 0) || (kw == 5 && strncmp(p, "while", 5) == 0)) {
            bool closes = strncmp(p, "fi", 2) == 0 || strncmp(p, "esac", 4) == 0 ||
                          strncmp(p, "done", 4) == 0;

            depth += closes ? (depth > 0 ? -1 : 0) : 1;
            continue;
        }
        if (depth > 0) {
            continue;
        }
        if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t')) {
            exported = true;
            p += 6;
        } else if (strncmp(p, "unset", 5) == 0 && (p[5] == ' ' || p[5] == '\t')) {
            unset = true;
            p += 5;
        }
        for (;;) {
            size_t n;
            char value[512];

            p += strspn(p, " \t");
            n = name_len(p);
            if (n == 0) {
                break; /* a command, a condition, a comment: not ours to run */
            }
            if (unset) {
                struct var *v;

                var_set(c, p, n, "", false); /* unset: no longer the environment's either */
                if ((v = var_find(c, p, n)) != NULL) {
                    v->unset = true;
                    v->exported = false;
                }
                p += n;
                continue;
            }
            if (p[n] != '=') {
                if (exported && (p[n] == '\0' || p[n] == ' ' || p[n] == '\t')) {
                    var_set(c, p, n, var_get(c, p, n), true); /* export NAME */
                    p += n;
                    continue;
                }
                break;
            }
            {
                const char *w = p + n + 1;

                if (shell_word(c, &w, value, sizeof(value)) == 0) {
                    var_set(c, p, n, value, exported);
                } else {
                    ra_debug(ctx, "envfile %s: %.*s needs a shell: skipped", path, (int)n, p);
                    w += strcspn(w, " \t;");
                }
                p = w;
            }
            if (*p != ' ' && *p != '\t') {
                break;
            }
        }
    }
    fclose(f);
}

/* ${VAR} of a configuration line expanded (undefined ones left as they are, as httpd
 * leaves them to fail) */
static void
conf_expand(struct apacheconf *c, const char *in, char *out, size_t cap)
{
    size_t o = 0;

    for (const char *p = in; *p != '\0' && o + 1 < cap; p++) {
        size_t n;
        const char *v;

        struct var *var;

        if (p[0] == '$' && p[1] == '{' && (n = name_len(p + 2)) > 0 && p[2 + n] == '}' &&
            (var = var_find(c, p + 2, n)) != NULL && var->exported && !var->unset &&
            (v = var->value) != NULL) {
            size_t vl = strlen(v);

            if (o + vl >= cap) {
                break;
            }
            memcpy(out + o, v, vl);
            o += vl;
            p += n + 2;
            continue;
        }
        out[o++] = *p;
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------ the configuration */

struct scan {
    struct apacheconf *c;
    struct ra_ctx *ctx;
    char root[PATH_MAX];
    char pidfile[PATH_MAX], port[16], listen[300];
    char loc[1024], status_loc[1024];
    bool have_root, have_pid, have_port, have_listen;
    unsigned files;
    struct stat dirs[64]; /* the directories read */
    size_t ndirs;
};

/* the directive's first argument, quotes off, into @out */
static void
first_arg(const char *p, char *out, size_t cap)
{
    size_t n;

    p += strspn(p, " \t");
    if (*p == '"') {
        p++;
        n = strcspn(p, "\"");
    } else {
        n = strcspn(p, " \t>");
    }
    ra_format_cut(out, cap, "%.*s", (int)n, p);
}

static void scan_file(struct scan *s, const char *path, int depth);

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Include PATTERN: a file, every file under a directory (sorted), or a wildcard */
static void
scan_include(struct scan *s, const char *spec, int depth)
{
    char path[PATH_MAX];
    struct stat st;
    glob_t g;

    if (depth > 16 || s->files > 2000) {
        return;
    }
    if (spec[0] == '/' || s->root[0] == '\0') {
        ra_format_cut(path, sizeof(path), "%s", spec);
    } else {
        ra_format_cut(path, sizeof(path), "%s/%s", s->root, spec);
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        char pattern[PATH_MAX + 4];

        /* a directory once (links that loop back are read once) */
        for (size_t i = 0; i < s->ndirs; i++) {
            if (s->dirs[i].st_dev == st.st_dev && s->dirs[i].st_ino == st.st_ino) {
                return;
            }
        }
        if (s->ndirs == RA_NELEM(s->dirs)) {
            return;
        }
        s->dirs[s->ndirs++] = st;

        ra_format_cut(pattern, sizeof(pattern), "%s/*", path);
        if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
            qsort(g.gl_pathv, g.gl_pathc, sizeof(char *), cmp_str);
            for (size_t i = 0; i < g.gl_pathc; i++) {
                if (stat(g.gl_pathv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
                    scan_include(s, g.gl_pathv[i], depth + 1);
                } else {
                    scan_file(s, g.gl_pathv[i], depth + 1);
                }
            }
            globfree(&g);
        }
        return;
    }
    if (glob(path, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            scan_file(s, g.gl_pathv[i], depth + 1);
        }
        globfree(&g);
    }
}

static void
scan_file(struct scan *s, const char *path, int depth)
{
    char raw[8192], line[8192], arg[PATH_MAX];
    FILE *f;

    if (depth > 16 || ++s->files > 2000 || (f = fopen(path, "re")) == NULL) {
        return;
    }
    while (fgets(raw, sizeof(raw), f) != NULL) {
        const char *p, *rest;
        size_t n;

        if (strchr(raw, '\n') == NULL && !feof(f)) {
            int ch;

            while ((ch = fgetc(f)) != EOF && ch != '\n') {
            }
            continue; /* longer than any directive of ours: skipped whole */
        }
        raw[strcspn(raw, "\r\n")] = '\0';
        conf_expand(s->c, raw + strspn(raw, " \t"), line, sizeof(line));
        p = line;
        if (*p == '#' || *p == '\0') {
            continue;
        }
        n = strcspn(p, " \t");
        rest = p + n;
        if ((n == 7 && strncasecmp(p, "Include", 7) == 0) ||
            (n == 15 && strncasecmp(p, "IncludeOptional", 15) == 0)) {
            first_arg(rest, arg, sizeof(arg));
            scan_include(s, arg, depth);
        } else if (n == 10 && strncasecmp(p, "ServerRoot", 10) == 0) {
            first_arg(rest, s->root, sizeof(s->root));
            s->have_root = true;
        } else if (n == 7 && strncasecmp(p, "PidFile", 7) == 0) { /* the last, as httpd */
            first_arg(rest, s->pidfile, sizeof(s->pidfile));
            s->have_pid = true;
        } else if (n == 4 && strncasecmp(p, "Port", 4) == 0 && !s->have_port) {
            first_arg(rest, s->port, sizeof(s->port));
            s->have_port = true;
        } else if (n == 6 && strncasecmp(p, "Listen", 6) == 0 && !s->have_listen) {
            first_arg(rest, s->listen, sizeof(s->listen));
            s->have_listen = true;
        } else if (n == 9 && strncasecmp(p, "<Location", 9) == 0) {
            first_arg(rest, s->loc, sizeof(s->loc));
        } else if (n == 10 && strncasecmp(p, "SetHandler", 10) == 0) {
            first_arg(rest, arg, sizeof(arg));
            if (strcasecmp(arg, "server-status") == 0) {
                ra_format_cut(s->status_loc, sizeof(s->status_loc), "%s", s->loc);
            }
        }
    }
    fclose(f);
}

/* ------------------------------------------------------------ validate */

static const char *const httpd_list[] = { "/sbin/httpd2",
                                          "/usr/sbin/httpd2",
                                          "/usr/sbin/apache2",
                                          "/sbin/httpd",
                                          "/usr/sbin/httpd",
                                          "/usr/sbin/apache",
                                          "/opt/IBMHTTPServer/bin/httpd",
                                          NULL };

static int
apache_validate(struct ra_ctx *ctx)
{
    struct apacheconf *c = ctx->data;
    const char *cfg = ra_str(ctx, "configfile"), *files = ra_str0(ctx, "envfiles");
    static const char *const defaults[] = { "/etc/apache2/httpd.conf", "/etc/apache2/apache2.conf",
                                            "/etc/httpd/conf/httpd.conf", NULL };
    const char *pos = files;
    char file[PATH_MAX];
    struct scan *s;
    long long port = 0;

    /* the program: the one named, else the usual places */
    ra_format_cut(c->httpd, sizeof(c->httpd), "%s", ra_str(ctx, "httpd"));
    if (access(c->httpd, X_OK) < 0) {
        c->httpd[0] = '\0';
        for (size_t i = 0; httpd_list[i] != NULL && c->httpd[0] == '\0'; i++) {
            if (access(httpd_list[i], X_OK) == 0) {
                ra_format_cut(c->httpd, sizeof(c->httpd), "%s", httpd_list[i]);
            }
        }
    }
    if (c->httpd[0] == '\0' || stat(c->httpd, &c->exe) < 0) {
        memset(&c->exe, 0, sizeof(c->exe));
    }
    while (ra_list_next(&pos, file, sizeof(file))) {
        read_envfile(ctx, c, file);
    }
    for (size_t i = 0; cfg == NULL && defaults[i] != NULL; i++) {
        if (access(defaults[i], F_OK) == 0 || defaults[i + 1] == NULL) {
            cfg = defaults[i];
        }
    }
    /* as given: httpd is started with it, and a server it names is ours after its
     * link is repointed or its file gone */
    ra_format_cut(c->config, sizeof(c->config), "%s", cfg);
    if (stat(cfg, &c->cst) < 0 || !S_ISREG(c->cst.st_mode)) {
        /* stop and a probe still look for a server started with it (by its name: the
         * file is gone) */
        memset(&c->cst, 0, sizeof(c->cst));
        return ra_soften(ctx,
                         ra_fail(ctx, OCF_ERR_INSTALLED, "configuration file %s not found", cfg));
    }
    if ((s = calloc(1, sizeof(*s))) == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    s->c = c;
    s->ctx = ctx;
    /* ServerRoot until the configuration says: -d of options, else the configuration's
     * own directory (httpd's built-in one on Debian and Red Hat alike), never our cwd */
    {
        const char *opos = ra_str0(ctx, "options");
        char w[PATH_MAX];
        bool next = false;

        ra_format_cut(s->root, sizeof(s->root), "%.*s",
                      strrchr(c->config, '/') ? (int)(strrchr(c->config, '/') - c->config) : 0,
                      c->config);
        while (ra_list_next(&opos, w, sizeof(w))) {
            if (next || (strncmp(w, "-d", 2) == 0 && w[2] != '\0')) {
                ra_format_cut(s->root, sizeof(s->root), "%s", next ? w : w + 2);
                next = false;
            } else {
                next = strcmp(w, "-d") == 0;
            }
        }
    }
    scan_file(s, c->config, 0);
    /* the pid file: absolute; from ServerRoot; or, with none usable, ours (given with -c) */
    if (s->pidfile[0] == '/') {
        ra_format_cut(c->pidfile, sizeof(c->pidfile), "%s", s->pidfile);
    } else if ((s->pidfile[0] >= 'A' && s->pidfile[0] <= 'Z') ||
               (s->pidfile[0] >= 'a' && s->pidfile[0] <= 'z') ||
               (s->pidfile[0] >= '0' && s->pidfile[0] <= '9')) {
        ra_format_cut(c->pidfile, sizeof(c->pidfile), "%s/%s", s->root, s->pidfile);
    } else if (ra_ctx_state_path(ctx, ".pid", c->pidfile, sizeof(c->pidfile)) == 0) {
        c->pid_directive = true;
    }
    /* the port: the parameter, the Port directive, 80; the address: Listen */
    if (ra_given(ctx, "port")) {
        port = ra_int(ctx, "port");
    } else if (!s->have_port || ra_parse_int(s->port, 1, 65535, &port) < 0) {
        port = 80;
    }
    if (s->listen[0] == '\0') {
        ra_format_cut(c->base, sizeof(c->base), "http://localhost:%lld", port);
    } else if (strchr(s->listen, ':') == NULL || s->listen[0] == '*') {
        /* a port alone (or every address): asked on this host */
        const char *colon = strrchr(s->listen, ':');

        ra_format_cut(c->base, sizeof(c->base), "http://localhost:%s",
                      colon ? colon + 1 : s->listen);
    } else if (strncmp(s->listen, "0.0.0.0:", 8) == 0 || strncmp(s->listen, "[::]:", 5) == 0) {
        ra_format_cut(c->base, sizeof(c->base), "http://localhost:%s", strrchr(s->listen, ':') + 1);
    } else {
        ra_format_cut(c->base, sizeof(c->base), "http://%s", s->listen);
    }
    if (ra_given(ctx, "statusurl")) {
        const char *u = ra_str(ctx, "statusurl");

        ra_format_cut(c->statusurl, sizeof(c->statusurl), "%s%s",
                      strncasecmp(u, "http", 4) == 0 ? "" : c->base, u);
    } else {
        ra_format_cut(c->statusurl, sizeof(c->statusurl), "%s%s", c->base, s->status_loc);
    }
    ra_debug(ctx, "pid file %s%s, status URL %s, %u configuration files", c->pidfile,
             c->pid_directive ? " (ours)" : "", c->statusurl, s->files);
    free(s);
    if (c->httpd[0] == '\0') {
        return ra_soften(ctx, ra_fail(ctx, OCF_ERR_INSTALLED,
                                      "no httpd program (%s, nor the usual places)",
                                      ra_str(ctx, "httpd")));
    }
    if (ra_given(ctx, "testconffile") && access(ra_str(ctx, "testconffile"), R_OK) < 0) {
        return ra_soften(ctx,
                         ra_fail(ctx, OCF_ERR_INSTALLED, "test configuration file %s not readable",
                                 ra_str(ctx, "testconffile")));
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ the server */

struct server {
    pid_t main;         /* the pid file's process, when it is ours */
    struct ra_pids all; /* every process of ours (filled by a walk) */
    bool walked;
};

static pid_t
pidfile_pid(const struct apacheconf *c)
{
    long long v;

    return ra_state_read_int(c->pidfile, 1, INT32_MAX, &v) == 0 ? (pid_t)v : 0;
}

/*
 * Ours: our httpd program (by device and inode: a "tail -f" of the configuration is
 * not a server) started with -f naming our configuration; or, for the pid file's
 * process (@pidfile), our httpd started with no -f at all (apache2ctl and systemd run
 * it with its built-in configuration): taken for ours, as the pid file says.  1, 0, or
 * -errno (unsure).
 */
static int
is_ours(const struct apacheconf *c, pid_t pid, bool pidfile)
{
    bool has_f = false;
    int r = c->exe.st_ino != 0 ? ra_proc_exe_is(pid, c->exe.st_dev, c->exe.st_ino) : 1;

    if (r <= 0) {
        return r;
    }
    r = ra_proc_arg_file_is(pid, "-f", c->config, c->cst.st_dev, c->cst.st_ino, &has_f);
    return r != 0 ? r : pidfile && !has_f;
}

/*
 * The server: the pid file's process if ours; with @walk (or no such process) every
 * process of ours too.  0, or -errno when that cannot be told (unsure).
 */
static int
find_server(const struct apacheconf *c, bool walk, struct server *s)
{
    pid_t p = pidfile_pid(c);
    int r;

    memset(s, 0, sizeof(*s));
    if (p > 0 && (r = is_ours(c, p, true)) != 0) {
        if (r < 0) {
            return r;
        }
        s->main = p;
    }
    if (s->main == 0 || walk) {
        if ((r = ra_proc_by_arg_file("-f", c->config, c->cst.st_dev, c->cst.st_ino, c->exe.st_dev,
                                     c->exe.st_ino, &s->all)) < 0) {
            return r;
        }
        s->walked = true;
    }
    return 0;
}

static bool
running(const struct server *s)
{
    return s->main > 0 || s->all.n > 0;
}

/* ------------------------------------------------------------ asking it */

/* A test of testconffile: the one named @name, else the first. */
struct webtest {
    char url[2400], user[256], password[256], match[1024];
};

static int
read_test(struct ra_ctx *ctx, const char *path, const char *name, struct webtest *t)
{
    FILE *f = fopen(path, "re");
    char line[4096];
    bool in = false, found = false;
    unsigned n = 0;

    memset(t, 0, sizeof(*t));
    if (f == NULL) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "cannot read %s: %s", path, strerror(errno));
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *key = line, *value;

        n++;
        line[strcspn(line, "\r\n")] = '\0';
        key += strspn(key, " \t");
        value = key + strcspn(key, " \t");
        if (*value != '\0') {
            *value++ = '\0';
            value = ra_trim(value);
        }
        if (!in) {
            if (strcmp(key, "test") == 0 &&
                (name == NULL || name[0] == '\0' || strcmp(value, name) == 0)) {
                in = found = true;
            }
            continue;
        }
        if (strcmp(key, "url") == 0) {
            ra_format_cut(t->url, sizeof(t->url), "%s", value);
        } else if (strcmp(key, "user") == 0) {
            ra_format_cut(t->user, sizeof(t->user), "%s", value);
        } else if (strcmp(key, "password") == 0) {
            ra_format_cut(t->password, sizeof(t->password), "%s", value);
        } else if (strcmp(key, "match") == 0) {
            ra_format_cut(t->match, sizeof(t->match), "%s", value);
        } else if (strcmp(key, "end") == 0) {
            break;
        } else if (strcmp(key, "client") != 0 && strcmp(key, "client_opts") != 0 && key[0] != '#' &&
                   key[0] != '\0') {
            fclose(f);
            explicit_bzero(line, sizeof(line));
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "%s:%u: %s: unknown keyword", path, n, key);
        }
    }
    fclose(f);
    explicit_bzero(line, sizeof(line));
    if (!found) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "%s has no test %s", path,
                       name && name[0] ? name : "at all");
    }
    return OCF_SUCCESS;
}

/*
 * Does @text match @regex (extended, case-insensitive, line by line, as grep -Ei)?  1,
 * 0, or -1 when it is not a regular expression.  The default pattern and plain words
 * are matched directly (the same answer as regexec, in a fraction of its time on a
 * status page of tens of kilobytes).
 */
static int
matches(const char *regex, const char *text)
{
    regex_t re;
    int r;

    if (strcmp(regex, TESTREGEX_DEFAULT) == 0) {
        /* "</ *html *>" */
        for (const char *p = strstr(text, "</"); p != NULL; p = strstr(p + 1, "</")) {
            const char *q = p + 2 + strspn(p + 2, " ");

            if (strncasecmp(q, "html", 4) == 0 && q[4 + strspn(q + 4, " ")] == '>') {
                return 1;
            }
        }
        return 0;
    }
    if (strpbrk(regex, ".[]()*+?{}|^$\\") == NULL) {
        return strcasestr(text, regex) != NULL;
    }
    if (regcomp(&re, regex, REG_EXTENDED | REG_ICASE | REG_NOSUB | REG_NEWLINE) != 0) {
        return -1;
    }
    r = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return r;
}

/*
 * GET @url (a path: from the Listen address) and match @regex: OCF_SUCCESS, or a
 * failure saying what was wrong (OCF_NOT_RUNNING when nothing answers at all, for
 * start's polling).
 */
static int
ask(struct ra_ctx *ctx, const char *url, const char *regex, const char *user, const char *pass,
    bool quiet)
{
    const struct apacheconf *c = ctx->data;
    char full[2600], why[300];
    static char body[RA_HTTP_BODY_MAX];
    struct ra_http_req req = { .url = full,
                               .user = user,
                               .password = pass,
                               .lo_only = true,
                               .family = ra_bool(ctx, "use_ipv6") ? AF_INET6 : AF_UNSPEC,
                               .deadline = &ctx->deadline };
    int status, r;

    ra_format_cut(full, sizeof(full), "%s%s", strncasecmp(url, "http", 4) == 0 ? "" : c->base, url);
    r = ra_http_get(&req, &status, body, sizeof(body), why, sizeof(why));
    if (r < 0) {
        if (quiet) {
            return OCF_NOT_RUNNING;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s: %s", full, why);
    }
    if (status < 200 || status > 299) {
        /* an error page may well end in </html>: the anchor's wget shows no page then */
        if (quiet) {
            return OCF_NOT_RUNNING;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s answers HTTP %d", full, status);
    }
    r = matches(regex, body);
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "not a regular expression: %s", regex);
    }
    if (r == 0) {
        if (quiet) {
            return OCF_NOT_RUNNING;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s (HTTP %d) does not match %s", full, status, regex);
    }
    return OCF_SUCCESS;
}

/* The server answers as this depth asks. */
static int
check(struct ra_ctx *ctx, int level, bool quiet)
{
    const struct apacheconf *c = ctx->data;

    if (level >= 10) {
        struct webtest t;
        int rc;

        if (ra_given(ctx, "testconffile")) {
            if ((rc = read_test(ctx, ra_str(ctx, "testconffile"), ra_str(ctx, "testname"), &t)) !=
                OCF_SUCCESS) {
                return rc;
            }
        } else {
            memset(&t, 0, sizeof(t));
            ra_format_cut(t.url, sizeof(t.url), "%s", ra_str0(ctx, "testurl"));
            ra_format_cut(t.match, sizeof(t.match), "%s", ra_str0(ctx, "testregex10"));
        }
        if (t.url[0] == '\0' || t.match[0] == '\0') {
            return ra_fail(ctx, OCF_ERR_CONFIGURED,
                           "depth 10 needs testurl and testregex10 (or a test in testconffile)");
        }
        if ((t.user[0] == '\0') != (t.password[0] == '\0')) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "the test needs both a user and a password");
        }
        rc = ask(ctx, t.url, t.match, t.user, t.password, quiet);
        explicit_bzero(&t, sizeof(t));
        return rc;
    }
    return ask(ctx, c->statusurl,
               ra_given(ctx, "testregex") ? ra_str(ctx, "testregex") : TESTREGEX_DEFAULT, NULL,
               NULL, quiet);
}

static int
apache_monitor(struct ra_ctx *ctx)
{
    const struct apacheconf *c = ctx->data;
    struct server s;
    int r = find_server(c, false, &s), rc;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell whether httpd runs: %s", strerror(-r));
    }
    if (!running(&s)) {
        ra_pids_release(&s.all);
        return OCF_NOT_RUNNING;
    }
    ra_pids_release(&s.all);
    rc = check(ctx, ra_check_level(ctx), false);
    return rc == OCF_NOT_RUNNING ? OCF_ERR_GENERIC : rc;
}

/* ------------------------------------------------------------ start */

/* httpd's first line worth quoting (with the next when it ends in ':', as "Syntax error
 * on line 3 of F:" does) */
static void
first_line(const struct ra_run_result *res, char *buf, size_t cap)
{
    const char *text = res->err && res->err[0] ? res->err : res->out ? res->out : "";
    const char *line = text + strspn(text, "\n");
    size_t n = strcspn(line, "\n");

    if (n > 0 && line[n - 1] == ':' && line[n] == '\n') {
        const char *next = line + n + 1;

        ra_format_cut(buf, cap, "%.*s %.*s", (int)n, line, (int)strcspn(next, "\n"), next);
        return;
    }
    ra_format_cut(buf, cap, "%.*s", (int)n, line);
}

static int
run_httpd(struct ra_ctx *ctx, bool test, char *why, size_t cap)
{
    const struct apacheconf *c = ctx->data;
    char words[RA_WORDS_MAX][RA_WORD_MAX + 2], pidopt[PATH_MAX + 16];
    static char envs[VARS_MAX][600]; /* the envfiles' exported variables, NAME=VALUE */
    const char *argv[12 + RA_WORDS_MAX], *pos = ra_str0(ctx, "options"), *envp[VARS_MAX + 1];
    struct ra_cmd cmd = { .argv = argv, .env = envp, .deadline = &ctx->deadline };
    struct ra_run_result res;
    size_t n = 0, w = 0, e = 0;
    int rc;

    for (size_t i = 0; i < c->nvars; i++) {
        if (c->vars[i].exported &&
            ra_format(envs[e], sizeof(envs[e]), "%s=%s", c->vars[i].name, c->vars[i].value) == 0) {
            envp[e] = envs[e];
            e++;
        }
    }
    envp[e] = NULL;

    argv[n++] = c->httpd;
    if (test) {
        argv[n++] = "-t";
    }
    argv[n++] = "-DSTATUS";
    while (w < RA_WORDS_MAX && ra_list_next(&pos, words[w], sizeof(words[0]))) {
        argv[n++] = words[w++];
    }
    argv[n++] = "-f";
    argv[n++] = c->config;
    if (c->pid_directive) {
        ra_format_cut(pidopt, sizeof(pidopt), "PidFile %s", c->pidfile);
        argv[n++] = "-c";
        argv[n++] = pidopt;
    }
    argv[n] = NULL;
    if ((rc = ra_run(&cmd, &res)) < 0) {
        ra_format_cut(why, cap, "cannot run %s: %s", c->httpd, strerror(-rc));
        return -1;
    }
    rc = ra_run_ok(&res) ? 0 : -1;
    first_line(&res, why, cap); /* an error; or, on success, what it said (if anything) */
    if (rc < 0) {
        if (why[0] == '\0') {
            ra_format_cut(why, cap, "%s exited with %d", c->httpd,
                          res.status == RA_RUN_DONE ? res.exit_code : -1);
        }
    }
    ra_run_result_release(&res);
    return rc;
}

static int apache_stop(struct ra_ctx *ctx);

/*
 * A pid file no server holds (its process gone, a zombie, another program by now): it
 * goes, or httpd would take that process for itself and not start.  One that names a
 * live httpd of another configuration is not ours to remove.
 */
static int
stale_pidfile(struct ra_ctx *ctx)
{
    const struct apacheconf *c = ctx->data;
    pid_t p = pidfile_pid(c);
    int r;

    if (p == 0) {
        return OCF_SUCCESS;
    }
    r = ra_proc_stat(p, NULL, 0, NULL, NULL);
    if (r == 1) {
        r = c->exe.st_ino != 0 ? ra_proc_exe_is(p, c->exe.st_dev, c->exe.st_ino) : 1;
    }
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell what pid %d of %s is", (int)p,
                       c->pidfile);
    }
    if (r == 1) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "pid file %s names httpd (pid %d) of another configuration", c->pidfile,
                       (int)p);
    }
    ra_info(ctx, "removing the stale pid file %s (pid %d)", c->pidfile, (int)p);
    if (unlink(c->pidfile) < 0 && errno != ENOENT) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot remove %s: %s", c->pidfile, strerror(errno));
    }
    return OCF_SUCCESS;
}

/* The directories Debian's apache2ctl makes before it starts httpd: APACHE_RUN_DIR, and
 * APACHE_LOCK_DIR owned by APACHE_RUN_USER, when the envfiles name them. */
static void
debian_dirs(struct ra_ctx *ctx)
{
    struct apacheconf *c = ctx->data;
    struct var *run = var_find(c, "APACHE_RUN_DIR", 14), *lock = var_find(c, "APACHE_LOCK_DIR", 15);
    struct var *user = var_find(c, "APACHE_RUN_USER", 15);

    if (run != NULL && !run->unset && run->value[0] == '/' && mkdir(run->value, 0755) == 0) {
        ra_debug(ctx, "made %s", run->value);
    }
    if (lock != NULL && !lock->unset && lock->value[0] == '/' && mkdir(lock->value, 0755) == 0) {
        struct passwd *pw = user != NULL ? getpwnam(user->value) : NULL;

        if (pw != NULL && chown(lock->value, pw->pw_uid, (gid_t)-1) < 0) {
            ra_warn(ctx, "cannot give %s to %s", lock->value, user->value);
        }
    }
}

static int
apache_start(struct ra_ctx *ctx)
{
    const struct apacheconf *c = ctx->data;
    struct server s;
    char why[512], said[512] = "";
    uint64_t wait_ms = 2;
    int r = find_server(c, false, &s), rc;

    ra_pids_release(&s.all);
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell whether httpd runs: %s", strerror(-r));
    }
    if (running(&s)) {
        /* never a second server over our pid file or our configuration */
        ra_info(ctx, "httpd of %s runs already (pid %d)", c->config, (int)s.main);
    } else {
        if (c->pid_directive && ra_state_mkdirs(c->pidfile) < 0) {
            return ra_fail(ctx, OCF_ERR_PERM, "cannot make the directory of %s", c->pidfile);
        }
        if ((rc = stale_pidfile(ctx)) != OCF_SUCCESS) {
            return rc;
        }
        debian_dirs(ctx);
        if (run_httpd(ctx, false, said, sizeof(said)) < 0) {
            /* a configuration httpd -t rejects is the user's to fix (6), in httpd's words */
            if (run_httpd(ctx, true, why, sizeof(why)) < 0) {
                return ra_fail(ctx, OCF_ERR_CONFIGURED, "%s: %s", c->config, why);
            }
            return ra_fail(ctx, OCF_ERR_GENERIC, "httpd did not start: %s", said);
        }
    }
    /* until ours answers as the depth-0 monitor asks: a short backoff, no fixed sleep */
    for (;;) {
        bool ours;

        r = find_server(c, false, &s);
        ours = r == 0 && running(&s);
        ra_pids_release(&s.all);
        if (r == 0 && !ours) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "httpd exited at start%s%s",
                           said[0] ? ": " : " (see its error log)", said);
        }
        /* another server answering on the URL is not ours started */
        rc = ours ? check(ctx, 0, true) : OCF_NOT_RUNNING;
        if (rc != OCF_NOT_RUNNING) {
            break;
        }
        if (ra_deadline_left_ms(&ctx->deadline) < 3000 + wait_ms) {
            /* as the anchor: what started and does not answer is stopped */
            (void)check(ctx, 0, false);
            rc = ctx->reason[0] ? OCF_ERR_GENERIC
                                : ra_fail(ctx, OCF_ERR_GENERIC, "httpd does not answer");
            {
                char reason[sizeof(ctx->reason)];

                memcpy(reason, ctx->reason, sizeof(reason));
                (void)apache_stop(ctx);
                memcpy(ctx->reason, reason, sizeof(reason));
            }
            return rc;
        }
        (void)ra_deadline_sleep(&ctx->deadline, wait_ms);
        wait_ms = wait_ms < 20 ? wait_ms + wait_ms / 2 + 1 : 20; /* 2, 4, 7, 11, 17, 20 ms */
    }
    return rc;
}

/* ------------------------------------------------------------ stop */

static int
apache_stop(struct ra_ctx *ctx)
{
    const struct apacheconf *c = ctx->data;
    /* graceful stop for half the time; KILL's share: the last tenth, at least 3 s */
    uint64_t kill_window = ctx->timeout_ms / 10 > 3000 ? ctx->timeout_ms / 10 : 3000;
    uint64_t graceful_end = ra_now_ms() + ctx->timeout_ms / 2;
    bool winched = false, termed = false, killed = false;

    for (;;) {
        struct server s;
        int r = find_server(c, true, &s);

        if (r < 0) {
            if (ra_deadline_sleep(&ctx->deadline, 10) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell whether httpd stopped: %s",
                               strerror(-r));
            }
            continue;
        }
        if (!running(&s)) {
            ra_pids_release(&s.all);
            break;
        }
        if (!winched && s.main > 0) {
            ra_info(ctx, "graceful stop of httpd (pid %d)", (int)s.main);
            kill(s.main, SIGWINCH);
            winched = true;
        } else if (!termed && (s.main == 0 || ra_now_ms() >= graceful_end)) {
            if (s.main > 0) {
                ra_info(ctx, "httpd (pid %d) still there after a graceful stop: TERM", (int)s.main);
                kill(s.main, SIGTERM);
            } else {
                ra_proc_signal(&s.all, SIGTERM); /* no parent to stop them: each one */
            }
            termed = true;
        }
        if (ra_deadline_left_ms(&ctx->deadline) < kill_window) {
            if (!killed) {
                ra_warn(ctx, "httpd did not stop: KILL");
            }
            if (s.main > 0) {
                kill(s.main, SIGKILL);
            }
            ra_proc_signal(&s.all, SIGKILL);
            killed = true;
        }
        ra_pids_release(&s.all);
        if (ra_deadline_sleep(&ctx->deadline, 5) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "httpd of %s is still there", c->config);
        }
    }
    if (c->pid_directive && unlink(c->pidfile) == 0) {
        ra_debug(ctx, "removed %s", c->pidfile);
    }
    return OCF_SUCCESS;
}

static const struct ra_action apache_actions[] = {
    { .name = "start", .fn = apache_start, .timeout_s = 40 },
    { .name = "stop", .fn = apache_stop, .timeout_s = 60 },
    { .name = "status", .fn = apache_monitor, .timeout_s = 30 },
    { .name = "monitor", .fn = apache_monitor, .timeout_s = 20, .interval_s = 10 },
    { .name = "meta-data", .timeout_s = 5 },
    { .name = "validate-all", .timeout_s = 5 },
};

static const struct ra_agent apache_agent = {
    .name = "apache",
    .shortdesc = "Manages an Apache Web server instance",
    .longdesc = "One Apache httpd, started with its own configuration file.  The server of the "
                "resource is every process started with that file (-f), found by the file "
                "itself, not by a name.  start returns as soon as the status page answers; "
                "monitor reads it in-process (no curl or wget): depth 0 the status URL, depth "
                "10 testurl or a test of testconffile; stop succeeds only once no process of "
                "the server is left.",
    .params = apache_params,
    .nparams = RA_NELEM(apache_params),
    .actions = apache_actions,
    .nactions = RA_NELEM(apache_actions),
    .validate = apache_validate,
    .data_size = sizeof(struct apacheconf),
};

int
main(int argc, char **argv)
{
    return ra_main(&apache_agent, argc, argv);
}
