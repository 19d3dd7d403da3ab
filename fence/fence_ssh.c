/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fence_ssh: fencing a node by asking it, over ssh, to reboot or power off,
 * with libssh2 in-process (no ssh(1) child), host keys checked against
 * known_hosts, and every result verified:
 *
 *  - reboot: the node's boot id (/proc/sys/kernel/random/boot_id) is read
 *    first; success is the node answering again with a different boot id
 *    within power_timeout (or, with wait_for_return=false, the node going
 *    silent);
 *  - off: success is the node going silent after the command, and staying
 *    silent for power_wait;
 *  - a node that cannot be reached before anything was done is a failure,
 *    never "fenced".
 *
 * What ssh fencing cannot guarantee, and the metadata says so: the victim
 * must be alive enough to obey.  A hung node cannot be fenced this way.
 * Called by cluster-glue's external-plugin names (gethosts, reset HOST, ...)
 * it stands in for stonith:external/ssh and stonith:ssh.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libssh2.h>

#include "fence.h"
#include "str.h"

static const struct ra_param ssh_params[] = {
    { .name = "identity_file",
      .type = RA_T_PATH,
      .opt_short = 'k',
      .opt_long = "identity-file",
      .opt_arg = "[filename]",
      .shortdesc = "Private key to log in with (ed25519 or ECDSA)" },
    { .name = "known_hosts",
      .type = RA_T_PATH,
      .def = "/root/.ssh/known_hosts",
      .opt_long = "known-hosts",
      .opt_arg = "[file]",
      .shortdesc = "known_hosts file the node's host key is checked against" },
    { .name = "ignore_host_key",
      .type = RA_T_BOOLEAN,
      .def = "false",
      .opt_long = "ignore-host-key",
      .shortdesc = "Do not check the host key (dangerous: logged as a warning every time)" },
    { .name = "reboot_command",
      .type = RA_T_STRING,
      .def = "/sbin/reboot -nf",
      .opt_long = "reboot-command",
      .opt_arg = "[command]",
      .shortdesc = "Command the node runs to reboot at once" },
    { .name = "poweroff_command",
      .type = RA_T_STRING,
      .def = "/sbin/poweroff -nf",
      .opt_long = "poweroff-command",
      .opt_arg = "[command]",
      .shortdesc = "Command the node runs to power off at once" },
    { .name = "wait_for_return",
      .type = RA_T_BOOLEAN,
      .def = "true",
      .opt_long = "wait-for-return",
      .opt_arg = "[true/false]",
      .shortdesc =
          "A reboot succeeds when the node answers again with a new boot id (else: when it goes silent)" },
    { .name = "hostlist",
      .type = RA_T_STRING,
      .opt_long = "hostlist",
      .opt_arg = "[hosts]",
      .shortdesc = "The hosts this device can fence (cluster-glue's hostlist)" },
    { .name = "livedangerously",
      .type = RA_T_STRING,
      .opt_long = "livedangerously",
      .opt_arg = "[yes|no]",
      .shortdesc = "Accepted for cluster-glue compatibility, not used" },
};

static const char *const ssh_uses[] = { "ip",       "ipaddr",          "ipport",
                                        "username", "login",           "password",
                                        "passwd",   "password_script", "passwd_script",
                                        NULL };
static const char *const ssh_defaults[] = { "ipport=22", "username=root", "power_wait=2",
                                            "login_timeout=5", NULL };

struct ssh_dev {
    int sock;
    LIBSSH2_SESSION *s;
    char boot_id[64];
};

static const char *const boot_id_cmd = "cat /proc/sys/kernel/random/boot_id";

static void
ssh_close(struct ssh_dev *d)
{
    if (d->s != NULL) {
        libssh2_session_disconnect(d->s, "fenced");
        libssh2_session_free(d->s);
        d->s = NULL;
    }
    if (d->sock >= 0) {
        close(d->sock);
        d->sock = -1;
    }
}

