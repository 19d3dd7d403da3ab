/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/fence.c: the driver run in-process against a TEST
 * DOUBLE of a fence device (an in-memory outlet strip, below), so that the
 * driver's own rules are checked apart from any protocol: verification by
 * polling, the reboot sequence, refusals, unreadable devices, several plugs,
 * list output, the input forms.  Real devices are tested in tests/fence/.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "fence.h"

/* The test double: 40 outlets (four of them named), with faults to switch on. */
#define OUTLETS 40

static struct {
    bool on[OUTLETS + 1];
    bool refuse;       /* set_power fails */
    bool unreadable;   /* get_power fails */
    bool stuck;        /* set_power is accepted but changes nothing */
    char log[512];     /* the commands the device saw */
    char password[64]; /* the password the driver gave connect */
    int dumpable;      /* prctl(PR_GET_DUMPABLE) when connect ran */
} dev;

static int
plug_no(struct ra_fence *f, const char *plug)
{
    int n = plug ? atoi(plug) : 0;

    if (n < 1 || n > OUTLETS) {
        return ra_fence_fail(f, "no outlet '%s'", plug ? plug : "");
    }
    return n;
}

static int
fake_connect(struct ra_fence *f)
{
    const char *pw = ra_fence_password(f);

    snprintf(dev.password, sizeof(dev.password), "%s", pw ? pw : "(none)");
    dev.dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    return 0;
}

static int
fake_get(struct ra_fence *f, const char *plug, bool *ret_on)
{
    int n = plug_no(f, plug);

    if (n < 0) {
        return -1;
    }
    if (dev.unreadable) {
        return ra_fence_fail(f, "device does not answer");
    }
    *ret_on = dev.on[n];
    return 0;
}

static int
fake_set(struct ra_fence *f, const char *plug, enum ra_power_cmd cmd)
{
    int n = plug_no(f, plug);
    char entry[32];

    if (n < 0) {
        return -1;
    }
    if (dev.refuse) {
        return ra_fence_fail(f, "device refused");
    }
    snprintf(entry, sizeof(entry), "%s%d;", cmd == RA_POWER_ON ? "on" : "off", n);
    strncat(dev.log, entry, sizeof(dev.log) - strlen(dev.log) - 1);
    if (!dev.stuck) {
        dev.on[n] = cmd == RA_POWER_ON;
    }
    return 0;
}

static int
fake_list(struct ra_fence *f, ra_fence_emit emit)
{
    static const char *const names[] = { "", "web", "db", "spare", "lab" };

    for (int n = 1; n <= 4 && emit != NULL; n++) {
        char id[12];

        snprintf(id, sizeof(id), "%d", n);
        emit(f, id, names[n], dev.on[n]);
    }
    return 0;
}

static const char *const fake_uses[] = { "ip",   "username", "password",  "password_script",
                                         "plug", "port",     "separator", NULL };

static const struct ra_fence_agent fake_agent = {
    .name = "fence_fake",
    .shortdesc = "Test double",
    .longdesc = "An in-memory outlet strip for the driver's tests.",
    .uses = fake_uses,
    .flags = RA_FENCE_PLUGS,
    .connect = fake_connect,
    .get_power = fake_get,
    .set_power = fake_set,
    .list = fake_list,
};

static char out[8192], err[8192];
static int saved_out = -1, saved_err = -1;

static void
slurp(FILE *fp, char *buf, size_t cap)
{
    size_t n;

    rewind(fp);
    n = fread(buf, 1, cap - 1, fp);
    buf[n] = '\0';
}

/* Run the driver with @stdin_text (or with @args when stdin_text is NULL). */
static int
run_fence(const char *stdin_text, const char *const *args)
{
    FILE *in = tmpfile(), *fo = tmpfile(), *fe = tmpfile();
    char *argv[24] = { (char *)(uintptr_t) "/usr/sbin/fence_fake" };
    int argc = 1, rc, saved_in = dup(0);

    fputs(stdin_text ? stdin_text : "", in);
    rewind(in);
    while (args != NULL && args[argc - 1] != NULL) {
        argv[argc] = (char *)(uintptr_t)args[argc - 1];
        argc++;
    }
    fflush(stdout);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(fileno(in), 0);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    clearerr(stdin);
    rc = ra_fence_main(&fake_agent, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_in, 0);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_in);
    close(saved_out);
    close(saved_err);
    slurp(fo, out, sizeof(out));
    slurp(fe, err, sizeof(err));
    fclose(in);
    fclose(fo);
    fclose(fe);
    return rc;
}

