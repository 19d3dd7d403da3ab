/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:Stateful, a drop-in for ocf:pacemaker:Stateful: a promotable
 * resource whose role lives in a state file ("Promoted" or "Unpromoted").
 * It sets its promotion score (5 unpromoted, 10 promoted) with
 * crm_attribute when it runs under a cluster, so that Pacemaker promotes
 * one instance; a file "<state>.rc" makes monitor return the code in it.
 *
 * Is it ours?  As for Dummy, the state file at its one path: stopped only
 * when no file can be there; a file that holds no known role is a failure
 * (monitor says so, and stop removes it), never "stopped".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "state.h"
#include "str.h"

#define SCORE_UNPROMOTED 5
#define SCORE_PROMOTED   10

static const struct ra_param stateful_params[] = {
    { .name = "state",
      .type = RA_T_PATH,
      .flags = RA_P_UNIQUE | RA_P_DEFAULT_DOC | RA_P_IDENTITY,
      .def = "${HA_RSCTMP}/Stateful-${OCF_RESOURCE_INSTANCE}.state",
      .unique_group = "state",
      .shortdesc = "State file",
      .longdesc = "The file that holds the instance's role. By default it lives in "
                  "HA_RSCTMP (/run/resource-agents), named after the resource without its "
                  "clone number unless the clone is globally unique." },
    { .name = "envfile",
      .type = RA_T_PATH,
      .flags = RA_P_RELOADABLE,
      .def = "",
      .shortdesc = "Environment dump file",
      .longdesc = "When set, every call appends its environment to this file, so a test "
                  "can see what the cluster passed (notification lists, for example)." },
    { .name = "notify_delay",
      .type = RA_T_TIME,
      .flags = RA_P_RELOADABLE,
      .def = "0",
      .shortdesc = "Delay of the notify action",
      .longdesc = "How long notify waits before it returns, to imitate a slow "
                  "notification (seconds, or with a unit)." },
};

enum role {
    ROLE_STOPPED,
    ROLE_UNPROMOTED,
    ROLE_PROMOTED,
    ROLE_DAMAGED
};

struct stateful {
    char state[4096];
};

static int
stateful_validate(struct ra_ctx *ctx)
{
    struct stateful *s = ctx->data;
    int rc = ra_ctx_state_file(ctx, "state", ".state", s->state, sizeof(s->state));

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (ra_given(ctx, "envfile") && ra_env_dump(ctx, ra_str(ctx, "envfile")) < 0) {
        ra_warn(ctx, "cannot write environment to '%s', ignoring", ra_str(ctx, "envfile"));
    }
    return OCF_SUCCESS;
}

static enum role
read_role(const struct stateful *s)
{
    char buf[64];
    int r = ra_state_read(s->state, buf, sizeof(buf));

    if (r == -ENOENT || r == -ENOTDIR) {
        return ROLE_STOPPED;
    }
    if (r == 0 && strcmp(buf, "Promoted") == 0) {
        return ROLE_PROMOTED;
    }
    if (r == 0 && strcmp(buf, "Unpromoted") == 0) {
        return ROLE_UNPROMOTED;
    }
    return ROLE_DAMAGED;
}

static int
write_role(struct ra_ctx *ctx, const char *role)
{
    const struct stateful *s = ctx->data;
    char line[32];
    int r;

    if (ra_format(line, sizeof(line), "%s\n", role) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "internal error");
    }
    r = ra_state_write(s->state, line, strlen(line));
    if (r < 0) {
        return ra_fail(ctx, r == -EACCES ? OCF_ERR_PERM : OCF_ERR_GENERIC,
                       "cannot write state file '%s': %s", s->state, strerror(-r));
    }
    return OCF_SUCCESS;
}

static int
stateful_monitor(struct ra_ctx *ctx)
{
    const struct stateful *s = ctx->data;
    char rc_file[4200];
    long long forced = 0;

    /* a test switch: a code written to <state>.rc is what monitor reports */
    ra_format_cut(rc_file, sizeof(rc_file), "%s.rc", s->state);
    if (ra_state_read_int(rc_file, 0, 255, &forced) == 0) {
        return ra_fail(ctx, (int)forced, "monitor result %lld forced by '%s'", forced, rc_file);
    }
    switch (read_role(s)) {
    case ROLE_STOPPED:
        return OCF_NOT_RUNNING;
    case ROLE_PROMOTED:
        if (ra_is_probe(ctx)) {
            ra_promotion_score(ctx, SCORE_PROMOTED);
        }
        return OCF_RUNNING_PROMOTED;
    case ROLE_UNPROMOTED:
        if (ra_is_probe(ctx)) {
            ra_promotion_score(ctx, SCORE_UNPROMOTED);
        }
        return OCF_SUCCESS;
    default:
        return ra_fail(ctx, OCF_ERR_GENERIC, "state file '%s' holds no known role", s->state);
    }
}

