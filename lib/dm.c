/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Device-mapper state from sysfs; see dm.h. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "dm.h"
#include "mount.h"
#include "proc.h"
#include "state.h"
#include "str.h"

/* One line of a sysfs attribute, without its newline ("" when empty). */
static int
read_attr(const char *sysname, const char *attr, char *buf, size_t cap)
{
    char path[300];
    int r;

    if (ra_format(path, sizeof(path), "/sys/block/%s/%s", sysname, attr) < 0) {
        return -ENAMETOOLONG;
    }
    r = ra_state_read(path, buf, cap);
    if (r < 0) {
        return r;
    }
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

static size_t
count_entries(const char *sysname, const char *dir)
{
    char path[300];
    DIR *d;
    struct dirent *e;
    size_t n = 0;

    if (ra_format(path, sizeof(path), "/sys/block/%s/%s", sysname, dir) < 0 ||
        (d = opendir(path)) == NULL) {
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        n += e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

int
ra_dm_list(struct ra_dm_devs *ret)
{
    DIR *d = opendir("/sys/block");
    struct dirent *e;
    size_t cap = 0;
    int r = 0;

    ret->v = NULL;
    ret->n = 0;
    if (d == NULL) {
        return -errno;
    }
    while ((e = readdir(d)) != NULL) {
        struct ra_dm_dev x;
        char dev[32], susp[8];

        if (strncmp(e->d_name, "dm-", 3) != 0 || strlen(e->d_name) >= sizeof(x.sysname)) {
            continue;
        }
        memset(&x, 0, sizeof(x));
        memcpy(x.sysname, e->d_name, strlen(e->d_name) + 1);
        r = read_attr(x.sysname, "dm/name", x.name, sizeof(x.name));
        if (r == 0) {
            r = read_attr(x.sysname, "dev", dev, sizeof(dev));
        }
        if (r == -ENOENT) {
            r = 0; /* removed while we looked */
            continue;
        }
        if (r < 0 || sscanf(dev, "%u:%u", &x.major, &x.minor) != 2) {
            r = r < 0 ? r : -EBADMSG;
            break;
        }
        r = read_attr(x.sysname, "dm/uuid", x.uuid, sizeof(x.uuid));
        if (r == -ENOENT) {
            r = 0; /* removed while we looked */
            continue;
        }
        if (r < 0) {
            break; /* a device we cannot tell is not "not ours" */
        }
        x.suspended =
            read_attr(x.sysname, "dm/suspended", susp, sizeof(susp)) == 0 && strcmp(susp, "1") == 0;
        x.holders = count_entries(x.sysname, "holders");
        if (ret->n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct ra_dm_dev *nv = realloc(ret->v, ncap * sizeof(*nv));

            if (nv == NULL) {
                r = -ENOMEM;
                break;
            }
            ret->v = nv;
            cap = ncap;
        }
        ret->v[ret->n++] = x;
    }
    closedir(d);
    if (r < 0) {
        ra_dm_release(ret);
    }
    return r;
}

void
ra_dm_release(struct ra_dm_devs *d)
{
    free(d->v);
    d->v = NULL;
    d->n = 0;
}

/* Copy up to the first single '-' of @s (a doubled one is one dash): the end, or NULL. */
static const char *
unescape_part(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    for (;;) {
        if (*s == '\0' || (*s == '-' && s[1] != '-')) {
            break;
        }
        if (*s == '-') {
            s++; /* "--" is one '-' */
        }
        if (n + 1 >= cap) {
            return NULL;
        }
        out[n++] = *s++;
    }
    out[n] = '\0';
    return n > 0 ? s : NULL;
}

bool
ra_dm_lvm_split(const char *name, char *vg, size_t vgcap, char *lv, size_t lvcap,
                const char **layer)
{
    const char *p = unescape_part(name, vg, vgcap);

    if (p == NULL || *p != '-') {
        return false;
    }
    p = unescape_part(p + 1, lv, lvcap);
    if (p == NULL) {
        return false;
    }
    *layer = *p == '-' ? p + 1 : p;
    return true;
}

int
ra_dm_remove(const char *name)
{
    struct dm_ioctl io;
    int fd, r = 0;

    if (strlen(name) >= sizeof(io.name)) {
        return -ENAMETOOLONG;
    }
    fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    memset(&io, 0, sizeof(io));
    io.version[0] = DM_VERSION_MAJOR;
    io.version[1] = 0;
    io.version[2] = 0;
    io.data_size = sizeof(io);
    io.data_start = sizeof(io);
    memcpy(io.name, name, strlen(name) + 1);
    if (ioctl(fd, DM_DEV_REMOVE, &io) < 0) {
        r = -errno;
    }
    close(fd);
    return r;
}

static void
append(char *buf, size_t cap, const char *what)
{
    size_t len = strlen(buf);

    if (len + 1 < cap) {
        ra_format_cut(buf + len, cap - len, "%s%s", len ? "; " : "", what);
    }
}

/* Processes with @dev open (an fd on the block device). */
static void
open_by(dev_t dev, char *buf, size_t cap)
{
    struct ra_pids p;
    char list[200], what[240];

    if (ra_proc_dev_users(dev, &p) == 0 && p.n > 0) {
        ra_format_cut(what, sizeof(what), "open in pids %s", ra_pids_str(&p, list, sizeof(list)));
        append(buf, cap, what);
    }
    ra_pids_release(&p);
}

const char *
ra_dev_holders(dev_t dev, const char *sysname, char *buf, size_t cap)
{
    struct ra_mounts m;
    char path[300], line[512];

    buf[0] = '\0';
    if (ra_mounts_read(&m) == 0) {
        for (size_t i = 0; i < m.n; i++) {
            if (m.v[i].major == major(dev) && m.v[i].minor == minor(dev)) {
                ra_format_cut(line, sizeof(line), "mounted on %s", m.v[i].target);
                append(buf, cap, line);
            }
        }
        ra_mounts_release(&m);
    }
    if (sysname != NULL && ra_format(path, sizeof(path), "/sys/block/%s/holders", sysname) == 0) {
        DIR *d = opendir(path);
        struct dirent *e;

        while (d != NULL && (e = readdir(d)) != NULL) {
            char name[256];

            if (e->d_name[0] == '.') {
                continue;
            }
            if (read_attr(e->d_name, "dm/name", name, sizeof(name)) < 0) {
                name[0] = '\0';
            }
            ra_format_cut(line, sizeof(line), "held by %s%s%s%s", e->d_name, name[0] ? " (" : "",
                          name, name[0] ? ")" : "");
            append(buf, cap, line);
        }
        if (d != NULL) {
            closedir(d);
        }
    }
    {
        char swaps[8192];

        if (ra_state_read("/proc/swaps", swaps, sizeof(swaps)) == 0) {
            for (char *l = swaps, *nl; l != NULL && *l != '\0'; l = nl) {
                struct stat st;

                nl = strchr(l, '\n');
                if (nl != NULL) {
                    *nl++ = '\0';
                }
                l[strcspn(l, " \t")] = '\0';
                if (l[0] == '/' && stat(l, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == dev) {
                    append(buf, cap, "a swap area");
                }
            }
        }
    }
    open_by(dev, buf, cap);
    return buf;
}