#define BASE "ip=pdu\nusername=u\npassword=pw\npower_wait=0\nstonith_status_sleep=0.05\n"

static int
reset(void **state)
{
    (void)state;
    memset(&dev, 0, sizeof(dev));
    for (int i = 1; i <= OUTLETS; i++) {
        dev.on[i] = true;
    }
    unsetenv("PCMK_service");
    (void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0); /* each test sees the driver set it */
    return 0;
}

static void
off_is_verified(void **state)
{
    (void)state;
    assert_int_equal(run_fence(BASE "action=off\nplug=2\n", NULL), 0);
    assert_false(dev.on[2]);
    assert_string_equal(dev.log, "off2;");
    assert_non_null(strstr(out, "Success: Powered OFF"));
}

static void
already_off_touches_nothing(void **state)
{
    (void)state;
    dev.on[3] = false;
    assert_int_equal(run_fence(BASE "action=off\nplug=3\n", NULL), 0);
    assert_string_equal(dev.log, "");
    assert_non_null(strstr(out, "Already OFF"));
}

static void
reboot_is_off_then_on(void **state)
{
    (void)state;
    assert_int_equal(run_fence(BASE "action=reboot\nport=1\n", NULL), 0);
    assert_string_equal(dev.log, "off1;on1;");
    assert_true(dev.on[1]);
}

static void
several_plugs_all_switched_status_any_on(void **state)
{
    (void)state;
    assert_int_equal(run_fence(BASE "action=off\nplug=1,4\n", NULL), 0);
    assert_string_equal(dev.log, "off1;off4;");
    dev.on[4] = true;
    assert_int_equal(run_fence(BASE "action=status\nplug=1,4\n", NULL), 0); /* any on */
    dev.on[4] = false;
    assert_int_equal(run_fence(BASE "action=status\nplug=1,4\n", NULL), 2);
}

static void
refusal_fails_at_once(void **state)
{
    (void)state;
    dev.refuse = true;
    assert_int_equal(run_fence(BASE "action=off\nplug=1\npower_timeout=30\n", NULL), 1);
    assert_non_null(strstr(err, "device refused"));
}

static void
stuck_power_fails_after_power_timeout(void **state)
{
    (void)state;
    dev.stuck = true;
    assert_int_equal(run_fence(BASE "action=off\nplug=1\npower_timeout=0.3\n", NULL), 1);
    assert_null(strstr(out, "Powered OFF"));
    assert_non_null(strstr(err, "timed out waiting to power OFF"));
}

static void
unreadable_device_is_never_off(void **state)
{
    (void)state;
    dev.unreadable = true;
    assert_int_equal(run_fence(BASE "action=status\nplug=1\n", NULL), 1);
    assert_int_equal(run_fence(BASE "action=off\nplug=1\npower_timeout=0.2\n", NULL), 1);
    assert_string_equal(dev.log, "");
}

static void
list_and_list_status(void **state)
{
    (void)state;
    dev.on[2] = false;
    assert_int_equal(run_fence(BASE "action=list\n", NULL), 0);
    assert_string_equal(out, "1,web\n2,db\n3,spare\n4,lab\n");
    assert_int_equal(run_fence(BASE "action=list-status\nseparator=;\n", NULL), 0);
    assert_string_equal(out, "1;web;ON\n2;db;OFF\n3;spare;ON\n4;lab;ON\n");
}

static void
nodename_names_the_plug_when_none_given(void **state)
{
    (void)state;
    assert_int_equal(run_fence(BASE "action=off\nnodename=3\n", NULL), 0);
    assert_string_equal(dev.log, "off3;");
    assert_int_equal(run_fence(BASE "action=off\n", NULL), 1);
    assert_non_null(strstr(err, "no plug given"));
}

static void
command_line_form(void **state)
{
    const char *args[] = { "-a",
                           "pdu",
                           "-l",
                           "u",
                           "-p",
                           "pw",
                           "-n",
                           "2",
                           "-o",
                           "off",
                           "--power-wait=0",
                           "--stonith-status-sleep=0.05",
                           NULL };

    (void)state;
    assert_int_equal(run_fence(NULL, args), 0);
    assert_string_equal(dev.log, "off2;");
}

