/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/state.c and lib/deadline.c on a real file system. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"

static char dir[64];

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ra-state-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    /* test-only cleanup of our own temporary tree */
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void
state_dir_from_environment(void **state)
{
    (void)state;
    unsetenv("HA_RSCTMP");
    assert_string_equal(ra_state_dir(), "/run/resource-agents");
    setenv("HA_RSCTMP", "/tmp/x", 1);
    assert_string_equal(ra_state_dir(), "/tmp/x");
    setenv("HA_RSCTMP", "relative", 1);
    assert_string_equal(ra_state_dir(), "/run/resource-agents");
    unsetenv("HA_RSCTMP");
}

static void
path_cannot_escape_the_directory(void **state)
{
    char p[128];

    (void)state;
    assert_int_equal(ra_state_path(p, sizeof(p), "/run/ra", "Dummy-", "../../etc/passwd", ".state"),
                     0);
    assert_string_equal(p, "/run/ra/Dummy-.._.._etc_passwd.state");
    assert_int_equal(ra_state_path(p, 16, "/run/ra", "Dummy-", "long-instance", ".state"),
                     -ENAMETOOLONG);
}

static void
write_read_remove_roundtrip(void **state)
{
    char p[128], buf[64];

    (void)state;
    snprintf(p, sizeof(p), "%s/sub/dir/file", dir);
    assert_int_equal(ra_state_read(p, buf, sizeof(buf)), -ENOENT);
    assert_false(ra_state_exists(p));
    assert_int_equal(ra_state_write(p, "Promoted\n", 9), 0);
    assert_true(ra_state_exists(p));
    assert_int_equal(ra_state_read(p, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "Promoted");
    assert_int_equal(ra_state_write(p, "x", 1), 0);
    assert_int_equal(ra_state_read(p, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "x");
    assert_int_equal(ra_state_remove(p), 0);
    assert_int_equal(ra_state_remove(p), 0);
    assert_false(ra_state_exists(p));
}

static void
read_refuses_oversized_files_and_parses_ints(void **state)
{
    char p[128], small[4];
    long long v = 0;

    (void)state;
    snprintf(p, sizeof(p), "%s/rc", dir);
    assert_int_equal(ra_state_write(p, "1234567", 7), 0);
    assert_int_equal(ra_state_read(p, small, sizeof(small)), -EFBIG);
    assert_int_equal(ra_state_write(p, "7\n", 2), 0);
    assert_int_equal(ra_state_read_int(p, 0, 255, &v), 0);
    assert_int_equal(v, 7);
    assert_int_equal(ra_state_write(p, "seven", 5), 0);
    assert_int_equal(ra_state_read_int(p, 0, 255, &v), -EINVAL);
    assert_int_equal(ra_state_write(p, "300", 3), 0);
    assert_int_equal(ra_state_read_int(p, 0, 255, &v), -EINVAL);
    assert_int_equal(v, 7);
}

static void
lock_waits_then_gives_up_at_the_deadline(void **state)
{
    char p[128];
    struct ra_deadline d;
    int fd1 = -1, fd2 = -1;
    uint64_t t0;

    (void)state;
    snprintf(p, sizeof(p), "%s/locks/x.lock", dir);
    d.end_ms = ra_now_ms() + 5000;
    assert_int_equal(ra_lock_acquire(p, &d, &fd1), 0);
    /* a second open file description contends like another process would */
    d.end_ms = ra_now_ms() + 200;
    t0 = ra_now_ms();
    assert_int_equal(ra_lock_acquire(p, &d, &fd2), -ETIME);
    assert_true(ra_now_ms() - t0 >= 150);
    ra_lock_release(fd1);
    d.end_ms = ra_now_ms() + 200;
    assert_int_equal(ra_lock_acquire(p, &d, &fd2), 0);
    ra_lock_release(fd2);
}

static void
deadline_margin_and_sleep(void **state)
{
    struct ra_deadline d;
    uint64_t t0;

    (void)state;
    assert_int_equal(ra_deadline_margin_ms(20000), 2000);
    assert_int_equal(ra_deadline_margin_ms(1000), 200);
    assert_int_equal(ra_deadline_margin_ms(600000), 5000);
    assert_int_equal(ra_deadline_margin_ms(300), 200);
    assert_int_equal(ra_deadline_margin_ms(100), 50);
    ra_deadline_init(&d, 1000); /* 800 ms usable */
    assert_true(ra_deadline_left_ms(&d) <= 800);
    t0 = ra_now_ms();
    assert_int_equal(ra_deadline_sleep(&d, 50), 0);
    assert_int_equal(ra_deadline_sleep(&d, 5000), -ETIME);
    assert_true(ra_now_ms() - t0 < 1000);
    assert_true(ra_deadline_expired(&d));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(state_dir_from_environment),
        T(path_cannot_escape_the_directory),
        T(write_read_remove_roundtrip),
        T(read_refuses_oversized_files_and_parses_ints),
        T(lock_waits_then_gives_up_at_the_deadline),
        T(deadline_margin_and_sleep),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
