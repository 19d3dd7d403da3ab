/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:mysql (also called as mariadb): one MariaDB or MySQL server;
 * a drop-in for ocf:heartbeat:mysql.
 *
 * The server is asked in-process (lib/sql.c: the monitor's short session in
 * the protocol itself, the rest through libmariadb): no mysql, mysqladmin or
 * pacemakerd child, and the test and replication passwords stay in memory
 * (the anchor puts them on the mysql client's command line).
 *
 * Is it ours?  The server of our datadir is the process that holds the
 * datadir's InnoDB (ibdata1) or Aria (aria_log_control) lock, which two
 * servers cannot both hold; or, before it takes them, the process whose
 * working directory is the datadir (mysqld changes to it at once), the pid
 * file's first.  A pid file whose process is something else is stale.
 *
 * start launches `binary` (mysqld_safe or mysqld/mariadbd) as `user`, in a
 * session of its own with /dev/null on its stdio (it never holds Pacemaker's
 * pipes), and returns as soon as the server answers on its socket: polled
 * with a short backoff, no fixed sleep.  An early death is reported with the
 * error log's last error line.  monitor at depth 0: the server is there and
 * answers a ping as test_user (a refusal of the credentials is an answer); at
 * depth 10 a query on test_table as test_user; each a whole session, logged
 * in and out, that leaves no line in the server's error log.  stop: TERM, then KILL before the
 * deadline (to mysqld_safe first, which would start mysqld again), and success only once no process
 * of the datadir is left; stale pid and socket files go.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent.h"
#include "parse.h"
#include "proc.h"
#include "run.h"
#include "sql.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

/* test_table: db.table or table, each an unquoted identifier (it goes into SQL text) */
static bool
valid_table(const char *v, const char **why)
{
    const char *dot = strchr(v, '.');

    size_t ticks = 0;

    for (const char *p = v; *p != '\0'; p++) {
        ticks += *p == '`';
    }
    /* `db`.`t` as well: backticks only around a whole part */
    if (v[0] == '\0' || v[0] == '.' || strlen(v) > 133 || (dot && strchr(dot + 1, '.')) ||
        (dot && dot[1] == '\0') || ticks % 2 != 0 ||
        strspn(v, "`._$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be TABLE or DATABASE.TABLE (letters, digits, _ and $, each part may be in "
               "backticks)";
        return false;
    }
    for (const char *part = v; part != NULL;
         part = strchr(part, '.') ? strchr(part, '.') + 1 : NULL) {
        size_t len = strcspn(part, ".");

        if (memchr(part, '`', len) != NULL &&
            (len < 3 || part[0] != '`' || part[len - 1] != '`' || memchr(part + 1, '`', len - 2))) {
            *why = "must be TABLE or DATABASE.TABLE (letters, digits, _ and $, each part may be "
                   "in backticks)";
            return false;
        }
    }
    return true;
}

static bool
valid_name(const char *v, const char **why)
{
    if (v[0] == '\0' || v[0] == '-' || strlen(v) > 64 ||
        strspn(v, "._-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be a user or group name";
        return false;
    }
    return true;
}

/* what both names take: the server, its files, the test and replication users */
#define SERVER_PARAMS                                                                             \
 { .name = "binary",                                                                              \
   .type = RA_T_PATH,                                                                             \
   .ocf_type = "string",                                                                          \
   .def = "/usr/bin/mysqld_safe",                                                                 \
   .shortdesc = "MySQL server binary",                                                            \
   .longdesc = "The server to run: mysqld_safe, or mysqld/mariadbd itself." },                    \
     { .name = "client_binary",                                                                   \
       .type = RA_T_STRING,                                                                       \
       .def = "mysql",                                                                            \
       .shortdesc = "MySQL client binary",                                                        \
       .longdesc = "Accepted for compatibility: the server is asked through libmariadb." },       \
     { .name = "config",                                                                          \
       .type = RA_T_PATH,                                                                         \
       .ocf_type = "string",                                                                      \
       .def = "/etc/mysql/my.cnf",                                                                \
       .shortdesc = "MySQL config",                                                               \
       .longdesc = "The server's configuration file (--defaults-file)." },                        \
     { .name = "datadir",                                                                         \
       .type = RA_T_PATH,                                                                         \
       .ocf_type = "string",                                                                      \
       .flags = RA_P_IDENTITY,                                                                    \
       .def = "/var/lib/mysql",                                                                   \
       .shortdesc = "MySQL datadir",                                                              \
       .longdesc = "The data directory: the server of this resource is the one that holds it." }, \
     { .name = "user",                                                                            \
       .type = RA_T_STRING,                                                                       \
       .def = "mysql",                                                                            \
       .valid = valid_name,                                                                       \
       .shortdesc = "MySQL user",                                                                 \
       .longdesc = "The user the server runs as." },                                              \
     { .name = "group",                                                                           \
       .type = RA_T_STRING,                                                                       \
       .def = "mysql",                                                                            \
       .valid = valid_name,                                                                       \
       .shortdesc = "MySQL group",                                                                \
       .longdesc = "The group of the log file and of the directories start creates." },           \
     { .name = "log",                                                                             \
       .type = RA_T_PATH,                                                                         \
       .ocf_type = "string",                                                                      \
       .def = "/var/log/mysql/error.log",                                                         \
       .shortdesc = "MySQL log file",                                                             \
       .longdesc = "The server's error log (--log-error)." },                                     \
     { .name = "pid",                                                                             \
       .type = RA_T_PATH,                                                                         \
       .ocf_type = "string",                                                                      \
       .flags = RA_P_IDENTITY,                                                                    \
       .def = "/var/run/mysqld/mysqld.pid",                                                       \
       .shortdesc = "MySQL pid file",                                                             \
       .longdesc = "The server's pid file (--pid-file)." },                                       \
     { .name = "socket",                                                                          \
       .type = RA_T_PATH,                                                                         \
       .ocf_type = "string",                                                                      \
       .flags = RA_P_IDENTITY,                                                                    \
       .def = "/var/run/mysqld/mysqld.sock",                                                      \
       .shortdesc = "MySQL socket",                                                               \
       .longdesc = "The server's Unix socket (--socket): monitor connects through it." },         \
     { .name = "test_table",                                                                      \
       .type = RA_T_STRING,                                                                       \
       .def = "mysql.user",                                                                       \
       .valid = valid_table,                                                                      \
       .shortdesc = "MySQL test table",                                                           \
       .longdesc = "The table the depth-10 monitor counts the rows of." },                        \
     { .name = "test_user",                                                                       \
       .type = RA_T_STRING,                                                                       \
       .def = "root",                                                                             \
       .shortdesc = "MySQL test user",                                                            \
       .longdesc = "The user monitor connects as." },                                             \
     { .name = "test_passwd",                                                                     \
       .type = RA_T_STRING,                                                                       \
       .def = "",                                                                                 \
       .flags = RA_P_SECRET,                                                                      \
       .shortdesc = "MySQL test user password",                                                   \
       .longdesc = "Its password: given to libmariadb in memory, never on a command line." },     \
     { .name = "enable_creation",                                                                 \
       .type = RA_T_BOOLEAN,                                                                      \
       .def = "0",                                                                                \
       .shortdesc = "Create the database if it does not exist",                                   \
       .longdesc = "Initialise an empty datadir (mariadb-install-db) at start." },                \
     { .name = "additional_parameters",                                                           \
       .type = RA_T_STRING,                                                                       \
       .def = "",                                                                                 \
       .valid = ra_valid_words,                                                                   \
       .shortdesc = "Additional parameters to pass to mysqld",                                    \
       .longdesc = "More server arguments, as words (not run by a shell)." },                     \
     { .name = "replication_user",                                                                \
       .type = RA_T_STRING,                                                                       \
       .def = "root",                                                                             \
       .shortdesc = "MySQL replication user",                                                     \
       .longdesc = "The user replicas replicate as." },                                           \
     { .name = "replication_passwd",                                                              \
       .type = RA_T_STRING,                                                                       \
       .def = "",                                                                                 \
       .flags = RA_P_SECRET,                                                                      \
       .shortdesc = "MySQL replication user password",                                            \
       .longdesc = "Its password (in memory only)." },                                            \
     { .name = "replication_port",                                                                \
       .type = RA_T_PORT,                                                                         \
       .ocf_type = "string",                                                                      \
       .def = "3306",                                                                             \
       .shortdesc = "MySQL replication port",                                                     \
       .longdesc = "The port replicas connect to the primary on." },

#define READER_PARAM                                                                            \
 { .name = "reader_attribute",                                                                  \
   .type = RA_T_STRING,                                                                         \
   .def = "readable",                                                                           \
   .flags = RA_P_UNIQUE,                                                                        \
   .shortdesc = "Sets the node attribute that determines whether a node is usable for clients " \
                "to read from.",                                                                \
   .longdesc = "The node attribute set to 1 where clients may read." },

static const struct ra_param mysql_params[] = {
    SERVER_PARAMS{ .name = "replication_require_ssl",
                   .type = RA_T_BOOLEAN,
                   .ocf_type = "string",
                   .def = "false",
                   .shortdesc = "MySQL replication require ssl",
                   .longdesc = "Replicate over SSL." },
    { .name = "replication_master_ssl_ca",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "MySQL replication SSL CA certificate",
      .longdesc = "The CA certificate replicas check the primary with." },
    { .name = "replication_master_ssl_cert",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "MySQL replication SSL certificate",
      .longdesc = "The certificate replicas present." },
    { .name = "replication_master_ssl_key",
      .type = RA_T_STRING,
      .def = "",
      .shortdesc = "MySQL replication SSL certificate key",
      .longdesc = "Its key." },
    { .name = "max_slave_lag",
      .type = RA_T_INTEGER,
      .def = "3600",
      .min = 0,
      .max = 100000000,
      .shortdesc = "Maximum time (seconds) a MySQL slave is allowed to lag behind a master",
      .longdesc = "A replica further behind gets no promotion score." },
    { .name = "evict_outdated_slaves",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Determines whether to shut down badly lagging slaves",
      .longdesc = "A replica further behind than max_slave_lag fails its monitor." },
    READER_PARAM
};

/* ocf:heartbeat:mariadb: GTID replication, the first primary elected by GTID */
static const struct ra_param mariadb_params[] = {
    SERVER_PARAMS{
        .name = "node_list",
        .type = RA_T_STRING,
        .flags = RA_P_REQUIRED,
        .valid = ra_valid_words,
        .shortdesc = "All nodes of the replication cluster",
        .longdesc = "The names of the nodes the clone runs on, separated by spaces (as Pacemaker "
                    "names them): the first primary is elected among them by their GTID." },
    READER_PARAM
};

struct mysqlconf {
    const char *datadir, *pid, *socket;
    struct stat dir; /* the datadir's device and inode, when it exists */
    bool have_dir;
    char session[4096]; /* the session our start made (its leader's pid), recorded */
};

/* Called as mariadb: GTID replication, the first primary elected by GTID. */
static bool
is_mariadb(const struct ra_ctx *ctx)
{
    return strcmp(ctx->agent->name, "mariadb") == 0;
}

static int
mysql_validate(struct ra_ctx *ctx)
{
    struct mysqlconf *c = ctx->data;
    const char *a = ra_ctx_action(ctx);
    bool strict = strcmp(a, "start") == 0 || strcmp(a, "validate-all") == 0;
    char buf[4096];
    struct passwd pw, *pr = NULL;
    struct group gr, *gp = NULL;

    c->datadir = ra_str(ctx, "datadir");
    c->pid = ra_str(ctx, "pid");
    c->socket = ra_str(ctx, "socket");
    c->have_dir = stat(c->datadir, &c->dir) == 0 && S_ISDIR(c->dir.st_mode);
    if (ra_ctx_state_path(ctx, ".session", c->session, sizeof(c->session)) < 0) {
        c->session[0] = '\0';
    }
    if (strlen(c->socket) >= 108) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "socket %s: longer than a Unix socket path can be",
                       c->socket);
    }
    {
        /* what the agent itself passes (mysqld takes the last one given) */
        static const char *const ours[] = {
            "--datadir",   "--socket",        "--pid-file",           "--user",
            "--log-error", "--defaults-file", "--defaults-extra-file"
        };
        const char *pos = ra_str0(ctx, "additional_parameters");
        char w[RA_WORD_MAX + 2];

        while (ra_list_next(&pos, w, sizeof(w))) {
            for (size_t i = 0; i < RA_NELEM(ours); i++) {
                size_t n = strlen(ours[i]);

                if (strncmp(w, ours[i], n) == 0 && (w[n] == '\0' || w[n] == '=')) {
                    return ra_fail(ctx, OCF_ERR_CONFIGURED,
                                   "additional_parameters may not set %s: it has a parameter "
                                   "of its own",
                                   ours[i]);
                }
            }
        }
    }
    if (!strict) {
        return OCF_SUCCESS; /* stop and monitor look for the server whatever else is wrong */
    }
    if (access(ra_str(ctx, "binary"), X_OK) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "binary %s: %s", ra_str(ctx, "binary"),
                       strerror(errno));
    }
    if (access(ra_str(ctx, "config"), R_OK) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "config %s: %s", ra_str(ctx, "config"),
                       strerror(errno));
    }
    if (getpwnam_r(ra_str(ctx, "user"), &pw, buf, sizeof(buf), &pr) != 0 || pr == NULL) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "user %s does not exist", ra_str(ctx, "user"));
    }
    if (getgrnam_r(ra_str(ctx, "group"), &gr, buf, sizeof(buf), &gp) != 0 || gp == NULL) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "group %s does not exist", ra_str(ctx, "group"));
    }
    if (!c->have_dir && !ra_bool(ctx, "enable_creation")) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "datadir %s is not a directory", c->datadir);
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ the server */

