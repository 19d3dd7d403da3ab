/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/agent.c: ra_main's dispatch rules and calling
 * conventions, run in-process against a test agent, with stdout and stderr
 * captured.
 */
#include "unit.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"

extern char **environ;

/* What the test agent saw and what it should answer. */
static struct {
    int validate_rc, start_rc, stop_rc, monitor_rc;
    int validate_calls, start_calls, stop_calls, monitor_calls;
    char instance[128];
    char ip[64];
    uint64_t timeout_ms;
    int check_level;
    bool probe;
} t;

static char out[16384], err[16384];

static int
t_validate(struct ra_ctx *ctx)
{
    t.validate_calls++;
    if (t.validate_rc != 0) {
        return ra_fail(ctx, t.validate_rc, "validate says %d", t.validate_rc);
    }
    return OCF_SUCCESS;
}

static int
t_start(struct ra_ctx *ctx)
{
    t.start_calls++;
    snprintf(t.instance, sizeof(t.instance), "%s", ra_instance(ctx));
    snprintf(t.ip, sizeof(t.ip), "%s", ra_str0(ctx, "ip"));
    t.timeout_ms = ctx->timeout_ms;
    if (t.start_rc != 0) {
        return ra_fail(ctx, t.start_rc, "login with '%s' refused", ra_str0(ctx, "password"));
    }
    return OCF_SUCCESS;
}

static int
t_stop(struct ra_ctx *ctx)
{
    (void)ctx;
    t.stop_calls++;
    return t.stop_rc;
}

static int
t_monitor(struct ra_ctx *ctx)
{
    t.monitor_calls++;
    t.check_level = ra_check_level(ctx);
    t.probe = ra_is_probe(ctx);
    snprintf(t.instance, sizeof(t.instance), "%s", ra_instance(ctx));
    snprintf(t.ip, sizeof(t.ip), "%s", ra_str0(ctx, "ip"));
    return t.monitor_rc;
}

static const struct ra_param t_params[] = {
    { .name = "ip",
      .type = RA_T_IPADDR,
      .flags = RA_P_REQUIRED | RA_P_IDENTITY,
      .shortdesc = "address" },
    { .name = "nic", .type = RA_T_STRING, .shortdesc = "interface" },
    { .name = "password", .type = RA_T_STRING, .flags = RA_P_SECRET, .shortdesc = "pw" },
    { .name = "old",
      .type = RA_T_STRING,
      .flags = RA_P_DEPRECATED,
      .replaced_with = "nic",
      .shortdesc = "old" },
};

static const struct ra_action t_actions[] = {
    { .name = "start", .fn = t_start, .timeout_s = 40 },
    { .name = "stop", .fn = t_stop, .timeout_s = 20 },
    { .name = "monitor", .fn = t_monitor, .timeout_s = 20, .interval_s = 10 },
    { .name = "promote", .fn = t_start, .timeout_s = 20 },
};

static const char *const t_positional[] = { "ip", "nic", NULL };

static const struct ra_agent t_agent = {
    .name = "T",
    .shortdesc = "test",
    .longdesc = "test agent",
    .params = t_params,
    .nparams = RA_NELEM(t_params),
    .actions = t_actions,
    .nactions = RA_NELEM(t_actions),
    .validate = t_validate,
    .positional = t_positional,
};

static char cmocka_output[32];

static int
setup(void **state)
{
    (void)state;
    clearenv();
    if (cmocka_output[0] != '\0') {
        setenv("CMOCKA_MESSAGE_OUTPUT", cmocka_output, 1);
    }
    setenv("PATH", "/usr/bin:/bin", 1);
    setenv("OCF_RESKEY_ip", "10.0.0.1", 1);
    memset(&t, 0, sizeof(t));
    t.monitor_rc = OCF_NOT_RUNNING;
    return 0;
}

static void
slurp(int fd, char *buf, size_t cap)
{
    ssize_t n = pread(fd, buf, cap - 1, 0);

    buf[n > 0 ? n : 0] = '\0';
}

