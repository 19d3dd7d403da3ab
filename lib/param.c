/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed parameters: loading from the environment, defaults, aliases and the
 * checks every type implies.  Messages name the parameter and quote the
 * value escaped (never a secret's), so a reason is always one line.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "param.h"
#include "str.h"

const char *
ra_type_ocf_name(enum ra_type type)
{
    switch (type) {
    case RA_T_INTEGER:
    case RA_T_PORT:
        return "integer";
    case RA_T_BOOLEAN:
        return "boolean";
    default:
        return "string";
    }
}

const char *
ra_param_ocf_type(const struct ra_param *p)
{
    return p->ocf_type != NULL ? p->ocf_type : ra_type_ocf_name(p->type);
}

size_t
ra_param_slot(const struct ra_param *params, size_t n, const char *name, const char *owner)
{
    int i = ra_param_index(params, n, name);

    if (i < 0) {
        fprintf(stderr, "BUG: %s has no parameter '%s'\n", owner, name);
        abort();
    }
    return (size_t)i;
}

int
ra_param_index(const struct ra_param *params, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(params[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static bool
has_control_char(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            return true;
        }
    }
    return false;
}

/* Print "parameter 'name' <what>, not 'value'" (the value left out for a secret). */
static int
bad_value(const struct ra_param *p, const char *value, char *why, size_t cap, const char *what)
{
    char q[80];

    if (p->flags & RA_P_SECRET) {
        ra_format_cut(why, cap, "parameter '%s' %s", p->name, what);
    } else {
        ra_format_cut(why, cap, "parameter '%s' %s, not '%s'", p->name, what,
                      ra_escape(value, q, sizeof(q)));
    }
    return -EINVAL;
}

static int
check_enum(const struct ra_param *p, const char *value, struct ra_value *ret, char *why, size_t cap)
{
    char list[256] = "";
    size_t o = 0;
    unsigned idx = 0;

    if (ra_parse_enum(value, p->values, &idx) == 0) {
        ret->num = idx;
        return 0;
    }
    for (size_t i = 0; p->values != NULL && p->values[i] != NULL; i++) {
        int n = 0;

        if (o < sizeof(list)) {
            n = snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "", p->values[i]);
            o += n > 0 ? (size_t)n : 0;
        }
    }
    {
        char what[300];

        ra_format_cut(what, sizeof(what), "must be one of %s", list);
        return bad_value(p, value, why, cap, what);
    }
}

int
ra_param_check(const struct ra_param *p, const char *value, struct ra_value *ret, char *why,
               size_t why_cap)
{
    size_t max_len = p->max_len ? p->max_len : RA_VALUE_MAX;
    size_t len = strlen(value);
    char what[128];
    long long v = 0;
    uint64_t ms = 0;
    int r;

    memset(ret, 0, sizeof(*ret));
    ret->str = value;
    if (len > max_len) {
        ra_format_cut(why, why_cap, "parameter '%s' is too long (%zu bytes, at most %zu)", p->name,
                      len, max_len);
        return -EINVAL;
    }
    /* The CIB is XML: a value that is not UTF-8 cannot have come from it. */
    if (!ra_utf8_valid(value, len)) {
        ra_format_cut(why, why_cap, "parameter '%s' is not valid UTF-8", p->name);
        return -EINVAL;
    }
    if (has_control_char(value)) {
        ra_format_cut(why, why_cap, "parameter '%s' contains a control character", p->name);
        return -EINVAL;
    }

    switch (p->type) {
    case RA_T_STRING:
        break;
    case RA_T_INTEGER: {
        long long min = p->min, max = p->max;

        if (min == 0 && max == 0) {
            min = INT64_MIN;
            max = INT64_MAX;
        }
        r = ra_parse_int(value, min, max, &v);
        if (r == -ERANGE || (r == 0 && (v < min || v > max))) {
            ra_format_cut(what, sizeof(what), "must be from %lld to %lld", min, max);
            return bad_value(p, value, why, why_cap, what);
        }
        if (r < 0) {
            return bad_value(p, value, why, why_cap, "must be an integer");
        }
        ret->num = v;
        break;
    }
    case RA_T_BOOLEAN: {
        bool b = false;

        if (ra_parse_bool(value, &b) < 0) {
            return bad_value(p, value, why, why_cap,
                             "must be a boolean (yes, true, 1, on or no, false, 0, off)");
        }
        ret->num = b;
        break;
    }
    case RA_T_ENUM:
        return check_enum(p, value, ret, why, why_cap) < 0 ? -EINVAL : 0;
    case RA_T_TIME:
        r = ra_parse_duration_ms(value, &ms);
        if (r < 0 || ms > INT64_MAX) {
            return bad_value(p, value, why, why_cap,
                             "must be a duration such as 30, 30s, 500ms or 2min");
        }
        if ((p->min || p->max) && ((long long)ms < p->min || (long long)ms > p->max)) {
            ra_format_cut(what, sizeof(what), "must be from %lldms to %lldms", p->min, p->max);
            return bad_value(p, value, why, why_cap, what);
        }
        ret->num = (long long)ms;
        break;
    case RA_T_IPADDR:
        if (ra_parse_ip(value, &ret->ip) < 0) {
            return bad_value(p, value, why, why_cap, "must be an IPv4 or IPv6 address");
        }
        break;
    case RA_T_PATH:
        if (value[0] != '/') {
            return bad_value(p, value, why, why_cap, "must be an absolute path");
        }
        break;
    case RA_T_PORT: {
        uint16_t port = 0;

        if (ra_parse_port(value, &port) < 0) {
            return bad_value(p, value, why, why_cap, "must be a port number from 1 to 65535");
        }
        ret->num = port;
        break;
    }
    }
    if (p->valid != NULL) {
        const char *reason = "is not valid";

        if (!p->valid(value, &reason)) {
            return bad_value(p, value, why, why_cap, reason);
        }
    }
    return 0;
}

static const char *
given(const char *v)
{
    return (v != NULL && *v != '\0') ? v : NULL;
}

int
ra_param_load_from(const struct ra_param *params, size_t n, struct ra_value *values,
                   ra_param_getter get, void *data, bool lenient, char *why, size_t why_cap)
{
    for (size_t i = 0; i < n; i++) {
        const struct ra_param *p = &params[i];
        const char *v = given(get(p->name, data));
        bool from_user = v != NULL;

        /* an older name fills in for the current one */
        for (size_t k = 0; v == NULL && k < n; k++) {
            if (params[k].alias_of != NULL && strcmp(params[k].alias_of, p->name) == 0) {
                v = given(get(params[k].name, data));
                from_user = v != NULL;
            }
        }
        /* an empty default documents "none"; a computed one is the agent's business */
        if (v == NULL && !(p->flags & RA_P_DEFAULT_DOC) && p->def != NULL && *p->def != '\0') {
            v = p->def;
        }
        if (v == NULL) {
            if ((p->flags & RA_P_REQUIRED) && (!lenient || (p->flags & RA_P_IDENTITY))) {
                ra_format_cut(why, why_cap, "required parameter '%s' is not set", p->name);
                return -EINVAL;
            }
            memset(&values[i], 0, sizeof(values[i]));
            continue;
        }
        if (ra_param_check(p, v, &values[i], why, why_cap) < 0) {
            return -EINVAL;
        }
        values[i].given = from_user;
    }
    return 0;
}

static const char *
env_getter(const char *name, void *data)
{
    (void)data;
    return ra_env_reskey(name);
}

int
ra_param_load(const struct ra_param *params, size_t n, struct ra_value *values, char *why,
              size_t why_cap)
{
    return ra_param_load_from(params, n, values, env_getter, NULL, false, why, why_cap);
}