/* The pid holding the lock on @file in the datadir: >0, 0 for none, -1 when it is held
 * by a process we cannot name (another pid namespace, an open file description lock). */
static pid_t
lock_holder(const struct mysqlconf *c, const char *file)
{
    char path[PATH_MAX];
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int fd;

    if (ra_format(path, sizeof(path), "%s/%s", c->datadir, file) < 0 ||
        (fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)) < 0) {
        return 0;
    }
    if (fcntl(fd, F_GETLK, &fl) < 0) {
        fl.l_type = F_UNLCK;
    }
    close(fd);
    if (fl.l_type == F_UNLCK) {
        return 0;
    }
    return fl.l_pid > 0 ? fl.l_pid : -1;
}

/* The pid file's pid: >0, 0 when there is none (or it is not a number). */
static pid_t
pidfile_pid(const struct mysqlconf *c)
{
    long long v;

    return ra_state_read_int(c->pid, 1, INT32_MAX, &v) == 0 ? (pid_t)v : 0;
}

struct server {
    pid_t pid;    /* the server of our datadir, or 0 */
    pid_t safe;   /* its mysqld_safe (mariadbd-safe), or 0 */
    pid_t sid;    /* the session our start made, while a process of it lives, or 0 */
    bool unsure;  /* something may be there that we could not look at */
    char how[96]; /* how it was found */
};

static bool
server_comm(const char *comm)
{
    return strcmp(comm, "mysqld") == 0 || strcmp(comm, "mariadbd") == 0;
}

static bool
safe_comm(const char *comm)
{
    return strcmp(comm, "mysqld_safe") == 0 || strcmp(comm, "mariadbd-safe") == 0;
}

/* The session our start made, recorded (its leader's pid), or 0. */
static pid_t
session_of(const struct mysqlconf *c)
{
    long long v;

    return c->session[0] != '\0' && ra_state_read_int(c->session, 1, INT32_MAX, &v) == 0 ? (pid_t)v
                                                                                         : 0;
}

/*
 * Look for the server of our datadir: the holder of its lock; the pid file's process
 * if it is a server (by name) sitting in the datadir; with @deep (stop, probes,
 * start), any server sitting there, and any live process of the session our start
 * made (mysqld_safe between two servers is still the instance).
 */
static void
find_server(const struct mysqlconf *c, bool deep, struct server *s)
{
    static const char *const locks[] = { "ibdata1", "aria_log_control" };
    char comm[32];
    pid_t p, sid;
    int r;

    memset(s, 0, sizeof(*s));
    for (size_t i = 0; i < RA_NELEM(locks) && s->pid == 0; i++) {
        p = lock_holder(c, locks[i]);
        r = p > 0 ? ra_proc_stat(p, NULL, 0, NULL, NULL) : 0;
        if (p < 0 || (p > 0 && r != 1)) {
            /* held by what we cannot see (another pid namespace, another NFS client), or
             * by a process we cannot read: something is there */
            s->unsure = true;
            ra_format_cut(s->how, sizeof(s->how), "%s is locked by a process out of sight",
                          locks[i]);
        } else if (p > 0) {
            s->pid = p;
            ra_format_cut(s->how, sizeof(s->how), "holds %s", locks[i]);
        }
    }
    if (s->pid == 0 && (p = pidfile_pid(c)) > 0 &&
        (r = ra_proc_stat(p, comm, sizeof(comm), NULL, NULL)) != 0) {
        if (r < 0) {
            s->unsure = true;
        } else if (server_comm(comm) && !c->have_dir) {
            s->unsure = true; /* a live server, and no datadir to tell whose */
            ra_format_cut(s->how, sizeof(s->how), "the pid file names %s %d, datadir missing", comm,
                          (int)p);
        } else if (server_comm(comm)) {
            r = ra_proc_cwd_is(p, c->dir.st_dev, c->dir.st_ino);
            if (r > 0) {
                s->pid = p;
                ra_format_cut(s->how, sizeof(s->how), "the pid file's, in the datadir");
            } else if (r < 0) {
                s->unsure = true;
            }
        }
    }
    if (s->pid == 0 && deep && c->have_dir) {
        struct ra_pids ps;

        if (ra_proc_by_cwd(c->dir.st_dev, c->dir.st_ino, &ps) < 0) {
            s->unsure = true;
        } else {
            for (size_t i = 0; i < ps.n && s->pid == 0; i++) {
                /* a shell sitting in the datadir is not a server */
                if (ra_proc_stat(ps.v[i], comm, sizeof(comm), NULL, NULL) == 1 &&
                    server_comm(comm)) {
                    s->pid = ps.v[i];
                    ra_format_cut(s->how, sizeof(s->how), "%s in the datadir", comm);
                }
            }
            ra_pids_release(&ps);
        }
    }
    if (deep && (sid = session_of(c)) > 0) {
        struct ra_pids ps;

        if (ra_proc_by_session(sid, &ps) < 0) {
            s->unsure = true;
        } else {
            if (ps.n > 0) {
                s->sid = sid;
                for (size_t i = 0; i < ps.n && s->safe == 0; i++) {
                    if (ra_proc_stat(ps.v[i], comm, sizeof(comm), NULL, NULL) == 1 &&
                        safe_comm(comm)) {
                        s->safe = ps.v[i];
                    }
                }
                if (s->pid == 0) {
                    ra_format_cut(s->how, sizeof(s->how), "session %d of our start lives",
                                  (int)sid);
                }
            }
            ra_pids_release(&ps);
        }
    }
    if (s->pid > 0 && s->safe == 0) {
        pid_t pp = 0;

        if (ra_proc_stat(s->pid, NULL, 0, &pp, NULL) == 1 && pp > 1 &&
            ra_proc_stat(pp, comm, sizeof(comm), NULL, NULL) == 1 && safe_comm(comm)) {
            s->safe = pp;
        }
    }
}

/* Nothing of ours: no server, no process of our start's session, nothing unseen. */
static bool
nothing(const struct server *s)
{
    return s->pid == 0 && s->sid == 0 && !s->unsure;
}

/*
 * A session over the socket as the user and password of parameters @user and @pass
 * (test_user, or replication_user: the anchor's "repl" options).  OCF_SUCCESS with
 * *@ret set, or a failure saying who could not log in.
 */
static int
login(struct ra_ctx *ctx, const char *user, const char *pass, struct ra_sql **ret)
{
    const struct mysqlconf *c = ctx->data;
    struct ra_sql_target t = { .socket = c->socket,
                               .user = ra_str0(ctx, user),
                               .password = ra_str0(ctx, pass) };
    char why[256];

    if (ra_sql_connect(&t, &ctx->deadline, ret, why, sizeof(why)) != RA_SQL_OK) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot log in as %s: %s", t.user, why);
    }
    return OCF_SUCCESS;
}

/*
 * The server answers as test_user over its socket: depth 0 a ping (a refusal of the
 * credentials, or of one more connection, is an answer too), depth 10 a count of
 * test_table's rows.  A whole session, logged in and out: a greeting left unanswered
 * would put a line in the server's error log at every monitor.
 */
static int
ask(struct ra_ctx *ctx, int level, char *why, size_t cap)
{
    const struct mysqlconf *c = ctx->data;
    struct ra_sql_target t = { .socket = c->socket,
                               .user = ra_str0(ctx, "test_user"),
                               .password = ra_str0(ctx, "test_passwd") };
    char q[200];
    enum ra_sql_status st;

    ra_format_cut(q, sizeof(q), "SELECT COUNT(*) FROM %s", ra_str(ctx, "test_table"));
    st = ra_sql_check(&t, level >= 10 ? q : NULL, &ctx->deadline, why, cap);
    if (st == RA_SQL_OK || (st == RA_SQL_DENIED && level < 10)) {
        if (st == RA_SQL_DENIED) {
            ra_debug(ctx, "the server answers, refusing %s: %s", t.user, why);
        }
        return OCF_SUCCESS;
    }
    if (st == RA_SQL_DENIED) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot log in as %s: %s", t.user, why);
    }
    if (st == RA_SQL_FAILED) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s as %s: %s", level >= 10 ? q : "a ping", t.user,
                       why);
    }
    return OCF_NOT_RUNNING; /* for the caller to say: it does not answer */
}

