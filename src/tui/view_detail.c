/* The lead detail (all fields and the whole timeline, scrollable) and the
 * help screen, which is built from the same key table the input loop
 * reads. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

typedef struct line {
    char text[LB_BUF(LB_LONG_MAX) + 600];
    int attrs, pair;
} line;

typedef struct lines {
    line *v;
    int n, cap;
} lines;

static line *add_line(lines *ls, int attrs, int pair, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static line *add_line(lines *ls, int attrs, int pair, const char *fmt, ...)
{
    if (ls->n == ls->cap) {
        int cap = ls->cap ? ls->cap * 2 : 32;
        line *v = realloc(ls->v, sizeof *v * (size_t)cap);
        if (!v)
            return NULL;
        ls->v = v;
        ls->cap = cap;
    }
    line *l = &ls->v[ls->n++];
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

static int timeline_line(const lb_timeline_entry *e, void *ud)
{
    lb_time t;
    char when[32] = "";
    if (time_parse(e->at, &t, NULL) == LB_OK)
        time_format_human(t, when, sizeof when);
    add_line(ud, 0, 0, "  %s  %-8s %-10s %s", when, e->user, e->type, e->detail);
    return 0;
}

static void field(lines *ls, const char *label, const char *value)
{
    if (value && *value)
        add_line(ls, 0, 0, "  %-12s %s", label, value);
}

/* Bytes of s's first character (1 for a stray byte). */
static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* A text that may have several lines and be wider than the screen (the
 * notes, a reason): each of its lines wrapped at the last space that fits
 * in `cells`, under the label. */
