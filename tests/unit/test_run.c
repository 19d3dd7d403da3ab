/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/run.c against real programs (/bin/sh is used here only
 * as a convenient test helper; product code never runs a shell).
 */
#include "unit.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

static struct ra_run_result res;

static int
teardown(void **state)
{
    (void)state;
    ra_run_result_release(&res);
    return 0;
}

static int
run_argv(const char *const *argv, uint64_t budget_ms, const char *input)
{
    struct ra_deadline d;
    struct ra_cmd cmd = { .argv = argv,
                          .deadline = &d,
                          .input = input,
                          .input_len = input ? strlen(input) : 0,
                          .kill_grace_ms = 200 };

    d.end_ms = ra_now_ms() + budget_ms; /* exact budget, no margin */
    return ra_run(&cmd, &res);
}

static void
captures_stdout_stderr_and_exit_code(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_int_equal(res.status, RA_RUN_DONE);
    assert_int_equal(res.exit_code, 3);
    assert_string_equal(res.out, "out\n");
    assert_string_equal(res.err, "err\n");
    assert_false(ra_run_ok(&res));
}

static void
arguments_are_never_interpreted(void **state)
{
    const char *argv[] = { "/usr/bin/printf", "%s|", "$(id)", "a b", "`x`;y", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_true(ra_run_ok(&res));
    assert_string_equal(res.out, "$(id)|a b|`x`;y|");
}

static void
environment_is_minimal(void **state)
{
    const char *argv[] = { "/usr/bin/env", NULL };

    (void)state;
    setenv("OCF_RESKEY_password", "leak-me", 1);
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_null(strstr(res.out, "leak-me"));
    assert_null(strstr(res.out, "OCF_RESKEY"));
    assert_non_null(strstr(res.out, "LC_ALL=C\n"));
    assert_non_null(strstr(res.out, "PATH=/usr/sbin:/usr/bin:/sbin:/bin\n"));
    unsetenv("OCF_RESKEY_password");
}

static void
input_reaches_stdin_not_argv(void **state)
{
    const char *argv[] = { "/bin/cat", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, "secret-on-a-pipe"), 0);
    assert_string_equal(res.out, "secret-on-a-pipe");
}

static void
no_descriptors_leak_into_the_child(void **state)
{
    const char *argv[] = { "/bin/ls", "/proc/self/fd", NULL };
    FILE *f = fopen("/dev/null", "r");

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    /* 0, 1, 2, and the fd ls itself opened for the directory */
    assert_string_equal(res.out, "0\n1\n2\n3\n");
    fclose(f);
}

/* True once @pid is gone or a zombie (its reaper is not ours to hurry). */
static bool
dead_soon(pid_t pid)
{
    char path[64], stat[512];

    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    for (int i = 0; i < 50; i++) {
        FILE *f = fopen(path, "r");
        char *paren;

        if (f == NULL) {
            return true;
        }
        paren = fgets(stat, sizeof(stat), f) ? strrchr(stat, ')') : NULL;
        fclose(f);
        if (paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X')) {
            return true;
        }
        usleep(20000);
    }
    return false;
}

static void
deadline_kills_the_whole_group(void **state)
{
    /* the helper starts a grandchild that ignores TERM; both must die */
    const char *argv[] = { "/bin/sh", "-c", "trap '' TERM; sleep 30 & echo $!; trap '' TERM; wait",
                           NULL };
    uint64_t t0 = ra_now_ms();
    long long grandchild = 0;

    (void)state;
    assert_int_equal(run_argv(argv, 300, NULL), 0);
    assert_int_equal(res.status, RA_RUN_TIMEOUT);
    assert_true(ra_now_ms() - t0 < 2000);
    assert_int_equal(sscanf(res.out, "%lld", &grandchild), 1);
    assert_true(dead_soon((pid_t)grandchild));
}

static void
missing_program_is_an_exec_failure(void **state)
{
    const char *argv[] = { "/nonexistent/tool", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_int_equal(res.status, RA_RUN_EXEC_FAILED);
    assert_int_equal(res.exec_errno, ENOENT);
}

static void
relative_program_is_refused(void **state)
{
    const char *argv[] = { "sh", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), -EINVAL);
}

static void
output_is_capped(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_true(ra_run_ok(&res));
    assert_int_equal(res.out_len, RA_RUN_CAPTURE_MAX);
    assert_true(res.out_truncated);
}

static void
signal_death_is_reported(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "kill -9 $$", NULL };

    (void)state;
    assert_int_equal(run_argv(argv, 5000, NULL), 0);
    assert_int_equal(res.status, RA_RUN_SIGNALED);
    assert_int_equal(res.signo, SIGKILL);
}

static void
daemon_holding_the_pipe_does_not_hold_us(void **state)
{
    const char *argv[] = { "/bin/sh", "-c", "sleep 5 & echo started", NULL };
    uint64_t t0 = ra_now_ms();

    (void)state;
    assert_int_equal(run_argv(argv, 10000, NULL), 0);
    assert_true(ra_run_ok(&res));
    assert_string_equal(res.out, "started\n");
    assert_true(ra_now_ms() - t0 < 2000);
}

