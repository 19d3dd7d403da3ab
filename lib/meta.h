/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Documents derived from an agent's declaration: the OCF metadata XML, the
 * usage text and the man page.  Nothing here is written by hand per agent.
 *
 * The XML is written by a small escaping writer rather than libxml2: the
 * text comes from the agent's own static tables, every attribute and text
 * node is escaped, and `make check` validates each agent's output with
 * xmllint against ra-api-1.dtd and our OCF 1.1 schema.  Linking libxml2
 * would cost every action about a millisecond (it pulls in ICU).
 */
#ifndef RA_META_H
#define RA_META_H

#include <stdbool.h>
#include <stdio.h>

struct ra_agent;
struct ra_param;

/* What the fence-agent metadata is written from (fence.c fills it). */
struct ra_meta_fence {
    const char *name;
    const char *shortdesc;
    const char *longdesc;
    const char *vendor_url;
    const char *const *symlink_names;
    const char *const *symlink_descs;
    size_t nsymlinks;
    const struct ra_param *params;
    size_t nparams;
    const char *const *actions; /* NULL-terminated */
};

/*
 * OCF metadata.  @v11 false: OCF 1.0, valid against resource-agents'
 * ra-api-1.dtd with its DOCTYPE (what ocf-tester checks).  @v11 true: OCF
 * 1.1 (unique-group, reloadable, deprecated, select, reload-agent,
 * Promoted/Unpromoted) with Pacemaker's private="1" on secrets.
 */
void ra_meta_write(const struct ra_agent *agent, FILE *out, bool v11);

/* The usage text: actions and parameters, one line each. */
void ra_usage_write(const struct ra_agent *agent, FILE *out);

/* A man page (roff, section 7) for ocf:rampart:<agent>. */
void ra_man_write(const struct ra_agent *agent, FILE *out);

/*
 * fence-agents metadata (valid against fence-agents' metadata.rng): each
 * option with its getopt spelling, deprecated names with deprecated="1"
 * and their successors with obsoletes="old".
 */
void ra_meta_write_fence(const struct ra_meta_fence *m, FILE *out);

/* A man page (roff, section 8) for a fence agent. */
void ra_man_write_fence(const struct ra_meta_fence *m, FILE *out);

/* cluster-glue's getinfo-xml: the parameters in the heartbeat plugin form. */
void ra_meta_write_plugin_xml(const struct ra_param *params, size_t nparams, FILE *out);

#endif
