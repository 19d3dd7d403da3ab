/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fence_apc_snmp: fencing through a switched PDU (APC, Tripplite) over SNMP
 * v1, v2c or v3, with the net-snmp library in-process (its single-session
 * API: no global session).  A drop-in for fence-agents' fence_apc_snmp:
 * same options, same device detection from sysObjectID, same OID tables;
 * but no snmpget/snmpset processes, and so no community or passphrase on a
 * command line.
 *
 * When is a node off?  When the outlet's status OID reads the device's own
 * "off" value after the SET, polled until power_timeout.  A value that is
 * neither its on nor its off (unknown(4), a command still pending), a read
 * that gets no answer, or an error is never "off": it is read again, then
 * a failure.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "env.h"
#include "fence.h"
#include "state.h"
#include "str.h"

/* ------------------------------------------------------------ devices */

struct pdu_type {
    const char *sys_oid; /* sysObjectID, or NULL for the fallback */
    const char *name;
    const char *status_oid; /* %d outlet (or switch, outlet) */
    const char *control_oid;
    const char *outlet_table; /* outlet names */
    long state_on, state_off; /* what the status OID reads; anything else is unknown */
    long turn_on, turn_off;
    bool has_switches; /* "switch:outlet" addressing */
};

/* The anchor's table (fence_apc_snmp.py), the fallback last. */
static const struct pdu_type pdu_types[] = {
    { ".1.3.6.1.4.1.318.1.3.4.5", "APC rPDU", ".1.3.6.1.4.1.318.1.1.12.3.5.1.1.4.%d",
      ".1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.%d", ".1.3.6.1.4.1.318.1.1.12.3.5.1.1.2", 1, 2, 1, 2,
      false },
    { ".1.3.6.1.4.1.318.1.3.4.4", "APC Master Switch+", ".1.3.6.1.4.1.318.1.1.6.7.1.1.5.%d.1.%d",
      ".1.3.6.1.4.1.318.1.1.6.5.1.1.5.%d.1.%d", ".1.3.6.1.4.1.318.1.1.6.7.1.1.4", 1, 2, 1, 3,
      true },
    { ".1.3.6.1.4.1.850.1", "Tripplite", ".1.3.6.1.4.1.850.10.2.3.5.1.2.1.%d",
      ".1.3.6.1.4.1.850.10.2.3.5.1.4.1.%d", ".1.3.6.1.4.1.850.10.2.3.5.1.5", 2, 1, 2, 1, false },
    { ".1.3.6.1.4.1.850.1.1.1", "Tripplite LX", ".1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.4.1.%d",
      ".1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.6.1.%d", ".1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.2.1", 2, 1, 2, 1,
      false },
    { ".1.3.6.1.4.1.318.1.3.4.6", "APC Master Switch with firmware v6.x",
      ".1.3.6.1.4.1.318.1.1.4.4.2.1.3.%d", ".1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.%d",
      ".1.3.6.1.4.1.318.1.1.4.4.2.1.4", 1, 2, 1, 2, false },
    { NULL, "APC Master Switch (fallback)", ".1.3.6.1.4.1.318.1.1.4.4.2.1.3.%d",
      ".1.3.6.1.4.1.318.1.1.4.4.2.1.3.%d", ".1.3.6.1.4.1.318.1.1.4.4.2.1.4", 1, 2, 1, 2, false },
};

static const char *const versions[] = { "1", "2c", "3", NULL };
static const char *const auth_prots[] = { "MD5", "SHA", NULL };
static const char *const priv_prots[] = { "DES", "AES", NULL };
static const char *const sec_levels[] = { "noAuthNoPriv", "authNoPriv", "authPriv", NULL };

