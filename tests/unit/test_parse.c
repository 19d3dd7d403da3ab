/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/parse.c: every parser, good and bad input. */
#include "unit.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

static void
int_accepts_decimal_in_range(void **state)
{
    long long v = 0;

    (void)state;
    assert_int_equal(ra_parse_int("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(ra_parse_int("-7", -10, 10, &v), 0);
    assert_int_equal(v, -7);
    assert_int_equal(ra_parse_int("+7", -10, 10, &v), 0);
    assert_int_equal(v, 7);
}

static void
int_rejects_junk_and_leaves_output_alone(void **state)
{
    static const char *const bad[] = { "",  " 1",  "1 ",       "0x10", "1e3", "12abc",
                                       "-", "--1", "1;reboot", "1\n",  "abc" };
    long long v = 99;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(ra_parse_int(bad[i], INT64_MIN, INT64_MAX, &v), -EINVAL);
    }
    assert_int_equal(ra_parse_int(NULL, 0, 1, &v), -EINVAL);
    assert_int_equal(v, 99);
}

static void
int_rejects_out_of_range(void **state)
{
    long long v = 0;

    (void)state;
    assert_int_equal(ra_parse_int("129", 0, 128, &v), -ERANGE);
    assert_int_equal(ra_parse_int("-1", 0, 128, &v), -ERANGE);
    assert_int_equal(ra_parse_int("99999999999999999999999", INT64_MIN, INT64_MAX, &v), -ERANGE);
}

static void
bool_accepts_the_shell_truth_words(void **state)
{
    static const char *const yes[] = { "yes", "YES", "true", "True", "1", "on", "ON", "ja" };
    static const char *const no[] = { "no", "false", "FALSE", "0", "off", "nein", "" };
    bool b;

    (void)state;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        b = false;
        assert_int_equal(ra_parse_bool(yes[i], &b), 0);
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        b = true;
        assert_int_equal(ra_parse_bool(no[i], &b), 0);
        assert_false(b);
    }
}

static void
bool_rejects_anything_else(void **state)
{
    bool b = true;

    (void)state;
    assert_int_equal(ra_parse_bool("maybe", &b), -EINVAL);
    assert_int_equal(ra_parse_bool("yes ", &b), -EINVAL);
    assert_int_equal(ra_parse_bool("2", &b), -EINVAL);
    assert_int_equal(ra_parse_bool(NULL, &b), -EINVAL);
    assert_true(b);
}

static void
duration_units(void **state)
{
    uint64_t ms = 0;

    (void)state;
    assert_int_equal(ra_parse_duration_ms("20", &ms), 0);
    assert_int_equal(ms, 20000);
    assert_int_equal(ra_parse_duration_ms("500ms", &ms), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(ra_parse_duration_ms("2s", &ms), 0);
    assert_int_equal(ms, 2000);
    assert_int_equal(ra_parse_duration_ms("3min", &ms), 0);
    assert_int_equal(ms, 180000);
    assert_int_equal(ra_parse_duration_ms("1m", &ms), 0);
    assert_int_equal(ms, 60000);
    assert_int_equal(ra_parse_duration_ms("2h", &ms), 0);
    assert_int_equal(ms, 7200000);
    assert_int_equal(ra_parse_duration_ms("1d", &ms), 0);
    assert_int_equal(ms, 86400000);
    assert_int_equal(ra_parse_duration_ms("0", &ms), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(ra_parse_duration_ms("0.5", &ms), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(ra_parse_duration_ms("1.25s", &ms), 0);
    assert_int_equal(ms, 1250);
    assert_int_equal(ra_parse_duration_ms("2.0001", &ms), 0);
    assert_int_equal(ms, 2000);
}

static void
duration_rejects_junk_and_overflow(void **state)
{
    uint64_t ms = 7;

    (void)state;
    assert_int_equal(ra_parse_duration_ms("", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("s", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("-1", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("1.", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms(".5", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("10 s", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("10years", &ms), -EINVAL);
    assert_int_equal(ra_parse_duration_ms("99999999999999999999", &ms), -ERANGE);
    assert_int_equal(ra_parse_duration_ms("18446744073709551d", &ms), -ERANGE);
    assert_int_equal(ms, 7);
}

static void
ip_v4_and_v6(void **state)
{
    struct ra_ip ip;

    (void)state;
    assert_int_equal(ra_parse_ip("10.0.0.1", &ip), 0);
    assert_int_equal(ip.family, AF_INET);
    assert_int_equal(ra_parse_ip("2001:db8::1", &ip), 0);
    assert_int_equal(ip.family, AF_INET6);
    assert_int_equal(ra_parse_ip("::ffff:10.0.0.1", &ip), 0);
    assert_int_equal(ip.family, AF_INET6);
}

static void
ip_rejects_prefixes_names_and_junk(void **state)
{
    static const char *const bad[] = {
        "10.0.0.1/24", "10.0.0",     "10.0.0.256",       "host.example",   "",
        " 10.0.0.1",   "10.0.0.1\n", "2001:db8::1%eth0", "1.2.3.4; reboot"
    };
    struct ra_ip ip;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(ra_parse_ip(bad[i], &ip), -EINVAL);
    }
}

static void
ip_compares_as_addresses_not_text(void **state)
{
    struct ra_ip a, b, c;

    (void)state;
    assert_int_equal(ra_parse_ip("2001:DB8::0:1", &a), 0);
    assert_int_equal(ra_parse_ip("2001:db8::1", &b), 0);
    assert_int_equal(ra_parse_ip("2001:db8::2", &c), 0);
    assert_true(ra_ip_equal(&a, &b));
    assert_false(ra_ip_equal(&a, &c));
    assert_int_equal(ra_parse_ip("10.0.0.1", &c), 0);
    assert_false(ra_ip_equal(&a, &c));
}

static void
port_range(void **state)
{
    uint16_t p = 0;

    (void)state;
    assert_int_equal(ra_parse_port("623", &p), 0);
    assert_int_equal(p, 623);
    assert_int_equal(ra_parse_port("65535", &p), 0);
    assert_int_equal(ra_parse_port("0", &p), -ERANGE);
    assert_int_equal(ra_parse_port("65536", &p), -ERANGE);
    assert_int_equal(ra_parse_port("ssh", &p), -EINVAL);
}

static void
enum_exact_match(void **state)
{
    static const char *const values[] = { "auto", "force", "no", NULL };
    unsigned idx = 9;

    (void)state;
    assert_int_equal(ra_parse_enum("force", values, &idx), 0);
    assert_int_equal(idx, 1);
    assert_int_equal(ra_parse_enum("Force", values, &idx), -EINVAL);
    assert_int_equal(ra_parse_enum("", values, &idx), -EINVAL);
    assert_int_equal(idx, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(int_accepts_decimal_in_range),
        cmocka_unit_test(int_rejects_junk_and_leaves_output_alone),
        cmocka_unit_test(int_rejects_out_of_range),
        cmocka_unit_test(bool_accepts_the_shell_truth_words),
        cmocka_unit_test(bool_rejects_anything_else),
        cmocka_unit_test(duration_units),
        cmocka_unit_test(duration_rejects_junk_and_overflow),
        cmocka_unit_test(ip_v4_and_v6),
        cmocka_unit_test(ip_rejects_prefixes_names_and_junk),
        cmocka_unit_test(ip_compares_as_addresses_not_text),
        cmocka_unit_test(port_range),
        cmocka_unit_test(enum_exact_match),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
