/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/nfs.c: etab's lines, export options, nfs.conf as
 * nfs-utils reads it (nfs.conf.d, the last setting winning, the state
 * directory), and one walk of the process table counting names.
 */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nfs.h"
#include "proc.h"

static char dir[64], conf[128];

static void
put(const char *name, const char *text)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/ra-nfs-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(conf, sizeof(conf), "%s/nfs.conf", dir);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void
etab_lines_decoded(void **state)
{
    struct ra_exports e;

    (void)state;
    put("etab", "/srv/a\\040b\t10.0.0.0/24(rw,sync,fsid=7)\n#x\tno(thing)\n"
                "/srv/c\t*(ro,fsid=0)\nbroken line\n");
    snprintf(conf, sizeof(conf), "%s/etab", dir);
    assert_int_equal(ra_exports_read(conf, &e), 0);
    assert_int_equal(e.n, 2);
    assert_string_equal(e.v[0].path, "/srv/a b");
    assert_string_equal(e.v[0].client, "10.0.0.0/24");
    assert_string_equal(e.v[1].opts, "ro,fsid=0");
    ra_exports_release(&e);
    snprintf(conf, sizeof(conf), "%s/none", dir);
    assert_int_equal(ra_exports_read(conf, &e), 0); /* missing: empty */
    assert_int_equal(e.n, 0);
    ra_exports_release(&e);
}

static void
export_options_by_key(void **state)
{
    char v[16];

    (void)state;
    assert_true(ra_export_opt("rw,fsid=12,sync", "fsid", v, sizeof(v)));
    assert_string_equal(v, "12");
    assert_false(ra_export_opt("rw,nofsid=1", "fsid", v, sizeof(v)));
    assert_false(ra_export_opt("fsid=0123456789abcdef0123", "fsid", v, sizeof(v))); /* too long */
}

static void
conf_sections_keys_and_the_last_setting(void **state)
{
    char v[128], d[160];

    (void)state;
    put("nfs.conf", "# comment\n[general]\nstate-directory-path=/wrong\n"
                    "[Mountd]\n  State-Directory-Path = \"/srv/state\"  \n"
                    "[mountd \"sub\"]\nstate-directory-path=/sub\n");
    assert_true(ra_nfs_conf_get(conf, "mountd", "state-directory-path", v, sizeof(v)));
    assert_string_equal(v, "/srv/state");
    assert_false(ra_nfs_conf_get(conf, "mountd", "port", v, sizeof(v)));
    ra_nfs_state_dir(conf, v, sizeof(v));
    assert_string_equal(v, "/srv/state");
    /* nfs.conf.d: in name order, after nfs.conf, the last one wins */
    snprintf(d, sizeof(d), "%s/nfs.conf.d", dir);
    assert_int_equal(mkdir(d, 0755), 0);
    put("nfs.conf.d/20-b.conf", "[mountd]\nstate-directory-path=/b\n");
    put("nfs.conf.d/10-a.conf", "[mountd]\nstate-directory-path=/a\n");
    put("nfs.conf.d/30-c.txt", "[mountd]\nstate-directory-path=/not-a-conf\n");
    ra_nfs_state_dir(conf, v, sizeof(v));
    assert_string_equal(v, "/b");
}

static void
state_dir_from_exportd_or_the_default(void **state)
{
    char v[128];

    (void)state;
    ra_nfs_state_dir(conf, v, sizeof(v)); /* no file at all */
    assert_string_equal(v, RA_NFS_STATE);
    put("nfs.conf", "[exportd]\nstate-directory-path=/e\n");
    ra_nfs_state_dir(conf, v, sizeof(v));
    assert_string_equal(v, "/e");
    put("nfs.conf", "[mountd]\nstate-directory-path=relative\n");
    ra_nfs_state_dir(conf, v, sizeof(v));
    assert_string_equal(v, RA_NFS_STATE);
}

