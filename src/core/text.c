#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "leadboard/domain.h"
#include "leadboard/text.h"

/* ---- money ---- */

/* Digits, optionally grouped by thousands as people write them ("12,500"):
 * every comma is followed by exactly three digits and the first group has one
 * to three, so "12,50" or "1,0000" (a decimal comma, a typo) is refused. */
lb_status money_parse(const char *s, int64_t *cents, lb_err *err)
{
    const char *p = s ? s : "";
    int64_t whole = 0, frac = 0;
    int ndigits = 0, nfrac = 0, group = 0;
    bool grouped = false, bad_group = false;

    for (; (*p >= '0' && *p <= '9') || (*p == ',' && ndigits > 0); p++) {
        if (*p == ',') {
            if (grouped ? group != 3 : group > 3)
                bad_group = true;
            grouped = true;
            group = 0;
            continue;
        }
        whole = whole * 10 + (*p - '0');
        ndigits++;
        group++;
        if (whole > LB_MONEY_MAX / 100)
            return lb_fail(err, LB_EINVAL, "amount '%.40s' is too large (at most %" PRId64 ")", s,
                           LB_MONEY_MAX / 100);
    }
    if (grouped && group != 3)
        bad_group = true;
    const char *point = p;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9' && nfrac < 3; p++, nfrac++)
            frac = frac * 10 + (*p - '0');
        if (nfrac == 1)
            frac *= 10;
    }
    if (ndigits == 0 || bad_group || *p != '\0' || (*point == '.' && (nfrac == 0 || nfrac > 2)))
        return lb_fail(err, LB_EINVAL,
                       "invalid amount '%.40s': use digits with up to two decimals, like 12500, "
                       "12,500 or 12500.50",
                       s ? s : "");
    if (whole * 100 + frac > LB_MONEY_MAX)
        return lb_fail(err, LB_EINVAL, "amount '%.40s' is too large (at most %" PRId64 ")", s,
                       LB_MONEY_MAX / 100);
    *cents = whole * 100 + frac;
    return LB_OK;
}

void money_format(int64_t cents, char *buf, size_t n)
{
    const char *sign = cents < 0 ? "-" : "";
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, n, "%s%" PRIu64 ".%02" PRIu64, sign, a / 100, a % 100);
}

void money_format_human(int64_t cents, char *buf, size_t n)
{
    char plain[32], out[48];
    size_t len, k = 0;
    int neg = cents < 0;

    money_format(cents, plain, sizeof plain);
    const char *digits = plain + neg;
    len = strcspn(digits, ".");
    if (neg)
        out[k++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    snprintf(out + k, sizeof out - k, "%s", digits + len);
    snprintf(buf, n, "%s", out);
}

/* ---- time ---- */

int64_t time_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* Reads exactly n digits. */
static int read_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return 0;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 1;
}

/* "YYYY-MM-DD[THH:MM[:SS]][Z]", the one shape of a written date and time:
 * 0 when s is not that shape, -1 when it is but names no real moment, 1
 * when it does (has_time and utc say what it gave). */
typedef struct civil {
    int y, mo, d, h, mi, se;
    bool has_time, utc;
} civil;

static int read_civil(const char *s, civil *c)
{
    const char *p = s;
    memset(c, 0, sizeof *c);
    if (!read_digits(&p, 4, &c->y) || *p++ != '-' || !read_digits(&p, 2, &c->mo) ||
        *p++ != '-' || !read_digits(&p, 2, &c->d))
        return 0;
    if (*p == 'T') {
        p++;
        c->has_time = true;
        if (!read_digits(&p, 2, &c->h) || *p++ != ':' || !read_digits(&p, 2, &c->mi))
            return 0;
        if (*p == ':') {
            p++;
            if (!read_digits(&p, 2, &c->se))
                return 0;
        }
        if (*p == 'Z')
            p++, c->utc = true;
    }
    if (*p != '\0')
        return 0;
    if (c->y < 1900 || c->mo < 1 || c->mo > 12 || c->d < 1 || c->d > days_in_month(c->y, c->mo) ||
        c->h > 23 || c->mi > 59 || c->se > 59)
        return -1;
    return 1;
}

