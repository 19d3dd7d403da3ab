/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small string helpers shared by the library rooms: quoting an untrusted
 * value for a one-line message, UTF-8 checking, bounded formatting, and
 * walking Pacemaker's space-separated lists.
 */
#ifndef RA_STR_H
#define RA_STR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copy @s into @buf (capacity @cap >= 8) so that it is safe to print in a
 * one-line message: control characters, backslashes, quotes and bytes
 * outside printable ASCII become escapes (\n, \\, \", \xNN), and a value too
 * long for @buf is cut and ends in "...".  Returns @buf.
 */
const char *ra_escape(const char *s, char *buf, size_t cap);

/* True if the @len bytes at @s are well-formed UTF-8 (no overlongs, no surrogates). */
bool ra_utf8_valid(const char *s, size_t len);

/*
 * snprintf that reports truncation: returns 0, or -ENAMETOOLONG if the
 * result did not fit (then @buf holds a truncated string), or -EINVAL.
 */
int ra_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), warn_unused_result));

/* The same for text where a cut is acceptable (messages): always NUL-terminated. */
void ra_format_cut(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Strip spaces, tabs and carriage returns at both ends, in place; returns the start. */
char *ra_trim(char *s);

/*
 * Split a "name = value" line in place: spaces around both trimmed, and a
 * value between two of the same quote character of @quotes unquoted ("\"'"
 * for a parameter file; "\"" for fence-agents' stdin, where fencing.py
 * keeps single quotes).  Returns false for a blank line, a # comment, or a
 * line without '='.
 */
bool ra_kv_split(char *line, char **ret_key, char **ret_value, const char *quotes);

/*
 * Iterate over the words of a space-separated list, as in Pacemaker's
 * notify variables.  Start with *@pos = @list; each call stores the next word
 * in @word (at most @cap - 1 bytes; longer words are cut) and returns true, or
 * returns false when the list is exhausted.
 */
bool ra_list_next(const char **pos, char *word, size_t cap);

/*
 * A parameter check (struct ra_param's valid): words for a program's argv, split on
 * white space, never given to a shell: no quotes or shell syntax, at most
 * RA_WORDS_MAX words of at most RA_WORD_MAX bytes (what ra_list_next fills).
 */
#define RA_WORDS_MAX 16
#define RA_WORD_MAX  63
bool ra_valid_words(const char *v, const char **why);

/* Number of words in a space-separated list (0 for NULL or blank). */
size_t ra_list_count(const char *list);

/* Undo the kernel's and nfs-utils' \ooo escapes (mountinfo, etab) in place. */
void ra_unescape_octal(char *s);

/*
 * Compare two dotted versions ("8.4.11", "9.2.0-rc.1") number by number;
 * a missing number is 0 and anything after the numbers is ignored.  <0, 0
 * or >0; false in *@ok when either does not start with a digit.
 */
int ra_version_cmp(const char *a, const char *b, bool *ok);

#endif
