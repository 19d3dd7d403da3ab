/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fence-agent driver (see fence.h): input, common options, actions,
 * verification by polling, the reboot sequence, password_script, and the
 * cluster-glue external-plugin protocol.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "env.h"
#include "fence.h"
#include "meta.h"
#include "run.h"
#include "str.h"

#define STORE_MAX    128
#define LINE_MAX_LEN 4096

static const char *const methods[] = { "onoff", "cycle", NULL };

/*
 * The options every fence agent shares.  Those listed in an agent's .uses
 * (ip ... plug, separator, method) are included only when the agent asks;
 * the rest always.  Defaults are fence-agents' own.
 */
static const struct ra_param common_params[] = {
    { .name = "action",
      .type = RA_T_STRING,
      .def = "reboot",
      .opt_short = 'o',
      .opt_long = "action",
      .opt_arg = "[action]",
      .shortdesc = "Fencing action" },
    { .name = "option",
      .type = RA_T_STRING,
      .alias_of = "action",
      .opt_short = 'o',
      .opt_long = "action",
      .opt_arg = "[action]",
      .shortdesc = "Fencing action" },
    { .name = "ip",
      .type = RA_T_STRING,
      .opt_short = 'a',
      .opt_long = "ip",
      .opt_arg = "[ip]",
      .shortdesc = "IP address or hostname of fencing device" },
    { .name = "ipaddr",
      .type = RA_T_STRING,
      .alias_of = "ip",
      .opt_short = 'a',
      .opt_long = "ip",
      .opt_arg = "[ip]",
      .shortdesc = "IP address or hostname of fencing device" },
    { .name = "ipport",
      .type = RA_T_PORT,
      .opt_short = 'u',
      .opt_long = "ipport",
      .opt_arg = "[port]",
      .shortdesc = "TCP/UDP port to use for connection with device" },
    { .name = "username",
      .type = RA_T_STRING,
      .opt_short = 'l',
      .opt_long = "username",
      .opt_arg = "[name]",
      .shortdesc = "Login name" },
    { .name = "login",
      .type = RA_T_STRING,
      .alias_of = "username",
      .opt_short = 'l',
      .opt_long = "username",
      .opt_arg = "[name]",
      .shortdesc = "Login name" },
    { .name = "password",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .opt_short = 'p',
      .opt_long = "password",
      .opt_arg = "[password]",
      .shortdesc = "Login password or passphrase" },
    { .name = "passwd",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .alias_of = "password",
      .opt_short = 'p',
      .opt_long = "password",
      .opt_arg = "[password]",
      .shortdesc = "Login password or passphrase" },
    { .name = "password_script",
      .type = RA_T_STRING,
      .opt_short = 'S',
      .opt_long = "password-script",
      .opt_arg = "[script]",
      .shortdesc = "Script to run to retrieve password" },
    { .name = "passwd_script",
      .type = RA_T_STRING,
      .alias_of = "password_script",
      .opt_short = 'S',
      .opt_long = "password-script",
      .opt_arg = "[script]",
      .shortdesc = "Script to run to retrieve password" },
    { .name = "plug",
      .type = RA_T_STRING,
      .opt_short = 'n',
      .opt_long = "plug",
      .opt_arg = "[id]",
      .shortdesc = "Physical plug number on device, or name of virtual machine" },
    { .name = "port",
      .type = RA_T_STRING,
      .alias_of = "plug",
      .opt_short = 'n',
      .opt_long = "plug",
      .opt_arg = "[id]",
      .shortdesc = "Physical plug number on device, or name of virtual machine" },
    { .name = "method",
      .type = RA_T_ENUM,
      .values = methods,
      .def = "onoff",
      .opt_short = 'm',
      .opt_long = "method",
      .opt_arg = "[method]",
      .shortdesc = "Method to fence" },
    { .name = "separator",
      .type = RA_T_STRING,
      .def = ",",
      .opt_short = 'C',
      .opt_long = "separator",
      .opt_arg = "[char]",
      .shortdesc = "Separator for CSV created by 'list' operation" },
    { .name = "quiet",
      .type = RA_T_BOOLEAN,
      .opt_short = 'q',
      .opt_long = "quiet",
      .shortdesc =
          "Disable logging to stderr. Does not affect --verbose or --debug-file or logging to syslog." },
    { .name = "verbose",
      .type = RA_T_BOOLEAN,
      .opt_short = 'v',
      .opt_long = "verbose",
      .shortdesc =
          "Verbose mode. Multiple -v flags can be stacked on the command line (e.g., -vvv) to increase verbosity." },
    { .name = "verbose_level",
      .type = RA_T_INTEGER,
      .min = 0,
      .max = 100,
      .opt_long = "verbose-level",
      .opt_arg = "[level]",
      .shortdesc = "Level of debugging detail in output." },
    { .name = "debug_file",
      .type = RA_T_PATH,
      .opt_short = 'D',
      .opt_long = "debug-file",
      .opt_arg = "[debugfile]",
      .shortdesc = "Write debug information to given file" },
    { .name = "debug",
      .type = RA_T_PATH,
      .alias_of = "debug_file",
      .opt_short = 'D',
      .opt_long = "debug-file",
      .opt_arg = "[debugfile]",
      .shortdesc = "Write debug information to given file" },
    { .name = "version",
      .type = RA_T_BOOLEAN,
      .opt_short = 'V',
      .opt_long = "version",
      .shortdesc = "Display version information and exit" },
    { .name = "help",
      .type = RA_T_BOOLEAN,
      .opt_short = 'h',
      .opt_long = "help",
      .shortdesc = "Display help and exit" },
    { .name = "plug_separator",
      .type = RA_T_STRING,
      .def = ",",
      .opt_long = "plug-separator",
      .opt_arg = "[char]",
      .shortdesc = "Separator for plug parameter when specifying more than 1 plug" },
    { .name = "delay",
      .type = RA_T_TIME,
      .def = "0",
      .opt_long = "delay",
      .opt_arg = "[seconds]",
      .shortdesc = "Wait X seconds before fencing is started" },
    { .name = "disable_timeout",
      .type = RA_T_BOOLEAN,
      .opt_long = "disable-timeout",
      .opt_arg = "[true/false]",
      .ocf_type = "string",
      .shortdesc =
          "Let each step wait up to 60 s (implied under Pacemaker's fencer); never unbounded" },
    { .name = "login_timeout",
      .type = RA_T_TIME,
      .def = "5",
      .opt_long = "login-timeout",
      .opt_arg = "[seconds]",
      .shortdesc = "Wait X seconds for cmd prompt after login" },
    { .name = "power_timeout",
      .type = RA_T_TIME,
      .def = "20",
      .opt_long = "power-timeout",
      .opt_arg = "[seconds]",
      .shortdesc = "Test X seconds for status change after ON/OFF" },
    { .name = "power_wait",
      .type = RA_T_TIME,
      .def = "0",
      .opt_long = "power-wait",
      .opt_arg = "[seconds]",
      .shortdesc = "Wait X seconds after issuing ON/OFF" },
    { .name = "shell_timeout",
      .type = RA_T_TIME,
      .def = "3",
      .opt_long = "shell-timeout",
      .opt_arg = "[seconds]",
      .shortdesc = "Wait X seconds for cmd prompt after issuing command" },
    { .name = "stonith_status_sleep",
      .type = RA_T_TIME,
      .def = "1",
      .opt_long = "stonith-status-sleep",
      .opt_arg = "[seconds]",
      .shortdesc = "Sleep X seconds between status calls during a STONITH action" },
    { .name = "retry_on",
      .type = RA_T_INTEGER,
      .def = "1",
      .min = 1,
      .max = 100,
      .opt_long = "retry-on",
      .opt_arg = "[attempts]",
      .shortdesc = "Count of attempts to retry power on" },
};

