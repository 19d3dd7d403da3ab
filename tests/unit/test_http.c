/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/http.c: URLs as monitors are given them, and a GET
 * against a server of the test's own on loopback (redirects, basic
 * authentication, a server that never answers, one that is not HTTP).
 */
#include "unit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"

static void
urls(void **state)
{
    struct ra_url u;

    (void)state;
    assert_int_equal(ra_url_parse("http://localhost:8080/server-status", &u), 0);
    assert_string_equal(u.host, "localhost");
    assert_string_equal(u.port, "8080");
    assert_string_equal(u.path, "/server-status");
    assert_int_equal(ra_url_parse("HTTP://10.0.0.1", &u), 0);
    assert_string_equal(u.port, "80");
    assert_string_equal(u.path, "/");
    assert_int_equal(ra_url_parse("http://[::1]:81/a?b=c#frag", &u), 0);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.port, "81");
    assert_string_equal(u.path, "/a?b=c");
    assert_int_equal(ra_url_parse("http://h?x", &u), 0);
    assert_string_equal(u.path, "/?x");
    assert_int_equal(ra_url_parse("https://localhost/", &u), -1);
    assert_int_equal(ra_url_parse("http://:80/", &u), -1);
    assert_int_equal(ra_url_parse("http://h:0/", &u), -1);
    assert_int_equal(ra_url_parse("http://h:65536/", &u), -1);
    assert_int_equal(ra_url_parse("http://h:8x/", &u), -1);
    assert_int_equal(ra_url_parse("http://user:pw@h/", &u), -1);
    assert_int_equal(ra_url_parse("http://h/a b", &u), -1);
    assert_int_equal(ra_url_parse("http://h/a\r\nX: y", &u), -1);
    assert_int_equal(ra_url_parse("http://[::1/", &u), -1);
}

/* a one-shot server: each accepted connection gets the next canned answer */
struct srv {
    int fd;
    const char *answers[4];
    char seen[4][2048];
};

static void *
serve(void *arg)
{
    struct srv *s = arg;

    for (int i = 0; i < 4 && s->answers[i] != NULL; i++) {
        int c = accept(s->fd, NULL, NULL);
        ssize_t n;

        if (c < 0) {
            break;
        }
        n = recv(c, s->seen[i], sizeof(s->seen[i]) - 1, 0);
        s->seen[i][n > 0 ? n : 0] = '\0';
        if (strcmp(s->answers[i], "SILENT") == 0) {
            sleep(2);
        } else {
            (void)!write(c, s->answers[i], strlen(s->answers[i]));
        }
        close(c);
    }
    return NULL;
}

static int
listen_lo(int *port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

static void
a_get_follows_a_redirect(void **state)
{
    struct srv s = { .answers = {
                         "HTTP/1.1 302 Found\r\nLocation: /there\r\n\r\n",
                         "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>ok</html>\n",
                         "not http at all", NULL } };
    char url[64], body[64], why[256];
    struct ra_deadline d;
    pthread_t t;
    int port, status;
    struct ra_http_req r = { .url = url, .user = "u", .password = "p:w", .deadline = &d };

    (void)state;
    s.fd = listen_lo(&port);
    assert_int_equal(pthread_create(&t, NULL, serve, &s), 0);
    ra_deadline_init(&d, 5000);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/here", port);
    assert_int_equal(ra_http_get(&r, &status, body, sizeof(body), why, sizeof(why)), 0);
    assert_int_equal(status, 200);
    assert_string_equal(body, "<html>ok</html>\n");
    /* the redirect followed, on the same host; basic authentication sent */
    assert_non_null(strstr(s.seen[0], "GET /here HTTP/1.0\r\n"));
    assert_non_null(strstr(s.seen[1], "GET /there HTTP/1.0\r\n"));
    assert_non_null(strstr(s.seen[1], "Authorization: Basic dTpwOnc=\r\n"));
    r.user = NULL;
    assert_int_equal(ra_http_get(&r, &status, body, sizeof(body), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "does not answer in HTTP"));
    pthread_join(t, NULL);
    close(s.fd);
}

static void
a_silent_server_is_cut_off_at_the_deadline(void **state)
{
    struct srv s = { .answers = { "SILENT", NULL } };
    char url[64], body[64], why[256];
    struct ra_deadline d;
    pthread_t t;
    int port, status;
    struct ra_http_req r = { .url = url, .deadline = &d };
    uint64_t t0;

    (void)state;
    s.fd = listen_lo(&port);
    assert_int_equal(pthread_create(&t, NULL, serve, &s), 0);
    ra_deadline_init(&d, 300);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
    t0 = ra_now_ms();
    assert_int_equal(ra_http_get(&r, &status, body, sizeof(body), why, sizeof(why)), -1);
    assert_true(ra_now_ms() - t0 < 1500);
    assert_non_null(strstr(why, "no answer in time"));
    pthread_join(t, NULL);
    close(s.fd);
    /* nothing listening: refused at once */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
    ra_deadline_init(&d, 3000);
    assert_int_equal(ra_http_get(&r, &status, body, sizeof(body), why, sizeof(why)), -1);
    assert_non_null(strstr(why, "cannot connect"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(urls),
        cmocka_unit_test(a_get_follows_a_redirect),
        cmocka_unit_test(a_silent_server_is_cut_off_at_the_deadline),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