/* TCP connect with a deadline. */
static int
tcp_connect(struct ra_fence *f, const char *host, const char *port, uint64_t budget_ms)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
    int fd = -1, r = getaddrinfo(host, port, &hints, &res);

    if (r != 0) {
        return ra_fence_fail(f, "cannot resolve %s: %s", host, gai_strerror(r));
    }
    for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
        struct pollfd p;
        int err = 0;
        socklen_t len = sizeof(err);

        fd = socket(a->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            continue;
        }
        if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
            close(fd);
            fd = -1;
            continue;
        }
        p = (struct pollfd){ .fd = fd, .events = POLLOUT };
        if (poll(&p, 1, (int)budget_ms) <= 0 ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd >= 0) {
        (void)fcntl(fd, F_SETFL, 0); /* libssh2 in blocking mode, bounded by its own timeout */
    }
    return fd;
}

/* known_hosts: the node's key must be there and match.  SHA256 fingerprint in messages. */
static int
check_host_key(struct ra_fence *f, struct ssh_dev *d, const char *host, int port)
{
    const char *file = ra_fence_str(f, "known_hosts");
    LIBSSH2_KNOWNHOSTS *kh;
    struct libssh2_knownhost *found = NULL;
    size_t len = 0;
    int type = 0, check;
    const char *key = libssh2_session_hostkey(d->s, &len, &type);
    const unsigned char *h =
        (const unsigned char *)libssh2_hostkey_hash(d->s, LIBSSH2_HOSTKEY_HASH_SHA256);
    char fp[96] = "SHA256:";
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    for (int i = 0, o = 7; h != NULL && i < 32; i += 3) {
        unsigned v = (unsigned)h[i] << 16 | (i + 1 < 32 ? (unsigned)h[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? h[i + 2] : 0);

        fp[o++] = b64[(v >> 18) & 63];
        fp[o++] = b64[(v >> 12) & 63];
        if (i + 1 < 32) {
            fp[o++] = b64[(v >> 6) & 63];
        }
        if (i + 2 < 32) {
            fp[o++] = b64[v & 63];
        }
        fp[o] = '\0';
    }
    if (ra_fence_bool(f, "ignore_host_key")) {
        ra_log(ra_fence_log(f), RA_LOG_WARN,
               "NOT checking the host key of %s (%s): ignore_host_key is set", host, fp);
        return 0;
    }
    if (key == NULL || (kh = libssh2_knownhost_init(d->s)) == NULL) {
        return ra_fence_fail(f, "cannot read the host key of %s", host);
    }
    if (libssh2_knownhost_readfile(kh, file, LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
        libssh2_knownhost_free(kh);
        return ra_fence_fail(f, "cannot read known_hosts %s", file);
    }
    check = libssh2_knownhost_checkp(kh, host, port, key, len,
                                     LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW,
                                     &found);
    libssh2_knownhost_free(kh);
    if (check == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
        return 0;
    }
    if (check == LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
        return ra_fence_fail(f, "the host key of %s CHANGED (now %s): refusing to connect", host,
                             fp);
    }
    return ra_fence_fail(f, "the host key of %s (%s) is not in %s: refusing to connect", host, fp,
                         file);
}

/* Open a session and log in: 0, or -1 with the reason (the node unreachable, or refusing). */
static int
ssh_open(struct ra_fence *f, struct ssh_dev *d, uint64_t budget_ms)
{
    const char *host = ra_fence_str(f, "ip");
    const char *user = ra_fence_str(f, "username");
    const char *key = ra_fence_str(f, "identity_file");
    const char *pass = ra_fence_password(f);
    char port[16];
    int r;

    ra_format_cut(port, sizeof(port), "%lld", ra_fence_int(f, "ipport"));
    d->sock = tcp_connect(f, host, port, budget_ms);
    if (d->sock < 0) {
        return ra_fence_fail(f, "%s:%s does not answer", host, port);
    }
    d->s = libssh2_session_init();
    if (d->s == NULL) {
        return ra_fence_fail(f, "out of memory");
    }
    libssh2_session_set_timeout(d->s, (long)budget_ms);
    if (libssh2_session_handshake(d->s, d->sock) != 0) {
        return ra_fence_fail(f, "ssh handshake with %s:%s failed", host, port);
    }
    if (check_host_key(f, d, host, (int)ra_fence_int(f, "ipport")) < 0) {
        return -1;
    }
    if (key != NULL) {
        r = libssh2_userauth_publickey_fromfile(d->s, user, NULL, key, pass);
    } else if (pass != NULL) {
        r = libssh2_userauth_password(d->s, user, pass);
    } else {
        return ra_fence_fail(f, "neither identity_file nor a password is set");
    }
    if (r != 0) {
        return ra_fence_fail(f, "%s refused the login of %s (%s)", host, user,
                             key ? "key" : "password");
    }
    return 0;
}

/* Run @cmd; its first output line in @out.  0, or -1 (no reason recorded: the caller decides). */
static int
ssh_run(struct ssh_dev *d, const char *cmd, char *out, size_t cap)
{
    LIBSSH2_CHANNEL *ch = libssh2_channel_open_session(d->s);
    size_t len = 0;
    ssize_t n;

    if (ch == NULL) {
        return -1;
    }
    if (libssh2_channel_exec(ch, cmd) != 0) {
        libssh2_channel_free(ch);
        return -1;
    }
    while (out != NULL && len + 1 < cap &&
           (n = libssh2_channel_read(ch, out + len, cap - 1 - len)) > 0) {
        len += (size_t)n;
    }
    if (out != NULL) {
        out[len] = '\0';
        out[strcspn(out, "\r\n")] = '\0';
    }
    libssh2_channel_close(ch);
    libssh2_channel_free(ch);
    return 0;
}

/* The node's boot id, over a fresh session: 0 and @buf set, or -1 (not answering). */
static int
read_boot_id(struct ra_fence *f, char *buf, size_t cap, bool quiet)
{
    struct ssh_dev probe = { .sock = -1 };
    int rc = -1;

    if (ssh_open(f, &probe, ra_fence_ms(f, "login_timeout")) == 0 &&
        ssh_run(&probe, boot_id_cmd, buf, cap) == 0 && strlen(buf) >= 32) {
        rc = 0;
    } else if (!quiet) {
        ra_fence_fail(f, "%s does not answer over ssh", ra_fence_str(f, "ip"));
    }
    ssh_close(&probe);
    return rc;
}

static int
ssh_connect(struct ra_fence *f)
{
    struct ssh_dev *d = ra_fence_data(f);

    d->sock = -1;
    if (libssh2_init(0) != 0) {
        return ra_fence_fail(f, "cannot initialise libssh2");
    }
    return 0; /* each question opens its own session: a rebooting node drops them */
}

/* status: on if the node answers with its boot id; never "off" (silence proves nothing). */
static int
ssh_get_power(struct ra_fence *f, const char *plug, bool *ret_on)
{
    struct ssh_dev *d = ra_fence_data(f);

    (void)plug;
    if (read_boot_id(f, d->boot_id, sizeof(d->boot_id), false) < 0) {
        return -1;
    }
    *ret_on = true;
    return 0;
}

static int
ssh_set_power(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd)
{
    (void)plug;
    (void)cmd;
    return ra_fence_fail(f, "ssh cannot power a node on");
}

/* Send @cmd to the node.  The connection may die under it: that is the point. */
static int
send_power_command(struct ra_fence *f, const char *cmd)
{
    struct ssh_dev s = { .sock = -1 };
    int r = ssh_open(f, &s, ra_fence_ms(f, "login_timeout"));

    if (r == 0) {
        (void)ssh_run(&s, cmd, NULL, 0);
        ra_log(ra_fence_log(f), RA_LOG_INFO, "sent '%s' to %s", cmd, ra_fence_str(f, "ip"));
    }
    ssh_close(&s);
    return r;
}

/* Wait until the node is silent, and stays silent for @quiet_ms; within power_timeout. */
static int
wait_silent(struct ra_fence *f, uint64_t quiet_ms)
{
    uint64_t end = ra_now_ms() + ra_fence_ms(f, "power_timeout"), silent_since = 0;
    uint64_t step = ra_fence_ms(f, "stonith_status_sleep");
    struct ra_deadline until = { .end_ms = end };
    char id[64];

    for (;;) {
        uint64_t now = ra_now_ms();

        if (read_boot_id(f, id, sizeof(id), true) < 0) {
            silent_since = silent_since ? silent_since : now;
            if (now - silent_since >= quiet_ms) {
                return 0;
            }
        } else {
            silent_since = 0;
        }
        if (ra_now_ms() >= end) {
            return ra_fence_fail(f, "%s still answers after power_timeout", ra_fence_str(f, "ip"));
        }
        (void)ra_deadline_sleep(&until, step ? step : 200);
    }
}

static int
ssh_off(struct ra_fence *f)
{
    char before[64];

    /* unreachable before we did anything is a failure, not a fence */
    if (read_boot_id(f, before, sizeof(before), false) < 0 ||
        send_power_command(f, ra_fence_str(f, "poweroff_command")) < 0 ||
        wait_silent(f, ra_fence_ms(f, "power_wait")) < 0) {
        return -1;
    }
    printf("Success: Powered OFF\n");
    return 0;
}

static int
ssh_reboot(struct ra_fence *f)
{
    char before[64], after[64];
    uint64_t end;
    struct ra_deadline until;

    if (read_boot_id(f, before, sizeof(before), false) < 0) {
        return -1;
    }
    if (send_power_command(f, ra_fence_str(f, "reboot_command")) < 0) {
        return -1;
    }
    if (!ra_fence_bool(f, "wait_for_return")) {
        if (wait_silent(f, 0) < 0) {
            return -1;
        }
        printf("Success: Rebooted (the node went silent)\n");
        return 0;
    }
    /* the node is back when it answers with another boot id */
    end = ra_now_ms() + ra_fence_ms(f, "power_timeout");
    until.end_ms = end;
    for (;;) {
        if (read_boot_id(f, after, sizeof(after), true) == 0 && strcmp(after, before) != 0) {
            printf("Success: Rebooted\n");
            return 0;
        }
        if (ra_now_ms() >= end) {
            return ra_fence_fail(f, "%s did not come back with a new boot id within power_timeout",
                                 ra_fence_str(f, "ip"));
        }
        (void)ra_deadline_sleep(&until, ra_fence_ms(f, "stonith_status_sleep"));
    }
}

/* monitor (and cluster-glue's status): the node answers, its host key matches, it lets us in. */
static int
ssh_ping(struct ra_fence *f)
{
    struct ssh_dev s = { .sock = -1 };
    int r = ssh_open(f, &s, ra_fence_ms(f, "login_timeout"));

    ssh_close(&s);
    return r;
}

static int
ssh_list(struct ra_fence *f, ra_fence_emit emit)
{
    const char *pos = ra_fence_str(f, "hostlist");
    char host[256];

    while (emit != NULL && ra_list_next(&pos, host, sizeof(host))) {
        emit(f, host, host, -1);
    }
    return 0;
}

static void
ssh_disconnect(struct ra_fence *f)
{
    (void)f;
    libssh2_exit();
}

static const struct ra_fence_agent ssh_agent = {
    .name = "fence_ssh",
    .shortdesc = "Fence agent that reboots or powers off a node over ssh",
    .longdesc = "fence_ssh asks a node, over ssh (libssh2, host keys checked against "
                "known_hosts), to reboot or power off at once, and then verifies it: a reboot "
                "succeeds when the node answers again with a different boot id, a power off "
                "when the node stops answering and stays silent for power_wait. A node that "
                "cannot be reached before anything is done is a failure, never counted as "
                "fenced. What ssh fencing cannot do: the node must be alive enough to obey, so "
                "a hung node cannot be fenced this way, and it cannot power a node on. Use it "
                "for test clusters, or behind a real fence device. Called with cluster-glue's "
                "operations it stands in for stonith:external/ssh and stonith:ssh.",
    .vendor_url = "https://www.openssh.com",
    .params = ssh_params,
    .nparams = RA_NELEM(ssh_params),
    .uses = ssh_uses,
    .defaults = ssh_defaults,
    .flags = RA_FENCE_NO_PASSWORD,
    .data_size = sizeof(struct ssh_dev),
    .connect = ssh_connect,
    .get_power = ssh_get_power,
    .set_power = ssh_set_power,
    .list = ssh_list,
    .ping = ssh_ping,
    .off = ssh_off,
    .reboot = ssh_reboot,
    .disconnect = ssh_disconnect,
};

int
main(int argc, char **argv)
{
    return ra_fence_main(&ssh_agent, argc, argv);
}