/* The server there and answering (depth 10: test_table readable as test_user). */
static int
server_check(struct ra_ctx *ctx)
{
    const struct mysqlconf *c = ctx->data;
    struct server s;
    char why[256];
    int rc;

    find_server(c, ra_is_probe(ctx), &s);
    if (s.pid == 0) {
        if (nothing(&s)) {
            return OCF_NOT_RUNNING;
        }
        return ra_fail(ctx, OCF_ERR_GENERIC, "no server answers, but %s",
                       s.how[0] ? s.how : "the process table cannot be read");
    }
    /* mariadb counts test_table's rows at every depth, as its anchor does */
    rc = ask(ctx, is_mariadb(ctx) ? 10 : ra_check_level(ctx), why, sizeof(why));
    if (rc == OCF_NOT_RUNNING) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "the server (pid %d) does not answer on %s: %s",
                       (int)s.pid, c->socket, why);
    }
    return rc;
}

/* ------------------------------------------------------------ replication */

/* A promotable clone: Pacemaker says so, or allows promoted instances. */
static bool
promotable(void)
{
    static const char *const names[] = { "promoted_max", "master_max" };
    const char *v = ra_env_meta("promotable");
    bool b = false;
    long long n;

    if (v != NULL && ra_parse_bool(v, &b) == 0 && b) {
        return true;
    }
    for (size_t i = 0; i < RA_NELEM(names); i++) {
        v = ra_env_meta(names[i]);
        if (v != NULL && ra_parse_int(v, 0, 1000, &n) == 0 && n > 0) {
            return true;
        }
    }
    return false;
}

/* A session as the replication user. */
static int
repl(struct ra_ctx *ctx, struct ra_sql **ret)
{
    return login(ctx, "replication_user", "replication_passwd", ret);
}

static int
sql(struct ra_ctx *ctx, struct ra_sql *db, const char *stmt)
{
    char why[256];

    if (ra_sql_exec(db, stmt, why, sizeof(why)) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s: %s", stmt, why);
    }
    return OCF_SUCCESS;
}

/* The cluster-wide <resource>_REPL_INFO ("host|binlog file|position"; mariadb's: the host),
 * as the anchors keep it.  Set: 0 or -1.  Query: 0 with it in @buf, 1 when there is none,
 * -1 when it cannot be read. */
static int
repl_info(struct ra_ctx *ctx, const char *set, char *buf, size_t cap)
{
    char rsc[256], name[300], *out = NULL;
    const char *args[] = { "--type",
                           "crm_config",
                           "--name",
                           name,
                           "-s",
                           "mysql_replication",
                           set ? "--update" : "--query",
                           set ? set : "--quiet",
                           NULL };
    bool absent = false;
    int code;

    if (ra_instance_base(ctx, rsc, sizeof(rsc)) < 0 ||
        ra_format(name, sizeof(name), "%s_REPL_INFO", rsc) < 0) {
        return -1;
    }
    code = ra_pcmk_query(ctx, "crm_attribute", args, set ? NULL : &out, &absent);
    if (buf != NULL) {
        buf[0] = '\0';
        if (code == 0 && out != NULL) {
            ra_format_cut(buf, cap, "%.*s", (int)strcspn(out, "\n"), out);
        }
    }
    free(out);
    if (code == 0 && (set != NULL || (buf != NULL && buf[0] != '\0'))) {
        return 0;
    }
    return set == NULL && absent ? 1 : -1;
}

/* A node attribute of ours: its value into @buf (0), or -1. */
static int
node_attr(struct ra_ctx *ctx, const char *name, const char *lifetime, const char *set, char *buf,
          size_t cap)
{
    const char *args[12];
    char *out = NULL;
    size_t n = 0;
    int code;

    args[n++] = "--lifetime";
    args[n++] = lifetime;
    args[n++] = "--name";
    args[n++] = name;
    if (ctx->env.on_node != NULL) {
        args[n++] = "--node";
        args[n++] = ctx->env.on_node;
    }
    if (set != NULL) {
        args[n++] = "--update";
        args[n++] = set;
    } else {
        args[n++] = "--query";
        args[n++] = "--quiet";
    }
    args[n] = NULL;
    code = ra_crm_attribute(ctx, args, set ? NULL : &out);
    if (buf != NULL) {
        buf[0] = '\0';
        if (code == 0 && out != NULL) {
            ra_format_cut(buf, cap, "%.*s", (int)strcspn(out, "\n"), out);
        }
    }
    free(out);
    return code == 0 ? 0 : -1;
}

static bool
in_cluster(const struct ra_ctx *ctx)
{
    return ctx->env.on_node != NULL || ra_env_get("CIB_file") != NULL;
}

/* The reader attribute (may clients read here?), set when it changes. */
static void
reader(struct ra_ctx *ctx, int v)
{
    char path[4096], line[8];
    long long before = -1;

    if (!in_cluster(ctx)) {
        return;
    }
    if (ra_ctx_state_path(ctx, ".reader", path, sizeof(path)) < 0) {
        path[0] = '\0';
    }
    if (path[0] != '\0' && ra_state_read_int(path, 0, 1, &before) == 0 && before == v) {
        return;
    }
    ra_format_cut(line, sizeof(line), "%d", v);
    if (node_attr(ctx, ra_str(ctx, "reader_attribute"), "reboot", line, NULL, 0) == 0 &&
        path[0] != '\0') {
        ra_format_cut(line, sizeof(line), "%d\n", v);
        if (ra_state_write(path, line, strlen(line)) < 0) {
            ra_debug(ctx, "cannot remember the reader attribute in %s", path);
        }
    }
}

static void gtid_withdraw(struct ra_ctx *ctx);

static void
score(struct ra_ctx *ctx, long long v)
{
    /* mariadb: another node's election may have set ours, so a delete is always sent,
     * and this node's GTID leaves the election */
    bool mariadb_delete = is_mariadb(ctx) && v <= 0;

    ra_promotion_score_keep(ctx, v <= 0 ? -1 : (int)(v > 1000000000 ? 1000000000 : v),
                            ra_is_probe(ctx) || mariadb_delete);
    if (mariadb_delete) {
        gtid_withdraw(ctx);
    }
}

/* What replicas connect to here: the <resource>_mysql_master_IP node attribute, or the
 * node's name. */
static void
local_address(struct ra_ctx *ctx, char *buf, size_t cap)
{
    char rsc[256], name[300];

    buf[0] = '\0';
    if (ra_instance_base(ctx, rsc, sizeof(rsc)) == 0 &&
        ra_format(name, sizeof(name), "%s_mysql_master_IP", rsc) == 0 &&
        node_attr(ctx, name, "forever", NULL, buf, cap) == 0 && buf[0] != '\0') {
        return;
    }
    {
        char own[256];
        const char *node = ra_node_name(ctx, own, sizeof(own));

        ra_format_cut(buf, cap, "%s", node ? node : "");
    }
}

/* The first name of a Pacemaker notify list ("n1 ", " n2"), into @buf ("" when none). */
static const char *
first_name(const char *list, char *buf, size_t cap)
{
    const char *pos = list ? list : "";

    if (!ra_list_next(&pos, buf, cap)) {
        buf[0] = '\0';
    }
    return buf;
}

static bool
is_me(struct ra_ctx *ctx, const char *node)
{
    char buf[256];
    const char *me = ra_node_name(ctx, buf, sizeof(buf));

    return node[0] != '\0' && me != NULL && strcmp(me, node) == 0;
}

/* The marker of a primary we were told to follow (written before, removed once we do). */
static bool
follow_path(const struct ra_ctx *ctx, char *buf, size_t cap)
{
    return ra_ctx_state_path(ctx, ".follow", buf, cap) == 0;
}

static void
follow_mark(struct ra_ctx *ctx, const char *node)
{
    char path[4096], line[300];

    if (!follow_path(ctx, path, sizeof(path))) {
        return;
    }
    if (node == NULL) {
        if (ra_state_remove(path) < 0) {
            ra_debug(ctx, "cannot remove %s", path);
        }
        return;
    }
    ra_format_cut(line, sizeof(line), "%s\n", node);
    if (ra_state_write(path, line, strlen(line)) < 0) {
        ra_debug(ctx, "cannot write %s", path);
    }
}

static long long col_int(const struct ra_sql *db, const char *name, long long dflt);
static bool col_yes(const struct ra_sql *db, const char *name);

/*
 * No more reading from the primary, and what was read applied (the relay log is lost
 * with RESET SLAVE): the SQL thread is started if it stopped cleanly, and given until
 * 5 s before the deadline.  A replication error, or a relay log not applied in time,
 * fails: what clients were told was committed must not be thrown away.
 */
static int
drain(struct ra_ctx *ctx, struct ra_sql *db)
{
    char why[256];
    bool started = false;

    if (ra_sql_exec(db, "STOP SLAVE IO_THREAD", why, sizeof(why)) < 0) {
        ra_debug(ctx, "STOP SLAVE IO_THREAD: %s", why);
    }
    for (;;) {
        const char *relay, *read;
        int r = ra_sql_row(db, "SHOW SLAVE STATUS", why, sizeof(why));

        if (r < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "SHOW SLAVE STATUS: %s", why);
        }
        if (r == 0) {
            return OCF_SUCCESS; /* not a replica */
        }
        if (col_int(db, "Last_SQL_Errno", 0) != 0) {
            char err[200];

            ra_escape(ra_sql_col(db, "Last_SQL_Error") ? ra_sql_col(db, "Last_SQL_Error") : "", err,
                      sizeof(err));
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "replication is broken (error %lld: %s): what was read from the "
                           "primary cannot be applied, and is not discarded",
                           col_int(db, "Last_SQL_Errno", 0), err);
        }
        relay = ra_sql_col(db, "Relay_Master_Log_File");
        read = ra_sql_col(db, "Master_Log_File");
        if (relay == NULL || read == NULL || read[0] == '\0' ||
            (strcmp(relay, read) == 0 &&
             col_int(db, "Exec_Master_Log_Pos", -1) == col_int(db, "Read_Master_Log_Pos", -2))) {
            return OCF_SUCCESS; /* nothing read, or all of it applied */
        }
        if (!col_yes(db, "Slave_SQL_Running") && !started) {
            started = true; /* stopped cleanly (a restart) with some of it still to apply */
            if (ra_sql_exec(db, "START SLAVE SQL_THREAD", why, sizeof(why)) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "START SLAVE SQL_THREAD: %s", why);
            }
            continue;
        }
        if (ra_deadline_left_ms(&ctx->deadline) < 5000) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "the relay log is not all applied (at %s:%lld of %s:%lld)",
                           relay ? relay : "?", col_int(db, "Exec_Master_Log_Pos", -1),
                           read ? read : "?", col_int(db, "Read_Master_Log_Pos", -1));
        }
        (void)ra_deadline_sleep(&ctx->deadline, 50);
    }
}

