/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:Dummy, a drop-in for ocf:pacemaker:Dummy: a resource that is
 * "running" while its state file exists.  It manages nothing, which makes
 * it the framework's test agent and the cluster tests' harmless resource:
 * op_sleep makes operations slow, fail_start_on makes start fail on one
 * node, and a file "<state>.rc" makes monitor return the code written in it.
 *
 * Is it ours?  The resource is the state file at its one path: running
 * while anything is there (lstat), stopped once nothing can be (absent, or
 * its directory is not a directory).  stop removes it and fails while it
 * is still there (a read-only directory that holds it), so stop and
 * monitor always agree.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "state.h"
#include "str.h"

static const struct ra_param dummy_params[] = {
    { .name = "state",
      .type = RA_T_PATH,
      .flags = RA_P_UNIQUE | RA_P_DEFAULT_DOC | RA_P_IDENTITY,
      .def = "${HA_RSCTMP}/Dummy-${OCF_RESOURCE_INSTANCE}.state",
      .unique_group = "state",
      .shortdesc = "State file",
      .longdesc = "The file whose existence means the resource is running. By default "
                  "it lives in HA_RSCTMP (/run/resource-agents), named after the "
                  "resource without its clone number." },
    { .name = "passwd",
      .type = RA_T_STRING,
      .flags = RA_P_RELOADABLE | RA_P_SECRET,
      .def = "",
      .shortdesc = "Password",
      .longdesc = "A value that stands for a secret: it is never logged, never shown "
                  "in an environment dump." },
    { .name = "fake",
      .type = RA_T_STRING,
      .flags = RA_P_RELOADABLE,
      .def = "dummy",
      .shortdesc = "A parameter whose change triggers a reload",
      .longdesc = "Changing this value makes Pacemaker call reload-agent instead of "
                  "restarting the resource." },
    { .name = "op_sleep",
      .type = RA_T_TIME,
      .flags = RA_P_RELOADABLE,
      .def = "0",
      .shortdesc = "Delay added to each operation",
      .longdesc = "How long start, stop and monitor wait before acting (seconds, or "
                  "with a unit: 500ms, 2s, 1min). An operation whose delay does not "
                  "fit in its timeout fails before the timeout, with a reason." },
    { .name = "fail_start_on",
      .type = RA_T_STRING,
      .flags = RA_P_RELOADABLE,
      .def = "",
      .shortdesc = "Node on which start reports failure",
      .longdesc = "On the node of this name, start, migrate_from and reload-agent "
                  "report a failure although the resource does start (later monitors "
                  "find it running)." },
    { .name = "envfile",
      .type = RA_T_PATH,
      .flags = RA_P_RELOADABLE,
      .def = "",
      .shortdesc = "Environment dump file",
      .longdesc = "When set, every call appends its environment to this file, with "
                  "secret parameters hidden." },
};

struct dummy {
    char state[4096];
};

static int
dummy_setup(struct ra_ctx *ctx)
{
    struct dummy *d = ctx->data;
    int rc = ra_ctx_state_file(ctx, "state", ".state", d->state, sizeof(d->state));

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    if (ra_given(ctx, "envfile") && ra_env_dump(ctx, ra_str(ctx, "envfile")) < 0) {
        ra_warn(ctx, "cannot write environment to '%s', ignoring", ra_str(ctx, "envfile"));
    }
    return OCF_SUCCESS;
}

static bool
fail_here(const struct ra_ctx *ctx)
{
    char node[256];
    const char *target = ra_str0(ctx, "fail_start_on");

    return *target != '\0' && strcmp(target, ra_node_name(ctx, node, sizeof(node))) == 0;
}

static int
dummy_monitor(struct ra_ctx *ctx)
{
    const struct dummy *d = ctx->data;
    char rc_file[4200];
    long long rc = 0;
    int r = ra_sleep(ctx, ra_ms(ctx, "op_sleep"), "op_sleep");

    if (r != OCF_SUCCESS) {
        return r;
    }
    if (!ra_state_exists(d->state)) {
        return OCF_NOT_RUNNING;
    }
    /* a test switch: a code written to <state>.rc is what monitor reports */
    ra_format_cut(rc_file, sizeof(rc_file), "%s.rc", d->state);
    r = ra_state_read_int(rc_file, 0, 255, &rc);
    if (r == 0 && rc != OCF_SUCCESS) {
        return ra_fail(ctx, (int)rc, "monitor result %lld forced by '%s'", rc, rc_file);
    }
    if (r < 0 && r != -ENOENT) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot read '%s': %s", rc_file,
                       r == -EINVAL ? "not an exit code" : strerror(-r));
    }
    if (ra_check_level(ctx) >= 10) {
        char buf[64];

        r = ra_state_read(d->state, buf, sizeof(buf));
        if (r < 0 || strcmp(buf, "running") != 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "state file '%s' is unreadable or damaged",
                           d->state);
        }
    }
    return OCF_SUCCESS;
}

