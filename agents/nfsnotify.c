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
 * directory so that the real list is not consumed twice.
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

static bool
valid_words(const char *v, const char **why)
{
    if (strpbrk(v, "\"'`$;|&<>\\") != NULL) {
        *why = "must be plain words (no quotes or shell syntax: it is not run by a shell)";
        return false;
    }
    return true;
}

static bool
valid_hosts(const char *v, const char **why)
{
    if (strspn(v, ".:-_, 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
        strlen(v)) {
        *why = "must be addresses or host names, separated by commas";
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
      .valid = valid_words,
      .shortdesc = "sm-notify arguments",
      .longdesc = "More sm-notify arguments, as words (-f is always given)." },
};

#define STATD_PATH "/var/lib/nfs"

struct notifyconf {
    char record[PATH_MAX], prev[PATH_MAX];
};

static int
nfsnotify_validate(struct ra_ctx *ctx)
{
    struct notifyconf *c = ctx->data;

    if (ra_ctx_state_path(ctx, ".statd", c->record, sizeof(c->record)) < 0 ||
        ra_ctx_state_path(ctx, ".statd.prev", c->prev, sizeof(c->prev)) < 0) {
        return ra_fail(ctx, OCF_ERR_CONFIGURED, "resource name too long");
    }
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

static long long
recorded(const char *path)
{
    long long v;

    return ra_state_read_int(path, 1, INT32_MAX, &v) == 0 ? v : 0;
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

/* End every sm-notify still retrying (of a previous start, ours or not). */
static void
end_notifies(struct ra_ctx *ctx)
{
    for (int round = 0; round < 20; round++) {
        struct ra_pids p;

        if (ra_proc_by_comm("sm-notify", &p) < 0 || p.n == 0) {
            ra_pids_release(&p);
            return;
        }
        if (round == 0) {
            ra_info(ctx, "ending %zu sm-notify still retrying", p.n);
        }
        ra_proc_signal(&p, round < 10 ? SIGTERM : SIGKILL);
        ra_pids_release(&p);
        if (ra_deadline_sleep(&ctx->deadline, 50) < 0) {
            return;
        }
    }
}

/* A copy of statd's records and state for one more sm-notify (-P): the real list stays. */
static void
copy_statd(const char *to)
{
    char sm[PATH_MAX], bak[PATH_MAX], st[PATH_MAX], buf[64];
    struct stat owner;
    int n;

    (void)mkdir(to, 0755);
    ra_format_cut(sm, sizeof(sm), "%s/sm", to);
    ra_format_cut(bak, sizeof(bak), "%s/sm.bak", to);
    ra_format_cut(st, sizeof(st), "%s/state", to);
    if (stat(STATD_PATH "/sm", &owner) == 0 && chown(to, owner.st_uid, owner.st_gid) < 0) {
        /* sm-notify drops to the directory's owner: left as it is */
    }
    ra_nfs_clear_records(sm);
    ra_nfs_clear_records(bak);
    ra_nfs_copy_records(STATD_PATH "/sm", sm, true, &owner);
    ra_nfs_copy_records(STATD_PATH "/sm.bak", bak, true, &owner);
    n = ra_state_read(STATD_PATH "/state", buf, sizeof(buf));
    if (n > 0 && ra_state_write(st, buf, (size_t)n) < 0) {
        /* sm-notify starts a new state then */
    }
}

static int
nfsnotify_start(struct ra_ctx *ctx)
{
    const struct notifyconf *c = ctx->data;
    const char *hosts = ra_str0(ctx, "source_host"), *pos = ra_str0(ctx, "notify_args");
    const char *opts[20];
    char words[16][64], line[32], host[256], copy[PATH_MAX];
    size_t n = 0;
    bool renotify;
    pid_t statd;
    int rc = OCF_SUCCESS;

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
    end_notifies(ctx);
    while (n < 16 && ra_list_next(&pos, words[n], sizeof(words[0]))) {
        opts[n] = words[n];
        n++;
    }
    opts[n] = NULL;
    /* the same statd told before (a restart of this resource): from a copy */
    renotify = recorded(c->prev) == (long long)statd;
    if (renotify) {
        ra_info(ctx, "renotifying the clients of rpc.statd %d", (int)statd);
    }
    if (hosts[0] == '\0') {
        if (renotify) {
            ra_format_cut(copy, sizeof(copy), "%s/nfsnotify.bu", STATD_PATH);
            copy_statd(copy);
        }
        rc = ra_nfs_notify(ctx, opts, NULL, renotify ? copy : NULL);
    }
    for (const char *p = hosts; rc == OCF_SUCCESS && *p != '\0';) {
        size_t len = strcspn(p, ", ");

        if (len > 0 && len < sizeof(host)) {
            memcpy(host, p, len);
            host[len] = '\0';
            /* the first one reads (and moves) statd's real list, each other one a copy */
            if (renotify || p != hosts) {
                char name[300];

                ra_format_cut(name, sizeof(name), "nfsnotify_%s_%s", ra_instance(ctx), host);
                for (char *q = name; *q != '\0'; q++) {
                    *q = *q == '/' ? '_' : *q;
                }
                ra_format_cut(copy, sizeof(copy), "%s/%s", STATD_PATH, name);
                copy_statd(copy);
            }
            rc = ra_nfs_notify(ctx, opts, host, renotify || p != hosts ? copy : NULL);
        }
        p += len + strspn(p + len, ", ");
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

    end_notifies(ctx);
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