static const struct ra_param apc_params[] = {
    { .name = "community",
      .type = RA_T_STRING,
      .def = "private",
      .flags = RA_P_SECRET,
      .opt_short = 'c',
      .opt_long = "community",
      .opt_arg = "[community]",
      .shortdesc = "Set the community string" },
    { .name = "snmp_version",
      .type = RA_T_ENUM,
      .values = versions,
      .def = "1",
      .opt_short = 'd',
      .opt_long = "snmp-version",
      .opt_arg = "[version]",
      .shortdesc = "Specifies SNMP version to use" },
    { .name = "snmp_auth_prot",
      .type = RA_T_ENUM,
      .values = auth_prots,
      .opt_short = 'b',
      .opt_long = "snmp-auth-prot",
      .opt_arg = "[prot]",
      .shortdesc = "Set authentication protocol" },
    { .name = "snmp_sec_level",
      .type = RA_T_ENUM,
      .values = sec_levels,
      .opt_short = 'E',
      .opt_long = "snmp-sec-level",
      .opt_arg = "[level]",
      .shortdesc = "Set security level" },
    { .name = "snmp_priv_prot",
      .type = RA_T_ENUM,
      .values = priv_prots,
      .opt_short = 'B',
      .opt_long = "snmp-priv-prot",
      .opt_arg = "[prot]",
      .shortdesc = "Set privacy protocol" },
    { .name = "snmp_priv_passwd",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET,
      .opt_short = 'P',
      .opt_long = "snmp-priv-passwd",
      .opt_arg = "[pass]",
      .shortdesc = "Set privacy protocol password" },
    { .name = "snmp_priv_passwd_script",
      .type = RA_T_STRING,
      .opt_short = 'R',
      .opt_long = "snmp-priv-passwd-script",
      .opt_arg = "[script]",
      .shortdesc = "Script to run to retrieve privacy password" },
    { .name = "snmpget_path",
      .type = RA_T_STRING,
      .def = "/usr/bin/snmpget",
      .opt_long = "snmpget-path",
      .opt_arg = "[path]",
      .shortdesc = "Accepted for compatibility: no snmpget is run" },
    { .name = "snmpset_path",
      .type = RA_T_STRING,
      .def = "/usr/bin/snmpset",
      .opt_long = "snmpset-path",
      .opt_arg = "[path]",
      .shortdesc = "Accepted for compatibility: no snmpset is run" },
    { .name = "snmpwalk_path",
      .type = RA_T_STRING,
      .def = "/usr/bin/snmpwalk",
      .opt_long = "snmpwalk-path",
      .opt_arg = "[path]",
      .shortdesc = "Accepted for compatibility: no snmpwalk is run" },
};

static const char *const apc_uses[] = {
    "ip",     "ipaddr",          "ipport",        "username", "login", "password",
    "passwd", "password_script", "passwd_script", "plug",     "port",  "separator",
    NULL
};
static const char *const apc_defaults[] = { "ipport=161", NULL };

static const struct ra_fence_symlink apc_symlinks[] = {
    { "fence_tripplite_snmp", "Fence agent for Tripplife over SNMP", NULL },
};

/* ------------------------------------------------------------ the session */

struct outlet {
    char plug[64]; /* as the user named it */
    int sw, port;
};

struct snmp_dev {
    void *sess;
    const struct pdu_type *type;
    struct outlet cache[32];
    size_t ncache;
};

static int
oid_parse(struct ra_fence *f, const char *text, oid *o, size_t *len)
{
    *len = MAX_OID_LEN;
    if (read_objid(text, o, len) == 0) {
        return ra_fence_fail(f, "bad OID %s", text);
    }
    return 0;
}

/* Why a request failed, in words. */
static int
snmp_fail(struct ra_fence *f, struct snmp_dev *d, int status, netsnmp_pdu *rsp, const char *what)
{
    if (status == STAT_TIMEOUT) {
        return ra_fence_fail(f,
                             "no answer from the PDU to %s (wrong community or credentials, "
                             "or the PDU is down)",
                             what);
    }
    if (status == STAT_SUCCESS && rsp != NULL) {
        return ra_fence_fail(f, "the PDU refused %s: %s", what, snmp_errstring(rsp->errstat));
    }
    {
        char *msg = NULL;
        int liberr = 0, syserr = 0;

        snmp_sess_error(d->sess, &liberr, &syserr, &msg);
        ra_fence_fail(f, "%s failed: %s", what, msg ? msg : "SNMP error");
        free(msg);
        return -1;
    }
}

