/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A MariaDB/MySQL server, asked in-process through libmariadb: a connection
 * over the server's socket (or TCP) under the operation's deadline,
 * statements, one-row answers looked up by column name.  Credentials go to
 * the library in memory: never into argv, an environment or a log line, and
 * never pasted into SQL text (ra_sql_quote escapes what must be).
 */
#ifndef RA_SQL_H
#define RA_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"

struct ra_sql;

enum ra_sql_status {
    RA_SQL_OK,      /* connected */
    RA_SQL_DENIED,  /* the server answered, and refused these credentials */
    RA_SQL_DOWN,    /* nothing answers there (no socket, connection refused) */
    RA_SQL_TIMEOUT, /* something accepted the connection and did not answer in time */
    RA_SQL_FAILED,  /* logged in; the statement failed (ra_sql_check) */
    RA_SQL_ERROR,   /* anything else (see the message) */
};

struct ra_sql_target {
    const char *socket; /* a Unix socket, or NULL for TCP */
    const char *host;   /* with TCP */
    unsigned port;
    const char *user;
    const char *password; /* NULL or "" for none */
};

/*
 * Does a server answer on @socket?  Its greeting is read, without logging in and
 * without libmariadb: RA_SQL_OK (the server's version in @why), RA_SQL_DENIED (it
 * answered with an error: too many connections), RA_SQL_DOWN (no socket, refused),
 * RA_SQL_TIMEOUT (accepted, then silent: a hung server), RA_SQL_ERROR.
 */
enum ra_sql_status ra_sql_hello(const char *socket, const struct ra_deadline *deadline, char *why,
                                size_t cap);

/*
 * Connect to @t within @deadline (every read and write of the session is bounded by
 * what is left of it).  RA_SQL_OK with *@ret set (release with ra_sql_close), or
 * another status with the server's or library's message in @why.
 */
enum ra_sql_status ra_sql_connect(const struct ra_sql_target *t, const struct ra_deadline *deadline,
                                  struct ra_sql **ret, char *why, size_t cap);
void ra_sql_close(struct ra_sql *s);

/*
 * Log in to @t and run @query (a ping when NULL), its rows read and dropped, then log
 * out: a monitor's whole session.  RA_SQL_OK; RA_SQL_DENIED (the credentials refused,
 * or too many connections); RA_SQL_FAILED (logged in, the statement failed); the rest
 * as ra_sql_connect.  The message in @why.  Over a Unix socket to an account with
 * mysql_native_password (or whose server needs nothing of the client's, unix_socket)
 * it is spoken here, without loading libmariadb and the TLS library: a third of the
 * cost; any other authentication, or TCP, goes through libmariadb.
 */
enum ra_sql_status ra_sql_check(const struct ra_sql_target *t, const char *query,
                                const struct ra_deadline *deadline, char *why, size_t cap);

/* SHA-1 of @n bytes, and mysql_native_password's answer to @scramble (for the tests) */
void ra_sql_sha1(const void *data, size_t n, unsigned char out[20]);
void ra_sql_native_token(const char *password, const unsigned char scramble[20],
                         unsigned char out[20]);

/* Run one statement, its result (if any) discarded.  0, or -1 with the message in @why. */
int ra_sql_exec(struct ra_sql *s, const char *stmt, char *why, size_t cap);

/*
 * Run a query and keep its first row: 1 with a row, 0 with none, -1 on error (message
 * in @why).  ra_sql_col then gives a column's value by name (NULL: no such column, or
 * SQL NULL).  The row lives until the next query or ra_sql_close.
 */
int ra_sql_row(struct ra_sql *s, const char *query, char *why, size_t cap);
const char *ra_sql_col(const struct ra_sql *s, const char *name);

/* @in escaped for a quoted SQL string literal, into @buf.  0, or -1 when it does not fit. */
int ra_sql_quote(const struct ra_sql *s, const char *in, char *buf, size_t cap);

#endif
