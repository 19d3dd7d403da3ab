/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Device-mapper devices as the kernel shows them in sysfs
 * (/sys/block/dm-N/dm/{name,uuid,suspended}, dev, holders/), read without a
 * child process; and what holds a block device open (a mount, a device
 * stacked on it, a swap area, a process).  LVM names its devices
 * "VG-LV[-layer]" with every '-' of VG and LV doubled, and gives them the
 * uuid "LVM-<vg uuid><lv uuid>[-layer]" (the uuids without dashes): the uuid
 * is the identity, the name a fallback when no uuid is known.
 */
#ifndef RA_DM_H
#define RA_DM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ra_dm_dev {
    char sysname[32]; /* dm-3 */
    char name[256];   /* dm/name */
    char uuid[160];   /* dm/uuid (may be empty) */
    unsigned major, minor;
    bool suspended;
    size_t holders; /* devices stacked on it (holders/) */
};

struct ra_dm_devs {
    struct ra_dm_dev *v;
    size_t n;
};

/* Every dm device: 0 (none is fine), or -errno when sysfs cannot be read. */
int ra_dm_list(struct ra_dm_devs *ret) __attribute__((warn_unused_result));
void ra_dm_release(struct ra_dm_devs *d);

/*
 * Split LVM's dm name into its VG and LV (unescaping the doubled dashes);
 * *@layer points at what follows the LV ("" when nothing).  False when the
 * name is not of that shape or does not fit.
 */
bool ra_dm_lvm_split(const char *name, char *vg, size_t vgcap, char *lv, size_t lvcap,
                     const char **layer);

/*
 * Remove the dm device @name (the DM_DEV_REMOVE ioctl on /dev/mapper/control,
 * what dmsetup remove does): for the pieces of an LV that LVM itself left
 * behind.  The kernel refuses a device that is open or has a device stacked
 * on it (-EBUSY).  0 or -errno.
 */
int ra_dm_remove(const char *name) __attribute__((warn_unused_result));

/*
 * What holds block device @dev open, in words, for a message: "mounted on
 * /srv; held by dm-5 (vg-snap); swap; open in pids 12 34" (cut to @cap);
 * "" when nothing is found.
 */
const char *ra_dev_holders(dev_t dev, const char *sysname, char *buf, size_t cap);

#endif
