/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fence-agent driver: everything that is the same for every fence
 * device, implemented once.  An agent declares its device parameters and
 * five device operations (connect, get power, set power, optionally list,
 * disconnect); ra_fence_main does the rest:
 *
 *  - input as the fence agent API has it: key=value lines on stdin when
 *    there are no arguments (Pacemaker's fencer, fenced), long and short
 *    options otherwise, and the cluster-glue external-plugin protocol
 *    (`AGENT reset HOST`, parameters in the environment);
 *  - the common options (delay, power_wait, power_timeout, login_timeout,
 *    shell_timeout, stonith_status_sleep, retry_on, method, verbose, ...)
 *    with the old names (option, ipaddr, login, passwd, passwd_script,
 *    port) still accepted;
 *  - the actions and their exit codes (0 success, 1 failure; status 0 on,
 *    2 off, 1 unknown), the reboot sequence, and the verification of every
 *    power change by polling the device until it reports the target state:
 *    an unreachable device is a failure, never "off";
 *  - fence-agents metadata and a man page from the same table;
 *  - secrets (password, or password_script's output, held in memory only)
 *    kept out of argv, logs, messages and core dumps, and wiped at the end;
 *    password_script runs directly when it is a plain command, and as
 *    /bin/sh -c SCRIPT when it has shell syntax, as fence-agents runs it;
 *  - a word on the command line that is not an option is an error, never
 *    the default action (reboot).
 */
#ifndef RA_FENCE_H
#define RA_FENCE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deadline.h"
#include "log.h"
#include "param.h"

enum ra_fence_rc {
    RA_FENCE_OK = 0,
    RA_FENCE_FAIL = 1,
    RA_FENCE_STATUS_OFF = 2, /* status only */
};

enum ra_power_cmd {
    RA_POWER_OFF,
    RA_POWER_ON,
    RA_POWER_CYCLE, /* the device's own power cycle (method=cycle) */
    RA_POWER_DIAG,  /* a diagnostic interrupt (NMI), where the device has one */
};

struct ra_fence;

/* Another name of the agent, with defaults of its own ("lanplus=1"). */
struct ra_fence_symlink {
    const char *name;
    const char *shortdesc;
    const char *const *defaults; /* "name=value", NULL-terminated, or NULL */
};

enum ra_fence_agent_flag {
    RA_FENCE_PLUGS = 1u << 0,       /* a multi-outlet device: plug is required, list exists */
    RA_FENCE_DIAG = 1u << 1,        /* the device can send a diagnostic interrupt */
    RA_FENCE_NO_LOGIN = 1u << 2,    /* no username needed */
    RA_FENCE_NO_PASSWORD = 1u << 3, /* no password needed */
};

/* list callback: one outlet; @on is 1, 0, or -1 for unknown */
typedef void (*ra_fence_emit)(struct ra_fence *f, const char *plug, const char *alias, int on);

/*
 * Device operations return 0 on success, or fail through ra_fence_fail()
 * (which returns -1).  Each runs within ra_fence_step(f), the budget of the
 * current step (login_timeout for connect, shell_timeout for a command).
 */
struct ra_fence_agent {
    const char *name;
    const char *shortdesc;
    const char *longdesc;
    const char *vendor_url;
    const struct ra_fence_symlink *symlinks;
    size_t nsymlinks;
    const struct ra_param *params; /* the device's own parameters */
    size_t nparams;
    const char *const *uses;     /* optional common options it takes, NULL-terminated */
    const char *const *defaults; /* "name=value" defaults of common options, or NULL */
    unsigned flags;              /* enum ra_fence_agent_flag */
    size_t data_size;            /* zeroed bytes for ra_fence_data() */
    int (*validate)(struct ra_fence *f);
    int (*connect)(struct ra_fence *f);
    int (*get_power)(struct ra_fence *f, const char *plug, bool *ret_on);
    int (*set_power)(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd);
    int (*list)(struct ra_fence *f, ra_fence_emit emit); /* RA_FENCE_PLUGS only */
    /* optional: the cheapest question the device answers (monitor); else get_power */
    int (*ping)(struct ra_fence *f);
    /*
     * optional: the agent's own off and reboot, for devices whose "off" cannot
     * be read back as a state (ssh: silence is not proof).  They replace the
     * generic set-and-poll sequence and print their own "Success:" line.
     */
    int (*off)(struct ra_fence *f);
    int (*reboot)(struct ra_fence *f);
    void (*disconnect)(struct ra_fence *f);
};

/* Run @agent as the program @argv describes.  Returns the exit code. */
int ra_fence_main(const struct ra_fence_agent *agent, int argc, char **argv);

/* Parameter values (common or device; the name must be declared, else abort). */
const char *ra_fence_str(const struct ra_fence *f, const char *name);
long long ra_fence_int(const struct ra_fence *f, const char *name);
bool ra_fence_bool(const struct ra_fence *f, const char *name);
uint64_t ra_fence_ms(const struct ra_fence *f, const char *name);
bool ra_fence_given(const struct ra_fence *f, const char *name);

/* The password: the password parameter, or password_script's first line.  Never log it. */
const char *ra_fence_password(const struct ra_fence *f);

/*
 * Another secret of the device's, as the password is: the value of @param,
 * or else the first line printed by the script in @script_param (run as
 * password_script is).  Held in memory, hidden from logs, wiped at exit.
 * NULL when neither is set or the program fails (the reason is recorded).
 */
const char *ra_fence_secret(struct ra_fence *f, const char *param, const char *script_param);

/* The name the agent was called by (argv[0]'s base name). */
const char *ra_fence_invoked_as(const struct ra_fence *f);

/* The agent's zeroed private data (agent->data_size bytes). */
void *ra_fence_data(struct ra_fence *f);

/* The current step's deadline: device operations must not wait past it. */
const struct ra_deadline *ra_fence_step(const struct ra_fence *f);

/* The log, for a device operation's own messages (secrets are hidden). */
struct ra_log *ra_fence_log(struct ra_fence *f);

/* Record the failure's reason (one line, secrets hidden), log it, return -1. */
int ra_fence_fail(struct ra_fence *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
