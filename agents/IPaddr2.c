/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:IPaddr2 (and its older name IPaddr): a floating IPv4 or IPv6
 * address, a drop-in for ocf:heartbeat:IPaddr2 and ocf:heartbeat:IPaddr.
 *
 * Everything goes through the kernel's interfaces in-process (lib/net.c):
 * monitor is one FIB lookup for exactly this address and one link query, so
 * its cost does not depend on how many addresses the host holds; start
 * adds the address with rtnetlink, waits for IPv6 duplicate address
 * detection, and announces the address with gratuitous ARP or unsolicited
 * neighbour advertisements; stop removes only this address and checks that
 * it is gone.  No child process on any action.
 *
 * One binary, two names: run as "IPaddr" it takes that agent's parameter
 * names and defaults (ARP_REPEAT, ARP_INTERVAL_MS, ...).
 *
 * Is this address ours?  The kernel's local table holds a route for
 * exactly this address (compared as an address, never as a string), on the
 * interface named by nic, compared by interface index (an altname, or a
 * label, names the same interface), or, without nic, on any interface but
 * loopback (loopback itself for 127.0.0.0/8, as the anchor does).  What
 * this host answers for is never "stopped": an address on a link that is
 * down, on another interface than nic (or on a renamed nic), or an IPv6
 * address still in duplicate address detection makes monitor and probe
 * fail, so that Pacemaker stops it, and stop removes it from every one of
 * those places, succeeding only once none is left.  Only parameters that
 * say which address this is (ip, network_namespace) can make stop a no-op
 * when invalid; a bad nic, netmask, broadcast or label cannot (a nic that
 * does not parse is looked past: the address is sought everywhere).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "net.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

static bool
valid_netmask(const char *v, const char **why)
{
    long long n = 0;
    struct ra_ip m;

    if (ra_parse_int(v, 0, 128, &n) == 0) {
        return true;
    }
    if (ra_parse_ip(v, &m) == 0 && m.family == AF_INET) {
        uint32_t x = ntohl(m.addr.v4.s_addr);

        if ((x & (~x >> 1)) == 0 || x == 0xffffffffu || (~x & (~x + 1)) == 0) {
            return true; /* contiguous ones, then zeros */
        }
    }
    *why = "must be a prefix length (such as 24) or a contiguous netmask";
    return false;
}

static bool
valid_nic(const char *v, const char **why)
{
    for (const char *p = v; *p != '\0'; p++) {
        if (*p == '/' || *p == ' ' || *p == '\t') {
            *why = "is not an interface name";
            return false;
        }
    }
    if (strlen(v) >= 2 * IFNAMSIZ) {
        *why = "is too long for an interface name";
        return false;
    }
    return true;
}

static bool
valid_broadcast(const char *v, const char **why)
{
    struct ra_ip b;

    if (strcmp(v, "+") == 0 || strcmp(v, "-") == 0 ||
        (ra_parse_ip(v, &b) == 0 && b.family == AF_INET)) {
        return true;
    }
    *why = "must be an IPv4 address, + (computed) or - (none)";
    return false;
}

static bool
valid_lft(const char *v, const char **why)
{
    long long n = 0;

    if (strcmp(v, "forever") == 0 || ra_parse_int(v, 0, 0xfffffffe, &n) == 0) {
        return true;
    }
    *why = "must be a number of seconds or forever";
    return false;
}

static const char *const arp_senders[] = { "send_arp", "ipoibarping", "iputils_arping",
                                           "libnet_arping", NULL };
static const char *const clusterip_hashes[] = { "sourceip", "sourceip-sourceport",
                                                "sourceip-sourceport-destport", NULL };

/* The descriptions both names share: written once. */
#define P_IP                                                                               \
 {                                                                                         \
  .name = "ip", .type = RA_T_IPADDR, .flags = RA_P_REQUIRED | RA_P_UNIQUE | RA_P_IDENTITY, \
  .ocf_type = "string", .shortdesc = "IPv4 or IPv6 address",                               \
  .longdesc = "The floating address, such as 192.168.1.10 or 2001:db8::10. Clients "       \
              "follow it from node to node."                                               \
 }
#define P_CIDR(shown_type)                                                                     \
 {                                                                                             \
  .name = "cidr_netmask", .type = RA_T_STRING, .valid = valid_netmask, .ocf_type = shown_type, \
  .shortdesc = "CIDR netmask",                                                                 \
  .longdesc = "The prefix length of the address (24 for a /24). A dotted netmask is "          \
              "accepted too. When not set, it is taken from the connected route that "         \
              "covers the address."                                                            \
 }
#define P_BROADCAST                                                                      \
 {                                                                                       \
  .name = "broadcast", .type = RA_T_STRING, .valid = valid_broadcast,                    \
  .shortdesc = "Broadcast address",                                                      \
  .longdesc = "The IPv4 broadcast address. When not set (or +) it is computed from the " \
              "address and prefix; - sets none."                                         \
 }
#define P_IFLABEL                                                                     \
 {                                                                                    \
  .name = "iflabel", .type = RA_T_STRING, .shortdesc = "Interface label",             \
  .longdesc = "A label for an IPv4 address, shown by ip(8) as nic:label (at most 15 " \
              "characters together)."                                                 \
 }
#define P_LVS                                                                            \
 {                                                                                       \
  .name = "lvs_support", .type = RA_T_BOOLEAN, .def = "false",                           \
  .shortdesc = "Enable support for LVS direct routing",                                  \
  .longdesc = "On an LVS director that is also a real server, the address lives on the " \
              "loopback interface while the node does not own it. With this set, start " \
              "moves it from loopback to the interface and stop moves it back."          \
 }

