/* The lead detail: all its fields and its whole timeline, scrollable.
 * Opened over another view on the lead under that view's cursor. */
#include "config.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* The vocabularies' names in a timeline's text ("no_answer", "handed_off")
 * as people read them. */
static void human_words(char *s)
{
    static const lb_vocab *const vocabs[] = {&lb_stages, &lb_outcomes, &lb_reasons, &lb_kinds};
    for (size_t v = 0; v < sizeof vocabs / sizeof vocabs[0]; v++)
        for (int i = 0; i < vocabs[v]->count; i++) {
            const char *name = vocabs[v]->names[i];
            size_t k = strlen(name);
            if (!strchr(name, '_'))
                continue;
            for (char *p = strstr(s, name); p; p = strstr(p + k, name)) {
                bool starts = p == s || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
                bool ends = !(isalnum((unsigned char)p[k]) || p[k] == '_');
                if (starts && ends)
                    for (size_t j = 0; j < k; j++)
                        if (p[j] == '_')
                            p[j] = ' ';
            }
        }
}

static int timeline_line(const lb_timeline_entry *e, void *ud)
{
    lb_time t;
    char when[32] = "";
    if (time_parse(e->at, &t, NULL) == LB_OK)
        time_format_human(t, when, sizeof when);
    char *detail = strdup(e->detail);
    if (detail)
        human_words(detail);
    lines_add(ud, 0, 0, "  %s  %-8s %-10s %s", when, e->user, e->type, detail ? detail : "");
    free(detail);
    return 0;
}

static void field(draw_lines *ls, const char *label, const char *value)
{
    if (value && *value)
        lines_add(ls, 0, 0, "  %-12s %s", label, value);
}

/* Bytes of s's first character (1 for a stray byte). */
static size_t char_len(const char *s)
{
    uint32_t cp;
    size_t k = utf8_decode((const unsigned char *)s, strlen(s), &cp);
    return k ? k : 1;
}

/* A text that may have several lines and be wider than the screen (the
 * notes, a reason): each of its lines wrapped at the last space that fits
 * in `cells`, under the label. */
static void long_field(draw_lines *ls, const char *label, const char *value, int cells)
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
        lines_add(ls, 0, 0, "  %-12s %.*s", first ? label : "", (int)used, p);
        first = false;
        p += used;
        if (*p == '\n')
            p++;
        else if (*p == ' ' && used < end)
            p++; /* the space it was cut at */
    }
}

static void time_field(draw_lines *ls, const char *label, const char *iso)
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
static void detail_lines(app *a, int64_t id, draw_lines *ls)
{
    lb_lead *l = malloc(sizeof *l);
    lb_err err;
    if (!l)
        return;
    if (lead_get(a->db, id, l, &err) != LB_OK) {
        lines_add(ls, 0, PAIR_ALERT, "  %s", err.msg);
        free(l);
        return;
    }
    char buf[64];
    lines_add(ls, A_BOLD, 0, " Lead %lld: %s", (long long)l->id, l->name);
    field(ls, "company", l->company);
    field(ls, "title", l->title);
    field(ls, "email", l->email);
    field(ls, "phone", l->phone);
    field(ls, "campaign", l->campaign);
    if (l->has_value) {
        money_format_human(l->value, buf, sizeof buf);
        field(ls, "value", buf);
    }
    field(ls, "stage", vocab_label(&lb_stages, (int)l->stage, buf, sizeof buf));
    field(ls, "owner", l->owner);
    field(ls, "marketer", l->marketer);
    long_field(ls, "reason", l->reason, draw_width() - 16);
    if (l->stars) {
        snprintf(buf, sizeof buf, "%d/5", l->stars);
        field(ls, "stars", buf);
    }
    unsigned sla = sla_state(&a->sla, l, a->ctx.now);
    if (sla)
        lines_add(ls, A_BOLD, PAIR_ALERT, "  %-12s %s%s%s%s", "SLA",
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
    lines_add(ls, 0, 0, "%s", "");
    lines_add(ls, A_BOLD, PAIR_HEADER, " Timeline");
    timeline_each(a->db, l->id, timeline_line, ls, &err);
    free(l);
}

/* The detail's lines are built once per lead and change of data (and when
 * the clock's minute changes the ages), not on every key: scrolling a long
 * timeline redraws, it does not re-read it. */
static struct {
    int64_t lead; /* the lead shown */
    int top;
    draw_lines ls;
    bool fresh;   /* ls is the lead's as the data is now */
    int64_t id;   /* the lead ls is of */
    lb_time minute;
    int width; /* long texts are wrapped to it */
} D = {0, 0, {0}, false, 0, -1, 0};

static void detail_open(app *a, int64_t lead)
{
    (void)a;
    D.lead = lead;
    D.top = 0;
}

static void detail_draw(app *a)
{
    if (!D.fresh || D.id != D.lead || D.minute != a->ctx.now / 60 || D.width != draw_width()) {
        D.ls.n = 0;
        detail_lines(a, D.lead, &D.ls);
        D.id = D.lead;
        D.fresh = true;
        D.minute = a->ctx.now / 60;
        D.width = draw_width();
    }
    lines_draw(&D.ls, &D.top);
}

static bool detail_key(app *a, tui_req r)
{
    (void)a;
    if (r < REQ_NEXT || r > REQ_PAGE_UP)
        return false; /* the actions work on the lead shown */
    lines_scroll(&D.top, r);
    return true;
}

static int64_t detail_current_lead(app *a)
{
    (void)a;
    return D.lead;
}

static void detail_changed(app *a, tui_change what, int64_t lead)
{
    (void)a;
    (void)lead;
    if (what != CHANGE_RESIZE)
        D.fresh = false;
}

static void detail_free(app *a)
{
    (void)a;
    free(D.ls.v);
    D.ls = (draw_lines){0};
    D.fresh = false;
}

const tui_view_ops view_detail_ops = {
    .name = "Lead",
    .open = detail_open,
    .draw = detail_draw,
    .key = detail_key,
    .current_lead = detail_current_lead,
    .changed = detail_changed,
    .free = detail_free,
};
