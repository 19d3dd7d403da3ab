/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:rampart:nfsnotify: tell NFSv3 clients the server they lock files on has
 * restarted (sm-notify), from the address they know it by; a drop-in for
 * ocf:heartbeat:nfsnotify.  It goes after the floating address in the group:
 * sm-notify sends from that address, which nfsserver's own notification,
 * before the address is up, cannot.  Clients then reclaim their locks during
 * the grace period.
 *
 * Running means: notified for the rpc.statd that runs now.  start records
 * statd's pid after sm-notify ran; monitor (no child process) is 0 while that
 * statd lives, a failure once it is gone or replaced (a new statd knows no
 * clients until they are told again), 7 with no record.  stop ends any
 * sm-notify still retrying and keeps the record as the previous one: a start
 * for the same statd is a renotification, sent from a copy of statd's
 * directory so that the real list is not consumed twice.  statd's list is
 * copied once, before any sm-notify runs, and every address after the first
 * is told from a copy of that: the first sm-notify moves the real list.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "nfs.h"
#include "proc.h"
#include "state.h"
#include "str.h"

#define HOST_MAX 253

static bool
valid_hosts(const char *v, const char **why)
{
    size_t n = 0;

    if (strspn(v, ".:-_, 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
        strlen(v)) {
        *why = "must be addresses or host names, separated by commas";
        return false;
    }
    for (const char *p = v + strspn(v, ", "); *p != '\0'; p += strspn(p, ", ")) {
        size_t len = strcspn(p, ", ");

        if (len > HOST_MAX || p[0] == '-' || ++n > 8) {
            *why = "must be at most 8 addresses or names (of at most 253 characters)";
            return false;
        }
        p += len;
    }
    if (n == 0 && v[0] != '\0') {
        *why = "has no address in it";
        return false;
    }
    return true;
}

static const struct ra_param nfsnotify_params[] = {
    { .name = "source_host",
      .type = RA_T_STRING,
      .def = "",
      .valid = valid_hosts,
      .shortdesc = "source IP addresses",
      .longdesc = "Comma-separated addresses (or names) clients know the server by: one "
                  "sm-notify for each, sent from it (-v).  Empty: the node's own name." },
    { .name = "notify_args",
      .type = RA_T_STRING,
      .def = "",
      .valid = ra_valid_words,
      .shortdesc = "sm-notify arguments",
      .longdesc = "More sm-notify arguments, as words (-f is always given)." },
};

struct notifyconf {
    char record[PATH_MAX], prev[PATH_MAX];
    char statd[PATH_MAX - 300]; /* statd's directory (lib/nfs.c finds it) */
};

static int
nfsnotify_validate(struct ra_ctx *ctx)
{
    struct notifyconf *c = ctx->data;

    if (ra_ctx_state_path(ctx, ".statd", c->record, sizeof(c->record)) < 0 ||
        ra_ctx_state_path(ctx, ".statd.prev", c->prev, sizeof(c->prev)) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "resource name too long");
    }
    ra_nfs_statd_dir(RA_NFS_CONF, c->statd, sizeof(c->statd));
    return OCF_SUCCESS;
}

/* The one rpc.statd's pid: 0 with none, -1 with several or no process table. */
static pid_t
statd_pid(void)
{
    struct ra_pids p;
    pid_t pid = -1;

    if (ra_proc_by_comm("rpc.statd", &p) == 0) {
        pid = p.n == 0 ? 0 : p.n == 1 ? p.v[0] : -1;
    }
    ra_pids_release(&p);
    return pid;
}

/* The statd pid in @path: 0 when there is no record, -1 when it cannot be read. */
static long long
recorded(const char *path)
{
    long long v;
    int r = ra_state_read_int(path, 1, INT32_MAX, &v);

    return r == 0 ? v : r == -ENOENT ? 0 : -1;
}

