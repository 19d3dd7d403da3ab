/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/meta.c: the OCF 1.0 and 1.1 forms differ where the
 * schemas differ, and every string is escaped.  (make check also validates
 * the real agents' output with xmllint.)
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "meta.h"

static const char *const modes[] = { "auto", "force", "no", NULL };

static const struct ra_param params[] = {
    { .name = "ip",
      .type = RA_T_IPADDR,
      .flags = RA_P_REQUIRED | RA_P_UNIQUE,
      .shortdesc = "address <v4 & v6>",
      .longdesc = "quote \" and apostrophe '" },
    { .name = "mode", .type = RA_T_ENUM, .values = modes, .def = "auto", .shortdesc = "m" },
    { .name = "password",
      .type = RA_T_STRING,
      .flags = RA_P_SECRET | RA_P_RELOADABLE,
      .shortdesc = "pw" },
    { .name = "passwd", .type = RA_T_STRING, .alias_of = "password", .shortdesc = "old" },
    { .name = "count", .type = RA_T_INTEGER, .def = "5", .shortdesc = "c" },
};

static int
nop(struct ra_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static const struct ra_action actions[] = {
    { .name = "start", .fn = nop, .timeout_s = 20 },
    { .name = "monitor", .fn = nop, .timeout_s = 30, .interval_s = 10, .role = "Promoted" },
    { .name = "reload-agent", .fn = nop, .timeout_s = 10 },
};

static const struct ra_agent agent = {
    .name = "T&T",
    .shortdesc = "s",
    .longdesc = "l",
    .params = params,
    .nparams = RA_NELEM(params),
    .actions = actions,
    .nactions = RA_NELEM(actions),
};

static char *
render(bool v11)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    ra_meta_write(&agent, f, v11);
    fclose(f);
    return buf;
}

static void
ocf10_is_dtd_shaped(void **state)
{
    char *x = render(false);

    (void)state;
    assert_non_null(strstr(x, "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">"));
    assert_non_null(strstr(x, "<version>1.0</version>"));
    assert_null(strstr(x, "reload-agent")); /* not in the DTD's action list */
    assert_null(strstr(x, "private="));     /* not in the DTD */
    assert_null(strstr(x, "unique-group"));
    assert_null(strstr(x, "select"));
    assert_non_null(strstr(x, "role=\"Master\""));
    assert_non_null(strstr(x, "Allowed values: auto, force, no."));
    assert_non_null(strstr(x, "Deprecated: use password instead."));
    assert_non_null(strstr(x, "<action name=\"meta-data\" timeout=\"5s\"/>"));
    assert_non_null(strstr(x, "<action name=\"validate-all\" timeout=\"20s\"/>"));
    free(x);
}

static void
ocf11_has_the_new_features(void **state)
{
    char *x = render(true);

    (void)state;
    assert_null(strstr(x, "DOCTYPE"));
    assert_non_null(strstr(x, "<version>1.1</version>"));
    assert_non_null(strstr(x, "<action name=\"reload-agent\" timeout=\"10s\"/>"));
    assert_non_null(strstr(x, "name=\"password\" unique=\"0\" required=\"0\" reloadable=\"1\">"));
    assert_null(strstr(x, "private=")); /* pcs refuses it (tests/compat/pcs.sh) */
    assert_non_null(strstr(x, "unique-group=\"T&amp;T\""));
    assert_non_null(strstr(x, "<content type=\"select\" default=\"auto\">"));
    assert_non_null(strstr(x, "<option value=\"force\"/>"));
    assert_non_null(strstr(x, "<deprecated><replaced-with name=\"password\"/></deprecated>"));
    assert_non_null(strstr(x, "role=\"Promoted\""));
    assert_non_null(strstr(
        x,
        "<action name=\"monitor\" timeout=\"30s\" interval=\"10s\" depth=\"0\" role=\"Promoted\"/>"));
    free(x);
}

static void
everything_is_escaped(void **state)
{
    char *x = render(true);

    (void)state;
    assert_non_null(strstr(x, "name=\"T&amp;T\""));
    assert_non_null(strstr(x, "address &lt;v4 &amp; v6&gt;"));
    assert_non_null(strstr(x, "quote &quot; and apostrophe &apos;"));
    assert_null(strstr(x, "<v4"));
    free(x);
}

static void
usage_and_man_page(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    ra_usage_write(&agent, f);
    fclose(f);
    assert_non_null(
        strstr(buf, "usage: T&T {start|monitor|reload-agent|validate-all|meta-data|usage}"));
    assert_non_null(strstr(buf, "mode                 one of auto|force|no, default auto"));
    free(buf);
    f = open_memstream(&buf, &len);
    ra_man_write(&agent, f);
    fclose(f);
    assert_non_null(strstr(buf, ".TH OCF_RAMPART_T&T 7"));
    assert_non_null(strstr(buf, ".SH PARAMETERS"));
    assert_non_null(strstr(buf, "\\fBip\\fR (IP address, required, unique)"));
    assert_non_null(strstr(buf, "Deprecated: use \\fBpassword\\fR."));
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ocf10_is_dtd_shaped),
        cmocka_unit_test(ocf11_has_the_new_features),
        cmocka_unit_test(everything_is_escaped),
        cmocka_unit_test(usage_and_man_page),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
