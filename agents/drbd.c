/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:drbd: a DRBD resource as a promotable clone, a drop-in for
 * LINBIT's ocf:linbit:drbd; and, called as drbddisk, heartbeat v1's agent
 * (drbddisk::r0 in haresources: start makes it Primary, stop Secondary).
 *
 * The state is read from the kernel over DRBD's generic-netlink family
 * (lib/drbd.c): monitor and probe start no process.  Changes (up, adjust,
 * primary, secondary, down, outdate) go through drbdadm, which owns the
 * configuration syntax, as an argv under the operation's deadline; its exit
 * code 17 means DRBD refused to promote without UpToDate data.
 *
 * Is it ours?  The kernel's resource of exactly that name (the name is the
 * resource's identity in DRBD).  Unsure is never "stopped": a state that
 * cannot be read fails monitor and probe; only a kernel without the DRBD
 * module, or without the resource, is "not running".  Stop succeeds only
 * once the kernel no longer has the resource.
 *
 * The promotion score follows LINBIT's rules with one exception: a node
 * whose own disk is not UpToDate gets no score at all (LINBIT's gives a
 * SyncTarget of an UpToDate peer 10).  Scores are set with crm_attribute
 * only when they change, and always on start, a probe and a notification.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "drbd.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

static bool
valid_resource(const char *v, const char **why)
{
    /* the anchor's character set: what drbdadm accepts as a name */
    if (v[0] == '\0' || v[0] == '-' || strlen(v) > 127 ||
        strspn(v, "-%+./0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz") !=
            strlen(v)) {
        *why = "must be a DRBD resource name (at most 127 letters, digits and -%+./:=@_)";
        return false;
    }
    return true;
}

static const struct ra_param drbd_params[] = {
    { .name = "drbd_resource",
      .type = RA_T_STRING,
      .flags = RA_P_REQUIRED | RA_P_UNIQUE | RA_P_IDENTITY,
      .valid = valid_resource,
      .shortdesc = "drbd resource name",
      .longdesc = "The name of the DRBD resource, as in the DRBD configuration." },
    { .name = "drbdconf",
      .type = RA_T_PATH,
      .def = "/etc/drbd.conf",
      .ocf_type = "string",
      .shortdesc = "Path to drbd.conf",
      .longdesc = "The DRBD configuration file drbdadm reads." },
    { .name = "adjust_master_score",
      .type = RA_T_STRING,
      .def = "0 10 1000 10000",
      .shortdesc = "master score adjustments",
      .longdesc = "Four non-decreasing promotion scores: all disks Consistent; the peer "
                  "UpToDate; our disk UpToDate with the peer unknown; as good as it gets. "
                  "Zero means no score." },
    { .name = "stop_outdates_secondary",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "outdate a secondary on stop",
      .longdesc = "When a peer is known to be Primary, mark our data Outdated on stop." },
    { .name = "ignore_missing_notifications",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "ignore missing notify=true",
      .longdesc = "Run without the clone's notify=true (not recommended)." },
    { .name = "wfc_timeout",
      .type = RA_T_INTEGER,
      .def = "5",
      .min = 0,
      .max = 86400,
      .shortdesc = "wait for connections with timeout",
      .longdesc = "Seconds start waits for the peer to connect." },
    { .name = "remove_master_score_if_peer_primary",
      .type = RA_T_STRING,
      .def = "false",
      .shortdesc = "remove master score if we are connected to a primary peer",
      .longdesc = "true: no promotion score while connected to a Primary peer." },
    { .name = "fail_promote_early_if_peer_primary",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "try promote only once when connected to a primary peer",
      .longdesc = "Give up a promotion at once while the peer is still Primary." },
    { .name = "unfence_if_all_uptodate",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "call unfence hook once fully UpToDate",
      .longdesc = "Accepted for compatibility; no unfence hook is run." },
    { .name = "unfence_extra_args",
      .type = RA_T_STRING,
      .def = "--quiet --flock-required --flock-timeout 0 --unfence-only-if-owner-match",
      .shortdesc = "Extra arguments for the unfence hook.",
      .longdesc = "Accepted for compatibility; no unfence hook is run." },
    { .name = "require_drbd_module_version_ge",
      .type = RA_T_STRING,
      .def = "8.0.0",
      .shortdesc = "lowest DRBD module version",
      .longdesc = "Fail unless the DRBD kernel module's version is at least this; empty skips." },
    { .name = "require_drbd_module_version_lt",
      .type = RA_T_STRING,
      .def = "10.0.0",
      .shortdesc = "first DRBD module version refused",
      .longdesc = "Fail unless the DRBD kernel module's version is below this; empty skips." },
    { .name = "connect_only_after_promote",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .shortdesc = "connect only after promote",
      .longdesc = "Keep DRBD disconnected until promoted, then adjust (stacked setups)." },
};