/* Run ra_main with the given arguments (argv[0] first); capture its output. */
static int
call_argv(const char *const *args)
{
    char *argv[16];
    int argc = 0, rc;
    FILE *fo = tmpfile(), *fe = tmpfile();
    int saved_out = dup(1), saved_err = dup(2);

    assert_non_null(fo);
    assert_non_null(fe);
    while (args[argc] != NULL) {
        argv[argc] = (char *)(uintptr_t)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    rc = ra_main(&t_agent, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    slurp(fileno(fo), out, sizeof(out));
    slurp(fileno(fe), err, sizeof(err));
    fclose(fo);
    fclose(fe);
    return rc;
}

static int
call(const char *action)
{
    const char *args[] = { "/usr/lib/ocf/resource.d/rampart/T", action, NULL };

    return call_argv(args);
}

/* The last line of stderr. */
static const char *
last_line(void)
{
    size_t n = strlen(err);
    const char *p;

    if (n > 0 && err[n - 1] == '\n') {
        n--;
    }
    for (p = err + n; p > err && p[-1] != '\n'; p--) {
    }
    return p;
}

static void
assert_reason(const char *want)
{
    char line[1024];

    snprintf(line, sizeof(line), "ocf-exit-reason:%s\n", want);
    assert_string_equal(last_line(), line);
}

static void
meta_data_needs_no_environment(void **state)
{
    (void)state;
    unsetenv("OCF_RESKEY_ip");
    unsetenv("PATH");
    assert_int_equal(call("meta-data"), OCF_SUCCESS);
    assert_non_null(strstr(out, "<resource-agent name=\"T\""));
    assert_non_null(strstr(out, "<version>1.0</version>"));
    assert_int_equal(t.validate_calls, 0);
    assert_string_equal(err, "");
}

static void
meta_data_is_ocf11_when_the_caller_speaks_it(void **state)
{
    (void)state;
    setenv("OCF_RA_VERSION_MAJOR", "1", 1);
    setenv("OCF_RA_VERSION_MINOR", "1", 1);
    assert_int_equal(call("meta-data"), OCF_SUCCESS);
    assert_non_null(strstr(out, "<version>1.1</version>"));
    assert_int_equal(call("metadata"), OCF_SUCCESS);
}

static void
usage_and_help(void **state)
{
    (void)state;
    assert_int_equal(call("usage"), OCF_SUCCESS);
    assert_non_null(
        strstr(out, "usage: T {start|stop|monitor|promote|validate-all|meta-data|usage}"));
    assert_int_equal(call("help"), OCF_SUCCESS);
}

static void
unknown_action_is_unimplemented(void **state)
{
    (void)state;
    assert_int_equal(call("frobnicate"), OCF_ERR_UNIMPLEMENTED);
    assert_reason("unknown action 'frobnicate'");
    assert_int_equal(call("demote"), OCF_ERR_UNIMPLEMENTED);
    assert_int_equal(t.validate_calls, 0);
}

static void
no_action_is_an_argument_error(void **state)
{
    const char *args[] = { "/x/T", NULL };

    (void)state;
    assert_int_equal(call_argv(args), OCF_ERR_ARGS);
    assert_reason("no action given");
}

static void
extra_arguments_are_ignored_in_ocf_mode(void **state)
{
    const char *args[] = { "/x/T", "start", "extra", "stop", NULL };

    (void)state;
    assert_int_equal(call_argv(args), OCF_SUCCESS);
    assert_int_equal(t.start_calls, 1);
}

static void
missing_required_parameter_fails_start_with_reason(void **state)
{
    (void)state;
    unsetenv("OCF_RESKEY_ip");
    assert_int_equal(call("start"), OCF_ERR_CONFIGURED);
    assert_reason("required parameter 'ip' is not set");
    assert_int_equal(t.start_calls, 0);
    assert_int_equal(t.validate_calls, 0);
}

static void
invalid_configuration_on_stop_is_success(void **state)
{
    (void)state;
    setenv("OCF_RESKEY_ip", "not-an-ip", 1);
    assert_int_equal(call("stop"), OCF_SUCCESS);
    assert_int_equal(t.stop_calls, 0);
    assert_null(strstr(err, "ocf-exit-reason:"));
    /* an agent's own validate failing the same way */
    setenv("OCF_RESKEY_ip", "10.0.0.1", 1);
    t.validate_rc = OCF_ERR_INSTALLED;
    assert_int_equal(call("stop"), OCF_SUCCESS);
    /* but a failure that is not about the configuration is not hidden */
    t.validate_rc = OCF_ERR_GENERIC;
    assert_int_equal(call("stop"), OCF_ERR_GENERIC);
}

static void
invalid_configuration_on_probe_is_not_running(void **state)
{
    (void)state;
    setenv("OCF_RESKEY_ip", "300.1.1.1", 1);
    setenv("OCF_RESKEY_CRM_meta_interval", "0", 1);
    assert_int_equal(call("monitor"), OCF_NOT_RUNNING);
    assert_int_equal(t.monitor_calls, 0);
    /* a recurring monitor reports the error */
    setenv("OCF_RESKEY_CRM_meta_interval", "10000", 1);
    assert_int_equal(call("monitor"), OCF_ERR_CONFIGURED);
    assert_reason("parameter 'ip' must be an IPv4 or IPv6 address, not '300.1.1.1'");
}

static void
validate_runs_before_resource_actions(void **state)
{
    static const char *const actions[] = { "start", "stop", "monitor", "promote" };

    (void)state;
    for (size_t i = 0; i < 4; i++) {
        int before = t.validate_calls;

        call(actions[i]);
        assert_int_equal(t.validate_calls, before + 1);
    }
    t.validate_rc = OCF_ERR_CONFIGURED;
    assert_int_equal(call("start"), OCF_ERR_CONFIGURED);
    assert_int_equal(t.start_calls, 2); /* start and promote, not this start */
    assert_reason("validate says 6");
}

static void
validate_all_reports_validation_only(void **state)
{
    (void)state;
    assert_int_equal(call("validate-all"), OCF_SUCCESS);
    t.validate_rc = OCF_ERR_ARGS;
    assert_int_equal(call("validate-all"), OCF_ERR_ARGS);
    assert_int_equal(call("verify-all"), OCF_ERR_ARGS);
    setenv("OCF_RESKEY_ip", "bogus", 1);
    assert_int_equal(call("validate-all"), OCF_ERR_CONFIGURED);
    assert_int_equal(t.start_calls + t.stop_calls + t.monitor_calls, 0);
}

static void
exit_reason_is_the_last_line_with_the_callers_prefix(void **state)
{
    (void)state;
    t.start_rc = OCF_ERR_GENERIC;
    setenv("OCF_EXIT_REASON_PREFIX", "why:", 1);
    assert_int_equal(call("start"), OCF_ERR_GENERIC);
    assert_string_equal(last_line(), "why:login with '' refused\n");
}

static void
secret_never_reaches_output(void **state)
{
    (void)state;
    setenv("OCF_RESKEY_password", "s3cr3t-value", 1);
    t.start_rc = OCF_ERR_PERM;
    assert_int_equal(call("start"), OCF_ERR_PERM);
    assert_null(strstr(err, "s3cr3t-value"));
    assert_reason("login with '[hidden]' refused");
}

static void
deprecated_parameter_warns(void **state)
{
    (void)state;
    setenv("OCF_RESKEY_old", "x", 1);
    assert_int_equal(call("start"), OCF_SUCCESS);
    assert_non_null(strstr(err, "WARNING: parameter 'old' is deprecated, use 'nic'"));
}

static void
timeout_comes_from_pacemaker_or_the_table(void **state)
{
    (void)state;
    assert_int_equal(call("start"), OCF_SUCCESS);
    assert_int_equal(t.timeout_ms, 40000);
    setenv("OCF_RESKEY_CRM_meta_timeout", "7000", 1);
    assert_int_equal(call("start"), OCF_SUCCESS);
    assert_int_equal(t.timeout_ms, 7000);
}

static void
check_level_and_probe_detection(void **state)
{
    (void)state;
    setenv("OCF_RESKEY_OCF_CHECK_LEVEL", "20", 1);
    call("monitor");
    assert_int_equal(t.check_level, 20);
    assert_true(t.probe);
    setenv("OCF_CHECK_LEVEL", "10", 1);
    setenv("OCF_RESKEY_CRM_meta_interval", "20000", 1);
    call("monitor");
    assert_int_equal(t.check_level, 10);
    assert_false(t.probe);
    setenv("OCF_CHECK_LEVEL", "deep", 1);
    call("monitor");
    assert_int_equal(t.check_level, 0);
    assert_non_null(strstr(err, "OCF_CHECK_LEVEL is not a number"));
}

static void
heartbeat_positional_arguments(void **state)
{
    const char *start[] = { "/etc/ha.d/resource.d/T", "10.9.9.9", "eth7", "start", NULL };
    const char *status[] = { "/somewhere/T", "10.9.9.9", "status", NULL };
    const char *many[] = { "/somewhere/T", "10.9.9.9", "a", "b", "start", NULL };

    (void)state;
    unsetenv("OCF_RESKEY_ip");
    assert_int_equal(call_argv(start), OCF_SUCCESS);
    assert_string_equal(t.ip, "10.9.9.9");
    assert_string_equal(t.instance, "T_10.9.9.9");

    unsetenv("OCF_RESKEY_ip");
    unsetenv("OCF_RESOURCE_INSTANCE");
    t.monitor_rc = OCF_SUCCESS;
    assert_int_equal(call_argv(status), 0);
    assert_string_equal(out, "running\n");
    t.monitor_rc = OCF_NOT_RUNNING;
    assert_int_equal(call_argv(status), 3);
    assert_string_equal(out, "stopped\n");
    t.monitor_rc = OCF_ERR_GENERIC;
    assert_int_equal(call_argv(status), 4);
    /*
     * heartbeat knows only running and stopped: unsure must never read as
     * stopped (it would start the resource on a second node), so it reads
     * as running, as heartbeat's own drbddisk says it
     */
    assert_string_equal(out, "running (cannot identify status)\n");

    assert_int_equal(call_argv(many), OCF_ERR_ARGS);
    assert_reason("too many arguments for T (at most 2)");
}

static char conf[64];

static void
write_conf(const char *text)
{
    int fd;

    snprintf(conf, sizeof(conf), "/tmp/ra-test-conf-XXXXXX");
    fd = mkstemp(conf);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    setenv("RAMPART_CONF", conf, 1);
}

static void
lsb_with_a_parameter_file(void **state)
{
    (void)state;
    unsetenv("OCF_RESKEY_ip");
    write_conf("# the service address\n\nip = \"10.4.4.4\"\nOCF_RESKEY_nic='eth1'\nbogus=1\n");
    assert_int_equal(call("start"), 0);
    assert_string_equal(t.ip, "10.4.4.4");
    assert_non_null(strstr(err, "unknown parameter 'bogus', ignoring"));

    t.monitor_rc = OCF_SUCCESS;
    assert_int_equal(call("status"), LSB_STATUS_RUNNING);
    assert_non_null(strstr(out, "is running"));
    t.monitor_rc = OCF_NOT_RUNNING;
    assert_int_equal(call("status"), LSB_STATUS_NOT_RUNNING);
    t.monitor_rc = OCF_ERR_GENERIC;
    assert_int_equal(call("status"), LSB_STATUS_UNKNOWN);

    t.monitor_rc = OCF_SUCCESS;
    t.start_calls = t.stop_calls = 0;
    assert_int_equal(call("restart"), 0);
    assert_int_equal(t.stop_calls, 1);
    assert_int_equal(t.start_calls, 1);
    assert_int_equal(call("force-reload"), 0);
    assert_int_equal(t.start_calls, 2);
    t.monitor_rc = OCF_NOT_RUNNING;
    assert_int_equal(call("try-restart"), 0);
    assert_int_equal(t.start_calls, 2);
    assert_int_equal(call("bogus"), 3);
    unlink(conf);

    write_conf("ip 10.0.0.1\n");
    assert_int_equal(call("start"), OCF_ERR_CONFIGURED);
    assert_non_null(strstr(last_line(), "line 1: expected name=value"));
    unlink(conf);
    setenv("RAMPART_CONF", "/nonexistent/conf", 1);
    assert_int_equal(call("start"), OCF_ERR_CONFIGURED);
    assert_int_equal(call("stop"), OCF_SUCCESS); /* nothing can run without a config */
}

static void
rgmanager_status_recover_and_migrate(void **state)
{
    const char *migrate[] = { "/usr/share/cluster/T", "migrate", "node2", NULL };

    (void)state;
    setenv("OCF_ROOT", "/usr/share/cluster", 1);
    t.monitor_rc = OCF_NOT_RUNNING;
    assert_int_equal(call("status"), OCF_NOT_RUNNING); /* OCF codes, not LSB */
    assert_string_equal(out, "");
    assert_int_equal(call("recover"), OCF_SUCCESS);
    assert_int_equal(t.stop_calls, 1);
    assert_int_equal(t.start_calls, 1);
    t.stop_rc = OCF_ERR_GENERIC;
    assert_int_equal(call("recover"), OCF_ERR_GENERIC);
    assert_int_equal(t.start_calls, 1);
    /* T has no migrate_to: unimplemented, and the target was passed on */
    assert_int_equal(call_argv(migrate), OCF_ERR_UNIMPLEMENTED);
    assert_string_equal(getenv("OCF_RESKEY_CRM_meta_migrate_target"), "node2");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
    const char *fmt = getenv("CMOCKA_MESSAGE_OUTPUT");
    const struct CMUnitTest tests[] = {
        T(meta_data_needs_no_environment),
        T(meta_data_is_ocf11_when_the_caller_speaks_it),
        T(usage_and_help),
        T(unknown_action_is_unimplemented),
        T(no_action_is_an_argument_error),
        T(extra_arguments_are_ignored_in_ocf_mode),
        T(missing_required_parameter_fails_start_with_reason),
        T(invalid_configuration_on_stop_is_success),
        T(invalid_configuration_on_probe_is_not_running),
        T(validate_runs_before_resource_actions),
        T(validate_all_reports_validation_only),
        T(exit_reason_is_the_last_line_with_the_callers_prefix),
        T(secret_never_reaches_output),
        T(deprecated_parameter_warns),
        T(timeout_comes_from_pacemaker_or_the_table),
        T(check_level_and_probe_detection),
        T(heartbeat_positional_arguments),
        T(lsb_with_a_parameter_file),
        T(rgmanager_status_recover_and_migrate),
    };

    snprintf(cmocka_output, sizeof(cmocka_output), "%s", fmt ? fmt : "");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
