/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fence_ipmilan: power fencing through a BMC, over IPMI 1.5 (lan) or 2.0
 * (lanplus, RMCP+), with the OpenIPMI library in-process.  A drop-in for
 * fence-agents' fence_ipmilan: same options, same aliases, same exit codes;
 * but no ipmitool process, and so no password on anyone's command line.
 *
 * The device part is small (lib/fence.c does the rest): open a session,
 * Get Chassis Status, Chassis Control (off, on, cycle, diagnostic
 * interrupt), close.  Every wait is bounded by the step's deadline.
 *
 * When is a node off?  When Get Chassis Status, asked after the command,
 * answers "power off", polled until power_timeout.  Each answer is tied to
 * its request by a sequence number, so a late reply to a request the step
 * gave up on is never taken for the answer to the next one; no answer, a
 * refusal or a garbled reply is a failure, never "off".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <OpenIPMI/ipmi_auth.h>
#include <OpenIPMI/ipmi_conn.h>
#include <OpenIPMI/ipmi_err.h>
#include <OpenIPMI/ipmi_lan.h>
#include <OpenIPMI/ipmi_msgbits.h>
#include <OpenIPMI/ipmi_posix.h>
#include <OpenIPMI/ipmiif.h>

#include "fence.h"
#include "str.h"

static const char *const auths[] = { "md5", "password", "none", NULL };
static const char *const privlvls[] = { "callback", "user", "operator", "administrator", NULL };

static bool
valid_cipher(const char *v, const char **why)
{
    long long n = 0;

    if (ra_parse_int(v, 0, 14, &n) == 0) {
        return true;
    }
    *why = "must be a cipher suite from 0 to 14 (OpenIPMI has no SHA-256 suites)";
    return false;
}

/* An IPMB address: 0x82 or 130.  -1 if it is neither. */
static int
target_addr(const char *v)
{
    long long n = 0;
    int x = 0;

    if (strncmp(v, "0x", 2) == 0 || strncmp(v, "0X", 2) == 0) {
        size_t len = strlen(v + 2);

        if (len < 1 || len > 2) {
            return -1;
        }
        for (const char *c = v + 2; *c; c++) {
            int d = (*c >= '0' && *c <= '9')   ? *c - '0'
                    : (*c >= 'a' && *c <= 'f') ? *c - 'a' + 10
                    : (*c >= 'A' && *c <= 'F') ? *c - 'A' + 10
                                               : -1;

            if (d < 0) {
                return -1;
            }
            x = x * 16 + d;
        }
        return x;
    }
    return ra_parse_int(v, 0, 255, &n) == 0 ? (int)n : -1;
}

static bool
valid_target(const char *v, const char **why)
{
    if (target_addr(v) >= 0) {
        return true;
    }
    *why = "must be an IPMB address such as 0x82";
    return false;
}

