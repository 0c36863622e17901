/* Drawing into the screen curses keeps (term.c owns the terminal itself):
 * text cut to cells, fills, bars that read without colour, lists of lines
 * that scroll, and the message line. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static bool color_on, ascii_only;
static int pair_attrs[PAIR_HEADER + 1]; /* the config file's attributes */

void draw_set_pair_attrs(int pair, int attrs)
{
    if (pair > 0 && pair <= PAIR_HEADER)
        pair_attrs[pair] = attrs;
}

void draw_set_color(bool on)
{
    color_on = on;
}

void draw_set_ascii(bool on)
{
    ascii_only = on;
}

/* In a locale that is not UTF-8 the terminal cannot show other characters:
 * each becomes '?' in the cells it would take (the text itself is kept). */
static void to_ascii(char *s)
{
    char *out = s;
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left > 0) {
        uint32_t cp;
        size_t k = utf8_decode(p, left, &cp);
        if (k == 0)
            k = 1;
        if (*p < 0x80) {
            *out++ = (char)*p;
        } else {
            char one[8];
            memcpy(one, p, k);
            one[k] = '\0';
            for (int w = text_width(one); w > 0; w--)
                *out++ = '?';
        }
        p += k;
        left -= k;
    }
    *out = '\0';
}

int draw_attr(int pair)
{
    if (pair <= 0 || pair > PAIR_HEADER)
        return 0;
    return (color_on ? (int)COLOR_PAIR(pair) : 0) | pair_attrs[pair];
}

int draw_text(int y, int x, int cells, const char *s, int attrs, int pair)
{
    char buf[1024];
    if (cells <= 0 || y < 0 || y >= LINES || x >= COLS)
        return 0;
    if (x + cells > COLS)
        cells = COLS - x;
    int w = text_fit(s, cells, ascii_only, buf, sizeof buf);
    if (ascii_only)
        to_ascii(buf);
    attrset((attr_t)(attrs | draw_attr(pair)));
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return w;
}

void draw_fill(int y, int x, int cells, int attrs, int pair)
{
    if (y < 0 || y >= LINES || cells <= 0)
        return;
    if (x + cells > COLS)
        cells = COLS - x;
    attrset((attr_t)(attrs | draw_attr(pair)));
    mvhline(y, x, ' ', cells);
    attrset(A_NORMAL);
}

void draw_clear(void)
{
    erase();
}

int draw_width(void)
{
    return COLS;
}

int draw_height(void)
{
    return LINES;
}

void draw_bar(const tui_term *t, int y, int x, int cells, int64_t value, int64_t max, bool solid,
              int pair)
{
    static const char *const eighths[] = {"", "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
                                          "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
                                          "\xe2\x96\x89"};
    if (cells <= 0)
        return;
    int64_t units = max > 0 && value > 0 ? (value * cells * 8 + max / 2) / max : 0;
    if (units > (int64_t)cells * 8)
        units = (int64_t)cells * 8;
    int full = (int)(units / 8), part = (int)(units % 8);
    const char *fill = t->ascii ? (solid ? "#" : "=") : (solid ? "\xe2\x96\x88" : "\xe2\x96\x93");
    const char *empty = t->ascii ? "." : "\xe2\x96\x91";
    for (int i = 0; i < cells; i++) {
        const char *c = i < full                               ? fill
                        : i == full && part && solid && !t->ascii ? eighths[part]
                        : i == full && part                    ? fill
                                                               : empty;
        draw_text(y, x + i, 1, c, 0, i < full || (i == full && part) ? pair : PAIR_DIM);
    }
}

void draw_percent(lb_fixed f, char *buf, size_t n)
{
    if (!f.has) {
        snprintf(buf, n, "-");
        return;
    }
    char num[40];
    money_format_human(f.v * 100, num, sizeof num); /* "4,592.00" */
    char *dot = strrchr(num, '.');
    if (dot)
        *dot = '\0';
    snprintf(buf, n, "%.30s%%", num);
}

void draw_fixed(lb_fixed f, const char *suffix, char *buf, size_t n)
{
    if (!f.has) {
        snprintf(buf, n, "-");
        return;
    }
    char num[32];
    report_fixed_format(f, num, sizeof num);
    snprintf(buf, n, "%s%s", num, suffix);
}

