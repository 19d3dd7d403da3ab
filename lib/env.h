/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OCF environment: what Pacemaker, rgmanager, heartbeat wrappers and
 * ocf-tester pass to an agent in environment variables (OCF resource agent
 * API 1.1 section "Environment variables"; Pacemaker's execd additions).
 * This is the only file that reads the process environment.
 */
#ifndef RA_ENV_H
#define RA_ENV_H

#include <stdbool.h>
#include <stdint.h>

struct ra_env {
    const char *instance; /* OCF_RESOURCE_INSTANCE, "default" when unset */
    const char *type;     /* OCF_RESOURCE_TYPE, or NULL */
    const char *provider; /* OCF_RESOURCE_PROVIDER (Pacemaker only), or NULL */
    int ra_major;         /* OCF_RA_VERSION_MAJOR, -1 when unset */
    int ra_minor;         /* OCF_RA_VERSION_MINOR, -1 when unset */
    int check_level;      /* OCF_CHECK_LEVEL (or OCF_RESKEY_OCF_CHECK_LEVEL), 0 when unset */
    bool check_level_bad; /* the check level was set but not a number */
    uint64_t timeout_ms;  /* OCF_RESKEY_CRM_meta_timeout, 0 when unset or bad */
    uint64_t interval_ms; /* OCF_RESKEY_CRM_meta_interval, 0 when unset or bad */
    const char *on_node;  /* OCF_RESKEY_CRM_meta_on_node, or NULL */
    const char *clone;    /* OCF_RESKEY_CRM_meta_clone (instance number), or NULL */
    bool globally_unique; /* OCF_RESKEY_CRM_meta_globally_unique is true */
    bool notify;          /* OCF_RESKEY_CRM_meta_notify is true */
};

/* Read the OCF variables into @env.  Pointers borrow from the environment. */
void ra_env_load(struct ra_env *env);

/* True if this is a probe: monitor with interval 0 (or none given). */
bool ra_env_is_probe(const struct ra_env *env, const char *action);

/* True under Pacemaker's fencer (PCMK_service=pacemaker-fenced). */
bool ra_env_is_fencer(void);

/* getenv(@name), or NULL. */
const char *ra_env_get(const char *name);

/* Call @fn for every NAME=VALUE entry of the environment. */
void ra_env_foreach(void (*fn)(const char *entry, void *data), void *data);

/* OCF_RESKEY_<param>, or NULL. */
const char *ra_env_reskey(const char *param);

/* OCF_RESKEY_CRM_meta_<name> (e.g. "notify_type", "migrate_target"), or NULL. */
const char *ra_env_meta(const char *name);

/*
 * Set OCF_RESKEY_<param> (or any @name with ra_env_set), so that parameters
 * that arrive by another calling convention (heartbeat positional arguments,
 * an LSB parameter file) are read exactly as OCF ones.  0 or -errno.
 */
int ra_env_set_reskey(const char *param, const char *value) __attribute__((warn_unused_result));
int ra_env_set(const char *name, const char *value, bool overwrite)
    __attribute__((warn_unused_result));

#endif
