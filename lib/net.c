/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rtnetlink, ARP, neighbour advertisements and network namespaces, in
 * process (see net.h).  Requests are small fixed buffers built here; replies
 * are read with poll() under the caller's deadline.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addrlabel.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"
#include "nl.h"
#include "str.h"

#ifndef NETLINK_EXT_ACK
# define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_GET_STRICT_CHK
# define NETLINK_GET_STRICT_CHK 12
#endif
#ifndef RTM_F_FIB_MATCH
# define RTM_F_FIB_MATCH 0x2000
#endif

/* RFC 2863 operational states, as IFLA_OPERSTATE reports them (linux/if.h
 * has them too, but cannot be included beside net/if.h) */
#define OPER_UNKNOWN 0
#define OPER_UP      6

/* ------------------------------------------------------------ addresses */

static size_t
ip_len(const struct ra_ip *ip)
{
    return ip->family == AF_INET ? 4 : 16;
}

static unsigned
ip_bits(const struct ra_ip *ip)
{
    return ip->family == AF_INET ? 32 : 128;
}

const char *
ra_ip_str(const struct ra_ip *ip, char *buf, size_t cap)
{
    if (inet_ntop(ip->family, &ip->addr, buf, (socklen_t)cap) == NULL) {
        ra_format_cut(buf, cap, "?");
    }
    return buf;
}