static lb_time civil_utc(const civil *c)
{
    return time_days_from_civil(c->y, c->mo, c->d) * 86400 + c->h * 3600 + c->mi * 60 + c->se;
}

lb_status time_parse(const char *s, lb_time *t, lb_err *err)
{
    civil c;
    int k = read_civil(s ? s : "", &c);
    if (k < 0)
        return lb_fail(err, LB_EINVAL, "'%.40s' is not a real date or time", s);
    if (k == 0)
        return lb_fail(err, LB_EINVAL,
                       "invalid date '%.40s': use YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z] (UTC)",
                       s ? s : "");
    *t = civil_utc(&c);
    return LB_OK;
}

void time_format(lb_time t, char *buf)
{
    int y, m, d;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    civil_from_days(days, &y, &m, &d);
    /* By hand rather than snprintf: bulk loads format millions of these. */
    unsigned s = (unsigned)secs % 86400u, v[6] = {(unsigned)y % 10000u, (unsigned)m % 100u,
                                                  (unsigned)d % 100u, s / 3600u, s / 60u % 60u,
                                                  s % 60u};
    char *p = buf;
    p[0] = (char)('0' + v[0] / 1000), p[1] = (char)('0' + v[0] / 100 % 10);
    p[2] = (char)('0' + v[0] / 10 % 10), p[3] = (char)('0' + v[0] % 10);
    p += 4;
    static const char sep[] = "--T::Z";
    for (int i = 1; i < 6; i++) {
        *p++ = sep[i - 1];
        *p++ = (char)('0' + v[i] / 10);
        *p++ = (char)('0' + v[i] % 10);
    }
    *p++ = 'Z';
    *p = '\0';
}

void time_format_human(lb_time t, char *buf, size_t n)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (!localtime_r(&tt, &tm)) {
        char iso[LB_TIME_BUF];
        time_format(t, iso);
        snprintf(buf, n, "%.10s %.5s", iso, iso + 11);
        return;
    }
    snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

void time_stored_human(const char *iso, char *buf, size_t n)
{
    lb_time t;
    if (iso && iso[0] && time_parse(iso, &t, NULL) == LB_OK)
        time_format_human(t, buf, n);
    else
        snprintf(buf, n, "%s", iso ? iso : "");
}

void time_format_local_date(lb_time t, char *buf, size_t n)
{
    char day[32];
    time_format_human(t, day, sizeof day); /* "YYYY-MM-DD HH:MM": its day */
    snprintf(buf, n, "%.10s", day);
}

/* ---- local time ---- */

lb_time time_local_midnight(int y, int m, int d)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d; /* mktime normalises a day past the month's end */
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1) /* no zone data: UTC */
        return time_days_from_civil(y, m, 1) * 86400 + (lb_time)(d - 1) * 86400;
    return (lb_time)t;
}

void time_local_civil(lb_time t, int *y, int *m, int *d, int *wday)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (localtime_r(&tt, &tm)) {
        *y = tm.tm_year + 1900, *m = tm.tm_mon + 1, *d = tm.tm_mday;
        if (wday)
            *wday = tm.tm_wday;
        return;
    }
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    civil_from_days(days, y, m, d);
    if (wday)
        *wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
}

lb_time time_local_day_start(lb_time t, int offset_days)
{
    int y, m, d;
    time_local_civil(t, &y, &m, &d, NULL);
    return time_local_midnight(y, m, d + offset_days);
}

static const char *const weekday_names[] = {"sunday",   "monday", "tuesday", "wednesday",
                                            "thursday", "friday", "saturday"};