/* Stop replicating, once what was read is applied, and forget the primary. */
static int
unset_master(struct ra_ctx *ctx, struct ra_sql *db)
{
    int rc = drain(ctx, db);

    if (rc != OCF_SUCCESS) {
        score(ctx, -1);
        return rc;
    }
    rc = sql(ctx, db, "STOP SLAVE");
    return rc != OCF_SUCCESS ? rc : sql(ctx, db, "RESET SLAVE ALL");
}

/*
 * Replicate from the primary REPL_INFO names: mysql from where it said (its binlog at
 * promotion), unless already replicating from it; mariadb by GTID, from where this
 * server is (MASTER_USE_GTID=current_pos).  Then START SLAVE.  The password goes into
 * the statement (CHANGE MASTER takes no parameter), escaped, never logged, and wiped
 * after.
 */
static int
set_master(struct ra_ctx *ctx, struct ra_sql *db)
{
    char info[600], *file, *pos, why[256], stmt[4096], q[4][600];
    bool gtid = is_mariadb(ctx);
    const char *host;
    long long p = 0;
    int rc, r;

    if ((r = repl_info(ctx, NULL, info, sizeof(info))) != 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s the replication info (%s)",
                       r > 0 ? "the cluster has no" : "cannot read", "<resource>_REPL_INFO");
    }
    host = info;
    file = strchr(info, '|');
    pos = file ? strchr(file + 1, '|') : NULL;
    if (!gtid && (file == NULL || pos == NULL || pos[1] == '\0' ||
                  ra_parse_int(pos + 1, 0, INT64_MAX / 2, &p) < 0)) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "the replication info (%s) has no binlog position: the primary has no "
                       "binary log to follow",
                       info);
    }
    if (file != NULL) {
        *file++ = '\0'; /* mariadb's is the host alone; mysql's host|file|position */
    }
    if (pos != NULL) {
        *pos++ = '\0';
    }
    r = gtid ? 0 : ra_sql_row(db, "SHOW SLAVE STATUS", why, sizeof(why));
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "SHOW SLAVE STATUS: %s", why);
    }
    if (r == 1 && ra_sql_col(db, "Master_Host") != NULL &&
        strcmp(ra_sql_col(db, "Master_Host"), host) == 0 && ra_sql_col(db, "Master_Log_File") &&
        ra_sql_col(db, "Master_Log_File")[0] != '\0') {
        ra_info(ctx, "keeping the replication position from %s", host);
    } else {
        if (ra_sql_quote(db, host, q[0], sizeof(q[0])) < 0 ||
            ra_sql_quote(db, ra_str0(ctx, "replication_user"), q[1], sizeof(q[1])) < 0 ||
            ra_sql_quote(db, ra_str0(ctx, "replication_passwd"), q[2], sizeof(q[2])) < 0 ||
            ra_sql_quote(db, gtid ? "" : file, q[3], sizeof(q[3])) < 0) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "replication settings too long");
        }
        r = ra_format(stmt, sizeof(stmt),
                      "CHANGE MASTER TO MASTER_HOST='%s', MASTER_PORT=%lld, MASTER_USER='%s', "
                      "MASTER_PASSWORD='%s', ",
                      q[0], ra_int(ctx, "replication_port"), q[1], q[2]);
        explicit_bzero(q[2], sizeof(q[2]));
        if (r == 0) {
            size_t len = strlen(stmt);

            r = gtid ? ra_format(stmt + len, sizeof(stmt) - len, "MASTER_USE_GTID=current_pos")
                     : ra_format(stmt + len, sizeof(stmt) - len,
                                 "MASTER_LOG_FILE='%s', MASTER_LOG_POS=%lld", q[3], p);
        }
        if (r == 0 && !gtid && ra_str0(ctx, "replication_master_ssl_ca")[0] &&
            ra_str0(ctx, "replication_master_ssl_cert")[0] &&
            ra_str0(ctx, "replication_master_ssl_key")[0]) {
            char a[600], b[600], k[600];
            size_t len = strlen(stmt);

            if (ra_sql_quote(db, ra_str0(ctx, "replication_master_ssl_ca"), a, sizeof(a)) < 0 ||
                ra_sql_quote(db, ra_str0(ctx, "replication_master_ssl_cert"), b, sizeof(b)) < 0 ||
                ra_sql_quote(db, ra_str0(ctx, "replication_master_ssl_key"), k, sizeof(k)) < 0 ||
                ra_format(stmt + len, sizeof(stmt) - len,
                          ", MASTER_SSL=1, MASTER_SSL_CA='%s', MASTER_SSL_CERT='%s', "
                          "MASTER_SSL_KEY='%s'",
                          a, b, k) < 0) {
                r = -1;
            }
        }
        if (r < 0) {
            explicit_bzero(stmt, sizeof(stmt));
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "replication settings too long");
        }
        r = ra_sql_exec(db, stmt, why, sizeof(why));
        explicit_bzero(stmt, sizeof(stmt));
        if (r < 0) {
            /* the server's message may quote the statement: not the password */
            const char *pw = ra_str0(ctx, "replication_passwd");

            return ra_fail(ctx, OCF_ERR_GENERIC, "CHANGE MASTER TO %s failed: %s", host,
                           pw[0] && strstr(why, pw) ? "(the message quotes the password)" : why);
        }
        if (gtid) {
            ra_info(ctx, "replicating from %s by GTID", host);
        } else {
            ra_info(ctx, "replicating from %s at %s:%s", host, file, pos);
        }
    }
    return (rc = sql(ctx, db, "START SLAVE")) != OCF_SUCCESS ? rc : OCF_SUCCESS;
}

static long long
col_int(const struct ra_sql *db, const char *name, long long dflt)
{
    const char *v = ra_sql_col(db, name);
    long long n;

    return v != NULL && ra_parse_int(v, INT64_MIN / 2, INT64_MAX / 2, &n) == 0 ? n : dflt;
}

static bool
col_yes(const struct ra_sql *db, const char *name)
{
    const char *v = ra_sql_col(db, name);

    return v != NULL && strcmp(v, "Yes") == 0;
}

/*
 * A replica's health, scored: replication broken (an SQL error, the SQL thread down,
 * another primary than the cluster's) is a failure with no promotion score (the anchor
 * reports it healthy and can promote it: resource-agents #1377).  The I/O thread down
 * with the primary gone is not: that replica is what a promotion needs.
 */
static int
check_replica(struct ra_ctx *ctx, struct ra_sql *db)
{
    long long lag_max = is_mariadb(ctx) ? 0 : ra_int(ctx, "max_slave_lag"), lag;
    char why[256], info[600];
    int r = ra_sql_row(db, "SHOW SLAVE STATUS", why, sizeof(why));
    const char *host;

    if (r < 0) {
        score(ctx, -1);
        return ra_fail(ctx, OCF_ERR_GENERIC, "SHOW SLAVE STATUS: %s", why);
    }
    if (r == 0) {
        char path[4096];

        /* no primary set: fine while the cluster has none; not when we were told to
         * follow one and could not (its data is not here) */
        if (follow_path(ctx, path, sizeof(path)) && ra_state_exists(path)) {
            if (ra_state_read(path, info, sizeof(info)) < 0) {
                info[0] = '\0';
            }
            info[strcspn(info, "\n")] = '\0';
            score(ctx, -1);
            reader(ctx, 0);
            return ra_fail(ctx, OCF_ERR_GENERIC, "following no one, while told to follow %s",
                           info[0] ? info : "the primary");
        }
        reader(ctx, 0);
        if (!is_mariadb(ctx)) {
            score(ctx, 1); /* mariadb's scores come from its election */
        }
        return OCF_SUCCESS;
    }
    host = ra_sql_col(db, "Master_Host");
    if (col_int(db, "Last_SQL_Errno", 0) != 0 || !col_yes(db, "Slave_SQL_Running")) {
        char err[200];

        ra_escape(ra_sql_col(db, "Last_SQL_Error") ? ra_sql_col(db, "Last_SQL_Error") : "", err,
                  sizeof(err));
        score(ctx, -1);
        reader(ctx, 0);
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "replication from %s is broken (SQL thread %s, error %lld: %s)",
                       host ? host : "?", col_yes(db, "Slave_SQL_Running") ? "running" : "stopped",
                       col_int(db, "Last_SQL_Errno", 0), err);
    }
    r = repl_info(ctx, NULL, info, sizeof(info));
    if (r < 0) {
        score(ctx, -1);
        reader(ctx, 0);
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the replication info: is %s the primary?",
                       host ? host : "nothing");
    }
    if (r == 0) {
        info[strcspn(info, "|")] = '\0';
        if (host == NULL || strcmp(host, info) != 0) {
            score(ctx, -1);
            reader(ctx, 0);
            return ra_fail(ctx, OCF_ERR_GENERIC, "replicating from %s, not from the primary %s",
                           host ? host : "nothing", info);
        }
    }
    if (!col_yes(db, "Slave_IO_Running")) {
        long long e = col_int(db, "Last_IO_Errno", 0);

        /* the primary unreachable (it may just have failed): a low score, this replica
         * may be what a promotion needs; any other error will not pass by itself */
        if (e != 0 && e != 2003 && e != 2005 && e != 2006 && e != 2013) {
            char err[200];

            ra_escape(ra_sql_col(db, "Last_IO_Error") ? ra_sql_col(db, "Last_IO_Error") : "", err,
                      sizeof(err));
            score(ctx, -1);
            reader(ctx, 0);
            return ra_fail(ctx, OCF_ERR_GENERIC, "replication from %s fails (I/O error %lld: %s)",
                           host ? host : "?", e, err);
        }
        ra_info(ctx, "the replication I/O thread is not running (error %lld)", e);
        reader(ctx, 0);
        if (!is_mariadb(ctx)) {
            score(ctx, 1);
        }
        return OCF_SUCCESS;
    }
    if (is_mariadb(ctx)) {
        return OCF_SUCCESS; /* no lag limit, and readers on the primary only (the anchor's) */
    }
    lag = col_int(db, "Seconds_Behind_Master", -1);
    if (lag < 0 || lag > lag_max) {
        reader(ctx, 0);
        score(ctx, -1);
        if (ra_bool(ctx, "evict_outdated_slaves")) {
            return ra_fail(ctx, OCF_ERR_INSTALLED, "%lld seconds behind the primary (at most %lld)",
                           lag, lag_max);
        }
        return OCF_SUCCESS;
    }
    reader(ctx, 1);
    score(ctx, lag_max - lag > 0 ? lag_max - lag : 1);
    return OCF_SUCCESS;
}