static void
missing_login_and_unknown_action(void **state)
{
    (void)state;
    assert_int_equal(run_fence("ip=pdu\npassword=pw\naction=status\nplug=1\n", NULL), 1);
    assert_non_null(strstr(err, "'username'"));
    assert_int_equal(run_fence(BASE "action=explode\nplug=1\n", NULL), 1);
    assert_non_null(strstr(err, "action 'explode' is not supported"));
}

static void
secret_stays_out_of_messages(void **state)
{
    (void)state;
    dev.refuse = true;
    assert_int_equal(
        run_fence("ip=pdu\nusername=u\npassword=S3cret-Value\naction=off\nplug=1\nverbose=1\n",
                  NULL),
        1);
    assert_null(strstr(err, "S3cret-Value"));
    assert_null(strstr(out, "S3cret-Value"));
}

static void
metadata_has_the_options(void **state)
{
    const char *args[] = { "-o", "metadata", NULL };

    (void)state;
    assert_int_equal(run_fence(NULL, args), 0);
    assert_non_null(strstr(out, "<resource-agent name=\"fence_fake\" shortdesc=\"Test double\" >"));
    assert_non_null(strstr(out, "<getopt mixed=\"-n, --plug=[id]\" />"));
    assert_non_null(strstr(out, "name=\"port\" unique=\"0\" required=\"0\" deprecated=\"1\""));
    assert_non_null(strstr(out, "<action name=\"list-status\" />"));
    assert_null(strstr(out, "name=\"diag\""));
}

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
delay_comes_before_off_only(void **state)
{
    uint64_t t0;

    (void)state;
    t0 = now_ms();
    assert_int_equal(run_fence(BASE "action=status\nplug=1\ndelay=0.3\n", NULL), 0);
    assert_true(now_ms() - t0 < 250);
    t0 = now_ms();
    assert_int_equal(run_fence(BASE "action=off\nplug=1\ndelay=0.3\n", NULL), 0);
    assert_true(now_ms() - t0 >= 290);
}

static void
quiet_keeps_stderr_empty(void **state)
{
    (void)state;
    dev.refuse = true;
    assert_int_equal(run_fence(BASE "action=off\nplug=1\nquiet=1\n", NULL), 1);
    assert_string_equal(err, "");
    assert_int_equal(run_fence(BASE "action=off\nplug=1\n", NULL), 1);
    assert_non_null(strstr(err, "device refused"));
}

static void
power_on_is_retried_retry_on_times(void **state)
{
    (void)state;
    dev.on[2] = false;
    dev.stuck = true; /* every attempt is accepted and changes nothing */
    assert_int_equal(run_fence(BASE "action=on\nplug=2\nretry_on=3\npower_timeout=0.1\n", NULL), 1);
    assert_string_equal(dev.log, "on2;on2;on2;");
}

static void
more_than_32_plugs_are_all_switched(void **state)
{
    char text[512] = BASE "action=off\nplug=1";

    (void)state;
    for (int i = 2; i <= 34; i++) {
        snprintf(text + strlen(text), sizeof(text) - strlen(text), ",%d", i);
    }
    strncat(text, "\n", sizeof(text) - strlen(text) - 1);
    assert_int_equal(run_fence(text, NULL), 0);
    for (int i = 1; i <= 34; i++) {
        assert_false(dev.on[i]);
    }
    assert_true(dev.on[35]);
    assert_non_null(strstr(dev.log, "off32;off33;off34;"));
    assert_non_null(strstr(out, "Success: Powered OFF"));
}

