/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A MariaDB/MySQL server through libmariadb; see sql.h.  The library (and the
 * TLS library it pulls in) is loaded with dlopen() by the first connection:
 * meta-data, stop and the depth-0 monitor, which reads the server's greeting
 * over the socket itself (ra_sql_hello), never pay for it.  Nor does the
 * depth-10 monitor when it can help it: ra_sql_check speaks the protocol's
 * few packets itself (greeting, mysql_native_password, one query, quit) over
 * a Unix socket, and hands anything else to libmariadb.
 */
#include "config.h"

#include <dlfcn.h>
#include <errmsg.h>
#include <errno.h>
#include <limits.h>
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
    __typeof__(mysql_ping) *ping;
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
    SYM(ping, "mysql_ping");
#undef SYM
    return 0;
}

/* ------------------------------------------------------------ packets */

/* A connection to the server's protocol over a Unix socket. */
struct wire {
    int fd;
    unsigned char seq; /* the sequence number the next packet carries */
    const struct ra_deadline *deadline;
};

/*
 * The next packet into @buf: its length (the whole of it: bytes beyond @cap are read
 * and dropped), or -ETIMEDOUT, -EPIPE, -EBADMSG (out of sequence) or -errno.
 */
static ssize_t
pkt_read(struct wire *w, unsigned char *buf, size_t cap)
{
    size_t total = 0, len;

    do {
        unsigned char head[4];
        int r = ra_deadline_recv(w->deadline, w->fd, head, 4);

        if (r < 0) {
            return r;
        }
        if (head[3] != w->seq++) {
            return -EBADMSG;
        }
        len = (size_t)head[0] | (size_t)head[1] << 8 | (size_t)head[2] << 16;
        for (size_t left = len; left > 0;) {
            unsigned char drop[512];
            unsigned char *to = total < cap ? buf + total : drop;
            size_t n = total < cap ? cap - total : sizeof(drop);

            n = n < left ? n : left;
            if ((r = ra_deadline_recv(w->deadline, w->fd, to, n)) < 0) {
                return r;
            }
            total += n;
            left -= n;
        }
    } while (len == 0xffffff); /* a packet that long goes on in the next one */
    return total > SSIZE_MAX ? -EBADMSG : (ssize_t)total;
}

/* one packet of @len (< 16 MiB) bytes at @buf + 4, whose first 4 bytes take the header */
static int
pkt_write(struct wire *w, unsigned char *buf, size_t len)
{
    buf[0] = (unsigned char)len;
    buf[1] = (unsigned char)(len >> 8);
    buf[2] = (unsigned char)(len >> 16);
    buf[3] = w->seq++;
    return ra_deadline_send(w->deadline, w->fd, buf, len + 4);
}

/* an error packet's code and message, for @why */
static unsigned
err_packet(const unsigned char *b, size_t n, char *why, size_t cap)
{
    unsigned code = n >= 3 ? (unsigned)(b[1] | b[2] << 8) : 0;
    size_t at = n > 3 && b[3] == '#' ? 9 : 3; /* '#' and the SQL state, then the text */

    ra_format_cut(why, cap, "%.*s (%u)", at < n ? (int)(n - at) : 0, (const char *)b + at, code);
    return code;
}

static enum ra_sql_status
io_status(int r, const char *path, char *why, size_t cap)
{
    if (r == -ETIMEDOUT) {
        ra_format_cut(why, cap, "no answer from %s in time", path);
        return RA_SQL_TIMEOUT;
    }
    ra_format_cut(why, cap, "lost the connection to %s: %s", path,
                  r == -EPIPE     ? "closed by the server"
                  : r == -EBADMSG ? "a packet out of sequence"
                                  : strerror(-r));
    return RA_SQL_ERROR;
}

/* The server's greeting (protocol 10), as far as a login needs it. */
struct greeting {
    char version[64];
    uint32_t caps;
    unsigned char scramble[20];
    char plugin[32];
};

#define CAP_LONG_PASSWORD     0x1u
#define CAP_PROTOCOL_41       0x200u
#define CAP_SECURE_CONNECTION 0x8000u
#define CAP_PLUGIN_AUTH       0x80000u
#define NATIVE                "mysql_native_password"

