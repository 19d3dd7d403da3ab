/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DRBD's state, read from the kernel over its generic-netlink family
 * ("drbd", the interface drbdsetup speaks), in-process: no drbdadm or
 * drbdsetup child.  DRBD 8.4's interface (family version 1), which Debian's
 * kernels ship; DRBD 9's (version 2) is not read yet and is reported as
 * unsupported, never as "down".
 */
#ifndef RA_DRBD_H
#define RA_DRBD_H

#include <stdbool.h>
#include <stddef.h>

#include "deadline.h"

/* DRBD's own numbers (linux/drbd.h). */
enum ra_drbd_role {
    RA_DRBD_ROLE_UNKNOWN = 0,
    RA_DRBD_PRIMARY = 1,
    RA_DRBD_SECONDARY = 2
};

enum ra_drbd_disk {
    RA_DRBD_DISKLESS = 0,
    RA_DRBD_ATTACHING,
    RA_DRBD_FAILED,
    RA_DRBD_NEGOTIATING,
    RA_DRBD_INCONSISTENT,
    RA_DRBD_OUTDATED,
    RA_DRBD_DUNKNOWN,
    RA_DRBD_CONSISTENT,
    RA_DRBD_UPTODATE,
};

enum ra_drbd_conn {
    RA_DRBD_STANDALONE = 0,
    RA_DRBD_DISCONNECTING,
    RA_DRBD_UNCONNECTED,
    RA_DRBD_TIMEOUT,
    RA_DRBD_BROKEN_PIPE,
    RA_DRBD_NETWORK_FAILURE,
    RA_DRBD_PROTOCOL_ERROR,
    RA_DRBD_TEAR_DOWN,
    RA_DRBD_WF_CONNECTION,
    RA_DRBD_WF_REPORT_PARAMS,
    RA_DRBD_CONNECTED,
    /* 11..23: resync and verify states, all connected */
    RA_DRBD_SYNC_SOURCE = 16,
    RA_DRBD_SYNC_TARGET = 17,
};

struct ra_drbd_volume {
    unsigned minor, volume;
    int role, peer; /* enum ra_drbd_role */
    int conn;       /* enum ra_drbd_conn */
    int disk, pdsk; /* enum ra_drbd_disk: ours, the peer's */
    bool susp;      /* I/O suspended */
};

#define RA_DRBD_VOLUMES_MAX 64

struct ra_drbd_res {
    bool exists; /* the kernel knows the resource */
    size_t n;    /* its volumes (minors) */
    struct ra_drbd_volume v[RA_DRBD_VOLUMES_MAX];
};

/*
 * The state of resource @name, under @deadline: 0 (ret->exists false when
 * the kernel does not know it), -ENOENT when no DRBD module is loaded,
 * -EPROTONOSUPPORT for a DRBD whose interface is not 8.4's, or -errno.
 */
int ra_drbd_status(const char *name, const struct ra_deadline *deadline, struct ra_drbd_res *ret)
    __attribute__((warn_unused_result));

const char *ra_drbd_role_name(int role);
const char *ra_drbd_disk_name(int disk);
const char *ra_drbd_conn_name(int conn);

#endif
