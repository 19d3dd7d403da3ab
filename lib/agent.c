/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ra_main: the calling conventions and the OCF rules, implemented once for
 * every agent.  The only file that decides an exit code for the process.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "agent.h"
#include "meta.h"
#include "run.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ parameters */

static size_t
param_slot(const struct ra_ctx *ctx, const char *name)
{
    return ra_param_slot(ctx->agent->params, ctx->agent->nparams, name, ctx->agent->name);
}

const char *
ra_str(const struct ra_ctx *ctx, const char *name)
{
    return ctx->values[param_slot(ctx, name)].str;
}

const char *
ra_str0(const struct ra_ctx *ctx, const char *name)
{
    const char *v = ra_str(ctx, name);

    return v ? v : "";
}

long long
ra_int(const struct ra_ctx *ctx, const char *name)
{
    return ctx->values[param_slot(ctx, name)].num;
}

bool
ra_bool(const struct ra_ctx *ctx, const char *name)
{
    return ctx->values[param_slot(ctx, name)].num != 0;
}

uint64_t
ra_ms(const struct ra_ctx *ctx, const char *name)
{
    return (uint64_t)ctx->values[param_slot(ctx, name)].num;
}

const struct ra_ip *
ra_ip(const struct ra_ctx *ctx, const char *name)
{
    return &ctx->values[param_slot(ctx, name)].ip;
}

bool
ra_has_param(const struct ra_ctx *ctx, const char *name)
{
    return ra_param_index(ctx->agent->params, ctx->agent->nparams, name) >= 0;
}

bool
ra_given(const struct ra_ctx *ctx, const char *name)
{
    return ctx->values[param_slot(ctx, name)].given;
}

/* ------------------------------------------------------------ invocation */

const char *
ra_ctx_action(const struct ra_ctx *ctx)
{
    return ctx->action;
}

const char *
ra_instance(const struct ra_ctx *ctx)
{
    return ctx->env.instance;
}

int
ra_instance_base(const struct ra_ctx *ctx, char *buf, size_t cap)
{
    const char *colon = strrchr(ctx->env.instance, ':');
    int r = ra_format(buf, cap, "%s", ctx->env.instance);

    if (r < 0) {
        return r;
    }
    if (colon != NULL && !ctx->env.globally_unique && colon[1] != '\0' &&
        strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        buf[colon - ctx->env.instance] = '\0';
    }
    return 0;
}

bool
ra_is_probe(const struct ra_ctx *ctx)
{
    return ra_env_is_probe(&ctx->env, ctx->action);
}

int
ra_check_level(const struct ra_ctx *ctx)
{
    return ctx->env.check_level;
}

const char *
ra_node_name(const struct ra_ctx *ctx, char *buf, size_t cap)
{
    struct utsname u;

    if (ctx->env.on_node != NULL && *ctx->env.on_node != '\0') {
        return ctx->env.on_node;
    }
    if (uname(&u) < 0 || ra_format(buf, cap, "%s", u.nodename) < 0) {
        return "";
    }
    return buf;
}

int
ra_ctx_state_path(const struct ra_ctx *ctx, const char *suffix, char *buf, size_t cap)
{
    char inst[256];
    char prefix[128];
    int r = ra_instance_base(ctx, inst, sizeof(inst));

    if (r < 0) {
        return r;
    }
    r = ra_format(prefix, sizeof(prefix), "%s-", ctx->agent->name);
    if (r < 0) {
        return r;
    }
    return ra_state_path(buf, cap, ra_state_dir(), prefix, inst, suffix);
}

int
ra_ctx_state_file(struct ra_ctx *ctx, const char *param, const char *suffix, char *buf, size_t cap)
{
    int r;

    if (ra_given(ctx, param)) {
        r = ra_format(buf, cap, "%s", ra_str(ctx, param));
    } else {
        r = ra_ctx_state_path(ctx, suffix, buf, cap);
    }
    if (r < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "state file path is too long");
    }
    return OCF_SUCCESS;
}

int
ra_sleep(struct ra_ctx *ctx, uint64_t ms, const char *what)
{
    if (ms == 0) {
        return OCF_SUCCESS;
    }
    if (ra_deadline_sleep(&ctx->deadline, ms) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "%s of %llums does not fit in the %llums timeout of %s", what,
                       (unsigned long long)ms, (unsigned long long)ctx->timeout_ms, ctx->action);
    }
    return OCF_SUCCESS;
}

struct env_lines {
    const struct ra_ctx *ctx;
    const char **lines;
    size_t n, cap;
};

