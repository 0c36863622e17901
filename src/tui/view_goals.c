/* The Goals view: the shared revenue and wins goals of today's periods, the
 * funnel with each step's conversion, and SLA compliance per rep over the
 * last 30 days.  Counted on the worker when opened or when the data
 * changes. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

struct rows {
    lb_goal_row goals[8];
    int ngoals;
    lb_funnel_row funnel[REPORT_FUNNEL_ROWS];
    lb_sla_row *sla;
    int nsla;
    lb_speed_row speed[33]; /* up to 32 reps, then the row all */
    int nspeed;
};

static int speed_add(const lb_speed_row *row, void *ud)
{
    struct rows *r = ud;
    if (r->nspeed < 33 && (row->all || r->nspeed < 32))
        r->speed[r->nspeed++] = *row;
    return 0;
}

static struct {
    tui_counted counted;
    struct rows rows;
} G;

static int goal_add(const lb_goal_row *g, void *ud)
{
    struct rows *r = ud;
    if (r->ngoals < (int)(sizeof r->goals / sizeof r->goals[0]))
        r->goals[r->ngoals++] = *g;
    return 0;
}

static int sla_add(const lb_sla_row *s, void *ud)
{
    struct rows *r = ud;
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

/* Where the view is drawing: rows from y (negative: above the screen, as
 * the view scrolls), shown only between the title and the status lines. */
typedef struct goals_cursor {
    app *a;
    int y, w, top_row, bottom;
    draw_lines ls;
} goals_cursor;

static void g_row(goals_cursor *c, const char *s, int attrs, int pair)
{
    if (c->y >= c->top_row && c->y < c->bottom)
        draw_text(c->y, 0, c->w, s, attrs, pair);
    c->y++;
}

static void g_wrapped(goals_cursor *c, const char *s, int attrs, int pair)
{
    c->ls.n = 0;
    lines_wrap(&c->ls, attrs, pair, " ", "   ", s, c->w - 4, 0);
    for (int k = 0; k < c->ls.n; k++)
        g_row(c, c->ls.v[k].text, attrs, pair);
}

/* The goals whose period holds today, with bars for revenue and wins. */
static void goals_section(goals_cursor *c, const struct rows *r)
{
    int w = c->w;
    char n1[32], n2[32];
    g_wrapped(c, "Shared goals: deals won and revenue, the same for both teams", A_BOLD,
              PAIR_HEADER);
    if (r->ngoals == 0)
        g_wrapped(c,
                  "No goal covers today: a manager sets one with 'leadboard goal set PERIOD "
                  "--revenue AMOUNT --wins N'.",
                  0, PAIR_DIM);
    /* one bar width for every goal: as wide as the longest figures allow */
    int bar = 40;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < r->ngoals; i++) {
            const lb_goal_row *g = &r->goals[i];
            money_format_human(g->revenue_won, n1, sizeof n1);
            money_format_human(g->revenue_target, n2, sizeof n2);
            char rev[120], wins[120];
            snprintf(rev, sizeof rev, " %s of %s (%d%%)", n1, n2,
                     pct(g->revenue_won, g->revenue_target));
            if (g->has_wins_target)
                snprintf(wins, sizeof wins, " %lld of %lld (%d%%)", (long long)g->wins,
                         (long long)g->wins_target, pct(g->wins, g->wins_target));
            else
                snprintf(wins, sizeof wins, " %lld (no target)", (long long)g->wins);
            int tw = text_width(rev) > text_width(wins) ? text_width(rev) : text_width(wins);
            if (pass == 0) {
                if (w - 20 - tw - 1 < bar)
                    bar = w - 20 - tw - 1;
                continue;
            }
            int y = c->y, b = bar >= 4 ? bar : 0;
            if (tw > w - 20 - b) { /* too narrow for the figures beside: each below its name */
                const char *label[2] = {"revenue", "wins"}, *figs[2] = {rev, wins};
                for (int k = 0; k < 4; k++, y++) {
                    if (y < c->top_row || y >= c->bottom)
                        continue;
                    if (k == 0)
                        draw_text(y, 1, 10, g->period, A_BOLD, 0);
                    if (k % 2 == 0)
                        draw_text(y, 11, 8, label[k / 2], 0, 0);
                    else
                        draw_text(y, 3, w - 3, figs[k / 2], 0, 0);
                }
                c->y += 4;
                continue;
            }
            if (y >= c->top_row && y + 1 < c->bottom) {
                draw_text(y, 1, 10, g->period, A_BOLD, 0);
                draw_text(y, 11, 8, "revenue", 0, 0);
                draw_text(y + 1, 11, 8, "wins", 0, 0);
                if (b) {
                    draw_bar(&c->a->term, y, 20, b, g->revenue_won, g->revenue_target, true,
                             PAIR_OK);
                    if (g->has_wins_target)
                        draw_bar(&c->a->term, y + 1, 20, b, g->wins, g->wins_target, true,
                                 PAIR_OK);
                }
                draw_text(y, 20 + b, w - 20 - b, rev, 0, 0);
                draw_text(y + 1, 20 + b, w - 20 - b, wins, 0, 0);
            }
            c->y += 2;
        }
}