static int mariadb_monitor(struct ra_ctx *ctx);
static int mariadb_promote(struct ra_ctx *ctx);
static int mariadb_demote(struct ra_ctx *ctx);
static int mariadb_start_replica(struct ra_ctx *ctx);
static int attrd(struct ra_ctx *ctx, const char *what, const char *node, const char *op,
                 const char *value, char **out);

static int
mysql_monitor(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char why[256];
    int rc;
    const char *ro;

    if (is_mariadb(ctx)) {
        return mariadb_monitor(ctx);
    }
    rc = server_check(ctx);

    if (!promotable() || rc != OCF_SUCCESS) {
        if (promotable() && rc != OCF_NOT_RUNNING) {
            score(ctx, -1);
        }
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        score(ctx, -1);
        return rc;
    }
    if (ra_sql_row(db, "SELECT @@GLOBAL.read_only AS ro", why, sizeof(why)) != 1 ||
        (ro = ra_sql_col(db, "ro")) == NULL) {
        ra_sql_close(db);
        score(ctx, -1);
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read read_only: %s", why);
    }
    if (strcmp(ro, "0") == 0) {
        ra_sql_close(db);
        score(ctx, ra_int(ctx, "max_slave_lag") + 1);
        reader(ctx, 1);
        return OCF_RUNNING_PROMOTED;
    }
    rc = check_replica(ctx, db);
    ra_sql_close(db);
    return rc;
}

static int
mysql_promote(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char why[256], where[256], info[800];
    const char *file, *pos;
    int rc;

    if (is_mariadb(ctx)) {
        return mariadb_promote(ctx);
    }
    if ((rc = server_check(ctx)) != OCF_SUCCESS) {
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    /* what it had from the old primary applied first, then no replica config left (a
     * later demote must not find an old primary to follow) */
    if ((rc = unset_master(ctx, db)) != OCF_SUCCESS) {
        goto out;
    }
    if (ra_sql_row(db, "SHOW MASTER STATUS", why, sizeof(why)) != 1 ||
        (file = ra_sql_col(db, "File")) == NULL || (pos = ra_sql_col(db, "Position")) == NULL) {
        /* writable all the same; the replicas' monitors will say they cannot follow */
        ra_warn(ctx, "no binary log here (log-bin is off): replicas cannot follow");
        file = pos = "";
    }
    local_address(ctx, where, sizeof(where));
    ra_format_cut(info, sizeof(info), "%s|%s|%s", where, file, pos);
    if (!in_cluster(ctx)) {
        ra_debug(ctx, "not in a cluster: the replication info (%s) is not published", info);
    } else if (where[0] == '\0' || repl_info(ctx, info, NULL, 0) < 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot publish the replication info (%s)", info);
        goto out;
    }
    if ((rc = sql(ctx, db, "SET GLOBAL read_only=OFF")) != OCF_SUCCESS) {
        goto out;
    }
    ra_info(ctx, "promoted: replicas follow %s", info);
    ra_promotion_score_keep(ctx, (int)ra_int(ctx, "max_slave_lag") + 1, true);
    reader(ctx, 1);
out:
    ra_sql_close(db);
    return rc;
}

/* Read-only, and every client session ended but replication's and the server's own. */
static int
stop_writes(struct ra_ctx *ctx, struct ra_sql *db)
{
    char why[256], q[64];
    int rc = sql(ctx, db, "SET GLOBAL read_only=ON");

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* a session at a time, until none is left (each id is the server's own number) */
    long long last = 0;

    for (int round = 0, again = 0; round < 10000; round++) {
        const char *id;
        long long n;

        if (ra_sql_row(db,
                       "SELECT ID FROM information_schema.PROCESSLIST "
                       "WHERE ID <> CONNECTION_ID() AND USER NOT IN ('system user', "
                       "'event_scheduler') AND COMMAND NOT IN ('Binlog Dump', 'Daemon', "
                       "'Killed') ORDER BY ID LIMIT 1",
                       why, sizeof(why)) != 1 ||
            (id = ra_sql_col(db, "ID")) == NULL || ra_parse_int(id, 1, INT64_MAX / 2, &n) < 0) {
            return OCF_SUCCESS;
        }
        if (n == last && ++again > 50) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "client session %lld does not end", n);
        }
        if (n == last) {
            (void)ra_deadline_sleep(&ctx->deadline, 10);
        }
        last = n;
        ra_format_cut(q, sizeof(q), "KILL %lld", n);
        if (ra_sql_exec(db, q, why, sizeof(why)) < 0) {
            ra_debug(ctx, "%s: %s", q, why); /* gone already */
        }
        if (ra_deadline_left_ms(&ctx->deadline) < 2000) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "client sessions are still being ended");
        }
    }
    return OCF_SUCCESS;
}

static int
mysql_demote(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    int rc;

    if (is_mariadb(ctx)) {
        return mariadb_demote(ctx);
    }
    if ((rc = server_check(ctx)) != OCF_SUCCESS) {
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    /* no longer writable when demote returns, with or without the pre-demote notice */
    rc = stop_writes(ctx, db);
    ra_sql_close(db);
    if (rc == OCF_SUCCESS) {
        ra_promotion_score_keep(ctx, 1, true);
        reader(ctx, 0);
    }
    return rc;
}

static int
mysql_notify(struct ra_ctx *ctx)
{
    const char *type = ra_env_meta("notify_type"), *op = ra_env_meta("notify_operation");
    char node[256];
    struct ra_sql *db = NULL;
    int rc = OCF_SUCCESS;

    if (!promotable() || type == NULL || op == NULL) {
        return OCF_SUCCESS;
    }
    if (is_mariadb(ctx) && strcmp(type, "pre") == 0 && strcmp(op, "promote") == 0) {
        /* a primary is coming: the first one no longer waited for */
        if (in_cluster(ctx) &&
            attrd(ctx, "waiting-for-first-master", NULL, "--delete", NULL, NULL) != 0) {
            ra_debug(ctx, "cannot clear waiting-for-first-master");
        }
    } else if (strcmp(type, "post") == 0 && strcmp(op, "promote") == 0) {
        first_name(ra_env_meta("notify_promote_uname"), node, sizeof(node));
        if (node[0] == '\0' || is_me(ctx, node)) {
            return OCF_SUCCESS; /* the new primary itself */
        }
        /* marked first: a replica that fails to follow is not taken for one that
         * has no primary */
        follow_mark(ctx, node);
        if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
            return rc;
        }
        ra_info(ctx, "following the new primary %s", node);
        if ((rc = unset_master(ctx, db)) == OCF_SUCCESS) {
            rc = set_master(ctx, db);
        }
        if (rc == OCF_SUCCESS) {
            follow_mark(ctx, NULL);
        }
    } else if (strcmp(type, "pre") == 0 && strcmp(op, "demote") == 0) {
        first_name(ra_env_meta("notify_demote_uname"), node, sizeof(node));
        if (!is_me(ctx, node)) {
            return OCF_SUCCESS;
        }
        if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
            return rc;
        }
        rc = stop_writes(ctx, db);
    } else if (strcmp(type, "post") == 0 && strcmp(op, "demote") == 0) {
        first_name(ra_env_meta("notify_demote_uname"), node, sizeof(node));
        if (is_me(ctx, node) || repl(ctx, &db) != OCF_SUCCESS) {
            return OCF_SUCCESS;
        }
        rc = unset_master(ctx, db);
    }
    ra_sql_close(db);
    return rc;
}

/* ------------------------------------------------------------ mariadb */

/*
 * ocf:heartbeat:mariadb's protocol, kept so that the two can be swapped node by node:
 * a promotable clone from its first start; GTID replication (MASTER_USE_GTID) with
 * semi-synchronous commits; REPL_INFO holding the primary's address alone; and, while
 * no node has a promotion score, an election among node_list by GTID through attrd's
 * private attributes <resource>-gtid and <resource>-waiting-for-first-master.  Where
 * the anchor compares only the last number of a GTID, every replication domain is
 * compared here, and positions neither of which covers the other (histories that
 * diverged across domains) elect no one.  gtid_current_pos keeps one GTID per domain,
 * so two histories that diverged within one domain are told apart only by the
 * replica that then cannot follow (error 1236, a failed monitor).
 */

/* attrd_updater --private on this resource's "<rsc>-<what>" */
static int
attrd(struct ra_ctx *ctx, const char *what, const char *node, const char *op, const char *value,
      char **out)
{
    char rsc[256], name[300];
    const char *args[10];
    size_t n = 0;

    if (!in_cluster(ctx) || ra_instance_base(ctx, rsc, sizeof(rsc)) < 0 ||
        ra_format(name, sizeof(name), "%s-%s", rsc, what) < 0) {
        return -1;
    }
    args[n++] = "--private";
    args[n++] = "--name";
    args[n++] = name;
    if (node != NULL) {
        args[n++] = "--node";
        args[n++] = node;
    }
    args[n++] = op;
    if (value != NULL) {
        args[n++] = value;
    }
    args[n] = NULL;
    return ra_pcmk_tool(ctx, "attrd_updater", args, out);
}

/* attrd's value of @what on @node (NULL: here): 0, or -1 when there is none */
static int
attrd_get(struct ra_ctx *ctx, const char *what, const char *node, char *buf, size_t cap)
{
    char *out = NULL;
    const char *v;
    int r = -1;

    buf[0] = '\0';
    /* name="db-gtid" host="node1" value="0-1-42" */
    if (attrd(ctx, what, node, "--query", NULL, &out) == 0 && out != NULL &&
        (v = strstr(out, "value=\"")) != NULL) {
        size_t len = strcspn(v + 7, "\"\n");

        if (len > 0 && v[7 + len] == '"') {
            ra_format_cut(buf, cap, "%.*s", (int)len, v + 7);
            r = 0;
        }
    }
    free(out);
    return r;
}

#define GTID_DOMAINS 32

/* A GTID position: the last sequence number of each replication domain. */
struct gtid {
    size_t n;
    long long domain[GTID_DOMAINS], seq[GTID_DOMAINS];
};

/* "0-1-42,1-2-7" (gtid_current_pos; "" is the empty position): 0, or -1 */
static int
gtid_parse(const char *text, struct gtid *g)
{
    const char *p = text;

    g->n = 0;
    while (*p != '\0') {
        char part[96], *server, *seq;
        size_t len = strcspn(p, ",");
        long long d, sv, n;

        if (len == 0 || len >= sizeof(part) || g->n == GTID_DOMAINS) {
            return -1;
        }
        memcpy(part, p, len);
        part[len] = '\0';
        p += len + (p[len] == ',');
        server = strchr(part, '-');
        seq = server ? strchr(server + 1, '-') : NULL;
        if (seq == NULL) {
            return -1;
        }
        *server++ = '\0';
        *seq++ = '\0';
        if (ra_parse_int(part, 0, UINT32_MAX, &d) < 0 ||
            ra_parse_int(server, 0, UINT32_MAX, &sv) < 0 ||
            ra_parse_int(seq, 0, INT64_MAX, &n) < 0) {
            return -1;
        }
        g->domain[g->n] = d;
        g->seq[g->n++] = n;
    }
    return 0;
}

