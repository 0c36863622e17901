/* The report views: Feedback (marketing's inbox), Campaigns, Goals and the
 * Stand-up.  Each asks the report and store functions for its rows when it
 * is opened or the data changes, keeps a bounded number of them, and draws
 * bars that read without colour (block characters, or ASCII when the
 * locale is not UTF-8). */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/report.h"
#include "tui.h"

#define FB_PAGE 200
#define STANDUP_KEEP 300 /* rows kept per section; the rest are counted */

typedef struct fb_row {
    int64_t id, lead_id;
    int stars;
    char lead[160], campaign[160], rater[LB_LOGIN_MAX + 1], reasons[128], comment[400],
        reviewed_by[LB_LOGIN_MAX + 1], reply[300], created_at[LB_TIME_BUF];
} fb_row;

struct tui_feedback {
    fb_row rows[FB_PAGE];
    int n;
    int64_t offset, pos, top, total, unreviewed;
    char campaign[LB_BUF(LB_SHORT_MAX)];
};

typedef struct su_row {
    lb_standup_section section;
    int64_t lead_id;
    char lead[160], owner[LB_LOGIN_MAX + 1], marketer[LB_LOGIN_MAX + 1], detail[240];
} su_row;

struct tui_reports {
    /* campaigns */
    lb_campaign_row *camps;
    int64_t (*reasons)[REASON_COUNT];
    int ncamps, camp_sel, camp_top;
    /* goals */
    lb_goal_row goals[8];
    int ngoals;
    lb_funnel_row funnel[REPORT_FUNNEL_ROWS];
    lb_sla_row *sla;
    int nsla;
    int goals_top;
    /* stand-up */
    su_row *su;
    int nsu, su_sel, su_top;
    int64_t su_count[STANDUP_SECTION_COUNT];
    char since[LB_TIME_BUF];
    char people[64][LB_LOGIN_MAX + 1];
    int npeople, person; /* person -1: everyone */
    bool loaded[VIEW_COUNT];
    bool pending[VIEW_COUNT]; /* being counted (worker.c) */
};

static struct tui_reports *reports(app *a)
{
    if (!a->rep)
        a->rep = calloc(1, sizeof *a->rep);
    if (a->rep && !a->rep->loaded[VIEW_STANDUP] && !a->rep->since[0])
        a->rep->person = -1;
    return a->rep;
}

/* ---- bars ---- */

/* A bar of `cells` cells filled to value/max, in eighths of a cell. */
static void draw_bar(app *a, int y, int x, int cells, int64_t value, int64_t max, bool solid,
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
    const char *fill = a->term.ascii ? (solid ? "#" : "=") : (solid ? "\xe2\x96\x88" : "\xe2\x96\x93");
    const char *empty = a->term.ascii ? "." : "\xe2\x96\x91";
    for (int i = 0; i < cells; i++) {
        const char *c = i < full ? fill : i == full && part && solid && !a->term.ascii ? eighths[part]
                                      : i == full && part ? fill
                                                          : empty;
        draw_text(y, x + i, 1, c, 0, i < full || (i == full && part) ? pair : PAIR_DIM);
    }
}

static void fixed_text(lb_fixed f, const char *suffix, char *buf, size_t n)
{
    if (!f.has) {
        snprintf(buf, n, "-");
        return;
    }
    char num[32];
    report_fixed_format(f, num, sizeof num);
    snprintf(buf, n, "%s%s", num, suffix);
}

static void money_text(int64_t cents, char *buf, size_t n)
{
    money_format_human(cents, buf, n);
}

/* ---- feedback ---- */

static int fb_add(const lb_rating *r, void *ud)
{
    struct tui_feedback *fb = ud;
    if (fb->n >= FB_PAGE)
        return 1;
    fb_row *x = &fb->rows[fb->n++];
    x->id = r->id;
    x->lead_id = r->lead_id;
    x->stars = r->stars;
    snprintf(x->lead, sizeof x->lead, "%.150s", r->lead_name);
    snprintf(x->campaign, sizeof x->campaign, "%.150s", r->campaign);
    snprintf(x->rater, sizeof x->rater, "%s", r->user);
    snprintf(x->reasons, sizeof x->reasons, "%s", r->reasons);
    snprintf(x->comment, sizeof x->comment, "%.390s", r->comment);
    snprintf(x->reviewed_by, sizeof x->reviewed_by, "%s", r->reviewed_by);
    snprintf(x->reply, sizeof x->reply, "%.290s", r->reply);
    snprintf(x->created_at, sizeof x->created_at, "%s", r->created_at);
    return 0;
}

