/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/sql.c's own half: SHA-1 against FIPS 180's vectors, and
 * mysql_native_password's answer to a scramble (the server checks it for real
 * in tests/agents/mysql.sh).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql.h"

static void
hex(const unsigned char *b, char out[41])
{
    for (unsigned i = 0; i < 20; i++) {
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    }
}

static void
sha1_vectors(void **state)
{
    static const struct {
        const char *in, *want;
    } v[] = {
        { "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
        { "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
    };

    unsigned char d[20];
    char h[41];
    char *a = malloc(1000000);

    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        ra_sql_sha1(v[i].in, strlen(v[i].in), d);
        hex(d, h);
        assert_string_equal(h, v[i].want);
    }
    /* a million times 'a': many blocks, and a length past one byte */
    assert_non_null(a);
    memset(a, 'a', 1000000);
    ra_sql_sha1(a, 1000000, d);
    hex(d, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(a);
    /* 55, 56 and 64 bytes: the padding's edges */
    ra_sql_sha1("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64, d);
    hex(d, h);
    assert_string_equal(h, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
    ra_sql_sha1("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 55, d);
    hex(d, h);
    assert_string_equal(h, "c1c8bbdc22796e28c0e15163d20899b65621d65a");
    ra_sql_sha1("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 56, d);
    hex(d, h);
    assert_string_equal(h, "c2db330f6083854c99d4b5bfb6e8f29f201be699");
}

static void
native_token(void **state)
{
    unsigned char scramble[20], t[20];
    char h[41];

    (void)state;
    for (unsigned i = 0; i < 20; i++) {
        scramble[i] = (unsigned char)(i + 1);
    }
    /* SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))), as Python's hashlib makes it */
    ra_sql_native_token("s3cr3t", scramble, t);
    hex(t, h);
    assert_string_equal(h, "5b020dedd7e93970806c75727c9da7392a248157");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_vectors),
        cmocka_unit_test(native_token),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
