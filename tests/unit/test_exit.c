/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/exit.c. */
#include "unit.h"

#include "exit.h"

static void
codes_have_spec_values_and_both_names(void **state)
{
    (void)state;
    assert_int_equal(OCF_NOT_RUNNING, 7);
    assert_int_equal(OCF_RUNNING_MASTER, 8);
    assert_int_equal(OCF_RUNNING_PROMOTED, 8);
    assert_int_equal(OCF_FAILED_MASTER, 9);
    assert_int_equal(OCF_FAILED_PROMOTED, 9);
    assert_int_equal(OCF_DEGRADED, 190);
    assert_int_equal(OCF_DEGRADED_PROMOTED, 191);
    assert_string_equal(ra_rc_name(6), "OCF_ERR_CONFIGURED");
    assert_string_equal(ra_rc_name(191), "OCF_DEGRADED_PROMOTED");
    assert_string_equal(ra_rc_name(42), "UNKNOWN");
    assert_string_equal(ra_rc_describe(7), "not running");
}

static void
lsb_status_never_reports_a_failure_as_stopped(void **state)
{
    (void)state;
    assert_int_equal(ra_rc_to_lsb_status(OCF_SUCCESS), LSB_STATUS_RUNNING);
    assert_int_equal(ra_rc_to_lsb_status(OCF_RUNNING_PROMOTED), LSB_STATUS_RUNNING);
    assert_int_equal(ra_rc_to_lsb_status(OCF_DEGRADED), LSB_STATUS_RUNNING);
    assert_int_equal(ra_rc_to_lsb_status(OCF_DEGRADED_PROMOTED), LSB_STATUS_RUNNING);
    assert_int_equal(ra_rc_to_lsb_status(OCF_NOT_RUNNING), LSB_STATUS_NOT_RUNNING);
    assert_int_equal(ra_rc_to_lsb_status(OCF_ERR_GENERIC), LSB_STATUS_UNKNOWN);
    assert_int_equal(ra_rc_to_lsb_status(OCF_FAILED_PROMOTED), LSB_STATUS_UNKNOWN);
    assert_int_equal(ra_rc_to_lsb_status(OCF_ERR_CONFIGURED), LSB_STATUS_UNKNOWN);
}

static void
lsb_codes_for_other_actions(void **state)
{
    (void)state;
    for (int rc = 0; rc <= 7; rc++) {
        assert_int_equal(ra_rc_to_lsb(rc), rc);
    }
    assert_int_equal(ra_rc_to_lsb(OCF_RUNNING_PROMOTED), 1);
    assert_int_equal(ra_rc_to_lsb(190), 1);
    assert_int_equal(ra_rc_to_lsb(-1), 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_have_spec_values_and_both_names),
        cmocka_unit_test(lsb_status_never_reports_a_failure_as_stopped),
        cmocka_unit_test(lsb_codes_for_other_actions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