/* The funnel as bars, each step's conversion after it. */
static void funnel_section(goals_cursor *c, const struct rows *r)
{
    int w = c->w;
    char line[400];
    g_wrapped(c, "Funnel (all time): leads that reached each stage, and the step's conversion",
              A_BOLD, PAIR_HEADER);
    int64_t most = r->funnel[0].reached > 0 ? r->funnel[0].reached : 1;
    bool words = w >= 78; /* "of the step before" where it fits */
    int fbar = w - 12 - (words ? 34 : 16) - 1;
    if (fbar > 48)
        fbar = 48;
    for (int i = 0; i < REPORT_FUNNEL_ROWS; i++) {
        const lb_funnel_row *f = &r->funnel[i];
        char stage[32];
        if (f->conversion.has)
            snprintf(line, sizeof line, " %8lld  %3lld%%%s", (long long)f->reached,
                     (long long)f->conversion.v, words ? " of the step before" : "");
        else
            snprintf(line, sizeof line, " %8lld", (long long)f->reached);
        if (c->y >= c->top_row && c->y < c->bottom) {
            draw_text(c->y, 1, 11, vocab_label(&lb_stages, (int)f->stage, stage, sizeof stage),
                      0, 0);
            int b = fbar >= 4 ? fbar : 0;
            if (b)
                draw_bar(&c->a->term, c->y, 12, b, f->reached, most, true, PAIR_HEADER);
            draw_text(c->y, 12 + b, w - 12 - b, line, 0, 0);
        }
        c->y++;
    }
}

/* SLA compliance per rep, the reps' column ow wide. */
static void sla_section(goals_cursor *c, const struct rows *r, int ow)
{
    char line[400];
    bool narrow = ow + 62 > c->w;
    g_wrapped(c, "SLA per rep (last 30 days)", A_BOLD, PAIR_HEADER);
    snprintf(line, sizeof line, " %-*s %s", ow, "rep",
             narrow ? "handoffs  accepted  touched  overdue"
                    : "hand-offs  accepted in time  first touch in time  overdue now");
    g_row(c, line, A_BOLD, 0);
    for (int i = 0; i < r->nsla; i++) {
        const lb_sla_row *s = &r->sla[i];
        char owner[140];
        text_fit(s->owner, ow, c->a->term.ascii, owner, sizeof owner);
        if (narrow)
            snprintf(line, sizeof line, " %s%*s %8lld  %3lld %3d%%  %3lld %3d%%  %7lld%s", owner,
                     ow - text_width(owner), "", (long long)s->handoffs,
                     (long long)s->accepted_in_sla, pct(s->accepted_in_sla, s->handoffs),
                     (long long)s->touched_in_sla, pct(s->touched_in_sla, s->handoffs),
                     (long long)s->overdue_now, s->overdue_now ? " !" : "");
        else
            snprintf(line, sizeof line, " %s%*s %9lld  %8lld (%3d%%)  %11lld (%3d%%)  %11lld%s",
                     owner, ow - text_width(owner), "", (long long)s->handoffs,
                     (long long)s->accepted_in_sla, pct(s->accepted_in_sla, s->handoffs),
                     (long long)s->touched_in_sla, pct(s->touched_in_sla, s->handoffs),
                     (long long)s->overdue_now, s->overdue_now ? " !" : "");
        g_row(c, line, 0, s->overdue_now ? PAIR_ALERT : 0);
    }
}

/* Speed to lead: minutes from hand-off to the first follow-up. */
static void speed_section(goals_cursor *c, const struct rows *r, int ow)
{
    char line[400];
    if (r->nspeed) {
        g_row(c, "", 0, 0);
        g_wrapped(c, "Speed to lead (last 30 days)", A_BOLD, PAIR_HEADER);
        snprintf(line, sizeof line, " %-*s %s", ow, "rep",
                 "handoffs touched median  <=5m  <=1h <=24h later never");
        g_row(c, line, A_BOLD, 0);
    }
    for (int i = 0; i < r->nspeed; i++) {
        const lb_speed_row *s = &r->speed[i];
        char owner[140], median[24] = "-";
        text_fit(s->owner, ow, c->a->term.ascii, owner, sizeof owner);
        if (s->has_median)
            snprintf(median, sizeof median, "%lldm", (long long)s->median_minutes);
        snprintf(line, sizeof line, " %s%*s %8lld %7lld %6s %5lld %5lld %5lld %5lld %5lld", owner,
                 ow - text_width(owner), "", (long long)s->handoffs, (long long)s->touched,
                 median, (long long)s->within_5m, (long long)s->within_1h,
                 (long long)s->within_24h, (long long)s->later, (long long)s->never);
        g_row(c, line, s->all ? A_BOLD : 0, 0);
    }
}

