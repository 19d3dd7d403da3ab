/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * holder: a test tool (not a test double) for the Filesystem tests.  It
 * holds a path the way a real user of a mount would, says "ready", and
 * waits to be signalled:
 *
 *   holder cwd DIR          its working directory is DIR
 *   holder open FILE        FILE is open
 *   holder mmap FILE        FILE is mapped, then closed (only the mapping holds it)
 *   holder ... --ignore-term   TERM is ignored (KILL is needed)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    int fd;

    if (argc < 3) {
        fprintf(stderr, "usage: holder cwd|open|mmap PATH [--ignore-term]\n");
        return 2;
    }
    if (argc > 3 && strcmp(argv[3], "--ignore-term") == 0) {
        signal(SIGTERM, SIG_IGN);
    }
    if (strcmp(argv[1], "cwd") == 0) {
        if (chdir(argv[2]) < 0) {
            perror("chdir");
            return 1;
        }
    } else {
        fd = open(argv[2], O_RDWR);
        if (fd < 0) {
            perror("open");
            return 1;
        }
        if (strcmp(argv[1], "mmap") == 0) {
            if (mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED) {
                perror("mmap");
                return 1;
            }
            close(fd);
        }
        if (chdir("/") < 0) {
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