bool
ra_ip_in_prefix(const struct ra_ip *ip, const struct ra_ip *net, unsigned prefixlen)
{
    const uint8_t *a = (const uint8_t *)&ip->addr, *b = (const uint8_t *)&net->addr;
    unsigned full = prefixlen / 8, rest = prefixlen % 8;

    if (ip->family != net->family || prefixlen > ip_bits(ip)) {
        return false;
    }
    if (memcmp(a, b, full) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    return ((a[full] ^ b[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

int
ra_ip_broadcast(const struct ra_ip *ip, unsigned prefixlen, struct ra_ip *ret)
{
    uint32_t host, mask;

    if (ip->family != AF_INET || prefixlen >= 31) {
        return -EINVAL;
    }
    mask = prefixlen == 0 ? 0 : 0xffffffffu << (32 - prefixlen);
    host = ntohl(ip->addr.v4.s_addr);
    *ret = *ip;
    ret->addr.v4.s_addr = htonl(host | ~mask);
    return 0;
}

/* ------------------------------------------------------------ links */

static int
link_cb(const struct nlmsghdr *h, void *data)
{
    struct ra_link *link = data;
    const struct ifinfomsg *ifi = NLMSG_DATA(h);
    int len = (int)IFLA_PAYLOAD(h);

    if (h->nlmsg_type != RTM_NEWLINK) {
        return 0;
    }
    memset(link, 0, sizeof(*link));
    link->ifindex = ifi->ifi_index;
    link->flags = ifi->ifi_flags;
    link->type = ifi->ifi_type;
    for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        size_t plen = RTA_PAYLOAD(a);

        switch (a->rta_type) {
        case IFLA_IFNAME:
            ra_format_cut(link->name, sizeof(link->name), "%.*s", (int)plen,
                          (const char *)RTA_DATA(a));
            break;
        case IFLA_OPERSTATE:
            link->operstate = *(const uint8_t *)RTA_DATA(a);
            break;
        case IFLA_ADDRESS:
            if (plen <= sizeof(link->hwaddr)) {
                memcpy(link->hwaddr, RTA_DATA(a), plen);
                link->hwaddr_len = plen;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

static int
link_get(struct ra_nl *nl, int ifindex, const char *name, struct ra_link *ret)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifinfomsg *ifi = ra_nl_req_init(&req, buf, sizeof(buf), RTM_GETLINK, 0, sizeof(*ifi));
    struct ra_link link = { .ifindex = 0 };
    int r;

    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    if (name != NULL) {
        if (strlen(name) >= IFNAMSIZ) {
            return -ENODEV;
        }
        r = ra_nl_req_attr(&req, IFLA_IFNAME, name, strlen(name) + 1);
        if (r < 0) {
            return r;
        }
    }
    r = ra_nl_talk(nl, &req, link_cb, &link);
    if (r == -ENODEV || (r == 0 && link.ifindex == 0)) {
        return -ENODEV;
    }
    if (r < 0) {
        return r;
    }
    *ret = link;
    return 0;
}

int
ra_net_link_by_name(struct ra_nl *nl, const char *name, struct ra_link *ret)
{
    return link_get(nl, 0, name, ret);
}

int
ra_net_link_by_index(struct ra_nl *nl, int ifindex, struct ra_link *ret)
{
    return link_get(nl, ifindex, NULL, ret);
}

bool
ra_link_is_up(const struct ra_link *link)
{
    if (!(link->flags & IFF_UP)) {
        return false;
    }
    /* unknown: drivers that do not report (loopback, some virtual links) */
    return link->operstate == OPER_UP || link->operstate == OPER_UNKNOWN;
}

int
ra_net_link_set_up(struct ra_nl *nl, int ifindex)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifinfomsg *ifi = ra_nl_req_init(&req, buf, sizeof(buf), RTM_NEWLINK, 0, sizeof(*ifi));

    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return ra_nl_talk(nl, &req, NULL, NULL);
}

/* ------------------------------------------------------------ routes */

struct route_hit {
    int ifindex;
    unsigned char type;
    unsigned char dst_len;
};

static int
route_get_cb(const struct nlmsghdr *h, void *data)
{
    struct route_hit *hit = data;
    const struct rtmsg *rtm = NLMSG_DATA(h);
    int len = (int)RTM_PAYLOAD(h);

    if (h->nlmsg_type != RTM_NEWROUTE) {
        return 0;
    }
    hit->type = rtm->rtm_type;
    hit->dst_len = rtm->rtm_dst_len;
    for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == RTA_OIF) {
            hit->ifindex = *(const int *)RTA_DATA(a);
        }
    }
    return 0;
}

int
ra_net_local_lookup(struct ra_nl *nl, const struct ra_ip *ip, int *ret_ifindex)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct rtmsg *rtm = ra_nl_req_init(&req, buf, sizeof(buf), RTM_GETROUTE, 0, sizeof(*rtm));
    struct route_hit hit = { 0 };
    int r;

    rtm->rtm_family = (unsigned char)ip->family;
    rtm->rtm_dst_len = (unsigned char)ip_bits(ip);
    rtm->rtm_flags = RTM_F_FIB_MATCH;
    r = ra_nl_req_attr(&req, RTA_DST, &ip->addr, ip_len(ip));
    if (r < 0) {
        return r;
    }
    r = ra_nl_talk(nl, &req, route_get_cb, &hit);
    if (r == -ENETUNREACH || r == -EHOSTUNREACH || r == -ENOENT) {
        return -ENOENT;
    }
    if (r < 0) {
        return r;
    }
    /* exactly this address: a local route for a whole prefix (127.0.0.0/8) is not one */
    if (hit.type != RTN_LOCAL || hit.ifindex <= 0 || hit.dst_len != ip_bits(ip)) {
        return -ENOENT;
    }
    *ret_ifindex = hit.ifindex;
    return 0;
}

struct connected {
    const struct ra_ip *ip;
    int only_ifindex;
    int best_ifindex;
    int best_len;
};

static int
connected_cb(const struct nlmsghdr *h, void *data)
{
    struct connected *c = data;
    const struct rtmsg *rtm = NLMSG_DATA(h);
    int len = (int)RTM_PAYLOAD(h);
    struct ra_ip dst = { .family = c->ip->family };
    unsigned table = rtm->rtm_table;
    int oif = 0;
    bool has_dst = false, gateway = false;

    if (h->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != c->ip->family ||
        rtm->rtm_type != RTN_UNICAST || rtm->rtm_dst_len == 0) {
        return 0;
    }
    for (const struct rtattr *a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        switch (a->rta_type) {
        case RTA_DST:
            if (RTA_PAYLOAD(a) == ip_len(c->ip)) {
                memcpy(&dst.addr, RTA_DATA(a), ip_len(c->ip));
                has_dst = true;
            }
            break;
        case RTA_OIF:
            oif = *(const int *)RTA_DATA(a);
            break;
        case RTA_GATEWAY:
        case RTA_MULTIPATH:
            gateway = true;
            break;
        case RTA_TABLE:
            table = *(const unsigned *)RTA_DATA(a);
            break;
        default:
            break;
        }
    }
    if (table != RT_TABLE_MAIN || !has_dst || gateway || oif <= 0) {
        return 0;
    }
    /* findif: IPv4 wants the subnet on the link itself */
    if (c->ip->family == AF_INET && rtm->rtm_scope != RT_SCOPE_LINK) {
        return 0;
    }
    if (c->only_ifindex > 0 && oif != c->only_ifindex) {
        return 0;
    }
    if (ra_ip_in_prefix(c->ip, &dst, rtm->rtm_dst_len) && rtm->rtm_dst_len > c->best_len) {
        c->best_len = rtm->rtm_dst_len;
        c->best_ifindex = oif;
    }
    return 0;
}

int
ra_net_connected_route(struct ra_nl *nl, const struct ra_ip *ip, int only_ifindex, int *ret_ifindex,
                       unsigned *ret_prefixlen)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct rtmsg *rtm =
        ra_nl_req_init(&req, buf, sizeof(buf), RTM_GETROUTE, NLM_F_DUMP, sizeof(*rtm));
    struct connected c = { .ip = ip, .only_ifindex = only_ifindex, .best_len = -1 };
    int r;

    rtm->rtm_family = (unsigned char)ip->family;
    rtm->rtm_table = RT_TABLE_MAIN;
    r = ra_nl_talk(nl, &req, connected_cb, &c);
    if (r < 0) {
        return r;
    }
    if (c.best_len < 0) {
        return -ENOENT;
    }
    *ret_ifindex = c.best_ifindex;
    *ret_prefixlen = (unsigned)c.best_len;
    return 0;
}

/* ------------------------------------------------------------ addresses */

struct addr_find {
    const struct ra_ip *ip;
    int ifindex;
    struct ra_addr *ret;
    bool found;
};

static int
addr_cb(const struct nlmsghdr *h, void *data)
{
    struct addr_find *f = data;
    const struct ifaddrmsg *ifa = NLMSG_DATA(h);
    int len = (int)IFA_PAYLOAD(h);
    const void *local = NULL, *address = NULL;
    struct ra_addr a = { .ifindex = (int)ifa->ifa_index,
                         .prefixlen = ifa->ifa_prefixlen,
                         .flags = ifa->ifa_flags };

    if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != f->ip->family ||
        (int)ifa->ifa_index != f->ifindex) {
        return 0;
    }
    for (const struct rtattr *r = IFA_RTA(ifa); RTA_OK(r, len); r = RTA_NEXT(r, len)) {
        switch (r->rta_type) {
        case IFA_LOCAL:
            local = RTA_DATA(r);
            break;
        case IFA_ADDRESS:
            address = RTA_DATA(r);
            break;
        case IFA_FLAGS:
            a.flags = *(const uint32_t *)RTA_DATA(r);
            break;
        case IFA_LABEL:
            ra_format_cut(a.label, sizeof(a.label), "%.*s", (int)RTA_PAYLOAD(r),
                          (const char *)RTA_DATA(r));
            break;
        default:
            break;
        }
    }
    /* IFA_LOCAL is our end (IPv4 point-to-point puts the peer in IFA_ADDRESS) */
    if (local == NULL) {
        local = address;
    }
    if (local != NULL && memcmp(local, &f->ip->addr, ip_len(f->ip)) == 0) {
        *f->ret = a;
        f->found = true;
    }
    return 0;
}

int
ra_net_addr_get(struct ra_nl *nl, int ifindex, const struct ra_ip *ip, struct ra_addr *ret)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifaddrmsg *ifa =
        ra_nl_req_init(&req, buf, sizeof(buf), RTM_GETADDR, NLM_F_DUMP, sizeof(*ifa));
    struct ra_addr found;
    struct addr_find f = { .ip = ip, .ifindex = ifindex, .ret = &found };
    int r;

    ifa->ifa_family = (unsigned char)ip->family;
    ifa->ifa_index = (unsigned)ifindex; /* the kernel filters on it (strict checking) */
    r = ra_nl_talk(nl, &req, addr_cb, &f);
    if (r < 0) {
        return r;
    }
    if (!f.found) {
        return -ENOENT;
    }
    *ret = found;
    return 0;
}