static const struct ra_param ipaddr2_params[] = {
    P_IP,
    { .name = "nic",
      .type = RA_T_STRING,
      .valid = valid_nic,
      .shortdesc = "Network interface",
      .longdesc = "The interface that carries the address. When not set, it is the interface "
                  "of the connected route that covers the address (required for IPv6 "
                  "link-local addresses). nic:label is accepted as nic plus iflabel." },
    P_CIDR("string"),
    P_BROADCAST,
    P_IFLABEL,
    P_LVS,
    { .name = "lvs_ipv6_addrlabel",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Add an IPv6 address label",
      .longdesc = "Give the IPv6 address its own address label (lvs_ipv6_addrlabel_value), so "
                  "that source address selection does not pick it for outgoing traffic." },
    { .name = "lvs_ipv6_addrlabel_value",
      .type = RA_T_INTEGER,
      .def = "99",
      .min = 0,
      .max = 4294967294LL,
      .shortdesc = "IPv6 address label value",
      .longdesc = "The label used with lvs_ipv6_addrlabel." },
    { .name = "mac",
      .type = RA_T_STRING,
      .shortdesc = "Cluster IP MAC address",
      .longdesc = "For the CLUSTERIP clone mode, which Linux no longer has (the kernel removed "
                  "it in 2023): accepted for compatibility, not used." },
    { .name = "clusterip_hash",
      .type = RA_T_ENUM,
      .values = clusterip_hashes,
      .def = "sourceip-sourceport",
      .ocf_type = "string",
      .shortdesc = "Cluster IP hashing function",
      .longdesc = "For the CLUSTERIP clone mode, which Linux no longer has: accepted for "
                  "compatibility, not used." },
    { .name = "unique_clone_address",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "A distinct address for each clone instance",
      .longdesc = "In a globally unique clone, add the clone number to the last octet of the "
                  "IPv4 address, so each instance manages an address of its own." },
    { .name = "arp_interval",
      .type = RA_T_INTEGER,
      .def = "200",
      .min = 1,
      .max = 60000,
      .shortdesc = "Interval between announcements, in ms",
      .longdesc = "Milliseconds between the gratuitous ARPs (IPv4) or unsolicited neighbour "
                  "advertisements (IPv6) sent when the address comes up." },
    { .name = "arp_count",
      .type = RA_T_INTEGER,
      .def = "5",
      .min = 1,
      .max = 1000,
      .shortdesc = "Announcements sent on start",
      .longdesc = "How many gratuitous ARPs or neighbour advertisements start sends, so that "
                  "switches and neighbours learn where the address now lives." },
    { .name = "arp_count_refresh",
      .type = RA_T_INTEGER,
      .def = "0",
      .min = 0,
      .max = 1000,
      .shortdesc = "Gratuitous ARPs sent on each monitor",
      .longdesc = "IPv4: how many gratuitous ARPs each monitor sends, to keep neighbours' "
                  "caches fresh. 0 sends none." },
    { .name = "arp_bg",
      .type = RA_T_STRING,
      .shortdesc = "Announce in the background",
      .longdesc = "Accepted for compatibility. Announcements are sent by the agent itself "
                  "during start, without a background process." },
    { .name = "arp_sender",
      .type = RA_T_ENUM,
      .values = arp_senders,
      .ocf_type = "string",
      .shortdesc = "ARP sender",
      .longdesc = "Accepted for compatibility: the agent sends gratuitous ARPs itself, "
                  "through a packet socket, whatever this names." },
    { .name = "send_arp_opts",
      .type = RA_T_STRING,
      .shortdesc = "Options for the ARP sender",
      .longdesc = "Accepted for compatibility, not used." },
    { .name = "flush_routes",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "Flush the routing cache on stop",
      .longdesc = "After removing the address, flush the kernel's cached routes." },
    { .name = "run_arping",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Check that no other host holds the address",
      .longdesc = "IPv4: before adding the address, send ARP probes for it and refuse to start "
                  "if any other host answers." },
    { .name = "nodad",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Skip duplicate address detection",
      .longdesc = "IPv6: add the address without duplicate address detection, so that it is "
                  "usable at once." },
    { .name = "noprefixroute",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .ocf_type = "string",
      .shortdesc = "Do not add a prefix route",
      .longdesc = "Add the address without the route for its prefix." },
    { .name = "preferred_lft",
      .type = RA_T_STRING,
      .def = "forever",
      .valid = valid_lft,
      .shortdesc = "Preferred lifetime",
      .longdesc = "IPv6: the preferred lifetime in seconds, or forever. 0 keeps the address "
                  "from being chosen as a source address." },
    { .name = "network_namespace",
      .type = RA_T_STRING,
      .flags = RA_P_IDENTITY,
      .shortdesc = "Network namespace",
      .longdesc = "Manage the address inside this network namespace (a name from ip netns "
                  "list)." },
    { .name = "netmask",
      .type = RA_T_STRING,
      .valid = valid_netmask,
      .alias_of = "cidr_netmask",
      .shortdesc = "Old name of cidr_netmask",
      .longdesc = "Old name of cidr_netmask." },
};