static long long
gtid_seq(const struct gtid *g, long long domain)
{
    for (size_t i = 0; i < g->n; i++) {
        if (g->domain[i] == domain) {
            return g->seq[i];
        }
    }
    return 0;
}

/* every domain of @b at or behind @a */
static bool
gtid_covers(const struct gtid *a, const struct gtid *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (gtid_seq(a, b->domain[i]) < b->seq[i]) {
            return false;
        }
    }
    return true;
}

/* This node's GTID out of the election (it stopped, or it is not healthy). */
static void
gtid_withdraw(struct ra_ctx *ctx)
{
    if (in_cluster(ctx) && attrd(ctx, "gtid", NULL, "--delete", NULL, NULL) != 0) {
        ra_debug(ctx, "cannot withdraw this node's GTID from attrd");
    }
}

/* The first node of node_list with a promotion score (another than this one with
 * @others), into @buf: 1; 0 when none has one; -1 when a score cannot be read. */
static int
scored_node(struct ra_ctx *ctx, bool others, char *buf, size_t cap)
{
    const char *pos = ra_str(ctx, "node_list");
    long long v;
    int unsure = 0;

    while (ra_list_next(&pos, buf, cap)) {
        int r = others && is_me(ctx, buf) ? 1 : ra_promotion_score_get(ctx, buf, &v);

        if (r == 0) {
            return 1;
        }
        unsure |= r < 0;
    }
    buf[0] = '\0';
    return unsure ? -1 : 0;
}

#define ELECT_NODES 32

/*
 * No node has a promotion score: this node's GTID published, the first primary (all
 * of clone-max nodes heard from, while waiting for the first) or the next one (one
 * node may be missing: semi-synchronous commits reached at least one other) is the
 * node whose GTID covers every other's, the first of node_list among equals.
 */
static void
elect(struct ra_ctx *ctx, struct ra_sql *db)
{
    static struct gtid g[ELECT_NODES];
    char names[ELECT_NODES][256], mine[1024], val[1024], why[256];
    const char *pos = ra_str(ctx, "node_list"), *meta = ra_env_meta("clone_max"), *v;
    long long max = 0, need;
    size_t n = 0, best = 0;
    bool waiting;

    if (!in_cluster(ctx)) {
        return;
    }
    if (ra_sql_row(db, "SELECT @@GLOBAL.gtid_current_pos AS g", why, sizeof(why)) != 1 ||
        (v = ra_sql_col(db, "g")) == NULL) {
        ra_warn(ctx, "cannot read gtid_current_pos: %s", why);
        return;
    }
    /* attrd keeps no empty value: the empty position is domain 0 at 0 */
    ra_format_cut(mine, sizeof(mine), "%s", v[0] ? v : "0-0-0");
    if (attrd(ctx, "gtid", NULL, "--update", mine, NULL) != 0) {
        ra_warn(ctx, "cannot publish this node's GTID (%s)", mine);
        return;
    }
    waiting = attrd_get(ctx, "waiting-for-first-master", NULL, val, sizeof(val)) == 0 &&
              strcmp(val, "true") == 0;
    while (n < ELECT_NODES && ra_list_next(&pos, names[n], sizeof(names[n]))) {
        /* ours as the server says it (attrd may not have it yet) */
        const char *text = is_me(ctx, names[n]) ? mine : NULL;

        if (text == NULL && attrd_get(ctx, "gtid", names[n], val, sizeof(val)) == 0) {
            text = val;
        }
        if (text == NULL || gtid_parse(text, &g[n]) < 0) {
            continue; /* not heard from */
        }
        if (n > 0 && gtid_covers(&g[n], &g[best]) && !gtid_covers(&g[best], &g[n])) {
            best = n;
        }
        n++;
    }
    if (meta == NULL || ra_parse_int(meta, 1, 1000, &max) < 0) {
        const char *p = ra_str(ctx, "node_list");
        char node[256];

        for (max = 0; ra_list_next(&p, node, sizeof(node));) {
            max++;
        }
    }
    need = waiting ? max : max - 1;
    if ((long long)n < need || n == 0) {
        ra_info(ctx, "no primary yet: %zu of the %lld nodes needed have a GTID", n, need);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!gtid_covers(&g[best], &g[i])) {
            ra_warn(ctx, "no primary elected: the histories of %s and %s diverge", names[best],
                    names[i]);
            return;
        }
    }
    ra_info(ctx, "electing %s, whose GTID covers the %zu nodes heard from", names[best], n);
    if (is_me(ctx, names[best])) {
        ra_promotion_score_keep(ctx, 100, true);
    } else {
        (void)ra_promotion_score_on(ctx, names[best], 100);
    }
}

static int
mariadb_monitor(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char why[256];
    const char *ro, *io;
    int rc = server_check(ctx);

    if (rc != OCF_SUCCESS) {
        /* a server gone is out of the election too (a probe finds nothing to clear) */
        if (rc != OCF_NOT_RUNNING || !ra_is_probe(ctx)) {
            score(ctx, -1);
        }
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        score(ctx, -1);
        return rc;
    }
    if (ra_sql_row(db, "SELECT @@GLOBAL.read_only AS ro", why, sizeof(why)) != 1 ||
        (ro = ra_sql_col(db, "ro")) == NULL) {
        ra_sql_close(db);
        score(ctx, -1);
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read read_only: %s", why);
    }
    if (strcmp(ro, "0") == 0) {
        ra_sql_close(db);
        ra_promotion_score_keep(ctx, 100, ra_is_probe(ctx));
        reader(ctx, 1);
        return OCF_RUNNING_PROMOTED;
    }
    rc = check_replica(ctx, db);
    /* replicating from a live primary: there is one; otherwise one may be needed */
    io = ra_sql_col(db, "Slave_IO_Running");
    if (rc == OCF_SUCCESS && (io == NULL || strcmp(io, "Yes") != 0)) {
        char node[256];

        /* an election only when no node has a score, for sure */
        if (scored_node(ctx, false, node, sizeof(node)) == 0) {
            elect(ctx, db);
        }
    }
    ra_sql_close(db);
    return rc;
}

static int
mariadb_promote(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char where[256], node[256];
    const char *pos = ra_str(ctx, "node_list");
    int rc = server_check(ctx);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    /* what it had from the old primary applied first, and no primary to follow left */
    if ((rc = unset_master(ctx, db)) != OCF_SUCCESS) {
        goto out;
    }
    local_address(ctx, where, sizeof(where));
    if (!in_cluster(ctx)) {
        ra_debug(ctx, "not in a cluster: the primary's address (%s) is not published", where);
    } else if (where[0] == '\0' || repl_info(ctx, where, NULL, 0) < 0) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot publish the primary's address (%s)", where);
        goto out;
    }
    if ((rc = sql(ctx, db, "SET GLOBAL read_only=OFF")) != OCF_SUCCESS ||
        (rc = sql(ctx, db, "SET GLOBAL rpl_semi_sync_master_wait_no_slave=ON")) != OCF_SUCCESS) {
        goto out;
    }
    ra_info(ctx, "promoted: replicas follow %s", where);
    ra_promotion_score_keep(ctx, 100, true);
    reader(ctx, 1);
    /* the election is over: its GTIDs go, and so does any score it gave another node
     * (two replicas may have elected at once), which would promote that node at the
     * next failure without comparing GTIDs */
    while (in_cluster(ctx) && ra_list_next(&pos, node, sizeof(node))) {
        (void)attrd(ctx, "gtid", node, "--delete", NULL, NULL);
        if (!is_me(ctx, node)) {
            (void)ra_promotion_score_on(ctx, node, -1);
        }
    }
out:
    ra_sql_close(db);
    return rc;
}

static int
mariadb_demote(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    int rc = server_check(ctx);

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    /* no longer writable when demote returns (the anchor leaves that to pre-demote) */
    rc = stop_writes(ctx, db);
    if (rc == OCF_SUCCESS) {
        rc = sql(ctx, db, "SET GLOBAL rpl_semi_sync_master_wait_no_slave=OFF");
    }
    ra_sql_close(db);
    if (rc == OCF_SUCCESS) {
        score(ctx, -1); /* the cluster chooses again */
        reader(ctx, 0);
    }
    return rc;
}

/* After the server answers at start: a replica, of the primary if there is one. */
static int
mariadb_start_replica(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char node[256];
    const char *promoted = ra_env_meta("notify_promoted_uname");
    int rc;

    reader(ctx, 0);
    score(ctx, -1);
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    rc = sql(ctx, db,
             "SET GLOBAL rpl_semi_sync_slave_enabled=ON, rpl_semi_sync_master_enabled=ON, "
             "rpl_semi_sync_master_wait_no_slave=OFF, "
             "rpl_semi_sync_master_wait_point=AFTER_SYNC, gtid_strict_mode=ON, sync_binlog=1, "
             "sync_master_info=1, innodb_flush_log_at_trx_commit=1");
    if (rc == OCF_SUCCESS) {
        rc = sql(ctx, db, "SET GLOBAL read_only=ON");
    }
    first_name(promoted ? promoted : ra_env_meta("notify_master_uname"), node, sizeof(node));
    if (promoted == NULL && ra_env_meta("notify_master_uname") == NULL) {
        /* started outside a transition with notifications (crm_resource --force-start,
         * an administrator's repair): the primary is the node with a promotion score */
        if (rc == OCF_SUCCESS && scored_node(ctx, true, node, sizeof(node)) < 0) {
            rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell which node is the primary");
        }
    }
    if (rc == OCF_SUCCESS && node[0] != '\0' && !is_me(ctx, node)) {
        ra_info(ctx, "following the primary on %s", node);
        follow_mark(ctx, node);
        if ((rc = set_master(ctx, db)) == OCF_SUCCESS) {
            follow_mark(ctx, NULL);
        }
    } else if (rc == OCF_SUCCESS) {
        ra_info(ctx, "no primary yet: waiting for the first to be elected");
        if ((rc = unset_master(ctx, db)) == OCF_SUCCESS && in_cluster(ctx) &&
            attrd(ctx, "waiting-for-first-master", NULL, "--update", "true", NULL) != 0) {
            ra_warn(ctx, "cannot say in attrd that this node waits for the first primary");
        }
    }
    ra_sql_close(db);
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* the first monitor, as the anchor's start ends: it may elect the first primary */
    rc = mariadb_monitor(ctx);
    return rc == OCF_RUNNING_PROMOTED ? OCF_SUCCESS : rc;
}

