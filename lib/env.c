/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The OCF environment.  The only file allowed to call getenv.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "parse.h"
#include "str.h"

bool
ra_env_is_fencer(void)
{
    const char *svc = getenv("PCMK_service");

    return svc != NULL && strcmp(svc, "pacemaker-fenced") == 0;
}

const char *
ra_env_get(const char *name)
{
    return getenv(name);
}

extern char **environ;

void
ra_env_foreach(void (*fn)(const char *entry, void *data), void *data)
{
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        fn(*e, data);
    }
}

static const char *
env_prefixed(const char *prefix, const char *name)
{
    char key[256];

    if (ra_format(key, sizeof(key), "%s%s", prefix, name) < 0) {
        return NULL;
    }
    return getenv(key);
}

const char *
ra_env_reskey(const char *param)
{
    return env_prefixed("OCF_RESKEY_", param);
}

const char *
ra_env_meta(const char *name)
{
    return env_prefixed("OCF_RESKEY_CRM_meta_", name);
}

int
ra_env_set(const char *name, const char *value, bool overwrite)
{
    return setenv(name, value, overwrite ? 1 : 0) == 0 ? 0 : -errno;
}

int
ra_env_set_reskey(const char *param, const char *value)
{
    char key[256];
    int r = ra_format(key, sizeof(key), "OCF_RESKEY_%s", param);

    return r < 0 ? r : ra_env_set(key, value, true);
}

static int
env_int(const char *v, int fallback)
{
    long long n = 0;

    return ra_parse_int(v, 0, 1000000, &n) == 0 ? (int)n : fallback;
}

static uint64_t
env_ms(const char *v)
{
    long long n = 0;

    /* Pacemaker passes plain milliseconds */
    return ra_parse_int(v, 0, INT64_MAX, &n) == 0 ? (uint64_t)n : 0;
}

static bool
env_true(const char *v)
{
    bool b = false;

    return v != NULL && ra_parse_bool(v, &b) == 0 && b;
}

void
ra_env_load(struct ra_env *env)
{
    const char *level = getenv("OCF_CHECK_LEVEL");

    memset(env, 0, sizeof(*env));
    env->instance = getenv("OCF_RESOURCE_INSTANCE");
    if (env->instance == NULL || *env->instance == '\0') {
        env->instance = "default";
    }
    env->type = getenv("OCF_RESOURCE_TYPE");
    env->provider = getenv("OCF_RESOURCE_PROVIDER");
    env->ra_major = env_int(getenv("OCF_RA_VERSION_MAJOR"), -1);
    env->ra_minor = env_int(getenv("OCF_RA_VERSION_MINOR"), -1);

    if (level == NULL || *level == '\0') {
        level = getenv("OCF_RESKEY_OCF_CHECK_LEVEL");
    }
    if (level != NULL && *level != '\0') {
        env->check_level = env_int(level, -1);
        if (env->check_level < 0) {
            env->check_level = 0;
            env->check_level_bad = true;
        }
    }
    env->timeout_ms = env_ms(ra_env_meta("timeout"));
    env->interval_ms = env_ms(ra_env_meta("interval"));
    env->on_node = ra_env_meta("on_node");
    env->clone = ra_env_meta("clone");
    env->globally_unique = env_true(ra_env_meta("globally_unique"));
    env->notify = env_true(ra_env_meta("notify"));
}

bool
ra_env_is_probe(const struct ra_env *env, const char *action)
{
    return action != NULL && strcmp(action, "monitor") == 0 && env->interval_ms == 0;
}
