/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Logging as ocf_log does it, in-process: syslog when HA_LOGFACILITY (or
 * PCMK_logfacility) names a facility, HA_LOGFILE appended to, debug lines
 * only when HA_debug=1 (and then also to HA_DEBUGLOG), and stderr when
 * stdout is a terminal or nothing else is configured.  Lines are tagged
 * "<agent>(<instance>)[pid]".  Every line is made one line (control
 * characters escaped) and every registered secret value is replaced by
 * "[hidden]" before it goes anywhere.
 */
#ifndef RA_LOG_H
#define RA_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum ra_log_prio {
    RA_LOG_CRIT,
    RA_LOG_ERR,
    RA_LOG_WARN,
    RA_LOG_INFO,
    RA_LOG_DEBUG,
};

#define RA_LOG_SECRETS_MAX 16

struct ra_log {
    char tag[160];        /* Dummy(d1) */
    int facility;         /* syslog facility, or -1 for none */
    const char *logfile;  /* HA_LOGFILE / PCMK_logfile, or NULL */
    const char *debuglog; /* HA_DEBUGLOG / PCMK_debugfile, or NULL */
    bool debug;           /* HA_debug / PCMK_debug */
    bool to_stderr;
    bool syslog_open;
    const char *secrets[RA_LOG_SECRETS_MAX]; /* borrowed */
    size_t nsecrets;
};

/* Set up @log for agent @agent and resource @instance from the HA_* variables. */
void ra_log_init(struct ra_log *log, const char *agent, const char *instance);

/* Close syslog if it was opened.  Safe on a log never initialised with syslog. */
void ra_log_release(struct ra_log *log);

/* Redact @value (borrowed; must outlive @log) from every later line.  Empty values are ignored. */
void ra_log_add_secret(struct ra_log *log, const char *value);

void ra_log(struct ra_log *log, enum ra_log_prio prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ra_logv(struct ra_log *log, enum ra_log_prio prio, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/*
 * Format a line as it would be logged (one line, secrets hidden) into @buf.
 * Exposed for the exit reason, which must obey the same rules.
 */
void ra_log_format(const struct ra_log *log, char *buf, size_t cap, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

#endif