/* 0, or -1 when the greeting is one a login of ours cannot answer */
static int
parse_greeting(const unsigned char *b, size_t n, struct greeting *g)
{
    size_t at = 1, v = n > 1 ? strnlen((const char *)b + 1, n - 1) : 0;

    memset(g, 0, sizeof(*g));
    ra_format_cut(g->version, sizeof(g->version), "%.*s", (int)v, (const char *)b + 1);
    at += v + 1 + 4; /* the version, its NUL, the connection id */
    if (at + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 12 > n) {
        return -1;
    }
    memcpy(g->scramble, b + at, 8);
    at += 8 + 1;
    g->caps = (uint32_t)(b[at] | b[at + 1] << 8);
    at += 2 + 1 + 2; /* character set, status */
    g->caps |= (uint32_t)(b[at] | b[at + 1] << 8) << 16;
    at += 2;
    if (b[at] != 21) { /* the scramble's length with its NUL: 20 bytes, as native auth uses */
        return -1;
    }
    at += 1 + 10;
    memcpy(g->scramble + 8, b + at, 12);
    at += 13;
    if (at < n) {
        v = strnlen((const char *)b + at, n - at);
        ra_format_cut(g->plugin, sizeof(g->plugin), "%.*s", (int)v, (const char *)b + at);
    }
    return (g->caps & (CAP_PROTOCOL_41 | CAP_SECURE_CONNECTION | CAP_PLUGIN_AUTH)) ==
                   (CAP_PROTOCOL_41 | CAP_SECURE_CONNECTION | CAP_PLUGIN_AUTH)
               ? 0
               : -1;
}

/*
 * Connect to @path and read its greeting: RA_SQL_OK with @w->fd open (the greeting in
 * @g, @g may be NULL), or RA_SQL_DENIED (the server answered with an error: too many
 * connections), RA_SQL_DOWN, RA_SQL_TIMEOUT, RA_SQL_ERROR with @w->fd closed.
 */
static enum ra_sql_status
greet(struct wire *w, const char *path, struct greeting *g, bool *speaks, char *why, size_t cap)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    unsigned char b[512];
    struct greeting dummy;
    ssize_t n;

    *speaks = false;
    w->seq = 0;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        ra_format_cut(why, cap, "socket path too long");
        return RA_SQL_ERROR;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    w->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (w->fd < 0) {
        ra_format_cut(why, cap, "socket: %s", strerror(errno));
        return RA_SQL_ERROR;
    }
    if (connect(w->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS &&
        errno != EAGAIN) {
        int e = errno;

        close(w->fd);
        ra_format_cut(why, cap, "cannot connect to %s: %s", path, strerror(e));
        return e == ENOENT || e == ECONNREFUSED ? RA_SQL_DOWN : RA_SQL_ERROR;
    }
    /* the server speaks first: a protocol-10 greeting, or an error packet */
    n = pkt_read(w, b, sizeof(b));
    if (n < 1) {
        close(w->fd);
        return io_status(n < 0 ? (int)n : -EBADMSG, path, why, cap);
    }
    if (b[0] == 0x0a) {
        *speaks = parse_greeting(b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b),
                                 g != NULL ? g : &dummy) == 0;
        return RA_SQL_OK;
    }
    close(w->fd);
    if (b[0] == 0xff) {
        unsigned code = err_packet(b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b), why, cap);

        /* refusing one more connection is an answer (alive); anything else (shutting
         * down, out of memory) is not */
        return code == ER_CON_COUNT_ERROR || code == ER_TOO_MANY_USER_CONNECTIONS ? RA_SQL_DENIED
                                                                                  : RA_SQL_ERROR;
    }
    ra_format_cut(why, cap, "%s does not speak the MySQL protocol", path);
    return RA_SQL_ERROR;
}

enum ra_sql_status
ra_sql_hello(const char *socket_path, const struct ra_deadline *deadline, char *why, size_t cap)
{
    struct wire w = { .deadline = deadline };
    struct greeting g;
    bool speaks;
    enum ra_sql_status st;

    why[0] = '\0';
    st = greet(&w, socket_path, &g, &speaks, why, cap);
    if (st == RA_SQL_OK) {
        close(w.fd);
        ra_format_cut(why, cap, "%s", g.version); /* the server's version, for the log */
    }
    return st;
}

/* ------------------------------------------------------------ native login */

/* SHA-1 (FIPS 180-4): mysql_native_password's scramble is made of it */
struct sha1 {
    uint32_t h[5];
    uint64_t bytes;
    unsigned char block[64];
};

static uint32_t
rol(uint32_t x, unsigned n)
{
    return x << n | x >> (32 - n);
}