struct drbdconf {
    const char *res;
    long score[4]; /* consistent, remote, local-ok, as-good */
    bool dual;     /* promoted-max 2 */
};

/* "a b c d", four non-decreasing integers; else the default. */
static void
load_scores(struct ra_ctx *ctx, struct drbdconf *c)
{
    static const long def[4] = { 0, 10, 1000, 10000 };
    const char *v = ra_str0(ctx, "adjust_master_score");
    long s[4];
    char tail;

    if (sscanf(v, "%ld %ld %ld %ld %c", &s[0], &s[1], &s[2], &s[3], &tail) != 4 || s[0] < 0 ||
        s[3] > 1000000 || s[1] < s[0] || s[2] < s[1] || s[3] < s[2]) {
        if (ra_given(ctx, "adjust_master_score")) {
            ra_warn(ctx,
                    "adjust_master_score '%s' is not four non-decreasing integers: using "
                    "0 10 1000 10000",
                    v);
        }
        memcpy(s, def, sizeof(s));
    }
    memcpy(c->score, s, sizeof(s));
}

static int drbdadm(struct ra_ctx *ctx, const char *cmd, const char *extra);

/*
 * The DRBD module: loaded by start if it is not (modprobe, which knows where
 * the module file is), and its version within require_drbd_module_version_*.
 */
static int
check_module(struct ra_ctx *ctx, bool load)
{
    const char *ge = ra_str0(ctx, "require_drbd_module_version_ge"),
               *lt = ra_str0(ctx, "require_drbd_module_version_lt");
    char ver[64];
    bool ok = true;

    if (access("/sys/module/drbd", F_OK) < 0 && load) {
        if (ra_modprobe(ctx, "drbd") < 0 && ctx->reason[0] != '\0') {
            return OCF_ERR_INSTALLED;
        }
    }
    if (ra_state_read("/sys/module/drbd/version", ver, sizeof(ver)) < 0) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "the DRBD kernel module is not loaded");
    }
    ver[strcspn(ver, " \n")] = '\0';
    if ((*ge != '\0' && ra_version_cmp(ver, ge, &ok) < 0) || !ok) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "DRBD module %s: at least %s is required", ver,
                       ok ? ge : "a numbered version");
    }
    if ((*lt != '\0' && ra_version_cmp(ver, lt, &ok) >= 0) || !ok) {
        return ra_fail(ctx, OCF_ERR_INSTALLED, "DRBD module %s: a version below %s is required",
                       ver, ok ? lt : "a numbered one");
    }
    return OCF_SUCCESS;
}

/*
 * Does the configuration of the resource allow two primaries?  drbdadm -v dump knows
 * (-v: with the common section merged in).  When drbdadm cannot say, it is not refused
 * here: the kernel refuses a second Primary anyway.
 */
static bool
two_primaries(struct ra_ctx *ctx)
{
    const struct drbdconf *c = ctx->data;
    const char *args[] = { "-c", ra_str(ctx, "drbdconf"), "-v", "dump", "--", c->res, NULL };
    char *out = NULL;
    bool yes = false;

    if (ra_run_tool(ctx, "drbdadm", args, &out) != 0 || out == NULL) {
        ra_warn(ctx, "drbdadm dump %s failed: cannot check allow-two-primaries", c->res);
        yes = true;
    } else {
        for (const char *line = out; line != NULL && !yes; line = strchr(line, '\n')) {
            line += strspn(line, " \t\n");
            if (strncmp(line, "allow-two-primaries", 19) == 0 &&
                (line[19] == ' ' || line[19] == '\t' || line[19] == ';')) {
                line += 19 + strspn(line + 19, " \t");
                yes = *line == ';' || strncmp(line, "yes;", 4) == 0;
            }
        }
    }
    free(out);
    ctx->reason[0] = '\0';
    return yes;
}

