/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt in-process, loaded when first needed, a guard on its blocking calls,
 * and the hypervisor's own view when libvirtd is away.  See virt.h.
 */
#include "config.h"

#include "virt.h"

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "param.h"
#include "parse.h"
#include "proc.h"
#include "str.h"

/* ---- the library ---- */

#define LV_FUNCS(X)                \
 X(virInitialize)                  \
 X(virConnectOpen)                 \
 X(virConnectClose)                \
 X(virConnectGetURI)               \
 X(virConnectDomainXMLFromNative)  \
 X(virConnectListAllDomains)       \
 X(virNodeGetInfo)                 \
 X(virDomainLookupByName)          \
 X(virDomainLookupByUUIDString)    \
 X(virDomainGetState)              \
 X(virDomainGetInfo)               \
 X(virDomainGetName)               \
 X(virDomainGetID)                 \
 X(virDomainGetUUIDString)         \
 X(virDomainIsPersistent)          \
 X(virDomainCreateXML)             \
 X(virDomainDefineXML)             \
 X(virDomainCreate)                \
 X(virDomainUndefineFlags)         \
 X(virDomainShutdownFlags)         \
 X(virDomainDestroyFlags)          \
 X(virDomainSetMemory)             \
 X(virDomainGetXMLDesc)            \
 X(virDomainSave)                  \
 X(virDomainRestore)               \
 X(virDomainMigrate3)              \
 X(virDomainMigrateToURI3)         \
 X(virDomainMigrateSetMaxDowntime) \
 X(virDomainAbortJob)              \
 X(virDomainFree)                  \
 X(virNetworkLookupByName)         \
 X(virNetworkIsActive)             \
 X(virNetworkCreate)               \
 X(virNetworkFree)                 \
 X(virStoragePoolLookupByName)     \
 X(virStoragePoolIsActive)         \
 X(virStoragePoolCreate)           \
 X(virStoragePoolFree)             \
 X(virTypedParamsAddString)        \
 X(virTypedParamsAddULLong)        \
 X(virTypedParamsAddInt)           \
 X(virTypedParamsFree)             \
 X(virGetLastError)                \
 X(virResetLastError)              \
 X(virSetErrorFunc)

static struct {
    void *h;
#define LV_FIELD(f) __typeof__(f) *f;
    LV_FUNCS(LV_FIELD)
#undef LV_FIELD
} lv;

static void
lv_quiet(void *data, virErrorPtr err)
{
    (void)data;
    (void)err; /* kept for ra_virt_error, never printed by libvirt itself */
}