/*
 * Tries and their timeout from what is left of the step (login_timeout for
 * the first answer, shell_timeout for a command, longer for a whole list)
 * and at most shell_timeout + login_timeout for one request: one try a
 * second, so a silent PDU costs the step's budget, no more.
 */
static void
budget(const struct ra_fence *f, netsnmp_session *s)
{
    uint64_t left = ra_deadline_left_ms(ra_fence_step(f)),
             one = ra_fence_ms(f, "shell_timeout") + ra_fence_ms(f, "login_timeout");

    /* one request never gets more than fence-agents gives one snmp command */
    left = left < one ? left : one;

    if (left < 1000) {
        s->timeout = (long)(left > 100 ? left : 100) * 1000;
        s->retries = 0;
    } else {
        s->timeout = 1000000;
        s->retries = (int)(left / 1000) - 1;
    }
}

/* One request and its answer, within the step. */
static int
synch(struct ra_fence *f, struct snmp_dev *d, netsnmp_pdu *pdu, netsnmp_pdu **rsp)
{
    budget(f, snmp_sess_session(d->sess));
    return snmp_sess_synch_response(d->sess, pdu, rsp);
}

/* GET one integer (or, with @text, a string) */
static int
snmp_get(struct ra_fence *f, const char *oidtext, long *ret_num, char *text, size_t cap)
{
    struct snmp_dev *d = ra_fence_data(f);
    oid o[MAX_OID_LEN];
    size_t len;
    netsnmp_pdu *pdu, *rsp = NULL;
    int status, rc = -1;

    if (oid_parse(f, oidtext, o, &len) < 0) {
        return -1;
    }
    pdu = snmp_pdu_create(SNMP_MSG_GET);
    snmp_add_null_var(pdu, o, len);
    status = synch(f, d, pdu, &rsp);
    if (status != STAT_SUCCESS || rsp == NULL || rsp->errstat != SNMP_ERR_NOERROR ||
        rsp->variables == NULL) {
        snmp_fail(f, d, status, rsp, "a read");
    } else if (rsp->variables->type == ASN_INTEGER && ret_num != NULL) {
        *ret_num = *rsp->variables->val.integer;
        rc = 0;
    } else if (rsp->variables->type == ASN_OBJECT_ID && text != NULL) {
        /* dotted numbers, as the device table has them (no MIB names) */
        size_t n = rsp->variables->val_len / sizeof(oid), at = 0;

        text[0] = '\0';
        for (size_t i = 0; i < n && at + 24 < cap; i++) {
            int w =
                snprintf(text + at, cap - at, ".%lu", (unsigned long)rsp->variables->val.objid[i]);

            at += w > 0 ? (size_t)w : 0;
        }
        rc = 0;
    } else if (rsp->variables->type == SNMP_NOSUCHOBJECT ||
               rsp->variables->type == SNMP_NOSUCHINSTANCE) {
        ra_fence_fail(f, "the PDU has no %s", oidtext);
    } else {
        ra_fence_fail(f, "unexpected value type at %s", oidtext);
    }
    if (rsp != NULL) {
        snmp_free_pdu(rsp);
    }
    return rc;
}

static int
snmp_set(struct ra_fence *f, const char *oidtext, long value)
{
    struct snmp_dev *d = ra_fence_data(f);
    oid o[MAX_OID_LEN];
    size_t len;
    netsnmp_pdu *pdu, *rsp = NULL;
    int status, rc = 0;

    if (oid_parse(f, oidtext, o, &len) < 0) {
        return -1;
    }
    pdu = snmp_pdu_create(SNMP_MSG_SET);
    snmp_pdu_add_variable(pdu, o, len, ASN_INTEGER, &value, sizeof(value));
    status = synch(f, d, pdu, &rsp);
    if (status != STAT_SUCCESS || rsp == NULL || rsp->errstat != SNMP_ERR_NOERROR) {
        rc = snmp_fail(f, d, status, rsp, "the write");
    }
    if (rsp != NULL) {
        snmp_free_pdu(rsp);
    }
    return rc;
}

