/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A MariaDB/MySQL server through libmariadb; see sql.h.  The library (and the
 * TLS library it pulls in) is loaded with dlopen() by the first connection:
 * meta-data, stop and the depth-0 monitor, which reads the server's greeting
 * over the socket itself (ra_sql_hello), never pay for it.
 */
#include "config.h"

#include <dlfcn.h>
#include <errmsg.h>
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sql.h"
#include "str.h"

static struct {
    void *h;
    __typeof__(mysql_init) *init;
    __typeof__(mysql_optionsv) *optionsv;
    __typeof__(mysql_real_connect) *real_connect;
    __typeof__(mysql_errno) *errno_;
    __typeof__(mysql_error) *error;
    __typeof__(mysql_close) *close;
    __typeof__(mysql_real_query) *real_query;
    __typeof__(mysql_store_result) *store_result;
    __typeof__(mysql_free_result) *free_result;
    __typeof__(mysql_next_result) *next_result;
    __typeof__(mysql_num_fields) *num_fields;
    __typeof__(mysql_fetch_fields) *fetch_fields;
    __typeof__(mysql_fetch_row) *fetch_row;
    __typeof__(mysql_real_escape_string) *escape;
} lib;

static int
lib_open(char *why, size_t cap)
{
    if (lib.h != NULL) {
        return 0;
    }
    lib.h = dlopen("libmariadb.so.3", RTLD_NOW | RTLD_LOCAL);
    if (lib.h == NULL) {
        ra_format_cut(why, cap, "cannot load libmariadb: %s", dlerror());
        return -1;
    }
#define SYM(field, name)                                  \
 do {                                                     \
  *(void **)(&lib.field) = dlsym(lib.h, name);            \
  if (lib.field == NULL) {                                \
   ra_format_cut(why, cap, "libmariadb has no %s", name); \
   dlclose(lib.h);                                        \
   lib.h = NULL;                                          \
   return -1;                                             \
  }                                                       \
 } while (0)
    SYM(init, "mysql_init");
    SYM(optionsv, "mysql_optionsv");
    SYM(real_connect, "mysql_real_connect");
    SYM(errno_, "mysql_errno");
    SYM(error, "mysql_error");
    SYM(close, "mysql_close");
    SYM(real_query, "mysql_real_query");
    SYM(store_result, "mysql_store_result");
    SYM(free_result, "mysql_free_result");
    SYM(next_result, "mysql_next_result");
    SYM(num_fields, "mysql_num_fields");
    SYM(fetch_fields, "mysql_fetch_fields");
    SYM(fetch_row, "mysql_fetch_row");
    SYM(escape, "mysql_real_escape_string");
#undef SYM
    return 0;
}

/* ------------------------------------------------------------ the greeting */

/* read exactly @n bytes from @fd before @deadline: 0, -ETIMEDOUT, or -errno / -EPIPE */
static int
read_full(int fd, unsigned char *buf, size_t n, const struct ra_deadline *deadline)
{
    size_t got = 0;

    while (got < n) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        uint64_t left = ra_deadline_left_ms(deadline);
        int r = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        ssize_t k;

        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            return -errno;
        }
        if (r == 0) {
            if (ra_deadline_expired(deadline)) {
                return -ETIMEDOUT;
            }
            continue;
        }
        k = read(fd, buf + got, n - got);
        if (k < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        if (k <= 0) {
            return k < 0 ? -errno : -EPIPE;
        }
        got += (size_t)k;
    }
    return 0;
}

enum ra_sql_status
ra_sql_hello(const char *socket_path, const struct ra_deadline *deadline, char *why, size_t cap)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    unsigned char head[4], body[512];
    size_t len;
    int fd, r;

    why[0] = '\0';
    if (strlen(socket_path) >= sizeof(sa.sun_path)) {
        ra_format_cut(why, cap, "socket path too long");
        return RA_SQL_ERROR;
    }
    memcpy(sa.sun_path, socket_path, strlen(socket_path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        ra_format_cut(why, cap, "socket: %s", strerror(errno));
        return RA_SQL_ERROR;
    }
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS &&
        errno != EAGAIN) {
        int e = errno;

        close(fd);
        ra_format_cut(why, cap, "cannot connect to %s: %s", socket_path, strerror(e));
        return e == ENOENT || e == ECONNREFUSED ? RA_SQL_DOWN : RA_SQL_ERROR;
    }
    /* the server speaks first: a protocol-10 greeting, or an error packet */
    r = read_full(fd, head, 4, deadline);
    len = (size_t)head[0] | (size_t)head[1] << 8 | (size_t)head[2] << 16;
    if (r == 0 && (len < 1 || len > 65535)) {
        r = -EBADMSG;
    }
    if (r == 0) {
        r = read_full(fd, body, len < sizeof(body) ? len : sizeof(body), deadline);
    }
    close(fd);
    if (r == -ETIMEDOUT) {
        ra_format_cut(why, cap, "no greeting from %s in time", socket_path);
        return RA_SQL_TIMEOUT;
    }
    if (r < 0) {
        ra_format_cut(why, cap, "no greeting from %s: %s", socket_path,
                      r == -EPIPE ? "connection closed" : strerror(-r));
        return RA_SQL_ERROR;
    }
    if (body[0] == 0x0a) {
        size_t n = strnlen((const char *)body + 1, (len < sizeof(body) ? len : sizeof(body)) - 1);

        ra_format_cut(why, cap, "%.*s", (int)n, (const char *)body + 1);
        return RA_SQL_OK; /* the server's version, for the log */
    }
    if (body[0] == 0xff && len >= 3) {
        /* it answers, refusing (too many connections): alive */
        ra_format_cut(why, cap, "error %u from the server", (unsigned)(body[1] | body[2] << 8));
        return RA_SQL_DENIED;
    }
    ra_format_cut(why, cap, "%s does not speak the MySQL protocol", socket_path);
    return RA_SQL_ERROR;
}

