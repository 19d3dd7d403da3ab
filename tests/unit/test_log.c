/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/log.c: files, debug gating, one line, secrets hidden. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static char logfile[64];
static char debugfile[64];

static int
setup(void **state)
{
    int fd1, fd2;

    (void)state;
    strcpy(logfile, "/tmp/ra-test-log-XXXXXX");
    strcpy(debugfile, "/tmp/ra-test-dbg-XXXXXX");
    fd1 = mkstemp(logfile);
    fd2 = mkstemp(debugfile);
    assert_true(fd1 >= 0 && fd2 >= 0);
    close(fd1);
    close(fd2);
    setenv("HA_LOGFILE", logfile, 1);
    setenv("HA_DEBUGLOG", debugfile, 1);
    setenv("HA_LOGFACILITY", "none", 1);
    unsetenv("HA_debug");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    unlink(logfile);
    unlink(debugfile);
    return 0;
}

static char *
slurp(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n;

    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void
line_goes_to_logfile_with_tag_and_priority(void **state)
{
    struct ra_log log;

    (void)state;
    ra_log_init(&log, "Dummy", "d1");
    assert_false(log.to_stderr);
    ra_log(&log, RA_LOG_WARN, "disk %s is %d%% full", "sda", 93);
    ra_log_release(&log);
    assert_non_null(strstr(slurp(logfile), "Dummy(d1)["));
    assert_non_null(strstr(slurp(logfile), "]: WARNING: disk sda is 93% full\n"));
}

static void
debug_only_when_asked_and_to_debuglog(void **state)
{
    struct ra_log log;

    (void)state;
    ra_log_init(&log, "Dummy", "d1");
    ra_log(&log, RA_LOG_DEBUG, "hidden detail");
    assert_null(strstr(slurp(debugfile), "hidden detail"));
    setenv("HA_debug", "1", 1);
    ra_log_init(&log, "Dummy", "d1");
    ra_log(&log, RA_LOG_DEBUG, "shown detail");
    assert_non_null(strstr(slurp(debugfile), "DEBUG: shown detail"));
    assert_null(strstr(slurp(logfile), "shown detail"));
    unsetenv("HA_debug");
}

static void
secrets_are_hidden_everywhere(void **state)
{
    struct ra_log log;
    char buf[256];
    const char *out;

    (void)state;
    ra_log_init(&log, "fence_x", "f1");
    ra_log_add_secret(&log, "s3cr3t");
    ra_log_add_secret(&log, ""); /* ignored: would hide everything */
    ra_log(&log, RA_LOG_ERR, "login with s3cr3t failed; retry s3cr3t");
    out = slurp(logfile);
    assert_null(strstr(out, "s3cr3t"));
    assert_non_null(strstr(out, "login with [hidden] failed; retry [hidden]"));
    ra_log_release(&log);
    (void)buf;
}

static void
newlines_cannot_forge_lines(void **state)
{
    struct ra_log log;
    const char *out;

    (void)state;
    ra_log_init(&log, "Dummy", "d1");
    ra_log(&log, RA_LOG_INFO, "value '%s'", "a\nDummy(d1)[1]: CRIT: forged");
    out = slurp(logfile);
    /* exactly one line was written */
    assert_non_null(strchr(out, '\n'));
    assert_null(strchr(strchr(out, '\n') + 1, '\n'));
    assert_non_null(strstr(out, "a\\nDummy"));
}

static void
stderr_when_nothing_else_is_configured(void **state)
{
    struct ra_log log;

    (void)state;
    unsetenv("HA_LOGFILE");
    ra_log_init(&log, "Dummy", "d1");
    assert_true(log.to_stderr);
    setenv("HA_LOGFILE", logfile, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(line_goes_to_logfile_with_tag_and_priority, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(debug_only_when_asked_and_to_debuglog, setup, teardown),
        cmocka_unit_test_setup_teardown(secrets_are_hidden_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(newlines_cannot_forge_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(stderr_when_nothing_else_is_configured, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
