/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A MariaDB/MySQL server through libmariadb; see sql.h. */
#include "config.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"
#include "str.h"

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
    mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &sec);
    mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &sec);
    mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &sec);
}

enum ra_sql_status
ra_sql_connect(const struct ra_sql_target *t, const struct ra_deadline *deadline,
               struct ra_sql **ret, char *why, size_t cap)
{
    struct ra_sql *s = calloc(1, sizeof(*s));
    unsigned err;

    *ret = NULL;
    why[0] = '\0';
    if (s == NULL || (s->m = mysql_init(NULL)) == NULL) {
        free(s);
        ra_format_cut(why, cap, "out of memory");
        return RA_SQL_ERROR;
    }
    set_timeouts(s->m, deadline);
    /* no option file: what is read is what we pass (the server's own my.cnf may name
     * another user or password for clients) */
    if (mysql_real_connect(s->m, t->socket ? "localhost" : t->host, t->user,
                           t->password && t->password[0] ? t->password : NULL, NULL,
                           t->socket ? 0 : t->port, t->socket, 0) != NULL) {
        *ret = s;
        return RA_SQL_OK;
    }
    err = mysql_errno(s->m);
    ra_format_cut(why, cap, "%s", mysql_error(s->m));
    mysql_close(s->m);
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
        mysql_free_result(s->res);
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
    mysql_close(s->m);
    free(s);
}

int
ra_sql_exec(struct ra_sql *s, const char *stmt, char *why, size_t cap)
{
    free_result(s);
    if (mysql_real_query(s->m, stmt, strlen(stmt)) != 0) {
        ra_format_cut(why, cap, "%s", mysql_error(s->m));
        return -1;
    }
    /* drain any result the statement has */
    do {
        MYSQL_RES *r = mysql_store_result(s->m);

        if (r != NULL) {
            mysql_free_result(r);
        }
    } while (mysql_next_result(s->m) == 0);
    return 0;
}

int
ra_sql_row(struct ra_sql *s, const char *query, char *why, size_t cap)
{
    free_result(s);
    if (mysql_real_query(s->m, query, strlen(query)) != 0 ||
        (s->res = mysql_store_result(s->m)) == NULL) {
        ra_format_cut(why, cap, "%s",
                      mysql_errno(s->m) ? mysql_error(s->m) : "the statement returned no rows");
        return -1;
    }
    s->nfields = mysql_num_fields(s->res);
    s->fields = mysql_fetch_fields(s->res);
    s->row = mysql_fetch_row(s->res);
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
    mysql_real_escape_string(s->m, buf, in, (unsigned long)len);
    return 0;
}
