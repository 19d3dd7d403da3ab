/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent declaration and its driver.  An agent is one static const
 * struct ra_agent: its parameters, its actions (with default timeouts,
 * intervals, depths, roles) and its callbacks.  ra_main() does everything
 * that is the same for every agent, once:
 *
 *  - picks the calling convention: OCF (Pacemaker, ocf-tester, rgmanager),
 *    heartbeat v1 positional arguments, or an LSB init script;
 *  - answers meta-data, usage and manpage with an empty environment;
 *  - loads and type-checks every parameter, then runs the agent's validate
 *    before the resource actions;
 *  - applies the OCF rules: an unknown action is OCF_ERR_UNIMPLEMENTED; an
 *    invalid configuration makes stop succeed (nothing can be running with
 *    it, and a failed stop gets the node fenced) and a probe report
 *    OCF_NOT_RUNNING;
 *  - prints the exit reason as the last "ocf-exit-reason:" line of stderr.
 */
#ifndef RA_AGENT_H
#define RA_AGENT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "env.h"
#include "exit.h"
#include "log.h"
#include "param.h"

struct ra_ctx;

/* An action callback returns an enum ocf_rc. */
typedef int (*ra_action_fn)(struct ra_ctx *ctx);

struct ra_action {
    const char *name;    /* "start", "monitor", ... */
    ra_action_fn fn;     /* NULL for built-ins listed only to set their timeout */
    unsigned timeout_s;  /* default timeout advertised and used without CRM_meta_timeout */
    unsigned interval_s; /* advertised interval (monitor) */
    int depth;           /* OCF_CHECK_LEVEL this entry advertises (monitor) */
    const char *role;    /* "Promoted" or "Unpromoted" (OCF 1.1 names), or NULL */
};

struct ra_agent {
    const char *name;    /* the OCF type: "Dummy" */
    const char *version; /* the agent's own version */
    const char *shortdesc;
    const char *longdesc;
    const struct ra_param *params;
    size_t nparams;
    const struct ra_action *actions;
    size_t nactions;
    /*
     * Checks beyond the types, after every parameter loaded.  Runs for
     * validate-all and before every resource action (ra_ctx_action() says
     * which; ra_check_level() says how deep validate-all may look).  Returns
     * an enum ocf_rc, failing through ra_fail().
     */
    ra_action_fn validate;
    size_t data_size; /* ra_main gives ctx->data this many zeroed bytes */
    /*
     * heartbeat v1 positional arguments, in order ("Filesystem::dev::dir"):
     * parameter names, NULL-terminated.  NULL: the agent takes none.
     */
    const char *const *positional;
    /*
     * Optional: split positional arguments in a way of the agent's own
     * (IPaddr's "ip/bits/nic/broadcast").  Sets parameters with
     * ra_env_set_reskey.  Returns an enum ocf_rc.
     */
    int (*parse_positional)(struct ra_ctx *ctx, int argc, char *const *argv);
};

enum ra_convention {
    RA_CONV_OCF,
    RA_CONV_HEARTBEAT, /* heartbeat v1: positional arguments, "running"/"stopped" */
    RA_CONV_LSB,       /* init script: LSB exit codes, parameters from a file */
};

/* Everything about one invocation.  Lives on ra_main's stack: no globals. */
struct ra_ctx {
    const struct ra_agent *agent;
    const char *action; /* the OCF action being run */
    enum ra_convention convention;
    struct ra_env env;
    struct ra_value *values; /* agent->nparams entries */
    struct ra_deadline deadline;
    uint64_t timeout_ms; /* the operation's whole budget */
    struct ra_log log;
    char reason[512]; /* exit reason, "" if none */
    void *data;       /* for the agent's own use */
};

/* Was the program called as @name (the last part of argv[0]: a second name of a binary)? */
bool ra_called_as(int argc, char **argv, const char *name);

/* Run @agent as the program @argv describes.  Returns the process exit code. */
int ra_main(const struct ra_agent *agent, int argc, char **argv);

/* ---- for agents: reading parameters (name must be declared; else abort) ---- */

/* The value (given or default), or NULL. */
const char *ra_str(const struct ra_ctx *ctx, const char *name);
/* The value, or "" when none. */
const char *ra_str0(const struct ra_ctx *ctx, const char *name);
long long ra_int(const struct ra_ctx *ctx, const char *name);
bool ra_bool(const struct ra_ctx *ctx, const char *name);
uint64_t ra_ms(const struct ra_ctx *ctx, const char *name);
const struct ra_ip *ra_ip(const struct ra_ctx *ctx, const char *name);
/* True if the agent declares a parameter called @name. */
bool ra_has_param(const struct ra_ctx *ctx, const char *name);
/* True if the caller set the parameter (not a default). */
bool ra_given(const struct ra_ctx *ctx, const char *name);

/* ---- for agents: the invocation ---- */

const char *ra_ctx_action(const struct ra_ctx *ctx);
const char *ra_instance(const struct ra_ctx *ctx);
/* The instance name without a clone suffix ":N" unless the clone is globally unique. */
int ra_instance_base(const struct ra_ctx *ctx, char *buf, size_t cap)
    __attribute__((warn_unused_result));
bool ra_is_probe(const struct ra_ctx *ctx);
int ra_check_level(const struct ra_ctx *ctx);
/* This node's name: CRM_meta_on_node, else the kernel's node name. Borrowed or @buf. */
const char *ra_node_name(const struct ra_ctx *ctx, char *buf, size_t cap);

