/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/mount.c: path containment and the real mount table. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mount.h"

static void
path_under_is_by_component(void **state)
{
    (void)state;
    assert_true(ra_path_under("/data", "/data"));
    assert_true(ra_path_under("/data/x/y", "/data"));
    assert_false(ra_path_under("/data2", "/data"));
    assert_false(ra_path_under("/dat", "/data"));
    assert_false(ra_path_under("/", "/data"));
    assert_true(ra_path_under("/anything", "/"));
}

static void
path_clean_removes_only_noise(void **state)
{
    static const char *const cases[][2] = {
        { "/srv//data/", "/srv/data" },
        { "/srv/./data", "/srv/data" },
        { "//", "/" },
        { "/.", "/" },
        { "/a/.", "/a" },
        { "/.hidden/x", "/.hidden/x" },
        { "/a/..b", "/a/..b" },
        { "/a///b//", "/a/b" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[64];

        strcpy(buf, cases[i][0]);
        ra_path_clean(buf);
        assert_string_equal(buf, cases[i][1]);
    }
}

static void
path_canon_resolves_symlinks_as_far_as_the_path_exists(void **state)
{
    char dir[] = "/tmp/rampart-canon-XXXXXX", path[512], link[512], got[4096], want[512];

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/real", dir);
    snprintf(link, sizeof(link), "%s/lnk", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(symlink(path, link), 0);
    /* through the link, to a part that does not exist yet */
    snprintf(path, sizeof(path), "%s//lnk/./not/yet/", dir);
    assert_int_equal(ra_path_canon(path, NULL, got, sizeof(got)), 0);
    snprintf(want, sizeof(want), "%s/real/not/yet", dir);
    assert_string_equal(got, want);
    /* ".." resolved by the kernel's view, not by string */
    snprintf(path, sizeof(path), "%s/lnk/../real", dir);
    assert_int_equal(ra_path_canon(path, NULL, got, sizeof(got)), 0);
    snprintf(want, sizeof(want), "%s/real", dir);
    assert_string_equal(got, want);
    /* ".." after a part that does not exist goes by the string, then resolves */
    snprintf(path, sizeof(path), "%s/no/such/../../lnk/x", dir);
    assert_int_equal(ra_path_canon(path, NULL, got, sizeof(got)), 0);
    snprintf(want, sizeof(want), "%s/real/x", dir);
    assert_string_equal(got, want);
    unlink(link);
    snprintf(path, sizeof(path), "%s/real", dir);
    rmdir(path);
    rmdir(dir);
}

static void
mount_table_has_root(void **state)
{
    struct ra_mounts m;
    const struct ra_mount *root;

    (void)state;
    assert_int_equal(ra_mounts_read(&m), 0);
    assert_true(m.n > 0);
    root = ra_mounts_find(&m, "/");
    assert_non_null(root);
    assert_non_null(root->fstype);
    assert_non_null(root->source);
    assert_null(ra_mounts_find(&m, "/rampart/no/such/mount"));
    ra_mounts_release(&m);
    ra_mounts_release(&m); /* safe twice */
}

static void
escaped_mount_points_are_unescaped(void **state)
{
    char dir[] = "/tmp/ra mount XXXXXX";
    struct ra_mounts m;
    const struct ra_mount *e;

    (void)state;
    if (geteuid() != 0) {
        skip();
    }
    assert_non_null(mkdtemp(dir));
    if (mount("none", dir, "tmpfs", 0, "size=1m") < 0) {
        rmdir(dir);
        skip(); /* no mounting here: nothing to check */
    }
    assert_int_equal(ra_mounts_read(&m), 0);
    e = ra_mounts_find(&m, dir); /* mountinfo writes the space as \040 */
    assert_non_null(e);
    assert_string_equal(e->fstype, "tmpfs");
    ra_mounts_release(&m);
    assert_int_equal(umount(dir), 0);
    rmdir(dir);
}

static void
without_libmount_or_with_it_a_bad_unmount_is_an_error(void **state)
{
    char why[256] = "";

    (void)state;
    assert_true(ra_umount("/rampart/no/such/mount", false, why, sizeof(why)) < 0);
    assert_true(strlen(why) > 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_under_is_by_component),
        cmocka_unit_test(path_clean_removes_only_noise),
        cmocka_unit_test(path_canon_resolves_symlinks_as_far_as_the_path_exists),
        cmocka_unit_test(mount_table_has_root),
        cmocka_unit_test(escaped_mount_points_are_unescaped),
        cmocka_unit_test(without_libmount_or_with_it_a_bad_unmount_is_an_error),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
