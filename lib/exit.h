/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exit codes: the OCF result codes (with the OCF 1.0 and 1.1 spellings), the
 * LSB status codes, and the mappings between them.  Names follow the spec
 * and ocf-returncodes so that one grep finds shell and C alike.
 */
#ifndef RA_EXIT_H
#define RA_EXIT_H

enum ocf_rc {
    OCF_SUCCESS = 0,
    OCF_ERR_GENERIC = 1,
    OCF_ERR_ARGS = 2,
    OCF_ERR_UNIMPLEMENTED = 3,
    OCF_ERR_PERM = 4,
    OCF_ERR_INSTALLED = 5,
    OCF_ERR_CONFIGURED = 6,
    OCF_NOT_RUNNING = 7,
    OCF_RUNNING_PROMOTED = 8,
    OCF_RUNNING_MASTER = OCF_RUNNING_PROMOTED, /* OCF 1.0 name */
    OCF_FAILED_PROMOTED = 9,
    OCF_FAILED_MASTER = OCF_FAILED_PROMOTED, /* OCF 1.0 name */
    OCF_DEGRADED = 190,
    OCF_DEGRADED_PROMOTED = 191,
};

/* LSB init-script codes for the "status" action (LSB Core, Init Script Actions). */
enum lsb_status_rc {
    LSB_STATUS_RUNNING = 0,
    LSB_STATUS_DEAD_PIDFILE = 1,
    LSB_STATUS_DEAD_LOCKFILE = 2,
    LSB_STATUS_NOT_RUNNING = 3,
    LSB_STATUS_UNKNOWN = 4,
};

/* The spec's name of @rc ("OCF_NOT_RUNNING"), or "UNKNOWN" for any other value. */
const char *ra_rc_name(int rc);

/* A short human description of @rc ("not running"). */
const char *ra_rc_describe(int rc);

/*
 * Map the result of a monitor to an LSB status code.  Running in any role
 * (0, 8, 190, 191) is 0 and cleanly stopped (7) is 3.  Everything else is 4,
 * "unknown": a failed monitor does not prove the service is down, so it must
 * never be reported as stopped.
 */
int ra_rc_to_lsb_status(int rc);

/*
 * Map the result of any other action to an LSB exit code.  OCF codes 0..7
 * mean the same in LSB; anything above is a generic error (1).
 */
int ra_rc_to_lsb(int rc);

#endif
