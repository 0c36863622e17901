/* The Campaigns view: each campaign's cost against its won revenue as bars,
 * its leads, wins, average stars and ROI, and the reasons sales gives most.
 * Counted on the worker when opened or when the data changes. */
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

static void camp_draw_rows(app *a)
{
    struct rows *r = &C.rows;
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
    C.top = layout_scroll(C.sel, C.top, visible, r->ncamps);
    int bar = w - 50 > 10 ? w - 50 : 10;
    if (bar > 40)
        bar = 40;
    for (int i = C.top; i < r->ncamps && y + per <= h + 2; i++) {
        const lb_campaign_row *c = &r->camps[i];
        bool sel = i == C.sel;
        draw_fixed(c->avg_rating.has ? (lb_fixed){true, c->avg_rating.v} : c->avg_rating, "", n1,
                   sizeof n1);
        draw_fixed(c->roi, "", n2, sizeof n2);
        snprintf(line, sizeof line, "%s%.200s (%s)   leads %lld  won %lld  stars %s  ROI %s",
                 sel ? ">" : " ", c->name,
                 c->none ? "-" : vocab_name(&lb_channels, (int)c->channel), (long long)c->leads,
                 (long long)c->won, n1, n2);
        draw_fill(y, 0, w, sel ? A_REVERSE : 0, sel ? PAIR_SELECTED : 0);
        draw_text(y, 0, w, line, (sel ? A_REVERSE : 0) | A_BOLD, sel ? PAIR_SELECTED : 0);
        money_format_human(c->cost, n1, sizeof n1);
        draw_fixed(c->cost_per_lead, "", n3, sizeof n3);
        draw_fixed(c->cost_per_win, "", n4, sizeof n4);
        draw_text(y + 1, 3, 9, "cost", 0, 0);
        draw_bar(&a->term, y + 1, 12, bar, c->cost, max, false, PAIR_ALERT);
        snprintf(line, sizeof line, " %14s  per lead %s  per win %s", n1, n3, n4);
        draw_text(y + 1, 12 + bar, w - 12 - bar, line, 0, 0);
        money_format_human(c->revenue, n2, sizeof n2);
        draw_text(y + 2, 3, 9, "revenue", 0, 0);
        draw_bar(&a->term, y + 2, 12, bar, c->revenue, max, true, PAIR_OK);
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
        lb_fixed rate = report_ratio(c->rejected, c->handed_off);
        bool alarmed = report_rejection_alarmed(rate, r->alarm);
        char flag[64] = "";
        if (alarmed) /* the alarm, and why */
            snprintf(flag, sizeof flag, "!REJECTED %lld%% > %lld%%  ", (long long)rate.v,
                     (long long)r->alarm);
        snprintf(line, sizeof line,
                 "   %shanded off %lld, accepted %lld, rejected %lld   reasons sales gives: %s",
                 flag, (long long)c->handed_off, (long long)c->accepted, (long long)c->rejected,
                 why[0] ? why : "none yet");
        draw_text(y + 3, 0, w, line, alarmed ? A_BOLD : 0, alarmed ? PAIR_ALERT : PAIR_DIM);
        y += per;
    }
    /* marketing's accountability for revenue: the marketers report */
    if (r->nmarketers && y + 1 < h + 2) {
        draw_text(y++, 0, w, " Marketers (leads they created)", A_BOLD, PAIR_HEADER);
        for (int i = 0; i < r->nmarketers && y < h + 2; i++) {
            const lb_marketer_row *m = &r->marketers[i];
            char rate[32], avg[32], revenue[32];
            draw_fixed(m->rejection_rate, "", rate, sizeof rate);
            draw_fixed(m->avg_rating, "", avg, sizeof avg);
            money_format_human(m->revenue, revenue, sizeof revenue);
            bool alarmed = report_rejection_alarmed(m->rejection_rate, r->alarm);
            snprintf(line, sizeof line,
                     "  %-10s leads %lld  handed off %lld  accepted %lld  rejected %lld (%s)  "
                     "stars %s  won %lld  %s",
                     m->marketer, (long long)m->leads, (long long)m->handed_off,
                     (long long)m->accepted, (long long)m->rejected, rate[0] ? rate : "-",
                     avg[0] ? avg : "-", (long long)m->won, revenue);
            draw_text(y++, 0, w, line, 0, alarmed ? PAIR_ALERT : 0);
        }
    }
}

typedef struct camp_job {
    tui_count_job c;
    struct rows r;
} camp_job;

static void camp_run(lb_db *db, tui_job *j)
{
    camp_job *cj = (camp_job *)j;
    lb_report_range range;
    lb_err err;
    err.msg[0] = '\0';
    report_range_init(&range, cj->c.now, NULL, NULL, false, &err);
    lb_status st = report_campaigns(db, &range, camp_add, &cj->r, &err);
    if (st == LB_OK)
        st = rating_reason_counts(db, reason_add, &cj->r, &err);
    if (st == LB_OK)
        st = report_marketers(db, &range, marketer_add, &cj->r, &err);
    cj->r.alarm = report_rejection_alarm(db);
    if (st != LB_OK)
        snprintf(cj->c.error, sizeof cj->c.error, "%s", err.msg[0] ? err.msg : lb_status_desc(st));
}

static void rows_free(struct rows *r)
{
    free(r->camps);
    free(r->reasons);
}

static void camp_job_free(tui_job *j)
{
    rows_free(&((camp_job *)j)->r);
    free(j);
}

/* The new rows take the old ones' place (freed with the job); the cursor
 * stays where it was. */
static void camp_done(app *a, tui_job *j)
{
    camp_job *cj = (camp_job *)j;
    counted_done(a, &cj->c);
    SWAP(C.rows.camps, cj->r.camps);
    SWAP(C.rows.reasons, cj->r.reasons);
    C.rows.ncamps = cj->r.ncamps;
    C.rows.alarm = cj->r.alarm;
    C.rows.nmarketers = cj->r.nmarketers;
    memcpy(C.rows.marketers, cj->r.marketers, sizeof C.rows.marketers);
    if (C.sel >= C.rows.ncamps)
        C.sel = C.rows.ncamps ? C.rows.ncamps - 1 : 0;
}

static void camp_open(app *a, int64_t lead)
{
    (void)lead;
    camp_job *cj = calloc(1, sizeof *cj);
    if (cj)
        counted_post(a, &C.counted, &cj->c, "Campaigns", camp_run, camp_done, camp_job_free);
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
    if (what != CHANGE_RESIZE && a->view == VIEW_CAMPAIGNS)
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
};