static int
nfsnotify_monitor(struct ra_ctx *ctx)
{
    const struct notifyconf *c = ctx->data;
    long long want = recorded(c->record);
    pid_t now;

    if (want == 0) {
        return OCF_NOT_RUNNING; /* never notified (or stopped) here */
    }
    if (want < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "%s cannot be read", c->record);
    }
    now = statd_pid();
    if (now != (pid_t)want) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       now == 0  ? "rpc.statd (pid %lld) is gone: clients must be told again"
                       : now < 0 ? "rpc.statd (pid %lld) cannot be told from the others"
                                 : "rpc.statd (pid %lld) was replaced: clients must be told again",
                       want);
    }
    return OCF_SUCCESS;
}

/* End every sm-notify still retrying (of a previous start, ours or not): true once none is. */
static bool
end_notifies(struct ra_ctx *ctx)
{
    for (int round = 0;; round++) {
        struct ra_pids p;
        int r = ra_proc_by_comm("sm-notify", &p);
        size_t n = p.n;

        if (r == 0 && n > 0 && round < 40) {
            if (round == 0) {
                ra_info(ctx, "ending %zu sm-notify still retrying", n);
            }
            ra_proc_signal(&p, round < 20 ? SIGTERM : SIGKILL);
        }
        ra_pids_release(&p);
        if (r < 0 || n == 0 || round == 40) {
            return r == 0 && n == 0;
        }
        if (ra_deadline_sleep(&ctx->deadline, 50) < 0) {
            return false;
        }
    }
}

/* statd's records and state copied into its subdirectory @to (for sm-notify -P). */
static int
copy_statd(struct ra_ctx *ctx, const char *to)
{
    const struct notifyconf *c = ctx->data;
    char sm[NAME_MAX + 16], bak[NAME_MAX + 16];
    const char *from = strcmp(to, "nfsnotify.bu") == 0 ? "" : "nfsnotify.bu/";
    char fsm[NAME_MAX + 32], fbak[NAME_MAX + 32];
    int r;

    ra_format_cut(sm, sizeof(sm), "%s/sm", to);
    ra_format_cut(bak, sizeof(bak), "%s/sm.bak", to);
    ra_format_cut(fsm, sizeof(fsm), "%ssm", from);
    ra_format_cut(fbak, sizeof(fbak), "%ssm.bak", from);
    r = ra_nfs_sync_records(c->statd, fsm, sm, false);
    if (r == 0) {
        r = ra_nfs_sync_records(c->statd, fbak, bak, false);
    }
    if (r == -ENOENT && strcmp(fbak, "sm.bak") == 0) {
        r = 0; /* no sm.bak yet: sm-notify makes it */
    }
    if (r == 0 && ra_nfs_copy_state(c->statd, to) < 0) {
        ra_debug(ctx, "no state number copied to %s (sm-notify starts one)", to);
    }
    return r < 0 ? ra_fail(ctx, OCF_ERR_GENERIC, "cannot copy statd's records in %s to %s: %s",
                           c->statd, to, strerror(-r))
                 : OCF_SUCCESS;
}