static bool
is_start_like(const char *a)
{
    return strcmp(a, "start") == 0 || strcmp(a, "promote") == 0 || strcmp(a, "demote") == 0 ||
           strcmp(a, "notify") == 0;
}

static int
drbd_validate(struct ra_ctx *ctx)
{
    struct drbdconf *c = ctx->data;
    const char *a = ra_ctx_action(ctx);
    const char *notify = ra_env_meta("notify");
    bool b = false;

    c->res = ra_str(ctx, "drbd_resource");
    load_scores(ctx, c);
    if (strcmp(a, "stop") == 0 || ra_is_probe(ctx)) {
        return OCF_SUCCESS; /* the clone's settings cannot hide what runs */
    }
    /* as a clone: one instance a node, at most two promoted */
    {
        const char *cnm = ra_env_meta("clone_node_max"), *pm = ra_env_meta("promoted_max");
        const char *pnm = ra_env_meta("promoted_node_max");
        long long v = 0;

        if (pm == NULL) {
            pm = ra_env_meta("master_max");
        }
        if (pnm == NULL) {
            pnm = ra_env_meta("master_node_max");
        }
        if (cnm != NULL && (ra_parse_int(cnm, 0, 1000, &v) < 0 || v != 1)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "clone-node-max must be 1, not %s", cnm);
        }
        if (pnm != NULL && (ra_parse_int(pnm, 0, 1000, &v) < 0 || v != 1)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "promoted-node-max must be 1, not %s", pnm);
        }
        if (pm != NULL && (ra_parse_int(pm, 0, 1000, &v) < 0 || v > 2)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "promoted-max must be at most 2, not %s", pm);
        }
        c->dual = pm != NULL && v == 2;
        cnm = ra_env_meta("clone_max");
        if (cnm != NULL && (ra_parse_int(cnm, 0, 1000, &v) < 0 || v > 2)) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED,
                           "clone-max must be at most 2 (DRBD 8.4 has two nodes), not %s", cnm);
        }
    }
    if (strcmp(a, "start") == 0 || strcmp(a, "promote") == 0) {
        int rc = check_module(ctx, strcmp(a, "start") == 0);

        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    if (c->dual && strcmp(a, "start") == 0 && !two_primaries(ctx)) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "promoted-max 2 needs allow-two-primaries in %s's net section", c->res);
    }
    if (is_start_like(a) && !ra_bool(ctx, "ignore_missing_notifications") &&
        ra_env_meta("clone_max") != NULL &&
        !(notify != NULL && ra_parse_bool(notify, &b) == 0 && b) &&
        ra_env_meta("notify_start_uname") == NULL) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED,
                       "the clone needs notify=true (or set ignore_missing_notifications)");
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ state */

enum summary {
    S_ERROR = -1,
    S_STOPPED, /* no module, or no such resource in the kernel */
    S_UNPROMOTED,
    S_PROMOTED, /* any volume Primary */
};

static enum summary
read_state(struct ra_ctx *ctx, struct ra_drbd_res *st)
{
    const struct drbdconf *c = ctx->data;
    int r = ra_drbd_status(c->res, &ctx->deadline, st);

    if (r == -ENOENT && access("/sys/module/drbd", F_OK) < 0 && errno == ENOENT) {
        return S_STOPPED; /* no DRBD module: nothing of it can be up */
    }
    if (r < 0) {
        ra_fail(ctx, OCF_ERR_GENERIC, "cannot read the state of DRBD resource %s: %s", c->res,
                r == -EPROTONOSUPPORT ? "not DRBD 8.4's interface" : strerror(-r));
        return S_ERROR;
    }
    if (!st->exists) {
        return S_STOPPED;
    }
    for (size_t i = 0; i < st->n; i++) {
        if (st->v[i].role == RA_DRBD_PRIMARY) {
            return S_PROMOTED;
        }
    }
    return S_UNPROMOTED;
}