static const struct ra_param ipmilan_params[] = {
    { .name = "lanplus",
      .type = RA_T_BOOLEAN,
      .def = "0",
      .opt_short = 'P',
      .opt_long = "lanplus",
      .shortdesc = "Use Lanplus to improve security of connection" },
    { .name = "auth",
      .type = RA_T_ENUM,
      .values = auths,
      .opt_short = 'A',
      .opt_long = "auth",
      .opt_arg = "[auth]",
      .shortdesc = "IPMI Lan Auth type." },
    { .name = "cipher",
      .type = RA_T_STRING,
      .valid = valid_cipher,
      .opt_short = 'C',
      .opt_long = "cipher",
      .opt_arg = "[cipher]",
      .shortdesc = "Ciphersuite to use (same as ipmitool -C parameter)" },
    { .name = "hexadecimal_kg",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .opt_long = "hexadecimal-kg",
      .opt_arg = "[key]",
      .shortdesc = "Hexadecimal-encoded Kg key for IPMIv2 authentication" },
    { .name = "privlvl",
      .type = RA_T_ENUM,
      .values = privlvls,
      .def = "administrator",
      .opt_short = 'L',
      .opt_long = "privlvl",
      .opt_arg = "[level]",
      .shortdesc = "Privilege level on IPMI device" },
    { .name = "target",
      .type = RA_T_STRING,
      .valid = valid_target,
      .opt_long = "target",
      .opt_arg = "[targetaddress]",
      .shortdesc = "Bridge IPMI requests to the remote target address" },
    { .name = "port_as_ip",
      .type = RA_T_BOOLEAN,
      .opt_long = "port-as-ip",
      .shortdesc = "Make \"port/plug\" to be an alias to IP address" },
    { .name = "ipmitool_path",
      .type = RA_T_STRING,
      .def = "/usr/bin/ipmitool",
      .opt_long = "ipmitool-path",
      .opt_arg = "[path]",
      .shortdesc = "Accepted for compatibility: no ipmitool is run" },
    { .name = "ipmitool_timeout",
      .type = RA_T_TIME,
      .def = "2",
      .ocf_type = "string",
      .opt_long = "ipmitool-timeout",
      .opt_arg = "[timeout]",
      .shortdesc = "Timeout (sec) for one IPMI request before it is sent again" },
    { .name = "use_sudo",
      .type = RA_T_BOOLEAN,
      .opt_long = "use-sudo",
      .shortdesc = "Accepted for compatibility: nothing is run, so nothing needs sudo" },
    { .name = "sudo",
      .type = RA_T_BOOLEAN,
      .alias_of = "use_sudo",
      .opt_long = "use-sudo",
      .shortdesc = "Accepted for compatibility: nothing is run, so nothing needs sudo" },
    { .name = "sudo_path",
      .type = RA_T_STRING,
      .def = "/usr/bin/sudo",
      .opt_long = "sudo-path",
      .opt_arg = "[path]",
      .shortdesc = "Accepted for compatibility: not used" },
};

static const char *const ipmilan_uses[] = {
    "ip",     "ipaddr",          "ipport",        "username", "login", "password",
    "passwd", "password_script", "passwd_script", "plug",     "port",  "method",
    NULL
};
static const char *const ipmilan_defaults[] = { "ipport=623", "power_wait=2", NULL };
static const char *const lanplus_on[] = { "lanplus=1", NULL };
static const char *const ilo3[] = { "lanplus=1", "power_wait=4", NULL };

static const struct ra_fence_symlink ipmilan_symlinks[] = {
    { "fence_ilo3", "Fence agent for HP iLO3", ilo3 },
    { "fence_ilo4", "Fence agent for HP iLO4", lanplus_on },
    { "fence_ilo5", "Fence agent for HP iLO5", lanplus_on },
    { "fence_ipmilanplus", "Fence agent for IPMIv2 lanplus", lanplus_on },
    { "fence_imm", "Fence agent for IBM Integrated Management Module", NULL },
    { "fence_idrac", "Fence agent for Dell iDRAC", NULL },
};

/* ------------------------------------------------------------ the session */

struct ipmi_dev {
    os_handler_t *os;
    ipmi_con_t *con;
    bool con_done;
    int con_err;
    bool closed;
    /*
     * The request in flight: its number, and its answer once it came.  A
     * request the step gave up on may still be answered (or timed out by
     * OpenIPMI) later: that answer carries the old number and is dropped.
     */
    uintptr_t seq;
    bool rsp_done;
    unsigned char rsp[IPMI_MAX_MSG_LENGTH];
    unsigned rsp_len;
};

/* OpenIPMI's own log lines go to our log at debug level (secrets hidden there). */
static void
ipmi_vlog(os_handler_t *os, const char *fmt, enum ipmi_log_type_e type, va_list ap)
{
    char line[512];

    (void)type;
    if (vsnprintf(line, sizeof(line), fmt, ap) >= 0 && os->user_data != NULL) {
        ra_log(os->user_data, RA_LOG_DEBUG, "OpenIPMI: %s", line);
    }
}

/* Run OpenIPMI's event loop until *@done or the step's deadline. */
static bool
pump(struct ra_fence *f, struct ipmi_dev *d, const bool *done)
{
    const struct ra_deadline *step = ra_fence_step(f);

    while (!*done) {
        uint64_t left = ra_deadline_left_ms(step);
        struct timeval tv = { .tv_sec = 0,
                              .tv_usec = (suseconds_t)(left < 100 ? left : 100) * 1000 };

        if (left == 0) {
            return false;
        }
        d->os->perform_one_op(d->os, &tv);
    }
    return true;
}

