/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Range-checked parsers for parameter values: integers, booleans with the
 * shell agents' truth words, durations, IP addresses, ports and enums.
 * Each returns 0 on success or a negative errno (-EINVAL for a malformed
 * value, -ERANGE for one out of range) and writes its ret_ output only on
 * success.  Nothing here logs or allocates.
 */
#ifndef RA_PARSE_H
#define RA_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>

#define RA_WUR __attribute__((warn_unused_result))

/* Decimal integer with optional sign, no spaces, no trailing text; min <= v <= max. */
int ra_parse_int(const char *s, long long min, long long max, long long *ret_v) RA_WUR;

/*
 * Boolean, any case.  True: yes, true, 1, on, ja (the words ocf_is_true
 * accepts) and y.  False: no, false, 0, off, nein, n and the empty string.
 * Anything else is -EINVAL: a typo must not silently mean "false".
 */
int ra_parse_bool(const char *s, bool *ret_v) RA_WUR;

/*
 * Duration in milliseconds: a number (with an optional decimal fraction,
 * kept to the millisecond) and an optional unit ms, s, sec, m, min, h, hr
 * or d.  No unit means seconds, as in Pacemaker's operation timeouts and
 * the fence agents' waits.
 */
int ra_parse_duration_ms(const char *s, uint64_t *ret_ms) RA_WUR;

struct ra_ip {
    int family; /* AF_INET or AF_INET6 */

    union {
        struct in_addr v4;
        struct in6_addr v6;
    } addr;
};

/* An IPv4 dotted quad or an IPv6 address (no prefix, no zone). */
int ra_parse_ip(const char *s, struct ra_ip *ret_ip) RA_WUR;

/* True if @a and @b are the same address (so 2001:DB8::0:1 equals 2001:db8::1). */
bool ra_ip_equal(const struct ra_ip *a, const struct ra_ip *b);

/* TCP/UDP port 1..65535. */
int ra_parse_port(const char *s, uint16_t *ret_port) RA_WUR;

/* Index of @s in the NULL-terminated list @values (exact match). */
int ra_parse_enum(const char *s, const char *const *values, unsigned *ret_index) RA_WUR;

#endif