/* The promotion score the state deserves: -1 for none, or "unchanged" as -2. */
static long
score_for(const struct drbdconf *c, const struct ra_drbd_res *st, bool peer_primary_drop)
{
    bool all_uptodate = st->n > 0, all_consistent = st->n > 0, peer_unknown = false,
         primary = false, peer_primary = false, transitional = false;

    for (size_t i = 0; i < st->n; i++) {
        const struct ra_drbd_volume *v = &st->v[i];

        all_uptodate = all_uptodate && v->disk == RA_DRBD_UPTODATE;
        all_consistent = all_consistent && v->disk >= RA_DRBD_CONSISTENT;
        peer_unknown = peer_unknown || v->pdsk == RA_DRBD_DUNKNOWN || v->conn < RA_DRBD_CONNECTED;
        primary = primary || v->role == RA_DRBD_PRIMARY;
        peer_primary = peer_primary || (v->peer == RA_DRBD_PRIMARY && v->conn >= RA_DRBD_CONNECTED);
        transitional =
            transitional || v->disk == RA_DRBD_ATTACHING || v->disk == RA_DRBD_NEGOTIATING;
    }
    if (peer_primary && peer_primary_drop) {
        return -1;
    }
    if (transitional) {
        return -2;
    }
    if (all_uptodate) {
        return primary || !peer_unknown ? c->score[3] : c->score[2];
    }
    /* never a score for a node whose own data is not UpToDate */
    (void)all_consistent;
    return -1;
}

/* Set the score if it changed (always when @force); a score of 0 is no score. */
static void
update_score(struct ra_ctx *ctx, const struct ra_drbd_res *st, bool force)
{
    const struct drbdconf *c = ctx->data;
    long s =
        score_for(c, st, strcmp(ra_str0(ctx, "remove_master_score_if_peer_primary"), "true") == 0);

    if (s != -2) {
        ra_promotion_score_keep(ctx, s == 0 ? -1 : (int)s, force);
    }
}

static void
drop_score(struct ra_ctx *ctx)
{
    ra_promotion_score_keep(ctx, -1, true);
}

/* ------------------------------------------------------------ drbdadm */

/* drbdadm -c CONF CMD [EXTRA] -- RES: its exit code, or -1. */
static int
drbdadm(struct ra_ctx *ctx, const char *cmd, const char *extra)
{
    const struct drbdconf *c = ctx->data;
    const char *args[] = { "-c",
                           ra_str(ctx, "drbdconf"),
                           cmd,
                           extra ? extra : "--",
                           extra ? "--" : c->res,
                           extra ? c->res : NULL,
                           NULL };

    return ra_run_tool(ctx, "drbdadm", args, NULL);
}

/* drbdsetup CMD RES|MINOR, without the configuration: what stop falls back on when
 * drbdadm cannot (an unreadable or broken drbd.conf must not leave the device up). */
static int
drbdsetup(struct ra_ctx *ctx, const char *cmd, const char *what)
{
    const char *args[] = { cmd, what, NULL };

    return ra_run_tool(ctx, "drbdsetup", args, NULL);
}

/* Poll the state until @want or the deadline; the last state read. */
static enum summary
wait_for(struct ra_ctx *ctx, enum summary want, struct ra_drbd_res *st)
{
    uint64_t backoff = 20;
    enum summary s;

    for (;;) {
        s = read_state(ctx, st);
        if (s == want || s == S_ERROR || ra_deadline_sleep(&ctx->deadline, backoff) < 0) {
            return s;
        }
        backoff = backoff * 2 > 500 ? 500 : backoff * 2;
    }
}

/* ------------------------------------------------------------ actions */

static int
drbd_monitor(struct ra_ctx *ctx)
{
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);

    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    if (s == S_STOPPED) {
        return OCF_NOT_RUNNING;
    }
    update_score(ctx, &st, ra_is_probe(ctx));
    return s == S_PROMOTED ? OCF_RUNNING_PROMOTED : OCF_SUCCESS;
}

/* Connected (or resyncing) with every volume's disk state decided. */
static bool
settled(const struct ra_drbd_res *st)
{
    for (size_t i = 0; i < st->n; i++) {
        const struct ra_drbd_volume *v = &st->v[i];

        if (v->conn < RA_DRBD_CONNECTED || v->disk == RA_DRBD_ATTACHING ||
            v->disk == RA_DRBD_NEGOTIATING || v->disk == RA_DRBD_CONSISTENT) {
            return false;
        }
    }
    return true;
}

