/* The Campaigns view: each campaign's cost against its won revenue as bars,
 * its leads, wins, average stars and ROI, and the reasons sales gives most.
 * Counted on the worker when opened or when the data changes. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

/* What one count gives. */
#define MARKETERS_MAX 32
struct rows {
    lb_campaign_row *camps;
    int64_t (*reasons)[REASON_COUNT];
    int ncamps;
    int64_t alarm; /* alarm.rejection_rate, hundredths */
    lb_marketer_row marketers[MARKETERS_MAX];
    int nmarketers;
};

static int marketer_add(const lb_marketer_row *row, void *ud)
{
    struct rows *r = ud;
    if (r->nmarketers >= MARKETERS_MAX)
        return 1;
    r->marketers[r->nmarketers++] = *row;
    return 0;
}

static struct {
    tui_counted counted;
    struct rows rows;
    int sel, top;
} C;

static int camp_add(const lb_campaign_row *row, void *ud)
{
    struct rows *r = ud;
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
    struct rows *r = ud;
    for (int i = 0; i < r->ncamps; i++)
        if ((campaign_id == 0 && r->camps[i].none) ||
            (!r->camps[i].none && r->camps[i].campaign_id == campaign_id))
            memcpy(r->reasons[i], counts, sizeof r->reasons[0]);
    return 0;
}

/* Money per something ("-" without a denominator). */
static void per(lb_fixed f, char *buf, size_t n)
{
    if (f.has)
        money_format_human(f.v, buf, n);
    else
        snprintf(buf, n, "-");
}

/* One campaign: a title line, the cost and revenue bars, and its other
 * figures as items that wrap, so nothing is cut at any width.  Draws from
 * row y unless `measure`; returns the rows it takes. */