static void
collect_env(const char *entry, void *data)
{
    struct env_lines *l = data;

    if (l->n < l->cap) {
        l->lines[l->n++] = entry;
    }
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True if @entry is OCF_RESKEY_<secret>=... */
static bool
is_secret_entry(const struct ra_ctx *ctx, const char *entry)
{
    const struct ra_agent *agent = ctx->agent;

    if (strncmp(entry, "OCF_RESKEY_", 11) != 0) {
        return false;
    }
    for (size_t i = 0; i < agent->nparams; i++) {
        size_t n = strlen(agent->params[i].name);

        if ((agent->params[i].flags & RA_P_SECRET) &&
            strncmp(entry + 11, agent->params[i].name, n) == 0 && entry[11 + n] == '=') {
            return true;
        }
    }
    return false;
}

int
ra_env_dump(const struct ra_ctx *ctx, const char *path)
{
    struct env_lines l = { .ctx = ctx, .cap = 4096 };
    FILE *f = NULL;
    int r = 0;

    l.lines = calloc(l.cap, sizeof(*l.lines));
    if (l.lines == NULL) {
        return -ENOMEM;
    }
    ra_env_foreach(collect_env, &l);
    qsort(l.lines, l.n, sizeof(*l.lines), cmp_str);
    f = fopen(path, "ae");
    if (f == NULL) {
        r = -errno;
        goto cleanup;
    }
    fprintf(f, "### %s ###\n", ctx->action);
    for (size_t i = 0; i < l.n; i++) {
        if (is_secret_entry(ctx, l.lines[i])) {
            fprintf(f, "%.*s=[hidden]\n", (int)(strchr(l.lines[i], '=') - l.lines[i]), l.lines[i]);
        } else {
            fprintf(f, "%s\n", l.lines[i]);
        }
    }
    if (fclose(f) != 0) {
        r = -errno;
    }

cleanup:
    free(l.lines);
    return r;
}

int
ra_fail(struct ra_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_log_format(&ctx->log, ctx->reason, sizeof(ctx->reason), fmt, ap);
    va_end(ap);
    ra_log(&ctx->log, RA_LOG_ERR, "%s", ctx->reason);
    return rc;
}

/*
 * Set (score >= 0) or delete (score < 0) this instance's promotion score on
 * this node.  Outside a cluster (no node name from Pacemaker, no CIB_file)
 * there is nowhere to put it.  A failure is logged, not returned: the role
 * itself changed, and the next probe or monitor sets the score again.
 */
int
ra_pcmk_tool(struct ra_ctx *ctx, const char *name, const char *const *args, char **out)
{
    return ra_pcmk_query(ctx, name, args, out, NULL);
}

int
ra_pcmk_query(struct ra_ctx *ctx, const char *name, const char *const *args, char **out,
              bool *absent)
{
    char tool[256], cib_env[4200], q[200];
    const char *cib = ra_env_get("CIB_file");
    const char *argv[16];
    const char *envp[2] = { NULL, NULL };
    struct ra_run_result res;
    size_t n = 0;
    int code;

    if (out != NULL) {
        *out = NULL;
    }
    if (absent != NULL) {
        *absent = false;
    }
    if (ra_run_which(name, tool, sizeof(tool)) < 0) {
        ra_warn(ctx, "%s not found", name);
        return -1;
    }
    argv[n++] = tool;
    for (; *args != NULL; args++) {
        if (n == RA_NELEM(argv) - 1) {
            ra_warn(ctx, "%s: too many arguments", name);
            return -1;
        }
        argv[n++] = *args;
    }
    argv[n] = NULL;
    /* tests (and crm_simulate) point Pacemaker's tools at a CIB in a file */
    if (cib != NULL && ra_format(cib_env, sizeof(cib_env), "CIB_file=%s", cib) == 0) {
        envp[0] = cib_env;
    }
    {
        struct ra_cmd cmd = { .argv = argv, .env = envp, .deadline = &ctx->deadline };

        if (ra_run(&cmd, &res) < 0) {
            ra_warn(ctx, "cannot run %s", name);
            return -1;
        }
    }
    code = res.status == RA_RUN_DONE ? res.exit_code : -1;
    if (code != 0) {
        ra_debug(ctx, "%s %s: exit %d: %s", name, argv[1], code,
                 ra_escape(res.err ? res.err : "", q, sizeof(q)));
    }
    /* 105 (CRM_EX_NOSUCH) is also what a tool that could not reach the CIB exits with:
     * only the operation's own answer means "there is none" */
    if (absent != NULL && code == 105 && res.err != NULL &&
        strstr(res.err, "Error performing operation") != NULL &&
        strstr(res.err, "Could not connect") == NULL) {
        *absent = true;
    }
    if (out != NULL) {
        *out = res.out;
        res.out = NULL;
    }
    ra_run_result_release(&res);
    return code;
}

int
ra_crm_attribute(struct ra_ctx *ctx, const char *const *args, char **out)
{
    return ra_pcmk_tool(ctx, "crm_attribute", args, out);
}

/* crm_attribute --promotion=<rsc> [--node NODE] ACTION */
static int
promotion_attr(struct ra_ctx *ctx, const char *node, const char *action)
{
    char rsc[256], opt_rsc[300];
    const char *args[5];
    size_t n = 0;

    if (ra_instance_base(ctx, rsc, sizeof(rsc)) < 0 ||
        ra_format(opt_rsc, sizeof(opt_rsc), "--promotion=%s", rsc) < 0) {
        ra_warn(ctx, "resource name too long for a promotion score");
        return -1;
    }
    args[n++] = opt_rsc;
    if (node != NULL) {
        args[n++] = "--node";
        args[n++] = node;
    }
    args[n++] = action;
    args[n] = NULL;
    return ra_crm_attribute(ctx, args, NULL);
}

bool
ra_promotion_score_on(struct ra_ctx *ctx, const char *node, int score)
{
    char opt_val[32];

    if (ctx->env.on_node == NULL && ra_env_get("CIB_file") == NULL) {
        ra_debug(ctx, "not in a cluster: no promotion score to set");
        return true;
    }
    ra_format_cut(opt_val, sizeof(opt_val), "--update=%d", score);
    if (promotion_attr(ctx, node ? node : ctx->env.on_node, score >= 0 ? opt_val : "--delete") !=
        0) {
        ra_warn(ctx, "crm_attribute failed to %s the promotion score%s%s, ignoring",
                score >= 0 ? "set" : "delete", node ? " of " : "", node ? node : "");
        return false;
    }
    return true;
}

bool
ra_promotion_score(struct ra_ctx *ctx, int score)
{
    return ra_promotion_score_on(ctx, NULL, score);
}

int
ra_promotion_score_get(struct ra_ctx *ctx, const char *node, long long *score)
{
    char rsc[256], opt_rsc[300], *out = NULL;
    const char *args[] = { opt_rsc, "--node", node, "--query", "--quiet", NULL };
    bool absent = false;
    int code, r = -1;

    *score = 0;
    if (ra_instance_base(ctx, rsc, sizeof(rsc)) < 0 ||
        ra_format(opt_rsc, sizeof(opt_rsc), "--promotion=%s", rsc) < 0 || node == NULL) {
        return -1;
    }
    code = ra_pcmk_query(ctx, "crm_attribute", args, &out, &absent);
    if (code == 0 && out != NULL && out[0] != '\0' && out[0] != '\n') {
        out[strcspn(out, "\n")] = '\0';
        /* a number, or INFINITY and the like: a score all the same */
        if (ra_parse_int(out, INT32_MIN, INT32_MAX, score) < 0) {
            *score = strchr(out, '-') != NULL ? INT32_MIN : INT32_MAX;
        }
        r = 0;
    } else if (absent) {
        r = 1;
    }
    free(out);
    return r;
}

void
ra_promotion_score_keep(struct ra_ctx *ctx, int score, bool force)
{
    char path[4096], line[32];
    long long before = -3;

    if (ra_ctx_state_path(ctx, ".score", path, sizeof(path)) < 0) {
        path[0] = '\0';
    }
    if (!force && path[0] != '\0' && ra_state_read_int(path, -1, 1000000000, &before) == 0 &&
        before == (score < 0 ? -1 : score)) {
        return;
    }
    /* remembered only once really set: a failed one is tried again */
    if (!ra_promotion_score(ctx, score)) {
        if (path[0] != '\0' && ra_state_remove(path) < 0) {
            ra_debug(ctx, "cannot forget the promotion score in %s", path);
        }
        return;
    }
    if (path[0] != '\0' && ra_format(line, sizeof(line), "%d\n", score < 0 ? -1 : score) == 0 &&
        ra_state_write(path, line, strlen(line)) < 0) {
        ra_debug(ctx, "cannot remember the promotion score in %s", path);
    }
}

bool
ra_called_as(int argc, char **argv, const char *name)
{
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;

    return argc > 0 && strcmp(slash ? slash + 1 : argv[0], name) == 0;
}

/* ------------------------------------------------------------ actions */

static const char *const builtin_actions[] = {
    "meta-data",  "metadata", "usage",   "help",    "manpage", "validate-all",
    "verify-all", "status",   "recover", "migrate", NULL,
};

static const struct ra_action *
find_action(const struct ra_agent *agent, const char *name)
{
    for (size_t i = 0; i < agent->nactions; i++) {
        if (strcmp(agent->actions[i].name, name) == 0 && agent->actions[i].fn != NULL) {
            return &agent->actions[i];
        }
    }
    return NULL;
}

static bool
is_known_action(const struct ra_agent *agent, const char *name)
{
    for (size_t i = 0; builtin_actions[i] != NULL; i++) {
        if (strcmp(builtin_actions[i], name) == 0) {
            return true;
        }
    }
    return find_action(agent, name) != NULL;
}

/* Actions the agent's validate runs before (OCF: validate, then act). */
static bool
needs_validate(const char *action)
{
    static const char *const list[] = {
        "start",        "stop",   "monitor",      "status",  "promote", "demote", "migrate_to",
        "migrate_from", "reload", "reload-agent", "recover", "notify",  NULL,
    };

    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], action) == 0) {
            return true;
        }
    }
    return false;
}

