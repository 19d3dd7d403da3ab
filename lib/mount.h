/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mounts: the mount table, read in one consistent read of
 * /proc/self/mountinfo, and mounting and unmounting through libmount
 * (util-linux's library behind mount(8), which runs the mount.<type>
 * helpers where a type needs one).  libmount, with libblkid and libselinux
 * behind it, costs about a millisecond to load, so it is loaded with
 * dlopen() by the actions that mount, never by a monitor.
 */
#ifndef RA_MOUNT_H
#define RA_MOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ra_mount {
    int id;
    int parent;
    unsigned major, minor; /* st_dev of the mounted filesystem */
    const char *root;      /* the path inside the filesystem that is mounted (bind mounts) */
    const char *target;    /* the mount point */
    const char *fstype;
    const char *source;
    const char *options; /* per-mount options */
};

struct ra_mounts {
    struct ra_mount *v; /* in mountinfo order: a mount comes after its parent */
    size_t n;
    char *buf; /* the strings, owned */
};

/* Read the mount table.  0 or -errno; release with ra_mounts_release. */
int ra_mounts_read(struct ra_mounts *ret) __attribute__((warn_unused_result));
void ra_mounts_release(struct ra_mounts *m);

/* The topmost mount on @target, or NULL. */
const struct ra_mount *ra_mounts_find(const struct ra_mounts *m, const char *target);

/* True if @path is @dir or lies inside it ("/data" holds "/data/x", not "/data2"). */
bool ra_path_under(const char *path, const char *dir);

/* Clean @path in place: no "//", no "/./", no trailing '/' (except "/" itself). */
void ra_path_clean(char *path);

/*
 * The canonical form of mount point @dir, in @buf: cleaned, and with its
 * symlinks resolved, unless the cleaned path already is a mount point in @m
 * (then nothing is looked up: a dead NFS server cannot hang the caller).  A
 * path that does not exist (yet) is resolved as far as it exists.
 * 0 or -errno.
 */
int ra_path_canon(const char *dir, const struct ra_mounts *m, char *buf, size_t cap)
    __attribute__((warn_unused_result));

/*
 * A device node for block device @major:@minor in @buf: /dev/block/M:m
 * where udev made it, else /dev/ and the kernel's name for it.  0 or
 * -ENOENT.
 */
int ra_dev_node(unsigned major, unsigned minor, char *buf, size_t cap)
    __attribute__((warn_unused_result));

/*
 * The backing file of the loop device @major:@minor (opened as @source when
 * that names it, else as its ra_dev_node), as the device and inode numbers
 * of that file: the identity of an image mounted with -o loop, whatever the
 * path it was given by.  0 or -errno (-ENXIO: not a bound loop device).
 */
int ra_loop_backing(unsigned major, unsigned minor, const char *source, dev_t *ret_dev,
                    ino_t *ret_ino) __attribute__((warn_unused_result));

/*
 * Mount @source on @target (libmount: tags such as UUID=... and LABEL=...
 * resolved, the type detected when @fstype is NULL, helpers run).  0, or
 * -errno with libmount's explanation in @why.
 */
int ra_mount(const char *source, const char *target, const char *fstype, const char *options,
             char *why, size_t cap) __attribute__((warn_unused_result));

/*
 * Unmount @target (@force for network filesystems).  0, -EBUSY (busy),
 * -EAGAIN (an umount.<type> helper failed: maybe busy), or -errno, with @why.
 */
int ra_umount(const char *target, bool force, char *why, size_t cap)
    __attribute__((warn_unused_result));

/* The device a tag names (@token "UUID" or "LABEL"), through libblkid.  0 or -ENOENT. */
int ra_blkid_resolve(const char *token, const char *value, char *buf, size_t cap)
    __attribute__((warn_unused_result));

/*
 * The value of @token ("UUID" or "LABEL") in the superblock on @devname,
 * read from the device itself (libblkid's probe, no cache): what a mounted
 * device really is, when a tag names more than one.  0 or -ENOENT.
 */
int ra_blkid_probe_tag(const char *devname, const char *token, char *buf, size_t cap)
    __attribute__((warn_unused_result));

#endif
