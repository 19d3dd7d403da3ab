/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Typed parameters.  An agent declares its parameters once, in a static
 * const table of struct ra_param; from that table come the values' type
 * checks (here), the metadata, the usage text, the man page and the
 * positional-argument mapping.
 */
#ifndef RA_PARAM_H
#define RA_PARAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

#define RA_NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Longest value accepted for a parameter unless it says otherwise. */
#define RA_VALUE_MAX 4096

enum ra_type {
    RA_T_STRING,
    RA_T_INTEGER, /* .min/.max; both 0 means any 64-bit value */
    RA_T_BOOLEAN, /* truth words of ra_parse_bool */
    RA_T_ENUM,    /* one of .values */
    RA_T_TIME,    /* duration, ra_parse_duration_ms; .min/.max in ms when set */
    RA_T_IPADDR,  /* IPv4 or IPv6 address */
    RA_T_PATH,    /* absolute path */
    RA_T_PORT,    /* 1..65535 */
};

enum ra_param_flag {
    RA_P_REQUIRED = 1u << 0,
    RA_P_UNIQUE = 1u << 1,      /* OCF 1.0 unique; OCF 1.1 unique-group */
    RA_P_RELOADABLE = 1u << 2,  /* OCF 1.1 reloadable: reload-agent applies it */
    RA_P_SECRET = 1u << 3,      /* never echoed, redacted from logs */
    RA_P_DEPRECATED = 1u << 4,  /* still accepted; .replaced_with names the successor */
    RA_P_DEFAULT_DOC = 1u << 5, /* .def documents a default the agent computes */
    /*
     * Says which resource this is (an address, a device, a mount point): a
     * bad value proves that nothing of it can be running.  A bad value of
     * any other parameter proves nothing, so stop and a probe read that one
     * as its default instead of giving up (lib/agent.c).
     */
    RA_P_IDENTITY = 1u << 6,
};

struct ra_param {
    const char *name;
    enum ra_type type;
    const char *def;           /* default, exactly as the metadata shows it; NULL: none */
    unsigned flags;            /* enum ra_param_flag */
    long long min, max;        /* RA_T_INTEGER, RA_T_TIME */
    const char *const *values; /* RA_T_ENUM: NULL-terminated */
    const char *alias_of;      /* this is an older name of that parameter */
    const char *replaced_with; /* RA_P_DEPRECATED: the parameter to use instead */
    const char *unique_group;  /* OCF 1.1 unique-group; default: the agent's name */
    size_t max_len;            /* longest value accepted; 0 means RA_VALUE_MAX */
    const char *ocf_type;      /* metadata content type, where the anchor's differs from ours */
    char opt_short;            /* fence agents: -x on the command line, or 0 */
    const char *opt_long;      /* fence agents: --name on the command line, or NULL */
    const char *opt_arg;       /* fence agents: the argument's label ("[ip]"); NULL: a flag */
    /* extra check after the type check; on failure set *why to a reason */
    bool (*valid)(const char *value, const char **why);
    const char *shortdesc;
    const char *longdesc;
};

/* A parameter's value after loading: a borrowed string and its typed form. */
struct ra_value {
    const char *str; /* the value given, or the default, or NULL */
    bool given;      /* set (non-empty) by the caller, directly or by an alias */
    long long num;   /* INTEGER, PORT; TIME in ms; BOOLEAN 0/1; ENUM index */
    struct ra_ip ip; /* IPADDR */
};

/* The name of a type as the metadata writes it in OCF 1.0 (DTD) terms. */
const char *ra_type_ocf_name(enum ra_type type);

/* The content type the metadata shows for @p. */
const char *ra_param_ocf_type(const struct ra_param *p);

/*
 * Index of the parameter @name, which the caller (@owner, for the message)
 * must have declared: an undeclared name is a programmer error and aborts.
 */
size_t ra_param_slot(const struct ra_param *params, size_t n, const char *name, const char *owner);

/* Index of the parameter called @name, or -1. */
int ra_param_index(const struct ra_param *params, size_t n, const char *name);

/*
 * Check @value against @p and fill @ret.  On failure returns -EINVAL and
 * writes a one-line reason that names the parameter to @why (never the
 * value of a secret; other values escaped and cut to fit).
 */
int ra_param_check(const struct ra_param *p, const char *value, struct ra_value *ret, char *why,
                   size_t why_cap) __attribute__((warn_unused_result));

/* Where ra_param_load_from finds a parameter's value (NULL: not given). */
typedef const char *(*ra_param_getter)(const char *name, void *data);

/*
 * Load every parameter of @params through @get into @values (n entries),
 * apply aliases and defaults, and check types and required parameters.
 * Returns 0, or -EINVAL with the first problem in @why.  An empty value
 * counts as not given, as in the shell agents.  With @lenient (stop, a
 * probe) only a missing RA_P_IDENTITY parameter is an error: without the
 * others the agent can still look for what runs.
 */
int ra_param_load_from(const struct ra_param *params, size_t n, struct ra_value *values,
                       ra_param_getter get, void *data, bool lenient, char *why, size_t why_cap)
    __attribute__((warn_unused_result));

/* ra_param_load_from the environment (OCF_RESKEY_<name>). */
int ra_param_load(const struct ra_param *params, size_t n, struct ra_value *values, char *why,
                  size_t why_cap) __attribute__((warn_unused_result));

#endif