static void
sha1_block(struct sha1 *c)
{
    uint32_t w[80], a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4], cc = c->h[2];

    for (unsigned i = 0; i < 16; i++) {
        const unsigned char *p = c->block + 4 * i;

        w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    }
    for (unsigned i = 16; i < 80; i++) {
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    for (unsigned i = 0; i < 80; i++) {
        uint32_t f, k, t;

        if (i < 20) {
            f = (b & cc) | (~b & d), k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ cc ^ d, k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & cc) | (b & d) | (cc & d), k = 0x8f1bbcdc;
        } else {
            f = b ^ cc ^ d, k = 0xca62c1d6;
        }
        t = rol(a, 5) + f + e + k + w[i];
        e = d, d = cc, cc = rol(b, 30), b = a, a = t;
    }
    c->h[0] += a, c->h[1] += b, c->h[2] += cc, c->h[3] += d, c->h[4] += e;
    explicit_bzero(w, sizeof(w));
}

static void
sha1_add(struct sha1 *c, const void *data, size_t n)
{
    const unsigned char *p = data;

    for (size_t i = 0; i < n; i++) {
        c->block[c->bytes++ % 64] = p[i];
        if (c->bytes % 64 == 0) {
            sha1_block(c);
        }
    }
}

void
ra_sql_sha1(const void *data, size_t n, unsigned char out[20])
{
    struct sha1 c = { .h = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 } };
    uint64_t bits;
    unsigned char pad = 0x80, zero = 0, len[8];

    sha1_add(&c, data, n);
    bits = c.bytes * 8;
    sha1_add(&c, &pad, 1);
    while (c.bytes % 64 != 56) {
        sha1_add(&c, &zero, 1);
    }
    for (unsigned i = 0; i < 8; i++) {
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    }
    sha1_add(&c, len, 8);
    for (unsigned i = 0; i < 20; i++) {
        out[i] = (unsigned char)(c.h[i / 4] >> (24 - 8 * (i % 4)));
    }
    explicit_bzero(&c, sizeof(c));
}

void
ra_sql_native_token(const char *password, const unsigned char scramble[20], unsigned char out[20])
{
    unsigned char h1[20], h2[20], both[40];

    /* SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))) */
    ra_sql_sha1(password, strlen(password), h1);
    ra_sql_sha1(h1, 20, h2);
    memcpy(both, scramble, 20);
    memcpy(both + 20, h2, 20);
    ra_sql_sha1(both, 40, out);
    for (unsigned i = 0; i < 20; i++) {
        out[i] ^= h1[i];
    }
    explicit_bzero(h1, sizeof(h1));
    explicit_bzero(h2, sizeof(h2));
    explicit_bzero(both, sizeof(both));
}

/* our own session's outcome, or HAND_OVER: this one is libmariadb's to speak */
#define HAND_OVER ((enum ra_sql_status) - 1)

/* Log in as @t's user on @w (greeted with @g) with mysql_native_password. */
static enum ra_sql_status
native_login(struct wire *w, const struct ra_sql_target *t, const struct greeting *g, char *why,
             size_t cap)
{
    unsigned char b[512], *p = b + 4;
    const char *pw = t->password ? t->password : "";
    size_t ulen = strlen(t->user);
    uint32_t caps = CAP_LONG_PASSWORD | CAP_PROTOCOL_41 | CAP_SECURE_CONNECTION | CAP_PLUGIN_AUTH;
    ssize_t n;
    int r;

    if (ulen > 128) {
        return HAND_OVER;
    }
    for (unsigned i = 0; i < 4; i++) {
        *p++ = (unsigned char)(caps >> (8 * i));
    }
    *p++ = 0, *p++ = 0, *p++ = 0, *p++ = 1; /* the largest packet: 16 MiB */
    *p++ = 33;                              /* utf8_general_ci */
    memset(p, 0, 23);
    p += 23;
    memcpy(p, t->user, ulen + 1);
    p += ulen + 1;
    *p++ = pw[0] ? 20 : 0;
    if (pw[0]) {
        ra_sql_native_token(pw, g->scramble, p);
        p += 20;
    }
    memcpy(p, NATIVE, sizeof(NATIVE));
    p += sizeof(NATIVE);
    r = pkt_write(w, b, (size_t)(p - b - 4));
    explicit_bzero(b, sizeof(b));
    for (unsigned round = 0; r == 0; round++) {
        n = pkt_read(w, b, sizeof(b));
        if (n < 1) {
            return io_status(n < 0 ? (int)n : -EBADMSG, t->socket, why, cap);
        }
        if (b[0] == 0x00) {
            return RA_SQL_OK;
        }
        if (b[0] == 0xff) {
            unsigned code = err_packet(b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b), why, cap);

            return code == ER_ACCESS_DENIED_ERROR || code == ER_ACCESS_DENIED_NO_PASSWORD_ERROR ||
                           code == ER_DBACCESS_DENIED_ERROR || code == ER_CON_COUNT_ERROR ||
                           code == ER_TOO_MANY_USER_CONNECTIONS
                       ? RA_SQL_DENIED
                       : RA_SQL_ERROR;
        }
        /* the account's plugin asks again: mysql_native_password with a new scramble
         * is ours to answer, once; any other plugin is libmariadb's */
        if (b[0] != 0xfe || round > 0 || (size_t)n != 1 + sizeof(NATIVE) + 21 ||
            memcmp(b + 1, NATIVE, sizeof(NATIVE)) != 0) {
            return HAND_OVER;
        }
        p = b + 1 + sizeof(NATIVE);
        if (pw[0]) {
            unsigned char scramble[20];

            memcpy(scramble, p, 20);
            ra_sql_native_token(pw, scramble, b + 4);
        }
        r = pkt_write(w, b, pw[0] ? 20 : 0);
        explicit_bzero(b, sizeof(b));
    }
    return io_status(r, t->socket, why, cap);
}

