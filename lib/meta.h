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

#endif
