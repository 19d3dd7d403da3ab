/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A small HTTP/1.0 client for monitors; see http.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "parse.h"
#include "str.h"

int
ra_url_parse(const char *url, struct ra_url *u)
{
    const char *p, *end;
    size_t n;
    long long port = 80;

    memset(u, 0, sizeof(*u));
    if (strncasecmp(url, "http://", 7) != 0) {
        return -1;
    }
    p = url + 7;
    if (*p == '[') {
        end = strchr(p, ']');
        if (end == NULL) {
            return -1;
        }
        n = (size_t)(end - p - 1);
        if (n == 0 || n >= sizeof(u->host)) {
            return -1;
        }
        memcpy(u->host, p + 1, n);
        p = end + 1;
    } else {
        n = strcspn(p, ":/?#");
        if (n == 0 || n >= sizeof(u->host)) {
            return -1;
        }
        memcpy(u->host, p, n);
        p += n;
    }
    if (strpbrk(u->host, "@ \t\r\n") != NULL) {
        return -1; /* no user in the URL, no space in a name */
    }
    if (*p == ':') {
        char digits[8];

        n = strcspn(p + 1, "/?#");
        if (n == 0 || n >= sizeof(digits)) {
            return -1;
        }
        memcpy(digits, p + 1, n);
        digits[n] = '\0';
        if (ra_parse_int(digits, 1, 65535, &port) < 0) {
            return -1;
        }
        p += 1 + n;
    }
    ra_format_cut(u->port, sizeof(u->port), "%lld", port);
    n = strcspn(p, "#");
    if (n >= sizeof(u->path) - 1) {
        return -1;
    }
    u->path[0] = '/';
    memcpy(u->path + (p[0] != '/'), p, n);
    u->path[n + (p[0] != '/')] = '\0';
    for (const char *c = u->path; *c != '\0'; c++) {
        if ((unsigned char)*c <= ' ' || *c == 0x7f) {
            return -1; /* it goes into the request line as it is */
        }
    }
    return 0;
}

static void
base64(const char *in, size_t n, char *out, size_t cap)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;

    for (size_t i = 0; i < n && o + 5 <= cap; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)in[i] << 16;

        v |= i + 1 < n ? (uint32_t)(unsigned char)in[i + 1] << 8 : 0;
        v |= i + 2 < n ? (uint32_t)(unsigned char)in[i + 2] : 0;
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? abc[v & 63] : '=';
    }
    out[o] = '\0';
}

/* a connected socket to @u, or -errno */
static int
dial(const struct ra_url *u, const struct ra_http_req *r)
{
    struct addrinfo hints = { .ai_family = r->family, .ai_socktype = SOCK_STREAM }, *res, *a;
    const char *host = u->host;
    int err = -EHOSTUNREACH;

    /* localhost is the loopback address, with no lookup (as curl takes it); other names
     * are resolved by the system, which our deadline does not bound */
    if (strcasecmp(host, "localhost") == 0) {
        host = r->family == AF_INET6 ? "::1" : "127.0.0.1";
    }
    if (getaddrinfo(host, u->port, &hints, &res) != 0) {
        return -EHOSTUNREACH;
    }
    for (a = res; a != NULL; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int soerr = 0;
        socklen_t len = sizeof(soerr);

        if (fd < 0) {
            err = -errno;
            continue;
        }
        /* as curl --interface lo: the request never leaves this host (root may; a
         * refusal leaves it unbound) */
        if (r->lo_only) {
            (void)setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
            err = -errno;
            close(fd);
            continue;
        }
        if ((err = ra_deadline_wait_fd(r->deadline, fd, POLLOUT)) < 0 ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || soerr != 0) {
            err = err < 0 ? err : -(soerr ? soerr : errno);
            close(fd);
            if (err == -ETIMEDOUT) {
                break;
            }
            continue;
        }
        freeaddrinfo(res);
        return fd;
    }
    freeaddrinfo(res);
    return err;
}

/* the whole answer into @buf (cut at @cap - 1, which ends the read): its length or -errno */
static ssize_t
recv_all(int fd, char *buf, size_t cap, const struct ra_deadline *d)
{
    size_t got = 0;

    while (got < cap - 1) {
        ssize_t k = recv(fd, buf + got, cap - 1 - got, 0);
        int r;

        if (k > 0) {
            got += (size_t)k;
            continue;
        }
        if (k == 0) {
            break;
        }
        if (errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
        if ((r = ra_deadline_wait_fd(d, fd, POLLIN)) < 0) {
            return r;
        }
    }
    buf[got] = '\0';
    return (ssize_t)got;
}

/* the value of header @name in the head @h (up to @end), into @buf: true if there */
static bool
header(const char *h, const char *end, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);

    for (const char *line = strchr(h, '\n'); line != NULL && line < end;
         line = strchr(line + 1, '\n')) {
        const char *v = line + 1, *stop;

        if (strncasecmp(v, name, n) != 0 || v[n] != ':') {
            continue;
        }
        v += n + 1;
        v += strspn(v, " \t");
        stop = v + strcspn(v, "\r\n");
        ra_format_cut(buf, cap, "%.*s", (int)(stop - v), v);
        return true;
    }
    return false;
}