/* A relative date: the number of local days from today, or false. */
static bool relative_days(const char *s, lb_time now, int *days)
{
    if (strcasecmp(s, "today") == 0)
        return *days = 0, true;
    if (strcasecmp(s, "tomorrow") == 0)
        return *days = 1, true;
    if (strcasecmp(s, "yesterday") == 0)
        return *days = -1, true;
    if (s[0] == '+' && s[1] >= '0' && s[1] <= '9') {
        long v = 0;
        const char *p = s + 1;
        while (*p >= '0' && *p <= '9' && v <= 100000)
            v = v * 10 + (*p++ - '0');
        int mult = (*p == 'd' || *p == 'D') ? 1 : (*p == 'w' || *p == 'W') ? 7 : 0;
        if (!mult || p[1] != '\0' || v * mult > 36600)
            return false;
        return *days = (int)(v * mult), true;
    }
    for (int w = 0; w < 7; w++)
        if (strcasecmp(s, weekday_names[w]) == 0) {
            int y, m, d, today;
            time_local_civil(now, &y, &m, &d, &today);
            int ahead = (w - today + 7) % 7;
            return *days = ahead ? ahead : 7, true; /* the next one, never today */
        }
    return false;
}

lb_status time_parse_input(const char *s, lb_time now, bool end_of_day, lb_time *t, lb_err *err)
{
    const char *p = s ? s : "";
    int days;
    civil c;

    if (relative_days(p, now, &days)) {
        lb_time start = time_local_day_start(now, days);
        *t = end_of_day ? time_local_day_start(start, 1) - 1 : start;
        return LB_OK;
    }
    int k = read_civil(p, &c);
    if (k < 0)
        return lb_fail(err, LB_EINVAL, "'%.40s' is not a real date or time", s);
    if (k == 0)
        return lb_fail(err, LB_EINVAL,
                       "invalid date '%.40s': use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][Z] (local "
                       "time; Z for UTC), today, tomorrow, yesterday, +3d, +2w or a weekday",
                       p);
    if (c.utc) {
        *t = civil_utc(&c);
        return LB_OK;
    }
    if (!c.has_time) {
        *t = end_of_day ? time_local_midnight(c.y, c.mo, c.d + 1) - 1
                        : time_local_midnight(c.y, c.mo, c.d);
        return LB_OK;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = c.y - 1900, tm.tm_mon = c.mo - 1, tm.tm_mday = c.d;
    tm.tm_hour = c.h, tm.tm_min = c.mi, tm.tm_sec = c.se, tm.tm_isdst = -1;
    time_t tt = mktime(&tm);
    *t = tt == (time_t)-1 ? civil_utc(&c) : (lb_time)tt;
    return LB_OK;
}

lb_status time_now(lb_time *t, lb_err *err)
{
    const char *env = getenv("LEADBOARD_NOW");
    if (env && *env) {
        lb_err inner;
        /* A date or time, local unless it ends in Z; a relative one
         * ("yesterday") would not make a run repeatable. */
        if (env[0] < '0' || env[0] > '9' ||
            time_parse_input(env, (lb_time)time(NULL), false, t, &inner) != LB_OK)
            return lb_fail(err, LB_EINVAL,
                           "LEADBOARD_NOW='%.40s' is not a time: use YYYY-MM-DD or "
                           "YYYY-MM-DDTHH:MM[:SS][Z], or unset it",
                           env);
        return LB_OK;
    }
    *t = (lb_time)time(NULL);
    return LB_OK;
}

void time_format_age(lb_time seconds, char *buf, size_t n)
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 3600)
        snprintf(buf, n, "%dm", (int)(seconds / 60));
    else if (seconds < 48 * 3600)
        snprintf(buf, n, "%dh", (int)(seconds / 3600));
    else
        snprintf(buf, n, "%" PRId64 "d", seconds / 86400);
}