/* ------------------------------------------------------------ start */

static int
owned_dir(struct ra_ctx *ctx, const char *path, uid_t uid, gid_t gid)
{
    char dir[PATH_MAX], *slash;
    struct stat st;

    ra_format_cut(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir) {
        return OCF_SUCCESS;
    }
    *slash = '\0';
    if (stat(dir, &st) == 0) {
        return OCF_SUCCESS;
    }
    if (ra_state_mkdirs(path) < 0 || chown(dir, uid, gid) < 0) {
        return ra_fail(ctx, OCF_ERR_PERM, "cannot create %s: %s", dir, strerror(errno));
    }
    ra_info(ctx, "created %s", dir);
    return OCF_SUCCESS;
}

/*
 * May @user (@uid, @gid and its groups) @mode (R_OK, W_OK|X_OK) @path?  Asked of the
 * kernel with those ids as our effective ones for the moment (ACLs and all), then ours
 * again: the agent is one thread.
 */
static bool
user_can(const char *path, int mode, uid_t uid, gid_t gid, const char *user)
{
    gid_t groups[1024], saved[1024];
    int n = (int)RA_NELEM(groups), ns;
    gid_t egid = getegid();
    bool ok;

    if (uid == 0) {
        return access(path, F_OK) == 0;
    }
    if (getgrouplist(user, gid, groups, &n) < 0 || (ns = getgroups(RA_NELEM(saved), saved)) < 0) {
        return false;
    }
    if (setgroups((size_t)n, groups) < 0 || setegid(gid) < 0 || seteuid(uid) < 0) {
        ok = false;
    } else {
        ok = faccessat(AT_FDCWD, path, mode, AT_EACCESS) == 0;
    }
    /* ours again (root's: the real ids never changed) */
    if (seteuid(0) < 0 || setegid(egid) < 0 || setgroups((size_t)ns, saved) < 0) {
        ok = false;
    }
    return ok;
}

/* The error log's last "[ERROR]" line, for a server that died at start. */
static void
last_error(struct ra_ctx *ctx, char *buf, size_t cap)
{
    char tail[8192];
    int fd = open(ra_str(ctx, "log"), O_RDONLY | O_CLOEXEC);
    off_t end;
    ssize_t n;

    buf[0] = '\0';
    if (fd < 0) {
        return;
    }
    end = lseek(fd, 0, SEEK_END);
    n = pread(fd, tail, sizeof(tail) - 1,
              end > (off_t)sizeof(tail) - 1 ? end - (off_t)sizeof(tail) + 1 : 0);
    close(fd);
    if (n <= 0) {
        return;
    }
    tail[n] = '\0';
    for (char *l = tail, *nl; l != NULL; l = nl) {
        nl = strchr(l, '\n');
        if (nl != NULL) {
            *nl++ = '\0';
        }
        if (strstr(l, "[ERROR]") != NULL) {
            ra_escape(l, buf, cap);
        }
    }
}

static int
install_db(struct ra_ctx *ctx, const char *user, uid_t uid, gid_t gid)
{
    const struct mysqlconf *c = ctx->data;
    char defaults[PATH_MAX + 20], datadir[PATH_MAX + 12], userarg[80], tool[256];
    const char *args[8];
    size_t n = 0;

    if (mkdir(c->datadir, 0750) < 0 && errno != EEXIST) {
        return ra_fail(ctx, OCF_ERR_PERM, "cannot create %s: %s", c->datadir, strerror(errno));
    }
    if (chown(c->datadir, uid, gid) < 0) {
        return ra_fail(ctx, OCF_ERR_PERM, "cannot chown %s: %s", c->datadir, strerror(errno));
    }
    ra_format_cut(defaults, sizeof(defaults), "--defaults-file=%s", ra_str(ctx, "config"));
    ra_format_cut(datadir, sizeof(datadir), "--datadir=%s", c->datadir);
    ra_format_cut(userarg, sizeof(userarg), "--user=%s", user);
    args[n++] = defaults;
    args[n++] = datadir;
    args[n++] = userarg;
    args[n++] = "--skip-test-db";
    args[n] = NULL;
    ra_info(ctx, "initialising the database in %s", c->datadir);
    if (ra_run_tool(ctx,
                    ra_run_which("mariadb-install-db", tool, sizeof(tool)) == 0
                        ? "mariadb-install-db"
                        : "mysql_install_db",
                    args, NULL) != 0) {
        return ctx->reason[0] ? OCF_ERR_GENERIC
                              : ra_fail(ctx, OCF_ERR_GENERIC, "initialising %s failed", c->datadir);
    }
    return OCF_SUCCESS;
}

/*
 * A promotable instance starts as a replica: read-only, following the primary if the
 * cluster has one (the notify variables of the start), else following no one; a low
 * promotion score, so that a first primary can be chosen.
 */
static int
start_replica(struct ra_ctx *ctx)
{
    struct ra_sql *db = NULL;
    char node[256];
    const char *promoted = ra_env_meta("notify_promoted_uname");
    int rc;

    if (is_mariadb(ctx)) {
        return mariadb_start_replica(ctx);
    }
    reader(ctx, 0);
    if ((rc = repl(ctx, &db)) != OCF_SUCCESS) {
        return rc;
    }
    rc = sql(ctx, db, "SET GLOBAL read_only=ON");
    first_name(promoted ? promoted : ra_env_meta("notify_master_uname"), node, sizeof(node));
    if (rc == OCF_SUCCESS && node[0] != '\0' && !is_me(ctx, node)) {
        ra_info(ctx, "following the primary on %s", node);
        follow_mark(ctx, node);
        rc = set_master(ctx, db);
    } else if (rc == OCF_SUCCESS) {
        rc = unset_master(ctx, db);
    }
    if (rc == OCF_SUCCESS) {
        follow_mark(ctx, NULL);
    }
    ra_sql_close(db);
    if (rc == OCF_SUCCESS) {
        ra_promotion_score_keep(ctx, 1, true);
    }
    return rc;
}

static int
mysql_start(struct ra_ctx *ctx)
{
    struct mysqlconf *c = ctx->data;
    const char *user = ra_str(ctx, "user"), *logf = ra_str(ctx, "log");
    const char *pos = ra_str0(ctx, "additional_parameters");
    char buf[4096], a_def[PATH_MAX + 20], a_pid[PATH_MAX + 12], a_sock[PATH_MAX + 12];
    char a_dir[PATH_MAX + 12], a_log[PATH_MAX + 12], a_user[80];
    char words[RA_WORDS_MAX][RA_WORD_MAX + 2], why[256], dirpath[PATH_MAX + 8];
    const char *argv[16 + RA_WORDS_MAX];
    struct passwd pw, *pr = NULL;
    struct group gr, *gp = NULL;
    struct server s;
    struct ra_cmd cmd = { .argv = argv, .deadline = &ctx->deadline };
    uint64_t wait_ms = 2;
    size_t n = 0, w = 0;
    pid_t child, old;
    int rc, fd;

    if (is_mariadb(ctx) && !promotable()) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "mariadb runs as a promotable clone (promotable=true, notify=true)");
    }
    if (server_check(ctx) == OCF_SUCCESS) {
        return promotable() ? start_replica(ctx) : OCF_SUCCESS;
    }
    ctx->reason[0] = '\0';
    if (getpwnam_r(user, &pw, buf, sizeof(buf), &pr) != 0 || pr == NULL) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "user %s does not exist", user);
    }
    {
        char gbuf[4096];

        if (getgrnam_r(ra_str(ctx, "group"), &gr, gbuf, sizeof(gbuf), &gp) != 0 || gp == NULL) {
            return ra_fail(ctx, OCF_ERR_INSTALLED, "group %s does not exist", ra_str(ctx, "group"));
        }
    }
    find_server(c, true, &s);
    if (s.pid > 0) {
        /* there, not answering yet (starting, or stuck): it is given the start's time */
        ra_info(ctx, "a server of %s is there already (pid %d, %s)", c->datadir, (int)s.pid, s.how);
    } else {
        if (s.unsure) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell whether a server runs: %s", s.how);
        }
        /* a pid file naming a live server of another datadir: not ours to overwrite */
        old = pidfile_pid(c);
        if (old > 0) {
            char comm[32] = "";

            if (ra_proc_stat(old, comm, sizeof(comm), NULL, NULL) == 1 && server_comm(comm)) {
                return ra_fail(ctx, OCF_ERR_GENERIC,
                               "pid file %s names %s (pid %d), a server of another datadir", c->pid,
                               comm, (int)old);
            }
            ra_info(ctx, "removing the stale pid file %s (pid %d)", c->pid, (int)old);
            (void)unlink(c->pid);
        }
        if (ra_bool(ctx, "enable_creation")) {
            ra_format_cut(dirpath, sizeof(dirpath), "%s/mysql", c->datadir);
            if (access(dirpath, F_OK) < 0 &&
                (rc = install_db(ctx, user, pw.pw_uid, gr.gr_gid)) != OCF_SUCCESS) {
                return rc;
            }
            c->have_dir = stat(c->datadir, &c->dir) == 0;
        }
        /* the log, the pid and socket directories, as the anchor prepares them */
        if ((rc = owned_dir(ctx, logf, pw.pw_uid, gr.gr_gid)) != OCF_SUCCESS ||
            (rc = owned_dir(ctx, c->pid, pw.pw_uid, gr.gr_gid)) != OCF_SUCCESS ||
            (rc = owned_dir(ctx, c->socket, pw.pw_uid, gr.gr_gid)) != OCF_SUCCESS) {
            return rc;
        }
        fd = open(logf, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
        if (fd < 0 || fchown(fd, pw.pw_uid, gr.gr_gid) < 0 || fchmod(fd, 0640) < 0) {
            rc = ra_fail(ctx, OCF_ERR_PERM, "cannot prepare the log %s: %s", logf, strerror(errno));
            if (fd >= 0) {
                close(fd);
            }
            return rc;
        }
        close(fd);
        {
            const char *dirs[3] = { c->datadir, NULL, NULL };
            char pd[PATH_MAX], sd[PATH_MAX];

            ra_format_cut(pd, sizeof(pd), "%s", c->pid);
            ra_format_cut(sd, sizeof(sd), "%s", c->socket);
            if (strrchr(pd, '/') != NULL && strrchr(pd, '/') != pd) {
                *strrchr(pd, '/') = '\0';
                dirs[1] = pd;
            }
            if (strrchr(sd, '/') != NULL && strrchr(sd, '/') != sd) {
                *strrchr(sd, '/') = '\0';
                dirs[2] = sd;
            }
            for (size_t i = 0; i < 3; i++) {
                if (dirs[i] != NULL &&
                    !user_can(dirs[i], W_OK | X_OK, pw.pw_uid, pw.pw_gid, user)) {
                    return ra_fail(ctx, OCF_ERR_PERM, "directory %s is not writable by %s", dirs[i],
                                   user);
                }
            }
            if (!user_can(ra_str(ctx, "config"), R_OK, pw.pw_uid, pw.pw_gid, user)) {
                return ra_fail(ctx, OCF_ERR_PERM, "config %s is not readable by %s",
                               ra_str(ctx, "config"), user);
            }
        }
        /* stale socket of a dead server: the new one cannot bind over it otherwise */
        (void)unlink(c->socket);
        ra_format_cut(a_def, sizeof(a_def), "--defaults-file=%s", ra_str(ctx, "config"));
        ra_format_cut(a_pid, sizeof(a_pid), "--pid-file=%s", c->pid);
        ra_format_cut(a_sock, sizeof(a_sock), "--socket=%s", c->socket);
        ra_format_cut(a_dir, sizeof(a_dir), "--datadir=%s", c->datadir);
        ra_format_cut(a_log, sizeof(a_log), "--log-error=%s", logf);
        ra_format_cut(a_user, sizeof(a_user), "--user=%s", user);
        argv[n++] = ra_str(ctx, "binary");
        argv[n++] = a_def; /* first: mysqld reads no option before it */
        argv[n++] = a_pid;
        argv[n++] = a_sock;
        argv[n++] = a_dir;
        argv[n++] = a_log;
        argv[n++] = a_user;
        while (w < RA_WORDS_MAX && ra_list_next(&pos, words[w], sizeof(words[0]))) {
            argv[n++] = words[w++];
        }
        if (promotable()) {
            argv[n++] = "--skip-slave-start"; /* which primary to follow is ours to say */
            argv[n++] = "--read-only";        /* a replica until promoted, from the start */
        }
        if (is_mariadb(ctx)) {
            argv[n++] = "--log-slave-updates"; /* any node can be the next primary */
        }
        argv[n] = NULL;
        /* as the user (mysqld_safe or the server itself), in a session of its own */
        cmd.user = pw.pw_uid == 0 ? NULL : user;
        rc = ra_spawn(&cmd, &child);
        if (rc < 0) {
            return ra_fail(ctx, rc == -ENOENT ? OCF_ERR_INSTALLED : OCF_ERR_GENERIC,
                           "cannot run %s: %s", argv[0], strerror(-rc));
        }
        s.pid = child;
        /* the session it leads is the instance, whatever it starts (mysqld_safe) */
        ra_format_cut(buf, sizeof(buf), "%d\n", (int)child);
        if (c->session[0] != '\0' && ra_state_write(c->session, buf, strlen(buf)) < 0) {
            ra_warn(ctx, "cannot record the server's session in %s", c->session);
        }
    }
    /* until it answers: a short backoff, no fixed sleep */
    for (;;) {
        int status;

        rc = ask(ctx, 0, why, sizeof(why));
        if (rc != OCF_NOT_RUNNING) {
            break;
        }
        if (waitpid(s.pid, &status, WNOHANG) == s.pid ||
            (s.pid != 0 && ra_proc_stat(s.pid, NULL, 0, NULL, NULL) == 0)) {
            char err[300];

            last_error(ctx, err, sizeof(err));
            return ra_fail(ctx, OCF_ERR_GENERIC, "the server exited at start%s%s",
                           err[0] ? ": " : " (nothing in its log)", err);
        }
        if (ra_deadline_sleep(&ctx->deadline, wait_ms) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "the server does not answer on %s: %s", c->socket,
                           why);
        }
        wait_ms = wait_ms < 20 ? wait_ms + wait_ms / 2 + 1 : 20; /* 2, 4, 7, 11, 17, 20 ms */
    }
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    return promotable() ? start_replica(ctx) : OCF_SUCCESS;
}