int
ra_http_get(const struct ra_http_req *r, int *status, char *body, size_t cap, char *why,
            size_t whycap)
{
    /* the head, then as much body as a caller keeps (static: one monitor, one request
     * at a time, and no mapping made and unmade for it) */
    static char buf[RA_HTTP_BODY_MAX + 16384];
    char url[2400], req[4096], auth[600];
    size_t bufcap = (cap < RA_HTTP_BODY_MAX ? cap : RA_HTTP_BODY_MAX) + 16384;
    int rc = -1;

    *status = 0;
    body[0] = '\0';
    why[0] = '\0';
    ra_format_cut(url, sizeof(url), "%s", r->url);
    auth[0] = '\0';
    if (r->user != NULL && r->user[0] != '\0') {
        char up[400];
        int k = ra_format(up, sizeof(up), "%s:%s", r->user, r->password ? r->password : "");

        if (k < 0) {
            ra_format_cut(why, whycap, "user and password too long");
            return -1;
        }
        base64(up, strlen(up), auth, sizeof(auth));
        explicit_bzero(up, sizeof(up));
    }
    for (int hop = 0; hop < 6; hop++) {
        static char first[300];
        struct ra_url u;
        char loc[2048], hostport[300];
        const char *head_end, *b;
        ssize_t n;
        int fd, k;
        bool v6;

        if (ra_url_parse(url, &u) < 0) {
            ra_format_cut(why, whycap, "not an http:// URL: %s", url);
            break;
        }
        v6 = strchr(u.host, ':') != NULL;
        ra_format_cut(hostport, sizeof(hostport), "%s%s%s%s%s", v6 ? "[" : "", u.host,
                      v6 ? "]" : "", strcmp(u.port, "80") ? ":" : "",
                      strcmp(u.port, "80") ? u.port : "");
        /* the credentials go to the host and port asked, never where it redirects */
        if (hop == 0) {
            ra_format_cut(first, sizeof(first), "%s", hostport);
        } else if (strcmp(first, hostport) != 0) {
            explicit_bzero(auth, sizeof(auth));
        }
        k = ra_format(req, sizeof(req),
                      "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: rampart-monitor\r\n"
                      "Accept: */*\r\n%s%s%sConnection: close\r\n\r\n",
                      u.path, hostport, auth[0] ? "Authorization: Basic " : "", auth,
                      auth[0] ? "\r\n" : "");
        if (k < 0) {
            ra_format_cut(why, whycap, "the request is too long");
            break;
        }
        fd = dial(&u, r);
        if (fd < 0) {
            ra_format_cut(why, whycap, "cannot connect to %s: %s", hostport,
                          fd == -ETIMEDOUT ? "no answer in time" : strerror(-fd));
            break;
        }
        k = ra_deadline_send(r->deadline, fd, req, strlen(req));
        n = k < 0 ? k : recv_all(fd, buf, bufcap, r->deadline);
        close(fd);
        if (n < 0) {
            ra_format_cut(why, whycap, "%s: %s", hostport,
                          n == -ETIMEDOUT ? "no answer in time" : strerror((int)-n));
            break;
        }
        /* "HTTP/1.1 200 OK" */
        if (strncmp(buf, "HTTP/", 5) != 0 || strlen(buf) < 12 || buf[8] != ' ' ||
            (*status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0')) < 100 ||
            *status > 599) {
            *status = 0;
            ra_format_cut(why, whycap, "%s does not answer in HTTP", hostport);
            break;
        }
        head_end = strstr(buf, "\r\n\r\n");
        b = head_end ? head_end + 4 : (head_end = strstr(buf, "\n\n")) ? head_end + 2 : NULL;
        if (b == NULL) {
            b = head_end = buf + strlen(buf); /* a head cut short: no body */
        }
        if ((*status == 301 || *status == 302 || *status == 303 || *status == 307 ||
             *status == 308) &&
            header(buf, head_end, "Location", loc, sizeof(loc)) && loc[0] != '\0') {
            if (strncasecmp(loc, "http://", 7) == 0) {
                ra_format_cut(url, sizeof(url), "%s", loc);
            } else if (loc[0] == '/') {
                ra_format_cut(url, sizeof(url), "http://%s%s", hostport, loc);
            } else {
                char *slash = strrchr(u.path, '/');

                ra_format_cut(url, sizeof(url), "http://%s%.*s/%s", hostport,
                              (int)(slash ? slash - u.path : 0), u.path, loc);
            }
            continue;
        }
        ra_format_cut(body, cap, "%s", b);
        rc = 0;
        break;
    }
    if (rc < 0 && why[0] == '\0') {
        ra_format_cut(why, whycap, "too many redirects");
    }
    explicit_bzero(req, sizeof(req));
    explicit_bzero(auth, sizeof(auth));
    return rc;
}