int
ra_net_addr_add(struct ra_nl *nl, const struct ra_addr_req *q)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifaddrmsg *ifa = ra_nl_req_init(&req, buf, sizeof(buf), RTM_NEWADDR,
                                           NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
    uint32_t flags = 0;
    int r;

    ifa->ifa_family = (unsigned char)q->ip.family;
    ifa->ifa_prefixlen = (unsigned char)q->prefixlen;
    ifa->ifa_index = (unsigned)q->ifindex;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    if (q->ip.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&q->ip.addr.v6)) {
        ifa->ifa_scope = RT_SCOPE_LINK;
    }
    /* 127.0.0.0/8 is host scope, as ip(8) makes it (the kernel refuses anything wider) */
    if (q->ip.family == AF_INET && (ntohl(q->ip.addr.v4.s_addr) >> 24) == 127) {
        ifa->ifa_scope = RT_SCOPE_HOST;
    }
    if (q->nodad) {
        flags |= IFA_F_NODAD;
    }
    if (q->noprefixroute) {
        flags |= IFA_F_NOPREFIXROUTE;
    }
    ifa->ifa_flags = (unsigned char)(flags & 0xff);
    r = ra_nl_req_attr(&req, IFA_LOCAL, &q->ip.addr, ip_len(&q->ip));
    if (r == 0) {
        r = ra_nl_req_attr(&req, IFA_ADDRESS, &q->ip.addr, ip_len(&q->ip));
    }
    if (r == 0 && flags != 0) {
        r = ra_nl_req_attr(&req, IFA_FLAGS, &flags, sizeof(flags));
    }
    if (r == 0 && q->broadcast != NULL && q->ip.family == AF_INET) {
        r = ra_nl_req_attr(&req, IFA_BROADCAST, &q->broadcast->addr.v4, 4);
    }
    if (r == 0 && q->label != NULL && *q->label != '\0' && q->ip.family == AF_INET) {
        r = ra_nl_req_attr(&req, IFA_LABEL, q->label, strlen(q->label) + 1);
    }
    if (r == 0 && q->preferred_lft != RA_LFT_FOREVER) {
        struct ifa_cacheinfo ci = { .ifa_prefered = q->preferred_lft, .ifa_valid = RA_LFT_FOREVER };

        r = ra_nl_req_attr(&req, IFA_CACHEINFO, &ci, sizeof(ci));
    }
    if (r < 0) {
        return r;
    }
    return ra_nl_talk(nl, &req, NULL, NULL);
}