static void
con_changed(ipmi_con_t *con, int err, unsigned int port, int any_up, void *cb_data)
{
    struct ipmi_dev *d = cb_data;

    (void)con;
    (void)port;
    if (!d->con_done) {
        d->con_err = err ? err : (any_up ? 0 : EIO);
        d->con_done = true;
    }
}

static const char *
ipmi_error_text(int err, char *buf, size_t cap)
{
    if (IPMI_IS_RMCPP_ERR(err)) {
        ra_format_cut(buf, cap, "RMCP+ error 0x%02x%s", IPMI_GET_RMCPP_ERR(err),
                      IPMI_GET_RMCPP_ERR(err) == 0x0d ? " (unauthorized name)" : "");
    } else if (IPMI_IS_IPMI_ERR(err)) {
        ra_format_cut(buf, cap, "completion code 0x%02x", IPMI_GET_IPMI_ERR(err));
    } else if (IPMI_IS_OS_ERR(err)) {
        ra_format_cut(buf, cap, "%s", strerror(IPMI_GET_OS_ERR(err)));
    } else {
        ra_format_cut(buf, cap, "%s", strerror(err));
    }
    return buf;
}

/* The cipher suite (IPMI 2.0 table 22-20) as OpenIPMI's three algorithms. */
static void
cipher_algorithms(int suite, int *auth, int *integ, int *conf)
{
    static const unsigned char table[15][3] = {
        { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 0 }, { 1, 1, 1 }, { 1, 1, 2 },
        { 1, 1, 3 }, { 2, 0, 0 }, { 2, 2, 0 }, { 2, 2, 1 }, { 2, 2, 2 },
        { 2, 2, 3 }, { 2, 3, 0 }, { 2, 3, 1 }, { 2, 3, 2 }, { 2, 3, 3 },
    };

    *auth = table[suite][0];
    *integ = table[suite][1];
    *conf = table[suite][2];
}

static int
hex_key(struct ra_fence *f, const char *hex, unsigned char *key, size_t cap, size_t *ret_len)
{
    size_t n = strlen(hex);

    if (n % 2 != 0 || n / 2 > cap) {
        return ra_fence_fail(f, "hexadecimal_kg must be at most %zu bytes of hex digits", cap);
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;

        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];

            v = v * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
                                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                           : 99);
        }
        if (v > 255) {
            return ra_fence_fail(f, "hexadecimal_kg is not hexadecimal");
        }
        key[i] = (unsigned char)v;
    }
    *ret_len = n / 2;
    return 0;
}

static int
ipmilan_validate(struct ra_fence *f)
{
    const char *user = ra_fence_str(f, "username");
    const char *pass = ra_fence_str(f, "password");
    size_t pmax = ra_fence_bool(f, "lanplus") ? 20 : 16;

    if (user != NULL && strlen(user) > 16) {
        return ra_fence_fail(f, "username is longer than IPMI's 16 characters");
    }
    if (pass != NULL && strlen(pass) > pmax) {
        return ra_fence_fail(f, "password is longer than IPMI's %zu characters", pmax);
    }
    if (ra_fence_str(f, "hexadecimal_kg") != NULL && !ra_fence_bool(f, "lanplus")) {
        ra_log(ra_fence_log(f), RA_LOG_WARN, "hexadecimal_kg applies to lanplus only, ignoring");
    }
    return 0;
}