/* The rows of the view, drawn from y0 (negative: above the screen, as the
 * view scrolls) and counted; long texts wrap, the bars take what the
 * figures after them leave. */
static int goals_rows(app *a, int y0)
{
    const struct rows *r = &G.rows;
    goals_cursor c = {a, y0, draw_width(), 1, draw_height() - 2, {0}};
    goals_section(&c, r);
    g_row(&c, "", 0, 0);
    funnel_section(&c, r);
    g_row(&c, "", 0, 0);
    /* the reps' column as wide as the longest login */
    int ow = 4;
    for (int i = 0; i < r->nsla; i++)
        if (text_width(r->sla[i].owner) > ow)
            ow = text_width(r->sla[i].owner);
    if (ow > 32)
        ow = 32;
    sla_section(&c, r, ow);
    speed_section(&c, r, ow);
    free(c.ls.v);
    return c.y - y0;
}

static int goals_top;

static void goals_draw_rows(app *a)
{
    int rows = goals_rows(a, -1000000), room = draw_height() - 3; /* measured off screen */
    if (goals_top > rows - room) /* not past the end */
        goals_top = rows > room ? rows - room : 0;
    if (goals_top < 0)
        goals_top = 0;
    goals_rows(a, 1 - goals_top);
    if (rows > room) { /* more than fits: where it is, and how to see the rest */
        char more[80];
        snprintf(more, sizeof more, " %d above, %d below (%s %s) ", goals_top,
                 rows - goals_top - room > 0 ? rows - goals_top - room : 0,
                 key_of(REQ_NEXT, IN(VIEW_GOALS)), key_of(REQ_PREV, IN(VIEW_GOALS)));
        int mw = text_width(more);
        draw_text(draw_height() - 2, draw_width() - mw - 1, mw, more, A_REVERSE, PAIR_DIM);
    }
}

typedef struct goals_job {
    tui_count_job c;
    struct rows r;
} goals_job;

static lb_status goals_count(lb_db *db, tui_count_job *j, lb_err *err)
{
    struct rows *r = &((goals_job *)j)->r;
    lb_time now = j->now;
    lb_report_range range;
    char since[LB_TIME_BUF];
    /* the goals whose period holds now */
    report_range_init(&range, now, j->now_iso, NULL, false, err);
    time_format(now + 1, range.until);
    lb_status st = report_goals(db, &range, goal_add, r, err);
    report_range_init(&range, now, NULL, NULL, false, err);
    if (st == LB_OK)
        st = report_funnel(db, &range, r->funnel, err);
    time_format(now - 30 * 86400, since);
    if (st == LB_OK && (st = report_range_init(&range, now, since, NULL, false, err)) == LB_OK)
        st = report_sla(db, &range, sla_add, r, err);
    if (st == LB_OK)
        st = report_speed(db, &range, speed_add, r, err);
    return st;
}

static void goals_free_rows(tui_count_job *j)
{
    free(((goals_job *)j)->r.sla);
}

static void goals_take(app *a, tui_count_job *j)
{
    (void)a;
    TUI_SWAP(G.rows, ((goals_job *)j)->r);
}

static const tui_count_spec goals_spec = {sizeof(goals_job), goals_count, goals_take,
                                          goals_free_rows};

static void goals_open(app *a, int64_t lead)
{
    (void)lead;
    counted_load(a, &G.counted, &goals_spec, "Goals");
}

static void goals_draw(app *a)
{
    if (counted_ready(a, &G.counted, goals_open, "Counting goals, funnel and SLAs..."))
        goals_draw_rows(a);
}

static bool goals_key(app *a, tui_req r)
{
    (void)a;
    if (r < REQ_COL_PREV || r > REQ_PAGE_UP)
        return false;
    lines_scroll(&goals_top, r); /* drawing keeps it within the rows */
    return true;
}

static void goals_changed(app *a, tui_change what, int64_t lead)
{
    if (counted_changed(a, VIEW_GOALS, what))
        goals_open(a, lead);
}

static void goals_free(app *a)
{
    (void)a;
    free(G.rows.sla);
    memset(&G, 0, sizeof G);
}

const tui_view_ops view_goals_ops = {
    .name = "Goals",
    .open = goals_open,
    .draw = goals_draw,
    .key = goals_key,
    .changed = goals_changed,
    .free = goals_free,
};
