/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pktwatch: a test listener (not a test double) for the IPaddr2 tests.  It
 * listens on one interface of the peer namespace for SECONDS and prints
 * every ARP packet and every ICMPv6 neighbour advertisement it sees, with
 * the milliseconds since it started:
 *
 *   pktwatch IFNAME SECONDS
 *   ready
 *   arp request 10.0.0.5 10.0.0.5 12
 *   na 2001:db8::5 1040
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
main(int argc, char **argv)
{
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
    unsigned char buf[2048];
    long start, end;
    int fd;

    if (argc != 3) {
        fprintf(stderr, "usage: pktwatch IFNAME SECONDS\n");
        return 2;
    }
    sll.sll_ifindex = (int)if_nametoindex(argv[1]);
    fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
    if (sll.sll_ifindex == 0 || fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        perror("pktwatch");
        return 1;
    }
    start = now_ms();
    end = start + atol(argv[2]) * 1000L;
    printf("ready\n");
    fflush(stdout);
    while (now_ms() < end) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        struct sockaddr_ll from;
        socklen_t flen = sizeof(from);
        ssize_t n;

        if (poll(&pfd, 1, (int)(end - now_ms())) <= 0) {
            continue;
        }
        n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
        if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) {
            continue;
        }
        if (ntohs(from.sll_protocol) == ETH_P_ARP && n >= 28) {
            char sip[16], tip[16];

            inet_ntop(AF_INET, buf + 14, sip, sizeof(sip));
            inet_ntop(AF_INET, buf + 24, tip, sizeof(tip));
            printf("arp %s %s %s %ld\n", buf[7] == 1 ? "request" : "reply", sip, tip,
                   now_ms() - start);
        } else if (ntohs(from.sll_protocol) == ETH_P_IPV6 && n >= 40 + 24 && buf[6] == 58 &&
                   buf[40] == ND_NEIGHBOR_ADVERT) {
            char target[INET6_ADDRSTRLEN];

            inet_ntop(AF_INET6, buf + 48, target, sizeof(target));
            printf("na %s %ld\n", target, now_ms() - start);
        }
        fflush(stdout);
    }
    return 0;
}
