/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Networking through the kernel's own interfaces, in-process: rtnetlink for
 * links, addresses and routes; packet sockets for gratuitous ARP and ARP
 * probes; an ICMPv6 socket for unsolicited neighbour advertisements; setns
 * for network namespaces.  No `ip`, `arping` or `send_arp` helper.
 *
 * Every function returns 0 (or a positive count) on success and a negative
 * errno on failure; netlink calls wait no longer than the deadline given to
 * ra_nl_open.  When the kernel explains a refusal (extended ack), the text
 * is kept in ra_nl.ext_msg for the caller's reason.
 */
#ifndef RA_NET_H
#define RA_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "nl.h"
#include "parse.h"

struct ra_link {
    int ifindex;
    char name[IFNAMSIZ];
    unsigned flags;      /* IFF_* */
    uint8_t operstate;   /* IF_OPER_* */
    unsigned short type; /* ARPHRD_* */
    uint8_t hwaddr[32];
    size_t hwaddr_len;
};

/* One link, asked for by name or index (not a dump).  -ENODEV if absent. */
int ra_net_link_by_name(struct ra_nl *nl, const char *name, struct ra_link *ret)
    __attribute__((warn_unused_result));
int ra_net_link_by_index(struct ra_nl *nl, int ifindex, struct ra_link *ret)
    __attribute__((warn_unused_result));

/* Administratively up, and the carrier is not known to be down. */
bool ra_link_is_up(const struct ra_link *link);

/* Set a link administratively up. */
int ra_net_link_set_up(struct ra_nl *nl, int ifindex) __attribute__((warn_unused_result));

/*
 * Is @ip one of this host's addresses, usable now?  One FIB lookup (the
 * local table's entry for exactly this address, RTM_F_FIB_MATCH), whose
 * cost does not grow with the number of addresses; a local route for a
 * whole prefix (127.0.0.0/8 on lo) is not the address.  0 and *@ret_ifindex set
 * to the interface holding it, or -ENOENT.  A tentative IPv6 address (DAD
 * not finished) has no local route yet, and so is not found.
 */
int ra_net_local_lookup(struct ra_nl *nl, const struct ra_ip *ip, int *ret_ifindex)
    __attribute__((warn_unused_result));

struct ra_addr {
    int ifindex;
    unsigned prefixlen;
    uint32_t flags;       /* IFA_F_* (tentative, dadfailed, ...) */
    char label[IFNAMSIZ]; /* IPv4 label, or "" */
};

/* The address @ip on interface @ifindex (a dump of that interface only). -ENOENT if absent. */
int ra_net_addr_get(struct ra_nl *nl, int ifindex, const struct ra_ip *ip, struct ra_addr *ret)
    __attribute__((warn_unused_result));

#define RA_LFT_FOREVER 0xffffffffu

struct ra_addr_req {
    int ifindex;
    struct ra_ip ip;
    unsigned prefixlen;
    const struct ra_ip *broadcast; /* IPv4 only, or NULL */
    const char *label;             /* IPv4 only, or NULL */
    bool nodad;                    /* IPv6: skip duplicate address detection */
    bool noprefixroute;            /* do not add the prefix route */
    uint32_t preferred_lft;        /* seconds, or RA_LFT_FOREVER */
};

/* Add an address.  -EEXIST if it is already there. */
int ra_net_addr_add(struct ra_nl *nl, const struct ra_addr_req *req)
    __attribute__((warn_unused_result));

/* Delete @ip/@prefixlen from @ifindex.  -EADDRNOTAVAIL or -ENOENT if absent. */
int ra_net_addr_del(struct ra_nl *nl, int ifindex, const struct ra_ip *ip, unsigned prefixlen)
    __attribute__((warn_unused_result));

/*
 * The directly connected route (IPv4: scope link; IPv6: no gateway) in the
 * main table that covers @ip with the longest prefix, optionally only on
 * @only_ifindex (0: any).  The way findif finds a nic and netmask.  -ENOENT
 * if none.
 */
int ra_net_connected_route(struct ra_nl *nl, const struct ra_ip *ip, int only_ifindex,
                           int *ret_ifindex, unsigned *ret_prefixlen)
    __attribute__((warn_unused_result));

/*
 * Wait until IPv6 address @ip on @ifindex is usable: duplicate address
 * detection over and the kernel's local route in place (the kernel adds
 * that route from a work queue, a moment after the address, even with
 * nodad).  0 when usable, -EADDRINUSE if DAD found a duplicate, -ENOENT if
 * the address vanished, -ETIME at the deadline.
 */
int ra_net_wait_dad(struct ra_nl *nl, int ifindex, const struct ra_ip *ip)
    __attribute__((warn_unused_result));

/* Send one gratuitous ARP request for IPv4 @ip from @link's hardware address. */
int ra_net_send_garp(const struct ra_link *link, const struct ra_ip *ip)
    __attribute__((warn_unused_result));

/* Send one unsolicited neighbour advertisement (override) for IPv6 @ip to all nodes. */
int ra_net_send_unsolicited_na(const struct ra_link *link, const struct ra_ip *ip)
    __attribute__((warn_unused_result));

/*
 * Is IPv4 @ip in use by another host on @link?  Sends ARP probes (sender
 * 0.0.0.0, as RFC 5227 duplicate detection does) and listens for @wait_ms
 * (within @deadline).  1 if someone answered for @ip (its hardware address
 * in @ret_mac, 6 bytes, when not NULL), 0 if nobody did, or -errno.
 */
int ra_net_arp_probe(const struct ra_link *link, const struct ra_ip *ip, unsigned probes,
                     uint64_t wait_ms, const struct ra_deadline *deadline, uint8_t *ret_mac)
    __attribute__((warn_unused_result));

/* Add (or delete) an IPv6 address label for @ip/128 (what `ip addrlabel` does). */
int ra_net_addrlabel(struct ra_nl *nl, const struct ra_ip *ip, uint32_t label, bool add)
    __attribute__((warn_unused_result));

/* Enter the named network namespace (/run/netns/@name, as `ip netns` makes them). */
int ra_netns_enter(const char *name) __attribute__((warn_unused_result));

/* The broadcast address of @ip/@prefixlen (IPv4 with prefix < 31).  -EINVAL otherwise. */
int ra_ip_broadcast(const struct ra_ip *ip, unsigned prefixlen, struct ra_ip *ret)
    __attribute__((warn_unused_result));

/* True if @ip lies in @net/@prefixlen. */
bool ra_ip_in_prefix(const struct ra_ip *ip, const struct ra_ip *net, unsigned prefixlen);

/* Format @ip as text (inet_ntop) into @buf; returns @buf. */
const char *ra_ip_str(const struct ra_ip *ip, char *buf, size_t cap);

#endif
