/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The time budget of one operation, on the monotonic clock.  Pacemaker
 * SIGKILLs the agent's process group when OCF_RESKEY_CRM_meta_timeout runs
 * out, so an agent must give up on its own a little earlier, with a reason.
 */
#ifndef RA_DEADLINE_H
#define RA_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

struct ra_deadline {
    uint64_t end_ms; /* CLOCK_MONOTONIC, in ms */
};

/* Milliseconds on CLOCK_MONOTONIC. */
uint64_t ra_now_ms(void);

/* The safety margin kept back from a timeout: a tenth, within 200 ms..5 s. */
uint64_t ra_deadline_margin_ms(uint64_t timeout_ms);

/* Start a budget of @timeout_ms less its margin, from now. */
void ra_deadline_init(struct ra_deadline *d, uint64_t timeout_ms);

/* Milliseconds left (0 once expired). */
uint64_t ra_deadline_left_ms(const struct ra_deadline *d);

bool ra_deadline_expired(const struct ra_deadline *d);

/*
 * Sleep @ms, but not past the deadline.  Returns 0 after the full sleep, or
 * -ETIME if the deadline cut it short.
 */
int ra_deadline_sleep(const struct ra_deadline *d, uint64_t ms);

/* Wait for @events (POLLIN, POLLOUT) on @fd, not past the deadline: 0, -ETIMEDOUT or
 * -errno. */
int ra_deadline_wait_fd(const struct ra_deadline *d, int fd, short events);

/* Send all @n bytes of @buf on the non-blocking socket @fd (MSG_NOSIGNAL), not past the
 * deadline, which a peer reading slowly cannot stretch: 0, -ETIMEDOUT or -errno. */
int ra_deadline_send(const struct ra_deadline *d, int fd, const void *buf, size_t n);

/* Read exactly @n bytes from the non-blocking descriptor @fd, not past the deadline (a
 * peer that trickles data is cut off there too): 0, -ETIMEDOUT, -EPIPE at end of file, or
 * -errno. */
int ra_deadline_recv(const struct ra_deadline *d, int fd, void *buf, size_t n);

#endif