static int
run_action(struct ra_ctx *ctx, const char *name)
{
    const struct ra_action *a = find_action(ctx->agent, name);

    ctx->action = name;
    if (a == NULL) {
        return ra_fail(ctx, OCF_ERR_UNIMPLEMENTED, "%s does not implement '%s'", ctx->agent->name,
                       name);
    }
    return a->fn(ctx);
}

/* recover: the agent's own, else a restart in place (rgmanager calls it). */
static int
run_recover(struct ra_ctx *ctx)
{
    int rc;

    if (find_action(ctx->agent, "recover") != NULL) {
        return run_action(ctx, "recover");
    }
    rc = run_action(ctx, "stop");
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    return run_action(ctx, "start");
}

/* ------------------------------------------------------------ conventions */

static bool
is_dir_of(const char *argv0, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(argv0, dir, n) == 0 && argv0[n] == '/' && strchr(argv0 + n + 1, '/') == NULL;
}

static bool
is_heartbeat_op(const char *s)
{
    return strcmp(s, "start") == 0 || strcmp(s, "stop") == 0 || strcmp(s, "status") == 0 ||
           strcmp(s, "monitor") == 0;
}

static enum ra_convention
detect_convention(const struct ra_agent *agent, int argc, char **argv)
{
    const char *argv0 = argc > 0 ? argv[0] : "";
    const char *conf = ra_env_get("RAMPART_CONF");

    if ((conf != NULL && *conf != '\0') || is_dir_of(argv0, "/etc/init.d") ||
        is_dir_of(argv0, "/etc/rc.d/init.d")) {
        return RA_CONV_LSB;
    }
    if (strstr(argv0, "/ha.d/resource.d/") != NULL) {
        return RA_CONV_HEARTBEAT;
    }
    if (argc >= 3 && is_heartbeat_op(argv[argc - 1]) && !is_known_action(agent, argv[1])) {
        return RA_CONV_HEARTBEAT;
    }
    return RA_CONV_OCF;
}

