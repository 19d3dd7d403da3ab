/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Range-checked parsers.  This is the only file allowed to call strtoll:
 * every number that enters Rampart passes through here, fully checked.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

int
ra_parse_int(const char *s, long long min, long long max, long long *ret_v)
{
    char *end = NULL;
    long long v;

    if (s == NULL || *s == '\0') {
        return -EINVAL;
    }
    /* strtoll skips leading white space and accepts "0x"; we accept neither. */
    if (!(isdigit((unsigned char)s[0]) ||
          ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1])))) {
        return -EINVAL;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end != '\0') {
        return -EINVAL;
    }
    if (errno == ERANGE || v < min || v > max) {
        return -ERANGE;
    }
    *ret_v = v;
    return 0;
}

int
ra_parse_bool(const char *s, bool *ret_v)
{
    static const char *const yes[] = { "yes", "true", "1", "on", "ja", "y" };
    static const char *const no[] = { "no", "false", "0", "off", "nein", "n", "" };

    if (s == NULL) {
        return -EINVAL;
    }
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *ret_v = true;
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        if (strcasecmp(s, no[i]) == 0) {
            *ret_v = false;
            return 0;
        }
    }
    return -EINVAL;
}

int
ra_parse_duration_ms(const char *s, uint64_t *ret_ms)
{
    static const struct {
        const char *unit;
        uint64_t ms;
    } units[] = {
        { "", 1000 },     { "ms", 1 },      { "s", 1000 },     { "sec", 1000 },   { "m", 60000 },
        { "min", 60000 }, { "h", 3600000 }, { "hr", 3600000 }, { "d", 86400000 },
    };

    const char *p = s;
    uint64_t v = 0, frac = 0, scale = 1;

    if (s == NULL || !isdigit((unsigned char)*p)) {
        return -EINVAL;
    }
    for (; isdigit((unsigned char)*p); p++) {
        unsigned digit = (unsigned)(*p - '0');

        if (v > (UINT64_MAX - digit) / 10) {
            return -ERANGE;
        }
        v = v * 10 + digit;
    }
    /* a decimal fraction ("0.5" seconds, as fence agents accept), to the millisecond */
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) {
            return -EINVAL;
        }
        for (; isdigit((unsigned char)*p); p++) {
            if (scale < 1000) {
                frac = frac * 10 + (unsigned)(*p - '0');
                scale *= 10;
            }
        }
    }
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcasecmp(p, units[i].unit) == 0) {
            if (v > UINT64_MAX / units[i].ms - 1) {
                return -ERANGE;
            }
            *ret_ms = v * units[i].ms + frac * units[i].ms / scale;
            return 0;
        }
    }
    return -EINVAL;
}

int
ra_parse_ip(const char *s, struct ra_ip *ret_ip)
{
    struct ra_ip ip;

    if (s == NULL) {
        return -EINVAL;
    }
    memset(&ip, 0, sizeof(ip));
    if (inet_pton(AF_INET, s, &ip.addr.v4) == 1) {
        ip.family = AF_INET;
    } else if (inet_pton(AF_INET6, s, &ip.addr.v6) == 1) {
        ip.family = AF_INET6;
    } else {
        return -EINVAL;
    }
    *ret_ip = ip;
    return 0;
}

bool
ra_ip_equal(const struct ra_ip *a, const struct ra_ip *b)
{
    if (a->family != b->family) {
        return false;
    }
    if (a->family == AF_INET) {
        return a->addr.v4.s_addr == b->addr.v4.s_addr;
    }
    return memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6)) == 0;
}

int
ra_parse_port(const char *s, uint16_t *ret_port)
{
    long long v = 0;
    int r = ra_parse_int(s, 1, 65535, &v);

    if (r < 0) {
        return r;
    }
    *ret_port = (uint16_t)v;
    return 0;
}

int
ra_parse_enum(const char *s, const char *const *values, unsigned *ret_index)
{
    if (s == NULL || values == NULL) {
        return -EINVAL;
    }
    for (unsigned i = 0; values[i] != NULL; i++) {
        if (strcmp(s, values[i]) == 0) {
            *ret_index = i;
            return 0;
        }
    }
    return -EINVAL;
}