static int
drbd_start(struct ra_ctx *ctx)
{
    const struct drbdconf *c = ctx->data;
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);

    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    if (s == S_PROMOTED) {
        /* OCF: start leaves the instance unpromoted */
        if (drbdadm(ctx, "secondary", NULL) != 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s is Primary and cannot be demoted", c->res);
        }
    }
    if (s == S_STOPPED || !ra_bool(ctx, "connect_only_after_promote")) {
        if (drbdadm(ctx, s == S_STOPPED ? "up" : "adjust", NULL) != 0) {
            if (ctx->reason[0] != '\0') {
                return OCF_ERR_GENERIC; /* drbdadm missing or not run: said why */
            }
            return ra_fail(ctx, OCF_ERR_GENERIC, "drbdadm %s %s failed",
                           s == S_STOPPED ? "up" : "adjust", c->res);
        }
        /* stacked setups: no connection before the promote (which adjusts) */
        if (s == S_STOPPED && ra_bool(ctx, "connect_only_after_promote") &&
            drbdadm(ctx, "disconnect", NULL) != 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot keep %s disconnected until promoted",
                           c->res);
        }
    }
    s = wait_for(ctx, S_UNPROMOTED, &st);
    if (s != S_UNPROMOTED) {
        return s == S_ERROR ? OCF_ERR_GENERIC
                            : ra_fail(ctx, OCF_ERR_GENERIC, "%s is not up after start", c->res);
    }
    /* up to wfc_timeout for the peer, so the score set now already knows it */
    if (!ra_bool(ctx, "connect_only_after_promote")) {
        uint64_t until = ra_now_ms() + (uint64_t)ra_int(ctx, "wfc_timeout") * 1000,
                 last = ra_now_ms() + ra_deadline_left_ms(&ctx->deadline) / 2;

        until = until < last ? until : last; /* leave time for the rest of start */

        while (!settled(&st) && ra_now_ms() < until) {
            if (ra_deadline_sleep(&ctx->deadline, 100) < 0 ||
                read_state(ctx, &st) != S_UNPROMOTED) {
                break;
            }
        }
    }
    s = read_state(ctx, &st);
    if (s != S_UNPROMOTED) {
        return s == S_ERROR
                   ? OCF_ERR_GENERIC
                   : ra_fail(ctx, OCF_ERR_GENERIC, "%s did not stay up after start", c->res);
    }
    update_score(ctx, &st, true);
    return OCF_SUCCESS;
}

/* Every volume Primary: a promote is done only then. */
static bool
all_primary(const struct ra_drbd_res *st)
{
    for (size_t i = 0; i < st->n; i++) {
        if (st->v[i].role != RA_DRBD_PRIMARY) {
            return false;
        }
    }
    return st->n > 0;
}

static int
drbd_promote(struct ra_ctx *ctx)
{
    const struct drbdconf *c = ctx->data;
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);
    uint64_t backoff = 200;
    int code;

    if (s == S_STOPPED) {
        return ra_fail(ctx, OCF_NOT_RUNNING, "%s is not up: cannot promote it", c->res);
    }
    for (;;) {
        if (s == S_ERROR) {
            return OCF_ERR_GENERIC;
        }
        if (all_primary(&st)) {
            if (ra_bool(ctx, "connect_only_after_promote") && drbdadm(ctx, "adjust", NULL) != 0) {
                ra_warn(ctx, "promoted, but drbdadm adjust %s (to connect) failed", c->res);
            }
            update_score(ctx, &st, true);
            return OCF_SUCCESS;
        }
        code = drbdadm(ctx, "primary", NULL);
        s = read_state(ctx, &st);
        if (s == S_ERROR || all_primary(&st)) {
            continue;
        }
        if (code == 17) {
            return ra_fail(ctx, OCF_ERR_GENERIC,
                           "DRBD refuses to promote %s without access to UpToDate data", c->res);
        }
        if (ra_bool(ctx, "fail_promote_early_if_peer_primary")) {
            for (size_t i = 0; i < st.n; i++) {
                if (st.v[i].peer == RA_DRBD_PRIMARY) {
                    return ra_fail(ctx, OCF_ERR_GENERIC, "the peer of %s is still Primary", c->res);
                }
            }
        }
        /* 11 is any other refused state change: the peer's demote may be on its way */
        if (ra_deadline_sleep(&ctx->deadline, backoff) < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "%s was not promoted before the deadline%s",
                           c->res,
                           code == 11 ? " (the peer is Primary, or a state change is "
                                        "in progress)"
                                      : "");
        }
        backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
    }
}