static const char *
base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* heartbeat v1: map "AGENT a1 a2 ... op" onto parameters and defaults. */
static int
heartbeat_setup(struct ra_ctx *ctx, int argc, char **argv)
{
    const struct ra_agent *agent = ctx->agent;
    int nargs = argc - 2; /* between argv[0] and the operation */
    char inst[256];
    int r;

    /* what hto-mapfuncs exported for the OCF agent it ran */
    if (ra_env_set("OCF_RA_VERSION_MAJOR", "1", false) < 0 ||
        ra_env_set("OCF_RA_VERSION_MINOR", "0", false) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot set up the environment");
    }
    if (ra_format(inst, sizeof(inst), "%s_%s", agent->name, nargs > 0 ? argv[1] : "default") < 0 ||
        ra_env_set("OCF_RESOURCE_INSTANCE", inst, false) < 0) {
        return ra_fail(ctx, OCF_ERR_ARGS, "first argument is too long");
    }
    if (nargs <= 0) {
        return OCF_SUCCESS;
    }
    if (agent->parse_positional != NULL) {
        return agent->parse_positional(ctx, nargs, argv + 1);
    }
    for (int i = 0; i < nargs; i++) {
        if (agent->positional == NULL || agent->positional[0] == NULL) {
            return ra_fail(ctx, OCF_ERR_ARGS, "%s takes no positional arguments", agent->name);
        }
        for (int k = 0; k <= i; k++) {
            if (agent->positional[k] == NULL) {
                return ra_fail(ctx, OCF_ERR_ARGS, "too many arguments for %s (at most %d)",
                               agent->name, k);
            }
        }
        r = ra_env_set_reskey(agent->positional[i], argv[1 + i]);
        if (r < 0) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "cannot set parameter '%s'", agent->positional[i]);
        }
    }
    return OCF_SUCCESS;
}

static bool
is_param_name(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_')) {
            return false;
        }
    }
    return true;
}

/*
 * LSB: parameters from a file of name=value lines (# comments, blank lines;
 * a value may be in single or double quotes; OCF_RESKEY_ prefixes allowed).
 */
