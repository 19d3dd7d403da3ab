/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Metadata XML, usage text and man page, all from the agent's table.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "meta.h"

/* Actions that resource-agents' ra-api-1.dtd allows by name. */
static const char *const dtd_actions[] = {
    "start",        "stop",    "recover", "monitor",      "restart", "migrate_to",
    "migrate_from", "promote", "demote",  "notify",       "status",  "reload",
    "meta-data",    "usage",   "methods", "validate-all", NULL,
};

static bool
in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

static void
xml_escaped(FILE *out, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void
xml_attr(FILE *out, const char *name, const char *value)
{
    fprintf(out, " %s=\"", name);
    xml_escaped(out, value);
    fputc('"', out);
}

static void
xml_desc(FILE *out, const char *indent, const char *tag, const char *text)
{
    fprintf(out, "%s<%s lang=\"en\">", indent, tag);
    xml_escaped(out, text);
    fprintf(out, "</%s>\n", tag);
}

static const char *
role_name(const char *role, bool v11)
{
    if (role == NULL || v11) {
        return role;
    }
    /* OCF 1.0 tools know the old names */
    return strcmp(role, "Promoted") == 0     ? "Master"
           : strcmp(role, "Unpromoted") == 0 ? "Slave"
                                             : role;
}

static bool
is_monitor(const char *name)
{
    return strcmp(name, "monitor") == 0 || strcmp(name, "status") == 0;
}

static void
write_action(FILE *out, const struct ra_action *a, bool v11)
{
    char num[32];

    fputs("  <action", out);
    xml_attr(out, "name", a->name);
    snprintf(num, sizeof(num), "%us", a->timeout_s ? a->timeout_s : 20);
    xml_attr(out, "timeout", num);
    if (a->interval_s) {
        snprintf(num, sizeof(num), "%us", a->interval_s);
        xml_attr(out, "interval", num);
    }
    if (is_monitor(a->name)) {
        snprintf(num, sizeof(num), "%d", a->depth);
        xml_attr(out, "depth", num);
    }
    if (a->role != NULL) {
        xml_attr(out, "role", role_name(a->role, v11));
    }
    fputs("/>\n", out);
}

static bool
agent_lists(const struct ra_agent *agent, const char *name)
{
    for (size_t i = 0; i < agent->nactions; i++) {
        if (strcmp(agent->actions[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static void
write_param(FILE *out, const struct ra_agent *agent, const struct ra_param *p, bool v11)
{
    const char *successor = p->alias_of ? p->alias_of : p->replaced_with;
    bool deprecated = (p->flags & RA_P_DEPRECATED) || p->alias_of != NULL;

    fputs(" <parameter", out);
    xml_attr(out, "name", p->name);
    xml_attr(out, "unique", (p->flags & RA_P_UNIQUE) ? "1" : "0");
    xml_attr(out, "required", (p->flags & RA_P_REQUIRED) ? "1" : "0");
    if (v11) {
        if (p->flags & RA_P_UNIQUE) {
            xml_attr(out, "unique-group", p->unique_group ? p->unique_group : agent->name);
        }
        if (p->flags & RA_P_RELOADABLE) {
            xml_attr(out, "reloadable", "1");
        }
        /* Pacemaker's private="1" extension is left out on purpose: pcs
         * validates metadata against the plain OCF 1.1 schema and refuses
         * to create a resource whose agent uses it */
    }
    fputs(">\n", out);
    if (v11 && deprecated) {
        fputs("  <deprecated>", out);
        if (successor != NULL) {
            fputs("<replaced-with", out);
            xml_attr(out, "name", successor);
            fputs("/>", out);
        }
        fputs("</deprecated>\n", out);
    }
    fputs("  <longdesc lang=\"en\">", out);
    xml_escaped(out, p->longdesc ? p->longdesc : p->shortdesc);
    if (!v11 && p->type == RA_T_ENUM && p->values != NULL) {
        fputs(" Allowed values:", out);
        for (size_t i = 0; p->values[i] != NULL; i++) {
            fputs(i ? ", " : " ", out);
            xml_escaped(out, p->values[i]);
        }
        fputc('.', out);
    }
    if (!v11 && deprecated && successor != NULL) {
        fputs(" Deprecated: use ", out);
        xml_escaped(out, successor);
        fputs(" instead.", out);
    }
    fputs("</longdesc>\n", out);
    xml_desc(out, "  ", "shortdesc", p->shortdesc);
    fputs("  <content", out);
    if (v11 && p->type == RA_T_ENUM && p->values != NULL) {
        xml_attr(out, "type", "select");
        if (p->def != NULL) {
            xml_attr(out, "default", p->def);
        }
        fputs(">\n", out);
        for (size_t i = 0; p->values[i] != NULL; i++) {
            fputs("   <option", out);
            xml_attr(out, "value", p->values[i]);
            fputs("/>\n", out);
        }
        fputs("  </content>\n", out);
    } else {
        xml_attr(out, "type", ra_param_ocf_type(p));
        if (p->def != NULL) {
            xml_attr(out, "default", p->def);
        }
        fputs("/>\n", out);
    }
    fputs(" </parameter>\n", out);
}

void
ra_meta_write(const struct ra_agent *agent, FILE *out, bool v11)
{
    static const struct ra_action builtin_meta = { .name = "meta-data", .timeout_s = 5 };
    static const struct ra_action builtin_validate = { .name = "validate-all", .timeout_s = 20 };

    fputs("<?xml version=\"1.0\"?>\n", out);
    if (!v11) {
        fputs("<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n", out);
    }
    fputs("<resource-agent", out);
    xml_attr(out, "name", agent->name);
    xml_attr(out, "version", agent->version ? agent->version : PACKAGE_VERSION);
    fputs(">\n", out);
    fprintf(out, "<version>%s</version>\n", v11 ? "1.1" : "1.0");
    xml_desc(out, "", "longdesc", agent->longdesc);
    xml_desc(out, "", "shortdesc", agent->shortdesc);
    fputs("<parameters>\n", out);
    for (size_t i = 0; i < agent->nparams; i++) {
        write_param(out, agent, &agent->params[i], v11);
    }
    fputs("</parameters>\n<actions>\n", out);
    for (size_t i = 0; i < agent->nactions; i++) {
        if (v11 || in_list(dtd_actions, agent->actions[i].name)) {
            write_action(out, &agent->actions[i], v11);
        }
    }
    if (!agent_lists(agent, "meta-data")) {
        write_action(out, &builtin_meta, v11);
    }
    if (!agent_lists(agent, "validate-all")) {
        write_action(out, &builtin_validate, v11);
    }
    fputs("</actions>\n</resource-agent>\n", out);
}

static bool
is_builtin_doc_action(const char *name)
{
    return strcmp(name, "meta-data") == 0 || strcmp(name, "validate-all") == 0;
}

static void
usage_actions(const struct ra_agent *agent, FILE *out)
{
    fputc('{', out);
    for (size_t i = 0; i < agent->nactions; i++) {
        bool dup = is_builtin_doc_action(agent->actions[i].name);

        for (size_t k = 0; k < i; k++) {
            dup = dup || strcmp(agent->actions[k].name, agent->actions[i].name) == 0;
        }
        if (!dup) {
            fprintf(out, "%s|", agent->actions[i].name);
        }
    }
    fputs("validate-all|meta-data|usage}", out);
}

static const char *
type_word(const struct ra_param *p)
{
    static const char *const words[] = {
        [RA_T_STRING] = "string", [RA_T_INTEGER] = "integer", [RA_T_BOOLEAN] = "boolean",
        [RA_T_ENUM] = "one of",   [RA_T_TIME] = "duration",   [RA_T_IPADDR] = "IP address",
        [RA_T_PATH] = "path",     [RA_T_PORT] = "port",
    };

    return words[p->type];
}

void
ra_usage_write(const struct ra_agent *agent, FILE *out)
{
    fprintf(out, "usage: %s ", agent->name);
    usage_actions(agent, out);
    fputs("\n\nParameters come from OCF_RESKEY_<name> environment variables:\n", out);
    for (size_t i = 0; i < agent->nparams; i++) {
        const struct ra_param *p = &agent->params[i];

        fprintf(out, "  %-20s %s", p->name, type_word(p));
        for (size_t k = 0; p->type == RA_T_ENUM && p->values && p->values[k]; k++) {
            fprintf(out, "%s%s", k ? "|" : " ", p->values[k]);
        }
        if (p->flags & RA_P_REQUIRED) {
            fputs(", required", out);
        }
        if (p->def != NULL && *p->def != '\0') {
            fprintf(out, ", default %s", p->def);
        }
        fprintf(out, ": %s\n", p->shortdesc);
    }
}

/* roff text: escape backslashes, and a leading dot or quote. */
static void
roff_text(FILE *out, const char *s)
{
    bool bol = true;

    for (; s != NULL && *s != '\0'; s++) {
        if (bol && (*s == '.' || *s == '\'')) {
            fputs("\\&", out);
        }
        if (*s == '\\') {
            fputs("\\e", out);
        } else if (*s == '-') {
            fputs("\\-", out);
        } else {
            fputc(*s, out);
        }
        bol = *s == '\n';
    }
}

void
ra_man_write(const struct ra_agent *agent, FILE *out)
{
    fputs(".TH OCF_RAMPART_", out);
    for (const char *c = agent->name; *c; c++) {
        fputc((*c >= 'a' && *c <= 'z') ? *c - 'a' + 'A' : *c, out);
    }
    fprintf(out, " 7 \"\" \"rampart %s\" \"OCF resource agents\"\n", PACKAGE_VERSION);
    /* left-adjusted, no hyphenation: long action lists must not strain the filler */
    fputs(".ad l\n.nh\n.SH NAME\n", out);
    fprintf(out, "ocf_rampart_%s \\- ", agent->name);
    roff_text(out, agent->shortdesc);
    fputs("\n.SH SYNOPSIS\n", out);
    fprintf(out, "[\\fBOCF_RESKEY_\\fIparameter\\fR=\\fIvalue\\fR ...] \\fB%s\\fR ", agent->name);
    usage_actions(agent, out);
    fputs("\n.SH DESCRIPTION\n", out);
    roff_text(out, agent->longdesc);
    fputs("\n.SH PARAMETERS\n", out);
    for (size_t i = 0; i < agent->nparams; i++) {
        const struct ra_param *p = &agent->params[i];

        fprintf(out, ".TP\n\\fB%s\\fR (%s", p->name, type_word(p));
        for (size_t k = 0; p->type == RA_T_ENUM && p->values && p->values[k]; k++) {
            fputs(k ? "|" : " ", out);
            roff_text(out, p->values[k]);
        }
        if (p->flags & RA_P_REQUIRED) {
            fputs(", required", out);
        }
        if (p->flags & RA_P_UNIQUE) {
            fputs(", unique", out);
        }
        if (p->flags & RA_P_RELOADABLE) {
            fputs(", reloadable", out);
        }
        if (p->flags & RA_P_SECRET) {
            fputs(", secret", out);
        }
        if (p->def != NULL && *p->def != '\0') {
            fputs(", default \\(lq", out);
            roff_text(out, p->def);
            fputs("\\(rq", out);
        }
        fputs(")\n", out);
        roff_text(out, p->shortdesc);
        fputs(". ", out);
        roff_text(out, p->longdesc);
        if (p->alias_of != NULL || (p->flags & RA_P_DEPRECATED)) {
            fputs(" Deprecated", out);
            if (p->alias_of || p->replaced_with) {
                fprintf(out, ": use \\fB%s\\fR", p->alias_of ? p->alias_of : p->replaced_with);
            }
            fputc('.', out);
        }
        fputc('\n', out);
    }
    fputs(".SH ACTIONS\n", out);
    for (size_t i = 0; i < agent->nactions; i++) {
        const struct ra_action *a = &agent->actions[i];

        fprintf(out, ".TP\n\\fB%s\\fR\ntimeout %us", a->name, a->timeout_s ? a->timeout_s : 20);
        if (a->interval_s) {
            fprintf(out, ", interval %us", a->interval_s);
        }
        if (is_monitor(a->name)) {
            fprintf(out, ", depth %d", a->depth);
        }
        if (a->role) {
            fprintf(out, ", role %s", a->role);
        }
        fputc('\n', out);
    }
    fputs(".SH CALLING CONVENTIONS\n"
          "OCF (Pacemaker): the action is the only argument, parameters are "
          "OCF_RESKEY_* variables.\n.PP\n",
          out);
    fprintf(out,
            "pcs resource create \\fIid\\fR ocf:rampart:%s [\\fIparameter\\fR=\\fIvalue\\fR ...]\n",
            agent->name);
    fputs(".PP\nheartbeat v1 (haresources): positional arguments before the action", out);
    if (agent->positional != NULL) {
        fputs(", in the order", out);
        for (size_t i = 0; agent->positional[i] != NULL; i++) {
            fprintf(out, " \\fI%s\\fR", agent->positional[i]);
        }
    }
    fputs("; \\fBstatus\\fR prints running or stopped.\n.PP\n"
          "LSB: run from /etc/init.d (or with RAMPART_CONF set) with start, stop, "
          "restart, force\\-reload or status; parameters come from the file "
          "/etc/rampart/\\fIname\\fR.conf (or RAMPART_CONF), one name=value per line.\n",
          out);
    fputs(".SH EXIT STATUS\n"
          "OCF exit codes: 0 success, 1 generic error, 2 invalid arguments, "
          "3 unimplemented action, 4 insufficient privileges, 5 not installed, "
          "6 not configured, 7 not running, 8 running promoted, 9 failed promoted.\n"
          ".SH SEE ALSO\n\\fBocf\\-tester\\fR(8), \\fBcrm_resource\\fR(8)\n",
          out);
}

/* ------------------------------------------------------------ fence agents */

static const char *
fence_type(const struct ra_param *p)
{
    if (p->ocf_type != NULL) {
        return p->ocf_type;
    }
    switch (p->type) {
    case RA_T_TIME:
        return "second";
    case RA_T_BOOLEAN:
        return "boolean";
    case RA_T_INTEGER:
    case RA_T_PORT:
        return "integer";
    case RA_T_ENUM:
        return "select";
    default:
        return "string";
    }
}

/* "-a, --ip=[ip]", "--delay=[seconds]", "-P, --lanplus" */
static void
getopt_text(const struct ra_param *p, char *buf, size_t cap)
{
    char lng[96] = "";

    if (p->opt_long != NULL) {
        snprintf(lng, sizeof(lng), "--%s%s%s", p->opt_long, p->opt_arg ? "=" : "",
                 p->opt_arg ? p->opt_arg : "");
    }
    if (p->opt_short) {
        snprintf(buf, cap, "-%c%s%s", p->opt_short, lng[0] ? ", " : "", lng);
    } else {
        snprintf(buf, cap, "%s", lng);
    }
}

static const char *
alias_of_this(const struct ra_meta_fence *m, const char *name)
{
    for (size_t i = 0; i < m->nparams; i++) {
        if (m->params[i].alias_of != NULL && strcmp(m->params[i].alias_of, name) == 0) {
            return m->params[i].name;
        }
    }
    return NULL;
}

void
ra_meta_write_fence(const struct ra_meta_fence *m, FILE *out)
{
    fputs("<?xml version=\"1.0\" ?>\n<resource-agent", out);
    xml_attr(out, "name", m->name);
    xml_attr(out, "shortdesc", m->shortdesc);
    fputs(" >\n", out);
    for (size_t i = 0; i < m->nsymlinks; i++) {
        fputs("<symlink", out);
        xml_attr(out, "name", m->symlink_names[i]);
        xml_attr(out, "shortdesc", m->symlink_descs[i]);
        fputs("/>\n", out);
    }
    fputs("<longdesc>", out);
    xml_escaped(out, m->longdesc);
    fputs("</longdesc>\n<vendor-url>", out);
    xml_escaped(out, m->vendor_url ? m->vendor_url : "");
    fputs("</vendor-url>\n<parameters>\n", out);
    for (size_t i = 0; i < m->nparams; i++) {
        const struct ra_param *p = &m->params[i];
        const char *old = alias_of_this(m, p->name);
        char opt[128];

        fputs("\t<parameter", out);
        xml_attr(out, "name", p->name);
        xml_attr(out, "unique", "0");
        xml_attr(out, "required",
                 (p->flags & RA_P_REQUIRED) || strcmp(p->name, "action") == 0 ? "1" : "0");
        if (p->alias_of != NULL || (p->flags & RA_P_DEPRECATED)) {
            xml_attr(out, "deprecated", "1");
        }
        if (old != NULL) {
            xml_attr(out, "obsoletes", old);
        }
        fputs(">\n\t\t<getopt", out);
        getopt_text(p, opt, sizeof(opt));
        xml_attr(out, "mixed", opt);
        fputs(" />\n\t\t<content", out);
        xml_attr(out, "type", fence_type(p));
        if (p->def != NULL && *p->def != '\0') {
            xml_attr(out, "default", p->def);
        }
        if (p->type == RA_T_ENUM && p->values != NULL && p->ocf_type == NULL) {
            fputs(" >\n", out);
            for (size_t k = 0; p->values[k] != NULL; k++) {
                fputs("\t\t\t<option", out);
                xml_attr(out, "value", p->values[k]);
                fputs(" />\n", out);
            }
            fputs("\t\t</content>\n", out);
        } else {
            fputs(" />\n", out);
        }
        fputs("\t\t<shortdesc lang=\"en\">", out);
        xml_escaped(out, p->shortdesc);
        fputs("</shortdesc>\n\t</parameter>\n", out);
    }
    fputs("</parameters>\n<actions>\n", out);
    for (size_t i = 0; m->actions[i] != NULL; i++) {
        fputs("\t<action", out);
        xml_attr(out, "name", m->actions[i]);
        if (strcmp(m->actions[i], "on") == 0) {
            xml_attr(out, "automatic", "0");
        }
        fputs(" />\n", out);
    }
    fputs("</actions>\n</resource-agent>\n", out);
}

void
ra_man_write_fence(const struct ra_meta_fence *m, FILE *out)
{
    fputs(".TH ", out);
    for (const char *c = m->name; *c; c++) {
        fputc((*c >= 'a' && *c <= 'z') ? *c - 'a' + 'A' : *c, out);
    }
    fprintf(out, " 8 \"\" \"rampart %s\" \"Fence agents\"\n.ad l\n.nh\n.SH NAME\n",
            PACKAGE_VERSION);
    fprintf(out, "%s \\- ", m->name);
    roff_text(out, m->shortdesc);
    fprintf(
        out,
        "\n.SH SYNOPSIS\n\\fB%s\\fR [\\fIOPTIONS\\fR]\n.br\n\\fB%s\\fR < \\fIname=value lines\\fR\n",
        m->name, m->name);
    fputs(".SH DESCRIPTION\n", out);
    roff_text(out, m->longdesc);
    fputs("\n.PP\nWith no arguments the agent reads name=value lines on standard input, as "
          "Pacemaker's fencer sends them. Called with an operation of cluster-glue's "
          "external plugin protocol (gethosts, on, off, reset, status, getconfignames, "
          "getinfo\\-*), it takes its parameters from environment variables of the same "
          "names.\n.SH OPTIONS\n",
          out);
    for (size_t i = 0; i < m->nparams; i++) {
        const struct ra_param *p = &m->params[i];
        char opt[128];

        getopt_text(p, opt, sizeof(opt));
        fputs(".TP\n\\fB", out);
        roff_text(out, opt[0] ? opt : p->name);
        fprintf(out, "\\fR\n%s", "");
        roff_text(out, p->shortdesc);
        if (p->def != NULL && *p->def != '\0') {
            fputs(" (default ", out);
            roff_text(out, p->def);
            fputc(')', out);
        }
        fputs(". On stdin: \\fB", out);
        roff_text(out, p->name);
        fputs("\\fR", out);
        if (p->alias_of != NULL) {
            fprintf(out, " (deprecated, use %s)", p->alias_of);
        }
        fputs(".\n", out);
    }
    fputs(".SH ACTIONS\n", out);
    for (size_t i = 0; m->actions[i] != NULL; i++) {
        fprintf(out, ".TP\n\\fB%s\\fR\n", m->actions[i]);
    }
    fputs(".SH EXIT STATUS\n0 success (status: the power is on), 1 failure (the device could "
          "not be reached, refused, or did not reach the state in time), 2 status: the power "
          "is off.\n",
          out);
}

void
ra_meta_write_plugin_xml(const struct ra_param *params, size_t nparams, FILE *out)
{
    fputs("<parameters>\n", out);
    for (size_t i = 0; i < nparams; i++) {
        const struct ra_param *p = &params[i];

        if (p->alias_of != NULL) {
            continue;
        }
        fputs("<parameter", out);
        xml_attr(out, "name", p->name);
        xml_attr(out, "unique", "0");
        xml_attr(out, "required", (p->flags & RA_P_REQUIRED) ? "1" : "0");
        fputs(">\n<content", out);
        xml_attr(out, "type", ra_type_ocf_name(p->type));
        fputs(" />\n", out);
        xml_desc(out, "", "shortdesc", p->shortdesc);
        xml_desc(out, "", "longdesc", p->longdesc ? p->longdesc : p->shortdesc);
        fputs("</parameter>\n", out);
    }
    fputs("</parameters>\n", out);
}