static const struct ra_param ipaddr_params[] = {
    P_IP,
    { .name = "nic",
      .type = RA_T_STRING,
      .valid = valid_nic,
      .def = "eth0",
      .flags = RA_P_DEFAULT_DOC,
      .shortdesc = "Network interface",
      .longdesc = "The interface that carries the address. When not set, it is the interface "
                  "of the connected route that covers the address." },
    P_CIDR("string"),
    P_BROADCAST,
    P_IFLABEL,
    P_LVS,
    { .name = "local_stop_script",
      .type = RA_T_PATH,
      .shortdesc = "Script run after stop",
      .longdesc = "A program run (directly, without a shell) after the address is removed." },
    { .name = "local_start_script",
      .type = RA_T_PATH,
      .shortdesc = "Script run after start",
      .longdesc = "A program run (directly, without a shell) after the address is added." },
    { .name = "ARP_INTERVAL_MS",
      .type = RA_T_INTEGER,
      .def = "500",
      .min = 1,
      .max = 60000,
      .shortdesc = "Interval between gratuitous ARPs, in ms",
      .longdesc = "Milliseconds between the gratuitous ARPs sent on start." },
    { .name = "ARP_REPEAT",
      .type = RA_T_INTEGER,
      .def = "10",
      .min = 1,
      .max = 1000,
      .shortdesc = "Gratuitous ARPs sent on start",
      .longdesc = "How many gratuitous ARPs start sends." },
    { .name = "ARP_BACKGROUND",
      .type = RA_T_BOOLEAN,
      .def = "yes",
      .shortdesc = "Announce in the background",
      .longdesc = "Accepted for compatibility. Announcements are sent by the agent itself "
                  "during start, without a background process." },
    { .name = "ARP_NETMASK",
      .type = RA_T_STRING,
      .def = "ffffffffffff",
      .shortdesc = "Netmask for the ARP target",
      .longdesc = "Accepted for compatibility, not used." },
};

/* ------------------------------------------------------------ configuration */

struct ipconf {
    struct ra_ip ip;
    char ipstr[64];
    char nic[2 * IFNAMSIZ]; /* "" when it is to be found */
    char label[IFNAMSIZ];   /* "nic:iflabel", or "" */
    int prefix;             /* -1 when it is to be found */
    char brd_mode;          /* 'c'omputed, 'n'one, 'g'iven */
    struct ra_ip brd;
    unsigned arp_count, arp_interval_ms, arp_refresh;
    bool run_arping, nodad, noprefixroute, lvs_support, flush_routes, addrlabel;
    bool loopback; /* 127.0.0.0/8 without nic: it lives on lo */
    uint32_t addrlabel_value, preferred_lft;
    const char *start_script, *stop_script;
};

/* Parameters that only one of the two names has: absent means the default. */
static const char *
opt_str(const struct ra_ctx *ctx, const char *name)
{
    return ra_has_param(ctx, name) ? ra_str(ctx, name) : NULL;
}

static bool
opt_bool(const struct ra_ctx *ctx, const char *name)
{
    return ra_has_param(ctx, name) && ra_bool(ctx, name);
}

static long long
opt_int(const struct ra_ctx *ctx, const char *name, const char *old_name)
{
    return ra_int(ctx, ra_has_param(ctx, name) ? name : old_name);
}

/* A globally unique clone may give each instance its own address; nothing else clones. */
static int
clone_address(struct ra_ctx *ctx, struct ipconf *c)
{
    const char *max = ra_env_meta("clone_max");
    long long n = 0, clone = 0;

    if (max == NULL || ra_parse_int(max, 0, 1000000, &n) < 0 || n <= 1) {
        return OCF_SUCCESS;
    }
    if (!opt_bool(ctx, "unique_clone_address") || !ctx->env.globally_unique) {
        /* nothing of ours runs as such a clone, but an address is an address: stop removes it */
        return ra_soften(
            ctx, ra_fail(ctx, OCF_ERR_CONFIGURED,
                         "cloned IPaddr2 needs the CLUSTERIP kernel feature, which Linux removed "
                         "in 2023: not supported (use one address per instance with "
                         "globally-unique=true and unique_clone_address=true)"));
    }
    if (c->ip.family != AF_INET || ctx->env.clone == NULL ||
        ra_parse_int(ctx->env.clone, 0, 255, &clone) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "unique_clone_address works for IPv4 clone instances only");
    }
    {
        uint32_t host = ntohl(c->ip.addr.v4.s_addr);

        if ((host & 0xff) + (uint32_t)clone > 255) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED,
                           "clone %lld does not fit in the last octet of %s", clone, c->ipstr);
        }
        c->ip.addr.v4.s_addr = htonl(host + (uint32_t)clone);
        ra_ip_str(&c->ip, c->ipstr, sizeof(c->ipstr));
    }
    return OCF_SUCCESS;
}

static int
load_netmask(struct ra_ctx *ctx, struct ipconf *c)
{
    const char *mask = ra_str(ctx, "cidr_netmask");
    unsigned bits = c->ip.family == AF_INET ? 32 : 128;
    long long n = 0;
    struct ra_ip m;

    c->prefix = -1;
    if (mask == NULL) {
        return OCF_SUCCESS;
    }
    if (ra_parse_int(mask, 0, 128, &n) == 0) {
        if (n < 1 || n > (long long)bits) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED,
                           "cidr_netmask %lld is out of range for %s (1 to %u)", n, c->ipstr, bits);
        }
        c->prefix = (int)n;
        return OCF_SUCCESS;
    }
    if (c->ip.family != AF_INET || ra_parse_ip(mask, &m) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "cidr_netmask '%s' does not fit %s", mask,
                       c->ipstr);
    }
    /* a dotted netmask, already checked to be contiguous */
    c->prefix = __builtin_popcount(m.addr.v4.s_addr);
    ra_warn(ctx, "cidr_netmask %s is a dotted netmask, using /%d", mask, c->prefix);
    return c->prefix == 0 ? ra_fail(ctx, OCF_ERR_CONFIGURED, "cidr_netmask must not be 0")
                          : OCF_SUCCESS;
}