static int
lsb_load_conf(struct ra_ctx *ctx, const char *path)
{
    char *buf = NULL;
    char *line, *next;
    int r, lineno = 0, rc = OCF_SUCCESS;
    const size_t cap = 64 * 1024;

    buf = malloc(cap);
    if (buf == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    r = ra_state_read(path, buf, cap);
    if (r == -ENOENT) {
        rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "parameter file '%s' does not exist", path);
        goto cleanup;
    }
    if (r < 0) {
        rc = ra_fail(ctx, r == -EACCES ? OCF_ERR_PERM : OCF_ERR_CONFIGURED,
                     "cannot read parameter file '%s': %s", path, strerror(-r));
        goto cleanup;
    }
    for (line = buf; line != NULL; line = next) {
        char *key, *value, *t;

        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        lineno++;
        if (!ra_kv_split(line, &key, &value, "\"'")) {
            t = ra_trim(line);
            if (*t == '\0' || *t == '#') {
                continue;
            }
            rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "%s line %d: expected name=value", path, lineno);
            goto cleanup;
        }
        if (strncmp(key, "OCF_RESKEY_", 11) == 0) {
            key += 11;
        }
        if (!is_param_name(key)) {
            rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "%s line %d: bad parameter name", path, lineno);
            goto cleanup;
        }
        if (ra_param_index(ctx->agent->params, ctx->agent->nparams, key) < 0) {
            ra_warn(ctx, "%s line %d: unknown parameter '%s', ignoring", path, lineno, key);
            continue;
        }
        if (ra_env_set_reskey(key, value) < 0) {
            rc = ra_fail(ctx, OCF_ERR_GENERIC, "cannot set parameter '%s'", key);
            goto cleanup;
        }
    }

cleanup:
    /* the file may hold secrets: they now live in the environment only */
    explicit_bzero(buf, cap);
    free(buf);
    return rc;
}

static int
lsb_setup(struct ra_ctx *ctx, const char *argv0)
{
    const char *conf = ra_env_get("RAMPART_CONF");
    char path[4096];
    const char *name = base_name(argv0);

    if (ra_env_set("OCF_RESOURCE_INSTANCE", name, false) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot set up the environment");
    }
    if (conf == NULL || *conf == '\0') {
        if (ra_format(path, sizeof(path), "/etc/rampart/%s.conf", name) < 0) {
            return ra_fail(ctx, OCF_ERR_ARGS, "script name is too long");
        }
        conf = path;
    }
    return lsb_load_conf(ctx, conf);
}

/* ------------------------------------------------------------ main */

/* Map a calling convention's action name onto the OCF action run. */
static const char *
ocf_action_for(const struct ra_agent *agent, enum ra_convention conv, const char *name)
{
    if (strcmp(name, "metadata") == 0) {
        return "meta-data";
    }
    if (strcmp(name, "help") == 0) {
        return "usage";
    }
    if (strcmp(name, "verify-all") == 0) {
        return "validate-all";
    }
    if (strcmp(name, "status") == 0 &&
        (conv != RA_CONV_OCF || find_action(agent, "status") == NULL)) {
        return "monitor";
    }
    if (conv == RA_CONV_LSB && strcmp(name, "force-reload") == 0) {
        return "restart";
    }
    if (conv == RA_CONV_LSB && strcmp(name, "condrestart") == 0) {
        return "try-restart";
    }
    if (strcmp(name, "migrate") == 0) {
        return "migrate_to";
    }
    return name;
}

static bool
is_config_error(int rc)
{
    return rc == OCF_ERR_CONFIGURED || rc == OCF_ERR_ARGS || rc == OCF_ERR_INSTALLED;
}

/*
 * The OCF rules for a configuration that does not validate (the shell
 * agents' handle_invalid_env): stop succeeds, because nothing can be running
 * with a configuration that could never start, and a failed stop gets the
 * node fenced; a probe reports "not running".
 */
static int
invalid_config(struct ra_ctx *ctx, int rc)
{
    if (!is_config_error(rc)) {
        return rc;
    }
    if (strcmp(ctx->action, "stop") == 0) {
        ra_warn(ctx, "stop with an invalid configuration (%s): nothing to stop", ctx->reason);
        ctx->reason[0] = '\0';
        return OCF_SUCCESS;
    }
    if (ra_is_probe(ctx)) {
        ra_info(ctx, "probe with an invalid configuration (%s): not running", ctx->reason);
        ctx->reason[0] = '\0';
        return OCF_NOT_RUNNING;
    }
    return rc;
}

static void
warn_deprecated(struct ra_ctx *ctx)
{
    const struct ra_agent *agent = ctx->agent;

    for (size_t i = 0; i < agent->nparams; i++) {
        const struct ra_param *p = &agent->params[i];
        const char *successor = p->alias_of ? p->alias_of : p->replaced_with;

        if ((p->alias_of || (p->flags & RA_P_DEPRECATED)) && ctx->values[i].given) {
            if (successor != NULL) {
                ra_warn(ctx, "parameter '%s' is deprecated, use '%s'", p->name, successor);
            } else {
                ra_warn(ctx, "parameter '%s' is deprecated", p->name);
            }
        }
        if ((p->flags & RA_P_SECRET) && ctx->values[i].str != NULL) {
            ra_log_add_secret(&ctx->log, ctx->values[i].str);
        }
    }
    if (ctx->env.check_level_bad) {
        ra_warn(ctx, "OCF_CHECK_LEVEL is not a number, using 0");
    }
}

