/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/param.c: loading typed parameters from the
 * environment, with the bad input the issue names (missing, wrong type, out
 * of range, shell metacharacters, newlines, 1 MiB, non-UTF-8).  Every
 * failure must be one line that names the parameter.
 */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "param.h"

static const char *const fsck_values[] = { "auto", "force", "no", NULL };

static const struct ra_param params[] = {
    { .name = "ip", .type = RA_T_IPADDR, .flags = RA_P_REQUIRED, .shortdesc = "ip" },
    { .name = "cidr_netmask", .type = RA_T_INTEGER, .min = 0, .max = 128, .shortdesc = "n" },
    { .name = "flag", .type = RA_T_BOOLEAN, .def = "false", .shortdesc = "b" },
    { .name = "run_fsck",
      .type = RA_T_ENUM,
      .values = fsck_values,
      .def = "auto",
      .shortdesc = "e" },
    { .name = "wait", .type = RA_T_TIME, .def = "5s", .shortdesc = "t" },
    { .name = "dir", .type = RA_T_PATH, .shortdesc = "p" },
    { .name = "port", .type = RA_T_PORT, .def = "623", .shortdesc = "port" },
    { .name = "password",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .max_len = 64,
      .shortdesc = "s" },
    { .name = "options", .type = RA_T_STRING, .max_len = 2 * 1024 * 1024, .shortdesc = "o" },
    { .name = "passwd",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .alias_of = "password",
      .max_len = 64,
      .shortdesc = "old name" },
};

#define N RA_NELEM(params)

static int
clean_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < N; i++) {
        char key[64];

        snprintf(key, sizeof(key), "OCF_RESKEY_%s", params[i].name);
        unsetenv(key);
    }
    setenv("OCF_RESKEY_ip", "10.1.2.3", 1);
    return 0;
}

static int
load(struct ra_value *v, char *why, size_t cap)
{
    why[0] = '\0';
    return ra_param_load(params, N, v, why, cap);
}

static void
assert_one_line(const char *why)
{
    assert_true(strlen(why) > 0);
    assert_null(strchr(why, '\n'));
    assert_null(strchr(why, '\r'));
}

static void
defaults_apply_and_types_parse(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    assert_int_equal(load(v, why, sizeof(why)), 0);
    assert_true(v[0].given);
    assert_int_equal(v[0].ip.family, 2 /* AF_INET */);
    assert_null(v[1].str);
    assert_false(v[2].given);
    assert_int_equal(v[2].num, 0);
    assert_int_equal(v[3].num, 0); /* auto */
    assert_int_equal(v[4].num, 5000);
    assert_int_equal(v[6].num, 623);
}

static void
empty_value_counts_as_not_given(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_wait", "", 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
    assert_false(v[4].given);
    assert_int_equal(v[4].num, 5000);
    setenv("OCF_RESKEY_ip", "", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "required parameter 'ip' is not set");
}

static void
missing_required_parameter(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    unsetenv("OCF_RESKEY_ip");
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "required parameter 'ip' is not set");
}

static void
wrong_type_names_parameter_and_value(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_cidr_netmask", "twenty-four", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'cidr_netmask' must be an integer, not 'twenty-four'");
}

static void
out_of_range_integer(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_cidr_netmask", "129", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'cidr_netmask' must be from 0 to 128, not '129'");
    setenv("OCF_RESKEY_cidr_netmask", "99999999999999999999999", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_one_line(why);
}

static void
bad_boolean_enum_time_path_port_ip(void **state)
{
    static const struct {
        const char *key, *value, *want;
    } cases[] = {
        { "OCF_RESKEY_flag", "perhaps", "parameter 'flag' must be a boolean" },
        { "OCF_RESKEY_run_fsck", "always",
          "parameter 'run_fsck' must be one of auto, force, no, not 'always'" },
        { "OCF_RESKEY_wait", "soon", "parameter 'wait' must be a duration" },
        { "OCF_RESKEY_dir", "relative/path",
          "parameter 'dir' must be an absolute path, not 'relative/path'" },
        { "OCF_RESKEY_port", "70000",
          "parameter 'port' must be a port number from 1 to 65535, not '70000'" },
        { "OCF_RESKEY_ip", "10.0.0.1/24",
          "parameter 'ip' must be an IPv4 or IPv6 address, not '10.0.0.1/24'" },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ra_value v[N];
        char why[256];

        clean_env(NULL);
        setenv(cases[i].key, cases[i].value, 1);
        assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
        assert_non_null(strstr(why, cases[i].want));
        assert_one_line(why);
    }
}

