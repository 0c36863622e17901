/* Parsing and formatting of the values users type: money (integer cents),
 * times (UTC, with LEADBOARD_NOW replacing the clock), goal periods, and the
 * checks every free-text field passes (UTF-8, no control bytes, a length
 * limit).  Also width in terminal cells, for aligned tables and the board. */
#ifndef LEADBOARD_TEXT_H
#define LEADBOARD_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/domain.h"
#include "leadboard/status.h"

/* Largest amount accepted: 1e13 cents (a hundred billion). */
#define LB_MONEY_MAX INT64_C(10000000000000)

/* "12500", "12500.5", "12500.50", "12,500.50" → cents.  Commas only between
 * groups of three digits; no sign, spaces or exponent. */
lb_status money_parse(const char *s, int64_t *cents, lb_err *err);
/* "12500.00" (machine form: csv, tsv, json). */
void money_format(int64_t cents, char *buf, size_t n);
/* "12,500.00" (table form). */
void money_format_human(int64_t cents, char *buf, size_t n);

typedef int64_t lb_time; /* seconds since 1970-01-01T00:00:00Z */

/* "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM[:SS][Z]" (UTC). */
lb_status time_parse(const char *s, lb_time *t, lb_err *err);
/* "YYYY-MM-DDTHH:MM:SSZ"; buf holds at least LB_TIME_BUF bytes. */
void time_format(lb_time t, char *buf);
/* What a person types (doc/product.md section 2), read in the local zone
 * (TZ): "YYYY-MM-DD" is that local day's start, or its last second when
 * end_of_day (a due date is never overdue on its own day);
 * "YYYY-MM-DDTHH:MM[:SS]" is local, with a trailing Z UTC; "today",
 * "tomorrow", "yesterday", "+3d", "+2w" and "monday".."sunday" (the next
 * one, never today) count local days from now. */
lb_status time_parse_input(const char *s, lb_time now, bool end_of_day, lb_time *t, lb_err *err);
/* "YYYY-MM-DD HH:MM" in the local zone, for tables and the board. */
void time_format_human(lb_time t, char *buf, size_t n);
/* A stored time (ISO 8601 UTC) as time_format_human shows it, in the local
 * zone; the text as it is when it cannot be read. */
void time_stored_human(const char *iso, char *buf, size_t n);
/* "YYYY-MM-DD", the local day of t. */
void time_format_local_date(lb_time t, char *buf, size_t n);
/* The start of local day y-m-d (d may run past the month: normalised). */
lb_time time_local_midnight(int y, int m, int d);
/* The local date of t, and its weekday (0 Sunday) when wday is not NULL. */
void time_local_civil(lb_time t, int *y, int *m, int *d, int *wday);
/* The start of the local day offset_days after t's. */
lb_time time_local_day_start(lb_time t, int offset_days);
/* The clock, or LEADBOARD_NOW when set (an invalid value is an error). */
lb_status time_now(lb_time *t, lb_err *err);
/* Days from civil date and back (proleptic Gregorian, UTC). */
int64_t time_days_from_civil(int y, int m, int d);
/* "45m", "5h", "3d": a compact age for people to read (cards, tables). */
void time_format_age(lb_time seconds, char *buf, size_t n);

/* "YYYY-MM" or "YYYY-Qn" → [start, end) in UTC. */
lb_status period_parse(const char *s, lb_time *start, lb_time *end, lb_err *err);

/* Checks a free-text field: valid UTF-8, at most max_chars code points, no
 * control characters (newlines and tabs only when multiline).  The error
 * names the field: "--company is too long (130 characters; at most 120)". */
lb_status text_check(const char *field, const char *s, size_t max_chars, bool multiline,
                     lb_err *err);
bool utf8_valid(const char *s, size_t len);
/* The one UTF-8 decoder: one character of s (len bytes) into *cp; returns
 * its length, or 0 for an invalid sequence (overlong, surrogate, cut). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* And its encoder: cp into buf (4 bytes of room); its length, 0 when cp is
 * not a character. */
size_t utf8_encode(uint32_t cp, char *buf);
/* True when s (NULL too) shows nothing: only spaces, tabs, newlines and
 * invisible characters (no-break and zero-width spaces, the BOM). */
bool text_blank(const char *s);
/* s without those characters at either end: *len bytes from the result. */
const char *text_trim(const char *s, size_t *len);
size_t utf8_chars(const char *s);

/* The key a name is known by: s without invisible characters at either
 * end, without zero-width spaces, word joiners, BOMs and direction marks
 * anywhere, and every run of spaces (of any width) as one space -- so
 * "Expo", "Expo " and "Expo\u200B" are one campaign.  Into buf (n bytes;
 * never longer than s); returns its length. */
size_t text_name_key(const char *s, char *buf, size_t n);

/* The one output rule, for everything printed to a terminal (tables, lead
 * show, error lines, the board): control characters (C0 but tab and
 * newline when keep_lines, DEL, C1), bidi embeddings, overrides and
 * isolates, and bytes that are not UTF-8 are shown as visible escapes --
 * "\x1b", "\r", "\u009b", "\u202e", "\xff" -- never passed through.
 * Writes whole characters into buf (n bytes) and returns the length the
 * whole result needs, like snprintf; text_escape_dup mallocs it (NULL when
 * out of memory). */
size_t text_escape(const char *s, bool keep_lines, char *buf, size_t n);
char *text_escape_dup(const char *s, bool keep_lines);
/* An error line as every part of the program gives it: "leadboard: " and
 * the message formatted from fmt (up to 2 KB) under the output rule, with
 * no newline; malloc'd (NULL when out of memory). */
char *text_error_line(const char *fmt, va_list ap);

/* Width of s in terminal cells (wcwidth per character; invalid bytes and
 * control characters count one cell each). */
int text_width(const char *s);
/* Copies into buf the longest prefix of s that fits in `cells` cells, cut on
 * a character boundary; when s is cut, the last cell is "…" (or "~" when
 * ascii is true).  What text_escape escapes is shown escaped (one line: a
 * newline is "\n").  Returns the width of what was written. */
int text_fit(const char *s, int cells, bool ascii, char *buf, size_t n);

/* An email address as leadboard accepts one: an '@' and no blanks (the
 * field itself is checked with text_check).  `what` names it in the error:
 * "--email 'x' is not an email address". */
lb_status email_check(const char *what, const char *s, lb_err *err);

/* Parses a positive decimal id ("12"); anything else fails with a message
 * naming what ("lead id"). */
lb_status id_parse(const char *what, const char *s, int64_t *id, lb_err *err);

#endif