static int
drbd_demote(struct ra_ctx *ctx)
{
    const struct drbdconf *c = ctx->data;
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);

    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    if (s == S_STOPPED) {
        return ra_fail(ctx, OCF_NOT_RUNNING, "%s is not up", c->res);
    }
    while (s == S_PROMOTED) {
        if (drbdadm(ctx, "secondary", NULL) != 0) {
            /* drbdadm may fail on the configuration alone: ask the kernel directly */
            for (size_t i = 0; i < st.n; i++) {
                char minor[16];

                if (st.v[i].role == RA_DRBD_PRIMARY &&
                    ra_format(minor, sizeof(minor), "%u", st.v[i].minor) == 0) {
                    (void)drbdsetup(ctx, "secondary", minor);
                }
            }
            if (read_state(ctx, &st) == S_PROMOTED && ra_deadline_sleep(&ctx->deadline, 500) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "%s is still Primary (in use?)", c->res);
            }
        }
        s = read_state(ctx, &st);
    }
    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    update_score(ctx, &st, true);
    return OCF_SUCCESS;
}

static int
drbd_stop(struct ra_ctx *ctx)
{
    const struct drbdconf *c = ctx->data;
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);
    const char *primary = ra_env_meta("notify_promoted_uname");

    if (primary == NULL) {
        primary = ra_env_meta("notify_master_uname");
    }
    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    if (s != S_STOPPED) {
        if (s == S_PROMOTED) {
            int rc = drbd_demote(ctx);

            if (rc != OCF_SUCCESS) {
                return rc;
            }
        }
        if (ra_bool(ctx, "stop_outdates_secondary") && primary != NULL && *primary != '\0' &&
            drbdadm(ctx, "outdate", NULL) != 0) {
            ra_warn(ctx, "cannot outdate %s on stop", c->res);
        }
        while ((s = read_state(ctx, &st)) != S_STOPPED) {
            if (s == S_ERROR) {
                return OCF_ERR_GENERIC;
            }
            if (drbdadm(ctx, "down", NULL) != 0 && drbdsetup(ctx, "down", c->res) != 0 &&
                ra_deadline_sleep(&ctx->deadline, 500) < 0) {
                return ra_fail(ctx, OCF_ERR_GENERIC, "%s is still up (in use?)", c->res);
            }
        }
    }
    drop_score(ctx);
    return OCF_SUCCESS;
}

static int
drbd_notify(struct ra_ctx *ctx)
{
    const char *type = ra_env_meta("notify_type"), *op = ra_env_meta("notify_operation");
    struct ra_drbd_res st;

    if (type != NULL && strcmp(type, "pre") == 0 && op != NULL && strcmp(op, "start") == 0 &&
        !(ra_bool(ctx, "connect_only_after_promote") && read_state(ctx, &st) != S_PROMOTED)) {
        (void)drbdadm(ctx, "adjust", NULL); /* a peer is coming: connect to it */
    }
    if (type != NULL && strcmp(type, "post") == 0 && read_state(ctx, &st) > S_STOPPED) {
        update_score(ctx, &st, true);
    }
    ctx->reason[0] = '\0';
    return OCF_SUCCESS; /* a notification never fails the clone */
}

static int
drbd_reload(struct ra_ctx *ctx)
{
    struct ra_drbd_res st;

    enum summary s = read_state(ctx, &st);

    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    if (s > S_STOPPED && !(ra_bool(ctx, "connect_only_after_promote") && s != S_PROMOTED) &&
        drbdadm(ctx, "adjust", NULL) != 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "drbdadm adjust failed");
    }
    return OCF_SUCCESS;
}