static int
dummy_start(struct ra_ctx *ctx)
{
    const struct dummy *d = ctx->data;
    int rc = dummy_monitor(ctx);
    int r;

    if (rc != OCF_SUCCESS && rc != OCF_NOT_RUNNING) {
        return rc;
    }
    if (rc == OCF_NOT_RUNNING) {
        r = ra_state_write(d->state, "running\n", 8);
        if (r < 0) {
            return ra_fail(ctx, r == -EACCES ? OCF_ERR_PERM : OCF_ERR_GENERIC,
                           "cannot create state file '%s': %s", d->state, strerror(-r));
        }
    }
    if (fail_here(ctx)) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "start reported as failed on this node "
                       "(fail_start_on), though the resource runs");
    }
    return OCF_SUCCESS;
}

static int
dummy_stop(struct ra_ctx *ctx)
{
    const struct dummy *d = ctx->data;
    int r = ra_sleep(ctx, ra_ms(ctx, "op_sleep"), "op_sleep");

    if (r != OCF_SUCCESS) {
        return r;
    }
    r = ra_state_remove(d->state);
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot remove state file '%s': %s", d->state,
                       strerror(-r));
    }
    return OCF_SUCCESS;
}

static int
dummy_migrate_to(struct ra_ctx *ctx)
{
    const char *target = ra_env_meta("migrate_target");

    ra_info(ctx, "migrating to %s", target ? target : "(unknown)");
    return dummy_stop(ctx);
}

static int
dummy_migrate_from(struct ra_ctx *ctx)
{
    const char *source = ra_env_meta("migrate_source");

    ra_info(ctx, "migrating from %s", source ? source : "(unknown)");
    return dummy_start(ctx);
}

static int
dummy_reload(struct ra_ctx *ctx)
{
    ra_debug(ctx, "reload: nothing to do");
    return OCF_SUCCESS;
}

static int
dummy_reload_agent(struct ra_ctx *ctx)
{
    ra_info(ctx, "reloading parameters");
    return dummy_start(ctx);
}

static int
dummy_validate(struct ra_ctx *ctx)
{
    int rc = dummy_setup(ctx);
    const struct dummy *d = ctx->data;

    if (rc != OCF_SUCCESS) {
        return rc;
    }
    /* OCF 1.1: only validate-all at depth 10 looks at this host */
    if (strcmp(ra_ctx_action(ctx), "validate-all") == 0 && ra_check_level(ctx) >= 10) {
        char dir[4096];
        char *slash;

        if (ra_format(dir, sizeof(dir), "%s", d->state) < 0) {
            return ra_fail(ctx, OCF_ERR_CONFIGURED, "state file path is too long");
        }
        slash = strrchr(dir, '/');
        *(slash == dir ? slash + 1 : slash) = '\0';
        if (access(dir, W_OK | X_OK) < 0) {
            return ra_fail(ctx, OCF_ERR_ARGS, "state directory '%s' is not writable", dir);
        }
    }
    return OCF_SUCCESS;
}

static const struct ra_action dummy_actions[] = {
    { .name = "start", .fn = dummy_start, .timeout_s = 20 },
    { .name = "stop", .fn = dummy_stop, .timeout_s = 20 },
    { .name = "monitor", .fn = dummy_monitor, .timeout_s = 20, .interval_s = 10 },
    { .name = "monitor", .fn = dummy_monitor, .timeout_s = 20, .interval_s = 60, .depth = 10 },
    { .name = "reload", .fn = dummy_reload, .timeout_s = 20 },
    { .name = "reload-agent", .fn = dummy_reload_agent, .timeout_s = 20 },
    { .name = "migrate_to", .fn = dummy_migrate_to, .timeout_s = 20 },
    { .name = "migrate_from", .fn = dummy_migrate_from, .timeout_s = 20 },
    { .name = "validate-all", .timeout_s = 20 },
    { .name = "meta-data", .timeout_s = 5 },
};

static const char *const dummy_positional[] = { "state", NULL };

static const struct ra_agent dummy_agent = {
    .name = "Dummy",
    .shortdesc = "Example stateless resource agent",
    .longdesc = "A resource that exists only as a state file: start creates it, stop "
                "removes it, monitor checks it. It manages nothing, so it is safe to run "
                "anywhere, and its delays and fault switches make it the tool for testing "
                "how a cluster reacts to slow and failing operations.",
    .params = dummy_params,
    .nparams = RA_NELEM(dummy_params),
    .actions = dummy_actions,
    .nactions = RA_NELEM(dummy_actions),
    .validate = dummy_validate,
    .data_size = sizeof(struct dummy),
    .positional = dummy_positional,
};

int
main(int argc, char **argv)
{
    return ra_main(&dummy_agent, argc, argv);
}
