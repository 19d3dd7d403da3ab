/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small HTTP/1.0 client for monitors: GET one http:// URL under a deadline,
 * over the loopback device the way the anchors' curl --interface lo asks, a
 * few redirects followed, the body kept (cut at the caller's buffer).  No
 * TLS, no proxies, no cookies: a status page, read in-process instead of
 * running curl or wget.
 */
#ifndef RA_HTTP_H
#define RA_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"

struct ra_url {
    char host[256]; /* a name, or an address (IPv6 without its brackets) */
    char port[8];
    char path[2048]; /* from the first '/', "/" when none */
};

/* "http://host[:port][/path]" ("[v6]" hosts too) into @u: 0, or -1 (not such a URL). */
int ra_url_parse(const char *url, struct ra_url *u);

struct ra_http_req {
    const char *url;
    const char *user, *password; /* basic authentication, or NULL */
    bool lo_only;                /* bound to the loopback device (SO_BINDTODEVICE "lo") */
    int family;                  /* AF_UNSPEC, or AF_INET6 to insist on IPv6 */
    const struct ra_deadline *deadline;
};

/* The most of a body ra_http_get keeps. */
#define RA_HTTP_BODY_MAX (1024 * 1024)

/*
 * GET @r->url, following up to 5 redirects.  0 with the final status code in *@status
 * and the body, NUL-terminated and cut to @cap - 1 bytes (and RA_HTTP_BODY_MAX), in @body; or -1
 * with the reason in @why (no answer, not HTTP, the deadline).
 */
int ra_http_get(const struct ra_http_req *r, int *status, char *body, size_t cap, char *why,
                size_t whycap);

#endif