static int
load_nic(struct ra_ctx *ctx, struct ipconf *c)
{
    const char *nic = ra_str(ctx, "nic");
    const char *iflabel = ra_str(ctx, "iflabel");
    char *colon;

    c->nic[0] = c->label[0] = '\0';
    if (nic != NULL && ra_given(ctx, "nic")) {
        ra_format_cut(c->nic, sizeof(c->nic), "%s", nic);
    }
    colon = strchr(c->nic, ':');
    if (colon != NULL) {
        /* the old "eth0:label" spelling */
        *colon = '\0';
        if (iflabel == NULL) {
            iflabel = nic + (colon - c->nic) + 1;
        }
        ra_warn(ctx, "nic '%s' names a label: use nic=%s iflabel=%s", nic, c->nic, iflabel);
    }
    if (strlen(c->nic) >= IFNAMSIZ) {
        /* in stop and a probe: no such interface, so the address is looked for everywhere */
        int rc = ra_soften(ctx, ra_fail(ctx, OCF_ERR_CONFIGURED,
                                        "nic '%s' is too long for an interface name", c->nic));

        c->nic[0] = '\0';
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    if (c->nic[0] == '\0' && c->ip.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&c->ip.addr.v6)) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "a link-local address (%s) needs nic", c->ipstr);
    }
    if (iflabel != NULL && *iflabel != '\0') {
        if (c->ip.family != AF_INET) {
            ra_warn(ctx, "iflabel applies to IPv4 addresses only, ignoring");
        } else if (c->nic[0] == '\0') {
            return ra_soften(ctx, ra_fail(ctx, OCF_ERR_CONFIGURED, "iflabel needs nic"));
        } else if (ra_format(c->label, sizeof(c->label), "%s:%s", c->nic, iflabel) < 0) {
            c->label[0] = '\0';
            return ra_soften(ctx, ra_fail(ctx, OCF_ERR_CONFIGURED,
                                          "label '%s:%s' is longer than 15 characters", c->nic,
                                          iflabel));
        }
    }
    return OCF_SUCCESS;
}

static int
ipaddr_validate(struct ra_ctx *ctx)
{
    struct ipconf *c = ctx->data;
    const char *ns = opt_str(ctx, "network_namespace");
    const char *brd = ra_str(ctx, "broadcast");
    const char *lft = opt_str(ctx, "preferred_lft");
    long long n = 0;
    int rc, r;

    if (ns != NULL && *ns != '\0') {
        r = ra_netns_enter(ns);
        /* only a namespace that does not exist proves that nothing can run in it */
        if (r < 0) {
            return ra_fail(ctx, r == -ENOENT ? OCF_ERR_ARGS : OCF_ERR_GENERIC,
                           "cannot enter network namespace '%s': %s", ns, strerror(-r));
        }
    }
    c->ip = *ra_ip(ctx, "ip");
    ra_ip_str(&c->ip, c->ipstr, sizeof(c->ipstr));
    c->loopback = c->ip.family == AF_INET && (ntohl(c->ip.addr.v4.s_addr) >> 24) == 127 &&
                  !ra_given(ctx, "nic");
    /*
     * What says which address this is (ip, nic, the clone's own address) is
     * checked strictly everywhere; the rest (prefix, broadcast, label, the
     * CLUSTERIP refusal) only where something is to be configured: stop and
     * a probe must still find and remove the address (ra_soften).
     */
    rc = clone_address(ctx, c);
    if (rc == OCF_SUCCESS) {
        rc = load_netmask(ctx, c);
        if (rc != OCF_SUCCESS) {
            c->prefix = -1;
            rc = ra_soften(ctx, rc);
        }
    }
    if (rc == OCF_SUCCESS) {
        rc = load_nic(ctx, c);
    }
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    c->brd_mode = 'c';
    if (brd != NULL && strcmp(brd, "-") == 0) {
        c->brd_mode = 'n';
    } else if (brd != NULL && strcmp(brd, "+") != 0) {
        if (c->ip.family != AF_INET) {
            rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "broadcast applies to IPv4 addresses only");
        } else if (ra_parse_ip(brd, &c->brd) < 0) {
            rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "broadcast '%s' is not an address", brd);
        } else {
            c->brd_mode = 'g';
        }
        rc = ra_soften(ctx, rc);
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    c->preferred_lft = RA_LFT_FOREVER;
    if (lft != NULL && strcmp(lft, "forever") != 0 && ra_parse_int(lft, 0, 0xfffffffe, &n) == 0) {
        c->preferred_lft = (uint32_t)n;
    }
    c->arp_count = (unsigned)opt_int(ctx, "arp_count", "ARP_REPEAT");
    c->arp_interval_ms = (unsigned)opt_int(ctx, "arp_interval", "ARP_INTERVAL_MS");
    c->arp_refresh =
        ra_has_param(ctx, "arp_count_refresh") ? (unsigned)ra_int(ctx, "arp_count_refresh") : 0;
    c->run_arping = opt_bool(ctx, "run_arping");
    c->nodad = opt_bool(ctx, "nodad");
    c->noprefixroute = opt_bool(ctx, "noprefixroute");
    c->lvs_support = ra_bool(ctx, "lvs_support");
    c->flush_routes = opt_bool(ctx, "flush_routes");
    c->addrlabel = opt_bool(ctx, "lvs_ipv6_addrlabel") && c->ip.family == AF_INET6;
    c->addrlabel_value = ra_has_param(ctx, "lvs_ipv6_addrlabel_value")
                             ? (uint32_t)ra_int(ctx, "lvs_ipv6_addrlabel_value")
                             : 0;
    c->start_script = opt_str(ctx, "local_start_script");
    c->stop_script = opt_str(ctx, "local_stop_script");

    /* start and validate-all look for the interface here, as the anchor does */
    if (c->nic[0] != '\0' && (strcmp(ra_ctx_action(ctx), "start") == 0 ||
                              strcmp(ra_ctx_action(ctx), "validate-all") == 0)) {
        if (if_nametoindex(c->nic) == 0) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "interface '%s' does not exist", c->nic);
        }
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ helpers */