/* Common options an agent must ask for: the others every agent has. */
static const char *const optional_commons[] = {
    "ip",
    "ipaddr",
    "ipport",
    "username",
    "login",
    "password",
    "passwd",
    "password_script",
    "passwd_script",
    "plug",
    "port",
    "method",
    "separator",
    NULL,
};

struct kv {
    char name[64];
    char *value;
};

struct ra_fence {
    const struct ra_fence_agent *agent;
    const char *invoked_as;
    struct ra_param *params; /* common + device, with this name's defaults */
    size_t nparams;
    struct ra_value *values;
    struct kv store[STORE_MAX];
    size_t nstore;
    struct ra_log log;
    struct ra_deadline step;
    uint64_t step_cap_ms; /* disable_timeout: how long a step may take at most */
    char reason[512];
    char *password; /* owned when it came from password_script */
    bool password_owned;
    char *secrets[4]; /* other scripts' outputs, owned */
    void *data;
    int list_rc;
};

/* ------------------------------------------------------------ values */

static bool
in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static size_t
slot(const struct ra_fence *f, const char *name)
{
    return ra_param_slot(f->params, f->nparams, name, f->agent->name);
}

const char *
ra_fence_str(const struct ra_fence *f, const char *name)
{
    return f->values[slot(f, name)].str;
}

long long
ra_fence_int(const struct ra_fence *f, const char *name)
{
    return f->values[slot(f, name)].num;
}

bool
ra_fence_bool(const struct ra_fence *f, const char *name)
{
    return f->values[slot(f, name)].num != 0;
}

uint64_t
ra_fence_ms(const struct ra_fence *f, const char *name)
{
    return (uint64_t)f->values[slot(f, name)].num;
}

bool
ra_fence_given(const struct ra_fence *f, const char *name)
{
    return f->values[slot(f, name)].given;
}

const char *
ra_fence_password(const struct ra_fence *f)
{
    return f->password;
}

const char *
ra_fence_invoked_as(const struct ra_fence *f)
{
    return f->invoked_as;
}

void *
ra_fence_data(struct ra_fence *f)
{
    return f->data;
}

const struct ra_deadline *
ra_fence_step(const struct ra_fence *f)
{
    return &f->step;
}

struct ra_log *
ra_fence_log(struct ra_fence *f)
{
    return &f->log;
}

int
ra_fence_fail(struct ra_fence *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_log_format(&f->log, f->reason, sizeof(f->reason), fmt, ap);
    va_end(ap);
    ra_log(&f->log, RA_LOG_ERR, "%s", f->reason);
    return -1;
}

static int
store_set(struct ra_fence *f, const char *name, const char *value)
{
    char key[64];
    size_t i;

    if (ra_format(key, sizeof(key), "%s", name) < 0) {
        return -ENAMETOOLONG;
    }
    for (char *c = key; *c != '\0'; c++) {
        if (*c == '-') {
            *c = '_'; /* fencing.py: "ip-addr" and "ip_addr" are one option */
        }
    }
    for (i = 0; i < f->nstore && strcmp(f->store[i].name, key) != 0; i++) {
    }
    if (i == STORE_MAX) {
        return -E2BIG;
    }
    if (i == f->nstore) {
        memcpy(f->store[i].name, key, sizeof(key));
        f->nstore++;
    } else if (f->store[i].value != NULL) {
        explicit_bzero(f->store[i].value, strlen(f->store[i].value));
        free(f->store[i].value);
    }
    f->store[i].value = strdup(value);
    return f->store[i].value ? 0 : -ENOMEM;
}

