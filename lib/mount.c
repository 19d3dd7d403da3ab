/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The mount table and libmount (see mount.h).
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifdef HAVE_LIBMOUNT
# include <libmount/libmount.h>
#endif

#include "mount.h"
#include "parse.h"
#include "str.h"

#define MOUNTINFO_MAX (16 * 1024 * 1024)

/* Read the whole file: mountinfo is consistent within one read of a big enough buffer. */
static int
read_all(const char *path, char **ret, size_t *ret_len)
{
    size_t cap = 64 * 1024, len = 0;
    char *buf = malloc(cap);
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (buf == NULL || fd < 0) {
        int r = buf == NULL ? -ENOMEM : -errno;

        free(buf);
        if (fd >= 0) {
            close(fd);
        }
        return r;
    }
    for (;;) {
        ssize_t n = read(fd, buf + len, cap - len - 1);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int r = -errno;

            free(buf);
            close(fd);
            return r;
        }
        if (n == 0) {
            break;
        }
        len += (size_t)n;
        if (len + 1 == cap) {
            char *bigger = cap * 2 <= MOUNTINFO_MAX ? realloc(buf, cap * 2) : NULL;

            if (bigger == NULL) {
                free(buf);
                close(fd);
                return -EFBIG;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    close(fd);
    buf[len] = '\0';
    *ret = buf;
    *ret_len = len;
    return 0;
}

static char *
next_field(char **p)
{
    char *start = *p, *sp;

    if (start == NULL) {
        return NULL;
    }
    sp = strchr(start, ' ');
    if (sp != NULL) {
        *sp = '\0';
        *p = sp + 1;
    } else {
        *p = NULL;
    }
    return start;
}

int
ra_mounts_read(struct ra_mounts *ret)
{
    struct ra_mounts m = { 0 };
    size_t len = 0, lines = 0, cap;
    char *line, *next;
    int r = read_all("/proc/self/mountinfo", &m.buf, &len);

    if (r < 0) {
        return r;
    }
    for (size_t i = 0; i < len; i++) {
        lines += m.buf[i] == '\n';
    }
    cap = lines + 1;
    m.v = calloc(cap, sizeof(*m.v));
    if (m.v == NULL) {
        free(m.buf);
        return -ENOMEM;
    }
    for (line = m.buf; line != NULL && *line != '\0'; line = next) {
        struct ra_mount e = { 0 };
        char *p = line, *f;
        long long v = 0;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        /* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
        f = next_field(&p);
        if (f == NULL || ra_parse_int(f, 0, 1LL << 31, &v) < 0) {
            continue;
        }
        e.id = (int)v;
        f = next_field(&p);
        if (f == NULL || ra_parse_int(f, 0, 1LL << 31, &v) < 0) {
            continue;
        }
        e.parent = (int)v;
        f = next_field(&p);
        if (f == NULL || sscanf(f, "%u:%u", &e.major, &e.minor) != 2) {
            continue;
        }
        e.root = next_field(&p);
        e.target = next_field(&p);
        e.options = next_field(&p);
        while ((f = next_field(&p)) != NULL && strcmp(f, "-") != 0) {
            /* optional fields */
        }
        e.fstype = next_field(&p);
        e.source = next_field(&p);
        if (e.root == NULL || e.target == NULL || e.fstype == NULL || e.source == NULL) {
            continue;
        }
        ra_unescape_octal((char *)(uintptr_t)e.root);
        ra_unescape_octal((char *)(uintptr_t)e.target);
        ra_unescape_octal((char *)(uintptr_t)e.source);
        m.v[m.n++] = e;
    }
    *ret = m;
    return 0;
}

void
ra_mounts_release(struct ra_mounts *m)
{
    if (m != NULL) {
        free(m->v);
        free(m->buf);
        m->v = NULL;
        m->buf = NULL;
        m->n = 0;
    }
}

const struct ra_mount *
ra_mounts_find(const struct ra_mounts *m, const char *target)
{
    const struct ra_mount *hit = NULL;

    for (size_t i = 0; i < m->n; i++) {
        if (strcmp(m->v[i].target, target) == 0) {
            hit = &m->v[i]; /* the last one is on top */
        }
    }
    return hit;
}

bool
ra_path_under(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    if (strcmp(dir, "/") == 0) {
        return path[0] == '/';
    }
    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

void
ra_path_clean(char *path)
{
    char *o = path;

    for (const char *s = path; *s != '\0'; s++) {
        if (*s == '/' && (s[1] == '/' || (s[1] == '.' && (s[2] == '/' || s[2] == '\0')))) {
            s += s[1] == '.'; /* drop "//" and "/." */
            if (s[1] == '\0' && o == path) {
                *o++ = '/';
            }
            continue;
        }
        *o++ = *s;
    }
    while (o - path > 1 && o[-1] == '/') {
        o--;
    }
    *o = '\0';
}

/* "/a/b/../c" to "/a/c" in place, by the string; 0, or -1 when there was no "..". */
static int
dotdot(char *path)
{
    char *o = path;
    bool any = false;

    for (const char *s = path; *s != '\0';) {
        const char *end = strchr(s + 1, '/');
        size_t len = end ? (size_t)(end - s) : strlen(s);

        if (len == 3 && strncmp(s, "/..", 3) == 0) {
            while (o > path && *--o != '/') {
            }
            any = true;
        } else {
            memmove(o, s, len);
            o += len;
        }
        s += len;
    }
    if (o == path) {
        *o++ = '/';
    }
    *o = '\0';
    return any ? 0 : -1;
}

int
ra_path_canon(const char *dir, const struct ra_mounts *m, char *buf, size_t cap)
{
    char clean[PATH_MAX], real[PATH_MAX];
    size_t n;
    int r = ra_format(clean, sizeof(clean), "%s", dir);

    if (r < 0) {
        return r;
    }
    ra_path_clean(clean);
    if ((m != NULL && ra_mounts_find(m, clean) != NULL) || clean[0] != '/') {
        return ra_format(buf, cap, "%s", clean);
    }
    /* the longest prefix that exists, resolved, and the rest as written */
    for (n = strlen(clean);;) {
        char save = clean[n];

        clean[n] = '\0';
        if (realpath(n > 0 ? clean : "/", real) != NULL) {
            clean[n] = save;
            r = ra_format(buf, cap, "%s%s", strcmp(real, "/") == 0 && save ? "" : real, clean + n);
            /*
             * ".." in the part that does not exist: nothing there is a
             * symlink, so it goes by the string; then resolve what that names
             */
            if (r == 0 && strstr(clean + n, "/..") != NULL && dotdot(buf) == 0) {
                return ra_path_canon(buf, m, buf, cap); /* @dir is copied first */
            }
            return r;
        }
        clean[n] = save;
        if (errno != ENOENT && errno != ENOTDIR) {
            return -errno;
        }
        while (n > 0 && clean[--n] != '/') {
        }
    }
}

int
ra_dev_node(unsigned major, unsigned minor, char *buf, size_t cap)
{
    char path[96], uevent[1024];
    const char *name;
    struct stat st;
    int fd;
    ssize_t n;

    /* what udev links, else the name the kernel gave it (no udev in a container) */
    if (ra_format(buf, cap, "/dev/block/%u:%u", major, minor) == 0 && stat(buf, &st) == 0 &&
        S_ISBLK(st.st_mode) && st.st_rdev == makedev(major, minor)) {
        return 0;
    }
    if (ra_format(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor) < 0 ||
        (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        return -ENOENT;
    }
    n = read(fd, uevent, sizeof(uevent) - 1);
    close(fd);
    uevent[n > 0 ? n : 0] = '\0';
    name = strstr(uevent, "DEVNAME=");
    if (name == NULL) {
        return -ENOENT;
    }
    name += 8;
    if (ra_format(buf, cap, "/dev/%.*s", (int)strcspn(name, "\n"), name) < 0 ||
        stat(buf, &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != makedev(major, minor)) {
        return -ENOENT;
    }
    return 0;
}

int
ra_loop_backing(unsigned major, unsigned minor, const char *source, dev_t *ret_dev, ino_t *ret_ino)
{
    struct loop_info64 info;
    struct stat st;
    char path[PATH_MAX];
    int fd = -1, r;

    if (source != NULL && stat(source, &st) == 0 && S_ISBLK(st.st_mode) &&
        st.st_rdev == makedev(major, minor)) {
        fd = open(source, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0 && ra_dev_node(major, minor, path, sizeof(path)) == 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        return -ENOENT;
    }
    memset(&info, 0, sizeof(info));
    r = ioctl(fd, LOOP_GET_STATUS64, &info) < 0 ? -errno : 0;
    close(fd);
    if (r < 0) {
        return r;
    }
    /* the kernel's "huge" encoding of the backing file's device */
    *ret_dev = makedev((unsigned)((info.lo_device & 0xfff00) >> 8),
                       (unsigned)((info.lo_device & 0xff) | ((info.lo_device >> 12) & 0xfff00)));
    *ret_ino = (ino_t)info.lo_inode;
    return 0;
}

/* ------------------------------------------------------------ libmount */

#ifdef HAVE_LIBMOUNT

struct lm {
    void *h;
    __typeof__(mnt_new_context) *new_context;
    __typeof__(mnt_free_context) *free_context;
    __typeof__(mnt_context_set_source) *set_source;
    __typeof__(mnt_context_set_target) *set_target;
    __typeof__(mnt_context_set_fstype) *set_fstype;
    __typeof__(mnt_context_set_options) *set_options;
    __typeof__(mnt_context_enable_force) *enable_force;
    __typeof__(mnt_context_mount) *mount;
    __typeof__(mnt_context_umount) *umount;
    __typeof__(mnt_context_get_excode) *get_excode;
};

static int
lm_open(struct lm *l, char *why, size_t cap)
{
    memset(l, 0, sizeof(*l));
    l->h = dlopen("libmount.so.1", RTLD_NOW | RTLD_LOCAL);
    if (l->h == NULL) {
        ra_format_cut(why, cap, "cannot load libmount: %s", dlerror());
        return -ENOENT;
    }
# define SYM(field, name)                                \
  do {                                                   \
   *(void **)(&l->field) = dlsym(l->h, name);            \
   if (l->field == NULL) {                               \
    ra_format_cut(why, cap, "libmount has no %s", name); \
    dlclose(l->h);                                       \
    return -ENOENT;                                      \
   }                                                     \
  } while (0)
    SYM(new_context, "mnt_new_context");
    SYM(free_context, "mnt_free_context");
    SYM(set_source, "mnt_context_set_source");
    SYM(set_target, "mnt_context_set_target");
    SYM(set_fstype, "mnt_context_set_fstype");
    SYM(set_options, "mnt_context_set_options");
    SYM(enable_force, "mnt_context_enable_force");
    SYM(mount, "mnt_context_mount");
    SYM(umount, "mnt_context_umount");
    SYM(get_excode, "mnt_context_get_excode");
# undef SYM
    return 0;
}

static void
lm_close(struct lm *l)
{
    if (l->h != NULL) {
        dlclose(l->h);
        l->h = NULL;
    }
}

/*
 * libmount's result as -errno, and its message in @why.  libmount returns
 * the mount(2) or umount(2) errno as a positive number, its own failures as
 * a negative one, and 0 with a failing exit code when a mount.<type> or
 * umount.<type> helper failed: that helper's status says nothing certain,
 * so it is -EAGAIN (try again), never "gone" and never "done".
 */
static int
lm_result(struct lm *l, struct libmnt_context *cxt, int rc, char *why, size_t cap)
{
    char msg[512] = "";
    int ex = l->get_excode(cxt, rc, msg, sizeof(msg));

    if (ex == MNT_EX_SUCCESS) {
        return 0;
    }
    ra_format_cut(why, cap, "%s", msg[0] ? msg : "failed");
    if (rc > 0) {
        return -rc;
    }
    if (rc < 0) {
        return rc;
    }
    return -EAGAIN;
}

/* Load libmount and make a context: 0, or -errno (then nothing to release). */
static int
lm_begin(struct lm *l, struct libmnt_context **ret, char *why, size_t cap)
{
    int r = lm_open(l, why, cap);

    if (r < 0) {
        return r;
    }
    *ret = l->new_context();
    if (*ret == NULL) {
        lm_close(l);
        return -ENOMEM;
    }
    return 0;
}

static void
lm_end(struct lm *l, struct libmnt_context *cxt)
{
    l->free_context(cxt);
    lm_close(l);
}

int
ra_mount(const char *source, const char *target, const char *fstype, const char *options, char *why,
         size_t cap)
{
    struct lm l;
    struct libmnt_context *cxt = NULL;
    int r = lm_begin(&l, &cxt, why, cap);

    if (r < 0) {
        return r;
    }
    if (l.set_source(cxt, source) < 0 || l.set_target(cxt, target) < 0 ||
        (fstype != NULL && *fstype != '\0' && l.set_fstype(cxt, fstype) < 0) ||
        (options != NULL && *options != '\0' && l.set_options(cxt, options) < 0)) {
        ra_format_cut(why, cap, "libmount refused the mount's description");
        r = -EINVAL;
    } else {
        r = lm_result(&l, cxt, l.mount(cxt), why, cap);
    }
    lm_end(&l, cxt);
    return r;
}

int
ra_umount(const char *target, bool force, char *why, size_t cap)
{
    struct lm l;
    struct libmnt_context *cxt = NULL;
    int r = lm_begin(&l, &cxt, why, cap);

    if (r < 0) {
        return r;
    }
    if (l.set_target(cxt, target) < 0 || (force && l.enable_force(cxt, 1) < 0)) {
        r = -EINVAL;
    } else {
        r = lm_result(&l, cxt, l.umount(cxt), why, cap);
    }
    lm_end(&l, cxt);
    return r;
}

#else /* no libmount headers: nothing can be mounted */

int
ra_mount(const char *source, const char *target, const char *fstype, const char *options, char *why,
         size_t cap)
{
    (void)source;
    (void)target;
    (void)fstype;
    (void)options;
    ra_format_cut(why, cap, "built without libmount");
    return -ENOSYS;
}

int
ra_umount(const char *target, bool force, char *why, size_t cap)
{
    (void)target;
    (void)force;
    ra_format_cut(why, cap, "built without libmount");
    return -ENOSYS;
}
#endif

int
ra_blkid_resolve(const char *token, const char *value, char *buf, size_t cap)
{
    void *h = dlopen("libblkid.so.1", RTLD_NOW | RTLD_LOCAL);
    char *(*evaluate)(const char *, const char *, void *) = NULL;
    char *dev = NULL;
    int r = -ENOENT;

    if (h == NULL) {
        return -ENOENT;
    }
    *(void **)(&evaluate) = dlsym(h, "blkid_evaluate_tag");
    if (evaluate != NULL) {
        dev = evaluate(token, value, NULL);
    }
    if (dev != NULL) {
        r = ra_format(buf, cap, "%s", dev);
        free(dev);
    }
    dlclose(h);
    return r;
}

int
ra_blkid_probe_tag(const char *devname, const char *token, char *buf, size_t cap)
{
    void *h = dlopen("libblkid.so.1", RTLD_NOW | RTLD_LOCAL);
    void *(*new_probe)(const char *) = NULL;
    int (*enable)(void *, int) = NULL, (*flags)(void *, int) = NULL, (*probe)(void *) = NULL;
    int (*lookup)(void *, const char *, const char **, size_t *) = NULL;
    void (*free_probe)(void *) = NULL;
    void *pr = NULL;
    const char *v = NULL;
    int r = -ENOENT;

    if (h == NULL) {
        return -ENOENT;
    }
    *(void **)(&new_probe) = dlsym(h, "blkid_new_probe_from_filename");
    *(void **)(&enable) = dlsym(h, "blkid_probe_enable_superblocks");
    *(void **)(&flags) = dlsym(h, "blkid_probe_set_superblocks_flags");
    *(void **)(&probe) = dlsym(h, "blkid_do_safeprobe");
    *(void **)(&lookup) = dlsym(h, "blkid_probe_lookup_value");
    *(void **)(&free_probe) = dlsym(h, "blkid_free_probe");
    if (new_probe != NULL && enable != NULL && flags != NULL && probe != NULL && lookup != NULL &&
        free_probe != NULL && (pr = new_probe(devname)) != NULL) {
        /* BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID: the two tags a device is named by */
        if (enable(pr, 1) == 0 && flags(pr, (1 << 1) | (1 << 3)) == 0 && probe(pr) == 0 &&
            lookup(pr, token, &v, NULL) == 0 && v != NULL) {
            r = ra_format(buf, cap, "%s", v);
        }
        free_probe(pr);
    }
    dlclose(h);
    return r;
}