static int
nl_fail(struct ra_ctx *ctx, const struct ra_nl *nl, int r, const char *what)
{
    int rc = (r == -EPERM || r == -EACCES) ? OCF_ERR_PERM : OCF_ERR_GENERIC;

    if (nl->ext_msg[0] != '\0') {
        return ra_fail(ctx, rc, "%s: %s (%s)", what, strerror(-r), nl->ext_msg);
    }
    return ra_fail(ctx, rc, "%s: %s", what, strerror(-r));
}

/* Where the address is on this host now. */
enum place {
    P_NONE,      /* nowhere (loopback aside, unless it lives there) */
    P_OURS,      /* a usable local address on our interface */
    P_ELSEWHERE, /* usable, but on another interface than nic */
    P_UNUSABLE,  /* configured but not usable: IPv6 tentative, or failed DAD */
};

/*
 * Find the address: one FIB lookup for exactly this address and one link
 * query, whatever else the host holds; the interface named by nic is
 * compared by index (names, altnames alike).  Without a usable address, an
 * IPv6 one still in DAD, or failed, is looked for on nic (or the connected
 * route's interface).  *@nic_gone says nic names no interface now.  The
 * place, or -1 (an OCF error, with a reason).
 */
static int
locate_addr(struct ra_ctx *ctx, struct ra_nl *nl, struct ra_link *ret, bool *nic_gone)
{
    const struct ipconf *c = ctx->data;
    int ifindex = 0, nic_index = 0;
    unsigned plen = 0;
    struct ra_addr a;
    int r;

    *nic_gone = false;
    if (c->nic[0] != '\0') {
        nic_index = (int)if_nametoindex(c->nic);
        *nic_gone = nic_index <= 0;
    }
    r = ra_net_local_lookup(nl, &c->ip, &ifindex);
    if (r < 0 && r != -ENOENT) {
        nl_fail(ctx, nl, r, "cannot look up the address");
        return -1;
    }
    if (r == 0) {
        r = ra_net_link_by_index(nl, ifindex, ret);
        if (r < 0) {
            nl_fail(ctx, nl, r, "cannot query the interface");
            return -1;
        }
        if (c->nic[0] != '\0' ? ret->ifindex == nic_index
                              : ((ret->flags & IFF_LOOPBACK) != 0) == c->loopback) {
            return P_OURS;
        }
        /* on loopback, an LVS real server's (or lo's own) business, unless it lives there */
        if (!(ret->flags & IFF_LOOPBACK) || c->loopback) {
            return P_ELSEWHERE;
        }
    }
    if (c->ip.family != AF_INET6) {
        return P_NONE;
    }
    ifindex = nic_index;
    if (ifindex <= 0 &&
        (c->nic[0] != '\0' || ra_net_connected_route(nl, &c->ip, 0, &ifindex, &plen) < 0)) {
        return P_NONE;
    }
    if (ra_net_addr_get(nl, ifindex, &c->ip, &a) < 0 ||
        ra_net_link_by_index(nl, ifindex, ret) < 0) {
        return P_NONE;
    }
    return P_UNUSABLE;
}

/* 1 if the address is usable on our interface (*ret filled), 0 if not, -1 on error. */
static int
served(struct ra_ctx *ctx, struct ra_nl *nl, struct ra_link *ret)
{
    bool gone;
    int r = locate_addr(ctx, nl, ret, &gone);

    return r < 0 ? -1 : r == P_OURS;
}

/* Send @count announcements @interval_ms apart; problems are logged, not fatal. */
static void
announce(struct ra_ctx *ctx, const struct ra_link *link, unsigned count, unsigned interval_ms)
{
    const struct ipconf *c = ctx->data;
    const char *what = c->ip.family == AF_INET ? "gratuitous ARP" : "neighbour advertisement";

    if (link->hwaddr_len != 6 || (link->flags & (IFF_LOOPBACK | IFF_NOARP))) {
        ra_debug(ctx, "%s does not use ARP: nothing to announce", link->name);
        return;
    }
    for (unsigned i = 0; i < count; i++) {
        int r = c->ip.family == AF_INET ? ra_net_send_garp(link, &c->ip)
                                        : ra_net_send_unsolicited_na(link, &c->ip);

        if (r < 0) {
            ra_warn(ctx, "cannot send %s for %s on %s: %s", what, c->ipstr, link->name,
                    strerror(-r));
            return;
        }
        if (i + 1 < count && ra_deadline_sleep(&ctx->deadline, interval_ms) < 0) {
            ra_warn(ctx, "sent %u of %u %ss before the deadline", i + 1, count, what);
            return;
        }
    }
    ra_debug(ctx, "sent %u %ss for %s on %s", count, what, c->ipstr, link->name);
}

/* Run a local start/stop script (IPaddr), without a shell, under the deadline. */
static void
run_script(struct ra_ctx *ctx, const char *path)
{
    const char *argv[] = { path, NULL };
    struct ra_cmd cmd = { .argv = argv, .deadline = &ctx->deadline };
    struct ra_run_result res;

    if (path == NULL || *path == '\0') {
        return;
    }
    if (ra_run(&cmd, &res) < 0 || !ra_run_ok(&res)) {
        ra_warn(ctx, "'%s' failed, ignoring", path);
    }
    ra_run_result_release(&res);
}

static int
lvs_state_path(const struct ipconf *c, char *buf, size_t cap)
{
    return ra_state_path(buf, cap, ra_state_dir(), "IPaddr2-lvs-", c->ipstr, "");
}