static const char *
store_get(const char *name, void *data)
{
    const struct ra_fence *f = data;

    for (size_t i = 0; i < f->nstore; i++) {
        if (strcmp(f->store[i].name, name) == 0) {
            return f->store[i].value;
        }
    }
    return NULL;
}

static const char *
env_get(const char *name, void *data)
{
    (void)data;
    return ra_env_get(name);
}

static void
store_clear(struct ra_fence *f)
{
    for (size_t i = 0; i < f->nstore; i++) {
        if (f->store[i].value != NULL) {
            explicit_bzero(f->store[i].value, strlen(f->store[i].value));
            free(f->store[i].value);
        }
    }
    f->nstore = 0;
}

/* The option table for this name: common options the agent takes, then its own. */
static int
build_params(struct ra_fence *f)
{
    const struct ra_fence_agent *a = f->agent;
    const char *const *name_defaults = NULL;
    size_t n = 0;

    for (size_t i = 0; i < a->nsymlinks; i++) {
        if (strcmp(a->symlinks[i].name, f->invoked_as) == 0) {
            name_defaults = a->symlinks[i].defaults;
        }
    }
    f->params = calloc(RA_NELEM(common_params) + a->nparams, sizeof(*f->params));
    f->values = calloc(RA_NELEM(common_params) + a->nparams, sizeof(*f->values));
    if (f->params == NULL || f->values == NULL) {
        return -ENOMEM;
    }
    for (size_t i = 0; i < RA_NELEM(common_params); i++) {
        if (!in_list(optional_commons, common_params[i].name) ||
            in_list(a->uses, common_params[i].name)) {
            f->params[n++] = common_params[i];
        }
    }
    for (size_t i = 0; i < a->nparams; i++) {
        f->params[n++] = a->params[i];
    }
    f->nparams = n;
    /* defaults: the agent's, then this name's ("fence_ipmilanplus": lanplus=1) */
    for (int pass = 0; pass < 2; pass++) {
        const char *const *defs = pass == 0 ? a->defaults : name_defaults;

        for (size_t k = 0; defs != NULL && defs[k] != NULL; k++) {
            const char *eq = strchr(defs[k], '=');

            for (size_t i = 0; eq != NULL && i < n; i++) {
                if (strncmp(f->params[i].name, defs[k], (size_t)(eq - defs[k])) == 0 &&
                    f->params[i].name[eq - defs[k]] == '\0') {
                    f->params[i].def = eq + 1;
                }
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------ input */

static bool
known(const struct ra_fence *f, const char *name)
{
    return ra_param_index(f->params, f->nparams, name) >= 0 || strcmp(name, "nodename") == 0 ||
           strcmp(name, "agent") == 0 || strcmp(name, "hostlist") == 0;
}

/* key=value lines on stdin, as the fencer and fenced send them. */
static int
read_stdin(struct ra_fence *f)
{
    char line[LINE_MAX_LEN];
    int lineno = 0;

    while (fgets(line, sizeof(line), stdin) != NULL) {
        char *key, *value, *t;

        lineno++;
        if (strchr(line, '\n') == NULL && !feof(stdin)) {
            explicit_bzero(line, sizeof(line));
            return ra_fence_fail(f, "stdin line %d is too long", lineno);
        }
        line[strcspn(line, "\n")] = '\0';
        /* as fencing.py: only a value in double quotes is unquoted */
        if (!ra_kv_split(line, &key, &value, "\"")) {
            t = ra_trim(line);
            if (*t != '\0' && *t != '#') {
                ra_log(&f->log, RA_LOG_WARN, "stdin line %d is not name=value, ignoring", lineno);
            }
            continue;
        }
        for (char *c = key; *c; c++) {
            *c = *c == '-' ? '_' : *c;
        }
        if (!known(f, key)) {
            ra_log(&f->log, RA_LOG_WARN, "ignoring unknown option '%s'", key);
            continue;
        }
        if (store_set(f, key, value) < 0) {
            explicit_bzero(line, sizeof(line));
            return ra_fence_fail(f, "cannot keep option '%s'", key);
        }
    }
    explicit_bzero(line, sizeof(line));
    return 0;
}

/* Long and short options, built from the same table as the metadata. */
static int
read_args(struct ra_fence *f, int argc, char **argv)
{
    struct option *opts = calloc(f->nparams + 1, sizeof(*opts));
    char shorts[256] = "";
    size_t nopt = 0, ns = 0;
    int verbose = 0, r = 0;

    if (opts == NULL) {
        return ra_fence_fail(f, "out of memory");
    }
    for (size_t i = 0; i < f->nparams; i++) {
        const struct ra_param *p = &f->params[i];

        if (p->alias_of != NULL || p->opt_long == NULL) {
            continue; /* an old name shares its successor's option */
        }
        opts[nopt++] = (struct option){ .name = p->opt_long,
                                        .has_arg = p->opt_arg ? required_argument : no_argument,
                                        .val = 256 + (int)i };
        if (p->opt_short && ns + 3 < sizeof(shorts)) {
            shorts[ns++] = p->opt_short;
            if (p->opt_arg) {
                shorts[ns++] = ':';
            }
        }
    }
    optind = 1;
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shorts, opts, NULL);
        const struct ra_param *p = NULL;
        char num[16];

        if (c == -1) {
            break;
        }
        if (c == '?' || c == ':') {
            r = ra_fence_fail(f, "unknown option or missing argument: %s",
                              argv[optind - 1] ? argv[optind - 1] : "?");
            break;
        }
        if (c >= 256) {
            p = &f->params[c - 256];
        } else {
            for (size_t i = 0; i < f->nparams && p == NULL; i++) {
                if (f->params[i].opt_short == c && f->params[i].alias_of == NULL) {
                    p = &f->params[i];
                }
            }
        }
        if (p == NULL) {
            continue;
        }
        if (strcmp(p->name, "verbose") == 0) {
            verbose++;
            ra_format_cut(num, sizeof(num), "%d", verbose);
            (void)store_set(f, "verbose_level", num);
        }
        if (store_set(f, p->name, p->opt_arg ? optarg : "1") < 0) {
            r = ra_fence_fail(f, "cannot keep option '%s'", p->name);
            break;
        }
    }
    /* a word that is not an option (a typo of an action, or after "--") is never the default */
    if (r == 0 && optind < argc) {
        char q[80];

        r = ra_fence_fail(f, "unexpected argument '%s' (the action is given with -o ACTION)",
                          ra_escape(argv[optind], q, sizeof(q)));
    }
    free(opts);
    return r;
}

/* ------------------------------------------------------------ password_script */

/*
 * What /bin/sh would read differently from a list of words: fence-agents
 * gives the command line to the shell (os.popen), so a command line with
 * any of these goes to the shell too.
 */
static bool
needs_shell(const char *cmd)
{
    return strpbrk(cmd, "|&;<>()$`\\\"'*?[]{}~#=!\n") != NULL;
}

/* Split a plain command line at white space into argv words.  @buf receives the words. */
static int
split_words(const char *cmd, char *buf, size_t cap, const char **argv, size_t max)
{
    size_t n = 0;
    char *save = NULL;

    if (ra_format(buf, cap, "%s", cmd) < 0) {
        return -E2BIG;
    }
    for (char *w = strtok_r(buf, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
        if (n + 1 >= max) {
            return -E2BIG;
        }
        argv[n++] = w;
    }
    argv[n] = NULL;
    return n > 0 ? 0 : -EINVAL;
}

/*
 * Run @script and return its first line in *@ret (malloc'd).  A plain
 * command is run directly; one with shell syntax as /bin/sh -c SCRIPT, as
 * fence-agents runs it.  Either way through ra_run: an argv vector, a
 * minimal environment, a deadline, the output captured (never system()).
 */
static int
run_secret_script(struct ra_fence *f, const char *script, char **ret)
{
    char words[LINE_MAX_LEN], path[512];
    const char *argv[32] = { "/bin/sh", "-c", script, NULL };
    const char *name = "/bin/sh -c";
    struct ra_run_result res;
    struct ra_deadline d;
    struct ra_cmd cmd = { .argv = argv, .deadline = &d };
    int r;

    if (!needs_shell(script)) {
        if (split_words(script, words, sizeof(words), argv, RA_NELEM(argv)) < 0) {
            return ra_fence_fail(f, "'%s' is not a command line", script);
        }
        if (strchr(argv[0], '/') == NULL) {
            if (ra_run_which(argv[0], path, sizeof(path)) < 0) {
                return ra_fence_fail(f, "secret script '%s' not found", argv[0]);
            }
            argv[0] = path;
        }
        name = argv[0];
    }
    ra_deadline_init(&d, 10000 + ra_deadline_margin_ms(10000));
    r = ra_run(&cmd, &res);
    if (r == 0 && ra_run_ok(&res) && res.out != NULL) {
        res.out[strcspn(res.out, "\r\n")] = '\0';
    }
    /* no password, or one cut short, is no password: never try a login with it */
    if (r < 0 || !ra_run_ok(&res) || res.out_truncated || res.out == NULL || res.out[0] == '\0') {
        bool ran = r == 0 && ra_run_ok(&res);
        bool cut = ran && res.out_truncated;

        if (res.out != NULL) {
            explicit_bzero(res.out, res.out_len); /* what it printed may be the secret */
        }
        ra_run_result_release(&res);
        return ra_fence_fail(f, "secret script '%s' %s", name,
                             !ran  ? "failed"
                             : cut ? "printed too much"
                                   : "printed no password");
    }
    *ret = res.out; /* kept in memory, wiped at the end */
    res.out = NULL;
    explicit_bzero(res.err, res.err_len);
    ra_run_result_release(&res);
    ra_log_add_secret(&f->log, *ret);
    return 0;
}

static int
run_password_script(struct ra_fence *f, const char *script)
{
    if (run_secret_script(f, script, &f->password) < 0) {
        return -1;
    }
    f->password_owned = true;
    return 0;
}

const char *
ra_fence_secret(struct ra_fence *f, const char *param, const char *script_param)
{
    const char *v = ra_fence_str(f, param);
    const char *script = script_param ? ra_fence_str(f, script_param) : NULL;
    size_t i;

    if (v != NULL || script == NULL) {
        return v;
    }
    for (i = 0; i < RA_NELEM(f->secrets) && f->secrets[i] != NULL; i++) {
    }
    if (i == RA_NELEM(f->secrets) || run_secret_script(f, script, &f->secrets[i]) < 0) {
        return NULL;
    }
    return f->secrets[i];
}

/* ------------------------------------------------------------ steps */

static void
step_begin_extra(struct ra_fence *f, const char *timeout_param, uint64_t extra_ms)
{
    uint64_t ms = ra_fence_ms(f, timeout_param) + extra_ms;

    if (f->step_cap_ms > ms) {
        ms = f->step_cap_ms; /* disable_timeout: long, but never unbounded */
    }
    f->step.end_ms = ra_now_ms() + ms;
}

static void
step_begin(struct ra_fence *f, const char *timeout_param)
{
    step_begin_extra(f, timeout_param, 0);
}

/*
 * A whole outlet list: fence-agents gives a walk shell_timeout +
 * login_timeout + 30 s (fencing_snmp.py), not one command's time.
 */
static void
step_begin_list(struct ra_fence *f)
{
    step_begin_extra(f, "shell_timeout", ra_fence_ms(f, "login_timeout") + 30000);
}

static int
get_power(struct ra_fence *f, const char *plug, bool *ret_on)
{
    step_begin(f, "shell_timeout");
    return f->agent->get_power(f, plug, ret_on);
}

static int
set_power(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd)
{
    step_begin(f, "shell_timeout");
    return f->agent->set_power(f, plug, cmd);
}

/* Plugs to act on: none (single-target devices), or plug split by plug_separator, any number. */
struct plugs {
    char *buf;
    const char **v;
    size_t n;
};

static void
plugs_release(struct plugs *pl)
{
    free(pl->buf);
    free(pl->v);
    pl->buf = NULL;
    pl->v = NULL;
}

static int
load_plugs(struct ra_fence *f, struct plugs *pl)
{
    const char *plug =
        ra_param_index(f->params, f->nparams, "plug") >= 0 ? ra_fence_str(f, "plug") : NULL;
    const char *sep = ra_fence_str(f, "plug_separator");
    char *tok, *save = NULL;
    size_t max = 1;

    memset(pl, 0, sizeof(*pl));
    if (plug == NULL) {
        plug = store_get("nodename", f); /* the fencer names the node it fences */
    }
    if (plug == NULL || *plug == '\0') {
        return ra_fence_fail(f, "no plug given (plug, port or nodename)");
    }
    sep = sep && *sep ? sep : ",";
    for (const char *c = plug; *c != '\0'; c++) {
        max += strchr(sep, *c) != NULL;
    }
    pl->buf = strdup(plug);
    pl->v = calloc(max, sizeof(*pl->v));
    if (pl->buf == NULL || pl->v == NULL) {
        plugs_release(pl);
        return ra_fence_fail(f, "out of memory");
    }
    for (tok = strtok_r(pl->buf, sep, &save); tok != NULL; tok = strtok_r(NULL, sep, &save)) {
        pl->v[pl->n++] = tok;
    }
    if (pl->n == 0) {
        plugs_release(pl);
        return ra_fence_fail(f, "no plug given");
    }
    return 0;
}

/* Status of all plugs: on if any is on. */
static int
status_all(struct ra_fence *f, const struct plugs *pl, bool *ret_on)
{
    bool any = false;

    for (size_t i = 0; i < pl->n; i++) {
        bool on = false;

        if (get_power(f, pl->v[i], &on) < 0) {
            return -1;
        }
        any = any || on;
    }
    *ret_on = any;
    return 0;
}

/*
 * Wait until every plug reports @want, polling every stonith_status_sleep
 * for power_timeout.  A device that cannot be read does not count as off.
 */
static int
wait_state(struct ra_fence *f, const struct plugs *pl, bool want)
{
    uint64_t end = ra_now_ms() + ra_fence_ms(f, "power_timeout");
    uint64_t sleep_ms = ra_fence_ms(f, "stonith_status_sleep");
    struct ra_deadline until = { .end_ms = end };

    for (;;) {
        bool on = !want;
        int r = status_all(f, pl, &on);

        if (r == 0 && on == want) {
            f->reason[0] = '\0';
            return 0;
        }
        if (ra_now_ms() >= end) {
            if (r < 0) {
                return ra_fence_fail(f,
                                     "timed out waiting for power %s: the device's state "
                                     "cannot be read (%s)",
                                     want ? "ON" : "OFF", f->reason);
            }
            return ra_fence_fail(f, "timed out waiting to power %s", want ? "ON" : "OFF");
        }
        (void)ra_deadline_sleep(&until, sleep_ms ? sleep_ms : 1000);
    }
}

/*
 * Set every plug to @want and wait until the device reports it.  @known_off:
 * the caller has just verified the node off (a reboot), so the state need
 * not be asked again first.
 */
static int
power_to(struct ra_fence *f, const struct plugs *pl, bool want, bool known_off)
{
    struct ra_deadline wait;
    bool on = !want;

    if (!known_off && status_all(f, pl, &on) < 0) {
        return -1;
    }
    if (!known_off && on == want) {
        printf("Success: Already %s\n", want ? "ON" : "OFF");
        return 0;
    }
    for (size_t i = 0; i < pl->n; i++) {
        if (set_power(f, pl->v[i], want ? RA_POWER_ON : RA_POWER_OFF) < 0) {
            return -1; /* a refusal fails at once */
        }
    }
    wait.end_ms = ra_now_ms() + ra_fence_ms(f, "power_wait");
    (void)ra_deadline_sleep(&wait, ra_fence_ms(f, "power_wait"));
    if (wait_state(f, pl, want) < 0) {
        return -1;
    }
    printf("Success: Powered %s\n", want ? "ON" : "OFF");
    return 0;
}

static int
power_on_retrying(struct ra_fence *f, const struct plugs *pl, bool known_off)
{
    long long tries = ra_fence_int(f, "retry_on");

    for (long long i = 0; i < tries; i++) {
        if (power_to(f, pl, true, known_off && i == 0) == 0) {
            return 0;
        }
    }
    return -1;
}

static int
reboot(struct ra_fence *f, const struct plugs *pl)
{
    const char *method =
        ra_param_index(f->params, f->nparams, "method") >= 0 ? ra_fence_str(f, "method") : "onoff";

    if (strcmp(method, "cycle") == 0) {
        struct ra_deadline wait;
        bool on = false;

        for (size_t i = 0; i < pl->n; i++) {
            if (set_power(f, pl->v[i], RA_POWER_CYCLE) < 0) {
                return -1;
            }
        }
        /* the device accepted the cycle; it must answer again, and say the node is on */
        wait.end_ms = ra_now_ms() + ra_fence_ms(f, "power_wait");
        (void)ra_deadline_sleep(&wait, ra_fence_ms(f, "power_wait"));
        if (wait_state(f, pl, true) < 0 || status_all(f, pl, &on) < 0) {
            return -1;
        }
        printf("Success: Rebooted\n");
        return 0;
    }
    if (power_to(f, pl, false, false) < 0) {
        return -1;
    }
    /* the node is off: fenced.  Power on is best effort, as in fence-agents */
    if (power_on_retrying(f, pl, true) < 0) {
        ra_log(&f->log, RA_LOG_WARN, "the node is off (fenced) but did not power on again");
    }
    printf("Success: Rebooted\n");
    return 0;
}

static void
emit_plug(struct ra_fence *f, const char *plug, const char *alias, int on)
{
    const char *sep = ra_param_index(f->params, f->nparams, "separator") >= 0
                          ? ra_fence_str(f, "separator")
                          : ",";

    if (f->list_rc == 1) {
        printf("%s%s%s%s%s\n", plug, sep, alias ? alias : "", sep,
               on < 0 ? "UNKNOWN"
               : on   ? "ON"
                      : "OFF");
    } else {
        printf("%s%s%s\n", plug, sep, alias ? alias : "");
    }
}

/* ------------------------------------------------------------ actions */

static const char *const actions[] = {
    "on",       "off",       "reboot",  "status",       "monitor", "list", "list-status",
    "metadata", "meta-data", "manpage", "validate-all", "diag",    NULL,
};

static int
check_required(struct ra_fence *f, const char *action)
{
    const struct ra_fence_agent *a = f->agent;

    (void)action;
    if (ra_param_index(f->params, f->nparams, "ip") >= 0 && ra_fence_str(f, "ip") == NULL) {
        return ra_fence_fail(f, "required option 'ip' (ipaddr) is not set");
    }
    if (!(a->flags & RA_FENCE_NO_LOGIN) && ra_param_index(f->params, f->nparams, "username") >= 0 &&
        ra_fence_str(f, "username") == NULL) {
        return ra_fence_fail(f, "required option 'username' (login) is not set");
    }
    if (!(a->flags & RA_FENCE_NO_PASSWORD) &&
        ra_param_index(f->params, f->nparams, "password") >= 0 &&
        ra_fence_str(f, "password") == NULL && ra_fence_str(f, "password_script") == NULL) {
        return ra_fence_fail(f, "a password or password_script is required");
    }
    return a->validate != NULL ? a->validate(f) : 0;
}

/* The device part of an action: connect, act, disconnect.  Returns the exit code. */
static int
device_action(struct ra_fence *f, const char *action)
{
    const struct ra_fence_agent *a = f->agent;
    struct plugs pl = { .n = 1, .v = (const char *[]){ NULL } };
    bool on = false;
    int rc = RA_FENCE_FAIL;
    bool needs_plug = (a->flags & RA_FENCE_PLUGS) && strcmp(action, "list") != 0 &&
                      strcmp(action, "list-status") != 0 && strcmp(action, "monitor") != 0;

    if (needs_plug && load_plugs(f, &pl) < 0) {
        return RA_FENCE_FAIL;
    }
    if ((strcmp(action, "off") == 0 || strcmp(action, "reboot") == 0) &&
        ra_fence_ms(f, "delay") > 0) {
        struct ra_deadline d = { .end_ms = ra_now_ms() + ra_fence_ms(f, "delay") };

        ra_log(&f->log, RA_LOG_INFO, "delay %llu ms before fencing",
               (unsigned long long)ra_fence_ms(f, "delay"));
        (void)ra_deadline_sleep(&d, ra_fence_ms(f, "delay"));
    }
    step_begin(f, "login_timeout");
    if (a->connect(f) < 0) {
        goto out;
    }
    if (strcmp(action, "status") == 0) {
        if (get_power(f, pl.v[0], &on) == 0 && (pl.n == 1 || status_all(f, &pl, &on) == 0)) {
            printf("Status: %s\n", on ? "ON" : "OFF");
            rc = on ? RA_FENCE_OK : RA_FENCE_STATUS_OFF;
        }
    } else if (strcmp(action, "monitor") == 0) {
        if (a->ping != NULL) {
            step_begin(f, "shell_timeout");
            rc = a->ping(f) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
        } else if (a->list != NULL) {
            step_begin_list(f);
            f->list_rc = -1; /* count only */
            rc = a->list(f, NULL) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
        } else {
            rc = get_power(f, pl.v[0], &on) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
        }
    } else if (strcmp(action, "list") == 0 || strcmp(action, "list-status") == 0) {
        step_begin_list(f);
        f->list_rc = strcmp(action, "list-status") == 0;
        rc = a->list(f, emit_plug) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "off") == 0 && a->off != NULL) {
        rc = a->off(f) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "reboot") == 0 && a->reboot != NULL) {
        rc = a->reboot(f) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "on") == 0) {
        rc = power_on_retrying(f, &pl, false) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "off") == 0) {
        rc = power_to(f, &pl, false, false) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "reboot") == 0) {
        rc = reboot(f, &pl) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    } else if (strcmp(action, "diag") == 0) {
        /* an NMI cannot be verified: the device accepting it is all we know */
        rc = set_power(f, pl.v[0], RA_POWER_DIAG) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    }