/* @query (or a ping when NULL) on a logged-in @w, its rows read and dropped */
static enum ra_sql_status
native_query(struct wire *w, const char *path, const char *query, char *why, size_t cap)
{
    unsigned char b[512];
    size_t qlen = query ? strlen(query) : 0;
    unsigned eofs = 0;
    ssize_t n;
    int r;

    if (qlen + 5 > sizeof(b)) {
        ra_format_cut(why, cap, "the statement is too long");
        return RA_SQL_ERROR;
    }
    w->seq = 0;
    b[4] = query ? 0x03 : 0x0e; /* COM_QUERY, COM_PING */
    memcpy(b + 5, query ? query : "", qlen);
    if ((r = pkt_write(w, b, 1 + qlen)) < 0) {
        return io_status(r, path, why, cap);
    }
    /* an OK, an error, or a result set: columns, EOF, rows, EOF (an error may end it) */
    for (unsigned i = 0;; i++) {
        if ((n = pkt_read(w, b, sizeof(b))) < 1) {
            return io_status(n < 0 ? (int)n : -EBADMSG, path, why, cap);
        }
        if (b[0] == 0xff) {
            err_packet(b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b), why, cap);
            return RA_SQL_FAILED;
        }
        if (i == 0 && b[0] == 0x00) {
            return RA_SQL_OK;
        }
        if (i == 0 && b[0] == 0xfb) {
            ra_format_cut(why, cap, "the server asked for a local file");
            return RA_SQL_ERROR;
        }
        if (b[0] == 0xfe && n < 9 && ++eofs == 2) {
            return RA_SQL_OK;
        }
    }
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

/* ------------------------------------------------------------ a check */

static enum ra_sql_status
library_check(const struct ra_sql_target *t, const char *query, const struct ra_deadline *deadline,
              char *why, size_t cap)
{
    struct ra_sql *s;
    enum ra_sql_status st = ra_sql_connect(t, deadline, &s, why, cap);

    if (st != RA_SQL_OK) {
        return st;
    }
    if (query != NULL ? ra_sql_exec(s, query, why, cap) < 0 : lib.ping(s->m) != 0) {
        if (query == NULL) {
            ra_format_cut(why, cap, "%s", lib.error(s->m));
        }
        st = RA_SQL_FAILED;
    }
    ra_sql_close(s);
    return st;
}

enum ra_sql_status
ra_sql_check(const struct ra_sql_target *t, const char *query, const struct ra_deadline *deadline,
             char *why, size_t cap)
{
    struct wire w = { .deadline = deadline };
    struct greeting g;
    bool speaks;
    enum ra_sql_status st;

    why[0] = '\0';
    if (t->socket == NULL) {
        return library_check(t, query, deadline, why, cap);
    }
    st = greet(&w, t->socket, &g, &speaks, why, cap);
    if (st != RA_SQL_OK) {
        return st;
    }
    st = speaks ? native_login(&w, t, &g, why, cap) : HAND_OVER;
    if (st == RA_SQL_OK) {
        st = native_query(&w, t->socket, query, why, cap);
        if (st == RA_SQL_OK || st == RA_SQL_FAILED) {
            unsigned char quit[5] = { [4] = 0x01 }; /* COM_QUIT: a session that ends well */

            w.seq = 0;
            (void)pkt_write(&w, quit, 1);
        }
    }
    close(w.fd);
    if (st == HAND_OVER) {
        why[0] = '\0';
        /* libmariadb's timeouts are whole seconds: it gets the session only with time
         * for them */
        if (ra_deadline_left_ms(deadline) < 2000) {
            ra_format_cut(why, cap, "no time left to log in through libmariadb");
            return RA_SQL_TIMEOUT;
        }
        return library_check(t, query, deadline, why, cap);
    }
    return st;
}