static int
ipmilan_connect(struct ra_fence *f)
{
    struct ipmi_dev *d = ra_fence_data(f);
    const char *ip = ra_fence_bool(f, "port_as_ip") && ra_fence_str(f, "plug") != NULL
                         ? ra_fence_str(f, "plug")
                         : ra_fence_str(f, "ip");
    const char *user = ra_fence_str(f, "username");
    const char *pass = ra_fence_password(f);
    const char *cipher = ra_fence_str(f, "cipher");
    const char *kg = ra_fence_str(f, "hexadecimal_kg");
    bool lanplus = ra_fence_bool(f, "lanplus");
    char port[16], why[128];
    char *addrs[1], *ports[1];
    unsigned char key[20];
    size_t keylen = 0;
    ipmi_lanp_parm_t parms[12];
    unsigned n = 0;
    int r;

    if (ip == NULL) {
        return ra_fence_fail(f, "no BMC address (ip)");
    }
    ra_format_cut(port, sizeof(port), "%lld", ra_fence_int(f, "ipport"));
    addrs[0] = (char *)(uintptr_t)ip;
    ports[0] = port;
    d->os = ipmi_posix_setup_os_handler();
    if (d->os == NULL) {
        return ra_fence_fail(f, "cannot set up OpenIPMI");
    }
    d->os->user_data = ra_fence_log(f);
    d->os->set_log_handler(d->os, ipmi_vlog);
    r = ipmi_init(d->os);
    if (r != 0) {
        return ra_fence_fail(f, "cannot initialise OpenIPMI: %s", strerror(r));
    }
    parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_ADDRS,
                                     .parm_data = addrs,
                                     .parm_data_len = 1 };
    parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_PORTS,
                                     .parm_data = ports,
                                     .parm_data_len = 1 };
    {
        /* IPMI 1.5 unless lanplus, as ipmitool -I lan does: OpenIPMI's own
         * default would quietly upgrade to RMCP+ */
        const char *auth = ra_fence_str(f, "auth");
        int type = lanplus                         ? IPMI_AUTHTYPE_RMCP_PLUS
                   : auth == NULL                  ? IPMI_AUTHTYPE_MD5
                   : strcmp(auth, "md5") == 0      ? IPMI_AUTHTYPE_MD5
                   : strcmp(auth, "password") == 0 ? IPMI_AUTHTYPE_STRAIGHT
                                                   : IPMI_AUTHTYPE_NONE;

        parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_AUTHTYPE, .parm_val = type };
    }
    parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_PRIVILEGE,
                                     .parm_val = (int)ra_fence_int(f, "privlvl") + 1 };
    if (user != NULL) {
        parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_USERNAME,
                                         .parm_data = (void *)(uintptr_t)user,
                                         .parm_data_len = (unsigned)strlen(user) };
    }
    if (pass != NULL) {
        /* the password goes to the library in memory: never to an argv */
        parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_PARMID_PASSWORD,
                                         .parm_data = (void *)(uintptr_t)pass,
                                         .parm_data_len = (unsigned)strlen(pass) };
    }
    if (lanplus && kg != NULL) {
        if (hex_key(f, kg, key, sizeof(key), &keylen) < 0) {
            return -1;
        }
        parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_BMC_KEY,
                                         .parm_data = key,
                                         .parm_data_len = (unsigned)keylen };
    }
    if (lanplus && cipher != NULL) {
        int a = 0, i = 0, c = 0;
        long long suite = 0;

        if (ra_parse_int(cipher, 0, 14, &suite) < 0) {
            return ra_fence_fail(f, "cipher must be from 0 to 14");
        }
        cipher_algorithms((int)suite, &a, &i, &c);
        parms[n++] =
            (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_AUTHENTICATION_ALGORITHM, .parm_val = a };
        parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_INTEGRITY_ALGORITHM, .parm_val = i };
        parms[n++] =
            (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_CONFIDENTIALITY_ALGORITHM, .parm_val = c };
    }
    parms[n++] = (ipmi_lanp_parm_t){ .parm_id = IPMI_LANP_DEFAULT_TIMEOUT,
                                     .parm_val = (int)(ra_fence_ms(f, "ipmitool_timeout") * 1000) };
    r = ipmi_lanp_setup_con(parms, n, d->os, NULL, &d->con);
    explicit_bzero(key, sizeof(key));
    if (r != 0) {
        return ra_fence_fail(f, "cannot set up a connection to %s:%s: %s", ip, port,
                             ipmi_error_text(r, why, sizeof(why)));
    }
    d->con->add_con_change_handler(d->con, con_changed, d);
    r = d->con->start_con(d->con);
    if (r != 0) {
        return ra_fence_fail(f, "cannot connect to %s:%s: %s", ip, port,
                             ipmi_error_text(r, why, sizeof(why)));
    }
    if (!pump(f, d, &d->con_done)) {
        /* an IPMI 1.5 BMC does not answer a login with a wrong password at all */
        return ra_fence_fail(f, "no answer from the BMC at %s:%s within login_timeout%s", ip, port,
                             lanplus ? ""
                                     : " (over IPMI 1.5 a wrong password looks like this too)");
    }
    if (d->con_err != 0) {
        return ra_fence_fail(f,
                             "the BMC at %s:%s refused the login (check username, "
                             "password and privlvl): %s",
                             ip, port, ipmi_error_text(d->con_err, why, sizeof(why)));
    }
    return 0;
}