/* The interface and prefix to use: given, or from the covering connected route. */
static int
resolve(struct ra_ctx *ctx, struct ra_nl *nl, struct ra_link *link, unsigned *prefix)
{
    const struct ipconf *c = ctx->data;
    int ifindex = 0, r;
    unsigned plen = 0;

    if (c->nic[0] != '\0') {
        r = ra_net_link_by_name(nl, c->nic, link);
        if (r == -ENODEV) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "interface '%s' does not exist", c->nic);
        }
        if (r < 0) {
            return nl_fail(ctx, nl, r, "cannot query the interface");
        }
        if (c->prefix > 0) {
            *prefix = (unsigned)c->prefix;
            return OCF_SUCCESS;
        }
    }
    if (c->loopback) {
        r = ra_net_link_by_name(nl, "lo", link);
        if (r < 0) {
            return nl_fail(ctx, nl, r, "cannot query the loopback interface");
        }
        *prefix = c->prefix > 0 ? (unsigned)c->prefix : 8;
        return OCF_SUCCESS;
    }
    r = ra_net_connected_route(nl, &c->ip, c->nic[0] ? link->ifindex : 0, &ifindex, &plen);
    if (r == -ENOENT) {
        if (c->nic[0] != '\0') {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "no connected route on %s covers %s: set cidr_netmask", c->nic,
                           c->ipstr);
        }
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "no interface has a connected route covering %s: set nic and "
                       "cidr_netmask",
                       c->ipstr);
    }
    if (r < 0) {
        return nl_fail(ctx, nl, r, "cannot read the routing table");
    }
    if (c->nic[0] == '\0') {
        r = ra_net_link_by_index(nl, ifindex, link);
        if (r < 0) {
            return nl_fail(ctx, nl, r, "cannot query the interface");
        }
        /* the anchor finds no interface whose route holds a wider prefix */
        if (c->prefix > 0 && (unsigned)c->prefix < plen) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "cidr_netmask /%d is wider than the /%u of the connected route on %s: "
                           "set nic to use it",
                           c->prefix, plen, link->name);
        }
    }
    *prefix = c->prefix > 0 ? (unsigned)c->prefix : plen;
    return OCF_SUCCESS;
}

/* LVS: the address on loopback moves to the interface; remember it for stop. */
static int
lvs_take_from_loopback(struct ra_ctx *ctx, struct ra_nl *nl)
{
    const struct ipconf *c = ctx->data;
    struct ra_link lo;
    struct ra_addr a;
    char path[512], line[32];
    int r = ra_net_link_by_name(nl, "lo", &lo);

    if (r < 0 || ra_net_addr_get(nl, lo.ifindex, &c->ip, &a) < 0) {
        return OCF_SUCCESS; /* not on loopback: nothing to move */
    }
    if (lvs_state_path(c, path, sizeof(path)) < 0 ||
        ra_format(line, sizeof(line), "%u\n", a.prefixlen) < 0 ||
        ra_state_write(path, line, strlen(line)) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot record the loopback address of %s", c->ipstr);
    }
    r = ra_net_addr_del(nl, lo.ifindex, &c->ip, a.prefixlen);
    return r < 0 ? nl_fail(ctx, nl, r, "cannot remove the address from loopback") : OCF_SUCCESS;
}

static void
lvs_give_back_to_loopback(struct ra_ctx *ctx, struct ra_nl *nl)
{
    const struct ipconf *c = ctx->data;
    struct ra_link lo;
    char path[512];
    long long plen = 0;
    struct ra_addr_req q = { .ip = c->ip, .preferred_lft = RA_LFT_FOREVER, .nodad = true };

    if (lvs_state_path(c, path, sizeof(path)) < 0 || ra_state_read_int(path, 1, 128, &plen) < 0) {
        return;
    }
    if (ra_net_link_by_name(nl, "lo", &lo) == 0) {
        q.ifindex = lo.ifindex;
        q.prefixlen = (unsigned)plen;
        if (ra_net_addr_add(nl, &q) < 0) {
            ra_warn(ctx, "cannot put %s back on loopback", c->ipstr);
        }
    }
    if (ra_state_remove(path) < 0) {
        ra_warn(ctx, "cannot remove '%s'", path);
    }
}

/* ------------------------------------------------------------ actions */

static int
ipaddr_monitor(struct ra_ctx *ctx)
{
    const struct ipconf *c = ctx->data;
    struct ra_nl nl;
    struct ra_link link;
    bool nic_gone = false;
    int r = ra_nl_open(&nl, &ctx->deadline), rc = OCF_NOT_RUNNING;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot open a netlink socket: %s", strerror(-r));
    }
    r = locate_addr(ctx, &nl, &link, &nic_gone);
    if (r < 0) {
        rc = OCF_ERR_GENERIC;
    } else if (nic_gone && r == P_NONE) {
        /* a probe finds nothing on an interface that is not there; a running one lost it */
        rc = ra_is_probe(ctx)
                 ? OCF_NOT_RUNNING
                 : ra_fail(ctx, OCF_ERR_GENERIC, "interface '%s' has vanished", c->nic);
    } else if (r == P_ELSEWHERE) {
        /* this host answers for it, so it is not stopped: a stop must follow */
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is configured on %s%s%s%s", c->ipstr, link.name,
                     c->nic[0] ? ", not on " : "", c->nic, nic_gone ? " (which has vanished)" : "");
    } else if (r == P_UNUSABLE) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC,
                     "%s is configured on %s but not usable (duplicate address detection "
                     "pending or failed)",
                     c->ipstr, link.name);
    } else if (r == P_OURS && !ra_link_is_up(&link)) {
        /* still configured: "not running" would let it answer on two nodes once the link is back */
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is configured but %s is down", c->ipstr, link.name);
    } else if (r == P_OURS) {
        rc = OCF_SUCCESS;
        if (c->arp_refresh > 0 && c->ip.family == AF_INET) {
            announce(ctx, &link, c->arp_refresh, c->arp_interval_ms);
        }
    }
    ra_nl_close(&nl);
    return rc;
}