/* Walk the subtree @base, calling @fn for each (suffix oid, string value). */
static int
snmp_walk(struct ra_fence *f, const char *base,
          void (*fn)(void *, const oid *, size_t, const char *), void *data)
{
    struct snmp_dev *d = ra_fence_data(f);
    oid root[MAX_OID_LEN], cur[MAX_OID_LEN];
    size_t rootlen, curlen;

    if (oid_parse(f, base, root, &rootlen) < 0) {
        return -1;
    }
    memcpy(cur, root, rootlen * sizeof(oid));
    curlen = rootlen;
    for (int guard = 0; guard < 4096; guard++) {
        netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GETNEXT), *rsp = NULL;
        netsnmp_variable_list *v;
        int status;

        snmp_add_null_var(pdu, cur, curlen);
        status = synch(f, d, pdu, &rsp);
        if (status != STAT_SUCCESS || rsp == NULL || rsp->errstat != SNMP_ERR_NOERROR) {
            /* v1 ends a walk with noSuchName */
            bool end = status == STAT_SUCCESS && rsp != NULL && rsp->errstat == SNMP_ERR_NOSUCHNAME;
            int r = end ? 0 : snmp_fail(f, d, status, rsp, "a walk");

            if (rsp != NULL) {
                snmp_free_pdu(rsp);
            }
            return r;
        }
        v = rsp->variables;
        if (v == NULL || v->type == SNMP_ENDOFMIBVIEW || v->name_length <= rootlen ||
            memcmp(v->name, root, rootlen * sizeof(oid)) != 0) {
            snmp_free_pdu(rsp);
            return 0;
        }
        {
            char val[256] = "";

            if (v->type == ASN_OCTET_STR) {
                size_t n = v->val_len < sizeof(val) - 1 ? v->val_len : sizeof(val) - 1;

                memcpy(val, v->val.string, n);
                val[n] = '\0';
            }
            fn(data, v->name + rootlen, v->name_length - rootlen, val);
        }
        memcpy(cur, v->name, v->name_length * sizeof(oid));
        curlen = v->name_length;
        snmp_free_pdu(rsp);
    }
    return 0;
}

static int
apc_validate(struct ra_fence *f)
{
    const char *ver = ra_fence_str(f, "snmp_version");

    if (strcmp(ver, "3") == 0 && ra_fence_str(f, "username") == NULL) {
        return ra_fence_fail(f, "SNMP v3 needs a username");
    }
    return 0;
}