static int
response(ipmi_con_t *con, ipmi_msgi_t *rspi)
{
    struct ipmi_dev *d = rspi->data1;

    (void)con;
    if ((uintptr_t)rspi->data2 != d->seq) {
        if (d->os != NULL && d->os->user_data != NULL) {
            ra_log(d->os->user_data, RA_LOG_DEBUG,
                   "ignoring a late answer to request %lu (waiting for %lu)",
                   (unsigned long)(uintptr_t)rspi->data2, (unsigned long)d->seq);
        }
        return IPMI_MSG_ITEM_NOT_USED;
    }
    d->rsp_len = rspi->msg.data_len < sizeof(d->rsp) ? rspi->msg.data_len : sizeof(d->rsp);
    memcpy(d->rsp, rspi->msg.data, d->rsp_len);
    d->rsp_done = true;
    return IPMI_MSG_ITEM_NOT_USED;
}

/* One request to the BMC (or the bridged target); the answer in d->rsp. */
static int
request(struct ra_fence *f, unsigned char netfn, unsigned char cmd, const unsigned char *data,
        unsigned len, const char *what)
{
    struct ipmi_dev *d = ra_fence_data(f);
    ipmi_addr_t addr;
    unsigned addr_len;
    ipmi_msg_t msg = { .netfn = netfn,
                       .cmd = cmd,
                       .data = (unsigned char *)(uintptr_t)data,
                       .data_len = (unsigned short)len };
    ipmi_msgi_t *rspi = ipmi_alloc_msg_item();
    const char *target = ra_fence_str(f, "target");
    int r;

    if (rspi == NULL) {
        return ra_fence_fail(f, "out of memory");
    }
    memset(&addr, 0, sizeof(addr));
    if (target != NULL) {
        ipmi_ipmb_addr_t *ipmb = (ipmi_ipmb_addr_t *)&addr;
        ipmb->addr_type = IPMI_IPMB_ADDR_TYPE;
        ipmb->channel = 0;
        ipmb->slave_addr = (unsigned char)target_addr(target); /* checked by valid_target */
        addr_len = sizeof(*ipmb);
    } else {
        ipmi_system_interface_addr_t *si = (ipmi_system_interface_addr_t *)&addr;

        si->addr_type = IPMI_SYSTEM_INTERFACE_ADDR_TYPE;
        si->channel = IPMI_BMC_CHANNEL;
        addr_len = sizeof(*si);
    }
    rspi->data1 = d;
    rspi->data2 = (void *)++d->seq; /* this request's own answer, no other */
    d->rsp_done = false;
    r = d->con->send_command(d->con, &addr, addr_len, &msg, response, rspi);
    if (r != 0) {
        ipmi_free_msg_item(rspi);
        return ra_fence_fail(f, "cannot send %s to the BMC: %s", what, strerror(r));
    }
    if (!pump(f, d, &d->rsp_done)) {
        return ra_fence_fail(f, "no answer to %s within shell_timeout", what);
    }
    if (d->rsp_len < 1 || d->rsp[0] != 0) {
        return ra_fence_fail(f, "the BMC refused %s: completion code 0x%02x", what,
                             d->rsp_len ? d->rsp[0] : 0xff);
    }
    return 0;
}

static int
ipmilan_get_power(struct ra_fence *f, const char *plug, bool *ret_on)
{
    struct ipmi_dev *d = ra_fence_data(f);

    (void)plug;
    if (request(f, IPMI_CHASSIS_NETFN, IPMI_GET_CHASSIS_STATUS_CMD, NULL, 0, "Get Chassis Status") <
        0) {
        return -1;
    }
    if (d->rsp_len < 2) {
        return ra_fence_fail(f, "the BMC's chassis status is too short");
    }
    *ret_on = (d->rsp[1] & 0x01) != 0; /* current power state: bit 0 */
    return 0;
}