static void
secrets_are_read_with_the_process_undumpable(void **state)
{
    (void)state;
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    assert_int_equal(run_fence(BASE "action=status\nplug=1\n", NULL), 0);
    assert_int_equal(dev.dumpable, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

static void
stdin_strips_double_quotes_only(void **state)
{
    (void)state;
    /* fencing.py: re.sub('^"(.*)"$', ...): single quotes are part of the value */
    assert_int_equal(run_fence("ip=pdu\nusername=u\npassword='pw'\naction=status\nplug=1\n", NULL),
                     0);
    assert_string_equal(dev.password, "'pw'");
    assert_int_equal(
        run_fence("ip=pdu\nusername=u\npassword=\"p w\"\naction=status\nplug=1\n", NULL), 0);
    assert_string_equal(dev.password, "p w");
}

static void
password_script_plain_and_shell(void **state)
{
    (void)state;
    /* a plain command: run directly, its words split on white space */
    assert_int_equal(run_fence("ip=pdu\nusername=u\npassword_script=/bin/echo plain-pw\n"
                               "action=status\nplug=1\n",
                               NULL),
                     0);
    assert_string_equal(dev.password, "plain-pw");
    /* shell syntax: through /bin/sh -c, as fence-agents' os.popen does */
    assert_int_equal(run_fence("ip=pdu\nusername=u\n"
                               "password_script=echo sh-pw second | tr s S | cut -d' ' -f1\n"
                               "action=status\nplug=1\nverbose=1\n",
                               NULL),
                     0);
    assert_string_equal(dev.password, "Sh-pw");
    assert_null(strstr(err, "Sh-pw"));
    dev.password[0] = '\0';
    assert_int_equal(run_fence("ip=pdu\nusername=u\npassword_script=echo x | false\n"
                               "action=status\nplug=1\n",
                               NULL),
                     1);
    assert_string_equal(dev.password, "");
}

static void
a_stray_word_is_never_the_default_action(void **state)
{
    const char *typo[] = { "-a", "pdu", "-l",          "u",       "-p", "pw",
                           "-n", "1",   "--delay=0.2", "statuss", NULL };
    const char *dashes[] = { "-a", "pdu", "-l", "u", "-p", "pw", "-n", "1", "--", "status", NULL };
    const char *word[] = {
        "-a", "pdu", "-l", "u", "-p", "pw", "-n", "1", "-o", "off", "now", NULL
    };
    const char *alone[] = { "statuss", NULL };

    (void)state;
    assert_int_equal(run_fence(NULL, typo), 1);
    assert_non_null(strstr(err, "statuss"));
    assert_null(strstr(err, "delay"));
    assert_int_equal(run_fence(NULL, dashes), 1);
    assert_non_null(strstr(err, "'status'"));
    assert_int_equal(run_fence(NULL, word), 1);
    assert_non_null(strstr(err, "'now'"));
    assert_int_equal(run_fence(NULL, alone), 1);
    assert_string_equal(dev.log, "");
    assert_true(dev.on[1]);
}

static void
cluster_glue_operations_still_work(void **state)
{
    const char *gethosts[] = { "gethosts", NULL };
    const char *reset_op[] = { "reset", "2", NULL };

    (void)state;
    setenv("hostlist", "2 3", 1);
    setenv("ip", "pdu", 1);
    setenv("username", "u", 1);
    setenv("password", "pw", 1);
    setenv("power_wait", "0", 1);
    setenv("stonith_status_sleep", "0.05", 1);
    assert_int_equal(run_fence(NULL, gethosts), 0);
    assert_string_equal(out, "2\n3\n");
    assert_int_equal(run_fence(NULL, reset_op), 0);
    assert_string_equal(dev.log, "off2;on2;");
    unsetenv("hostlist");
    unsetenv("ip");
    unsetenv("username");
    unsetenv("password");
    unsetenv("power_wait");
    unsetenv("stonith_status_sleep");
}

#define T(f) cmocka_unit_test_setup(f, reset)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(off_is_verified),
        T(already_off_touches_nothing),
        T(reboot_is_off_then_on),
        T(several_plugs_all_switched_status_any_on),
        T(refusal_fails_at_once),
        T(stuck_power_fails_after_power_timeout),
        T(unreadable_device_is_never_off),
        T(list_and_list_status),
        T(nodename_names_the_plug_when_none_given),
        T(command_line_form),
        T(missing_login_and_unknown_action),
        T(secret_stays_out_of_messages),
        T(metadata_has_the_options),
        T(delay_comes_before_off_only),
        T(quiet_keeps_stderr_empty),
        T(power_on_is_retried_retry_on_times),
        T(more_than_32_plugs_are_all_switched),
        T(secrets_are_read_with_the_process_undumpable),
        T(stdin_strips_double_quotes_only),
        T(password_script_plain_and_shell),
        T(a_stray_word_is_never_the_default_action),
        T(cluster_glue_operations_still_work),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
