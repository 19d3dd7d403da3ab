/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/proc.c: finding the processes that use a directory
 * tree (real processes, this test's children) and signalling them.
 */
#include "unit.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"

static char dir[64];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ra-proc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    char path[128];

    (void)state;
    snprintf(path, sizeof(path), "%s/file", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

/* A child that holds @dir as its working directory (cwd) or an open file (!cwd). */
static pid_t
holder(bool cwd)
{
    int ready[2];
    pid_t pid;
    char c;

    assert_int_equal(pipe(ready), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char path[128];

        if (cwd) {
            if (chdir(dir) < 0) {
                _exit(1);
            }
        } else {
            snprintf(path, sizeof(path), "%s/file", dir);
            if (open(path, O_CREAT | O_RDWR, 0600) < 0 || chdir("/") < 0) {
                _exit(1);
            }
        }
        if (write(ready[1], "x", 1) != 1) {
            _exit(1);
        }
        for (;;) {
            pause();
        }
    }
    close(ready[1]);
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    return pid;
}

static bool
contains(const struct ra_pids *p, pid_t pid)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->v[i] == pid) {
            return true;
        }
    }
    return false;
}

static void
finds_cwd_and_open_file_holders_and_signals_them(void **state)
{
    struct ra_pids users = { 0 };
    pid_t a, b;
    int status;
    char text[64];

    (void)state;
    a = holder(true);
    b = holder(false);
    assert_int_equal(ra_proc_users(dir, -1, &users), 0);
    assert_true(contains(&users, a));
    assert_true(contains(&users, b));
    assert_false(contains(&users, getpid())); /* never ourselves */
    assert_non_null(strstr(ra_pids_str(&users, text, sizeof(text)), " "));
    ra_proc_signal(&users, SIGTERM);
    assert_int_equal(waitpid(a, &status, 0), a);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    assert_int_equal(waitpid(b, &status, 0), b);
    ra_pids_release(&users);
}

static void
a_neighbour_directory_is_not_a_match(void **state)
{
    struct ra_pids users = { 0 };
    char other[80];
    pid_t a;

    (void)state;
    a = holder(true);
    /* "/tmp/ra-proc-XXXXXX2" shares a prefix but is another directory */
    snprintf(other, sizeof(other), "%s2", dir);
    assert_int_equal(ra_proc_users(other, -1, &users), 0);
    assert_false(contains(&users, a));
    ra_pids_release(&users);
    kill(a, SIGKILL);
    waitpid(a, NULL, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(finds_cwd_and_open_file_holders_and_signals_them, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_neighbour_directory_is_not_a_match, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
