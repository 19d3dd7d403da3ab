/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging: syslog, HA_LOGFILE, HA_DEBUGLOG and stderr, with the lines made
 * safe (one line, secrets hidden) before any of them sees the text.  The
 * shell agents run `date`, `logger` and `tty` for each line; this writes it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "log.h"
#include "str.h"

static const char *const prio_names[] = { "CRIT", "ERROR", "WARNING", "INFO", "DEBUG" };
static const int prio_syslog[] = { LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

static int
facility_from_name(const char *name)
{
    static const struct {
        const char *name;
        int value;
    } table[] = {
        { "daemon", LOG_DAEMON }, { "user", LOG_USER },         { "local0", LOG_LOCAL0 },
        { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 },     { "local3", LOG_LOCAL3 },
        { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },     { "local6", LOG_LOCAL6 },
        { "local7", LOG_LOCAL7 }, { "authpriv", LOG_AUTHPRIV },
    };

    for (size_t i = 0; name != NULL && i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcasecmp(name, table[i].name) == 0) {
            return table[i].value;
        }
    }
    return -1; /* "none", unset or unknown: no syslog */
}

static const char *
first_env(const char *a, const char *b)
{
    const char *v = ra_env_get(a);

    if (v == NULL || *v == '\0') {
        v = ra_env_get(b);
    }
    return (v != NULL && *v != '\0') ? v : NULL;
}

void
ra_log_init(struct ra_log *log, const char *agent, const char *instance)
{
    const char *dbg = first_env("HA_debug", "PCMK_debug");

    memset(log, 0, sizeof(*log));
    if (ra_format(log->tag, sizeof(log->tag), "%s(%s)", agent, instance) < 0) {
        /* a very long instance name: the cut tag is still a good tag */
    }
    log->facility = facility_from_name(first_env("HA_LOGFACILITY", "PCMK_logfacility"));
    log->logfile = first_env("HA_LOGFILE", "PCMK_logfile");
    log->debuglog = first_env("HA_DEBUGLOG", "PCMK_debugfile");
    log->debug = dbg != NULL && (strcmp(dbg, "1") == 0 || strcasecmp(dbg, "yes") == 0 ||
                                 strcasecmp(dbg, "true") == 0);
    log->to_stderr = isatty(STDOUT_FILENO) || (log->facility < 0 && log->logfile == NULL);
}

void
ra_log_release(struct ra_log *log)
{
    if (log != NULL && log->syslog_open) {
        closelog();
        log->syslog_open = false;
    }
}

void
ra_log_add_secret(struct ra_log *log, const char *value)
{
    if (value != NULL && *value != '\0' && log->nsecrets < RA_LOG_SECRETS_MAX) {
        log->secrets[log->nsecrets++] = value;
    }
}

/* Replace every occurrence of each secret in @buf by "[hidden]", in place. */
static void
redact(const struct ra_log *log, char *buf, size_t cap)
{
    static const char mask[] = "[hidden]";
    const size_t mlen = sizeof(mask) - 1;

    for (size_t s = 0; s < log->nsecrets; s++) {
        const char *secret = log->secrets[s];
        size_t slen = strlen(secret);
        char *hit = buf;

        while ((hit = strstr(hit, secret)) != NULL) {
            size_t tail = strlen(hit + slen);

            if ((size_t)(hit - buf) + mlen + tail + 1 > cap) {
                /* no room to grow: end the line at the secret */
                size_t room = cap - (size_t)(hit - buf);

                if (room > mlen) {
                    memcpy(hit, mask, mlen);
                    hit[mlen] = '\0';
                } else {
                    hit[0] = '\0';
                }
                break;
            }
            memmove(hit + mlen, hit + slen, tail + 1);
            memcpy(hit, mask, mlen);
            hit += mlen;
        }
    }
}

void
ra_log_format(const struct ra_log *log, char *buf, size_t cap, const char *fmt, va_list ap)
{
    char raw[2048];

    if (vsnprintf(raw, sizeof(raw), fmt, ap) < 0) {
        ra_format_cut(raw, sizeof(raw), "(unprintable message)");
    }
    /* hide secrets before escaping, so an escaped secret cannot slip through */
    redact(log, raw, sizeof(raw));
    (void)ra_escape(raw, buf, cap);
}

static void
append_line(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

    if (fd < 0) {
        return; /* logging must never fail an action */
    }
    /* one write: concurrent agents do not interleave within a line */
    if (write(fd, line, strlen(line)) < 0) {
        /* nothing sensible to do */
    }
    close(fd);
}

void
ra_logv(struct ra_log *log, enum ra_log_prio prio, const char *fmt, va_list ap)
{
    char msg[1024];
    char line[1280];
    char stamp[32] = "";
    time_t now = time(NULL);
    struct tm tm;

    if (prio == RA_LOG_DEBUG && !log->debug) {
        return;
    }
    ra_log_format(log, msg, sizeof(msg), fmt, ap);

    if (log->facility >= 0) {
        if (!log->syslog_open) {
            openlog(log->tag, LOG_PID | LOG_NDELAY, log->facility);
            log->syslog_open = true;
        }
        syslog(prio_syslog[prio], "%s: %s", prio_names[prio], msg);
    }
    if (localtime_r(&now, &tm) != NULL) {
        (void)strftime(stamp, sizeof(stamp), "%b %d %T", &tm);
    }
    ra_format_cut(line, sizeof(line), "%s %s[%ld]: %s: %s\n", stamp, log->tag, (long)getpid(),
                  prio_names[prio], msg);
    if (prio == RA_LOG_DEBUG && log->debuglog != NULL) {
        append_line(log->debuglog, line);
    } else if (log->logfile != NULL) {
        append_line(log->logfile, line);
    }
    if (log->to_stderr) {
        fprintf(stderr, "%s: %s\n", prio_names[prio], msg);
    }
}

void
ra_log(struct ra_log *log, enum ra_log_prio prio, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ra_logv(log, prio, fmt, ap);
    va_end(ap);
}
