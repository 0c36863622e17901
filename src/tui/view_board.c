/* The Board view: the pipeline's columns of cards.  Only the columns on
 * screen are fetched, one query per column page, so a column of 100,000
 * cards scrolls like one of ten. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/collateral.h"
#include "tui.h"

/* A card: what the board draws of a lead, no more. */
typedef struct tui_card {
    int64_t id, version, value;
    bool has_value;
    int stars;
    lb_stage stage;
    unsigned sla;
    char name[LB_BUF(LB_SHORT_MAX)];
    char company[LB_BUF(LB_SHORT_MAX)];
    char campaign[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    char stage_at[LB_TIME_BUF];
} tui_card;

typedef struct tui_column {
    int64_t top_id;  /* first card shown (0: the column's start) */
    int64_t count;   /* cards in the column under the filter */
    int n;           /* cards fetched */
    bool more_below;
    bool more_above; /* cards before the first one shown */
    int sel;         /* selected card among those fetched */
    tui_card *cards; /* geometry.cards + 1 */
} tui_column;

static struct {
    tui_column cols[STAGE_COUNT];
    int cur, first_col;
    lb_board_geom geom;
    int cap;              /* cards allocated per column */
    bool counts_pending;  /* the counts under a filter are being counted */
    bool search_pending;  /* a search is looking for its match */
    bool want_first_lead; /* to_first_lead once they are in */
    /* Work in progress: how many reps are over wip.STAGE in each column,
     * and who (their cards are marked). */
    int64_t wip_over[STAGE_COUNT];
    struct {
        lb_stage stage;
        char login[LB_LOGIN_MAX + 1];
    } wip[64];
    int nwip;
} B;

static int wip_add(lb_stage stage, const lb_wip_over *o, void *ud)
{
    (void)ud;
    B.wip_over[stage]++;
    if (B.nwip < (int)(sizeof B.wip / sizeof B.wip[0])) {
        B.wip[B.nwip].stage = stage;
        snprintf(B.wip[B.nwip].login, sizeof B.wip[0].login, "%s", o->login);
        B.nwip++;
    }
    return 0;
}

/* Who is over a limit now: a few index ranges per limited stage. */
static void wip_reload(app *a)
{
    lb_err err;
    memset(B.wip_over, 0, sizeof B.wip_over);
    B.nwip = 0;
    if (wip_over_each(a->db, wip_add, NULL, &err) != LB_OK)
        app_message(a, true, "%s", err.msg);
}

static bool wip_over_rep(lb_stage stage, const char *login)
{
    for (int i = 0; login[0] && i < B.nwip; i++)
        if (B.wip[i].stage == stage && strcmp(B.wip[i].login, login) == 0)
            return true;
    return false;
}

static void board_reload(app *a, bool counts);
static void board_to_first_lead(app *a);
static int64_t id_before(app *a, int stage, int64_t id, int back);
static void show_from(app *a, int stage, int64_t id);

/* Whether the column has cards above its first one shown: its ↑ mark. */
static void note_above(app *a, int stage)
{
    tui_column *c = &B.cols[stage];
    c->more_above = c->top_id && c->n > 0 && id_before(a, stage, c->cards[0].id, 1) != 0;
}

static const char *const stage_titles[STAGE_COUNT] = {
    "Nurture", "Handed off", "Accepted", "Contacted", "Qualified", "Proposal", "Won", "Lost"};

struct fill {
    const lb_sla *sla;
    lb_time now;
    tui_column *col;
    int max;
};

static int fill_card(const lb_lead *l, void *ud)
{
    struct fill *f = ud;
    tui_column *c = f->col;
    if (c->n >= f->max)
        return 1;
    tui_card *k = &c->cards[c->n++];
    k->id = l->id;
    k->version = l->version;
    k->has_value = l->has_value;
    k->value = l->value;
    k->stars = l->stars;
    k->stage = l->stage;
    k->sla = sla_state(f->sla, l, f->now);
    if (rules_revisit_due(l, f->now))
        k->sla |= SLA_REVISIT_DUE;
    snprintf(k->name, sizeof k->name, "%s", l->name);
    snprintf(k->company, sizeof k->company, "%s", l->company);
    snprintf(k->campaign, sizeof k->campaign, "%s", l->campaign);
    snprintf(k->owner, sizeof k->owner, "%s", l->owner);
    snprintf(k->stage_at, sizeof k->stage_at, "%s", l->stage_at);
    return 0;
}

/* A filter from the board's owner, campaign and search ("" for none). */
static lb_lead_filter filter_of(const char *owner, const char *campaign, const char *search)
{
    lb_lead_filter f;
    memset(&f, 0, sizeof f);
    f.owner = owner[0] ? owner : NULL;
    f.campaign = campaign[0] ? campaign : NULL;
    f.search = search[0] ? search : NULL;
    return f;
}

/* The filter (f) narrows the board; the search (/) only moves the cursor
 * to the cards that match, as in less. */
static lb_lead_filter base_filter(app *a)
{
    return filter_of(a->filter.owner, a->filter.campaign, "");
}

static bool filtered(const app *a)
{
    return a->filter.owner[0] || a->filter.campaign[0];
}

/* A page was fetched with one card more than fits, to know whether more
 * follow; the cursor goes back on the lead it was on (keep), if there. */
static void end_page(tui_column *c, int64_t keep)
{
    c->more_below = c->n > B.geom.cards;
    if (c->more_below)
        c->n = B.geom.cards;
    int sel = -1;
    for (int i = 0; i < c->n; i++)
        if (c->cards[i].id == keep)
            sel = i;
    if (sel < 0)
        sel = c->sel < c->n ? c->sel : c->n - 1;
    c->sel = sel < 0 ? 0 : sel;
}

/* Fetches one page of a column starting at its top_id, keeping the cursor
 * on the lead it was on (or on `want` when given). */
static void fetch_column(app *a, int stage, int64_t want)
{
    tui_column *c = &B.cols[stage];
    int64_t keep = want ? want : (c->n > 0 && c->sel < c->n ? c->cards[c->sel].id : 0);
    lb_lead_filter f = base_filter(a);
    lb_err err;
    f.has_stage = true;
    f.stage = (lb_stage)stage;
    f.urgency = true;
    f.now_iso = a->ctx.now_iso;
    f.from_id = c->top_id;
    f.limit = B.geom.cards + 1;
    c->n = 0;
    struct fill fl = {&a->sla, a->ctx.now, c, B.geom.cards + 1};
    if (lead_each(a->db, &f, fill_card, &fl, &err) != LB_OK)
        app_message(a, true, "%s", err.msg);
    end_page(c, keep);
    note_above(a, stage);
}

static void geometry(app *a)
{
    layout_board(draw_width(), draw_height() - 2, STAGE_COUNT, B.cur, B.first_col, &B.geom);
    B.first_col = B.geom.first;
    if (B.geom.cards + 1 > B.cap) {
        int cap = B.geom.cards + 1;
        for (int i = 0; i < STAGE_COUNT; i++) {
            tui_card *k = realloc(B.cols[i].cards, sizeof(tui_card) * (size_t)cap);
            if (!k)
                return;
            B.cols[i].cards = k;
        }
        B.cap = cap;
    }
}

/* What the board asks the worker: the status line's alerts (a count of
 * every overdue follow-up, tens of thousands of index entries on a big
 * board), and under a search or filter the columns' counts (a scan of the
 * leads that match) and the cards of the columns on screen (a rare word
 * means scanning a whole stage to fill a page).  Unfiltered, stage_counts
 * and one index range per column answer at once, here. */
typedef struct board_job {
    tui_job job;
    bool counts, filtered;
    char owner[LB_LOGIN_MAX + 1], campaign[LB_BUF(LB_SHORT_MAX)], search[LB_BUF(LB_SHORT_MAX)];
    bool has_actor;
    lb_user actor;
    lb_sla sla;
    lb_time now;
    char now_iso[LB_TIME_BUF];
    int first, visible, limit; /* the columns on screen, cards per page + 1 */
    int64_t top_id[STAGE_COUNT];
    tui_column cols[STAGE_COUNT]; /* their pages, for the filtered */
    int64_t n[STAGE_COUNT];
    lb_alerts alerts;
    lb_status st;
    char error[LB_ERR_MAX];
} board_job;

static void board_run(lb_db *db, tui_job *j)
{
    board_job *bj = (board_job *)j;
    lb_err err;
    if (bj->counts && lead_alerts(db, bj->has_actor ? &bj->actor : NULL, bj->now_iso,
                                  &bj->alerts, &err) != LB_OK)
        memset(&bj->alerts, 0, sizeof bj->alerts);
    if (!bj->filtered)
        return;
    lb_lead_filter f = filter_of(bj->owner, bj->campaign, bj->search);
    if (bj->counts && (bj->st = lead_count_by_stage(db, &f, bj->n, &err)) != LB_OK) {
        snprintf(bj->error, sizeof bj->error, "%s", err.msg);
        return;
    }
    for (int s = bj->first; s < bj->first + bj->visible && s < STAGE_COUNT; s++) {
        tui_column *c = &bj->cols[s];
        c->cards = malloc(sizeof *c->cards * (size_t)bj->limit);
        if (!c->cards) {
            bj->st = LB_EDB;
            snprintf(bj->error, sizeof bj->error, "out of memory");
            return;
        }
        f.has_stage = true;
        f.stage = (lb_stage)s;
        f.urgency = true;
        f.now_iso = bj->now_iso;
        f.from_id = bj->top_id[s];
        f.limit = bj->limit;
        struct fill fl = {&bj->sla, bj->now, c, bj->limit};
        if ((bj->st = lead_each(db, &f, fill_card, &fl, &err)) != LB_OK) {
            snprintf(bj->error, sizeof bj->error, "%s", err.msg);
            return;
        }
    }
}

/* Puts a fetched page in its column, the cursor on the lead it was on. */
static void install_page(int stage, const tui_column *page, int64_t keep)
{
    tui_column *c = &B.cols[stage];
    c->n = page->n;
    memcpy(c->cards, page->cards, sizeof *c->cards * (size_t)page->n);
    end_page(c, keep);
}

static void board_done(app *a, tui_job *j)
{
    board_job *bj = (board_job *)j;
    if (bj->counts)
        a->alerts = bj->alerts;
    if (!bj->filtered)
        return;
    if (bj->counts)
        B.counts_pending = false;
    if (bj->st != LB_OK) {
        app_message(a, true, "%s", bj->error);
        return;
    }
    if (bj->counts)
        for (int i = 0; i < STAGE_COUNT; i++)
            B.cols[i].count = bj->n[i];
    /* the pages, unless the screen changed shape or scrolled since */
    if (bj->limit == B.geom.cards + 1 && bj->limit <= B.cap)
        for (int s = bj->first; s < bj->first + bj->visible && s < STAGE_COUNT; s++) {
            tui_column *c = &B.cols[s];
            if (c->top_id != bj->top_id[s] || !bj->cols[s].cards)
                continue;
            install_page(s, &bj->cols[s],
                         c->n > 0 && c->sel < c->n ? c->cards[c->sel].id : 0);
            note_above(a, s);
        }
    if (bj->counts && B.want_first_lead) {
        B.want_first_lead = false;
        board_to_first_lead(a);
    }
}

static void board_job_free(tui_job *j)
{
    board_job *bj = (board_job *)j;
    for (int s = 0; s < STAGE_COUNT; s++)
        free(bj->cols[s].cards);
    free(bj);
}

/* Asks the worker for the board's numbers (counts) and, under a filter,
 * the pages on screen; returns false when it could not ask. */
static bool post_board(app *a, bool counts)
{
    board_job *bj = calloc(1, sizeof *bj);
    if (!bj) {
        app_message(a, true, "out of memory");
        return false;
    }
    /* A count still on its way goes with this job, which overtakes it. */
    counts = counts || B.counts_pending;
    bj->job = (tui_job){.slot = JOB_COUNTS, .run = board_run, .done = board_done,
                        .free = board_job_free};
    bj->counts = counts;
    snprintf(bj->owner, sizeof bj->owner, "%s", a->filter.owner);
    snprintf(bj->campaign, sizeof bj->campaign, "%s", a->filter.campaign);
    bj->search[0] = '\0'; /* the search moves the cursor, it does not filter */
    bj->filtered = filtered(a);
    bj->has_actor = a->ctx.has_actor;
    if (bj->has_actor)
        bj->actor = a->ctx.actor;
    bj->sla = a->sla;
    bj->now = a->ctx.now;
    snprintf(bj->now_iso, sizeof bj->now_iso, "%s", a->ctx.now_iso);
    bj->first = B.first_col;
    bj->visible = B.geom.visible;
    bj->limit = B.geom.cards + 1;
    char shape[96];
    uint64_t q = 0xCBF29CE484222325ULL;
    for (int s = 0; s < STAGE_COUNT; s++) {
        bj->top_id[s] = B.cols[s].top_id;
        snprintf(shape, sizeof shape, "%lld", (long long)bj->top_id[s]);
        q = job_hash(q, shape);
    }
    snprintf(shape, sizeof shape, "%d %d %d %d %lld", counts, bj->first, bj->visible, bj->limit,
             bj->has_actor ? (long long)bj->actor.id : -1LL);
    bj->job.question =
        job_hash(job_hash(job_hash(job_hash(q, shape), bj->owner), bj->campaign), bj->search);
    if (counts) {
        B.counts_pending = bj->filtered;
        if (!bj->filtered)
            B.want_first_lead = false; /* the filter it was for is gone */
    }
    worker_post(a, &bj->job);
    return true;
}

static void board_reload(app *a, bool counts)
{
    lb_err err;
    geometry(a);
    if (counts)
        wip_reload(a);
    if (counts) {
        lb_lead_filter f = base_filter(a);
        int64_t n[STAGE_COUNT];
        if (!f.owner && !f.campaign && !f.search) {
            if (lead_count_by_stage(a->db, &f, n, &err) == LB_OK)
                for (int i = 0; i < STAGE_COUNT; i++)
                    B.cols[i].count = n[i];
            else
                app_message(a, true, "%s", err.msg);
        }
    }
    /* Filtered, the pages come with the counts; without a worker the job
     * has already run when post_board returns. */
    if ((counts || filtered(a)) && post_board(a, counts) && filtered(a))
        return;
    for (int i = B.first_col; i < B.first_col + B.geom.visible && i < STAGE_COUNT; i++)
        fetch_column(a, i, 0);
}

static void board_to_first_lead(app *a)
{
    if (B.counts_pending) { /* when the counts are in */
        B.want_first_lead = true;
        return;
    }
    if (B.cols[B.cur].count > 0)
        return;
    for (int i = 0; i < STAGE_COUNT; i++)
        if (B.cols[i].count > 0) {
            B.cur = i;
            board_reload(a, false);
            return;
        }
}

static void board_follow(app *a, int64_t lead_id)
{
    lb_lead *l = malloc(sizeof *l);
    lb_err err;
    if (l && lead_get(a->db, lead_id, l, &err) == LB_OK) {
        B.cur = (int)l->stage;
        geometry(a);
        tui_column *c = &B.cols[B.cur];
        fetch_column(a, B.cur, lead_id);
        bool found = false;
        for (int i = 0; i < c->n; i++)
            found |= c->cards[i].id == lead_id;
        if (!found) /* bring it into view at the top of its column */
            show_from(a, B.cur, lead_id);
    }
    free(l);
    board_reload(a, true);
}

static int64_t board_current_lead(app *a)
{
    (void)a;
    tui_column *c = &B.cols[B.cur];
    return c->n > 0 ? c->cards[c->sel].id : 0;
}

/* One lead before `id` in the column, or 0. */
static int64_t id_before(app *a, int stage, int64_t id, int back)
{
    lb_lead_filter f = base_filter(a);
    lb_err err;
    tui_column tmp = {0};
    tmp.cards = calloc((size_t)back + 1, sizeof(tui_card));
    if (!tmp.cards)
        return 0;
    f.has_stage = true;
    f.stage = (lb_stage)stage;
    f.urgency = true;
    f.now_iso = a->ctx.now_iso;
    f.before_id = id;
    f.limit = back;
    struct fill fl = {&a->sla, a->ctx.now, &tmp, back};
    lead_each(a->db, &f, fill_card, &fl, &err);
    int64_t r = tmp.n > 0 ? tmp.cards[tmp.n - 1].id : 0;
    free(tmp.cards);
    return r;
}

/* The column shown from lead id, or from the cards before it when too few
 * follow it to fill the column (a card moved to the end of a column is
 * not shown alone at the top of an empty one). */
static void show_from(app *a, int stage, int64_t id)
{
    tui_column *c = &B.cols[stage];
    c->top_id = id;
    fetch_column(a, stage, id);
    if (c->n > 0 && c->n < B.geom.cards) {
        int64_t back = id_before(a, stage, c->cards[0].id, B.geom.cards - c->n);
        if (back) {
            c->top_id = back;
            fetch_column(a, stage, id); /* the cursor stays on id */
        }
    }
}

/* Puts the cursor on lead id of column stage, bringing it into view. */
static void jump_to(app *a, int stage, int64_t id)
{
    B.cur = stage;
    geometry(a);
    tui_column *c = &B.cols[stage];
    fetch_column(a, stage, id);
    bool found = false;
    for (int i = 0; i < c->n; i++)
        found |= c->cards[i].id == id;
    if (!found) /* at the top of its column */
        show_from(a, stage, id);
    for (int i = B.first_col; i < B.first_col + B.geom.visible && i < STAGE_COUNT; i++)
        if (i != stage)
            fetch_column(a, i, 0);
}

static int first_id(const lb_lead *l, void *ud)
{
    *(int64_t *)ud = l->id;
    return 1;
}

/* The search runs on the worker: on a big board a word that few leads
 * have means scanning whole stages, and typing must not wait for that. */
typedef struct search_job {
    tui_job job;
    char owner[LB_LOGIN_MAX + 1], campaign[LB_BUF(LB_SHORT_MAX)], search[LB_BUF(LB_SHORT_MAX)];
    int from_stage, dir;
    int64_t here;
    bool from_here;
    char now_iso[LB_TIME_BUF];
    int stage;     /* where the match is */
    int64_t found; /* 0: none */
    lb_status st;
    char error[LB_ERR_MAX];
} search_job;

/* The next (dir 1) or previous (-1) lead matching the search in board
 * order, columns left to right, wrapping at the ends; `from_here` lets the
 * card under the cursor be the match (while typing). */
static void search_run(lb_db *db, tui_job *j)
{
    search_job *sj = (search_job *)j;
    lb_lead_filter f = filter_of(sj->owner, sj->campaign, sj->search);
    lb_err err;
    f.has_stage = true;
    f.limit = 1;
    f.urgency = true; /* in the cards' order */
    f.now_iso = sj->now_iso;
    for (int step = 0; step <= STAGE_COUNT; step++) {
        int s = ((sj->from_stage + sj->dir * step) % STAGE_COUNT + STAGE_COUNT) % STAGE_COUNT;
        f.stage = (lb_stage)s;
        f.after_id = f.before_id = f.from_id = f.upto_id = 0;
        if (step == 0 && sj->here) { /* after (before) the cursor in its own column */
            if (sj->dir > 0 && sj->from_here)
                f.from_id = sj->here;
            else if (sj->dir > 0)
                f.after_id = sj->here;
            else if (sj->from_here)
                f.upto_id = sj->here;
            else
                f.before_id = sj->here;
        } else if (sj->dir < 0 && (step < STAGE_COUNT || sj->here)) {
            f.before_id = INT64_MAX;
        }
        int64_t id = 0;
        if ((sj->st = lead_each(db, &f, first_id, &id, &err)) != LB_OK) {
            snprintf(sj->error, sizeof sj->error, "%s", err.msg);
            return;
        }
        if (id) {
            sj->stage = s;
            sj->found = id;
            return;
        }
    }
}

static void search_done(app *a, tui_job *j)
{
    search_job *sj = (search_job *)j;
    B.search_pending = false;
    if (strcmp(sj->search, a->filter.search) != 0)
        return; /* the search changed meanwhile */
    if (sj->st != LB_OK)
        app_message(a, true, "%s", sj->error);
    else if (sj->found)
        jump_to(a, sj->stage, sj->found);
    else
        app_message(a, true, "no lead matches \"%.120s\"", sj->search);
}

static void search_free(tui_job *j)
{
    free(j);
}

static bool search_jump(app *a, int dir, bool from_here)
{
    if (!a->filter.search[0])
        return false;
    search_job *sj = calloc(1, sizeof *sj);
    if (!sj) {
        app_message(a, true, "out of memory");
        return true;
    }
    tui_column *c = &B.cols[B.cur];
    sj->job = (tui_job){.slot = JOB_SEARCH, .run = search_run, .done = search_done,
                        .free = search_free};
    snprintf(sj->owner, sizeof sj->owner, "%s", a->filter.owner);
    snprintf(sj->campaign, sizeof sj->campaign, "%s", a->filter.campaign);
    snprintf(sj->search, sizeof sj->search, "%s", a->filter.search);
    sj->from_stage = B.cur;
    sj->dir = dir;
    sj->here = c->n > 0 ? c->cards[c->sel].id : 0;
    snprintf(sj->now_iso, sizeof sj->now_iso, "%s", a->ctx.now_iso);
    sj->from_here = from_here;
    char shape[96];
    snprintf(shape, sizeof shape, "%d %d %lld %d", sj->from_stage, dir, (long long)sj->here,
             from_here);
    sj->job.question = job_hash(
        job_hash(job_hash(job_hash(JOB_HASH_START, shape), sj->owner), sj->campaign), sj->search);
    B.search_pending = true;
    worker_post(a, &sj->job);
    return true;
}

/* Esc: the board without its search and filter. */
static void clear_filter(app *a)
{
    if (!filtered(a) && !a->filter.search[0])
        return;
    a->filter.search[0] = a->filter.owner[0] = a->filter.campaign[0] = '\0';
    for (int i = 0; i < STAGE_COUNT; i++)
        B.cols[i].top_id = 0;
    board_reload(a, true);
    app_message(a, false, "filter cleared");
}

static bool board_key(app *a, tui_req r)
{
    tui_column *c = &B.cols[B.cur];
    switch (r) {
    case REQ_CLEAR:
        clear_filter(a);
        return true;
    case REQ_SEARCH_NEXT:
    case REQ_SEARCH_PREV:
        search_jump(a, r == REQ_SEARCH_NEXT ? 1 : -1, false);
        return true;
    case REQ_COL_PREV:
        if (B.cur > 0)
            B.cur--;
        break;
    case REQ_COL_NEXT:
        if (B.cur < STAGE_COUNT - 1)
            B.cur++;
        break;
    case REQ_NEXT:
        if (c->sel < c->n - 1) {
            c->sel++;
        } else if (c->more_below) {
            int64_t next = c->cards[c->n].id;
            c->top_id = c->cards[c->n > 1 ? 1 : c->n].id; /* one card a page: the next */
            fetch_column(a, B.cur, next);
        }
        return true;
    case REQ_PREV:
        if (c->sel > 0) {
            c->sel--;
        } else if (c->top_id && c->n > 0) {
            int64_t prev = id_before(a, B.cur, c->cards[0].id, 1);
            c->top_id = prev;
            if (prev)
                fetch_column(a, B.cur, prev);
        }
        return true;
    case REQ_FIRST:
        c->top_id = 0;
        c->sel = 0;
        fetch_column(a, B.cur, 0);
        if (c->n)
            fetch_column(a, B.cur, c->cards[0].id);
        return true;
    case REQ_LAST: {
        int64_t last = id_before(a, B.cur, INT64_MAX, 1);
        int64_t top = id_before(a, B.cur, INT64_MAX, B.geom.cards);
        if (last) {
            c->top_id = top;
            fetch_column(a, B.cur, last);
        }
        return true;
    }
    case REQ_PAGE_DOWN:
        if (c->more_below) {
            c->top_id = c->cards[c->n].id;
            fetch_column(a, B.cur, c->top_id);
        } else if (c->n) {
            c->sel = c->n - 1;
        }
        return true;
    case REQ_PAGE_UP:
        if (c->top_id && c->n) {
            c->top_id = id_before(a, B.cur, c->cards[0].id, B.geom.cards);
            fetch_column(a, B.cur, c->top_id);
        }
        c->sel = 0;
        return true;
    default:
        return false;
    }
    /* The cursor changed column: fetch any column that came into view. */
    int first = B.first_col;
    geometry(a);
    if (B.first_col != first)
        for (int i = B.first_col; i < B.first_col + B.geom.visible; i++)
            fetch_column(a, i, 0);
    return true;
}

/* A card's value in a few cells (950, 12k, 12.5k, 1.2M), so the campaign
 * beside it keeps its room; the detail shows it whole. */
static void card_money(int64_t cents, char *buf, size_t n)
{
    int64_t units = cents / 100;
    const char *sign = units < 0 ? "-" : "";
    if (units < 0)
        units = -units;
    if (units < 1000)
        snprintf(buf, n, "%s%lld", sign, (long long)units);
    else if (units < 1000000) {
        int64_t tenths = (units + 50) / 100; /* in hundreds */
        if (tenths % 10 == 0 || tenths >= 1000)
            snprintf(buf, n, "%s%lldk", sign, (long long)((units + 500) / 1000));
        else
            snprintf(buf, n, "%s%lld.%lldk", sign, (long long)(tenths / 10),
                     (long long)(tenths % 10));
    } else {
        int64_t tenths = (units + 50000) / 100000;
        snprintf(buf, n, "%s%lld.%lldM", sign, (long long)(tenths / 10), (long long)(tenths % 10));
    }
}

static void draw_card(app *a, const tui_card *k, int y, int x, int w, bool selected)
{
    char buf[256], right[64];
    int attrs = selected ? A_REVERSE : 0;
    int pair = selected ? PAIR_SELECTED : 0;
    bool ascii = a->term.ascii;
    lb_time t = a->ctx.now;

    if (selected)
        a->shown = (tui_rect){y, x, w, LAYOUT_CARD_LINES};
    for (int i = 0; i < LAYOUT_CARD_LINES; i++)
        draw_fill(y + i, x, w, attrs, pair);
    /* line 1: marker, name, stars */
    const char *mark = selected ? (ascii ? ">" : "\xe2\x96\xb6") : " ";
    draw_text(y, x, 1, mark, attrs | A_BOLD, pair);
    right[0] = '\0';
    if (k->stars)
        snprintf(right, sizeof right, "%s%d", ascii ? "*" : "\xe2\x98\x85", k->stars);
    int rw = text_width(right);
    draw_text(y, x + 1, w - 3 - rw, k->name, attrs | A_BOLD, pair);
    if (rw)
        draw_text(y, x + w - 1 - rw, rw, right, attrs, selected ? pair : PAIR_STARS);
    /* lines 2 and 3: company, campaign, and the value beside whichever
     * of them leaves both whole (the campaign's line when neither does) */
    right[0] = '\0';
    if (k->has_value)
        card_money(k->value, right, sizeof right);
    rw = text_width(right);
    int room = w - 3 - (rw ? rw + 1 : 0);
    int vline = text_width(k->campaign) > room && text_width(k->company) <= room ? 1 : 2;
    draw_text(y + 1, x + 2, vline == 1 ? room : w - 3, k->company, attrs, pair);
    draw_text(y + 2, x + 2, vline == 2 ? room : w - 3, k->campaign, attrs,
              selected ? pair : PAIR_DIM);
    if (rw)
        draw_text(y + vline, x + w - 1 - rw, rw, right, attrs, pair);
    /* line 4: owner, age in stage, SLA badge */
    char age[16];
    if (time_parse(k->stage_at, &t, NULL) != LB_OK)
        t = a->ctx.now;
    time_format_age(a->ctx.now - t, age, sizeof age);
    snprintf(buf, sizeof buf, "%s%s%s", k->owner[0] ? k->owner : "-", ascii ? " . " : " \xc2\xb7 ",
             age);
    right[0] = '\0';
    if (k->sla & SLA_ACCEPT_OVERDUE)
        snprintf(right, sizeof right, "!ACCEPT");
    else if (k->sla & SLA_FIRST_TOUCH_OVERDUE)
        snprintf(right, sizeof right, "!TOUCH");
    else if (k->sla & SLA_FOLLOWUP_OVERDUE)
        snprintf(right, sizeof right, "!DUE");
    else if (k->sla & SLA_STALE)
        snprintf(right, sizeof right, "!STALE");
    else if (k->sla & SLA_REVISIT_DUE)
        snprintf(right, sizeof right, "!REVISIT");
    if (wip_over_rep(k->stage, k->owner)) { /* its rep holds more than wip.STAGE */
        char both[64];
        snprintf(both, sizeof both, "!WIP%s%s", right[0] ? " " : "", right);
        snprintf(right, sizeof right, "%s", both);
    }
    rw = text_width(right);
    draw_text(y + 3, x + 2, w - 4 - rw, buf, attrs, pair);
    if (rw)
        draw_text(y + 3, x + w - 1 - rw, rw, right, attrs | A_BOLD, PAIR_ALERT);
}

static void board_draw(app *a)
{
    int top = 1; /* below the title line */
    int w = B.geom.col_w - 1;
    bool ascii = a->term.ascii;
    for (int v = 0; v < B.geom.visible; v++) {
        int s = B.first_col + v;
        if (s >= STAGE_COUNT)
            break;
        tui_column *c = &B.cols[s];
        int x = v * B.geom.col_w;
        char head[128], count[32], over[32] = "";
        if (B.counts_pending) /* counting what matches the filter */
            snprintf(count, sizeof count, "%s", ascii ? "..." : "\xe2\x80\xa6");
        else
            snprintf(count, sizeof count, "%lld", (long long)c->count);
        /* the columns off screen, counted at the edge they are beyond */
        int beyond = 0;
        const char *arrow = "";
        int right = STAGE_COUNT - (B.first_col + B.geom.visible);
        if (v == B.geom.visible - 1 && right > 0) {
            beyond = right;
            arrow = ascii ? "->" : "\xe2\x86\x92";
        } else if (v == 0 && B.first_col > 0) {
            beyond = B.first_col;
            arrow = ascii ? "<-" : "\xe2\x86\x90";
        }
        /* Longest first: "(3 reps over)" and "-> 5 more", then "(3 over)",
         * then "->5", then the scroll arrows without their space, then
         * without them; a column too narrow for all that keeps its WIP
         * mark before the columns beyond. */
        char more[32] = "";
        int mw = 0, pad = 1;
        for (int level = 0; level < 6; level++) {
            bool short_over = level >= 1, short_more = level >= 2;
            const char *gap = level >= 3 ? "" : " ";
            bool arrows = level < 4;
            over[0] = more[0] = '\0';
            if (B.wip_over[s] && short_over)
                snprintf(over, sizeof over, " (%lld over)", (long long)B.wip_over[s]);
            else if (B.wip_over[s])
                snprintf(over, sizeof over, " (%lld rep%s over)", (long long)B.wip_over[s],
                         B.wip_over[s] == 1 ? "" : "s");
            if (beyond && level < 5)
                snprintf(more, sizeof more, short_more ? "%s%d%s" : "%s %d more ", arrow, beyond,
                         level >= 3 ? "" : " ");
            char marks[16];
            snprintf(marks, sizeof marks, "%s%s%s%s",
                     arrows && c->more_above ? gap : "",
                     arrows && c->more_above ? (ascii ? "^" : "\xe2\x86\x91") : "",
                     arrows && c->more_below ? gap : "",
                     arrows && c->more_below ? (ascii ? "v" : "\xe2\x86\x93") : "");
            snprintf(head, sizeof head, " %s %s%s%s", stage_titles[s], count, over, marks);
            mw = text_width(more);
            pad = level >= 3 ? 0 : 1;
            if (text_width(head) + (mw ? mw + pad : 0) <= w)
                break;
        }
        if (mw && text_width(head) + mw + pad > w)
            mw = 0; /* a narrow column keeps its name and count */
        bool current = s == B.cur;
        int hattr = current ? A_REVERSE | A_BOLD : A_BOLD;
        draw_fill(top, x, w, hattr, current ? PAIR_TITLE : 0);
        draw_text(top, x, w - mw, head, hattr, current ? PAIR_TITLE : PAIR_HEADER);
        if (mw)
            draw_text(top, x + w - mw, mw, more, current ? A_REVERSE : 0,
                      current ? PAIR_TITLE : PAIR_DIM);
        for (int i = 0; i < c->n && i < B.geom.cards; i++)
            draw_card(a, &c->cards[i], top + 1 + i * LAYOUT_CARD_LINES, x, w,
                      current && i == c->sel);
        if (c->n == 0)
            draw_text(top + 2, x + 2, w - 2, c->count || B.counts_pending ? "" : "(empty)", 0,
                      PAIR_DIM);
        /* the gap between columns */
        for (int y = top; y < draw_height() - 1 && v < B.geom.visible - 1; y++)
            draw_text(y, x + w, 1, ascii ? "|" : "\xe2\x94\x82", 0, PAIR_DIM);
    }
}

static void board_changed(app *a, tui_change what, int64_t lead)
{
    switch (what) {
    case CHANGE_RESIZE:
        B.first_col = 0; /* show as many columns left of the cursor as now fit */
        board_reload(a, false);
        break;
    case CHANGE_DATA:
        board_reload(a, true);
        break;
    case CHANGE_WRITE:
        if (lead) {
            board_follow(a, lead);
            break;
        }
        board_reload(a, true);
        if (a->view == VIEW_BOARD)
            board_to_first_lead(a);
        break;
    case CHANGE_SEARCH: /* typing: the first match from the cursor on */
        if (a->filter.search[0])
            search_jump(a, 1, true);
        break;
    case CHANGE_FILTER:
        for (int i = 0; i < STAGE_COUNT; i++)
            B.cols[i].top_id = 0;
        board_reload(a, true);
        if (a->view == VIEW_BOARD)
            board_to_first_lead(a);
        break;
    }
}

static void board_hint(app *a, char *buf, size_t n)
{
    static const tui_hint searching[] = {{REQ_SEARCH_KEEP, 0, "keep"},
                                         {REQ_SEARCH_CLEAR, 0, "clear"}};
    static const tui_hint plain[] = {{REQ_HELP, 0, "help"}, {REQ_QUIT, 0, "quit"}};
    static const tui_hint found[] = {
        {REQ_SEARCH_NEXT, REQ_SEARCH_PREV, "match"}, {REQ_HELP, 0, "help"}, {REQ_QUIT, 0, "quit"}};
    if (B.search_pending && a->filter.search[0]) {
        snprintf(buf, n, "%s", a->term.ascii ? "searching..." : "searching\xe2\x80\xa6");
        return;
    }
    if (a->filter.searching)
        hint_line(buf, n, searching, 2, IN_SEARCH, " ", "  ");
    else if (a->filter.search[0])
        hint_line(buf, n, found, 3, IN(VIEW_BOARD), " ", "  ");
    else
        hint_line(buf, n, plain, 2, IN(VIEW_BOARD), " ", "  ");
}

/* A click on a card selects it (its column becomes the current one); on
 * a column's header, the column. */
static bool board_mouse(app *a, int y, int x, bool twice)
{
    (void)twice;
    int v = B.geom.col_w > 0 ? x / B.geom.col_w : 0;
    int s = B.first_col + v;
    if (v >= B.geom.visible || s >= STAGE_COUNT)
        return false;
    tui_column *c = &B.cols[s];
    int i = (y - 2) / LAYOUT_CARD_LINES;
    if (y >= 2 && (i >= c->n || i >= B.geom.cards))
        return false; /* below the last card */
    B.cur = s;
    if (y < 2)
        return false; /* the header: the column, no card to open */
    c->sel = i;
    (void)a;
    return true;
}

/* The wheel scrolls the column under the pointer: it becomes the current
 * one (as a click on its header makes it). */
static void board_point(app *a, int y, int x)
{
    (void)y;
    board_mouse(a, 1, x, false);
}

static void board_free(app *a)
{
    (void)a;
    for (int i = 0; i < STAGE_COUNT; i++)
        free(B.cols[i].cards);
    memset(&B, 0, sizeof B);
}

const tui_view_ops view_board_ops = {
    .name = "Board",
    .draw = board_draw,
    .key = board_key,
    .current_lead = board_current_lead,
    .changed = board_changed,
    .hint = board_hint,
    .free = board_free,
    .mouse = board_mouse,
    .point = board_point,
};