static int
ipmilan_set_power(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd)
{
    /* Chassis Control: 0 down, 1 up, 2 cycle, 4 pulse diagnostic interrupt */
    static const unsigned char codes[] = {
        [RA_POWER_OFF] = 0, [RA_POWER_ON] = 1, [RA_POWER_CYCLE] = 2, [RA_POWER_DIAG] = 4
    };
    static const char *const names[] = { [RA_POWER_OFF] = "power off",
                                         [RA_POWER_ON] = "power on",
                                         [RA_POWER_CYCLE] = "power cycle",
                                         [RA_POWER_DIAG] = "diagnostic interrupt" };
    unsigned char data = codes[cmd];

    (void)plug;
    ra_log(ra_fence_log(f), RA_LOG_DEBUG, "Chassis Control: %s", names[cmd]);
    return request(f, IPMI_CHASSIS_NETFN, IPMI_CHASSIS_CONTROL_CMD, &data, 1, names[cmd]);
}

/* monitor: is the BMC there and talking?  Get Device ID touches no chassis. */
static int
ipmilan_ping(struct ra_fence *f)
{
    return request(f, IPMI_APP_NETFN, IPMI_GET_DEVICE_ID_CMD, NULL, 0, "Get Device ID");
}

static void
con_closed(ipmi_con_t *con, void *cb_data)
{
    struct ipmi_dev *d = cb_data;

    (void)con;
    d->closed = true;
}

static void
ipmilan_disconnect(struct ra_fence *f)
{
    struct ipmi_dev *d = ra_fence_data(f);

    if (d->con != NULL) {
        /* closing is asynchronous: let the event loop finish it, within the step */
        d->closed = false;
        if (d->con->close_connection_done(d->con, con_closed, d) == 0) {
            (void)pump(f, d, &d->closed);
        }
        d->con = NULL;
    }
    if (d->os != NULL) {
        /* the selector frees a removed fd handler on its next turns */
        for (int i = 0; i < 3; i++) {
            struct timeval zero = { 0, 0 };

            d->os->perform_one_op(d->os, &zero);
        }
        ipmi_shutdown();
        d->os->free_os_handler(d->os);
        d->os = NULL;
    }
}

static const struct ra_fence_agent ipmilan_agent = {
    .name = "fence_ipmilan",
    .shortdesc = "Fence agent for IPMI",
    .longdesc = "fence_ipmilan powers a node off, on or through a reboot with its BMC, over "
                "IPMI 1.5 (lan) or IPMI 2.0 (lanplus). It talks to the BMC itself, through the "
                "OpenIPMI library: no ipmitool is run, so the password never appears on a "
                "command line. Every power change is confirmed by reading the chassis power "
                "state back until it matches or power_timeout passes. With method=cycle the "
                "BMC's own power cycle is used; the agent can then only confirm that the BMC "
                "accepted it and reports the node on again, not that it was ever off: prefer "
                "method=onoff.",
    .vendor_url =
        "https://www.intel.com/content/www/us/en/products/docs/servers/ipmi/ipmi-home.html",
    .symlinks = ipmilan_symlinks,
    .nsymlinks = RA_NELEM(ipmilan_symlinks),
    .params = ipmilan_params,
    .nparams = RA_NELEM(ipmilan_params),
    .uses = ipmilan_uses,
    .defaults = ipmilan_defaults,
    .flags = RA_FENCE_DIAG | RA_FENCE_NO_LOGIN | RA_FENCE_NO_PASSWORD,
    .data_size = sizeof(struct ipmi_dev),
    .validate = ipmilan_validate,
    .connect = ipmilan_connect,
    .get_power = ipmilan_get_power,
    .set_power = ipmilan_set_power,
    .ping = ipmilan_ping,
    .disconnect = ipmilan_disconnect,
};

int
main(int argc, char **argv)
{
    return ra_fence_main(&ipmilan_agent, argc, argv);
}