static uint64_t
action_timeout_ms(const struct ra_ctx *ctx, const char *action)
{
    const struct ra_action *a = find_action(ctx->agent, action);

    if (ctx->env.timeout_ms > 0) {
        return ctx->env.timeout_ms;
    }
    return (a != NULL && a->timeout_s > 0) ? (uint64_t)a->timeout_s * 1000 : 20000;
}

/*
 * Actions that change the resource: two of them on one resource at once
 * (a start racing a stop after a timeout, a recover beside a stop) run one
 * after the other, under a lock per resource in HA_RSCTMP.  Monitors only
 * look, and never wait behind a long start.
 */
static bool
needs_lock(const char *action)
{
    static const char *const list[] = {
        "start",        "stop",   "promote",      "demote",  "migrate_to",
        "migrate_from", "reload", "reload-agent", "recover", NULL,
    };

    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], action) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Take the resource's lock for @action, within the deadline.  A lock that
 * cannot be made (HA_RSCTMP missing, read-only, not a directory) leaves the
 * action unserialised, as every shell agent is, rather than failing it: a
 * stop must still be able to succeed there.
 */
static int
take_lock(struct ra_ctx *ctx, const char *action, int *ret_fd)
{
    char path[4096];
    int r;

    *ret_fd = -1;
    if (!needs_lock(action) || ra_ctx_state_path(ctx, ".lock", path, sizeof(path)) < 0) {
        return OCF_SUCCESS;
    }
    r = ra_lock_acquire(path, &ctx->deadline, ret_fd);
    if (r == -ETIME) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       "another operation on %s held its lock until the deadline",
                       ctx->env.instance);
    }
    if (r < 0) {
        ra_debug(ctx, "cannot lock %s (%s): running unserialised", path, strerror(-r));
    }
    return OCF_SUCCESS;
}

static const char *
env_get(const char *name, void *data)
{
    (void)data;
    return ra_env_reskey(name);
}

/*
 * Parameters as stop and a probe read them.  A bad value of a parameter
 * that does not say which resource this is (RA_P_IDENTITY) proves nothing
 * about what runs: refusing it would make stop a no-op while a resource
 * started before the typo (or by the shell agent) is still there.  So such
 * a value is read as the default, with a warning; a boolean as false, as
 * the shell agents' ocf_is_true reads anything but a "true" word.  start
 * and validate-all stay strict.
 */
static const char *
lenient_get(const char *name, void *data)
{
    struct ra_ctx *ctx = data;
    const char *v = ra_env_reskey(name);
    int i = ra_param_index(ctx->agent->params, ctx->agent->nparams, name);
    struct ra_value tmp;
    char why[512];

    if (v == NULL || *v == '\0' || i < 0 || (ctx->agent->params[i].flags & RA_P_IDENTITY) ||
        ra_param_check(&ctx->agent->params[i], v, &tmp, why, sizeof(why)) == 0) {
        return v;
    }
    ra_warn(ctx, "%s: %s reads it as %s", why, ctx->action,
            ctx->agent->params[i].type == RA_T_BOOLEAN ? "false" : "its default");
    return ctx->agent->params[i].type == RA_T_BOOLEAN ? "false" : NULL;
}

bool
ra_lenient(const struct ra_ctx *ctx)
{
    return strcmp(ctx->action, "stop") == 0 || ra_is_probe(ctx);
}

int
ra_soften(struct ra_ctx *ctx, int rc)
{
    if (rc == OCF_SUCCESS || !is_config_error(rc) || !ra_lenient(ctx)) {
        return rc;
    }
    ra_warn(ctx, "%s: ignored by %s, it does not say which resource this is", ctx->reason,
            ctx->action);
    ctx->reason[0] = '\0';
    return OCF_SUCCESS;
}

/*
 * Load the parameters, type-check them and run the agent's validate for
 * @action.  A configuration that does not validate gets the OCF rules
 * (invalid_config) for @action.
 */
static int
prepare(struct ra_ctx *ctx, const char *action, bool *ret_final)
{
    char why[512];
    int rc;

    *ret_final = true;
    ctx->action = action;
    ctx->values = calloc(ctx->agent->nparams + 1, sizeof(*ctx->values));
    if (ctx->values == NULL) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
    }
    if (ctx->agent->data_size > 0) {
        ctx->data = calloc(1, ctx->agent->data_size);
        if (ctx->data == NULL) {
            return ra_fail(ctx, OCF_ERR_GENERIC, "out of memory");
        }
    }
    ctx->timeout_ms = action_timeout_ms(ctx, action);
    ra_deadline_init(&ctx->deadline, ctx->timeout_ms);

    if (ra_param_load_from(ctx->agent->params, ctx->agent->nparams, ctx->values,
                           ra_lenient(ctx) ? lenient_get : env_get, ctx, ra_lenient(ctx), why,
                           sizeof(why)) < 0) {
        rc = ra_fail(ctx, OCF_ERR_CONFIGURED, "%s", why);
        return strcmp(action, "validate-all") == 0 ? rc : invalid_config(ctx, rc);
    }
    warn_deprecated(ctx);

    if (strcmp(action, "validate-all") == 0) {
        return ctx->agent->validate ? ctx->agent->validate(ctx) : OCF_SUCCESS;
    }
    if (needs_validate(action) && ctx->agent->validate != NULL) {
        rc = ctx->agent->validate(ctx);
        if (rc != OCF_SUCCESS) {
            return invalid_config(ctx, rc);
        }
    }
    *ret_final = false;
    return OCF_SUCCESS;
}

