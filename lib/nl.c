/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink transport (see nl.h): one request, its replies read until the ack
 * or the end of the dump, all under a deadline.
 */
#include "config.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl.h"
#include "str.h"

int
ra_nl_open_proto(struct ra_nl *nl, int protocol, const struct ra_deadline *deadline)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    int one = 1;

    memset(nl, 0, sizeof(*nl));
    nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
    if (nl->fd < 0) {
        return -errno;
    }
    if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int r = -errno;

        close(nl->fd);
        nl->fd = -1;
        return r;
    }
    /* both are hints: older kernels simply do without */
    (void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    (void)setsockopt(nl->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
    nl->deadline = deadline;
    return 0;
}

int
ra_nl_open(struct ra_nl *nl, const struct ra_deadline *deadline)
{
    return ra_nl_open_proto(nl, NETLINK_ROUTE, deadline);
}

void
ra_nl_close(struct ra_nl *nl)
{
    if (nl != NULL && nl->fd >= 0) {
        close(nl->fd);
        nl->fd = -1;
    }
}

void *
ra_nl_req_init(struct ra_nl_req *req, void *buf, size_t cap, uint16_t type, uint16_t flags,
               size_t hdrlen)
{
    memset(buf, 0, cap);
    req->h = buf;
    req->cap = cap;
    req->h->nlmsg_len = (uint32_t)NLMSG_LENGTH(hdrlen);
    req->h->nlmsg_type = type;
    req->h->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
    return NLMSG_DATA(req->h);
}

int
ra_nl_req_attr(struct ra_nl_req *req, uint16_t type, const void *data, size_t len)
{
    size_t off = NLMSG_ALIGN(req->h->nlmsg_len);
    struct rtattr *rta = (struct rtattr *)((char *)req->h + off);

    if (off + RTA_SPACE(len) > req->cap) {
        return -ENOBUFS;
    }
    rta->rta_type = type;
    rta->rta_len = (unsigned short)RTA_LENGTH(len);
    if (len > 0) {
        memcpy(RTA_DATA(rta), data, len);
    }
    req->h->nlmsg_len = (uint32_t)(off + RTA_SPACE(len));
    return 0;
}

/* Keep the kernel's extended-ack message, if the error carries one. */
static void
keep_ext_msg(struct ra_nl *nl, const struct nlmsghdr *h)
{
    const struct nlmsgerr *e = NLMSG_DATA(h);
    size_t off;
    int len;
    const struct rtattr *a;

    if (!(h->nlmsg_flags & NLM_F_ACK_TLVS)) {
        return;
    }
    off = sizeof(*e);
    if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
        off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
    }
    off = NLMSG_ALIGN(off);
    if (NLMSG_LENGTH(off) >= h->nlmsg_len) {
        return;
    }
    a = (const struct rtattr *)((const char *)NLMSG_DATA(h) + off);
    len = (int)(h->nlmsg_len - NLMSG_LENGTH(off));
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == 1 /* NLMSGERR_ATTR_MSG */) {
            ra_format_cut(nl->ext_msg, sizeof(nl->ext_msg), "%.*s", (int)RTA_PAYLOAD(a),
                          (const char *)RTA_DATA(a));
        }
    }
}

int
ra_nl_talk(struct ra_nl *nl, struct ra_nl_req *req, ra_nl_cb cb, void *data)
{
    bool dump = (req->h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    char *buf = NULL;
    int r = 0;

    nl->ext_msg[0] = '\0';
    if (!dump) {
        req->h->nlmsg_flags |= NLM_F_ACK;
    }
    req->h->nlmsg_seq = ++nl->seq;
    if (send(nl->fd, req->h, req->h->nlmsg_len, 0) < 0) {
        return -errno;
    }
    buf = malloc(RA_NL_RECV_MAX);
    if (buf == NULL) {
        return -ENOMEM;
    }
    for (;;) {
        struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
        uint64_t left = nl->deadline ? ra_deadline_left_ms(nl->deadline) : 5000;
        ssize_t n;
        int p = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));

        if (p < 0 && errno == EINTR) {
            continue;
        }
        if (p <= 0) {
            r = p < 0 ? -errno : -ETIME;
            goto out;
        }
        n = recv(nl->fd, buf, RA_NL_RECV_MAX, 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            r = -errno;
            goto out;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
             h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_seq != nl->seq) {
                continue; /* a late reply to an earlier request */
            }
            if (h->nlmsg_type == NLMSG_DONE) {
                /* a dump's own error comes in its DONE message */
                int e = 0;

                if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
                    memcpy(&e, NLMSG_DATA(h), sizeof(int));
                }
                if (e < 0 && r == 0) {
                    r = e;
                }
                goto out;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(h);

                if (e->error != 0) {
                    keep_ext_msg(nl, h);
                    r = e->error;
                }
                goto out; /* an ack ends a request; an error ends anything */
            }
            if (cb != NULL && r == 0) {
                r = cb(h, data);
            }
        }
    }
out:
    free(buf);
    return r;
}

int
ra_nl_nest_begin(struct ra_nl_req *req, uint16_t type)
{
    size_t off = NLMSG_ALIGN(req->h->nlmsg_len);
    int r = ra_nl_req_attr(req, (uint16_t)(type | NLA_F_NESTED), NULL, 0);

    return r < 0 ? r : (int)off;
}

void
ra_nl_nest_end(struct ra_nl_req *req, int nest)
{
    struct rtattr *rta = (struct rtattr *)((char *)req->h + nest);

    rta->rta_len = (unsigned short)(req->h->nlmsg_len - (uint32_t)nest);
}

/* ------------------------------------------------------------ generic netlink */

struct family {
    uint16_t id;
    uint32_t version;
    bool found;
};

static int
family_cb(const struct nlmsghdr *h, void *data)
{
    struct family *f = data;
    const struct rtattr *a = (const struct rtattr *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
    int len = (int)(h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));

    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == CTRL_ATTR_FAMILY_ID && RTA_PAYLOAD(a) >= sizeof(uint16_t)) {
            memcpy(&f->id, RTA_DATA(a), sizeof(uint16_t));
            f->found = true;
        } else if (a->rta_type == CTRL_ATTR_VERSION && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
            memcpy(&f->version, RTA_DATA(a), sizeof(uint32_t));
        }
    }
    return 0;
}

int
ra_genl_family(struct ra_nl *nl, const char *name, uint16_t *ret_id, uint32_t *ret_version)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct genlmsghdr *g = ra_nl_req_init(&req, buf, sizeof(buf), GENL_ID_CTRL, 0, GENL_HDRLEN);
    struct family f = { 0 };
    int r;

    g->cmd = CTRL_CMD_GETFAMILY;
    g->version = 1;
    r = ra_nl_req_attr(&req, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
    if (r < 0) {
        return r;
    }
    r = ra_nl_talk(nl, &req, family_cb, &f);
    if (r == -ENOENT || (r == 0 && !f.found)) {
        return -ENOENT;
    }
    if (r < 0) {
        return r;
    }
    *ret_id = f.id;
    *ret_version = f.version;
    return 0;
}

const struct rtattr *
ra_nl_attr_find(const struct rtattr *a, int len, uint16_t type)
{
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if ((a->rta_type & NLA_TYPE_MASK) == type) {
            return a;
        }
    }
    return NULL;
}