void draw_move(int *sel, int n, tui_req req, int page)
{
    switch (req) {
    case REQ_NEXT: (*sel)++; break;
    case REQ_PREV: (*sel)--; break;
    case REQ_FIRST: *sel = 0; break;
    case REQ_LAST: *sel = n - 1; break;
    case REQ_PAGE_DOWN: *sel += page; break;
    case REQ_PAGE_UP: *sel -= page; break;
    default: break;
    }
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < 0)
        *sel = 0;
}

draw_line *lines_add(draw_lines *ls, int attrs, int pair, const char *fmt, ...)
{
    if (ls->n == ls->cap) {
        int cap = ls->cap ? ls->cap * 2 : 32;
        draw_line *v = realloc(ls->v, sizeof *v * (size_t)cap);
        if (!v)
            return NULL;
        ls->v = v;
        ls->cap = cap;
    }
    draw_line *l = &ls->v[ls->n++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
    for (char *p = l->text; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    l->attrs = attrs;
    l->pair = pair;
    return l;
}

/* Bytes of s's first character (1 for a stray byte). */
static size_t char_len(const char *s)
{
    uint32_t cp;
    size_t k = utf8_decode((const unsigned char *)s, strlen(s), &cp);
    return k ? k : 1;
}

/* Adds text wrapped to `cells`: at its newlines and at the last space that
 * fits, the first line after `first`, the others after `next` (both the
 * same width); at most max_lines lines (0: all), the last one marked when
 * some are left out.  Returns the lines it added. */
int lines_wrap(draw_lines *ls, int attrs, int pair, const char *first, const char *next,
                const char *text, int cells, int max_lines)
{
    int added = 0;
    if (cells < 10)
        cells = 10;
    const char *p = text;
    do {
        size_t end = strcspn(p, "\n"), used = 0, cut = 0;
        int w = 0;
        while (used < end) {
            char one[8];
            size_t k = char_len(p + used);
            if (k >= sizeof one || used + k > end)
                k = 1;
            memcpy(one, p + used, k);
            one[k] = '\0';
            int cw = one[0] == '\r' || one[0] == '\t' || one[0] == DRAW_GLUE[0] ? 1 : text_width(one);
            if (w + cw > cells)
                break;
            w += cw;
            used += k;
            if (one[0] == ' ')
                cut = used;
        }
        if (used < end && cut > 0)
            used = cut;
        if (used == 0 && end > 0)
            used = char_len(p);
        bool last = max_lines && added == max_lines - 1 && p[used] != '\0';
        draw_line *l = lines_add(ls, attrs, pair, "%s%.*s%s", added ? next : first, (int)used,
                                 p, last ? " \xe2\x80\xa6" : "");
        for (char *g = l ? l->text : NULL; g && (g = strchr(g, DRAW_GLUE[0])) != NULL;)
            *g++ = ' ';
        added++;
        if (last)
            break;
        p += used;
        if (*p == '\n')
            p++;
        else if (*p == ' ' && used < end)
            p++; /* the space it was cut at */
    } while (*p);
    return added;
}

void lines_draw(draw_lines *ls, int *top)
{
    int h = draw_height() - 2, w = draw_width();
    if (*top > ls->n - h)
        *top = ls->n - h;
    if (*top < 0)
        *top = 0;
    for (int i = 0; i < h && *top + i < ls->n; i++) {
        const draw_line *l = &ls->v[*top + i];
        draw_text(1 + i, 0, w, l->text, l->attrs, l->pair);
    }
    /* what is past the edges, said at the right (as a form's box does) */
    char more[48];
    int below = ls->n - (*top + h);
    if (below > 0) {
        snprintf(more, sizeof more, " %s %d more ", ascii_only ? "v" : "\xe2\x86\x93", below);
        int mw = text_width(more);
        draw_text(h, w - mw, mw, more, A_REVERSE, PAIR_DIM);
    }
    if (*top > 0) {
        snprintf(more, sizeof more, " %s %d more ", ascii_only ? "^" : "\xe2\x86\x91", *top);
        int mw = text_width(more);
        draw_text(1, w - mw, mw, more, A_REVERSE, PAIR_DIM);
    }
}

void lines_scroll(int *top, tui_req r)
{
    int page = draw_height() - 3;
    switch (r) {
    case REQ_NEXT: (*top)++; break;
    case REQ_PREV: (*top)--; break;
    case REQ_PAGE_DOWN: *top += page; break;
    case REQ_PAGE_UP: *top -= page; break;
    case REQ_FIRST: *top = 0; break;
    case REQ_LAST: *top = 1 << 20; break;
    default: break;
    }
    if (*top < 0)
        *top = 0;
}

void app_message(app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_error = error;
}
