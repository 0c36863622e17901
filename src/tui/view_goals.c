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

#define SWAP(x, y)                                                                                 \
    do {                                                                                           \
        __typeof__(x) t_ = (x);                                                                    \
        (x) = (y);                                                                                 \
        (y) = t_;                                                                                  \
    } while (0)

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

static void goals_draw_rows(app *a)
{
    struct rows *r = &G.rows;
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
        money_format_human(g->revenue_won, n1, sizeof n1);
        money_format_human(g->revenue_target, n2, sizeof n2);
        draw_text(y, 1, 10, g->period, A_BOLD, 0);
        draw_text(y, 11, 8, "revenue", 0, 0);
        draw_bar(&a->term, y, 20, bar, g->revenue_won, g->revenue_target, true, PAIR_OK);
        snprintf(line, sizeof line, " %s of %s (%d%%)", n1, n2, pct(g->revenue_won, g->revenue_target));
        draw_text(y++, 20 + bar, w - 20 - bar, line, 0, 0);
        draw_text(y, 11, 8, "wins", 0, 0);
        if (g->has_wins_target) {
            draw_bar(&a->term, y, 20, bar, g->wins, g->wins_target, true, PAIR_OK);
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
        draw_bar(&a->term, y, 12, bar + 8, f->reached, top, true, PAIR_HEADER);
        char conv[32];
        draw_fixed(f->conversion, "", conv, sizeof conv);
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
    /* speed to lead: minutes from hand-off to the first follow-up */
    if (r->nspeed && ++y < bottom)
        draw_text(y++, 0, w, " Speed to lead (last 30 days)  hand-offs  touched  median   <=5m  <=1h  <=24h  later  never", A_BOLD, PAIR_HEADER);
    for (int i = 0; i < r->nspeed && y < bottom; i++) {
        const lb_speed_row *s = &r->speed[i];
        char median[24] = "-";
        if (s->has_median)
            snprintf(median, sizeof median, "%lldm", (long long)s->median_minutes);
        snprintf(line, sizeof line, " %-28s %10lld %8lld %7s %6lld %5lld %6lld %6lld %6lld",
                 s->owner, (long long)s->handoffs, (long long)s->touched, median,
                 (long long)s->within_5m, (long long)s->within_1h, (long long)s->within_24h,
                 (long long)s->later, (long long)s->never);
        draw_text(y++, 0, w, line, s->all ? A_BOLD : 0, 0);
    }
}

typedef struct goals_job {
    tui_count_job c;
    struct rows r;
} goals_job;

static void goals_run(lb_db *db, tui_job *j)
{
    goals_job *gj = (goals_job *)j;
    struct rows *r = &gj->r;
    lb_time now = gj->c.now;
    lb_report_range range;
    lb_err err;
    char since[LB_TIME_BUF];
    err.msg[0] = '\0';
    /* the goals whose period holds now */
    report_range_init(&range, now, gj->c.now_iso, NULL, false, &err);
    time_format(now + 1, range.until);
    lb_status st = report_goals(db, &range, goal_add, r, &err);
    report_range_init(&range, now, NULL, NULL, false, &err);
    if (st == LB_OK)
        st = report_funnel(db, &range, r->funnel, &err);
    time_format(now - 30 * 86400, since);
    if (st == LB_OK && (st = report_range_init(&range, now, since, NULL, false, &err)) == LB_OK)
        st = report_sla(db, &range, sla_add, r, &err);
    if (st == LB_OK)
        st = report_speed(db, &range, speed_add, r, &err);
    if (st != LB_OK)
        snprintf(gj->c.error, sizeof gj->c.error, "%s", err.msg[0] ? err.msg : lb_status_desc(st));
}

static void goals_job_free(tui_job *j)
{
    free(((goals_job *)j)->r.sla);
    free(j);
}

static void goals_done(app *a, tui_job *j)
{
    goals_job *gj = (goals_job *)j;
    counted_done(a, &gj->c);
    memcpy(G.rows.goals, gj->r.goals, sizeof G.rows.goals);
    G.rows.ngoals = gj->r.ngoals;
    memcpy(G.rows.funnel, gj->r.funnel, sizeof G.rows.funnel);
    SWAP(G.rows.sla, gj->r.sla);
    G.rows.nsla = gj->r.nsla;
    memcpy(G.rows.speed, gj->r.speed, sizeof G.rows.speed);
    G.rows.nspeed = gj->r.nspeed;
}

static void goals_open(app *a, int64_t lead)
{
    (void)lead;
    goals_job *gj = calloc(1, sizeof *gj);
    if (gj)
        counted_post(a, &G.counted, &gj->c, "Goals", goals_run, goals_done, goals_job_free);
}

static void goals_draw(app *a)
{
    if (counted_ready(a, &G.counted, goals_open, "Counting goals, funnel and SLAs..."))
        goals_draw_rows(a);
}

static bool goals_key(app *a, tui_req r)
{
    (void)a;
    return r >= REQ_COL_PREV && r <= REQ_PAGE_UP; /* one screen: nothing to move */
}

static void goals_changed(app *a, tui_change what, int64_t lead)
{
    if (what != CHANGE_RESIZE && a->view == VIEW_GOALS)
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
