/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/net.c: the address arithmetic, and netlink queries
 * against this host's loopback interface (real kernel, no root needed).
 * Adding and removing addresses is tested by tests/agents/ipaddr2.sh in
 * network namespaces of its own.
 */
#include "unit.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "net.h"

static struct ra_ip
ip(const char *s)
{
    struct ra_ip a;

    assert_int_equal(ra_parse_ip(s, &a), 0);
    return a;
}

static void
prefix_membership(void **state)
{
    struct ra_ip net4 = ip("10.1.2.0"), net6 = ip("2001:db8::");
    struct ra_ip a = ip("10.1.2.77"), b = ip("10.1.3.1"), c = ip("2001:db8::ffff");

    (void)state;
    assert_true(ra_ip_in_prefix(&a, &net4, 24));
    assert_false(ra_ip_in_prefix(&b, &net4, 24));
    assert_true(ra_ip_in_prefix(&b, &net4, 23));
    assert_true(ra_ip_in_prefix(&a, &net4, 0));
    assert_true(ra_ip_in_prefix(&c, &net6, 64));
    assert_false(ra_ip_in_prefix(&c, &net4, 8)); /* families differ */
    assert_false(ra_ip_in_prefix(&a, &net4, 33));
}

static void
broadcast_addresses(void **state)
{
    struct ra_ip a = ip("10.1.2.77"), b;
    char buf[64];

    (void)state;
    assert_int_equal(ra_ip_broadcast(&a, 24, &b), 0);
    assert_string_equal(ra_ip_str(&b, buf, sizeof(buf)), "10.1.2.255");
    assert_int_equal(ra_ip_broadcast(&a, 26, &b), 0);
    assert_string_equal(ra_ip_str(&b, buf, sizeof(buf)), "10.1.2.127");
    assert_int_equal(ra_ip_broadcast(&a, 31, &b), -EINVAL);
    assert_int_equal(ra_ip_broadcast(&a, 32, &b), -EINVAL);
    a = ip("2001:db8::1");
    assert_int_equal(ra_ip_broadcast(&a, 64, &b), -EINVAL);
}

static void
canonical_text(void **state)
{
    struct ra_ip a = ip("2001:DB8:0:0::0:1");
    char buf[64];

    (void)state;
    assert_string_equal(ra_ip_str(&a, buf, sizeof(buf)), "2001:db8::1");
}

static void
loopback_link_and_local_lookup(void **state)
{
    struct ra_deadline d;
    struct ra_nl nl;
    struct ra_link lo, again;
    struct ra_ip l4 = ip("127.0.0.1"), other = ip("192.0.2.1");
    int ifindex = 0;
    unsigned plen = 0;

    (void)state;
    ra_deadline_init(&d, 5000);
    assert_int_equal(ra_nl_open(&nl, &d), 0);
    assert_int_equal(ra_net_link_by_name(&nl, "lo", &lo), 0);
    assert_string_equal(lo.name, "lo");
    assert_true(lo.flags & IFF_LOOPBACK);
    assert_int_equal(ra_net_link_by_index(&nl, lo.ifindex, &again), 0);
    assert_string_equal(again.name, "lo");
    assert_int_equal(ra_net_link_by_name(&nl, "no-such-if0", &again), -ENODEV);
    if (lo.flags & IFF_UP) {
        assert_int_equal(ra_net_local_lookup(&nl, &l4, &ifindex), 0);
        assert_int_equal(ifindex, lo.ifindex);
    }
    /* a documentation address is nobody's */
    assert_int_equal(ra_net_local_lookup(&nl, &other, &ifindex), -ENOENT);
    /* loopback's addresses are in the local table, never a connected route */
    assert_int_equal(ra_net_connected_route(&nl, &l4, lo.ifindex, &ifindex, &plen), -ENOENT);
    ra_nl_close(&nl);
    ra_nl_close(&nl); /* safe twice */
}

static void
netns_names_are_checked(void **state)
{
    (void)state;
    assert_int_equal(ra_netns_enter("../etc"), -EINVAL);
    assert_int_equal(ra_netns_enter(""), -EINVAL);
    assert_int_equal(ra_netns_enter(".."), -EINVAL);
    assert_int_equal(ra_netns_enter("rampart-no-such-namespace"), -ENOENT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prefix_membership),       cmocka_unit_test(broadcast_addresses),
        cmocka_unit_test(canonical_text),          cmocka_unit_test(loopback_link_and_local_lookup),
        cmocka_unit_test(netns_names_are_checked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