int
ra_net_addr_del(struct ra_nl *nl, int ifindex, const struct ra_ip *ip, unsigned prefixlen)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifaddrmsg *ifa = ra_nl_req_init(&req, buf, sizeof(buf), RTM_DELADDR, 0, sizeof(*ifa));
    int r;

    ifa->ifa_family = (unsigned char)ip->family;
    ifa->ifa_prefixlen = (unsigned char)prefixlen;
    ifa->ifa_index = (unsigned)ifindex;
    r = ra_nl_req_attr(&req, IFA_LOCAL, &ip->addr, ip_len(ip));
    if (r < 0) {
        return r;
    }
    return ra_nl_talk(nl, &req, NULL, NULL);
}

int
ra_net_wait_dad(struct ra_nl *nl, int ifindex, const struct ra_ip *ip)
{
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_IPV6_IFADDR };
    int ev = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
    int r;

    /* without the event socket we still poll, only less promptly */
    if (ev >= 0 && bind(ev, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(ev);
        ev = -1;
    }
    for (;;) {
        struct ra_addr a;
        struct pollfd pfd = { .fd = ev, .events = POLLIN };
        uint64_t left, wait_ms = 200;
        char drain[4096];
        int where = 0;

        r = ra_net_addr_get(nl, ifindex, ip, &a);
        if (r < 0) {
            break;
        }
        if (a.flags & IFA_F_DADFAILED) {
            r = -EADDRINUSE;
            break;
        }
        if (!(a.flags & IFA_F_TENTATIVE)) {
            if (ra_net_local_lookup(nl, ip, &where) == 0 && where == ifindex) {
                r = 0;
                break;
            }
            /* the local route follows within moments: look again soon */
            wait_ms = 10;
        }
        left = ra_deadline_left_ms(nl->deadline);
        if (left == 0) {
            r = -ETIME;
            break;
        }
        /* wake on an address event, or look again after wait_ms */
        if (poll(&pfd, ev >= 0 ? 1 : 0, (int)(left < wait_ms ? left : wait_ms)) > 0) {
            while (recv(ev, drain, sizeof(drain), 0) > 0) {
            }
        }
    }
    if (ev >= 0) {
        close(ev);
    }
    return r;
}