static int
ipaddr_add(struct ra_ctx *ctx, struct ra_nl *nl, const struct ra_link *link, unsigned prefix)
{
    const struct ipconf *c = ctx->data;
    struct ra_ip brd;
    struct ra_addr_req q = {
        .ifindex = link->ifindex,
        .ip = c->ip,
        .prefixlen = prefix,
        .label = c->label,
        .nodad = c->nodad,
        .noprefixroute = c->noprefixroute,
        .preferred_lft = c->preferred_lft,
    };
    int r;

    if (c->brd_mode == 'g') {
        q.broadcast = &c->brd;
    } else if (c->brd_mode == 'c' && ra_ip_broadcast(&c->ip, prefix, &brd) == 0) {
        q.broadcast = &brd;
    }
    r = ra_net_addr_add(nl, &q);
    if (r < 0 && r != -EEXIST) {
        char what[160];

        ra_format_cut(what, sizeof(what), "cannot add %s/%u to %s", c->ipstr, prefix, link->name);
        return nl_fail(ctx, nl, r, what);
    }
    if (!(link->flags & IFF_UP)) {
        r = ra_net_link_set_up(nl, link->ifindex);
        if (r < 0) {
            return nl_fail(ctx, nl, r, "cannot set the interface up");
        }
    }
    return OCF_SUCCESS;
}

static int
ipaddr_start(struct ra_ctx *ctx)
{
    const struct ipconf *c = ctx->data;
    struct ra_nl nl;
    struct ra_link link, now;
    unsigned prefix = 0;
    bool nic_gone = false;
    int r = ra_nl_open(&nl, &ctx->deadline), rc;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot open a netlink socket: %s", strerror(-r));
    }
    r = locate_addr(ctx, &nl, &link, &nic_gone);
    if (nic_gone) {
        rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "interface '%s' does not exist", c->nic);
        goto out;
    }
    if (r < 0 || r == P_OURS) {
        /* already here (the anchor sends no ARP then), or an error */
        rc = r == P_OURS ? OCF_SUCCESS : OCF_ERR_GENERIC;
        goto out;
    }
    if (r == P_ELSEWHERE) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is already configured on %s", c->ipstr, link.name);
        goto out;
    }
    rc = resolve(ctx, &nl, &link, &prefix);
    if (rc != OCF_SUCCESS) {
        goto out;
    }
    if (c->run_arping && c->ip.family == AF_INET) {
        uint8_t mac[6];

        r = ra_net_arp_probe(&link, &c->ip, 2, 1000, &ctx->deadline, mac);
        if (r == 1) {
            rc = ra_fail(ctx, OCF_ERR_GENERIC,
                         "%s is already in use on %s by %02x:%02x:%02x:%02x:%02x:%02x", c->ipstr,
                         link.name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
            goto out;
        }
        if (r < 0) {
            rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot probe for %s on %s: %s", c->ipstr, link.name,
                         strerror(-r));
            goto out;
        }
    }
    if (c->lvs_support) {
        rc = lvs_take_from_loopback(ctx, &nl);
        if (rc != OCF_SUCCESS) {
            goto out;
        }
    }
    rc = ipaddr_add(ctx, &nl, &link, prefix);
    if (rc != OCF_SUCCESS) {
        goto out;
    }
    if (c->ip.family == AF_INET6) {
        r = ra_net_wait_dad(&nl, link.ifindex, &c->ip);
        if (r < 0) {
            if (ra_net_addr_del(&nl, link.ifindex, &c->ip, prefix) < 0) {
                ra_warn(ctx, "cannot remove %s after failed duplicate address detection", c->ipstr);
            }
            rc = ra_fail(ctx, OCF_ERR_GENERIC,
                         r == -EADDRINUSE
                             ? "duplicate address detection found %s in use on %s"
                             : "duplicate address detection for %s on %s did not finish",
                         c->ipstr, link.name);
            goto out;
        }
    }
    if (c->addrlabel && ra_net_addrlabel(&nl, &c->ip, c->addrlabel_value, true) < 0) {
        ra_warn(ctx, "cannot add the address label of %s", c->ipstr);
    }
    if (served(ctx, &nl, &now) != 1) {
        /* take back what this start added, where it added it */
        if (ra_net_addr_del(&nl, link.ifindex, &c->ip, prefix) < 0) {
            ra_warn(ctx, "cannot remove %s again", c->ipstr);
        }
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s was added to %s but is not usable", c->ipstr,
                     link.name);
        goto out;
    }
    announce(ctx, &link, c->arp_count, c->arp_interval_ms);
    run_script(ctx, c->start_script);
    ra_info(ctx, "%s/%u is up on %s", c->ipstr, prefix, link.name);
    rc = OCF_SUCCESS;
out:
    ra_nl_close(&nl);
    return rc;
}

static void
flush_route_cache(struct ra_ctx *ctx, int family)
{
    const char *path =
        family == AF_INET ? "/proc/sys/net/ipv4/route/flush" : "/proc/sys/net/ipv6/route/flush";
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0 || write(fd, "1\n", 2) != 2) {
        ra_warn(ctx, "cannot flush the route cache (%s), ignoring", path);
    }
    if (fd >= 0) {
        close(fd);
    }
}

/*
 * stop removes the address wherever this host would answer for it: on nic
 * (or, without nic, where the FIB has it), on another interface too (the
 * peer is about to take it), and an IPv6 address still in DAD or failed;
 * loopback only where it lives there (LVS real servers keep theirs).  It
 * succeeds only once none is left.
 */