static void
conf_quotes_and_empty_values(void **state)
{
    char v[128];

    (void)state;
    put("nfs.conf", "[mountd]\nstate-directory-path='/q'\n[statd]\nstate-directory-path=/s\n"
                    "state-directory-path=\n");
    assert_true(ra_nfs_conf_get(conf, "mountd", "state-directory-path", v, sizeof(v)));
    assert_string_equal(v, "/q");
    /* an empty value leaves the one before */
    assert_true(ra_nfs_conf_get(conf, "statd", "state-directory-path", v, sizeof(v)));
    assert_string_equal(v, "/s");
    ra_nfs_statd_dir(conf, v, sizeof(v));
    assert_string_equal(v, "/s");
}

static bool
exists(const char *rel)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return access(path, F_OK) == 0;
}

static void
records_synced_merged_and_never_through_a_link(void **state)
{
    char path[256], target[256];

    (void)state;
    snprintf(path, sizeof(path), "%s/sm", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    put("sm/10.0.0.3", "record three\n");
    put("sm/10.0.0.4", "record four\n");
    /* a copy: the directories made, both files there */
    assert_int_equal(ra_nfs_sync_records(dir, "sm", "sm.ha/sm", false), 0);
    assert_true(exists("sm.ha/sm/10.0.0.3") && exists("sm.ha/sm/10.0.0.4"));
    /* a file sm/ no longer has goes from the copy; a missing source changes nothing */
    snprintf(path, sizeof(path), "%s/sm/10.0.0.4", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(ra_nfs_sync_records(dir, "sm", "sm.ha/sm", false), 0);
    assert_false(exists("sm.ha/sm/10.0.0.4"));
    assert_int_equal(ra_nfs_sync_records(dir, "none", "sm.ha/sm", false), -ENOENT);
    assert_true(exists("sm.ha/sm/10.0.0.3"));
    /* a merge back keeps what is there and removes nothing */
    put("sm/10.0.0.3", "newer\n");
    put("sm.ha/sm/10.0.0.5", "five\n");
    assert_int_equal(ra_nfs_sync_records(dir, "sm.ha/sm", "sm", true), 0);
    assert_true(exists("sm/10.0.0.5"));
    {
        char buf[32] = "";
        FILE *f;

        snprintf(path, sizeof(path), "%s/sm/10.0.0.3", dir);
        f = fopen(path, "r");
        assert_non_null(f);
        assert_non_null(fgets(buf, sizeof(buf), f));
        fclose(f);
        assert_string_equal(buf, "newer\n");
    }
    /* a symlink anywhere on the way is refused, and nothing is written through it */
    snprintf(target, sizeof(target), "%s/elsewhere", dir);
    assert_int_equal(mkdir(target, 0755), 0);
    snprintf(path, sizeof(path), "%s/sm.link", dir);
    assert_int_equal(symlink(target, path), 0);
    {
        int r = ra_nfs_sync_records(dir, "sm", "sm.link/sm", false);

        assert_true(r == -ELOOP || r == -ENOTDIR); /* (O_DIRECTORY|O_NOFOLLOW says either) */
    }
    assert_false(exists("elsewhere/sm"));
    assert_true(ra_nfs_sync_records(dir, "sm", "../x", false) < 0);
    /* the state number too */
    put("state", "1234");
    assert_int_equal(ra_nfs_copy_state(dir, "copy"), 0);
    assert_true(exists("copy/state"));
}

static void
one_walk_counts_each_name(void **state)
{
    const char *const names[] = { "test_nfs", "no-such-comm", NULL };
    size_t n[3];

    (void)state;
    assert_int_equal(ra_proc_count_comms(names, n), 0);
    assert_int_equal(n[0], 1); /* this test */
    assert_int_equal(n[1], 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(etab_lines_decoded),
        T(export_options_by_key),
        T(conf_sections_keys_and_the_last_setting),
        T(state_dir_from_exportd_or_the_default),
        T(conf_quotes_and_empty_values),
        T(records_synced_merged_and_never_through_a_link),
        T(one_walk_counts_each_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