static int
fake_tool(void *data, const struct ra_cmd *cmd, struct ra_run_result *ret)
{
    int *calls = data;

    (*calls)++;
    ret->status = RA_RUN_DONE;
    ret->exit_code = strcmp(cmd->argv[1], "--fail") == 0 ? 1 : 0;
    ret->out = strdup("scripted\n");
    ret->err = strdup("");
    return 0;
}

static void
dry_run_hook_sees_argv(void **state)
{
    const char *argv[] = { "/usr/sbin/tool", "--fail", NULL };
    struct ra_deadline d = { .end_ms = ra_now_ms() + 1000 };
    int calls = 0;
    struct ra_cmd cmd = {
        .argv = argv, .deadline = &d, .dry_run = fake_tool, .dry_run_data = &calls
    };

    (void)state;
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_int_equal(calls, 1);
    assert_int_equal(res.exit_code, 1);
    assert_string_equal(res.out, "scripted\n");
}

static void
which_searches_only_vetted_directories(void **state)
{
    char path[256];

    (void)state;
    assert_int_equal(ra_run_which("sh", path, sizeof(path)), 0);
    assert_true(strcmp(path, "/usr/bin/sh") == 0 || strcmp(path, "/bin/sh") == 0);
    assert_int_equal(ra_run_which("no-such-tool-here", path, sizeof(path)), -ENOENT);
    assert_int_equal(ra_run_which("../bin/sh", path, sizeof(path)), -EINVAL);
}

/* uts_name: the child sees that host name, we keep ours (root only: unshare needs it) */
static void
uts_name_is_the_childs_alone(void **state)
{
    const char *argv[] = { "/bin/uname", "-n", NULL };
    char before[256], after[256];
    struct ra_deadline d = { .end_ms = ra_now_ms() + 5000 };
    struct ra_cmd cmd = { .argv = argv, .deadline = &d, .uts_name = "scope-7.test" };
    FILE *f;

    (void)state;
    if (geteuid() != 0) {
        skip();
    }
    assert_int_equal(gethostname(before, sizeof(before)), 0);
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_true(ra_run_ok(&res));
    assert_string_equal(res.out, "scope-7.test\n");
    assert_int_equal(gethostname(after, sizeof(after)), 0);
    assert_string_equal(before, after);
    ra_run_result_release(&res);
    argv[0] = "/bin/ls"; /* no descriptor but 0, 1, 2 (and ls's own) on this path either */
    argv[1] = "/proc/self/fd";
    f = fopen("/dev/null", "r");
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_string_equal(res.out, "0\n1\n2\n3\n");
    fclose(f);
    ra_run_result_release(&res);
    argv[0] = "/nonexistent/tool";
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_int_equal(res.status, RA_RUN_EXEC_FAILED);
    assert_int_equal(res.exec_errno, ENOENT);
}

/* user: the child runs with that user's ids (root only) */
static void
user_is_taken_before_the_exec(void **state)
{
    const char *argv[] = { "/usr/bin/id", "-u", NULL };
    struct ra_deadline d = { .end_ms = ra_now_ms() + 5000 };
    struct ra_cmd cmd = { .argv = argv, .deadline = &d, .user = "nobody" };

    (void)state;
    if (geteuid() != 0) {
        skip();
    }
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_true(ra_run_ok(&res));
    assert_string_equal(res.out, "65534\n");
    ra_run_result_release(&res);
    cmd.user = "no-such-user-here";
    assert_int_equal(ra_run(&cmd, &res), 0);
    assert_int_equal(res.status, RA_RUN_EXEC_FAILED);
}

/* ra_spawn: a session of its own, /dev/null on 0, 1 and 2, not waited for */
static void
spawn_starts_a_daemon(void **state)
{
    const char *argv[] = { "/bin/sleep", "30", NULL };
    struct ra_deadline d = { .end_ms = ra_now_ms() + 5000 };
    struct ra_cmd cmd = { .argv = argv, .deadline = &d };
    char path[64], link[64];
    pid_t pid = 0;
    ssize_t n;

    (void)state;
    assert_int_equal(ra_spawn(&cmd, &pid), 0);
    assert_true(pid > 0);
    assert_int_equal(getsid(pid), pid);
    for (int fd = 0; fd < 3; fd++) {
        snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
        n = readlink(path, link, sizeof(link) - 1);
        assert_true(n > 0);
        link[n] = '\0';
        assert_string_equal(link, "/dev/null");
    }
    snprintf(path, sizeof(path), "/proc/%d/fd/3", (int)pid);
    assert_int_equal(access(path, F_OK), -1); /* nothing else open */
    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    argv[0] = "/nonexistent/daemon";
    assert_int_equal(ra_spawn(&cmd, &pid), -ENOENT);
}

#define T(f) cmocka_unit_test_teardown(f, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(captures_stdout_stderr_and_exit_code),
        T(arguments_are_never_interpreted),
        T(environment_is_minimal),
        T(input_reaches_stdin_not_argv),
        T(no_descriptors_leak_into_the_child),
        T(deadline_kills_the_whole_group),
        T(missing_program_is_an_exec_failure),
        T(relative_program_is_refused),
        T(output_is_capped),
        T(signal_death_is_reported),
        T(daemon_holding_the_pipe_does_not_hold_us),
        T(dry_run_hook_sees_argv),
        T(which_searches_only_vetted_directories),
        T(uts_name_is_the_childs_alone),
        T(user_is_taken_before_the_exec),
        T(spawn_starts_a_daemon),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