/* ------------------------------------------------------------ sessions */

struct ra_sql {
    MYSQL *m;
    MYSQL_RES *res;
    MYSQL_ROW row;
    MYSQL_FIELD *fields;
    unsigned nfields;
};

static void
set_timeouts(MYSQL *m, const struct ra_deadline *deadline)
{
    uint64_t left = ra_deadline_left_ms(deadline);
    /* whole seconds (the library's unit), at least one; a read may be tried twice */
    unsigned sec = (unsigned)(left / 2000);

    if (sec == 0) {
        sec = 1;
    }
    lib.optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &sec);
    lib.optionsv(m, MYSQL_OPT_READ_TIMEOUT, &sec);
    lib.optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &sec);
}

enum ra_sql_status
ra_sql_connect(const struct ra_sql_target *t, const struct ra_deadline *deadline,
               struct ra_sql **ret, char *why, size_t cap)
{
    struct ra_sql *s = calloc(1, sizeof(*s));
    unsigned err;

    *ret = NULL;
    why[0] = '\0';
    if (lib_open(why, cap) < 0) {
        free(s);
        return RA_SQL_ERROR;
    }
    if (s == NULL || (s->m = lib.init(NULL)) == NULL) {
        free(s);
        ra_format_cut(why, cap, "out of memory");
        return RA_SQL_ERROR;
    }
    set_timeouts(s->m, deadline);
    /* no option file: what is read is what we pass (the server's own my.cnf may name
     * another user or password for clients) */
    if (lib.real_connect(s->m, t->socket ? "localhost" : t->host, t->user,
                         t->password && t->password[0] ? t->password : NULL, NULL,
                         t->socket ? 0 : t->port, t->socket, 0) != NULL) {
        *ret = s;
        return RA_SQL_OK;
    }
    err = lib.errno_(s->m);
    ra_format_cut(why, cap, "%s", lib.error(s->m));
    lib.close(s->m);
    free(s);
    switch (err) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
        return RA_SQL_DENIED;
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SOCKET_CREATE_ERROR:
        return RA_SQL_DOWN;
    case CR_SERVER_LOST:
    case CR_SERVER_GONE_ERROR:
        return strstr(why, "timeout") || strstr(why, "Timeout") || strstr(why, "timed out")
                   ? RA_SQL_TIMEOUT
                   : RA_SQL_ERROR;
    default:
        return RA_SQL_ERROR;
    }
}

static void
free_result(struct ra_sql *s)
{
    if (s->res != NULL) {
        lib.free_result(s->res);
    }
    s->res = NULL;
    s->row = NULL;
    s->fields = NULL;
    s->nfields = 0;
}

void
ra_sql_close(struct ra_sql *s)
{
    if (s == NULL) {
        return;
    }
    free_result(s);
    lib.close(s->m);
    free(s);
}

int
ra_sql_exec(struct ra_sql *s, const char *stmt, char *why, size_t cap)
{
    free_result(s);
    if (lib.real_query(s->m, stmt, strlen(stmt)) != 0) {
        ra_format_cut(why, cap, "%s", lib.error(s->m));
        return -1;
    }
    /* drain any result the statement has */
    do {
        MYSQL_RES *r = lib.store_result(s->m);

        if (r != NULL) {
            lib.free_result(r);
        }
    } while (lib.next_result(s->m) == 0);
    return 0;
}

int
ra_sql_row(struct ra_sql *s, const char *query, char *why, size_t cap)
{
    free_result(s);
    if (lib.real_query(s->m, query, strlen(query)) != 0 ||
        (s->res = lib.store_result(s->m)) == NULL) {
        ra_format_cut(why, cap, "%s",
                      lib.errno_(s->m) ? lib.error(s->m) : "the statement returned no rows");
        return -1;
    }
    s->nfields = lib.num_fields(s->res);
    s->fields = lib.fetch_fields(s->res);
    s->row = lib.fetch_row(s->res);
    return s->row != NULL ? 1 : 0;
}

const char *
ra_sql_col(const struct ra_sql *s, const char *name)
{
    if (s->row == NULL) {
        return NULL;
    }
    for (unsigned i = 0; i < s->nfields; i++) {
        if (strcmp(s->fields[i].name, name) == 0) {
            return s->row[i];
        }
    }
    return NULL;
}

int
ra_sql_quote(const struct ra_sql *s, const char *in, char *buf, size_t cap)
{
    size_t len = strlen(in);

    if (cap < 2 * len + 1) {
        return -1;
    }
    lib.escape(s->m, buf, in, (unsigned long)len);
    return 0;
}