int
ra_net_addrlabel(struct ra_nl *nl, const struct ra_ip *ip, uint32_t label, bool add)
{
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct ifaddrlblmsg *m =
        ra_nl_req_init(&req, buf, sizeof(buf), add ? RTM_NEWADDRLABEL : RTM_DELADDRLABEL,
                       add ? NLM_F_CREATE | NLM_F_REPLACE : 0, sizeof(*m));
    int r;

    if (ip->family != AF_INET6) {
        return -EAFNOSUPPORT;
    }
    m->ifal_family = AF_INET6;
    m->ifal_prefixlen = 128;
    r = ra_nl_req_attr(&req, IFAL_ADDRESS, &ip->addr.v6, 16);
    if (r == 0) {
        r = ra_nl_req_attr(&req, IFAL_LABEL, &label, sizeof(label));
    }
    return r < 0 ? r : ra_nl_talk(nl, &req, NULL, NULL);
}

/* ------------------------------------------------------------ ARP and NA */

struct arp_eth_ipv4 {
    struct arphdr h;
    uint8_t sha[ETH_ALEN];
    uint8_t sip[4];
    uint8_t tha[ETH_ALEN];
    uint8_t tip[4];
} __attribute__((packed));

static int
arp_socket(const struct ra_link *link, struct sockaddr_ll *ret_to)
{
    int fd;
    struct sockaddr_ll sll = { .sll_family = AF_PACKET,
                               .sll_protocol = htons(ETH_P_ARP),
                               .sll_ifindex = link->ifindex };

    if (link->type != ARPHRD_ETHER || link->hwaddr_len != ETH_ALEN) {
        return -EAFNOSUPPORT;
    }
    /*
     * Protocol 0 here and ETH_P_ARP at bind: a packet socket made with a
     * protocol is hooked on every interface at once, and binding it to one
     * then unhooks it first, which waits for an RCU grace period (10-20 ms).
     */
    fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        int r = -errno;

        close(fd);
        return r;
    }
    sll.sll_halen = ETH_ALEN;
    memset(sll.sll_addr, 0xff, ETH_ALEN);
    *ret_to = sll;
    return fd;
}

static void
arp_fill(struct arp_eth_ipv4 *p, const struct ra_link *link, const void *sip, const void *tip)
{
    memset(p, 0, sizeof(*p));
    p->h.ar_hrd = htons(ARPHRD_ETHER);
    p->h.ar_pro = htons(ETH_P_IP);
    p->h.ar_hln = ETH_ALEN;
    p->h.ar_pln = 4;
    p->h.ar_op = htons(ARPOP_REQUEST);
    memcpy(p->sha, link->hwaddr, ETH_ALEN);
    memcpy(p->sip, sip, 4);
    memcpy(p->tip, tip, 4);
}