static int
apc_connect(struct ra_fence *f)
{
    struct snmp_dev *d = ra_fence_data(f);
    const char *ip = ra_fence_str(f, "ip");
    const char *ver = ra_fence_str(f, "snmp_version");
    const char *user = ra_fence_str(f, "username");
    const char *pass = ra_fence_password(f);
    const char *priv = NULL;
    const char *level = ra_fence_str(f, "snmp_sec_level");
    char peer[300], sysoid[256] = "";
    struct snmp_session s;

    /* no MIB files, no config files, no persistent state: numeric OIDs and our options only */
    if (ra_env_set("MIBS", "", true) < 0 || ra_env_set("MIBDIRS", "", true) < 0) {
        return ra_fence_fail(f, "cannot set up net-snmp");
    }
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    /* what net-snmp insists on keeping goes to our tmpfs state directory, not /var/lib */
    {
        char dir[512];

        ra_format_cut(dir, sizeof(dir), "%s/snmp", ra_state_dir());
        netsnmp_ds_set_string(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_PERSISTENT_DIR, dir);
    }
    snmp_disable_log(); /* its messages come back to us through snmp_sess_error */
    init_snmp("rampart");
    snmp_sess_init(&s);
    ra_format_cut(peer, sizeof(peer), strchr(ip, ':') ? "udp6:[%s]:%lld" : "udp:%s:%lld", ip,
                  ra_fence_int(f, "ipport"));
    s.peername = peer;
    /* v3 finds the engine at open: that too is the first answer, within login_timeout */
    budget(f, &s);
    /* the anchor's rules: a community alone means v2c */
    if (!ra_fence_given(f, "snmp_version") && ra_fence_given(f, "community") && user == NULL &&
        pass == NULL) {
        ver = "2c";
    }
    if (strcmp(ver, "3") == 0) {
        priv = ra_fence_secret(f, "snmp_priv_passwd", "snmp_priv_passwd_script");
        if (level == NULL) {
            /* passwords and no level: as secure as they allow */
            level = pass && priv ? "authPriv" : pass ? "authNoPriv" : "noAuthNoPriv";
        }
        s.version = SNMP_VERSION_3;
        s.securityName = (char *)(uintptr_t)user;
        s.securityNameLen = strlen(user);
        s.securityLevel = strcmp(level, "authPriv") == 0     ? SNMP_SEC_LEVEL_AUTHPRIV
                          : strcmp(level, "authNoPriv") == 0 ? SNMP_SEC_LEVEL_AUTHNOPRIV
                                                             : SNMP_SEC_LEVEL_NOAUTH;
        if (s.securityLevel != SNMP_SEC_LEVEL_NOAUTH) {
            bool sha = ra_fence_str(f, "snmp_auth_prot") &&
                       strcmp(ra_fence_str(f, "snmp_auth_prot"), "SHA") == 0;

            if (pass == NULL) {
                return ra_fence_fail(f, "SNMP v3 %s needs a password", level);
            }
            s.securityAuthProto = sha ? usmHMACSHA1AuthProtocol : usmHMACMD5AuthProtocol;
            s.securityAuthProtoLen = sha ? USM_AUTH_PROTO_SHA_LEN : USM_AUTH_PROTO_MD5_LEN;
            s.securityAuthKeyLen = USM_AUTH_KU_LEN;
            if (generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen,
                            (const u_char *)pass, strlen(pass), s.securityAuthKey,
                            &s.securityAuthKeyLen) != SNMPERR_SUCCESS) {
                return ra_fence_fail(f,
                                     "the SNMP v3 password is not usable (at least 8 characters)");
            }
        }
        if (s.securityLevel == SNMP_SEC_LEVEL_AUTHPRIV) {
            bool aes = ra_fence_str(f, "snmp_priv_prot") &&
                       strcmp(ra_fence_str(f, "snmp_priv_prot"), "AES") == 0;

            if (priv == NULL) {
                return ra_fence_fail(f, "SNMP v3 authPriv needs snmp_priv_passwd");
            }
            s.securityPrivProto = aes ? usmAESPrivProtocol : usmDESPrivProtocol;
            s.securityPrivProtoLen = aes ? USM_PRIV_PROTO_AES_LEN : USM_PRIV_PROTO_DES_LEN;
            s.securityPrivKeyLen = USM_PRIV_KU_LEN;
            if (generate_Ku(s.securityAuthProto, (u_int)s.securityAuthProtoLen,
                            (const u_char *)priv, strlen(priv), s.securityPrivKey,
                            &s.securityPrivKeyLen) != SNMPERR_SUCCESS) {
                return ra_fence_fail(f, "the SNMP v3 privacy password is not usable");
            }
        }
    } else {
        const char *community = ra_fence_str(f, "community");

        s.version = strcmp(ver, "2c") == 0 ? SNMP_VERSION_2c : SNMP_VERSION_1;
        /* the community goes to the library in memory: never to an argv */
        s.community = (u_char *)(uintptr_t)community;
        s.community_len = strlen(community);
    }
    d->sess = snmp_sess_open(&s);
    explicit_bzero(s.securityAuthKey, sizeof(s.securityAuthKey));
    explicit_bzero(s.securityPrivKey, sizeof(s.securityPrivKey));
    if (d->sess == NULL) {
        return ra_fence_fail(f, "cannot open an SNMP session to %s", peer);
    }
    /* the device type, from sysObjectID, as the anchor picks it */
    if (snmp_get(f, ".1.3.6.1.2.1.1.2.0", NULL, sysoid, sizeof(sysoid)) < 0) {
        return -1;
    }
    d->type = &pdu_types[RA_NELEM(pdu_types) - 1];
    for (size_t i = 0; i + 1 < RA_NELEM(pdu_types); i++) {
        if (strcmp(sysoid, pdu_types[i].sys_oid) == 0) {
            d->type = &pdu_types[i];
        }
    }
    ra_log(ra_fence_log(f), RA_LOG_DEBUG, "sysObjectID %s: %s", sysoid, d->type->name);
    return 0;
}

