/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Operation deadlines on CLOCK_MONOTONIC.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"

uint64_t
ra_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t
ra_deadline_margin_ms(uint64_t timeout_ms)
{
    uint64_t m = timeout_ms / 10;

    if (m < 200) {
        m = 200;
    }
    if (m > 5000) {
        m = 5000;
    }
    return m < timeout_ms ? m : timeout_ms / 2;
}

void
ra_deadline_init(struct ra_deadline *d, uint64_t timeout_ms)
{
    d->end_ms = ra_now_ms() + timeout_ms - ra_deadline_margin_ms(timeout_ms);
}

uint64_t
ra_deadline_left_ms(const struct ra_deadline *d)
{
    uint64_t now = ra_now_ms();

    return now >= d->end_ms ? 0 : d->end_ms - now;
}

bool
ra_deadline_expired(const struct ra_deadline *d)
{
    return ra_deadline_left_ms(d) == 0;
}

int
ra_deadline_sleep(const struct ra_deadline *d, uint64_t ms)
{
    uint64_t left = ra_deadline_left_ms(d);
    uint64_t span = ms < left ? ms : left;
    struct timespec ts = { .tv_sec = (time_t)(span / 1000),
                           .tv_nsec = (long)(span % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        /* keep sleeping what is left */
    }
    return span < ms ? -ETIME : 0;
}

int
ra_deadline_wait_fd(const struct ra_deadline *d, int fd, short events)
{
    for (;;) {
        struct pollfd p = { .fd = fd, .events = events };
        uint64_t left = ra_deadline_left_ms(d);
        int r;

        if (left == 0) {
            return -ETIMEDOUT;
        }
        r = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (r > 0) {
            return 0;
        }
        if (r < 0 && errno != EINTR) {
            return -errno;
        }
    }
}

int
ra_deadline_send(const struct ra_deadline *d, int fd, const void *buf, size_t n)
{
    const char *p = buf;

    for (size_t put = 0; put < n;) {
        ssize_t k;
        int r;

        if (ra_deadline_expired(d)) {
            return -ETIMEDOUT;
        }
        k = send(fd, p + put, n - put, MSG_NOSIGNAL);
        if (k >= 0) {
            put += (size_t)k;
            continue;
        }
        if (errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
        if (errno == EAGAIN && (r = ra_deadline_wait_fd(d, fd, POLLOUT)) < 0) {
            return r;
        }
    }
    return 0;
}

int
ra_deadline_recv(const struct ra_deadline *d, int fd, void *buf, size_t n)
{
    char *p = buf;

    for (size_t got = 0; got < n;) {
        ssize_t k;
        int r;

        if (ra_deadline_expired(d)) {
            return -ETIMEDOUT;
        }
        k = read(fd, p + got, n - got);
        if (k > 0) {
            got += (size_t)k;
            continue;
        }
        if (k == 0) {
            return -EPIPE;
        }
        if (errno != EINTR && errno != EAGAIN) {
            return -errno;
        }
        if (errno == EAGAIN && (r = ra_deadline_wait_fd(d, fd, POLLIN)) < 0) {
            return r;
        }
    }
    return 0;
}