lb_status period_parse(const char *s, lb_time *start, lb_time *end, lb_err *err)
{
    const char *p = s ? s : "";
    int y, m, q;

    if (read_digits(&p, 4, &y) && *p++ == '-') {
        if (*p == 'Q' && (p++, read_digits(&p, 1, &q)) && *p == '\0' && q >= 1 && q <= 4 &&
            y >= 1900) {
            *start = time_days_from_civil(y, 3 * q - 2, 1) * 86400;
            *end = q == 4 ? time_days_from_civil(y + 1, 1, 1) * 86400
                          : time_days_from_civil(y, 3 * q + 1, 1) * 86400;
            return LB_OK;
        }
        if (read_digits(&p, 2, &m) && *p == '\0' && m >= 1 && m <= 12 && y >= 1900) {
            *start = time_days_from_civil(y, m, 1) * 86400;
            *end = m == 12 ? time_days_from_civil(y + 1, 1, 1) * 86400
                           : time_days_from_civil(y, m + 1, 1) * 86400;
            return LB_OK;
        }
    }
    return lb_fail(err, LB_EINVAL, "invalid period '%.40s': use YYYY-MM or YYYY-Qn, like 2026-11 "
                                   "or 2026-Q4", s ? s : "");
}

/* ---- UTF-8 ---- */

size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    size_t need;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        need = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        need = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        need = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return need;
}

size_t utf8_encode(uint32_t cp, char *buf)
{
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp;
    while (len > 0) {
        size_t k = utf8_decode(p, len, &cp);
        if (k == 0)
            return false;
        p += k;
        len -= k;
    }
    return true;
}

size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

/* Spaces of every width and the characters that draw nothing: no-break
 * and ideographic spaces, zero-width spaces and joiners, direction marks,
 * the BOM. */
static bool invisible(uint32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x1680 || cp == 0x180E ||
           cp == 0x061C || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x2060 || cp == 0x3000 || cp == 0xFEFF;
}

bool text_blank(const char *s)
{
    if (!s)
        return true;
    size_t len = strlen(s);
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        uint32_t cp;
        size_t k = utf8_decode(p, (size_t)(end - p), &cp);
        if (k == 0 || !invisible(cp))
            return false;
        p += k;
    }
    return true;
}

const char *text_trim(const char *s, size_t *len)
{
    size_t n = strlen(s);
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    const unsigned char *first = NULL, *last = p;
    while (p < end) {
        uint32_t cp;
        size_t k = utf8_decode(p, (size_t)(end - p), &cp);
        if (k == 0 || !invisible(cp)) {
            if (!first)
                first = p;
            last = p + (k ? k : 1);
        }
        p += k ? k : 1;
    }
    *len = first ? (size_t)(last - first) : 0;
    return first ? (const char *)first : s + n;
}

/* Characters that reorder the text around them: embeddings, overrides
 * and isolates (a name with U+202E reads backwards from there on). */
static bool bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