int
ra_net_send_garp(const struct ra_link *link, const struct ra_ip *ip)
{
    struct sockaddr_ll to;
    struct arp_eth_ipv4 p;
    int fd, r = 0;

    if (ip->family != AF_INET) {
        return -EAFNOSUPPORT;
    }
    fd = arp_socket(link, &to);
    if (fd < 0) {
        return fd;
    }
    /* gratuitous: the sender and the target are both the address itself */
    arp_fill(&p, link, &ip->addr.v4, &ip->addr.v4);
    if (sendto(fd, &p, sizeof(p), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
        r = -errno;
    }
    close(fd);
    return r;
}

int
ra_net_arp_probe(const struct ra_link *link, const struct ra_ip *ip, unsigned probes,
                 uint64_t wait_ms, const struct ra_deadline *deadline, uint8_t *ret_mac)
{
    static const uint8_t zero[4] = { 0 };
    struct sockaddr_ll to;
    struct arp_eth_ipv4 probe;
    uint64_t start = ra_now_ms(), gap, next_send;
    unsigned sent = 0;
    int fd, r = 0;

    if (ip->family != AF_INET) {
        return -EAFNOSUPPORT;
    }
    fd = arp_socket(link, &to);
    if (fd < 0) {
        return fd;
    }
    if (probes == 0) {
        probes = 1;
    }
    gap = wait_ms / probes;
    next_send = start;
    arp_fill(&probe, link, zero, &ip->addr.v4);
    for (;;) {
        uint64_t now = ra_now_ms(), until;
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int p;

        if (now - start >= wait_ms || ra_deadline_expired(deadline)) {
            break;
        }
        if (sent < probes && now >= next_send) {
            if (sendto(fd, &probe, sizeof(probe), 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
                r = -errno;
                break;
            }
            sent++;
            next_send = now + gap;
        }
        until = sent < probes ? next_send : start + wait_ms;
        if (until > now + ra_deadline_left_ms(deadline)) {
            until = now + ra_deadline_left_ms(deadline);
        }
        p = poll(&pfd, 1, (int)(until > now ? until - now : 0));
        if (p > 0) {
            struct arp_eth_ipv4 in;
            struct sockaddr_ll from;
            socklen_t flen = sizeof(from);
            ssize_t n = recvfrom(fd, &in, sizeof(in), 0, (struct sockaddr *)&from, &flen);

            if (n < (ssize_t)sizeof(in) || from.sll_pkttype == PACKET_OUTGOING ||
                in.h.ar_pro != htons(ETH_P_IP) || in.h.ar_hln != ETH_ALEN || in.h.ar_pln != 4) {
                continue;
            }
            /* someone speaks for the address: as its owner, or probing for it as we do */
            if (memcmp(in.sha, link->hwaddr, ETH_ALEN) != 0 &&
                (memcmp(in.sip, &ip->addr.v4, 4) == 0 ||
                 (memcmp(in.sip, zero, 4) == 0 && memcmp(in.tip, &ip->addr.v4, 4) == 0 &&
                  in.h.ar_op == htons(ARPOP_REQUEST)))) {
                if (ret_mac != NULL) {
                    memcpy(ret_mac, in.sha, ETH_ALEN);
                }
                r = 1;
                break;
            }
        }
    }
    close(fd);
    return r;
}

int
ra_net_send_unsolicited_na(const struct ra_link *link, const struct ra_ip *ip)
{
    struct {
        struct nd_neighbor_advert na;
        struct nd_opt_hdr opt;
        uint8_t mac[ETH_ALEN];
    } __attribute__((packed)) pkt;
    struct sockaddr_in6 src = { .sin6_family = AF_INET6 }, dst = { .sin6_family = AF_INET6 };
    int hops = 255, fd, r = 0;

    if (ip->family != AF_INET6 || link->hwaddr_len != ETH_ALEN) {
        return -EAFNOSUPPORT;
    }
    fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    if (fd < 0) {
        return -errno;
    }
    src.sin6_addr = ip->addr.v6;
    src.sin6_scope_id = IN6_IS_ADDR_LINKLOCAL(&ip->addr.v6) ? (uint32_t)link->ifindex : 0;
    /* RFC 4861: neighbour discovery packets carry hop limit 255 */
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
        setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &link->ifindex, sizeof(link->ifindex)) <
            0 ||
        bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0) {
        r = -errno;
        goto out;
    }
    memset(&pkt, 0, sizeof(pkt));
    pkt.na.nd_na_type = ND_NEIGHBOR_ADVERT;
    pkt.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE; /* the kernel fills the checksum */
    pkt.na.nd_na_target = ip->addr.v6;
    pkt.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
    pkt.opt.nd_opt_len = 1; /* in units of 8 bytes */
    memcpy(pkt.mac, link->hwaddr, ETH_ALEN);
    inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
    dst.sin6_scope_id = (uint32_t)link->ifindex;
    if (sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
        r = -errno;
    }
out:
    close(fd);
    return r;
}

/* ------------------------------------------------------------ namespaces */

int
ra_netns_enter(const char *name)
{
    char path[256];
    int fd, r = 0;

    if (name == NULL || *name == '\0' || strchr(name, '/') != NULL || strcmp(name, ".") == 0 ||
        strcmp(name, "..") == 0) {
        return -EINVAL;
    }
    if (ra_format(path, sizeof(path), "/run/netns/%s", name) < 0) {
        return -ENAMETOOLONG;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    if (setns(fd, CLONE_NEWNET) < 0) {
        r = -errno;
    }
    close(fd);
    return r;
}
