#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "leadboard/csv_write.h"
#include "leadboard/text.h"

static bool formula_start(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

/* "-142.85", "-3": a number a spreadsheet reads as a number, no formula. */
static bool plain_negative(const char *s)
{
    const char *p = s + 1;
    if (s[0] != '-' || !(*p >= '0' && *p <= '9'))
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

bool csv_formula_guarded(const char *s)
{
    const char *p = s ? s : "";
    while (*p == '\'')
        p++;
    if (!formula_start(p))
        return false;
    return p != s || !plain_negative(p);
}

const char *csv_unguard(const char *s)
{
    if (!s || s[0] != '\'')
        return s;
    const char *p = s;
    while (*p == '\'')
        p++;
    return formula_start(p) ? s + 1 : s;
}

static bool out_reserve(csv_out *o, size_t more)
{
    if (o->failed)
        return false;
    if (o->len + more + 1 <= o->cap)
        return true;
    size_t cap = o->cap ? o->cap : 1024;
    while (cap < o->len + more + 1)
        cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b) {
        o->failed = true;
        return false;
    }
    o->buf = b;
    o->cap = cap;
    return true;
}

static void put(csv_out *o, const char *s, size_t n)
{
    if (!out_reserve(o, n))
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void csv_quoted(csv_out *o, const char *s, bool guard)
{
    size_t n = strlen(s);
    char special[] = {o->delim ? o->delim : ',', '"', '\r', '\n', '\0'};
    /* A leading U+FEFF is quoted too: unquoted at the start of a file, it
     * would read as a byte-order mark and vanish. */
    bool quote =
        guard ? (strpbrk(s, special) != NULL || s[n ? n - 1 : 0] == ' ')
              : (strpbrk(s, special) != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) ||
                 strncmp(s, "\xEF\xBB\xBF", 3) == 0);
    size_t quotes = 0;
    if (quote)
        for (const char *q = strchr(s, '"'); q; q = strchr(q + 1, '"'))
            quotes++;
    if (!out_reserve(o, n + quotes + 4))
        return;
    if (quote)
        o->buf[o->len++] = '"';
    if (guard)
        o->buf[o->len++] = '\'';
    for (; *s; s++) {
        if (*s == '"')
            o->buf[o->len++] = '"';
        o->buf[o->len++] = *s;
    }
    if (quote)
        o->buf[o->len++] = '"';
    o->buf[o->len] = '\0';
}

/* TSV's escapes: backslash doubled first, so that every escape the output
 * rule adds ("\t", "\n", "\x1b", "\u202e") reads back unambiguously. */
static void tsv_escaped(csv_out *o, const char *s, bool guard)
{
    size_t n = strlen(s), slashes = 0;
    for (const char *q = strchr(s, '\\'); q; q = strchr(q + 1, '\\'))
        slashes++;
    char *doubled = malloc(n + slashes + 2);
    if (!doubled) {
        o->failed = true;
        return;
    }
    size_t k = 0;
    if (guard)
        doubled[k++] = '\'';
    for (; *s; s++) {
        if (*s == '\\')
            doubled[k++] = '\\';
        doubled[k++] = *s;
    }
    doubled[k] = '\0';
    size_t need = text_escape(doubled, false, NULL, 0);
    if (out_reserve(o, need)) {
        text_escape(doubled, false, o->buf + o->len, need + 1);
        o->len += need;
    }
    free(doubled);
}

void csv_out_field(csv_out *o, const char *s)
{
    if (!s)
        s = "";
    char *shown = NULL;
    if (o->terminal && !o->tsv) { /* TSV's own escapes already show everything */
        if (!(shown = text_escape_dup(s, true))) {
            o->failed = true;
            return;
        }
        s = shown;
    }
    if (o->mid_record)
        put(o, o->tsv ? "\t" : o->delim ? &o->delim : ",", 1);
    o->mid_record = true;
    bool guard = !o->verbatim && csv_formula_guarded(s);
    if (o->tsv)
        tsv_escaped(o, s, guard);
    else
        csv_quoted(o, s, guard);
    free(shown);
}

void csv_out_end_record(csv_out *o)
{
    put(o, o->tsv ? "\n" : "\r\n", o->tsv ? 1 : 2);
    o->mid_record = false;
}

void csv_out_clear(csv_out *o)
{
    o->len = 0;
    o->mid_record = false;
    if (o->buf)
        o->buf[0] = '\0';
}

void csv_out_free(csv_out *o)
{
    bool tsv = o->tsv, terminal = o->terminal, verbatim = o->verbatim;
    free(o->buf);
    memset(o, 0, sizeof *o);
    o->tsv = tsv;
    o->terminal = terminal;
    o->verbatim = verbatim;
}