out:
    if (a->disconnect != NULL) {
        step_begin(f, "shell_timeout");
        a->disconnect(f);
    }
    if (needs_plug) {
        plugs_release(&pl);
    }
    return rc;
}

static void
usage(const struct ra_fence *f, FILE *out)
{
    fprintf(out, "usage: %s [options]   (or key=value lines on stdin)\n", f->invoked_as);
    for (size_t i = 0; i < f->nparams; i++) {
        const struct ra_param *p = &f->params[i];

        if (p->alias_of != NULL || p->opt_long == NULL) {
            continue;
        }
        fprintf(out, "  %s%c%s--%s%s%s  %s\n", p->opt_short ? "-" : "  ",
                p->opt_short ? p->opt_short : ' ', p->opt_short ? ", " : "  ", p->opt_long,
                p->opt_arg ? "=" : "", p->opt_arg ? p->opt_arg : "", p->shortdesc);
    }
}

static void
write_metadata(const struct ra_fence *f, FILE *out, bool man)
{
    const struct ra_fence_agent *a = f->agent;
    const char *acts[16];
    size_t n = 0;

    for (size_t i = 0; actions[i] != NULL; i++) {
        if ((strcmp(actions[i], "list") == 0 || strcmp(actions[i], "list-status") == 0) &&
            a->list == NULL) {
            continue;
        }
        if (strcmp(actions[i], "diag") == 0 && !(a->flags & RA_FENCE_DIAG)) {
            continue;
        }
        if (strcmp(actions[i], "meta-data") == 0) {
            continue;
        }
        acts[n++] = actions[i];
    }
    acts[n] = NULL;
    {
        struct ra_meta_fence m = {
            .name = a->name,
            .shortdesc = a->shortdesc,
            .longdesc = a->longdesc,
            .vendor_url = a->vendor_url,
            .params = f->params,
            .nparams = f->nparams,
            .actions = acts,
        };
        const char *names[16], *descs[16];

        for (size_t i = 0; i < a->nsymlinks && i < 15; i++) {
            names[i] = a->symlinks[i].name;
            descs[i] = a->symlinks[i].shortdesc;
        }
        m.symlink_names = names;
        m.symlink_descs = descs;
        m.nsymlinks = a->nsymlinks < 15 ? a->nsymlinks : 15;
        if (man) {
            ra_man_write_fence(&m, out);
        } else {
            ra_meta_write_fence(&m, out);
        }
    }
}