static void long_field(lines *ls, const char *label, const char *value, int cells)
{
    if (!value || !*value)
        return;
    if (cells < 10)
        cells = 10;
    bool first = true;
    for (const char *p = value; *p;) {
        size_t end = strcspn(p, "\n"), used = 0, cut = 0;
        int w = 0;
        /* the longest start of this line that fits, cut after a space when
         * there is one */
        while (used < end) {
            char one[8];
            size_t k = char_len(p + used);
            if (k >= sizeof one || used + k > end)
                k = 1;
            memcpy(one, p + used, k);
            one[k] = '\0';
            int cw = one[0] == '\r' || one[0] == '\t' ? 1 : text_width(one);
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
        add_line(ls, 0, 0, "  %-12s %.*s", first ? label : "", (int)used, p);
        first = false;
        p += used;
        if (*p == '\n')
            p++;
        else if (*p == ' ' && used < end)
            p++; /* the space it was cut at */
    }
}

static void time_field(lines *ls, const char *label, const char *iso)
{
    lb_time t;
    char buf[32];
    if (iso[0] && time_parse(iso, &t, NULL) == LB_OK) {
        time_format_human(t, buf, sizeof buf);
        field(ls, label, buf);
    }
}

/* The detail's lines are built when drawn: a lead and its timeline, a
 * bounded amount of work that only this view pays for. */
static void detail_lines(app *a, lines *ls)
{
    lb_lead *l = malloc(sizeof *l);
    lb_err err;
    if (!l)
        return;
    if (lead_get(a->db, a->detail_id, l, &err) != LB_OK) {
        add_line(ls, 0, PAIR_ALERT, "  %s", err.msg);
        free(l);
        return;
    }
    char buf[64];
    add_line(ls, A_BOLD, 0, " Lead %lld: %s", (long long)l->id, l->name);
    field(ls, "company", l->company);
    field(ls, "title", l->title);
    field(ls, "email", l->email);
    field(ls, "phone", l->phone);
    field(ls, "campaign", l->campaign);
    if (l->has_value) {
        money_format_human(l->value, buf, sizeof buf);
        field(ls, "value", buf);
    }
    field(ls, "stage", stage_name(l->stage));
    field(ls, "owner", l->owner);
    field(ls, "marketer", l->marketer);
    long_field(ls, "reason", l->reason, draw_width() - 16);
    if (l->stars) {
        snprintf(buf, sizeof buf, "%d/5", l->stars);
        field(ls, "stars", buf);
    }
    unsigned sla = sla_state(&a->sla, l, a->ctx.now);
    if (sla)
        add_line(ls, A_BOLD, PAIR_ALERT, "  %-12s %s%s%s%s", "SLA",
                 (sla & SLA_ACCEPT_OVERDUE) ? "!accept overdue " : "",
                 (sla & SLA_FIRST_TOUCH_OVERDUE) ? "!first touch overdue " : "",
                 (sla & SLA_FOLLOWUP_OVERDUE) ? "!follow-up overdue " : "",
                 (sla & SLA_STALE) ? "!stale" : "");
    time_field(ls, "created", l->created_at);
    time_field(ls, "in stage", l->stage_at);
    time_field(ls, "handed off", l->handed_off_at);
    time_field(ls, "accepted", l->accepted_at);
    time_field(ls, "first touch", l->first_touch_at);
    time_field(ls, "next due", l->next_due_at);
    time_field(ls, "closed", l->closed_at);
    long_field(ls, "notes", l->notes, draw_width() - 16);
    snprintf(buf, sizeof buf, "%lld", (long long)l->version);
    field(ls, "version", buf);
    add_line(ls, 0, 0, "%s", "");
    add_line(ls, A_BOLD, PAIR_HEADER, " Timeline");
    timeline_each(a->db, l->id, timeline_line, ls, &err);
    free(l);
}

static void draw_lines(lines *ls, int *top)
{
    int h = draw_height() - 2, w = draw_width();
    if (*top > ls->n - h)
        *top = ls->n - h;
    if (*top < 0)
        *top = 0;
    for (int i = 0; i < h && *top + i < ls->n; i++) {
        const line *l = &ls->v[*top + i];
        draw_text(1 + i, 0, w, l->text, l->attrs, l->pair);
    }
}

/* The detail's lines are built once per lead and change of data (and when
 * the clock's minute changes the ages), not on every key: scrolling a long
 * timeline redraws, it does not re-read it. */
static struct {
    lines ls;
    int64_t id, generation;
    lb_time minute;
    int width; /* long texts are wrapped to it */
} cache = {{0}, 0, -1, -1, 0};

void detail_draw(app *a)
{
    if (cache.id != a->detail_id || cache.generation != a->generation ||
        cache.minute != a->ctx.now / 60 || cache.width != draw_width()) {
        cache.ls.n = 0;
        detail_lines(a, &cache.ls);
        cache.id = a->detail_id;
        cache.generation = a->generation;
        cache.minute = a->ctx.now / 60;
        cache.width = draw_width();
    }
    draw_lines(&cache.ls, &a->detail_top);
}

void detail_free(void)
{
    free(cache.ls.v);
    cache.ls = (lines){0};
    cache.id = 0;
    cache.generation = -1;
}

static void scroll_key(int *top, tui_req r)
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

void detail_key(app *a, tui_req r)
{
    scroll_key(&a->detail_top, r);
}

void help_draw(app *a)
{
    lines ls = {0};
    add_line(&ls, A_BOLD, 0, " Keys (q or Esc: back)");
    for (int r = 1; r < REQ_COUNT; r++) {
        char keys[64] = "";
        for (int i = 0; i < tui_nkeys; i++) {
            if (tui_keys[i].req != (tui_req)r)
                continue;
            char label[16];
            key_label(tui_keys[i].key, label, sizeof label);
            size_t used = strlen(keys);
            if (strstr(keys, label) == NULL)
                snprintf(keys + used, sizeof keys - used, "%s%s", used ? " " : "", label);
        }
        const char *where = "";
        for (int i = 0; i < tui_nkeys; i++)
            if (tui_keys[i].req == (tui_req)r && tui_keys[i].views)
                where = tui_keys[i].views == IN(VIEW_STANDUP)    ? " (stand-up)"
                        : tui_keys[i].views == IN(VIEW_FEEDBACK) ? " (feedback)"
                                                                 : "";
        add_line(&ls, 0, 0, "  %-14s %s%s", keys, req_help((tui_req)r), where);
    }
    add_line(&ls, 0, 0, "%s", "");
    add_line(&ls, A_BOLD, 0, " In forms");
    add_line(&ls, 0, 0, "  %-14s %s", "Tab Down Up", "next / previous field");
    add_line(&ls, 0, 0, "  %-14s %s", "Left Right", "move in text, or choose an option");
    add_line(&ls, 0, 0, "  %-14s %s", "Space", "toggle an option (reasons)");
    add_line(&ls, 0, 0, "  %-14s %s", "Enter", "next field; on the last one, save");
    add_line(&ls, 0, 0, "  %-14s %s", "C-s", "save");
    add_line(&ls, 0, 0, "  %-14s %s", "C-r", "reload a lead someone else changed");
    add_line(&ls, 0, 0, "  %-14s %s", "Esc", "cancel: nothing is written");
    add_line(&ls, 0, 0, "%s", "");
    add_line(&ls, 0, PAIR_DIM, " Badges: !ACCEPT hand-off not accepted in time, !TOUCH no first "
                               "follow-up in time, !DUE follow-up overdue, !STALE no follow-up "
                               "for days");
    draw_lines(&ls, &a->help_top);
    free(ls.v);
}

void help_key(app *a, tui_req r)
{
    scroll_key(&a->help_top, r);
}