/* ------------------------------------------------------------ drbddisk */

/* heartbeat v1's drbddisk: "drbddisk r0 start|stop|status", start = Primary, stop = Secondary. */
static int
drbddisk_start(struct ra_ctx *ctx)
{
    struct ra_drbd_res st;
    int rc;

    if (read_state(ctx, &st) == S_STOPPED) {
        rc = drbd_start(ctx);
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    return drbd_promote(ctx);
}

static int
drbddisk_stop(struct ra_ctx *ctx)
{
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);

    return s == S_ERROR ? OCF_ERR_GENERIC : s == S_PROMOTED ? drbd_demote(ctx) : OCF_SUCCESS;
}

static int
drbddisk_status(struct ra_ctx *ctx)
{
    struct ra_drbd_res st;
    enum summary s = read_state(ctx, &st);

    /* heartbeat reads "running" from a Primary only; a Secondary is its "stopped" */
    if (s == S_ERROR) {
        return OCF_ERR_GENERIC;
    }
    printf("%s\n", s == S_PROMOTED ? "running (Primary)" : "stopped (Secondary)");
    return s == S_PROMOTED ? OCF_SUCCESS : OCF_NOT_RUNNING;
}

/* ------------------------------------------------------------ the two names */

static const struct ra_action drbd_actions[] = {
    { .name = "start", .fn = drbd_start, .timeout_s = 240 },
    { .name = "promote", .fn = drbd_promote, .timeout_s = 90 },
    { .name = "demote", .fn = drbd_demote, .timeout_s = 90 },
    { .name = "notify", .fn = drbd_notify, .timeout_s = 90 },
    { .name = "stop", .fn = drbd_stop, .timeout_s = 100 },
    { .name = "reload", .fn = drbd_reload, .timeout_s = 30 },
    { .name = "monitor",
      .fn = drbd_monitor,
      .timeout_s = 20,
      .interval_s = 20,
      .role = "Unpromoted" },
    { .name = "monitor",
      .fn = drbd_monitor,
      .timeout_s = 20,
      .interval_s = 10,
      .role = "Promoted" },
    { .name = "validate-all", .timeout_s = 20 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const char *const drbd_positional[] = { "drbd_resource", NULL };

static const struct ra_agent drbd_agent = {
    .name = "drbd",
    .shortdesc = "Manages a DRBD device as a promotable resource",
    .longdesc = "A DRBD resource as a promotable clone: start brings it up Secondary and "
                "connects it to its peer, promote makes it Primary, demote Secondary, stop "
                "takes it down. monitor reads the state from the kernel (no drbdadm) and keeps "
                "the promotion score: only a node whose data is UpToDate may be promoted.",
    .params = drbd_params,
    .nparams = RA_NELEM(drbd_params),
    .actions = drbd_actions,
    .nactions = RA_NELEM(drbd_actions),
    .validate = drbd_validate,
    .data_size = sizeof(struct drbdconf),
    .positional = drbd_positional,
};

static const struct ra_action drbddisk_actions[] = {
    { .name = "start", .fn = drbddisk_start, .timeout_s = 240 },
    { .name = "stop", .fn = drbddisk_stop, .timeout_s = 100 },
    { .name = "monitor", .fn = drbddisk_status, .timeout_s = 20, .interval_s = 20 },
    { .name = "validate-all", .timeout_s = 20 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const struct ra_agent drbddisk_agent = {
    .name = "drbddisk",
    .shortdesc = "heartbeat v1's DRBD disk: Primary while running",
    .longdesc = "heartbeat v1's drbddisk: start makes the DRBD resource Primary (bringing it "
                "up first), stop makes it Secondary, status says running while it is Primary.",
    .params = drbd_params,
    .nparams = RA_NELEM(drbd_params),
    .actions = drbddisk_actions,
    .nactions = RA_NELEM(drbddisk_actions),
    .validate = drbd_validate,
    .data_size = sizeof(struct drbdconf),
    .positional = drbd_positional,
};

int
main(int argc, char **argv)
{
    return ra_main(ra_called_as(argc, argv, "drbddisk") ? &drbddisk_agent : &drbd_agent, argc,
                   argv);
}