static int
run(struct ra_fence *f, const char *action)
{
    char why[512];
    const char *script;

    if (ra_param_load_from(f->params, f->nparams, f->values, store_get, f, false, why,
                           sizeof(why)) < 0) {
        ra_fence_fail(f, "%s", why);
        return RA_FENCE_FAIL;
    }
    for (size_t i = 0; i < f->nparams; i++) {
        if ((f->params[i].flags & RA_P_SECRET) && f->values[i].str != NULL) {
            ra_log_add_secret(&f->log, f->values[i].str);
        }
        if (f->params[i].alias_of != NULL && f->values[i].given &&
            strcmp(f->params[i].name, "option") != 0) {
            ra_log(&f->log, RA_LOG_DEBUG, "option '%s' is deprecated, use '%s'", f->params[i].name,
                   f->params[i].alias_of);
        }
    }
    if (ra_fence_given(f, "verbose") || ra_fence_int(f, "verbose_level") > 0) {
        f->log.debug = true;
    }
    if (ra_fence_str(f, "debug_file") != NULL) {
        f->log.logfile = f->log.debuglog = ra_fence_str(f, "debug_file");
    }
    if (ra_fence_bool(f, "quiet")) {
        f->log.to_stderr = false;
    }
    /* fence-agents under Pacemaker's fencer drop their own timeouts; we keep a long one */
    if (ra_fence_given(f, "disable_timeout") ? ra_fence_bool(f, "disable_timeout")
                                             : ra_env_is_fencer()) {
        f->step_cap_ms = 60000;
    }
    if (ra_fence_bool(f, "help")) {
        usage(f, stdout);
        return RA_FENCE_OK;
    }
    if (ra_fence_bool(f, "version")) {
        printf("%s (rampart) %s\n", f->invoked_as, PACKAGE_VERSION);
        return RA_FENCE_OK;
    }
    if (!in_list(actions, action) ||
        (strcmp(action, "diag") == 0 && !(f->agent->flags & RA_FENCE_DIAG)) ||
        ((strcmp(action, "list") == 0 || strcmp(action, "list-status") == 0) &&
         f->agent->list == NULL)) {
        char q[80];

        ra_fence_fail(f, "action '%s' is not supported", ra_escape(action, q, sizeof(q)));
        return RA_FENCE_FAIL;
    }
    if (strcmp(action, "metadata") == 0 || strcmp(action, "meta-data") == 0 ||
        strcmp(action, "manpage") == 0) {
        write_metadata(f, stdout, strcmp(action, "manpage") == 0);
        return fflush(stdout) == 0 ? RA_FENCE_OK : RA_FENCE_FAIL;
    }
    if (check_required(f, action) < 0) {
        return RA_FENCE_FAIL;
    }
    if (strcmp(action, "validate-all") == 0) {
        return RA_FENCE_OK;
    }
    script = ra_param_index(f->params, f->nparams, "password_script") >= 0
                 ? ra_fence_str(f, "password_script")
                 : NULL;
    if (ra_param_index(f->params, f->nparams, "password") >= 0) {
        f->password = (char *)(uintptr_t)ra_fence_str(f, "password");
    }
    if (f->password == NULL && script != NULL && run_password_script(f, script) < 0) {
        return RA_FENCE_FAIL;
    }
    return device_action(f, action);
}