static int
stateful_start(struct ra_ctx *ctx)
{
    const struct stateful *s = ctx->data;
    enum role role = read_role(s);
    int rc;

    if (role == ROLE_PROMOTED) {
        /* OCF 1.1: start must leave the instance unpromoted; this one is not */
        return ra_fail(ctx, OCF_RUNNING_PROMOTED, "already running promoted");
    }
    if (role != ROLE_UNPROMOTED) {
        rc = write_role(ctx, "Unpromoted");
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    ra_promotion_score(ctx, SCORE_UNPROMOTED);
    return OCF_SUCCESS;
}

static int
stateful_stop(struct ra_ctx *ctx)
{
    const struct stateful *s = ctx->data;
    int r;

    ra_promotion_score(ctx, -1);
    if (read_role(s) == ROLE_PROMOTED) {
        /* Pacemaker demotes first; a stop must stop in any role all the same */
        ra_warn(ctx, "stopping a promoted instance");
    }
    r = ra_state_remove(s->state);
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot remove state file '%s': %s", s->state,
                       strerror(-r));
    }
    return OCF_SUCCESS;
}

static int
stateful_promote(struct ra_ctx *ctx)
{
    const struct stateful *s = ctx->data;
    enum role role = read_role(s);
    int rc;

    if (role == ROLE_STOPPED) {
        return ra_fail(ctx, OCF_NOT_RUNNING, "cannot promote: not running");
    }
    if (role != ROLE_PROMOTED) {
        rc = write_role(ctx, "Promoted");
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    ra_promotion_score(ctx, SCORE_PROMOTED);
    return OCF_SUCCESS;
}

static int
stateful_demote(struct ra_ctx *ctx)
{
    const struct stateful *s = ctx->data;
    enum role role = read_role(s);
    int rc;

    if (role == ROLE_STOPPED) {
        return ra_fail(ctx, OCF_NOT_RUNNING, "cannot demote: not running");
    }
    if (role != ROLE_UNPROMOTED) {
        rc = write_role(ctx, "Unpromoted");
        if (rc != OCF_SUCCESS) {
            return rc;
        }
    }
    ra_promotion_score(ctx, SCORE_UNPROMOTED);
    return OCF_SUCCESS;
}

static int
stateful_notify(struct ra_ctx *ctx)
{
    const char *type = ra_env_meta("notify_type");
    const char *op = ra_env_meta("notify_operation");

    ra_info(ctx, "notify: %s-%s", type ? type : "?", op ? op : "?");
    return ra_sleep(ctx, ra_ms(ctx, "notify_delay"), "notify_delay");
}

static int
stateful_reload_agent(struct ra_ctx *ctx)
{
    ra_info(ctx, "reloading parameters");
    return OCF_SUCCESS;
}

static const struct ra_action stateful_actions[] = {
    { .name = "start", .fn = stateful_start, .timeout_s = 20 },
    { .name = "stop", .fn = stateful_stop, .timeout_s = 20 },
    { .name = "monitor",
      .fn = stateful_monitor,
      .timeout_s = 20,
      .interval_s = 10,
      .role = "Promoted" },
    { .name = "monitor",
      .fn = stateful_monitor,
      .timeout_s = 20,
      .interval_s = 11,
      .role = "Unpromoted" },
    { .name = "promote", .fn = stateful_promote, .timeout_s = 10 },
    { .name = "demote", .fn = stateful_demote, .timeout_s = 10 },
    { .name = "notify", .fn = stateful_notify, .timeout_s = 5 },
    { .name = "reload-agent", .fn = stateful_reload_agent, .timeout_s = 10 },
    { .name = "validate-all", .timeout_s = 30 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const char *const stateful_positional[] = { "state", NULL };

static const struct ra_agent stateful_agent = {
    .name = "Stateful",
    .shortdesc = "Example promotable resource agent",
    .longdesc = "A promotable resource that exists only as a state file holding its role. "
                "Each instance starts unpromoted and offers a promotion score, so a "
                "promotable clone of it exercises promotion, demotion and notifications "
                "without touching anything real.",
    .params = stateful_params,
    .nparams = RA_NELEM(stateful_params),
    .actions = stateful_actions,
    .nactions = RA_NELEM(stateful_actions),
    .validate = stateful_validate,
    .data_size = sizeof(struct stateful),
    .positional = stateful_positional,
};

int
main(int argc, char **argv)
{
    return ra_main(&stateful_agent, argc, argv);
}