static int
lv_load(char *why, size_t cap)
{
    if (lv.h != NULL) {
        return 0;
    }
    lv.h = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
    if (lv.h == NULL) {
        ra_format_cut(why, cap, "cannot load libvirt: %s", dlerror());
        return -ENOENT;
    }
#define LV_SYM(f)                                             \
 *(void **)(&lv.f) = dlsym(lv.h, #f);                         \
 if (lv.f == NULL) {                                          \
  ra_format_cut(why, cap, "libvirt has no %s (too old)", #f); \
  dlclose(lv.h);                                              \
  lv.h = NULL;                                                \
  return -ENOENT;                                             \
 }
    LV_FUNCS(LV_SYM)
#undef LV_SYM
    if (lv.virInitialize() < 0) {
        ra_format_cut(why, cap, "libvirt cannot initialise");
        dlclose(lv.h);
        lv.h = NULL;
        return -EIO;
    }
    lv.virSetErrorFunc(NULL, lv_quiet);
    return 0;
}

/* ---- the connection and its guard ---- */

struct ra_virt {
    virConnectPtr conn;
    char err[512];
    char uri[512];
    pthread_t guard;
    bool guarded;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool closing;
    uint64_t end_ms;
    virDomainPtr migrating; /* the domain whose migration the guard may abort */
    char reason_line[600];
};

static void
keep_error(struct ra_virt *v, const char *what)
{
    virErrorPtr e = lv.virGetLastError();
    const char *m = e != NULL && e->message != NULL ? e->message : "unknown libvirt error";
    char q[400];

    ra_format_cut(v->err, sizeof(v->err), "%s%s%s", what ? what : "", what ? ": " : "",
                  ra_escape(m, q, sizeof(q)));
}

const char *
ra_virt_error(const struct ra_virt *v)
{
    return v->err;
}

const char *
ra_virt_uri(const struct ra_virt *v)
{
    return v->uri;
}

/* The guard fires this long after the deadline: every wait of our own (a helper's, a
 * sleep) ends at the deadline, so only a libvirt call still blocked is left by then.  Less
 * than the smallest margin a deadline keeps before Pacemaker's own timeout (200 ms). */
#define GUARD_GRACE_MS 100

static void *
guard_main(void *data)
{
    struct ra_virt *v = data;
    bool aborted = false;

    pthread_mutex_lock(&v->lock);
    while (!v->closing) {
        uint64_t now = ra_now_ms();
        uint64_t end = v->end_ms + GUARD_GRACE_MS;
        /* a migration is asked to stop two seconds early, so that it can unwind */
        uint64_t at = v->migrating != NULL && !aborted && end > 2000 ? end - 2000 : end;
        struct timespec ts;

        if (now >= at) {
            if (v->migrating != NULL && !aborted) {
                /* under the lock: the main thread cannot free the domain meanwhile */
                aborted = true;
                lv.virDomainAbortJob(v->migrating);
                continue;
            }
            /* the call has not come back by the deadline: answer, and end */
            if (write(2, v->reason_line, strlen(v->reason_line)) < 0) {
                /* nothing more to be done */
            }
            _exit(1); /* the guard: OCF_ERR_GENERIC, as unsure is never "stopped" */
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        {
            uint64_t wait = at - now;

            ts.tv_sec += (time_t)(wait / 1000);
            ts.tv_nsec += (long)(wait % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
        }
        pthread_cond_timedwait(&v->cond, &v->lock, &ts);
    }
    pthread_mutex_unlock(&v->lock);
    return NULL;
}

void
ra_virt_guard_reason(struct ra_virt *v, const char *reason)
{
    const char *prefix = ra_env_get("OCF_EXIT_REASON_PREFIX");

    pthread_mutex_lock(&v->lock);
    ra_format_cut(v->reason_line, sizeof(v->reason_line), "%s%s\n",
                  prefix != NULL ? prefix : "ocf-exit-reason:", reason);
    pthread_mutex_unlock(&v->lock);
}

static bool
is_down(void)
{
    virErrorPtr e = lv.virGetLastError();

    if (e == NULL) {
        return false;
    }
    /* the daemon's socket is missing or nobody listens on it */
    if (e->code == VIR_ERR_SYSTEM_ERROR &&
        (e->int1 == ENOENT || e->int1 == ECONNREFUSED || e->int1 == ENOTSOCK)) {
        return true;
    }
    return e->code == VIR_ERR_NO_CONNECT && e->message != NULL &&
           (strstr(e->message, "No such file") != NULL ||
            strstr(e->message, "Connection refused") != NULL);
}

int
ra_virt_open(const char *uri, const struct ra_deadline *deadline, struct ra_virt **ret, char *why,
             size_t cap)
{
    struct ra_virt *v;
    char *canon;
    int r;

    *ret = NULL;
    if ((r = lv_load(why, cap)) < 0) {
        return -1;
    }
    v = calloc(1, sizeof(*v));
    if (v == NULL) {
        ra_format_cut(why, cap, "out of memory");
        return -1;
    }
    pthread_mutex_init(&v->lock, NULL);
    {
        pthread_condattr_t ca;

        pthread_condattr_init(&ca);
        pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
        pthread_cond_init(&v->cond, &ca);
        pthread_condattr_destroy(&ca);
    }
    v->end_ms = deadline->end_ms;
    ra_virt_guard_reason(v, "libvirt did not answer within the operation's timeout");
    if (pthread_create(&v->guard, NULL, guard_main, v) == 0) {
        v->guarded = true;
    }
    lv.virResetLastError();
    v->conn = lv.virConnectOpen(uri != NULL && uri[0] != '\0' ? uri : NULL);
    if (v->conn == NULL) {
        bool down = is_down();

        keep_error(v, NULL);
        ra_format_cut(why, cap, "cannot connect to %s: %s", uri && uri[0] ? uri : "libvirt",
                      v->err);
        ra_virt_close(v);
        return down ? RA_VIRT_DOWN : -1;
    }
    canon = lv.virConnectGetURI(v->conn);
    ra_format_cut(v->uri, sizeof(v->uri), "%s", canon ? canon : (uri ? uri : ""));
    free(canon);
    *ret = v;
    return 0;
}

void
ra_virt_close(struct ra_virt *v)
{
    if (v == NULL) {
        return;
    }
    /* the close is a call too: the guard watches it */
    if (v->conn != NULL) {
        lv.virConnectClose(v->conn);
    }
    if (v->guarded) {
        pthread_mutex_lock(&v->lock);
        v->closing = true;
        pthread_cond_signal(&v->cond);
        pthread_mutex_unlock(&v->lock);
        pthread_join(v->guard, NULL);
    }
    pthread_cond_destroy(&v->cond);
    pthread_mutex_destroy(&v->lock);
    free(v);
}

/* ---- domains ---- */

const char *
ra_vm_state_name(enum ra_vm_state s)
{
    static const char *const names[] = { "absent",      "shut off", "running",     "paused",
                                         "in shutdown", "crashed",  "pmsuspended", "no state" };

    return (size_t)s < RA_NELEM(names) ? names[s] : "unknown";
}

/* libvirt's virDomainState as ours (anything else: no state). */
static enum ra_vm_state
vm_state(int s)
{
    switch (s) {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
        return RA_VM_RUNNING;
    case VIR_DOMAIN_PAUSED:
        return RA_VM_PAUSED;
    case VIR_DOMAIN_SHUTDOWN:
        return RA_VM_SHUTDOWN;
    case VIR_DOMAIN_SHUTOFF:
        return RA_VM_OFF;
    case VIR_DOMAIN_CRASHED:
        return RA_VM_CRASHED;
    case VIR_DOMAIN_PMSUSPENDED:
        return RA_VM_PMSUSPENDED;
    default:
        return RA_VM_NOSTATE;
    }
}

/* The domain @id, or NULL: *@absent says whether it is simply not there. */
static virDomainPtr
dom_get(struct ra_virt *v, const struct ra_vm_id *id, bool *absent)
{
    virDomainPtr d;
    virErrorPtr e;

    *absent = false;
    lv.virResetLastError();
    d = id->uuid[0] != '\0' ? lv.virDomainLookupByUUIDString(v->conn, id->uuid)
                            : lv.virDomainLookupByName(v->conn, id->name);
    if (d != NULL) {
        /* a UUID is one domain's on a host, whatever it is called now */
        return d;
    }
    e = lv.virGetLastError();
    if (e != NULL && e->code == VIR_ERR_NO_DOMAIN) {
        *absent = true;
        return NULL;
    }
    keep_error(v, id->name);
    return NULL;
}

int
ra_virt_state(struct ra_virt *v, const struct ra_vm_id *id, enum ra_vm_state *st, int *reason,
              bool *persistent)
{
    bool absent;
    virDomainPtr d = dom_get(v, id, &absent);
    int s, why = 0, p = 0;

    if (persistent != NULL) {
        *persistent = false;
    }
    if (d == NULL) {
        if (absent) {
            *st = RA_VM_ABSENT;
            return 0;
        }
        return -1;
    }
    if (lv.virDomainGetState(d, &s, &why, 0) < 0) {
        bool gone = lv.virGetLastError() != NULL && lv.virGetLastError()->code == VIR_ERR_NO_DOMAIN;

        keep_error(v, id->name);
        lv.virDomainFree(d);
        if (gone) { /* it went between the two calls */
            *st = RA_VM_ABSENT;
            return 0;
        }
        return -1;
    }
    if (persistent != NULL) {
        p = lv.virDomainIsPersistent(d);
        *persistent = p == 1;
    }
    lv.virDomainFree(d);
    *st = vm_state(s);
    if (reason != NULL) {
        *reason = why;
    }
    return 0;
}

/* Run @op on domain @id: 0, 1 when it is not there, -1 on error (kept). */
#define WITH_DOM(v, id, d, absent_rc, body)  \
 do {                                        \
  bool absent_;                              \
  virDomainPtr d = dom_get(v, id, &absent_); \
  if (d == NULL) {                           \
   return absent_ ? (absent_rc) : -1;        \
  }                                          \
  body;                                      \
  lv.virDomainFree(d);                       \
 } while (0)

int
ra_virt_learn_uuid(struct ra_virt *v, struct ra_vm_id *id)
{
    struct ra_vm_id byname = *id;
    int r = 0;

    byname.uuid[0] = '\0';
    WITH_DOM(v, &byname, d, 1, {
        if (lv.virDomainGetUUIDString(d, id->uuid) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

int
ra_virt_info(struct ra_virt *v, const struct ra_vm_id *id, unsigned *vcpus,
             unsigned long long *max_kib)
{
    int r = 0;

    WITH_DOM(v, id, d, -1, {
        virDomainInfo info;

        if (lv.virDomainGetInfo(d, &info) < 0) {
            keep_error(v, id->name);
            r = -1;
        } else {
            *vcpus = info.nrVirtCpu;
            *max_kib = info.maxMem;
        }
    });
    return r;
}

int
ra_virt_create(struct ra_virt *v, const char *xml, struct ra_vm_id *id)
{
    virDomainPtr d;

    lv.virResetLastError();
    d = lv.virDomainCreateXML(v->conn, xml, 0);
    if (d == NULL) {
        keep_error(v, NULL);
        return -1;
    }
    if (lv.virDomainGetUUIDString(d, id->uuid) < 0) {
        id->uuid[0] = '\0';
    }
    lv.virDomainFree(d);
    return 0;
}

int
ra_virt_define(struct ra_virt *v, const char *xml, struct ra_vm_id *id)
{
    virDomainPtr d;

    lv.virResetLastError();
    d = lv.virDomainDefineXML(v->conn, xml);
    if (d == NULL) {
        keep_error(v, NULL);
        return -1;
    }
    if (lv.virDomainGetUUIDString(d, id->uuid) < 0) {
        id->uuid[0] = '\0';
    }
    lv.virDomainFree(d);
    return 0;
}

int
ra_virt_start(struct ra_virt *v, const struct ra_vm_id *id)
{
    int r = 0;

    WITH_DOM(v, id, d, -1, {
        if (lv.virDomainCreate(d) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

int
ra_virt_undefine(struct ra_virt *v, const struct ra_vm_id *id)
{
    int r = 0;

    WITH_DOM(v, id, d, 0, {
        /* keep what belongs to the guest: its NVRAM, snapshots and checkpoints metadata go
         * only with the definition */
        if (lv.virDomainUndefineFlags(d, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
                                             VIR_DOMAIN_UNDEFINE_KEEP_NVRAM) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

int
ra_virt_restore(struct ra_virt *v, const char *file)
{
    lv.virResetLastError();
    if (lv.virDomainRestore(v->conn, file) < 0) {
        keep_error(v, file);
        return -1;
    }
    return 0;
}

int
ra_virt_save(struct ra_virt *v, const struct ra_vm_id *id, const char *file)
{
    int r = 0;

    WITH_DOM(v, id, d, -1, {
        if (lv.virDomainSave(d, file) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

int
ra_virt_shutdown(struct ra_virt *v, const struct ra_vm_id *id, unsigned flags)
{
    int r = 0;

    WITH_DOM(v, id, d, 0, {
        if (lv.virDomainShutdownFlags(d, flags) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

int
ra_virt_destroy(struct ra_virt *v, const struct ra_vm_id *id)
{
    int r = 0;

    WITH_DOM(v, id, d, 0, {
        if (lv.virDomainDestroyFlags(d, 0) < 0) {
            virErrorPtr e = lv.virGetLastError();

            if (e == NULL || e->code != VIR_ERR_OPERATION_INVALID) { /* not running */
                keep_error(v, id->name);
                r = -1;
            }
        }
    });
    return r;
}

int
ra_virt_set_memory(struct ra_virt *v, const struct ra_vm_id *id, unsigned long long kib)
{
    int r = 0;

    WITH_DOM(v, id, d, -1, {
        if (lv.virDomainSetMemory(d, (unsigned long)kib) < 0) {
            keep_error(v, id->name);
            r = -1;
        }
    });
    return r;
}

char *
ra_virt_xml(struct ra_virt *v, const struct ra_vm_id *id, unsigned flags)
{
    bool absent;
    virDomainPtr d = dom_get(v, id, &absent);
    char *x;

    if (d == NULL) {
        return NULL;
    }
    x = lv.virDomainGetXMLDesc(d, flags);
    if (x == NULL) {
        keep_error(v, id->name);
    }
    lv.virDomainFree(d);
    return x;
}

char *
ra_virt_from_native(struct ra_virt *v, const char *format, const char *text)
{
    char *x;

    lv.virResetLastError();
    x = lv.virConnectDomainXMLFromNative(v->conn, format, text, 0);
    if (x == NULL) {
        keep_error(v, format);
    }
    return x;
}

int
ra_virt_host_memory(struct ra_virt *v, unsigned long long *total_kib)
{
    virNodeInfo info;

    if (lv.virNodeGetInfo(v->conn, &info) < 0) {
        keep_error(v, "node info");
        return -1;
    }
    *total_kib = info.memory;
    return 0;
}

int
ra_virt_running(struct ra_virt *v, struct ra_vm_id *names, size_t max, size_t *n)
{
    virDomainPtr *doms = NULL;
    int k = lv.virConnectListAllDomains(v->conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);

    *n = 0;
    if (k < 0) {
        keep_error(v, "list of domains");
        return -1;
    }
    for (int i = 0; i < k; i++) {
        const char *nm = lv.virDomainGetName(doms[i]);

        if (lv.virDomainGetID(doms[i]) != 0 && nm != NULL) {
            if (*n < max) {
                ra_format_cut(names[*n].name, sizeof(names[*n].name), "%s", nm);
                if (lv.virDomainGetUUIDString(doms[i], names[*n].uuid) < 0) {
                    names[*n].uuid[0] = '\0';
                }
            }
            (*n)++;
        }
        lv.virDomainFree(doms[i]);
    }
    free(doms);
    return 0;
}

int
ra_virt_network_up(struct ra_virt *v, const char *name)
{
    virNetworkPtr n = lv.virNetworkLookupByName(v->conn, name);
    int r = 0;

    if (n == NULL) {
        keep_error(v, name);
        return -1;
    }
    if (lv.virNetworkIsActive(n) != 1 && lv.virNetworkCreate(n) < 0) {
        keep_error(v, name);
        r = -1;
    }
    lv.virNetworkFree(n);
    return r;
}

int
ra_virt_pool_up(struct ra_virt *v, const char *name)
{
    virStoragePoolPtr p = lv.virStoragePoolLookupByName(v->conn, name);
    int r = 0;

    if (p == NULL) {
        keep_error(v, name);
        return -1;
    }
    if (lv.virStoragePoolIsActive(p) != 1 && lv.virStoragePoolCreate(p, 0) < 0) {
        keep_error(v, name);
        r = -1;
    }
    lv.virStoragePoolFree(p);
    return r;
}

int
ra_virt_migrate(struct ra_virt *v, const struct ra_vm_id *id, const struct ra_virt_migration *m)
{
    virTypedParameterPtr params = NULL;
    int np = 0, maxp = 0, r = 0;
    virConnectPtr dest = NULL;
    bool absent;
    virDomainPtr d = dom_get(v, id, &absent);

    if (d == NULL) {
        if (absent) {
            ra_format_cut(v->err, sizeof(v->err), "%s is not running here", id->name);
        }
        return -1;
    }
    if ((m->migrate_uri != NULL &&
         lv.virTypedParamsAddString(&params, &np, &maxp, VIR_MIGRATE_PARAM_URI, m->migrate_uri) <
             0) ||
        (m->bandwidth_mib != 0 &&
         lv.virTypedParamsAddULLong(&params, &np, &maxp, VIR_MIGRATE_PARAM_BANDWIDTH,
                                    m->bandwidth_mib) < 0)) {
        keep_error(v, "migration parameters");
        r = -1;
        goto out;
    }
    for (size_t i = 0; i < m->nextra && i < RA_NELEM(m->extra); i++) {
        const char *f = m->extra[i].field, *val = m->extra[i].value;
        long long num = 0;
        int k = 0;

        if (m->extra[i].type != 's' &&
            ra_parse_int(val, 0, m->extra[i].type == 'i' ? INT32_MAX : INT64_MAX, &num) < 0) {
            ra_format_cut(v->err, sizeof(v->err), "migration parameter %s: %s is not a number", f,
                          val);
            r = -1;
            goto out;
        }
        k = m->extra[i].type == 's' ? lv.virTypedParamsAddString(&params, &np, &maxp, f, val)
            : m->extra[i].type == 'i'
                ? lv.virTypedParamsAddInt(&params, &np, &maxp, f, (int)num)
                : lv.virTypedParamsAddULLong(&params, &np, &maxp, f, (unsigned long long)num);
        if (k < 0) {
            keep_error(v, f);
            r = -1;
            goto out;
        }
    }
    if (m->downtime_ms != 0 && lv.virDomainMigrateSetMaxDowntime(d, m->downtime_ms, 0) < 0) {
        keep_error(v, "migration downtime not set"); /* the migration goes on without it */
    }
    pthread_mutex_lock(&v->lock);
    v->migrating = d;
    pthread_mutex_unlock(&v->lock);
    if (m->flags & VIR_MIGRATE_PEER2PEER) {
        if (lv.virDomainMigrateToURI3(d, m->dest_uri, params, (unsigned)np, (unsigned)m->flags) <
            0) {
            keep_error(v, m->dest_uri);
            r = -1;
        }
    } else {
        dest = lv.virConnectOpen(m->dest_uri);
        if (dest == NULL) {
            keep_error(v, m->dest_uri);
            r = -1;
        } else {
            virDomainPtr nd =
                lv.virDomainMigrate3(d, dest, params, (unsigned)np, (unsigned)m->flags);

            if (nd == NULL) {
                keep_error(v, m->dest_uri);
                r = -1;
            } else {
                lv.virDomainFree(nd);
            }
        }
    }
    pthread_mutex_lock(&v->lock);
    v->migrating = NULL;
    pthread_mutex_unlock(&v->lock);
out:
    if (dest != NULL) {
        lv.virConnectClose(dest);
    }
    if (params != NULL) {
        lv.virTypedParamsFree(params, np);
    }
    lv.virDomainFree(d);
    return r;
}

/* ---- the domain XML, read as far as we need it ---- */

/* The end of the markup construct at @p ("<...>", a comment, a PI, CDATA), or NULL. */
static const char *
markup_end(const char *p)
{
    const char *e;
    char q = 0;

    if (strncmp(p, "<!--", 4) == 0) {
        e = strstr(p + 4, "-->");
        return e ? e + 3 : NULL;
    }
    if (strncmp(p, "<![CDATA[", 9) == 0) {
        e = strstr(p + 9, "]]>");
        return e ? e + 3 : NULL;
    }
    if (strncmp(p, "<?", 2) == 0) {
        e = strstr(p + 2, "?>");
        return e ? e + 2 : NULL;
    }
    for (e = p + 1; *e != '\0'; e++) {
        if (q != 0) {
            if (*e == q) {
                q = 0;
            }
        } else if (*e == '"' || *e == '\'') {
            q = *e;
        } else if (*e == '>') {
            return e + 1;
        }
    }
    return NULL;
}

/* Does the tag at @p (after '<' and an optional '/') have the name @name? */
static bool
tag_is(const char *p, const char *name)
{
    size_t n = strlen(name);

    return strncmp(p, name, n) == 0 && (p[n] == '>' || p[n] == '/' || isspace((unsigned char)p[n]));
}

/* XML text with the five predefined entities and numeric ASCII references decoded. */
static int
xml_text(const char *s, size_t len, char *out, size_t cap)
{
    size_t o = 0;

    for (size_t i = 0; i < len;) {
        char c = s[i];

        if (c == '&') {
            static const struct {
                const char *e;
                char c;
            } ents[] = {
                { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' }
            };

            size_t k;

            for (k = 0; k < RA_NELEM(ents); k++) {
                size_t el = strlen(ents[k].e);

                if (i + 1 + el <= len && strncmp(s + i + 1, ents[k].e, el) == 0) {
                    c = ents[k].c;
                    i += 1 + el;
                    break;
                }
            }
            if (k == RA_NELEM(ents)) {
                /* &#NN; or &#xHH;: printable ASCII only */
                bool hex = i + 2 < len && s[i + 2] == 'x';
                size_t j = i + (hex ? 3 : 2);
                unsigned code = 0;

                if (i + 2 >= len || s[i + 1] != '#') {
                    return -EINVAL;
                }
                for (; j < len && s[j] != ';' && code < 0x100; j++) {
                    int d = isdigit((unsigned char)s[j]) ? s[j] - '0'
                            : hex && isxdigit((unsigned char)s[j])
                                ? tolower((unsigned char)s[j]) - 'a' + 10
                                : -1;

                    if (d < 0) {
                        return -EINVAL;
                    }
                    code = code * (hex ? 16u : 10u) + (unsigned)d;
                }
                if (j >= len || s[j] != ';' || code < 0x20 || code > 0x7e) {
                    return -EINVAL;
                }
                c = (char)code;
                i = j + 1;
            }
        } else {
            i++;
        }
        if ((unsigned char)c < 0x20 || o + 1 >= cap) {
            return -EINVAL;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

/* @uuid (with or without dashes, any case) in libvirt's canonical form: 0 or -EINVAL. */
static int
canon_uuid(char uuid[37], char *why, size_t cap)
{
    char canon[37];
    size_t o = 0;
    int hex = 0;

    for (const char *s = uuid; *s != '\0'; s++) {
        if (*s == '-' || isspace((unsigned char)*s)) {
            continue;
        }
        if (!isxdigit((unsigned char)*s) || hex == 32) {
            ra_format_cut(why, cap, "the domain's UUID %s is not a UUID", uuid);
            return -EINVAL;
        }
        if (hex == 8 || hex == 12 || hex == 16 || hex == 20) {
            canon[o++] = '-';
        }
        canon[o++] = (char)tolower((unsigned char)*s);
        hex++;
    }
    if (hex != 32) {
        ra_format_cut(why, cap, "the domain's UUID %s is not a UUID", uuid);
        return -EINVAL;
    }
    canon[o] = '\0';
    memcpy(uuid, canon, o + 1);
    return 0;
}

int
ra_vm_xml_ident(const char *xml, struct ra_vm_id *id, size_t *name_at, size_t *name_len, char *why,
                size_t cap)
{
    int depth = 0;
    bool root = false, in_name = false, in_uuid = false;
    const char *text = NULL;

    memset(id, 0, sizeof(*id));
    for (const char *p = xml; *p != '\0';) {
        const char *e;

        if (*p != '<') {
            p++;
            continue;
        }
        e = markup_end(p);
        if (e == NULL) {
            ra_format_cut(why, cap, "the domain XML ends inside a tag");
            return -EINVAL;
        }
        if (p[1] == '?' || p[1] == '!') {
            if (strncmp(p, "<![CDATA[", 9) == 0 && (in_name || in_uuid)) {
                ra_format_cut(why, cap, "CDATA in the domain's name or UUID");
                return -EINVAL;
            }
            p = e;
            continue;
        }
        if (p[1] == '/') {
            if ((in_name || in_uuid) && depth == 2) {
                char *dst = in_name ? id->name : id->uuid;
                size_t dcap = in_name ? sizeof(id->name) : sizeof(id->uuid);

                if (xml_text(text, (size_t)(p - text), dst, dcap) < 0) {
                    ra_format_cut(why, cap, "the domain's %s is not usable text",
                                  in_name ? "name" : "UUID");
                    return -EINVAL;
                }
                if (in_name && name_at != NULL) {
                    *name_at = (size_t)(text - xml);
                    *name_len = (size_t)(p - text);
                }
                in_name = in_uuid = false;
            }
            depth--;
            if (depth == 0) {
                break; /* the root element ended */
            }
        } else {
            bool empty = e[-2] == '/';

            if (depth == 0) {
                if (!tag_is(p + 1, "domain")) {
                    ra_format_cut(why, cap, "the XML's root element is not <domain>");
                    return -EINVAL;
                }
                root = true;
            } else if (depth == 1 && !empty && id->name[0] == '\0' && tag_is(p + 1, "name")) {
                in_name = true;
                text = e;
            } else if (depth == 1 && !empty && id->uuid[0] == '\0' && tag_is(p + 1, "uuid")) {
                in_uuid = true;
                text = e;
            }
            if (!empty) {
                depth++;
            }
        }
        p = e;
    }
    if (!root) {
        ra_format_cut(why, cap, "no <domain> element");
        return -EINVAL;
    }
    if (id->name[0] == '\0') {
        ra_format_cut(why, cap, "the domain XML has no <name>");
        return -EINVAL;
    }
    return id->uuid[0] != '\0' ? canon_uuid(id->uuid, why, cap) : 0;
}

char *
ra_vm_xml_rename(const char *xml, const char *name)
{
    struct ra_vm_id id;
    size_t at = 0, len = 0, nl = strlen(name), xl = strlen(xml);
    char why[128], *out, *o;

    if (ra_vm_xml_ident(xml, &id, &at, &len, why, sizeof(why)) < 0) {
        return NULL;
    }
    out = malloc(xl - len + nl * 6 + 1);
    if (out == NULL) {
        return NULL;
    }
    memcpy(out, xml, at);
    o = out + at;
    for (const char *s = name; *s != '\0'; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;

        if (rep != NULL) {
            o = stpcpy(o, rep);
        } else {
            *o++ = *s;
        }
    }
    memcpy(o, xml + at + len, xl - at - len + 1);
    return out;
}

int
ra_vm_xml_sources(const char *xml, int (*fn)(const char *kind, const char *name, void *data),
                  void *data)
{
    for (const char *p = strchr(xml, '<'); p != NULL; p = strchr(p + 1, '<')) {
        const char *e = markup_end(p);

        if (e == NULL) {
            return 0;
        }
        if (p[1] == '!' || p[1] == '?') {
            p = e - 1;
            continue;
        }
        if (tag_is(p + 1, "source")) {
            static const char *const kinds[] = { "network", "pool" };

            for (size_t k = 0; k < RA_NELEM(kinds); k++) {
                char pat[16], val[256];
                const char *a;

                ra_format_cut(pat, sizeof(pat), "%s=", kinds[k]);
                for (a = p; (a = strstr(a, pat)) != NULL && a < e; a++) {
                    const char *v, *ve;

                    if (!isspace((unsigned char)a[-1])) {
                        continue;
                    }
                    v = a + strlen(pat);
                    if (*v != '"' && *v != '\'') {
                        continue;
                    }
                    ve = strchr(v + 1, *v);
                    if (ve == NULL || ve > e ||
                        xml_text(v + 1, (size_t)(ve - v - 1), val, sizeof(val)) < 0) {
                        continue;
                    }
                    int r = fn(kinds[k], val, data);

                    if (r != 0) {
                        return r;
                    }
                    break;
                }
            }
        }
        p = e - 1;
    }
    return 0;
}

int
ra_vm_xen_ident(const char *text, struct ra_vm_id *id, char *why, size_t cap)
{
    memset(id, 0, sizeof(*id));
    for (const char *line = text; *line != '\0';) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        char buf[512], *key, *val;

        if (len < sizeof(buf)) {
            memcpy(buf, line, len);
            buf[len] = '\0';
            /* a comment after the value */
            char *hash = strchr(buf, '#');

            if (hash != NULL) {
                *hash = '\0';
            }
            if (ra_kv_split(buf, &key, &val, "\"'")) {
                char *dst = NULL;
                size_t dcap = 0;

                if (strcmp(key, "name") == 0) {
                    dst = id->name;
                    dcap = sizeof(id->name);
                } else if (strcmp(key, "uuid") == 0) {
                    dst = id->uuid;
                    dcap = sizeof(id->uuid);
                }
                if (dst != NULL) {
                    if (val[0] == '\0' || strpbrk(val, "% \t\"'[]") != NULL ||
                        strlen(val) >= dcap) {
                        ra_format_cut(why, cap, "the file's %s \"%s\" is not usable", key, val);
                        return -EINVAL;
                    }
                    memcpy(dst, val, strlen(val) + 1);
                }
            }
        }
        line += len + (end ? 1 : 0);
    }
    return id->uuid[0] != '\0' ? canon_uuid(id->uuid, why, cap) : 0;
}

/* ---- without the daemon: the hypervisor's own state ---- */

bool
ra_virt_uri_local(const char *uri, const char *scheme)
{
    size_t n = strlen(scheme);
    const char *rest;

    if (uri == NULL || strncmp(uri, scheme, n) != 0) {
        return false;
    }
    rest = uri + n;
    /* qemu:///system, qemu+unix:///system?socket=..., not qemu+ssh://host/ */
    if (strncmp(rest, "+unix", 5) == 0) {
        rest += 5;
    }
    return strncmp(rest, ":///", 4) == 0;
}

struct qemu_scan {
    const struct ra_vm_id *id;
    pid_t *pids;
    size_t max, n;
    int err;
};

/* Does the qemu command line @args (NUL-separated, @n bytes) run domain @id? */
static bool
qemu_args_match(const char *args, size_t n, const struct ra_vm_id *id)
{
    const char *a0 = args, *base = strrchr(a0, '/');
    bool qemu;

    /* the UUID in any process (qemu-system-*, kvm, kvm-spice, a wrapper script): a false
     * "runs" fails a stop, a false "gone" could start the domain twice */
    base = base ? base + 1 : a0;
    qemu = strstr(base, "qemu") != NULL || strstr(base, "kvm") != NULL;
    for (const char *a = args; a < args + n; a += strlen(a) + 1) {
        const char *v = a + strlen(a) + 1;

        if (v >= args + n) {
            break;
        }
        if (id->uuid[0] != '\0') {
            if (strcmp(a, "-uuid") == 0 && strcasecmp(v, id->uuid) == 0) {
                return true;
            }
        } else if (qemu && strcmp(a, "-name") == 0) {
            /* "guest=NAME,debug-threads=on" or "NAME"; a comma in NAME is doubled */
            const char *s = strncmp(v, "guest=", 6) == 0 ? v + 6 : v;
            const char *nm = id->name;

            while (*nm != '\0') {
                if (*nm == ',') {
                    if (s[0] != ',' || s[1] != ',') {
                        break;
                    }
                    s += 2;
                } else if (*s++ != *nm) {
                    break;
                }
                nm++;
            }
            if (*nm == '\0' && (*s == '\0' || (*s == ',' && s[1] != ','))) {
                return true;
            }
        }
    }
    return false;
}

static int
qemu_scan(struct qemu_scan *q)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    pid_t self = getpid();

    if (d == NULL) {
        return -errno;
    }
    while ((e = readdir(d)) != NULL) {
        char path[64], args[16384];
        long long pid;
        ssize_t n;
        int fd;

        if (ra_parse_int(e->d_name, 1, INT32_MAX, &pid) < 0 || (pid_t)pid == self) {
            continue;
        }
        if (ra_format(path, sizeof(path), "/proc/%lld/cmdline", pid) < 0) {
            continue;
        }
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            continue; /* gone */
        }
        n = read(fd, args, sizeof(args) - 1);
        close(fd);
        if (n <= 0) {
            continue; /* gone, a kernel thread, or a zombie: no command line */
        }
        args[n] = '\0';
        if (qemu_args_match(args, (size_t)n, q->id) &&
            ra_proc_stat((pid_t)pid, NULL, 0, NULL, NULL) != 0) {
            if (q->n < q->max && q->pids != NULL) {
                q->pids[q->n] = (pid_t)pid;
            }
            q->n++;
        }
    }
    closedir(d);
    return 0;
}

/* xenstore's wire protocol: a header, then the payload */
struct xs_msg {
    uint32_t type, req_id, tx_id, len;
};

enum {
    XS_DIRECTORY = 1,
    XS_READ = 2,
    XS_ERROR = 16
};

/* One request to xenstored: the reply's payload into @out (NUL-terminated), its length; -errno
 * (-ENOENT for xenstore's ENOENT). */
static ssize_t
xs_call(int fd, const struct ra_deadline *dl, uint32_t type, const char *path, char *out,
        size_t cap)
{
    struct xs_msg m = { .type = type, .len = (uint32_t)strlen(path) + 1 };
    char req[sizeof(m) + 512];
    int r;

    if (m.len > 512) {
        return -ENAMETOOLONG;
    }
    memcpy(req, &m, sizeof(m));
    memcpy(req + sizeof(m), path, m.len);
    if ((r = ra_deadline_send(dl, fd, req, sizeof(m) + m.len)) < 0) {
        return r;
    }
    /* the header, then exactly len bytes */
    if ((r = ra_deadline_recv(dl, fd, &m, sizeof(m))) < 0) {
        return r;
    }
    if (m.len >= cap) {
        return -EMSGSIZE;
    }
    if ((r = ra_deadline_recv(dl, fd, out, m.len)) < 0) {
        return r;
    }
    out[m.len] = '\0';
    if (m.type == XS_ERROR) {
        return strcmp(out, "ENOENT") == 0 ? -ENOENT : -EIO;
    }
    return (ssize_t)m.len;
}

static int
xen_scan(const struct ra_vm_id *id, const struct ra_deadline *dl, char *why, size_t cap)
{
    static const char *const socks[] = { "/run/xenstored/socket", "/var/run/xenstored/socket" };
    const char *env = ra_env_get("XENSTORED_PATH");
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char list[16384];
    ssize_t n;
    int fd = -1, found = 0;
    bool vague = false;

    for (size_t i = 0; i < RA_NELEM(socks) + 1 && fd < 0; i++) {
        const char *p = i == 0 ? env : socks[i - 1];

        if (p == NULL || strlen(p) >= sizeof(sa.sun_path)) {
            continue;
        }
        memcpy(sa.sun_path, p, strlen(p) + 1);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
            close(fd);
            fd = -1;
        }
    }
    if (fd < 0) {
        ra_format_cut(why, cap, "neither libvirtd nor xenstored can be reached");
        return -1;
    }
    n = xs_call(fd, dl, XS_DIRECTORY, "/local/domain", list, sizeof(list));
    if (n < 0) {
        ra_format_cut(why, cap, "xenstore: cannot list the domains: %s", strerror((int)-n));
        close(fd);
        return -1;
    }
    for (const char *dom = list; dom < list + n && found == 0; dom += strlen(dom) + 1) {
        char path[64], val[512];
        ssize_t k;

        if (strcmp(dom, "0") == 0 || dom[0] == '\0') {
            continue;
        }
        ra_format_cut(path, sizeof(path), "/local/domain/%.20s/name", dom);
        k = xs_call(fd, dl, XS_READ, path, val, sizeof(val));
        if (k == -ENOENT) {
            vague = true; /* a domain made or torn down right now: perhaps ours */
            continue;
        }
        if (k < 0) {
            ra_format_cut(why, cap, "xenstore: cannot read %s: %s", path, strerror((int)-k));
            found = -1;
            break;
        }
        /* a domain being migrated in or out has a name of its own (xl's "--incoming" and
         * "--migratedaway", xm's "migrating-"): it is still this guest */
        {
            size_t nl = strlen(id->name);

            if (strcmp(val, id->name) == 0 ||
                (strncmp(val, id->name, nl) == 0 && (strcmp(val + nl, "--incoming") == 0 ||
                                                     strcmp(val + nl, "--migratedaway") == 0)) ||
                (strncmp(val, "migrating-", 10) == 0 && strcmp(val + 10, id->name) == 0)) {
                found = 1;
            }
        }
    }
    close(fd);
    return found == 0 && vague ? 2 : found;
}

int
ra_vm_runs_here(const char *uri, const struct ra_vm_id *id, const struct ra_deadline *deadline,
                pid_t *pids, size_t max, size_t *npids, char *why, size_t cap)
{
    if (npids != NULL) {
        *npids = 0;
    }
    if (ra_virt_uri_local(uri, "qemu")) {
        struct qemu_scan q = { .id = id, .pids = pids, .max = max };
        int r = qemu_scan(&q);

        if (r < 0) {
            ra_format_cut(why, cap, "cannot look at the processes: %s", strerror(-r));
            return -1;
        }
        if (npids != NULL) {
            *npids = q.n < max ? q.n : max;
        }
        return q.n > 0;
    }
    if (ra_virt_uri_local(uri, "xen")) {
        int r = xen_scan(id, deadline, why, cap);

        if (r == 2) { /* a domain without a name yet: look once more */
            (void)ra_deadline_sleep(deadline, 200);
            r = xen_scan(id, deadline, why, cap);
        }
        if (r == 2) {
            ra_format_cut(why, cap, "xenstore has a domain without a name: perhaps this one");
            return -1;
        }
        return r;
    }
    ra_format_cut(why, cap, "without libvirtd, nothing can tell whether a domain of %s runs",
                  uri != NULL && uri[0] != '\0' ? uri : "the default hypervisor");
    return -1;
}

/* ---- a look without libvirt: the daemon's own RPC protocol ---- */

/*
 * libvirt's RPC: each message is a 4-byte big-endian length (counting itself), a header
 * of six 32-bit words (program, version, procedure, type, serial, status) and the XDR
 * body.  The calls a look needs: AUTH_LIST (and AUTH_POLKIT), CONNECT_OPEN, the domain's
 * lookup, GET_STATE, GET_INFO and CONNECT_CLOSE.
 */
enum {
    RPC_PROGRAM = 0x20008086,
    RPC_VERSION = 1,
    RPC_CALL = 0,
    RPC_REPLY = 1,
    RPC_OK = 0,
    RPC_ERROR = 1,
    PROC_CONNECT_OPEN = 1,
    PROC_CONNECT_CLOSE = 2,
    PROC_DOMAIN_GET_INFO = 16,
    PROC_DOMAIN_LOOKUP_BY_NAME = 23,
    PROC_DOMAIN_LOOKUP_BY_UUID = 24,
    PROC_AUTH_LIST = 66,
    PROC_AUTH_POLKIT = 70,
    PROC_DOMAIN_GET_STATE = 212,
    AUTH_NONE = 0,
    AUTH_POLKIT = 2,
    RPC_MAX = 256 * 1024,
};

struct xdr {
    unsigned char *b;
    size_t len, cap, pos;
    bool bad;
};

static void
x_put(struct xdr *x, const void *p, size_t n)
{
    size_t pad = (4 - n % 4) % 4;

    if (x->len + n + pad > x->cap) {
        x->bad = true;
        return;
    }
    memcpy(x->b + x->len, p, n);
    memset(x->b + x->len + n, 0, pad);
    x->len += n + pad;
}

static void
x_u32(struct xdr *x, uint32_t v)
{
    unsigned char be[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                            (unsigned char)(v >> 8), (unsigned char)v };

    x_put(x, be, 4);
}

static void
x_str(struct xdr *x, const char *s)
{
    x_u32(x, (uint32_t)strlen(s));
    x_put(x, s, strlen(s));
}

static const unsigned char *
r_take(struct xdr *x, size_t n)
{
    size_t padded = n + (4 - n % 4) % 4;
    const unsigned char *p = x->b + x->pos;

    if (x->bad || padded < n || x->len - x->pos < padded) {
        x->bad = true;
        return NULL;
    }
    x->pos += padded;
    return p;
}

static uint32_t
r_u32(struct xdr *x)
{
    const unsigned char *p = r_take(x, 4);

    return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

static uint64_t
r_u64(struct xdr *x)
{
    uint64_t hi = r_u32(x);

    return hi << 32 | r_u32(x);
}

/* A string into @out (cut to @cap, NULL: skipped). */
static void
r_str(struct xdr *x, char *out, size_t cap)
{
    uint32_t n = r_u32(x);
    const unsigned char *p = n <= RPC_MAX ? r_take(x, n) : NULL;

    if (p == NULL) {
        x->bad = true;
    }
    if (out != NULL && cap > 0) {
        size_t k = p != NULL ? (n < cap - 1 ? n : cap - 1) : 0;

        memcpy(out, p != NULL ? (const char *)p : "", k);
        out[k] = '\0';
    }
}

struct peek {
    int fd;
    uint32_t serial;
    const struct ra_deadline *dl;
    unsigned char out[4096];
    unsigned char *in;
    char *why;
    size_t cap;
    int err_code; /* libvirt's error code of the last call that failed */
};

/*
 * One call: @args' body (already in @a) sent, the reply's body into @reply.  0, 1 when the
 * daemon answered with an error (its code in p->err_code, its message in p->why), -errno
 * when the exchange itself failed.
 */
static int
rpc(struct peek *p, uint32_t proc, const struct xdr *a, struct xdr *reply)
{
    unsigned char msg[4096 + 32];
    struct xdr m = { .b = msg, .cap = sizeof(msg) };
    uint32_t serial = ++p->serial;
    int r;

    x_u32(&m, (uint32_t)(4 + 24 + (a ? a->len : 0)));
    x_u32(&m, RPC_PROGRAM);
    x_u32(&m, RPC_VERSION);
    x_u32(&m, proc);
    x_u32(&m, RPC_CALL);
    x_u32(&m, serial);
    x_u32(&m, RPC_OK);
    if (a != NULL) {
        x_put(&m, a->b, a->len);
    }
    if (m.bad) {
        return -EMSGSIZE;
    }
    if ((r = ra_deadline_send(p->dl, p->fd, msg, m.len)) < 0) {
        return r;
    }
    for (;;) {
        unsigned char lenbuf[4];
        struct xdr h = { .b = lenbuf, .len = 4, .cap = 4 };
        uint32_t len, prog, vers, rproc, type, rserial, status;

        if ((r = ra_deadline_recv(p->dl, p->fd, lenbuf, 4)) < 0) {
            return r;
        }
        len = r_u32(&h);
        if (len < 28 || len > RPC_MAX) {
            return -EBADMSG;
        }
        if ((r = ra_deadline_recv(p->dl, p->fd, p->in, len - 4)) < 0) {
            return r;
        }
        *reply = (struct xdr){ .b = p->in, .len = len - 4, .cap = RPC_MAX };
        prog = r_u32(reply);
        vers = r_u32(reply);
        rproc = r_u32(reply);
        type = r_u32(reply);
        rserial = r_u32(reply);
        status = r_u32(reply);
        if (prog != RPC_PROGRAM || vers != RPC_VERSION || type != RPC_REPLY || rserial != serial ||
            rproc != proc) {
            continue; /* an event or a keepalive: not our answer */
        }
        if (status == RPC_OK) {
            return 0;
        }
        if (status != RPC_ERROR) {
            return -EBADMSG;
        }
        /* remote_error: code, domain, message (an optional string), ... */
        p->err_code = (int)r_u32(reply);
        (void)r_u32(reply);
        if (reply->bad) {
            return -EBADMSG; /* a cut error is no answer: never "no such domain" */
        }
        if (r_u32(reply) != 0) {
            char m2[400], q[420];

            r_str(reply, m2, sizeof(m2));
            ra_format_cut(p->why, p->cap, "%s", ra_escape(m2, q, sizeof(q)));
        } else {
            ra_format_cut(p->why, p->cap, "libvirt error %d", p->err_code);
        }
        return 1;
    }
}

/* The URI's parts, for a daemon on this host over its UNIX socket: 0, or HAND_OVER. */
static int
peek_target(const char *uri, char *name, size_t ncap, char *sock, size_t scap)
{
    const char *sep = uri ? strstr(uri, "://") : NULL, *plus, *path, *q;
    char scheme[32];
    size_t slen;

    if (sep == NULL || (size_t)(sep - uri) >= sizeof(scheme)) {
        return RA_VIRT_HAND_OVER;
    }
    slen = (size_t)(sep - uri);
    memcpy(scheme, uri, slen);
    scheme[slen] = '\0';
    plus = strchr(scheme, '+');
    if (plus != NULL) {
        if (strcmp(plus, "+unix") != 0) {
            return RA_VIRT_HAND_OVER; /* ssh, tcp, tls: libvirt's own transports */
        }
        scheme[plus - scheme] = '\0';
    } else if (strcmp(scheme, "test") == 0) {
        return RA_VIRT_HAND_OVER; /* test:/// is a driver inside libvirt itself */
    }
    if (sep[3] != '/') {
        return RA_VIRT_HAND_OVER; /* a host: not this one's socket */
    }
    path = sep + 3;
    q = strchr(path, '?');
    if (ra_format(name, ncap, "%s://%.*s", scheme, (int)(q ? (size_t)(q - path) : strlen(path)),
                  path) < 0) {
        return RA_VIRT_HAND_OVER;
    }
    sock[0] = '\0';
    if (q != NULL) {
        q++;
        if (strncmp(q, "socket=", 7) != 0 || strpbrk(q + 7, "&%+") != NULL ||
            ra_format(sock, scap, "%s", q + 7) < 0) {
            return RA_VIRT_HAND_OVER; /* other parameters: libvirt knows what they mean */
        }
        return 0;
    }
    if (strcmp(path, "/system") != 0) {
        return RA_VIRT_HAND_OVER; /* a session daemon lives in its user's runtime directory */
    }
    /* the driver's own daemon when it is there, else the monolithic libvirtd */
    if (ra_format(sock, scap, "/run/libvirt/virt%sd-sock", scheme) < 0 || access(sock, F_OK) < 0) {
        ra_format_cut(sock, scap, "/run/libvirt/libvirt-sock");
    }
    return 0;
}

static int
uuid_bytes(const char *s, unsigned char out[16])
{
    int n = 0;

    for (; *s != '\0' && n < 32; s++) {
        int v;

        if (*s == '-') {
            continue;
        }
        v = isdigit((unsigned char)*s) ? *s - '0' : tolower((unsigned char)*s) - 'a' + 10;
        if (v < 0 || v > 15) {
            return -1;
        }
        out[n / 2] = (unsigned char)(n % 2 ? out[n / 2] | v : v << 4);
        n++;
    }
    return n == 32 && *s == '\0' ? 0 : -1;
}

static int
peek_session(struct peek *p, const char *name, const struct ra_vm_id *id, bool info,
             struct ra_vm_peek *ret)
{
    struct xdr a = { .b = p->out, .cap = sizeof(p->out) }, rep;
    char dname[256];
    unsigned char duuid[16], want[16];
    uint32_t did, n;
    bool none = false, polkit = false;
    int r;

    /* authentication: none, or polkit (which looks at our credentials) */
    if ((r = rpc(p, PROC_AUTH_LIST, NULL, &rep)) != 0) {
        return r < 0 ? r : RA_VIRT_HAND_OVER;
    }
    n = r_u32(&rep);
    for (uint32_t i = 0; i < n && i < 20 && !rep.bad; i++) {
        uint32_t t = r_u32(&rep);

        none = none || t == AUTH_NONE;
        polkit = polkit || t == AUTH_POLKIT;
    }
    if (rep.bad) {
        return -EBADMSG;
    }
    if (n > 0 && !none) {
        if (!polkit || rpc(p, PROC_AUTH_POLKIT, NULL, &rep) != 0 || r_u32(&rep) != 1) {
            return RA_VIRT_HAND_OVER;
        }
    }
    a.len = 0;
    x_u32(&a, 1);
    x_str(&a, name);
    x_u32(&a, 0);
    if ((r = rpc(p, PROC_CONNECT_OPEN, &a, &rep)) != 0) {
        return r < 0 ? r : RA_VIRT_HAND_OVER; /* libvirt will say it better */
    }
    a.len = 0;
    if (id->uuid[0] != '\0') {
        if (uuid_bytes(id->uuid, want) < 0) {
            return RA_VIRT_HAND_OVER;
        }
        x_put(&a, want, 16);
        r = rpc(p, PROC_DOMAIN_LOOKUP_BY_UUID, &a, &rep);
    } else {
        x_str(&a, id->name);
        r = rpc(p, PROC_DOMAIN_LOOKUP_BY_NAME, &a, &rep);
    }
    if (r == 1 && p->err_code == VIR_ERR_NO_DOMAIN) {
        ret->st = RA_VM_ABSENT;
        return 0;
    }
    if (r != 0) {
        return r < 0 ? r : -1;
    }
    r_str(&rep, dname, sizeof(dname));
    {
        const unsigned char *u = r_take(&rep, 16);

        if (u != NULL) {
            memcpy(duuid, u, 16);
        }
    }
    did = r_u32(&rep);
    if (rep.bad) {
        return -EBADMSG;
    }
    /* remote_nonnull_domain as the daemon gave it, for the calls on it */
    a.len = 0;
    x_str(&a, dname);
    x_put(&a, duuid, 16);
    x_u32(&a, did);
    {
        size_t dom_len = a.len;

        x_u32(&a, 0); /* flags */
        r = rpc(p, PROC_DOMAIN_GET_STATE, &a, &rep);
        if (r == 1 && p->err_code == VIR_ERR_NO_DOMAIN) {
            ret->st = RA_VM_ABSENT;
            return 0;
        }
        if (r != 0) {
            return r < 0 ? r : -1;
        }
        ret->st = vm_state((int)r_u32(&rep));
        if (rep.bad) {
            return -EBADMSG;
        }
        if (info && ret->st == RA_VM_RUNNING) {
            a.len = dom_len;
            if ((r = rpc(p, PROC_DOMAIN_GET_INFO, &a, &rep)) != 0) {
                return r < 0 ? r : -1;
            }
            /* state (an unsigned char, a word), maxMem, memory, nrVirtCpu, cpuTime */
            (void)r_u32(&rep);
            ret->max_kib = r_u64(&rep);
            (void)r_u64(&rep);
            ret->vcpus = r_u32(&rep);
            if (rep.bad) {
                return -EBADMSG;
            }
        }
    }
    (void)rpc(p, PROC_CONNECT_CLOSE, NULL, &rep);
    return 0;
}

int
ra_virt_peek(const char *uri, const struct ra_vm_id *id, bool info,
             const struct ra_deadline *deadline, struct ra_vm_peek *ret, char *why, size_t cap)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct peek p = { .fd = -1, .dl = deadline, .why = why, .cap = cap };
    char name[512], sock[sizeof(sa.sun_path)];
    int r;

    memset(ret, 0, sizeof(*ret));
    why[0] = '\0';
    if (peek_target(uri, name, sizeof(name), sock, sizeof(sock)) != 0) {
        return RA_VIRT_HAND_OVER;
    }
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    p.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (p.fd < 0) {
        ra_format_cut(why, cap, "socket: %s", strerror(errno));
        return -1;
    }
    if (connect(p.fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(p.fd);
        ra_format_cut(why, cap, "cannot connect to %s: %s", sock, strerror(e));
        if (e == ENOENT || e == ECONNREFUSED) {
            return RA_VIRT_DOWN;
        }
        return e == EAGAIN || e == EINPROGRESS ? RA_VIRT_HAND_OVER : -1;
    }
    p.in = malloc(RPC_MAX);
    if (p.in == NULL) {
        close(p.fd);
        ra_format_cut(why, cap, "out of memory");
        return -1;
    }
    r = peek_session(&p, name, id, info, ret);
    free(p.in);
    close(p.fd);
    if (r < 0 && r != -1) {
        ra_format_cut(why, cap, "%s: %s", sock,
                      r == -ETIMEDOUT ? "no answer within the timeout" : strerror(-r));
        return -1;
    }
    return r;
}