/* ------------------------------------------------------------ cluster-glue */

static const char *const external_ops[] = {
    "gethosts",
    "on",
    "off",
    "reset",
    "status",
    "getconfignames",
    "getinfo-devid",
    "getinfo-devname",
    "getinfo-devdescr",
    "getinfo-devurl",
    "getinfo-xml",
    NULL,
};

/*
 * cluster-glue's external plugin protocol: `AGENT op [host]` with every
 * parameter in an environment variable of its own name.  The hosts this
 * device fences are in "hostlist" (or "hostname").
 */
static int
external(struct ra_fence *f, int argc, char **argv)
{
    const struct ra_fence_agent *a = f->agent;
    const char *op = argv[1];
    const char *hosts = ra_env_get("hostlist");
    char why[512];

    if (hosts == NULL) {
        hosts = ra_env_get("hostname");
    }
    if (strcmp(op, "getconfignames") == 0) {
        for (size_t i = 0; i < f->nparams; i++) {
            if (f->params[i].alias_of == NULL &&
                !in_list((const char *const[]){ "action", "quiet", "verbose", "verbose_level",
                                                "debug_file", "version", "help", NULL },
                         f->params[i].name)) {
                printf("%s\n", f->params[i].name);
            }
        }
        printf("hostlist\n");
        return 0;
    }
    if (strncmp(op, "getinfo-", 8) == 0) {
        if (strcmp(op, "getinfo-xml") == 0) {
            ra_meta_write_plugin_xml(f->params, f->nparams, stdout);
        } else {
            printf("%s\n", strcmp(op, "getinfo-devid") == 0     ? a->name
                           : strcmp(op, "getinfo-devname") == 0 ? a->shortdesc
                           : strcmp(op, "getinfo-devurl") == 0
                               ? (a->vendor_url ? a->vendor_url : "")
                               : a->longdesc);
        }
        return 0;
    }
    if (strcmp(op, "gethosts") == 0) {
        const char *pos = hosts;
        char word[256];

        while (ra_list_next(&pos, word, sizeof(word))) {
            printf("%s\n", word);
        }
        return 0;
    }
    /* parameters come from the environment, named as in our table */
    if (ra_param_load_from(f->params, f->nparams, f->values, env_get, NULL, false, why,
                           sizeof(why)) < 0) {
        ra_fence_fail(f, "%s", why);
        return 1;
    }
    for (size_t i = 0; i < f->nparams; i++) {
        if (f->params[i].flags & RA_P_SECRET) {
            ra_log_add_secret(&f->log, f->values[i].str);
        }
        if (f->values[i].str != NULL && store_set(f, f->params[i].name, f->values[i].str) < 0) {
            return 1;
        }
    }
    if (strcmp(op, "status") == 0) {
        /* a one-target device with only a hostlist: the device is its first host */
        if (!(f->agent->flags & RA_FENCE_PLUGS) && hosts != NULL &&
            ra_param_index(f->params, f->nparams, "ip") >= 0 && store_get("ip", f) == NULL) {
            const char *pos = hosts;
            char first[256];

            if (ra_list_next(&pos, first, sizeof(first)) && store_set(f, "ip", first) < 0) {
                return 1;
            }
        }
        return run(f, "monitor") == RA_FENCE_OK ? 0 : 1;
    }
    if (argc < 3) {
        ra_fence_fail(f, "%s needs a host", op);
        return 1;
    }
    if (hosts != NULL) {
        const char *pos = hosts;
        char word[256];
        bool mine = false;

        while (ra_list_next(&pos, word, sizeof(word))) {
            mine = mine || strcasecmp(word, argv[2]) == 0;
        }
        if (!mine) {
            ra_fence_fail(f, "host '%s' is not in hostlist", argv[2]);
            return 1;
        }
    }
    if ((f->agent->flags & RA_FENCE_PLUGS) && store_set(f, "plug", argv[2]) < 0) {
        return 1;
    }
    /* a one-target device (ssh): the host named is the one to reach */
    if (!(f->agent->flags & RA_FENCE_PLUGS) && ra_param_index(f->params, f->nparams, "ip") >= 0 &&
        store_get("ip", f) == NULL && store_set(f, "ip", argv[2]) < 0) {
        return 1;
    }
    return run(f, strcmp(op, "reset") == 0 ? "reboot" : op) == RA_FENCE_OK ? 0 : 1;
}