/* ------------------------------------------------------------ outlets */

struct name_search {
    const char *want;
    const struct pdu_type *type;
    int sw, port;
};

static void
name_match(void *data, const oid *suffix, size_t n, const char *value)
{
    struct name_search *s = data;

    if (s->port < 0 && strcmp(value, s->want) == 0 && n >= 1) {
        s->port = (int)suffix[n - 1];
        /* Master Switch+: ...<switch>.1.<outlet> */
        s->sw = s->type->has_switches && n >= 3 ? (int)suffix[n - 3] : 1;
    }
}

static bool
all_digits(const char *s)
{
    return *s != '\0' && strspn(s, "0123456789") == strlen(s);
}

/* Outlet number (and switch) of @plug: "3", "2:3", or an outlet's name. */
static int
resolve(struct ra_fence *f, const char *plug, int *ret_sw, int *ret_port)
{
    struct snmp_dev *d = ra_fence_data(f);
    const char *colon = strchr(plug, ':');
    long long a = 0, b = 0;

    for (size_t i = 0; i < d->ncache; i++) {
        if (strcmp(d->cache[i].plug, plug) == 0) {
            *ret_sw = d->cache[i].sw;
            *ret_port = d->cache[i].port;
            return 0;
        }
    }
    if (all_digits(plug) && ra_parse_int(plug, 1, 100000, &a) == 0) {
        *ret_sw = 1;
        *ret_port = (int)a;
    } else if (colon != NULL && d->type->has_switches) {
        char sw[16];

        ra_format_cut(sw, sizeof(sw), "%.*s", (int)(colon - plug), plug);
        if (ra_parse_int(sw, 1, 100000, &a) < 0 || ra_parse_int(colon + 1, 1, 100000, &b) < 0) {
            return ra_fence_fail(f, "plug '%s' is not switch:outlet", plug);
        }
        *ret_sw = (int)a;
        *ret_port = (int)b;
    } else {
        struct name_search s = { .want = plug, .type = d->type, .port = -1 };

        if (snmp_walk(f, d->type->outlet_table, name_match, &s) < 0) {
            return -1;
        }
        if (s.port < 0) {
            return ra_fence_fail(f, "no outlet named '%s'", plug);
        }
        *ret_sw = s.sw;
        *ret_port = s.port;
    }
    if (d->ncache < RA_NELEM(d->cache)) {
        ra_format_cut(d->cache[d->ncache].plug, sizeof(d->cache[0].plug), "%s", plug);
        d->cache[d->ncache].sw = *ret_sw;
        d->cache[d->ncache].port = *ret_port;
        d->ncache++;
    }
    return 0;
}

static void
outlet_oid(const struct pdu_type *t, const char *fmt, int sw, int port, char *buf, size_t cap)
{
    if (t->has_switches) {
        ra_format_cut(buf, cap, fmt, sw, port);
    } else {
        ra_format_cut(buf, cap, fmt, port);
    }
}

/*
 * The outlet's state.  A value that is neither the device's on nor its off
 * (unknown(4), a pending command's state) cannot be read as either: it is
 * read again a few times, within the step, and then it is a failure.
 */
static int
apc_get_power(struct ra_fence *f, const char *plug, bool *ret_on)
{
    struct snmp_dev *d = ra_fence_data(f);
    const struct ra_deadline *step = ra_fence_step(f);
    char oidtext[128];
    int sw = 1, port = 0;
    long v = 0;

    if (resolve(f, plug, &sw, &port) < 0) {
        return -1;
    }
    outlet_oid(d->type, d->type->status_oid, sw, port, oidtext, sizeof(oidtext));
    for (int tries = 1;; tries++) {
        if (snmp_get(f, oidtext, &v, NULL, 0) < 0) {
            return -1;
        }
        if (v == d->type->state_on || v == d->type->state_off) {
            *ret_on = v == d->type->state_on;
            return 0;
        }
        if (tries == 3 || ra_deadline_left_ms(step) < 1000) {
            return ra_fence_fail(f, "outlet %s reports state %ld, neither on (%ld) nor off (%ld)",
                                 plug, v, d->type->state_on, d->type->state_off);
        }
        ra_log(ra_fence_log(f), RA_LOG_DEBUG, "outlet %s reports state %ld, reading it again", plug,
               v);
        (void)ra_deadline_sleep(step, 500);
    }
}