static void fb_fetch(app *a)
{
    struct tui_feedback *fb = a->fb;
    lb_err err;
    lb_feedback_filter f = {false, fb->campaign[0] ? fb->campaign : NULL, FB_PAGE, fb->offset};
    fb->n = 0;
    if (rating_counts(a->db, f.campaign, &fb->total, &fb->unreviewed, &err) != LB_OK ||
        rating_each(a->db, &f, fb_add, fb, &err) != LB_OK)
        app_message(a, true, "%s", err.msg);
    if (fb->pos >= fb->total)
        fb->pos = fb->total > 0 ? fb->total - 1 : 0;
}

/* Moves the window of fetched rows so that rows [top, top + visible) are in it. */
static void fb_window(app *a, int visible)
{
    struct tui_feedback *fb = a->fb;
    if (fb->top >= fb->offset && fb->top + visible <= fb->offset + fb->n)
        return;
    if (fb->top >= fb->offset && fb->offset + fb->n >= fb->total)
        return;
    int64_t off = fb->top - (FB_PAGE - visible) / 2;
    fb->offset = off < 0 ? 0 : off;
    fb_fetch(a);
}

static void fb_draw(app *a)
{
    struct tui_feedback *fb = a->fb;
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char line[1200], head[300];
    snprintf(head, sizeof head, " %lld feedback, %lld not reviewed%s%.200s   Enter: review  f: campaign",
             (long long)fb->total, (long long)fb->unreviewed, fb->campaign[0] ? " | campaign " : "",
             fb->campaign);
    draw_text(y++, 0, w, head, A_BOLD, PAIR_HEADER);
    if (fb->total == 0) {
        draw_text(y + 1, 2, w - 2, "No feedback yet: sales rates leads with 'r' on the board.", 0,
                  PAIR_DIM);
        return;
    }
    int visible = h / 2;
    fb->top = layout_scroll((int)fb->pos, (int)fb->top, visible, (int)fb->total);
    fb_window(a, visible);
    for (int i = 0; i < visible; i++) {
        int64_t g = fb->top + i;
        if (g >= fb->total || g - fb->offset >= fb->n || g < fb->offset)
            break;
        const fb_row *x = &fb->rows[g - fb->offset];
        bool sel = g == fb->pos, done = x->reviewed_by[0] != 0;
        int attrs = sel ? A_REVERSE : 0;
        char stars[32] = "";
        for (int s = 0; s < 5; s++)
            strcat(stars, a->term.ascii ? (s < x->stars ? "*" : ".")
                                        : (s < x->stars ? "\xe2\x98\x85" : "\xe2\x98\x86"));
        snprintf(line, sizeof line, "%s%s %s %d/5  %s  (%s)  by %s  #%lld", sel ? ">" : " ",
                 done ? (a->term.ascii ? "v" : "\xe2\x9c\x93") : "*", stars, x->stars, x->lead,
                 x->campaign[0] ? x->campaign : "no campaign", x->rater, (long long)x->id);
        draw_fill(y, 0, w, attrs, sel ? PAIR_SELECTED : 0);
        draw_text(y, 0, w, line, attrs | (done ? 0 : A_BOLD), sel ? PAIR_SELECTED : 0);
        snprintf(line, sizeof line, "      %s%s%s%s%s%s", x->reasons[0] ? "[" : "", x->reasons,
                 x->reasons[0] ? "] " : "", x->comment,
                 done ? "  | reviewed by " : "  | not reviewed", done ? x->reviewed_by : "");
        if (done && x->reply[0]) {
            size_t used = strlen(line);
            snprintf(line + used, sizeof line - used, ": %s", x->reply);
        }
        draw_text(y + 1, 0, w, line, 0, done ? PAIR_DIM : 0);
        y += 2;
    }
}

/* ---- campaigns ---- */