/* Load, validate and run @action; returns its OCF code. */
static int
dispatch(struct ra_ctx *ctx, const char *action)
{
    bool final;
    int rc = prepare(ctx, action, &final), lock = -1;

    if (final) {
        return rc;
    }
    rc = take_lock(ctx, action, &lock);
    if (rc == OCF_SUCCESS) {
        rc = strcmp(action, "recover") == 0 ? run_recover(ctx) : run_action(ctx, action);
    }
    ra_lock_release(lock);
    return rc;
}

/* LSB restart and try-restart: validated once, then stop and start under one lock. */
static int
dispatch_lsb(struct ra_ctx *ctx, const char *action)
{
    bool final;
    int rc, lock = -1;

    if (strcmp(action, "restart") != 0 && strcmp(action, "try-restart") != 0) {
        return dispatch(ctx, action);
    }
    rc = prepare(ctx, "start", &final);
    if (final) {
        return rc;
    }
    rc = take_lock(ctx, "start", &lock);
    if (rc == OCF_SUCCESS) {
        rc = run_action(ctx, "monitor");
        if (strcmp(action, "try-restart") == 0 && rc == OCF_NOT_RUNNING) {
            rc = OCF_SUCCESS;
        } else {
            rc = run_action(ctx, "stop");
            rc = rc == OCF_SUCCESS ? run_action(ctx, "start") : rc;
        }
    }
    ra_lock_release(lock);
    return rc;
}

static void
print_status(const struct ra_ctx *ctx, int rc)
{
    bool running = ra_rc_to_lsb_status(rc) == LSB_STATUS_RUNNING;

    if (ctx->convention == RA_CONV_HEARTBEAT) {
        /* heartbeat ignores the exit code and looks for "running" or "OK" */
        /* unsure is never "stopped": heartbeat must not start it on a second node */
        puts(running                 ? "running"
             : rc == OCF_NOT_RUNNING ? "stopped"
                                     : "running (cannot identify status)");
    } else {
        printf("%s is %s\n", ctx->env.instance,
               running                 ? "running"
               : rc == OCF_NOT_RUNNING ? "stopped"
                                       : "in an unknown state");
    }
}

static int
finish(struct ra_ctx *ctx, int rc)
{
    const char *prefix = ra_env_get("OCF_EXIT_REASON_PREFIX");

    if (fflush(stdout) != 0 && rc == OCF_SUCCESS) {
        rc = OCF_ERR_GENERIC;
    }
    if (ctx->reason[0] != '\0') {
        fprintf(stderr, "%s%s\n", (prefix && *prefix) ? prefix : "ocf-exit-reason:", ctx->reason);
    }
    ra_log_release(&ctx->log);
    free(ctx->values);
    ctx->values = NULL;
    free(ctx->data);
    ctx->data = NULL;
    return rc;
}