static int camp_block(app *a, int i, int y, int64_t max, bool measure)
{
    struct rows *r = &C.rows;
    const lb_campaign_row *c = &r->camps[i];
    int w = draw_width();
    bool sel = i == C.sel;
    char n1[40], n2[40], n3[40], n4[40], title[700];
    draw_lines ls = {0};
    draw_fixed(c->avg_rating, "", n1, sizeof n1);
    draw_percent(c->roi, n2, sizeof n2);
    char name[260];
    if (c->none)
        snprintf(name, sizeof name, "Leads without a campaign");
    else
        snprintf(name, sizeof name, "%.200s (%s)", c->name,
                 vocab_name(&lb_channels, (int)c->channel));
    const char *dot = a->term.ascii ? "|" : "\xc2\xb7";
    /* a label and its figure glued: the wrap keeps them on one line
     * ("rejected" at the end of one line and "9" below read as two) */
#define G DRAW_GLUE
    snprintf(title, sizeof title, "%s  leads" G "%lld %s won" G "%lld %s stars" G "%s %s ROI" G "%s",
             name, (long long)c->leads, dot, (long long)c->won, dot, n1, dot, n2);
    lines_wrap(&ls, 0, 0, sel ? ">" : " ", "   ", title, w - 3, 0);
    int head = ls.n;
    /* the bars leave room for the larger amount after them */
    char cost[40], rev[40];
    money_format_human(c->cost, cost, sizeof cost);
    money_format_human(c->revenue, rev, sizeof rev);
    int mw = text_width(cost) > text_width(rev) ? text_width(cost) : text_width(rev);
    int bar = w - 12 - mw - 3;
    if (bar > 40)
        bar = 40;
    if (bar < 4)
        bar = 4;
    per(c->cost_per_lead, n3, sizeof n3);
    per(c->cost_per_win, n4, sizeof n4);
    char why[300] = "";
    bool used[REASON_COUNT] = {false};
    for (int k = 0; k < 3; k++) { /* the three reasons sales gives most */
        int best = -1;
        for (int t = 0; t < REASON_COUNT; t++)
            if (!used[t] && r->reasons[i][t] > 0 &&
                (best < 0 || r->reasons[i][t] > r->reasons[i][best]))
                best = t;
        if (best < 0)
            break;
        used[best] = true;
        size_t u = strlen(why);
        char label[40];
        snprintf(why + u, sizeof why - u, "%s%s %lld", u ? ", " : "",
                 vocab_label(&lb_reasons, best, label, sizeof label),
                 (long long)r->reasons[i][best]);
    }
    lb_fixed rate = report_ratio(c->rejected, c->handed_off);
    bool alarmed = !c->none && report_rejection_alarmed(rate, r->alarm); /* as the status line counts */
    char flag[64] = "";
    if (alarmed) /* the alarm, and why */
        snprintf(flag, sizeof flag, "!REJECTED %lld%% > %lld%% %s ", (long long)rate.v,
                 (long long)r->alarm, dot);
    char rest[700];
    snprintf(rest, sizeof rest,
             "%sper" G "lead" G "%s %s per" G "win" G "%s %s handed" G "off" G "%lld %s accepted" G
             "%lld %s rejected" G "%lld %s reasons sales gives: %s",
             flag, n3, dot, n4, dot, (long long)c->handed_off, dot, (long long)c->accepted, dot,
             (long long)c->rejected, dot, why[0] ? why : "none yet");
#undef G
    lines_wrap(&ls, alarmed ? A_BOLD : 0, alarmed ? PAIR_ALERT : PAIR_DIM, "   ", "   ", rest,
               w - 4, 0);
    int rows = ls.n + 2;
    if (!measure) {
        for (int k = 0; k < head; k++) {
            draw_fill(y + k, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
            draw_text(y + k, 0, w, ls.v[k].text, (sel ? A_REVERSE : 0) | A_BOLD,
                      sel ? PAIR_SELECTED : 0);
        }
        int yb = y + head;
        draw_text(yb, 3, 9, "cost", 0, 0);
        draw_bar(&a->term, yb, 12, bar, c->cost, max, false, PAIR_ALERT);
        draw_text(yb, 12 + bar + 1 + mw - text_width(cost), mw + 1, cost, 0, 0);
        draw_text(yb + 1, 3, 9, "revenue", 0, 0);
        draw_bar(&a->term, yb + 1, 12, bar, c->revenue, max, true, PAIR_OK);
        draw_text(yb + 1, 12 + bar + 1 + mw - text_width(rev), mw + 1, rev, 0, 0);
        for (int k = head; k < ls.n; k++)
            draw_text(yb + 2 + k - head, 0, w, ls.v[k].text, ls.v[k].attrs, ls.v[k].pair);
    }
    free(ls.v);
    return rows;
}

/* Marketing's accountability for revenue (the marketers report), wrapped
 * to w so that no figure is cut at the edge (80 columns). */
static void marketer_lines(const struct rows *r, int w, draw_lines *ls)
{
    if (!r->nmarketers)
        return;
    lines_add(ls, A_BOLD, PAIR_HEADER, " Marketers (leads they created)");
    for (int k = 0; k < r->nmarketers; k++) {
        const lb_marketer_row *m = &r->marketers[k];
        char line[400], rate[32], avg[32], revenue[32];
        draw_percent(m->rejection_rate, rate, sizeof rate);
        draw_fixed(m->avg_rating, "", avg, sizeof avg);
        money_format_human(m->revenue, revenue, sizeof revenue);
        bool alarmed = report_rejection_alarmed(m->rejection_rate, r->alarm);
        snprintf(line, sizeof line,
                 "%-10s leads %lld  handed off %lld  accepted %lld  rejected %lld (%s)  "
                 "stars %s  won %lld  %s",
                 m->marketer, (long long)m->leads, (long long)m->handed_off,
                 (long long)m->accepted, (long long)m->rejected, rate,
                 avg[0] ? avg : "-", (long long)m->won, revenue);
        lines_wrap(ls, 0, alarmed ? PAIR_ALERT : 0, "  ", "  ", line, w - 4, 0);
    }
}

static void camp_draw_rows(app *a)
{
    struct rows *r = &C.rows;
    int w = draw_width(), bottom = draw_height() - 2, y = 1;
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
    draw_lines ms = {0};
    marketer_lines(r, w, &ms);
    /* the selected campaign whole on screen: the first shown moves down
     * until it fits; on the last campaign, with the marketers below it */
    if (C.top > C.sel)
        C.top = C.sel;
    for (;;) {
        int used = 0;
        for (int i = C.top; i <= C.sel; i++)
            used += camp_block(a, i, 0, max, true) + 1;
        /* blocks end above `bottom` (camp_block's rows below); the
         * marketers may take it too */
        bool fits = C.sel == r->ncamps - 1 ? used + ms.n <= bottom - y + 1
                                           : used - 1 <= bottom - y;
        if (fits || C.top == C.sel)
            break;
        C.top++;
    }
    int i = C.top;
    for (; i < r->ncamps; i++) {
        int rows = camp_block(a, i, 0, max, true);
        if (y + rows > bottom && i > C.top)
            break;
        camp_block(a, i, y, max, false);
        y += rows + 1;
    }
    int shown = 0;
    if (i == r->ncamps)
        for (; shown < ms.n && y <= bottom; shown++)
            draw_text(y++, 0, w, ms.v[shown].text, ms.v[shown].attrs, ms.v[shown].pair);
    if (C.top > 0 || i < r->ncamps || shown < ms.n) { /* what is off screen, said */
        char more[120];
        snprintf(more, sizeof more, " %d above, %d below%s (%s %s)", C.top, r->ncamps - i,
                 i == r->ncamps && shown < ms.n ? ", marketers" : "", key_of(REQ_NEXT, IN(VIEW_CAMPAIGNS)),
                 key_of(REQ_PREV, IN(VIEW_CAMPAIGNS)));
        int mw = text_width(more);
        draw_text(1, w - mw - 1, mw, more, 0, PAIR_DIM);
    }
    free(ms.v);
}

/* A click selects the campaign drawn there (as camp_draw_rows lays them). */
static bool camp_mouse(app *a, int y, int x, bool twice)
{
    (void)x, (void)twice;
    if (!C.counted.loaded)
        return false;
    int64_t max = 1;
    for (int i = 0; i < C.rows.ncamps; i++) {
        if (C.rows.camps[i].cost > max)
            max = C.rows.camps[i].cost;
        if (C.rows.camps[i].revenue > max)
            max = C.rows.camps[i].revenue;
    }
    int row = 2;
    for (int i = C.top; i < C.rows.ncamps; i++) {
        int rows = camp_block(a, i, 0, max, true);
        if (y >= row && y < row + rows) {
            C.sel = i;
            return false; /* nothing to open: a campaign is not a lead */
        }
        row += rows + 1;
    }
    return false;
}

typedef struct camp_job {
    tui_count_job c;
    struct rows r;
} camp_job;

static lb_status camp_count(lb_db *db, tui_count_job *j, lb_err *err)
{
    struct rows *r = &((camp_job *)j)->r;
    lb_report_range range;
    report_range_init(&range, j->now, NULL, NULL, false, err);
    lb_status st = report_campaigns(db, &range, camp_add, r, err);
    if (st == LB_OK)
        st = rating_reason_counts(db, reason_add, r, err);
    if (st == LB_OK)
        st = report_marketers(db, &range, marketer_add, r, err);
    r->alarm = report_rejection_alarm(db);
    return st;
}

static void rows_free(struct rows *r)
{
    free(r->camps);
    free(r->reasons);
}

static void camp_free_rows(tui_count_job *j)
{
    rows_free(&((camp_job *)j)->r);
}

/* The new rows take the old ones' place (freed with the job); the cursor
 * stays where it was. */
static void camp_take(app *a, tui_count_job *j)
{
    (void)a;
    TUI_SWAP(C.rows, ((camp_job *)j)->r);
    if (C.sel >= C.rows.ncamps)
        C.sel = C.rows.ncamps ? C.rows.ncamps - 1 : 0;
}

static const tui_count_spec camp_spec = {sizeof(camp_job), camp_count, camp_take, camp_free_rows};

static void camp_open(app *a, int64_t lead)
{
    (void)lead;
    counted_load(a, &C.counted, &camp_spec, "Campaigns");
}

static void camp_draw(app *a)
{
    if (counted_ready(a, &C.counted, camp_open, "Counting the campaigns..."))
        camp_draw_rows(a);
}

static bool camp_key(app *a, tui_req r)
{
    (void)a;
    if (r < REQ_COL_PREV || r > REQ_PAGE_UP)
        return false;
    draw_move(&C.sel, C.rows.ncamps, r, 3);
    return true;
}

static void camp_changed(app *a, tui_change what, int64_t lead)
{
    if (counted_changed(a, VIEW_CAMPAIGNS, what))
        camp_open(a, lead);
}

static void camp_free(app *a)
{
    (void)a;
    rows_free(&C.rows);
    memset(&C, 0, sizeof C);
}

const tui_view_ops view_campaigns_ops = {
    .name = "Campaigns",
    .open = camp_open,
    .draw = camp_draw,
    .key = camp_key,
    .changed = camp_changed,
    .free = camp_free,
    .mouse = camp_mouse,
};