static int camp_add(const lb_campaign_row *row, void *ud)
{
    struct tui_reports *r = ud;
    if ((r->ncamps & (r->ncamps - 1)) == 0) {
        int cap = r->ncamps ? r->ncamps * 2 : 16;
        lb_campaign_row *c = realloc(r->camps, sizeof *c * (size_t)cap);
        int64_t(*x)[REASON_COUNT] = realloc(r->reasons, sizeof *x * (size_t)cap);
        if (c)
            r->camps = c;
        if (x)
            r->reasons = x;
        if (!c || !x)
            return 1;
    }
    r->camps[r->ncamps] = *row;
    memset(r->reasons[r->ncamps], 0, sizeof r->reasons[0]);
    r->ncamps++;
    return 0;
}

static int reason_add(int64_t campaign_id, const int64_t counts[REASON_COUNT], void *ud)
{
    struct tui_reports *r = ud;
    for (int i = 0; i < r->ncamps; i++)
        if ((campaign_id == 0 && r->camps[i].none) ||
            (!r->camps[i].none && r->camps[i].campaign_id == campaign_id))
            memcpy(r->reasons[i], counts, sizeof r->reasons[0]);
    return 0;
}

static void camp_draw(app *a)
{
    struct tui_reports *r = a->rep;
    int w = draw_width(), h = draw_height() - 3, y = 1;
    char line[600], n1[32], n2[32], n3[32], n4[32];
    int64_t max = 1;
    for (int i = 0; i < r->ncamps; i++) {
        if (r->camps[i].cost > max)
            max = r->camps[i].cost;
        if (r->camps[i].revenue > max)
            max = r->camps[i].revenue;
    }
    draw_text(y++, 0, w,
              a->term.ascii ? " Campaigns (all time)   bars: = cost   # won revenue"
                            : " Campaigns (all time)   bars: \xe2\x96\x93 cost   \xe2\x96\x88 won "
                              "revenue",
              A_BOLD, PAIR_HEADER);
    if (r->ncamps == 0) {
        draw_text(y + 1, 2, w - 2, "No campaigns yet: marketing adds them with 'leadboard campaign add'.", 0, PAIR_DIM);
        return;
    }
    int per = 4, visible = h / per;
    r->camp_top = layout_scroll(r->camp_sel, r->camp_top, visible, r->ncamps);
    int bar = w - 50 > 10 ? w - 50 : 10;
    if (bar > 40)
        bar = 40;
    for (int i = r->camp_top; i < r->ncamps && y + per <= h + 2; i++) {
        const lb_campaign_row *c = &r->camps[i];
        bool sel = i == r->camp_sel;
        fixed_text(c->avg_rating.has ? (lb_fixed){true, c->avg_rating.v} : c->avg_rating, "", n1,
                   sizeof n1);
        fixed_text(c->roi, "", n2, sizeof n2);
        snprintf(line, sizeof line, "%s%.200s (%s)   leads %lld  won %lld  stars %s  ROI %s",
                 sel ? ">" : " ", c->name,
                 c->none ? "-" : vocab_name(&lb_channels, (int)c->channel), (long long)c->leads,
                 (long long)c->won, n1, n2);
        draw_fill(y, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
        draw_text(y, 0, w, line, (sel ? A_REVERSE : 0) | A_BOLD, sel ? PAIR_SELECTED : 0);
        money_text(c->cost, n1, sizeof n1);
        fixed_text(c->cost_per_lead, "", n3, sizeof n3);
        fixed_text(c->cost_per_win, "", n4, sizeof n4);
        draw_text(y + 1, 3, 9, "cost", 0, 0);
        draw_bar(a, y + 1, 12, bar, c->cost, max, false, PAIR_ALERT);
        snprintf(line, sizeof line, " %14s  per lead %s  per win %s", n1, n3, n4);
        draw_text(y + 1, 12 + bar, w - 12 - bar, line, 0, 0);
        money_text(c->revenue, n2, sizeof n2);
        draw_text(y + 2, 3, 9, "revenue", 0, 0);
        draw_bar(a, y + 2, 12, bar, c->revenue, max, true, PAIR_OK);
        snprintf(line, sizeof line, " %14s", n2);
        draw_text(y + 2, 12 + bar, w - 12 - bar, line, 0, 0);
        /* the three reasons sales gives most for this campaign's leads */
        char why[200] = "";
        bool used[REASON_COUNT] = {false};
        for (int k = 0; k < 3; k++) {
            int best = -1;
            for (int t = 0; t < REASON_COUNT; t++)
                if (!used[t] && r->reasons[i][t] > 0 && (best < 0 || r->reasons[i][t] > r->reasons[i][best]))
                    best = t;
            if (best < 0)
                break;
            used[best] = true;
            size_t u = strlen(why);
            snprintf(why + u, sizeof why - u, "%s%s %lld", u ? ", " : "",
                     vocab_name(&lb_reasons, best), (long long)r->reasons[i][best]);
        }
        snprintf(line, sizeof line,
                 "   handed off %lld, accepted %lld, rejected %lld   reasons sales gives: %s",
                 (long long)c->handed_off, (long long)c->accepted, (long long)c->rejected,
                 why[0] ? why : "none yet");
        draw_text(y + 3, 0, w, line, 0, PAIR_DIM);
        y += per;
    }
}

/* ---- goals ---- */

static int goal_add(const lb_goal_row *g, void *ud)
{
    struct tui_reports *r = ud;
    if (r->ngoals < (int)(sizeof r->goals / sizeof r->goals[0]))
        r->goals[r->ngoals++] = *g;
    return 0;
}

static int sla_add(const lb_sla_row *s, void *ud)
{
    struct tui_reports *r = ud;
    if ((r->nsla & (r->nsla - 1)) == 0) {
        lb_sla_row *x = realloc(r->sla, sizeof *x * (size_t)(r->nsla ? r->nsla * 2 : 8));
        if (!x)
            return 1;
        r->sla = x;
    }
    r->sla[r->nsla++] = *s;
    return 0;
}

static int pct(int64_t part, int64_t whole)
{
    return whole > 0 ? (int)((part * 100 + whole / 2) / whole) : 0;
}

static void goals_draw(app *a)
{
    struct tui_reports *r = a->rep;
    int w = draw_width(), y = 1, bar = w - 52 > 10 ? w - 52 : 10;
    char line[400], n1[32], n2[32];
    if (bar > 40)
        bar = 40;
    int bottom = draw_height() - 2;
    draw_text(y++, 0, w, " Shared goals: deals won and revenue, the same for both teams", A_BOLD,
              PAIR_HEADER);
    if (r->ngoals == 0)
        draw_text(y++, 2, w - 2, "No goal covers today: a manager sets one with 'leadboard goal set PERIOD --revenue AMOUNT --wins N'.", 0, PAIR_DIM);
    for (int i = 0; i < r->ngoals && y + 2 < bottom; i++) {
        const lb_goal_row *g = &r->goals[i];
        money_text(g->revenue_won, n1, sizeof n1);
        money_text(g->revenue_target, n2, sizeof n2);
        draw_text(y, 1, 10, g->period, A_BOLD, 0);
        draw_text(y, 11, 8, "revenue", 0, 0);
        draw_bar(a, y, 20, bar, g->revenue_won, g->revenue_target, true, PAIR_OK);
        snprintf(line, sizeof line, " %s of %s (%d%%)", n1, n2, pct(g->revenue_won, g->revenue_target));
        draw_text(y++, 20 + bar, w - 20 - bar, line, 0, 0);
        draw_text(y, 11, 8, "wins", 0, 0);
        if (g->has_wins_target) {
            draw_bar(a, y, 20, bar, g->wins, g->wins_target, true, PAIR_OK);
            snprintf(line, sizeof line, " %lld of %lld (%d%%)", (long long)g->wins,
                     (long long)g->wins_target, pct(g->wins, g->wins_target));
        } else {
            snprintf(line, sizeof line, " %lld (no target)", (long long)g->wins);
        }
        draw_text(y++, g->has_wins_target ? 20 + bar : 20, w - 20, line, 0, 0);
    }
    y++;
    if (y < bottom)
        draw_text(y++, 0, w, " Funnel (all time): leads that reached each stage, and the step's conversion", A_BOLD, PAIR_HEADER);
    int64_t top = r->funnel[0].reached > 0 ? r->funnel[0].reached : 1;
    for (int i = 0; i < REPORT_FUNNEL_ROWS && y < bottom; i++) {
        const lb_funnel_row *f = &r->funnel[i];
        draw_text(y, 1, 11, stage_name(f->stage), 0, 0);
        draw_bar(a, y, 12, bar + 8, f->reached, top, true, PAIR_HEADER);
        char conv[32];
        fixed_text(f->conversion, "", conv, sizeof conv);
        snprintf(line, sizeof line, " %8lld  %s", (long long)f->reached,
                 f->conversion.has ? conv : "");
        if (f->conversion.has)
            snprintf(line, sizeof line, " %8lld  %3lld%% of the step before", (long long)f->reached,
                     (long long)f->conversion.v);
        draw_text(y++, 12 + bar + 8, w - 20 - bar, line, 0, 0);
    }
    y++;
    if (y < bottom)
        draw_text(y++, 0, w, " SLA per rep (last 30 days)   hand-offs   accepted in time   first touch in time   overdue now", A_BOLD, PAIR_HEADER);
    for (int i = 0; i < r->nsla && y < bottom; i++) {
        const lb_sla_row *s = &r->sla[i];
        snprintf(line, sizeof line, " %-28s %9lld   %8lld (%3d%%)   %11lld (%3d%%)   %11lld%s",
                 s->owner, (long long)s->handoffs, (long long)s->accepted_in_sla,
                 pct(s->accepted_in_sla, s->handoffs), (long long)s->touched_in_sla,
                 pct(s->touched_in_sla, s->handoffs), (long long)s->overdue_now,
                 s->overdue_now ? " !" : "");
        draw_text(y++, 0, w, line, 0, s->overdue_now ? PAIR_ALERT : 0);
    }
}

/* ---- stand-up ---- */

static void add_person(struct tui_reports *r, const char *login)
{
    if (!login[0])
        return;
    for (int i = 0; i < r->npeople; i++)
        if (strcmp(r->people[i], login) == 0)
            return;
    if (r->npeople < 64)
        snprintf(r->people[r->npeople++], sizeof r->people[0], "%s", login);
}

static int su_add(const lb_standup_row *row, void *ud)
{
    struct tui_reports *r = ud;
    r->su_count[row->section]++;
    if (r->su_count[row->section] > STANDUP_KEEP)
        return 0;
    if ((r->nsu & (r->nsu - 1)) == 0) {
        su_row *x = realloc(r->su, sizeof *x * (size_t)(r->nsu ? r->nsu * 2 : 64));
        if (!x)
            return 1;
        r->su = x;
    }
    su_row *x = &r->su[r->nsu++];
    x->section = row->section;
    x->lead_id = row->lead_id;
    snprintf(x->lead, sizeof x->lead, "%.150s", row->lead);
    snprintf(x->owner, sizeof x->owner, "%s", row->owner);
    snprintf(x->marketer, sizeof x->marketer, "%s", row->marketer);
    snprintf(x->detail, sizeof x->detail, "%.230s", row->detail);
    return 0;
}

static int cmp_people(const void *x, const void *y)
{
    return strcmp(x, y);
}

static bool su_visible(const struct tui_reports *r, const su_row *x)
{
    if (r->person < 0)
        return true;
    const char *p = r->people[r->person];
    return strcmp(x->owner, p) == 0 || strcmp(x->marketer, p) == 0;
}

static const char *const section_titles[STANDUP_SECTION_COUNT] = {
    "Awaiting acceptance", "Overdue follow-ups", "Stale", "Moved", "Won", "Lost", "New feedback"};

/* The stand-up as lines: a section header, then its rows (index into su),
 * for the person being walked through. */
typedef struct { int row; int section; } su_line;

static int su_lines(const struct tui_reports *r, su_line *out, int max)
{
    int n = 0;
    for (int s = 0; s < STANDUP_SECTION_COUNT; s++) {
        int shown = 0;
        for (int i = 0; i < r->nsu; i++)
            shown += r->su[i].section == (lb_standup_section)s && su_visible(r, &r->su[i]);
        if (n < max)
            out[n++] = (su_line){-1, s};
        for (int i = 0; i < r->nsu && n < max; i++)
            if (r->su[i].section == (lb_standup_section)s && su_visible(r, &r->su[i]))
                out[n++] = (su_line){i, s};
        if (shown == 0 && n < max)
            out[n++] = (su_line){-2, s};
    }
    return n;
}

static void su_draw(app *a)
{
    struct tui_reports *r = a->rep;
    int w = draw_width(), y = 1, h = draw_height() - 3;
    char line[600], when[40] = "";
    lb_time t;
    if (time_parse(r->since, &t, NULL) == LB_OK)
        time_format_human(t, when, sizeof when);
    snprintf(line, sizeof line, " Stand-up since %s%s%s   n/p: person by person  s: since  Enter: lead",
             when, r->person >= 0 ? " | " : "", r->person >= 0 ? r->people[r->person] : "");
    draw_text(y++, 0, w, line, A_BOLD, PAIR_HEADER);
    su_line *lines = malloc(sizeof *lines * (size_t)(r->nsu + STANDUP_SECTION_COUNT * 2 + 1));
    if (!lines)
        return;
    int n = su_lines(r, lines, r->nsu + STANDUP_SECTION_COUNT * 2 + 1);
    /* the cursor is on a row (never a header) */
    int sel_line = -1, rows = 0;
    for (int i = 0; i < n; i++)
        if (lines[i].row >= 0 && rows++ == r->su_sel)
            sel_line = i;
    if (sel_line < 0 && rows > 0) {
        r->su_sel = rows - 1;
        for (int i = 0, k = 0; i < n; i++)
            if (lines[i].row >= 0 && k++ == r->su_sel)
                sel_line = i;
    }
    r->su_top = layout_scroll(sel_line < 0 ? 0 : sel_line, r->su_top, h, n);
    for (int i = r->su_top; i < n && y < h + 2; i++, y++) {
        const su_line *l = &lines[i];
        if (l->row == -1) {
            int64_t shown = 0;
            for (int k = 0; k < r->nsu; k++)
                shown += r->su[k].section == (lb_standup_section)l->section && su_visible(r, &r->su[k]);
            int64_t more = r->person < 0 ? r->su_count[l->section] - shown : 0;
            snprintf(line, sizeof line, " %s (%lld)%s", section_titles[l->section],
                     (long long)(r->person < 0 ? r->su_count[l->section] : shown),
                     more > 0 ? "  (the first shown; 'leadboard report standup' lists all)" : "");
            draw_text(y, 0, w, line, A_BOLD,
                      l->section <= STANDUP_STALE && shown ? PAIR_ALERT : 0);
        } else if (l->row == -2) {
            draw_text(y, 4, w - 4, "nothing", 0, PAIR_DIM);
        } else {
            const su_row *x = &r->su[l->row];
            bool sel = i == sel_line;
            char name[200], who[64];
            text_fit(x->lead, 30, a->term.ascii, name, sizeof name);
            snprintf(who, sizeof who, "%s", x->owner[0] ? x->owner : x->marketer);
            snprintf(line, sizeof line, "%s  %-10s #%-7lld %s%*s  %s", sel ? ">" : " ", who,
                     (long long)x->lead_id, name, 30 - text_width(name), "", x->detail);
            draw_fill(y, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
            draw_text(y, 0, w, line, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
        }
    }
    free(lines);
}

static int su_rows(const struct tui_reports *r)
{
    int n = 0;
    for (int i = 0; i < r->nsu; i++)
        n += su_visible(r, &r->su[i]);
    return n;
}

/* ---- the dispatch ---- */

/* A report view's rows, computed on the worker's connection (worker.c)
 * into a scratch copy, then moved into the app's by view_done. */
typedef struct view_job {
    tui_job job;
    tui_view view;
    lb_time now;
    char now_iso[LB_TIME_BUF], since[LB_TIME_BUF];
    struct tui_reports r;
    char error[LB_ERR_MAX];
} view_job;

static void view_run(lb_db *db, tui_job *j)
{
    view_job *vj = (view_job *)j;
    struct tui_reports *r = &vj->r;
    lb_report_range range;
    lb_err err;
    lb_status st = LB_OK;
    err.msg[0] = '\0';
    switch (vj->view) {
    case VIEW_CAMPAIGNS:
        report_range_init(&range, vj->now, NULL, NULL, false, &err);
        if ((st = report_campaigns(db, &range, camp_add, r, &err)) == LB_OK)
            st = rating_reason_counts(db, reason_add, r, &err);
        break;
    case VIEW_GOALS: {
        char since[LB_TIME_BUF];
        /* the goals whose period holds now */
        report_range_init(&range, vj->now, vj->now_iso, NULL, false, &err);
        time_format(vj->now + 1, range.until);
        st = report_goals(db, &range, goal_add, r, &err);
        report_range_init(&range, vj->now, NULL, NULL, false, &err);
        if (st == LB_OK)
            st = report_funnel(db, &range, r->funnel, &err);
        time_format(vj->now - 30 * 86400, since);
        if (st == LB_OK && (st = report_range_init(&range, vj->now, since, NULL, false, &err)) == LB_OK)
            st = report_sla(db, &range, sla_add, r, &err);
        break;
    }
    case VIEW_STANDUP:
        if ((st = report_range_init(&range, vj->now, vj->since[0] ? vj->since : NULL, NULL, true,
                                    &err)) == LB_OK)
            st = report_standup(db, &range, su_add, r, &err);
        if (!vj->since[0])
            snprintf(r->since, sizeof r->since, "%s", range.since);
        break;
    default:
        break;
    }
    if (st != LB_OK)
        snprintf(vj->error, sizeof vj->error, "%s", err.msg[0] ? err.msg : lb_status_desc(st));
}

static void reports_free_rows(struct tui_reports *r)
{
    free(r->camps);
    free(r->reasons);
    free(r->sla);
    free(r->su);
}

static void view_free(tui_job *j)
{
    view_job *vj = (view_job *)j;
    reports_free_rows(&vj->r);
    free(vj);
}

#define SWAP(x, y)                                                                                 \
    do {                                                                                           \
        __typeof__(x) t_ = (x);                                                                    \
        (x) = (y);                                                                                 \
        (y) = t_;                                                                                  \
    } while (0)

/* The new rows take the old ones' place (freed with the job); where the
 * cursor was is kept. */
static void view_done(app *a, tui_job *j)
{
    view_job *vj = (view_job *)j;
    struct tui_reports *r = reports(a), *n = &vj->r;
    if (!r)
        return;
    r->pending[vj->view] = false;
    if (vj->error[0])
        app_message(a, true, "%s", vj->error);
    switch (vj->view) {
    case VIEW_CAMPAIGNS:
        SWAP(r->camps, n->camps);
        SWAP(r->reasons, n->reasons);
        r->ncamps = n->ncamps;
        if (r->camp_sel >= r->ncamps)
            r->camp_sel = r->ncamps ? r->ncamps - 1 : 0;
        break;
    case VIEW_GOALS:
        memcpy(r->goals, n->goals, sizeof r->goals);
        r->ngoals = n->ngoals;
        memcpy(r->funnel, n->funnel, sizeof r->funnel);
        SWAP(r->sla, n->sla);
        r->nsla = n->nsla;
        break;
    case VIEW_STANDUP: {
        char keep[LB_LOGIN_MAX + 1] = "";
        if (r->person >= 0 && r->person < r->npeople)
            snprintf(keep, sizeof keep, "%s", r->people[r->person]);
        SWAP(r->su, n->su);
        r->nsu = n->nsu;
        memcpy(r->su_count, n->su_count, sizeof r->su_count);
        if (!r->since[0])
            snprintf(r->since, sizeof r->since, "%s", n->since);
        /* reps first, then marketers, each by login */
        r->npeople = 0;
        for (int i = 0; i < r->nsu; i++)
            add_person(r, r->su[i].owner);
        int reps = r->npeople;
        qsort(r->people, (size_t)reps, sizeof r->people[0], cmp_people);
        for (int i = 0; i < r->nsu; i++)
            add_person(r, r->su[i].marketer);
        qsort(r->people[reps], (size_t)(r->npeople - reps), sizeof r->people[0], cmp_people);
        r->person = -1;
        for (int i = 0; keep[0] && i < r->npeople; i++)
            if (strcmp(r->people[i], keep) == 0)
                r->person = i;
        break;
    }
    default:
        return;
    }
    r->loaded[vj->view] = true;
}

void views_load(app *a, tui_view v)
{
    struct tui_reports *r = reports(a);
    if (!r)
        return;
    if (v == VIEW_FEEDBACK) { /* a window of the inbox: quick at any size */
        if (!a->fb && !(a->fb = calloc(1, sizeof *a->fb)))
            return;
        fb_fetch(a);
        r->loaded[v] = true;
        return;
    }
    if (v != VIEW_CAMPAIGNS && v != VIEW_GOALS && v != VIEW_STANDUP)
        return;
    view_job *vj = calloc(1, sizeof *vj);
    if (!vj)
        return;
    vj->job = (tui_job){.slot = JOB_VIEW, .run = view_run, .done = view_done, .free = view_free};
    vj->view = v;
    vj->now = a->ctx.now;
    snprintf(vj->now_iso, sizeof vj->now_iso, "%s", a->ctx.now_iso);
    if (v == VIEW_STANDUP)
        snprintf(vj->since, sizeof vj->since, "%s", r->since);
    vj->job.question = job_hash(job_hash(0xCBF29CE484222325ULL, tui_view_names[v]), vj->since);
    vj->r.person = -1;
    /* One slot for the views: this job overtakes any other view's, whose
     * result will be dropped, so that view counts again when reopened. */
    memset(r->pending, 0, sizeof r->pending);
    r->pending[v] = true;
    worker_post(a, &vj->job);
}

void views_draw(app *a, tui_view v)
{
    static const char *const busy[VIEW_COUNT] = {[VIEW_CAMPAIGNS] = "Counting the campaigns...",
                                                 [VIEW_GOALS] = "Counting goals, funnel and SLAs...",
                                                 [VIEW_STANDUP] = "Preparing the stand-up..."};
    if (!a->rep || (!a->rep->loaded[v] && !a->rep->pending[v]) || (v == VIEW_FEEDBACK && !a->fb))
        views_load(a, v);
    if (!a->rep)
        return;
    if (!a->rep->loaded[v]) { /* the first count is on its way */
        if (busy[v])
            draw_text(2, 2, draw_width() - 4, busy[v], A_BOLD, 0);
        return;
    }
    switch (v) {
    case VIEW_FEEDBACK: if (a->fb) fb_draw(a); break;
    case VIEW_CAMPAIGNS: camp_draw(a); break;
    case VIEW_GOALS: goals_draw(a); break;
    case VIEW_STANDUP: su_draw(a); break;
    default: break;
    }
}

static void move_in(int *sel, int n, tui_req req, int page)
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

void views_key(app *a, tui_view v, tui_req req)
{
    struct tui_reports *r = reports(a);
    int page = (draw_height() - 3) / 2;
    if (!r)
        return;
    switch (v) {
    case VIEW_FEEDBACK: {
        if (!a->fb)
            return;
        int pos = (int)a->fb->pos;
        move_in(&pos, (int)a->fb->total, req, page);
        a->fb->pos = pos;
        break;
    }
    case VIEW_CAMPAIGNS:
        move_in(&r->camp_sel, r->ncamps, req, 3);
        break;
    case VIEW_STANDUP:
        if (req == REQ_PERSON_NEXT || req == REQ_PERSON_PREV) {
            if (r->npeople == 0) {
                app_message(a, false, "nobody has anything in this stand-up");
                break;
            }
            /* everyone, then each person in turn, then everyone again */
            int p = r->person + (req == REQ_PERSON_NEXT ? 1 : -1);
            if (p >= r->npeople)
                p = -1;
            if (p < -1)
                p = r->npeople - 1;
            r->person = p;
            r->su_sel = 0;
            r->su_top = 0;
            app_message(a, false, "%s", p < 0 ? "everyone" : r->people[p]);
            break;
        }
        move_in(&r->su_sel, su_rows(r), req, page);
        break;
    default:
        break;
    }
}

int64_t views_current_lead(app *a, tui_view v)
{
    struct tui_reports *r = a->rep;
    if (v == VIEW_FEEDBACK && a->fb && a->fb->pos >= a->fb->offset &&
        a->fb->pos < a->fb->offset + a->fb->n)
        return a->fb->rows[a->fb->pos - a->fb->offset].lead_id;
    if (v == VIEW_STANDUP && r) {
        for (int i = 0, k = 0; i < r->nsu; i++)
            if (su_visible(r, &r->su[i]) && k++ == r->su_sel)
                return r->su[i].lead_id;
    }
    return 0;
}

int64_t views_current_feedback(app *a)
{
    if (a->fb && a->fb->pos >= a->fb->offset && a->fb->pos < a->fb->offset + a->fb->n)
        return a->fb->rows[a->fb->pos - a->fb->offset].id;
    return 0;
}

void views_set_since(app *a, const char *iso)
{
    struct tui_reports *r = reports(a);
    if (r)
        snprintf(r->since, sizeof r->since, "%s", iso);
}

void views_set_feedback_campaign(app *a, const char *campaign)
{
    if (!a->fb && !(a->fb = calloc(1, sizeof *a->fb)))
        return;
    snprintf(a->fb->campaign, sizeof a->fb->campaign, "%s", campaign);
    a->fb->pos = a->fb->top = a->fb->offset = 0;
}

void views_free(app *a)
{
    if (a->rep) {
        reports_free_rows(a->rep);
        free(a->rep);
    }
    free(a->fb);
    a->rep = NULL;
    a->fb = NULL;
}