static int
ipaddr_stop(struct ra_ctx *ctx)
{
    const struct ipconf *c = ctx->data;
    struct ra_nl nl;
    struct ra_link link;
    struct ra_addr a;
    bool nic_gone = false, removed = false;
    int r = ra_nl_open(&nl, &ctx->deadline), rc = OCF_SUCCESS, where = P_NONE;

    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot open a netlink socket: %s", strerror(-r));
    }
    for (int round = 0; round < 16; round++) {
        unsigned prefix = c->ip.family == AF_INET ? 32 : 128;

        where = locate_addr(ctx, &nl, &link, &nic_gone);
        if (where <= P_NONE) {
            break;
        }
        if (where == P_ELSEWHERE) {
            ra_warn(ctx, "%s is on %s%s%s: removing it there too", c->ipstr, link.name,
                    c->nic[0] ? ", not on " : "", c->nic);
        }
        if (ra_net_addr_get(&nl, link.ifindex, &c->ip, &a) == 0) {
            prefix = a.prefixlen; /* delete exactly what is there */
        }
        r = ra_net_addr_del(&nl, link.ifindex, &c->ip, prefix);
        if (r < 0 && r != -EADDRNOTAVAIL && r != -ENOENT) {
            rc = nl_fail(ctx, &nl, r, "cannot remove the address");
            goto out;
        }
        removed = true;
    }
    /* a stop that reports success leaves nothing behind */
    if (where < 0) {
        rc = OCF_ERR_GENERIC;
        goto out;
    }
    if (where != P_NONE) {
        rc = ra_fail(ctx, OCF_ERR_GENERIC, "%s is still configured on %s after removal", c->ipstr,
                     link.name);
        goto out;
    }
    if (removed) {
        ra_info(ctx, "%s removed", c->ipstr);
    }
    if (c->addrlabel) {
        if (ra_net_addrlabel(&nl, &c->ip, c->addrlabel_value, false) < 0) {
            ra_debug(ctx, "no address label to remove");
        }
    }
    if (c->lvs_support) {
        lvs_give_back_to_loopback(ctx, &nl);
    }
    if (c->flush_routes) {
        flush_route_cache(ctx, c->ip.family);
    }
    run_script(ctx, c->stop_script);
out:
    ra_nl_close(&nl);
    return rc;
}

/*
 * heartbeat v1: "IPaddr2::10.0.0.10/24/eth0/10.0.0.255" arrives as one
 * argument, ip[/bits[/nic[/broadcast]]].
 */
static int
ipaddr_positional(struct ra_ctx *ctx, int argc, char *const *argv)
{
    static const char *const keys[] = { "ip", "cidr_netmask", "nic", "broadcast" };
    char spec[512];
    char *field, *rest;
    size_t i = 0;

    if (argc != 1) {
        return ra_fail(ctx, OCF_ERR_ARGS, "expected one argument ip[/bits[/nic[/broadcast]]]");
    }
    if (ra_format(spec, sizeof(spec), "%s", argv[0]) < 0) {
        return ra_fail(ctx, OCF_ERR_ARGS, "argument is too long");
    }
    for (field = spec; field != NULL; field = rest, i++) {
        rest = strchr(field, '/');
        if (rest != NULL) {
            *rest++ = '\0';
        }
        if (i >= RA_NELEM(keys)) {
            return ra_fail(ctx, OCF_ERR_ARGS, "too many fields in '%s'", argv[0]);
        }
        if (*field != '\0' && ra_env_set_reskey(keys[i], field) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot set parameter '%s'", keys[i]);
        }
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ the two names */

#define IPADDR_ACTIONS(monitor_interval_s)                                          \
 { .name = "start", .fn = ipaddr_start, .timeout_s = 20 },                          \
     { .name = "stop", .fn = ipaddr_stop, .timeout_s = 20 },                        \
     { .name = "status", .fn = ipaddr_monitor, .timeout_s = 20, .interval_s = 10 }, \
     { .name = "monitor",                                                           \
       .fn = ipaddr_monitor,                                                        \
       .timeout_s = 20,                                                             \
       .interval_s = monitor_interval_s },                                          \
     { .name = "validate-all", .timeout_s = 20 },                                   \
 {                                                                                  \
  .name = "meta-data", .timeout_s = 5                                               \
 }

static const struct ra_action ipaddr2_actions[] = { IPADDR_ACTIONS(10) };
static const struct ra_action ipaddr_actions[] = { IPADDR_ACTIONS(5) };

#define IPADDR_LONGDESC                                                                      \
 "A floating IPv4 or IPv6 address: start adds it to an interface and announces it to the "   \
 "network (gratuitous ARP, or unsolicited neighbour advertisements after duplicate address " \
 "detection), monitor checks that it is configured and its link is up, stop removes it. "    \
 "The interface and prefix are found from the routing table when not given. Everything "     \
 "is done through the kernel's netlink and packet interfaces, without helper programs."

static const struct ra_agent ipaddr2_agent = {
    .name = "IPaddr2",
    .shortdesc = "Manages virtual IPv4 and IPv6 addresses (Linux specific version)",
    .longdesc = IPADDR_LONGDESC,
    .params = ipaddr2_params,
    .nparams = RA_NELEM(ipaddr2_params),
    .actions = ipaddr2_actions,
    .nactions = RA_NELEM(ipaddr2_actions),
    .validate = ipaddr_validate,
    .data_size = sizeof(struct ipconf),
    .parse_positional = ipaddr_positional,
};

static const struct ra_agent ipaddr_agent = {
    .name = "IPaddr",
    .shortdesc = "Manages virtual IPv4 and IPv6 addresses",
    .longdesc = IPADDR_LONGDESC " This is the agent under its older name, with that name's "
                                "parameters.",
    .params = ipaddr_params,
    .nparams = RA_NELEM(ipaddr_params),
    .actions = ipaddr_actions,
    .nactions = RA_NELEM(ipaddr_actions),
    .validate = ipaddr_validate,
    .data_size = sizeof(struct ipconf),
    .parse_positional = ipaddr_positional,
};

int
main(int argc, char **argv)
{
    return ra_main(ra_called_as(argc, argv, "IPaddr") ? &ipaddr_agent : &ipaddr2_agent, argc, argv);
}
