/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Exit codes: names and descriptions of the OCF result codes, and the
 * mappings to LSB codes used when an agent runs as an init script or under
 * heartbeat v1.
 */
#include "config.h"

#include <stddef.h>

#include "exit.h"

struct rc_entry {
    int rc;
    const char *name;
    const char *desc;
};

static const struct rc_entry rc_table[] = {
    { OCF_SUCCESS, "OCF_SUCCESS", "success" },
    { OCF_ERR_GENERIC, "OCF_ERR_GENERIC", "generic error" },
    { OCF_ERR_ARGS, "OCF_ERR_ARGS", "invalid arguments on this host" },
    { OCF_ERR_UNIMPLEMENTED, "OCF_ERR_UNIMPLEMENTED", "action not implemented" },
    { OCF_ERR_PERM, "OCF_ERR_PERM", "insufficient privileges" },
    { OCF_ERR_INSTALLED, "OCF_ERR_INSTALLED", "required software not installed" },
    { OCF_ERR_CONFIGURED, "OCF_ERR_CONFIGURED", "invalid configuration" },
    { OCF_NOT_RUNNING, "OCF_NOT_RUNNING", "not running" },
    { OCF_RUNNING_PROMOTED, "OCF_RUNNING_PROMOTED", "running, promoted" },
    { OCF_FAILED_PROMOTED, "OCF_FAILED_PROMOTED", "promoted, failed" },
    { OCF_DEGRADED, "OCF_DEGRADED", "running, degraded" },
    { OCF_DEGRADED_PROMOTED, "OCF_DEGRADED_PROMOTED", "promoted, degraded" },
};

static const struct rc_entry *
rc_find(int rc)
{
    for (size_t i = 0; i < sizeof(rc_table) / sizeof(rc_table[0]); i++) {
        if (rc_table[i].rc == rc) {
            return &rc_table[i];
        }
    }
    return NULL;
}

const char *
ra_rc_name(int rc)
{
    const struct rc_entry *e = rc_find(rc);

    return e ? e->name : "UNKNOWN";
}

const char *
ra_rc_describe(int rc)
{
    const struct rc_entry *e = rc_find(rc);

    return e ? e->desc : "unknown result";
}

int
ra_rc_to_lsb_status(int rc)
{
    switch (rc) {
    case OCF_SUCCESS:
    case OCF_RUNNING_PROMOTED:
    case OCF_DEGRADED:
    case OCF_DEGRADED_PROMOTED:
        return LSB_STATUS_RUNNING;
    case OCF_NOT_RUNNING:
        return LSB_STATUS_NOT_RUNNING;
    default:
        return LSB_STATUS_UNKNOWN;
    }
}

int
ra_rc_to_lsb(int rc)
{
    return (rc >= 0 && rc <= OCF_NOT_RUNNING) ? rc : OCF_ERR_GENERIC;
}