static bool control_char(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

lb_status text_check(const char *field, const char *s, size_t max_chars, bool multiline,
                     lb_err *err)
{
    /* One pass (an import checks every field of every row): invalid UTF-8
     * anywhere is reported first, then the first control character. */
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    size_t n = 0;
    int64_t control = -1;
    while (p < end) {
        uint32_t cp = *p;
        size_t k = 1;
        if (cp >= 0x80 && (k = utf8_decode(p, (size_t)(end - p), &cp)) == 0)
            return lb_fail(err, LB_EINVAL, "%s is not valid UTF-8 text", field);
        if (control < 0 && (control_char(cp) || bidi_control(cp)) &&
            !(multiline && (cp == '\n' || cp == '\t' || cp == '\r')))
            control = cp;
        p += k;
        n++;
    }
    if (control >= 0 && bidi_control((uint32_t)control))
        return lb_fail(err, LB_EINVAL,
                       "%s contains a bidirectional control character (U+%04X), which would "
                       "reorder the text around it; remove it",
                       field, (unsigned)control);
    if (control >= 0)
        return lb_fail(err, LB_EINVAL, "%s contains a control character (0x%02X)%s", field,
                       (unsigned)control, multiline ? "" : "; it must be a single line");
    if (n > max_chars)
        return lb_fail(err, LB_EINVAL, "%s is too long (%zu characters; at most %zu)", field, n,
                       max_chars);
    return LB_OK;
}

/* Never meaningful inside a name: zero-width space, word joiner, BOM,
 * Mongolian vowel separator, and the direction marks. */
static bool name_invisible(uint32_t cp)
{
    return cp == 0x200B || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

size_t text_name_key(const char *s, char *buf, size_t n)
{
    size_t len, out = 0;
    const unsigned char *p = (const unsigned char *)text_trim(s ? s : "", &len), *end = p + len;
    bool space = false;
    if (n == 0)
        return 0;
    while (p < end) {
        uint32_t cp;
        size_t k = utf8_decode(p, (size_t)(end - p), &cp);
        if (k == 0) { /* not text: kept as it is, the checks refuse it */
            cp = 0xFFFFFFFF;
            k = 1;
        }
        if (cp != 0xFFFFFFFF && name_invisible(cp)) {
            p += k;
            continue;
        }
        /* any run of spaces (of any width, tabs, line breaks) is one space;
         * the zero-width joiners stay: inside a word they change it */
        if (cp != 0xFFFFFFFF && invisible(cp) && cp != 0x200C && cp != 0x200D) {
            space = true;
            p += k;
            continue;
        }
        if (space && out + 1 < n)
            buf[out++] = ' ';
        space = false;
        if (out + k >= n)
            break;
        memcpy(buf + out, p, k);
        out += k;
        p += k;
    }
    buf[out] = '\0';
    return out;
}

/* ---- the output rule ---- */

/* The visible form of one code point that must not reach a terminal as it
 * is (an empty string: it may); bytes that are not UTF-8 come as bad. */
static const char *escape_of(uint32_t cp, bool bad, bool keep_lines, char tmp[16])
{
    if (bad) {
        snprintf(tmp, 16, "\\x%02x", (unsigned)cp);
        return tmp;
    }
    if (cp == '\n' || cp == '\t') {
        if (keep_lines)
            return "";
        return cp == '\n' ? "\\n" : "\\t";
    }
    if (cp == '\r')
        return "\\r";
    if (cp < 0x20 || cp == 0x7F) {
        snprintf(tmp, 16, "\\x%02x", (unsigned)cp);
        return tmp;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || bidi_control(cp)) {
        snprintf(tmp, 16, "\\u%04x", (unsigned)cp);
        return tmp;
    }
    return "";
}

size_t text_escape(const char *s, bool keep_lines, char *buf, size_t n)
{
    const unsigned char *p = (const unsigned char *)(s ? s : ""),
                        *end = p + strlen((const char *)p);
    size_t need = 0, out = 0;
    bool full = false;
    while (p < end) {
        uint32_t cp = *p;
        size_t k = 1;
        bool bad = false;
        if (cp >= 0x80 && (k = utf8_decode(p, (size_t)(end - p), &cp)) == 0) {
            cp = *p;
            k = 1;
            bad = true;
        }
        char tmp[16];
        const char *esc = escape_of(cp, bad, keep_lines, tmp);
        const char *src = *esc ? esc : (const char *)p;
        size_t srclen = *esc ? strlen(esc) : k;
        need += srclen;
        if (!full && buf && out + srclen < n) { /* whole characters only */
            memcpy(buf + out, src, srclen);
            out += srclen;
        } else {
            full = true;
        }
        p += k;
    }
    if (buf && n)
        buf[out] = '\0';
    return need;
}

char *text_error_line(const char *fmt, va_list ap)
{
    char msg[2048], *shown, *line;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (!(shown = text_escape_dup(msg, false)))
        return NULL;
    size_t n = strlen(shown) + 12;
    if ((line = malloc(n)))
        snprintf(line, n, "leadboard: %s", shown);
    free(shown);
    return line;
}

char *text_escape_dup(const char *s, bool keep_lines)
{
    size_t need = text_escape(s, keep_lines, NULL, 0);
    char *buf = malloc(need + 1);
    if (buf)
        text_escape(s, keep_lines, buf, need + 1);
    return buf;
}

/* ---- width in cells ---- */

struct range {
    uint32_t lo, hi;
};

static const struct range zero_width[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F},
    {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

static const struct range double_width[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x26AA, 0x26AB},
    {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x2753, 0x2755},   {0x2795, 0x2797},
    {0x2B1B, 0x2B1C},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18AFF}, {0x1B000, 0x1B2FF},
    {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
    {0x1F200, 0x1F251}, {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB},
    {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* Cells of one code point: the C library's answer when it has one (so we
 * agree with curses in a UTF-8 locale), else our own tables. */
static int cp_width(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F)
        return 1;
    if (cp < 0x7F)
        return 1;
    int w = wcwidth((wchar_t)cp);
    if (w >= 0)
        return w;
    if (in_ranges(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
        return 0;
    if (in_ranges(cp, double_width, sizeof double_width / sizeof double_width[0]))
        return 2;
    return 1;
}

int text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    int w = 0;
    uint32_t cp;
    while (len > 0) {
        size_t k = utf8_decode(p, len, &cp);
        if (k == 0) {
            w++;
            k = 1;
        } else {
            w += cp_width(cp);
        }
        p += k;
        len -= k;
    }
    return w;
}

/* Cells s takes once escaped as text_fit shows it. */
static int text_width_shown(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);
    int w = 0;
    uint32_t cp;
    char tmp[16];
    while (len > 0) {
        size_t k = utf8_decode(p, len, &cp);
        const char *esc =
            k == 0 ? escape_of(*p, true, false, tmp) : escape_of(cp, false, false, tmp);
        w += *esc ? (int)strlen(esc) : cp_width(cp);
        k = k ? k : 1;
        p += k;
        len -= k;
    }
    return w;
}

int text_fit(const char *s, int cells, bool ascii, char *buf, size_t n)
{
    const char *mark = ascii ? "~" : "\xE2\x80\xA6"; /* … */
    size_t marklen = strlen(mark);
    if (n == 0)
        return 0;
    buf[0] = '\0';
    if (cells <= 0)
        return 0;

    bool cut = text_width_shown(s) > cells;
    int budget = cut ? cells - 1 : cells;
    size_t room = n - 1 - (cut ? marklen : 0);
    if (n - 1 < (cut ? marklen : 0))
        return 0;

    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), out = 0;
    int w = 0;
    uint32_t cp;
    while (len > 0) {
        size_t k = utf8_decode(p, len, &cp);
        int cw;
        const char *src = (const char *)p;
        size_t srclen = k;
        char tmp[16];
        /* the output rule: a control character or a byte that is not
         * UTF-8 shows as its escape, "\x1b", "\u202e" */
        const char *esc =
            k == 0 ? escape_of(*p, true, false, tmp) : escape_of(cp, false, false, tmp);
        if (k == 0)
            k = 1;
        if (*esc) {
            src = esc;
            srclen = strlen(esc);
            cw = (int)srclen;
        } else {
            cw = cp_width(cp);
        }
        if (w + cw > budget || out + srclen > room)
            break;
        memcpy(buf + out, src, srclen);
        out += srclen;
        w += cw;
        p += k;
        len -= k;
    }
    if (cut) {
        memcpy(buf + out, mark, marklen);
        out += marklen;
        w += 1;
    }
    buf[out] = '\0';
    return w;
}

lb_status email_check(const char *what, const char *s, lb_err *err)
{
    if (!strchr(s, '@') || strpbrk(s, " \t"))
        return lb_fail(err, LB_EINVAL, "%s '%.60s' is not an email address", what, s);
    return LB_OK;
}

lb_status id_parse(const char *what, const char *s, int64_t *id, lb_err *err)
{
    int64_t v = 0;
    const char *p = s ? s : "";
    if (*p == '#')
        p++;
    if (*p == '\0')
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        if (v > (INT64_MAX - (*p - '0')) / 10)
            return lb_fail(err, LB_EINVAL, "invalid %s '%.40s': too large (at most %lld)", what, s,
                           (long long)INT64_MAX);
        v = v * 10 + (*p - '0');
    }
    if (v <= 0)
        goto bad;
    *id = v;
    return LB_OK;
bad:
    return lb_fail(err, LB_EINVAL, "invalid %s '%.40s': expected a positive number", what,
                   s ? s : "");
}
