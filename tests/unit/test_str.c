/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/str.c. */
#include "unit.h"

#include <errno.h>
#include <string.h>

#include "str.h"

static void
escape_makes_one_printable_line(void **state)
{
    char buf[128];

    (void)state;
    assert_string_equal(ra_escape("a\nb\tc\"d\\e", buf, sizeof(buf)), "a\\nb\\tc\\\"d\\\\e");
    assert_string_equal(ra_escape("\x01\xff", buf, sizeof(buf)), "\\x01\\xff");
    assert_string_equal(ra_escape("$(reboot); `x`", buf, sizeof(buf)), "$(reboot); `x`");
    assert_string_equal(ra_escape(NULL, buf, sizeof(buf)), "(null)");
    assert_null(strchr(ra_escape("x\ny\rz", buf, sizeof(buf)), '\n'));
}

static void
escape_cuts_long_values(void **state)
{
    char big[1000];
    char buf[16];

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ra_escape(big, buf, sizeof(buf));
    assert_true(strlen(buf) < sizeof(buf));
    assert_non_null(strstr(buf, "..."));
    /* an escape is never split in half */
    memset(big, '\n', 20);
    big[20] = '\0';
    ra_escape(big, buf, sizeof(buf));
    assert_true(strlen(buf) < sizeof(buf));
    assert_string_equal(buf + strlen(buf) - 3, "...");
    assert_int_equal((strlen(buf) - 3) % 2, 0);
}

static void
utf8_validation(void **state)
{
    (void)state;
    assert_true(ra_utf8_valid("plain", 5));
    assert_true(ra_utf8_valid("gr\xc3\xbc\xc3\x9f", 6)); /* grüß */
    assert_true(ra_utf8_valid("\xf0\x9f\x98\x80", 4));   /* emoji */
    assert_false(ra_utf8_valid("\xff", 1));
    assert_false(ra_utf8_valid("\xc3", 1));             /* truncated */
    assert_false(ra_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
    assert_false(ra_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(ra_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(ra_utf8_valid("a\x80", 2));
}

static void
format_reports_truncation(void **state)
{
    char buf[8];

    (void)state;
    assert_int_equal(ra_format(buf, sizeof(buf), "%s", "1234567"), 0);
    assert_int_equal(ra_format(buf, sizeof(buf), "%s", "12345678"), -ENAMETOOLONG);
    assert_string_equal(buf, "1234567");
    assert_int_equal(ra_format(buf, 0, "x"), -EINVAL);
    ra_format_cut(buf, sizeof(buf), "%s", "abcdefghijk");
    assert_string_equal(buf, "abcdefg");
}

static void
list_iteration(void **state)
{
    const char *list = "  rsc:0 rsc:2\tnode1 ";
    const char *pos = list;
    char word[8];

    (void)state;
    assert_true(ra_list_next(&pos, word, sizeof(word)));
    assert_string_equal(word, "rsc:0");
    assert_true(ra_list_next(&pos, word, sizeof(word)));
    assert_string_equal(word, "rsc:2");
    assert_true(ra_list_next(&pos, word, sizeof(word)));
    assert_string_equal(word, "node1");
    assert_false(ra_list_next(&pos, word, sizeof(word)));
    assert_int_equal(ra_list_count(list), 3);
    assert_int_equal(ra_list_count(" "), 0); /* Pacemaker's empty list */
    assert_int_equal(ra_list_count(NULL), 0);
    pos = "averyveryverylongword";
    assert_true(ra_list_next(&pos, word, sizeof(word)));
    assert_string_equal(word, "averyve");
}

static void
kv_lines(void **state)
{
    char a[] = "  ip = \"10.0.0.1\"  \r", b[] = "name='a b'", c[] = "# comment", d[] = "   ",
         e[] = "no equals sign", f[] = "k=", g[] = "x=\"unbalanced'";
    char *k, *v;

    (void)state;
    assert_true(ra_kv_split(a, &k, &v, "\"\'"));
    assert_string_equal(k, "ip");
    assert_string_equal(v, "10.0.0.1");
    assert_true(ra_kv_split(b, &k, &v, "\"\'"));
    assert_string_equal(v, "a b");
    assert_false(ra_kv_split(c, &k, &v, "\"\'"));
    assert_false(ra_kv_split(d, &k, &v, "\"\'"));
    assert_false(ra_kv_split(e, &k, &v, "\"\'"));
    assert_true(ra_kv_split(f, &k, &v, "\"\'"));
    assert_string_equal(v, "");
    assert_true(ra_kv_split(g, &k, &v, "\"\'"));
    assert_string_equal(v, "\"unbalanced'");
    {
        char h[] = "passwd='s3cr3t'", i[] = "passwd=\"s3cr3t\"";

        assert_true(ra_kv_split(h, &k, &v, "\""));
        assert_string_equal(v, "'s3cr3t'"); /* fence-agents keeps single quotes */
        assert_true(ra_kv_split(i, &k, &v, "\""));
        assert_string_equal(v, "s3cr3t");
    }
}

static void
versions(void **state)
{
    bool ok;

    (void)state;
    assert_true(ra_version_cmp("8.4.11", "8.0.0", &ok) > 0 && ok);
    assert_true(ra_version_cmp("8.4.11", "10.0.0", &ok) < 0 && ok);
    assert_true(ra_version_cmp("8.4.11", "8.4.9", &ok) > 0); /* numbers, not strings */
    assert_true(ra_version_cmp("9.2.0-rc.1", "9.2", &ok) == 0 && ok);
    assert_true(ra_version_cmp("8.4", "8.4.0", &ok) == 0 && ok);
    assert_true(ra_version_cmp("8.4.", "8.4.1", &ok) < 0 && ok);
    ra_version_cmp("", "8.0.0", &ok);
    assert_false(ok);
    ra_version_cmp("8.0", "v8", &ok);
    assert_false(ok);
}

static void
octal_escapes(void **state)
{
    char a[] = "/srv/with\\040space\\011tab", b[] = "\\9x\\04", c[] = "back\\134slash";

    (void)state;
    ra_unescape_octal(a);
    assert_string_equal(a, "/srv/with space\ttab");
    ra_unescape_octal(b); /* not three octal digits: kept */
    assert_string_equal(b, "\\9x\\04");
    ra_unescape_octal(c);
    assert_string_equal(c, "back\\slash");
}

static void
trim_both_ends(void **state)
{
    char s[] = " \t padded \t\r";

    (void)state;
    assert_string_equal(ra_trim(s), "padded");
}

static void
valid_words_refuses_shell_syntax_and_overflow(void **state)
{
    const char *why = NULL;
    char many[200] = "";

    (void)state;
    assert_true(ra_valid_words("-m 1 --debug", &why));
    assert_true(ra_valid_words("", &why));
    assert_false(ra_valid_words("-m $(id)", &why));
    assert_non_null(why);
    assert_false(ra_valid_words("a;b", &why));
    for (int i = 0; i < 17; i++) {
        strcat(many, "w ");
    }
    assert_false(ra_valid_words(many, &why)); /* 17 words */
    assert_false(ra_valid_words("0123456789012345678901234567890123456789012345678901234567890123",
                                &why)); /* 64 bytes */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_makes_one_printable_line),
        cmocka_unit_test(versions),
        cmocka_unit_test(octal_escapes),
        cmocka_unit_test(escape_cuts_long_values),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(format_reports_truncation),
        cmocka_unit_test(list_iteration),
        cmocka_unit_test(kv_lines),
        cmocka_unit_test(trim_both_ends),
        cmocka_unit_test(valid_words_refuses_shell_syntax_and_overflow),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