/* ------------------------------------------------------------ stop */

/* Every live process of @s: the server, its mysqld_safe, our start's session. */
static void
signal_all(const struct server *s, int sig)
{
    if (s->safe > 0) {
        kill(s->safe, sig); /* first: it would start the server again */
    }
    if (s->sid > 0) {
        struct ra_pids ps;

        if (ra_proc_by_session(s->sid, &ps) == 0) {
            ra_proc_signal(&ps, sig);
        }
        ra_pids_release(&ps);
    }
    if (s->pid > 0) {
        kill(s->pid, sig);
    }
}

/* A pid file or socket of ours left by a dead server, and no one else's. */
static void
remove_leftovers(struct ra_ctx *ctx)
{
    const struct mysqlconf *c = ctx->data;
    char comm[32], why[128];
    pid_t p = pidfile_pid(c);
    struct ra_deadline quick = { .end_ms = ra_now_ms() + 500 };

    if (p == 0 || ra_proc_stat(p, comm, sizeof(comm), NULL, NULL) == 0 || !server_comm(comm)) {
        if (unlink(c->pid) == 0) {
            ra_debug(ctx, "removed %s", c->pid);
        }
    }
    /* a socket nothing listens on (a live one is another server's) */
    if (ra_sql_hello(c->socket, &quick, why, sizeof(why)) == RA_SQL_DOWN &&
        unlink(c->socket) == 0) {
        ra_debug(ctx, "removed %s", c->socket);
    }
    if (c->session[0] != '\0' && ra_state_remove(c->session) < 0) {
        ra_debug(ctx, "cannot remove %s", c->session);
    }
}

static int
mysql_stop(struct ra_ctx *ctx)
{
    const struct mysqlconf *c = ctx->data;
    struct server s;
    bool killed = false, termed = false;
    uint64_t server_gone = 0;
    /* KILL's share of the time: the last tenth, at least 3 s (the exit of a large
     * server, and the release of its locks, takes a moment too) */
    uint64_t kill_window = ctx->timeout_ms / 10 > 3000 ? ctx->timeout_ms / 10 : 3000;

    if (promotable()) {
        ra_promotion_score_keep(ctx, -1, true);
        reader(ctx, 0);
        if (is_mariadb(ctx)) {
            gtid_withdraw(ctx);
        }
    }
    for (;;) {
        find_server(c, true, &s);
        if (nothing(&s)) {
            break;
        }
        if (s.pid == 0 && s.sid == 0) {
            /* unsure (a lock still held by an exiting server, a process we cannot read):
             * looked at again until the deadline */
            if (ra_deadline_sleep(&ctx->deadline, 10) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "cannot tell whether the server stopped: %s",
                               s.how);
            }
            continue;
        }
        if (s.pid > 0 && !termed) {
            ra_info(ctx, "stopping the server of %s (pid %d, %s)", c->datadir, (int)s.pid, s.how);
            kill(s.pid, SIGTERM);
            termed = true;
        } else if (s.pid > 0 && killed) {
            kill(s.pid, SIGKILL); /* a new one (mysqld_safe had started it again) */
        } else if (s.pid == 0 && server_gone == 0) {
            server_gone = ra_now_ms(); /* the server is gone; its wrapper should follow */
        }
        /* the last seconds are KILL's; so is a wrapper that outlives its server by 2 s */
        if (!killed && (ra_deadline_left_ms(&ctx->deadline) < kill_window ||
                        (server_gone != 0 && ra_now_ms() - server_gone > 2000))) {
            if (s.pid > 0) {
                ra_warn(ctx, "the server (pid %d) did not stop on TERM: KILL", (int)s.pid);
            }
            signal_all(&s, SIGKILL);
            killed = true;
        }
        /* the pid we know, watched closely (1 ms); the whole datadir looked at again as
         * soon as it is gone, or every 100 ms */
        {
            bool went = false;

            for (int i = 0; i < 100 && s.pid > 0 &&
                            (killed || ra_deadline_left_ms(&ctx->deadline) >= kill_window);
                 i++) {
                if (ra_proc_stat(s.pid, NULL, 0, NULL, NULL) == 0) {
                    went = true;
                    break;
                }
                if (ra_deadline_sleep(&ctx->deadline, 1) < 0) {
                    break;
                }
            }
            if (!went && ra_deadline_sleep(&ctx->deadline, 5) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "the server of %s is still there (%s)",
                               c->datadir, s.how);
            }
        }
    }
    remove_leftovers(ctx);
    return OCF_SUCCESS;
}

static const struct ra_action mysql_actions[] = {
    { .name = "start", .fn = mysql_start, .timeout_s = 120 },
    { .name = "stop", .fn = mysql_stop, .timeout_s = 120 },
    { .name = "status", .fn = mysql_monitor, .timeout_s = 60 },
    { .name = "monitor", .fn = mysql_monitor, .timeout_s = 30, .interval_s = 20 },
    { .name = "monitor",
      .fn = mysql_monitor,
      .timeout_s = 30,
      .interval_s = 10,
      .role = "Promoted" },
    { .name = "monitor",
      .fn = mysql_monitor,
      .timeout_s = 30,
      .interval_s = 30,
      .role = "Unpromoted" },
    { .name = "promote", .fn = mysql_promote, .timeout_s = 120 },
    { .name = "demote", .fn = mysql_demote, .timeout_s = 120 },
    { .name = "notify", .fn = mysql_notify, .timeout_s = 90 },
    { .name = "validate-all", .timeout_s = 5 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const struct ra_agent mysql_agent = {
    .name = "mysql",
    .shortdesc = "Manages a MySQL database instance",
    .longdesc = "One MariaDB or MySQL server, asked through libmariadb (no client process; "
                "passwords stay in memory).  The server of the resource is the one that holds "
                "its datadir.  start returns as soon as the server answers; monitor at depth 0 "
                "checks that it answers, at depth 10 counts test_table's rows; stop succeeds "
                "only once no process of the datadir is left.",
    .params = mysql_params,
    .nparams = RA_NELEM(mysql_params),
    .actions = mysql_actions,
    .nactions = RA_NELEM(mysql_actions),
    .validate = mysql_validate,
    .data_size = sizeof(struct mysqlconf),
};

static const struct ra_agent mariadb_agent = {
    .name = "mariadb",
    .shortdesc = "Manages a MariaDB promotable instance",
    .longdesc = "A MariaDB server as a promotable clone with GTID replication, "
                "semi-synchronous commits, and the first primary elected among node_list by "
                "GTID; ocf:heartbeat:mariadb's protocol in the cluster (REPL_INFO, "
                "<resource>_mysql_master_IP, attrd's <resource>-gtid).  Asked in-process; "
                "passwords stay in memory.  A replica whose replication is broken fails its "
                "monitor and leaves the election; a demoted server is read-only before demote "
                "returns.",
    .params = mariadb_params,
    .nparams = RA_NELEM(mariadb_params),
    .actions = mysql_actions,
    .nactions = RA_NELEM(mysql_actions),
    .validate = mysql_validate,
    .data_size = sizeof(struct mysqlconf),
};

int
main(int argc, char **argv)
{
    return ra_main(ra_called_as(argc, argv, "mariadb") ? &mariadb_agent : &mysql_agent, argc, argv);
}
