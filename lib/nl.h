/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink, the transport: a socket of a netlink protocol (NETLINK_ROUTE for
 * links, addresses and routes in net.c; NETLINK_GENERIC for families such
 * as DRBD's in drbd.c), requests built in a caller's buffer, and replies
 * read until the ack (a request) or NLMSG_DONE (a dump), never longer than
 * the deadline given to ra_nl_open.  When the kernel explains a refusal
 * (extended ack), the text is kept in ra_nl.ext_msg for the caller's reason.
 * Every function returns 0 on success and a negative errno on failure.
 */
#ifndef RA_NL_H
#define RA_NL_H

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"

#define RA_NL_REQ_MAX  1024
#define RA_NL_RECV_MAX (64 * 1024)

struct ra_nl {
    int fd;
    uint32_t seq;
    const struct ra_deadline *deadline;
    char ext_msg[256]; /* the kernel's explanation of the last error, or "" */
};

/* Open a NETLINK_ROUTE socket (or one of @protocol) bounded by @deadline (borrowed). */
int ra_nl_open(struct ra_nl *nl, const struct ra_deadline *deadline)
    __attribute__((warn_unused_result));
int ra_nl_open_proto(struct ra_nl *nl, int protocol, const struct ra_deadline *deadline)
    __attribute__((warn_unused_result));
void ra_nl_close(struct ra_nl *nl);

/* A request being built in a caller's buffer. */
struct ra_nl_req {
    struct nlmsghdr *h;
    size_t cap;
};

/* Start a request of @type with a fixed header of @hdrlen bytes, zeroed; returns that header. */
void *ra_nl_req_init(struct ra_nl_req *req, void *buf, size_t cap, uint16_t type, uint16_t flags,
                     size_t hdrlen);
/* Append an attribute.  -ENOBUFS when it does not fit. */
int ra_nl_req_attr(struct ra_nl_req *req, uint16_t type, const void *data, size_t len)
    __attribute__((warn_unused_result));
/* A nested attribute: begin returns its offset (or -errno), end closes it. */
int ra_nl_nest_begin(struct ra_nl_req *req, uint16_t type) __attribute__((warn_unused_result));
void ra_nl_nest_end(struct ra_nl_req *req, int nest);

/* Called for each reply message; returns 0 to go on. */
typedef int (*ra_nl_cb)(const struct nlmsghdr *h, void *data);

/*
 * Send @req and read the replies until the ack (a single request) or
 * NLMSG_DONE (a dump, NLM_F_DUMP), calling @cb for each data message.
 */
int ra_nl_talk(struct ra_nl *nl, struct ra_nl_req *req, ra_nl_cb cb, void *data)
    __attribute__((warn_unused_result));

/* A generic netlink family's id and version, by name.  -ENOENT if the kernel has none. */
int ra_genl_family(struct ra_nl *nl, const char *name, uint16_t *ret_id, uint32_t *ret_version)
    __attribute__((warn_unused_result));

/* The first attribute of @type (flag bits masked off) among @len bytes at @a, or NULL. */
const struct rtattr *ra_nl_attr_find(const struct rtattr *a, int len, uint16_t type);

#endif