/*
 * "<HA_RSCTMP>/<agent>-<instance><suffix>", the instance without its clone
 * suffix unless the clone is globally unique: where an agent keeps the state
 * of one resource when the user names no file.
 */
int ra_ctx_state_path(const struct ra_ctx *ctx, const char *suffix, char *buf, size_t cap)
    __attribute__((warn_unused_result));

/*
 * The path in parameter @param if the caller gave one, else
 * ra_ctx_state_path(ctx, @suffix): where a resource's state file lives.
 * Returns an OCF code (OCF_ERR_CONFIGURED, with a reason, if it is too long).
 */
int ra_ctx_state_file(struct ra_ctx *ctx, const char *param, const char *suffix, char *buf,
                      size_t cap);

/*
 * Sleep @ms within the operation's deadline.  Returns OCF_SUCCESS, or fails
 * (OCF_ERR_GENERIC with a reason) when the sleep would outlive the deadline.
 */
int ra_sleep(struct ra_ctx *ctx, uint64_t ms, const char *what);

/*
 * Append the whole environment, sorted as `env | sort` would print it, to
 * @path, with the values of secret parameters replaced by "[hidden]".
 * Returns 0 or -errno.
 */
int ra_env_dump(const struct ra_ctx *ctx, const char *path) __attribute__((warn_unused_result));

/*
 * True in stop and in a probe: where a bad value of a parameter that does
 * not say which resource this is must not stop the agent from looking.
 */
bool ra_lenient(const struct ra_ctx *ctx);

/*
 * For a validate's check of such a parameter: in stop and a probe, a
 * configuration error @rc (already reported with ra_fail) becomes a
 * warning and OCF_SUCCESS; anywhere else, and any other code, is returned
 * as it is.
 */
int ra_soften(struct ra_ctx *ctx, int rc);

/*
 * Set (@score >= 0) or delete (@score < 0) this promotable instance's
 * promotion score on this node, with crm_attribute --promotion.  Outside a
 * cluster (no node name from Pacemaker, no CIB_file) there is nowhere to
 * put it (true).  A failure is logged and returns false: the caller must not
 * take the score as set.
 */
bool ra_promotion_score(struct ra_ctx *ctx, int score);
/* ... on @node (NULL: this one): an election's winner may be another node.  Not
 * remembered by ra_promotion_score_keep: that node's own deletes must force. */
bool ra_promotion_score_on(struct ra_ctx *ctx, const char *node, int score);
/* The promotion score of this resource on @node: 0 with *@score, 1 when it has none,
 * -1 when that cannot be told (no CIB, the tool failed). */
int ra_promotion_score_get(struct ra_ctx *ctx, const char *node, long long *score);

/*
 * Pacemaker's crm_attribute with @args (NULL-terminated, at most 14), under the
 * deadline, CIB_file passed on when set (a CIB in a file, as tests use): its exit
 * code, or -1; with @out, its stdout (the caller frees it).
 */
int ra_crm_attribute(struct ra_ctx *ctx, const char *const *args, char **out);
/* The same for Pacemaker's tool @name (attrd_updater). */
int ra_pcmk_tool(struct ra_ctx *ctx, const char *name, const char *const *args, char **out);
/* ... and with @absent: set when the query's answer was that there is no such
 * attribute (not merely a failure to ask). */
int ra_pcmk_query(struct ra_ctx *ctx, const char *name, const char *const *args, char **out,
                  bool *absent);

/*
 * ra_promotion_score, only when @score differs from the one this instance last set
 * here (remembered in its state directory), or always with @force (probes, and after
 * promote or demote: the cluster may have lost it).  A failed set is tried again next
 * time.
 */
void ra_promotion_score_keep(struct ra_ctx *ctx, int score, bool force);

/*
 * Run NAME (found by ra_run_which) with @args (NULL-terminated, at most 38; more is an error, never
 * a cut) under the operation's deadline, without a shell: its exit code, or -1 when it did not exit
 * (a timeout, a signal) or could not run (then the reason is set: not installed is
 * OCF_ERR_INSTALLED).  A non-zero exit is logged with its stderr.  With @out, its stdout (the
 * caller frees it).
 */
int ra_run_tool(struct ra_ctx *ctx, const char *name, const char *const *args, char **out);
/* ra_run_tool that also hands over its stderr (@err, when not NULL; the caller frees it),
 * and runs the program in a UTS namespace of its own named @uts_name (NULL: ours). */
int ra_run_tool_full(struct ra_ctx *ctx, const char *name, const char *const *args, char **out,
                     char **err, const char *uts_name);

/* modprobe -q MODULE: 0 once it ran and succeeded, else -1. */
int ra_modprobe(struct ra_ctx *ctx, const char *module);

/* ---- for agents: reporting ---- */

/*
 * Log @fmt as an error, keep it as the exit reason (one line, secrets
 * hidden), and return @rc: `return ra_fail(ctx, OCF_ERR_CONFIGURED, ...)`.
 */
int ra_fail(struct ra_ctx *ctx, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define ra_err(ctx, ...)   ra_log(&(ctx)->log, RA_LOG_ERR, __VA_ARGS__)
#define ra_warn(ctx, ...)  ra_log(&(ctx)->log, RA_LOG_WARN, __VA_ARGS__)
#define ra_info(ctx, ...)  ra_log(&(ctx)->log, RA_LOG_INFO, __VA_ARGS__)
#define ra_debug(ctx, ...) ra_log(&(ctx)->log, RA_LOG_DEBUG, __VA_ARGS__)

#endif
