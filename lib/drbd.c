/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DRBD's state over generic netlink (see drbd.h).  One dump request,
 * DRBD_ADM_GET_STATUS restricted to the resource by its name in the
 * configuration context; one reply per volume, each with the resource's
 * name and volume number and the packed state word.
 */
#include "config.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <string.h>

#include "drbd.h"
#include "nl.h"
#include "str.h"

/* DRBD 8.4's generic-netlink vocabulary (its drbd_genl.h) */
#define DRBD_ADM_GET_STATUS    2
#define DRBD_NLA_CFG_CONTEXT   2
#define DRBD_NLA_STATE_INFO    8
#define T_ctx_volume           1
#define T_ctx_resource_name    2
#define T_current_state        2
#define DRBD_GENLA_F_MANDATORY (1 << 14)

/* The fixed family header after genlmsghdr. */
struct drbd_hdr {
    uint32_t minor;
    int32_t ret_code;
};

struct collect {
    const char *name;
    struct ra_drbd_res *res;
    int err;
};

static void
unpack_state(uint32_t s, struct ra_drbd_volume *v)
{
    /* union drbd_state: role:2 peer:2 conn:5 disk:4 pdsk:4 susp:1 ... */
    v->role = (int)(s & 0x3);
    v->peer = (int)((s >> 2) & 0x3);
    v->conn = (int)((s >> 4) & 0x1f);
    v->disk = (int)((s >> 9) & 0xf);
    v->pdsk = (int)((s >> 13) & 0xf);
    v->susp = ((s >> 17) & 0x1) != 0;
}

static int
status_cb(const struct nlmsghdr *h, void *data)
{
    struct collect *c = data;
    const struct drbd_hdr *dh = (const void *)((const char *)NLMSG_DATA(h) + GENL_HDRLEN);
    /* dh->minor is read only once the length says it is there */
    const struct rtattr *a = (const void *)((const char *)dh + NLMSG_ALIGN(sizeof(*dh)));
    int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(GENL_HDRLEN + NLMSG_ALIGN(sizeof(*dh)));
    const struct rtattr *ctx, *st, *f;
    struct ra_drbd_volume v = { 0 };
    char name[129] = "";
    uint32_t state = 0;

    if (len < 0 || (ctx = ra_nl_attr_find(a, len, DRBD_NLA_CFG_CONTEXT)) == NULL) {
        c->err = -EBADMSG; /* a filtered dump holds only our replies: this is none */
        return 0;
    }
    f = ra_nl_attr_find(RTA_DATA(ctx), (int)RTA_PAYLOAD(ctx), T_ctx_resource_name);
    if (f != NULL) {
        ra_format_cut(name, sizeof(name), "%.*s", (int)strnlen(RTA_DATA(f), RTA_PAYLOAD(f)),
                      (const char *)RTA_DATA(f));
    }
    if (strcmp(name, c->name) != 0) {
        return 0; /* a reply about another resource: never counted as ours */
    }
    c->res->exists = true;
    v.minor = dh->minor;
    f = ra_nl_attr_find(RTA_DATA(ctx), (int)RTA_PAYLOAD(ctx), T_ctx_volume);
    if (f != NULL && RTA_PAYLOAD(f) >= 4) {
        memcpy(&v.volume, RTA_DATA(f), 4);
    }
    st = ra_nl_attr_find(a, len, DRBD_NLA_STATE_INFO);
    if (st == NULL) {
        return 0; /* the resource, with no volume (yet) */
    }
    f = ra_nl_attr_find(RTA_DATA(st), (int)RTA_PAYLOAD(st), T_current_state);
    if (f == NULL || RTA_PAYLOAD(f) < 4) {
        c->err = -EBADMSG;
        return 0;
    }
    memcpy(&state, RTA_DATA(f), 4);
    unpack_state(state, &v);
    if (c->res->n == RA_DRBD_VOLUMES_MAX) {
        c->err = -E2BIG; /* refuse what cannot be held, never a partial answer */
        return 0;
    }
    c->res->v[c->res->n++] = v;
    return 0;
}

int
ra_drbd_status(const char *name, const struct ra_deadline *deadline, struct ra_drbd_res *ret)
{
    struct ra_nl nl;
    char buf[RA_NL_REQ_MAX];
    struct ra_nl_req req;
    struct genlmsghdr *g;
    struct drbd_hdr *dh;
    struct collect c = { .name = name, .res = ret };
    uint16_t family = 0;
    uint32_t version = 0;
    int nest, r = ra_nl_open_proto(&nl, NETLINK_GENERIC, deadline);

    memset(ret, 0, sizeof(*ret));
    if (r < 0) {
        return r;
    }
    r = ra_genl_family(&nl, "drbd", &family, &version);
    if (r < 0) {
        goto out;
    }
    if (version != 1) {
        r = -EPROTONOSUPPORT; /* DRBD 9 speaks another dialect */
        goto out;
    }
    g = ra_nl_req_init(&req, buf, sizeof(buf), family, NLM_F_DUMP,
                       GENL_HDRLEN + NLMSG_ALIGN(sizeof(*dh)));
    g->cmd = DRBD_ADM_GET_STATUS;
    g->version = (uint8_t)version;
    dh = (struct drbd_hdr *)((char *)g + GENL_HDRLEN);
    dh->minor = UINT32_MAX;
    nest = ra_nl_nest_begin(&req, DRBD_NLA_CFG_CONTEXT);
    if (nest < 0 || ra_nl_req_attr(&req, T_ctx_resource_name | DRBD_GENLA_F_MANDATORY, name,
                                   strlen(name) + 1) < 0) {
        r = -ENAMETOOLONG;
        goto out;
    }
    ra_nl_nest_end(&req, nest);
    r = ra_nl_talk(&nl, &req, status_cb, &c);
    if (r == -ENODEV) {
        r = 0; /* DRBD's answer for a resource it does not have */
    } else if (r == 0) {
        r = c.err;
    }
out:
    ra_nl_close(&nl);
    return r;
}

const char *
ra_drbd_role_name(int role)
{
    static const char *const names[] = { "Unknown", "Primary", "Secondary" };

    return role >= 0 && role < 3 ? names[role] : "Unknown";
}

const char *
ra_drbd_disk_name(int disk)
{
    static const char *const names[] = { "Diskless",    "Attaching",    "Failed",
                                         "Negotiating", "Inconsistent", "Outdated",
                                         "DUnknown",    "Consistent",   "UpToDate" };

    return disk >= 0 && disk < 9 ? names[disk] : "DUnknown";
}

const char *
ra_drbd_conn_name(int conn)
{
    static const char *const names[] = {
        "StandAlone",     "Disconnecting", "Unconnected",   "Timeout",      "BrokenPipe",
        "NetworkFailure", "ProtocolError", "TearDown",      "WFConnection", "WFReportParams",
        "Connected",      "StartingSyncS", "StartingSyncT", "WFBitMapS",    "WFBitMapT",
        "WFSyncUUID",     "SyncSource",    "SyncTarget",    "VerifyS",      "VerifyT",
        "PausedSyncS",    "PausedSyncT",   "Ahead",         "Behind",
    };

    return conn >= 0 && conn < 24 ? names[conn] : "Unknown";
}
