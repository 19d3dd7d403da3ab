/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * String helpers: message-safe quoting, UTF-8 checks, checked formatting,
 * list iteration.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "str.h"

const char *
ra_escape(const char *s, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;

    if (cap < 8) {
        if (cap > 0) {
            buf[0] = '\0';
        }
        return buf;
    }
    if (s == NULL) {
        s = "(null)";
    }
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[5];
        size_t n;

        if (c == '\n' || c == '\t' || c == '\r' || c == '\\' || c == '"') {
            esc[0] = '\\';
            esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' : c == '\r' ? 'r' : (char)c;
            n = 2;
        } else if (c < 0x20 || c >= 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 0xf];
            n = 4;
        } else {
            esc[0] = (char)c;
            n = 1;
        }
        /* keep room for "..." and the NUL */
        if (o + n + 4 > cap) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, esc, n);
        o += n;
    }
    buf[o] = '\0';
    return buf;
}

bool
ra_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned char c = p[i];
        size_t need;
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            need = 1;
            cp = c & 0x1f;
            min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            need = 2;
            cp = c & 0x0f;
            min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            need = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (len - i <= need) {
            return false;
        }
        for (size_t k = 1; k <= need; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return false;
        }
        i += need + 1;
    }
    return true;
}

int
ra_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (buf == NULL || cap == 0) {
        return -EINVAL;
    }
    va_start(ap, fmt);
    n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
        return -EINVAL;
    }
    return (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

char *
ra_trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) {
        *--end = '\0';
    }
    return s;
}

bool
ra_kv_split(char *line, char **ret_key, char **ret_value, const char *quotes)
{
    char *s = ra_trim(line), *eq, *value;
    size_t n;

    if (*s == '\0' || *s == '#' || (eq = strchr(s, '=')) == NULL) {
        return false;
    }
    *eq = '\0';
    value = ra_trim(eq + 1);
    n = strlen(value);
    if (n >= 2 && strchr(quotes, value[0]) != NULL && value[n - 1] == value[0]) {
        value[n - 1] = '\0';
        value++;
    }
    *ret_key = ra_trim(s);
    *ret_value = value;
    return true;
}

void
ra_format_cut(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (buf == NULL || cap == 0) {
        return;
    }
    va_start(ap, fmt);
    if (vsnprintf(buf, cap, fmt, ap) < 0) {
        buf[0] = '\0';
    }
    va_end(ap);
}

bool
ra_list_next(const char **pos, char *word, size_t cap)
{
    const char *p = *pos;
    size_t n = 0;

    if (p == NULL) {
        return false;
    }
    while (*p == ' ' || *p == '\t' || *p == '\n') {
        p++;
    }
    if (*p == '\0') {
        *pos = p;
        return false;
    }
    while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\n') {
        if (n + 1 < cap) {
            word[n++] = *p;
        }
        p++;
    }
    if (cap > 0) {
        word[n] = '\0';
    }
    *pos = p;
    return true;
}

size_t
ra_list_count(const char *list)
{
    char word[2];
    size_t n = 0;

    while (ra_list_next(&list, word, sizeof(word))) {
        n++;
    }
    return n;
}

int
ra_version_cmp(const char *a, const char *b, bool *ok)
{
    *ok = (*a >= '0' && *a <= '9') && (*b >= '0' && *b <= '9');
    while (*ok && ((*a >= '0' && *a <= '9') || (*b >= '0' && *b <= '9'))) {
        unsigned long long x = 0, y = 0;

        for (; *a >= '0' && *a <= '9'; a++) {
            x = x > 1000000000ULL ? x : x * 10 + (unsigned)(*a - '0');
        }
        for (; *b >= '0' && *b <= '9'; b++) {
            y = y > 1000000000ULL ? y : y * 10 + (unsigned)(*b - '0');
        }
        if (x != y) {
            return x < y ? -1 : 1;
        }
        a += *a == '.' && a[1] >= '0' && a[1] <= '9';
        b += *b == '.' && b[1] >= '0' && b[1] <= '9';
        if (!((*a >= '0' && *a <= '9') || (*b >= '0' && *b <= '9'))) {
            break;
        }
    }
    return 0;
}

void
ra_unescape_octal(char *s)
{
    char *out = s;

    for (; *s != '\0'; s++) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
            s[3] >= '0' && s[3] <= '7') {
            *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
            s += 3;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
}

bool
ra_valid_words(const char *v, const char **why)
{
    const char *pos = v;
    char w[RA_WORD_MAX + 2];
    size_t n = 0;

    if (strpbrk(v, "\"'`$;|&<>\\") != NULL) {
        *why = "must be plain words (no quotes or shell syntax: it is not run by a shell)";
        return false;
    }
    while (ra_list_next(&pos, w, sizeof(w))) {
        if (strlen(w) > RA_WORD_MAX || ++n > RA_WORDS_MAX) {
            *why = "must be at most 16 words of at most 63 characters";
            return false;
        }
    }
    return true;
}