static int
nfsnotify_start(struct ra_ctx *ctx)
{
    const struct notifyconf *c = ctx->data;
    const char *hosts = ra_str0(ctx, "source_host"), *pos = ra_str0(ctx, "notify_args");
    const char *opts[RA_WORDS_MAX + 1];
    char words[RA_WORDS_MAX][RA_WORD_MAX + 2], line[32], host[HOST_MAX + 1], copy[PATH_MAX];
    size_t n = 0;
    bool renotify, first = true;
    pid_t statd;
    int rc;

    if (nfsnotify_monitor(ctx) == OCF_SUCCESS) {
        return OCF_SUCCESS;
    }
    ctx->reason[0] = '\0';
    statd = statd_pid();
    if (statd <= 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC,
                       statd == 0 ? "rpc.statd is not running (start nfsserver first)"
                                  : "rpc.statd cannot be told from the others");
    }
    if (!end_notifies(ctx)) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "an sm-notify of before does not end");
    }
    while (n < RA_WORDS_MAX && ra_list_next(&pos, words[n], sizeof(words[0]))) {
        opts[n] = words[n];
        n++;
    }
    opts[n] = NULL;
    /* one snapshot of statd's list before any sm-notify moves it: each address after
     * the first is told from a copy of it */
    if ((rc = copy_statd(ctx, "nfsnotify.bu")) != OCF_SUCCESS) {
        return rc;
    }
    /* the same statd told before (a restart of this resource): only copies are used */
    renotify = recorded(c->prev) == (long long)statd;
    if (renotify) {
        ra_info(ctx, "renotifying the clients of rpc.statd %d", (int)statd);
    }
    if (hosts[0] == '\0') {
        ra_format_cut(copy, sizeof(copy), "%s/nfsnotify.bu", c->statd);
        rc = ra_nfs_notify(ctx, opts, NULL, renotify ? copy : NULL);
    }
    for (const char *p = hosts + strspn(hosts, ", "); rc == OCF_SUCCESS && *p != '\0';
         p += strspn(p, ", ")) {
        size_t len = strcspn(p, ", ");
        char name[NAME_MAX + 1];

        ra_format_cut(host, sizeof(host), "%.*s", (int)len, p);
        p += len;
        if (renotify || !first) {
            if (ra_format(name, sizeof(name), "nfsnotify_%s_%s", ra_instance(ctx), host) < 0) {
                return ra_fail(ctx, OCF_ERR_CONFIGURED, "resource name and %s too long", host);
            }
            for (char *q = name; *q != '\0'; q++) {
                *q = *q == '/' ? '_' : *q;
            }
            if ((rc = copy_statd(ctx, name)) != OCF_SUCCESS) {
                return rc;
            }
            ra_format_cut(copy, sizeof(copy), "%s/%s", c->statd, name);
        }
        /* the first one reads (and moves) statd's real list */
        rc = ra_nfs_notify(ctx, opts, host, renotify || !first ? copy : NULL);
        first = false;
    }
    if (rc != OCF_SUCCESS) {
        return rc;
    }
    ra_format_cut(line, sizeof(line), "%d\n", (int)statd);
    if (ra_state_write(c->record, line, strlen(line)) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot write %s", c->record);
    }
    return OCF_SUCCESS;
}

static int
nfsnotify_stop(struct ra_ctx *ctx)
{
    const struct notifyconf *c = ctx->data;

    if (!end_notifies(ctx)) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "sm-notify does not end");
    }
    if (ra_state_exists(c->record) && rename(c->record, c->prev) < 0) {
        return ra_fail(ctx, OCF_ERR_GENERIC, "cannot move %s: %s", c->record, strerror(errno));
    }
    return OCF_SUCCESS;
}

static const struct ra_action nfsnotify_actions[] = {
    { .name = "start", .fn = nfsnotify_start, .timeout_s = 90 },
    { .name = "stop", .fn = nfsnotify_stop, .timeout_s = 90 },
    { .name = "monitor", .fn = nfsnotify_monitor, .timeout_s = 90, .interval_s = 30 },
    { .name = "meta-data", .timeout_s = 10 },
    { .name = "validate-all", .timeout_s = 20 },
};

static const struct ra_agent nfsnotify_agent = {
    .name = "nfsnotify",
    .shortdesc = "sm-notify reboot notifications",
    .longdesc = "Tells NFSv3 clients, through sm-notify, that the server restarted, from each "
                "address they know it by, so that they reclaim their locks.  Put it after the "
                "floating address.  monitor (no child process) follows the rpc.statd that was "
                "running when the clients were told.",
    .params = nfsnotify_params,
    .nparams = RA_NELEM(nfsnotify_params),
    .actions = nfsnotify_actions,
    .nactions = RA_NELEM(nfsnotify_actions),
    .validate = nfsnotify_validate,
    .data_size = sizeof(struct notifyconf),
};

int
main(int argc, char **argv)
{
    return ra_main(&nfsnotify_agent, argc, argv);
}