static void
shell_metacharacters_are_plain_text(void **state)
{
    struct ra_value v[N];
    char why[256];
    const char *nasty = "noatime; rm -rf / `reboot` $(halt) | & > <";

    (void)state;
    setenv("OCF_RESKEY_options", nasty, 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
    assert_string_equal(v[8].str, nasty);
    /* ... but not where a type forbids them */
    setenv("OCF_RESKEY_ip", "10.0.0.1;reboot", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why,
                        "parameter 'ip' must be an IPv4 or IPv6 address, not '10.0.0.1;reboot'");
}

static void
newline_is_refused_in_one_line(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_options", "ro\nfake=line", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'options' contains a control character");
    setenv("OCF_RESKEY_options", "ro", 1);
    setenv("OCF_RESKEY_cidr_netmask", "24\n", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_one_line(why);
}

static void
one_mebibyte_value_is_refused(void **state)
{
    struct ra_value v[N];
    char why[256];
    size_t len = 1024 * 1024;
    char *big = malloc(len + 1);

    (void)state;
    assert_non_null(big);
    memset(big, 'a', len);
    big[len] = '\0';
    setenv("OCF_RESKEY_dir", big, 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'dir' is too long (1048576 bytes, at most 4096)");
    unsetenv("OCF_RESKEY_dir");
    /* a parameter that allows more takes it, and a 1 MiB number is still refused cleanly */
    setenv("OCF_RESKEY_options", big, 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
    unsetenv("OCF_RESKEY_options");
    memset(big, '9', 4000);
    big[4000] = '\0';
    setenv("OCF_RESKEY_cidr_netmask", big, 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_one_line(why);
    assert_true(strlen(why) < 200);
    free(big);
}

static void
non_utf8_is_refused(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_dir", "/data/\xff\xfe", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'dir' is not valid UTF-8");
    setenv("OCF_RESKEY_dir", "/data/gr\xc3\xbc\xc3\x9f", 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
}

static void
secret_is_never_echoed(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_password", "hunter2\nsecond-line", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_null(strstr(why, "hunter2"));
    setenv("OCF_RESKEY_password",
           "0123456789012345678901234567890123456789012345678901234567890123456789", 1);
    assert_int_equal(load(v, why, sizeof(why)), -EINVAL);
    assert_null(strstr(why, "0123456789"));
    assert_string_equal(why, "parameter 'password' is too long (70 bytes, at most 64)");
}

static void
alias_fills_in_for_the_current_name(void **state)
{
    struct ra_value v[N];
    char why[256];

    (void)state;
    setenv("OCF_RESKEY_passwd", "old-spelling", 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
    assert_string_equal(v[7].str, "old-spelling");
    assert_true(v[7].given);
    setenv("OCF_RESKEY_password", "new-spelling", 1);
    assert_int_equal(load(v, why, sizeof(why)), 0);
    assert_string_equal(v[7].str, "new-spelling");
}

static void
index_and_type_names(void **state)
{
    (void)state;
    assert_int_equal(ra_param_index(params, N, "wait"), 4);
    assert_int_equal(ra_param_index(params, N, "nope"), -1);
    assert_string_equal(ra_type_ocf_name(RA_T_PORT), "integer");
    assert_string_equal(ra_type_ocf_name(RA_T_BOOLEAN), "boolean");
    assert_string_equal(ra_type_ocf_name(RA_T_IPADDR), "string");
}

static bool
no_dots(const char *value, const char **why)
{
    if (strchr(value, '.') != NULL) {
        *why = "must not contain a dot";
        return false;
    }
    return true;
}

static void
custom_validator_reason(void **state)
{
    static const struct ra_param p = {
        .name = "x", .type = RA_T_STRING, .valid = no_dots, .shortdesc = "x"
    };
    struct ra_value v;
    char why[128];

    (void)state;
    assert_int_equal(ra_param_check(&p, "anything", &v, why, sizeof(why)), 0);
    assert_string_equal(v.str, "anything");
    assert_int_equal(ra_param_check(&p, "a.b", &v, why, sizeof(why)), -EINVAL);
    assert_string_equal(why, "parameter 'x' must not contain a dot, not 'a.b'");
}

#define T(f) cmocka_unit_test_setup(f, clean_env)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(defaults_apply_and_types_parse),
        T(empty_value_counts_as_not_given),
        T(missing_required_parameter),
        T(wrong_type_names_parameter_and_value),
        T(out_of_range_integer),
        T(bad_boolean_enum_time_path_port_ip),
        T(shell_metacharacters_are_plain_text),
        T(newline_is_refused_in_one_line),
        T(one_mebibyte_value_is_refused),
        T(non_utf8_is_refused),
        T(secret_is_never_echoed),
        T(alias_fills_in_for_the_current_name),
        T(index_and_type_names),
        T(custom_validator_reason),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