/* ------------------------------------------------------------ main */

int
ra_fence_main(const struct ra_fence_agent *agent, int argc, char **argv)
{
    struct ra_fence f;
    const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
    const char *action;
    int rc;

    /* no core dump, no ptrace by others: the memory will hold passwords */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    memset(&f, 0, sizeof(f));
    f.agent = agent;
    f.invoked_as = slash ? slash + 1 : (argc > 0 ? argv[0] : agent->name);
    ra_log_init(&f.log, f.invoked_as, "fence");
    /* fencing.py writes to stderr, not to HA_LOGFILE; Pacemaker logs it */
    f.log.to_stderr = true;
    if (build_params(&f) < 0 ||
        (agent->data_size && (f.data = calloc(1, agent->data_size)) == NULL)) {
        fprintf(stderr, "ERROR: out of memory\n");
        return RA_FENCE_FAIL;
    }
    if (argc >= 2 && argv[1][0] != '-' && in_list(external_ops, argv[1])) {
        rc = external(&f, argc, argv);
    } else {
        rc = (argc > 1 ? read_args(&f, argc, argv) : read_stdin(&f)) < 0 ? -1 : 0;
        action = store_get("action", &f);
        if (action == NULL) {
            action = store_get("option", &f); /* the rgmanager spelling */
        }
        rc = rc < 0 ? RA_FENCE_FAIL : run(&f, action ? action : "reboot");
    }
    fflush(stdout); /* a failure's reason went to stderr (and the log) once */
    if (f.password_owned && f.password != NULL) {
        explicit_bzero(f.password, strlen(f.password));
        free(f.password);
    }
    for (size_t i = 0; i < RA_NELEM(f.secrets) && f.secrets[i] != NULL; i++) {
        explicit_bzero(f.secrets[i], strlen(f.secrets[i]));
        free(f.secrets[i]);
    }
    store_clear(&f);
    ra_log_release(&f.log);
    free(f.params);
    free(f.values);
    free(f.data);
    return rc;
}