int
ra_main(const struct ra_agent *agent, int argc, char **argv)
{
    struct ra_ctx ctx;
    const char *name, *action;
    int rc;

    memset(&ctx, 0, sizeof(ctx));
    ctx.agent = agent;
    ctx.convention = detect_convention(agent, argc, argv);
    name = argc >= 2 ? argv[argc > 2 && ctx.convention == RA_CONV_HEARTBEAT ? argc - 1 : 1] : "";
    action = ocf_action_for(agent, ctx.convention, name);
    ctx.action = action;

    /* what needs no environment: meta-data, usage, manpage */
    if (strcmp(action, "meta-data") == 0) {
        struct ra_env env;

        /* OCF 1.1 metadata only for a caller that says it speaks 1.1 */
        ra_env_load(&env);
        ra_meta_write(agent, stdout, env.ra_major > 1 || (env.ra_major == 1 && env.ra_minor >= 1));
        return fflush(stdout) == 0 && !ferror(stdout) ? OCF_SUCCESS : OCF_ERR_GENERIC;
    }
    if (strcmp(action, "usage") == 0) {
        ra_usage_write(agent, stdout);
        return fflush(stdout) == 0 ? OCF_SUCCESS : OCF_ERR_GENERIC;
    }
    if (strcmp(action, "manpage") == 0) {
        ra_man_write(agent, stdout);
        return fflush(stdout) == 0 ? OCF_SUCCESS : OCF_ERR_GENERIC;
    }

    ra_env_load(&ctx.env);
    ra_log_init(&ctx.log, agent->name, ctx.env.instance);
    if (argc < 2) {
        ra_usage_write(agent, stderr);
        rc = ra_fail(&ctx, OCF_ERR_ARGS, "no action given");
        return finish(&ctx, ctx.convention == RA_CONV_LSB ? 2 : rc);
    }

    if (ctx.convention == RA_CONV_HEARTBEAT) {
        rc = heartbeat_setup(&ctx, argc, argv);
    } else if (ctx.convention == RA_CONV_LSB) {
        rc = lsb_setup(&ctx, argv[0]);
    } else {
        rc = OCF_SUCCESS;
        if (strcmp(name, "migrate") == 0 && argc >= 3 &&
            ra_env_set("OCF_RESKEY_CRM_meta_migrate_target", argv[2], false) < 0) {
            rc = ra_fail(&ctx, OCF_ERR_GENERIC, "cannot set up the environment");
        }
    }
    /* the setup may have changed the environment: read it again */
    ra_env_load(&ctx.env);
    ra_log_release(&ctx.log);
    ra_log_init(&ctx.log, agent->name, ctx.env.instance);

    if (rc == OCF_SUCCESS && !is_known_action(agent, action) &&
        !(ctx.convention == RA_CONV_LSB &&
          (strcmp(action, "restart") == 0 || strcmp(action, "try-restart") == 0))) {
        char q[80];

        ra_usage_write(agent, stderr);
        rc = ra_fail(&ctx, OCF_ERR_UNIMPLEMENTED, "unknown action '%s'",
                     ra_escape(name, q, sizeof(q)));
        return finish(&ctx, rc);
    }
    if (rc == OCF_SUCCESS) {
        rc = ctx.convention == RA_CONV_LSB ? dispatch_lsb(&ctx, action) : dispatch(&ctx, action);
    } else if (strcmp(action, "stop") == 0 || strcmp(action, "monitor") == 0) {
        ctx.action = action;
        rc = invalid_config(&ctx, rc);
    }
    ra_debug(&ctx, "%s: %s (%d)", action, ra_rc_describe(rc), rc);

    if (ctx.convention != RA_CONV_OCF && strcmp(action, "monitor") == 0) {
        print_status(&ctx, rc);
        rc = ra_rc_to_lsb_status(rc);
    } else if (ctx.convention == RA_CONV_LSB) {
        rc = ra_rc_to_lsb(rc);
    }
    return finish(&ctx, rc);
}

int
ra_run_tool(struct ra_ctx *ctx, const char *name, const char *const *args, char **out)
{
    return ra_run_tool_full(ctx, name, args, out, NULL, NULL);
}

int
ra_run_tool_full(struct ra_ctx *ctx, const char *name, const char *const *args, char **out,
                 char **err, const char *uts_name)
{
    char tool[256], q[300];
    const char *argv[40];
    size_t n = 0;
    struct ra_run_result res;
    struct ra_cmd rc = { .argv = argv, .deadline = &ctx->deadline, .uts_name = uts_name };
    int code;

    if (out != NULL) {
        *out = NULL;
    }
    if (err != NULL) {
        *err = NULL;
    }

    if (ra_run_which(name, tool, sizeof(tool)) < 0) {
        ra_fail(ctx, OCF_ERR_INSTALLED, "%s is not installed", name);
        return -1;
    }
    argv[n++] = tool;
    while (*args != NULL) {
        if (n == RA_NELEM(argv) - 1) {
            ra_fail(ctx, OCF_ERR_GENERIC, "%s: too many arguments", name);
            return -1; /* never run with one cut off */
        }
        argv[n++] = *args++;
    }
    argv[n] = NULL;
    if (ra_run(&rc, &res) < 0) {
        ra_fail(ctx, OCF_ERR_GENERIC, "cannot run %s %s", name, argv[1]);
        return -1;
    }
    code = res.status == RA_RUN_DONE ? res.exit_code : -1;
    if (res.status == RA_RUN_EXEC_FAILED) {
        ra_fail(ctx, OCF_ERR_GENERIC, "cannot run %s%s: %s", name,
                uts_name ? " in a UTS namespace of its own" : "", strerror(res.exec_errno));
    } else if (code != 0) {
        ra_info(ctx, "%s %s: %s %d: %s", name, argv[1] ? argv[1] : "",
                res.status == RA_RUN_DONE ? "exit" : "status", res.exit_code,
                ra_escape(res.err ? res.err : "", q, sizeof(q)));
    }
    if (out != NULL) {
        *out = res.out;
        res.out = NULL;
    }
    if (err != NULL) {
        *err = res.err;
        res.err = NULL;
    }
    ra_run_result_release(&res);
    return code;
}

int
ra_modprobe(struct ra_ctx *ctx, const char *module)
{
    const char *args[] = { "-q", "--", module, NULL };

    return ra_run_tool(ctx, "modprobe", args, NULL) == 0 ? 0 : -1;
}
