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

/* The timeline is read oldest first and shown newest first. */
typedef struct entries {
    lb_timeline_entry *v;
    int n, cap;
} entries;

static int keep_entry(const lb_timeline_entry *e, void *ud)
{
    entries *es = ud;
    if (es->n == es->cap) {
        int cap = es->cap ? es->cap * 2 : 16;
        lb_timeline_entry *v = realloc(es->v, sizeof *v * (size_t)cap);
        if (!v)
            return 1;
        es->v = v;
        es->cap = cap;
    }
    es->v[es->n++] = *e;
    return 0;
}

static void timeline_lines(draw_lines *ls, const entries *es, int width)
{
    for (int i = es->n - 1; i >= 0; i--) {
        lb_timeline_entry *e = &es->v[i];
        lb_time t;
        char when[32] = "", head[160];
        if (time_parse(e->at, &t, NULL) == LB_OK)
            time_format_human(t, when, sizeof when);
        human_words(e->detail);
        snprintf(head, sizeof head, "  %s  %-8s %-8s ", when, e->user, e->type);
        int hw = text_width(head);
        char indent[160];
        snprintf(indent, sizeof indent, "%*s", hw, "");
        /* an edit repeats the old and new text: its start is enough */
        int most = strcmp(e->type, "edit") ? 0 : 3;
        if (width - hw >= 20) {
            lines_wrap(ls, 0, 0, head, indent, e->detail, width - hw, most);
        } else { /* narrow: the text under its time, user and type */
            lines_add(ls, 0, 0, "%s", head);
            lines_wrap(ls, 0, 0, "      ", "      ", e->detail, width - 6, most);
        }
    }
}

/* Items joined with " · ", a line broken between items that do not fit. */
typedef struct flow {
    draw_lines *ls;
    char line[1024];
    int width, attrs, pair;
    const char *sep; /* " · ", or " | " when the locale is not UTF-8 */
} flow;

static void flow_add(flow *f, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    char item[600];
    snprintf(item, sizeof item, "%s%s%s", label, *label ? " " : "", value);
    for (char *p = item; *p; p++)
        if (*p == '\n' || *p == '\t' || *p == '\r')
            *p = ' ';
    if (f->line[0] && text_width(f->line) + text_width(f->sep) + text_width(item) > f->width) {
        lines_add(f->ls, f->attrs, f->pair, "%s", f->line);
        f->line[0] = '\0';
    }
    size_t used = strlen(f->line);
    snprintf(f->line + used, sizeof f->line - used, "%s%s", f->line[0] ? f->sep : "  ",
             item);
}

static void flow_end(flow *f)
{
    if (f->line[0])
        lines_add(f->ls, f->attrs, f->pair, "%s", f->line);
    f->line[0] = '\0';
}

static void time_item(flow *f, const char *label, const char *iso)
{
    lb_time t;
    char buf[32];
    if (iso[0] && time_parse(iso, &t, NULL) == LB_OK) {
        time_format_human(t, buf, sizeof buf);
        flow_add(f, label, buf);
    }
}

/* The detail's lines are built when drawn: a lead and its timeline, a
 * bounded amount of work that only this view pays for.  The details are
 * folded into a few lines so the timeline, newest first, starts on the
 * first screen; long notes are shown whole below it. */
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
    int width = draw_width() - 1;
    char buf[64], stage[32];
    flow f = {ls, "", width, A_BOLD, 0, a->term.ascii ? " | " : " \xc2\xb7 "};
    snprintf(f.line, sizeof f.line, " Lead %lld: %s", (long long)l->id, l->name);
    flow_add(&f, "", l->company);
    flow_end(&f);
    f.attrs = 0;
    flow_add(&f, "", vocab_label(&lb_stages, (int)l->stage, stage, sizeof stage));
    flow_add(&f, "owner", l->owner);
    flow_add(&f, "marketer", l->marketer);
    flow_add(&f, "campaign", l->campaign);
    if (l->has_value) {
        money_format_human(l->value, buf, sizeof buf);
        flow_add(&f, "value", buf);
    }
    if (l->stars) {
        snprintf(buf, sizeof buf, "%d/5", l->stars);
        flow_add(&f, "stars", buf);
    }
    flow_end(&f);
    flow_add(&f, "", l->title);
    flow_add(&f, "", l->email);
    flow_add(&f, "", l->phone);
    flow_end(&f);
    unsigned sla = sla_state(&a->sla, l, a->ctx.now);
    if (sla) {
        f.attrs = A_BOLD;
        f.pair = PAIR_ALERT;
        if (sla & SLA_ACCEPT_OVERDUE)
            flow_add(&f, "", "!accept overdue");
        if (sla & SLA_FIRST_TOUCH_OVERDUE)
            flow_add(&f, "", "!first touch overdue");
        if (sla & SLA_FOLLOWUP_OVERDUE)
            flow_add(&f, "", "!follow-up overdue");
        if (sla & SLA_STALE)
            flow_add(&f, "", "!stale");
        flow_end(&f);
        f.attrs = f.pair = 0;
    }
    f.pair = PAIR_DIM;
    time_item(&f, "created", l->created_at);
    time_item(&f, "in stage since", l->stage_at);
    time_item(&f, "handed off", l->handed_off_at);
    time_item(&f, "accepted", l->accepted_at);
    time_item(&f, "first touch", l->first_touch_at);
    time_item(&f, "next due", l->next_due_at);
    time_item(&f, "closed", l->closed_at);
    flow_end(&f);
    if (l->reason[0])
        lines_wrap(ls, 0, 0, "  reason  ", "          ", l->reason, width - 10, 3);
    /* the notes' first lines here, all of them after the timeline */
    bool long_notes = false;
    if (l->notes[0])
        long_notes = lines_wrap(ls, 0, 0, "  notes   ", "          ", l->notes, width - 10, 3) == 3;
    lines_add(ls, 0, 0, "%s", "");
    lines_add(ls, A_BOLD, PAIR_HEADER, " Timeline, newest first");
    entries es = {0};
    timeline_each(a->db, l->id, keep_entry, &es, &err);
    timeline_lines(ls, &es, width);
    free(es.v);
    if (long_notes) {
        lines_add(ls, 0, 0, "%s", "");
        lines_add(ls, A_BOLD, PAIR_HEADER, " Notes");
        lines_wrap(ls, 0, 0, "  ", "  ", l->notes, width - 2, 0);
    }
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
    if (D.top == 0) /* the lead's name, on the first line: a form leaves it in sight */
        a->shown = (tui_rect){1, 0, draw_width(), 1};
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