static int
apc_set_power(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd)
{
    struct snmp_dev *d = ra_fence_data(f);
    char oidtext[128];
    int sw = 1, port = 0;

    if (cmd != RA_POWER_ON && cmd != RA_POWER_OFF) {
        return ra_fence_fail(f, "the PDU can only switch outlets on and off");
    }
    if (resolve(f, plug, &sw, &port) < 0) {
        return -1;
    }
    outlet_oid(d->type, d->type->control_oid, sw, port, oidtext, sizeof(oidtext));
    ra_log(ra_fence_log(f), RA_LOG_DEBUG, "SET %s = %ld", oidtext,
           cmd == RA_POWER_ON ? d->type->turn_on : d->type->turn_off);
    return snmp_set(f, oidtext, cmd == RA_POWER_ON ? d->type->turn_on : d->type->turn_off);
}

struct listing {
    struct ra_fence *f;
    ra_fence_emit emit;
};

static void
list_one(void *data, const oid *suffix, size_t n, const char *name)
{
    struct listing *l = data;
    struct snmp_dev *d = ra_fence_data(l->f);
    char plug[32];
    bool on = false;
    int sw = d->type->has_switches && n >= 3 ? (int)suffix[n - 3] : 1;
    int port = n >= 1 ? (int)suffix[n - 1] : 0;

    if (d->type->has_switches) {
        ra_format_cut(plug, sizeof(plug), "%d:%d", sw, port);
    } else {
        ra_format_cut(plug, sizeof(plug), "%d", port);
    }
    if (l->emit == NULL) {
        return;
    }
    if (apc_get_power(l->f, plug, &on) < 0) {
        l->emit(l->f, plug, name, -1);
        return;
    }
    l->emit(l->f, plug, name, on);
}

static int
apc_list(struct ra_fence *f, ra_fence_emit emit)
{
    struct snmp_dev *d = ra_fence_data(f);
    struct listing l = { .f = f, .emit = emit };

    return snmp_walk(f, d->type->outlet_table, list_one, &l);
}

/* monitor: the PDU answers (the sysObjectID read at connect already proved it). */
static int
apc_ping(struct ra_fence *f)
{
    (void)f;
    return 0;
}

static void
apc_disconnect(struct ra_fence *f)
{
    struct snmp_dev *d = ra_fence_data(f);

    if (d->sess != NULL) {
        snmp_sess_close(d->sess);
        d->sess = NULL;
    }
    snmp_shutdown("rampart");
}

static const struct ra_fence_agent apc_agent = {
    .name = "fence_apc_snmp",
    .shortdesc = "Fence agent for APC, Tripplite PDU over SNMP",
    .longdesc = "fence_apc_snmp switches the outlets of an APC or Tripplite power distribution "
                "unit over SNMP v1, v2c or v3 (every security level), to power a node off, on "
                "or through a reboot. It speaks SNMP itself, through the net-snmp library: no "
                "snmpget or snmpset is run, so communities and passphrases never appear on a "
                "command line. The device type is read from its sysObjectID; outlets are named "
                "by number, switch:outlet, or by their names on the PDU. Every change is "
                "confirmed by reading the outlet state back.",
    .vendor_url = "http://www.apc.com",
    .symlinks = apc_symlinks,
    .nsymlinks = RA_NELEM(apc_symlinks),
    .params = apc_params,
    .nparams = RA_NELEM(apc_params),
    .uses = apc_uses,
    .defaults = apc_defaults,
    .flags = RA_FENCE_PLUGS | RA_FENCE_NO_LOGIN | RA_FENCE_NO_PASSWORD,
    .data_size = sizeof(struct snmp_dev),
    .validate = apc_validate,
    .connect = apc_connect,
    .get_power = apc_get_power,
    .set_power = apc_set_power,
    .list = apc_list,
    .ping = apc_ping,
    .disconnect = apc_disconnect,
};

int
main(int argc, char **argv)
{
    return ra_fence_main(&apc_agent, argc, argv);
}
