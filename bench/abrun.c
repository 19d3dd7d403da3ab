/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * abrun: time several commands side by side.  The commands run in turn
 * (A, B, C, A, B, C, ...) so that a noisy machine disturbs them alike, each
 * with stdout and stderr on /dev/null and the caller's environment; after
 * the warm-up rounds, each wall time is recorded and the median, minimum
 * and 90th percentile printed, one line per command:
 *
 *   abrun ROUNDS -- NAME CMD [ARGS...] -- NAME CMD [ARGS...] ...
 *   NAME<TAB>median_us<TAB>min_us<TAB>p90_us<TAB>failures
 *
 * A command that exits non-zero is counted as a failure but still timed
 * (monitor of a stopped resource exits 7 by design).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct cmd {
    const char *name;
    char **argv;
    double *us;
    int fails;
};

static double
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int
run_once(struct cmd *c, double *ret_us)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = 0;
    double t0;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    t0 = now_us();
    if (posix_spawn(&pid, c->argv[0], &fa, NULL, c->argv, environ) != 0) {
        perror(c->argv[0]);
        exit(2);
    }
    waitpid(pid, &status, 0);
    *ret_us = now_us() - t0;
    posix_spawn_file_actions_destroy(&fa);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int
main(int argc, char **argv)
{
    struct cmd cmds[16];
    int n = 0, rounds, warm = 3;

    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: abrun ROUNDS -- NAME CMD [ARGS...] [-- NAME CMD ...]\n");
        return 2;
    }
    rounds = atoi(argv[1]);
    for (int i = 3; i < argc && n < 16;) {
        cmds[n].name = argv[i++];
        cmds[n].argv = &argv[i];
        while (i < argc && strcmp(argv[i], "--") != 0) {
            i++;
        }
        if (i < argc) {
            argv[i++] = NULL;
        }
        cmds[n].us = calloc((size_t)rounds, sizeof(double));
        cmds[n].fails = 0;
        n++;
    }
    for (int r = -warm; r < rounds; r++) {
        for (int k = 0; k < n; k++) {
            double us;
            int rc = run_once(&cmds[k], &us);

            if (r >= 0) {
                cmds[k].us[r] = us;
                cmds[k].fails += rc != 0;
            }
        }
    }
    for (int k = 0; k < n; k++) {
        qsort(cmds[k].us, (size_t)rounds, sizeof(double), cmp_double);
        printf("%s\t%.0f\t%.0f\t%.0f\t%d\n", cmds[k].name, cmds[k].us[rounds / 2], cmds[k].us[0],
               cmds[k].us[(rounds * 9) / 10], cmds[k].fails);
        free(cmds[k].us);
    }
    return 0;
}
