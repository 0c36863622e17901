#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/collateral.h"
#include "leadboard/report.h"
#include "leadboard/store.h"

/* Sorts after every stored time: the "until" of an open-ended range, so one
 * statement serves bounded and unbounded periods alike. */
#define TIME_END "9999-12-31T23:59:59Z"

/* Binds the range as ?1 (since) and ?2 (until). */
static void bind_range(lb_stmt *st, const lb_report_range *r)
{
    bind_text(st, 1, r->since);
    bind_text(st, 2, r->until[0] ? r->until : TIME_END);
}

/* A period cut into whole UTC days, which the running totals of schema 11
 * answer (day >= day_from AND day < day_to), and the part days at either
 * end, whose rows are read where they are: [since, head_end) and
 * [tail_start, until).  An open start or end has no part day there. */
typedef struct day_split {
    char since[LB_TIME_BUF], until[LB_TIME_BUF];
    char day_from[LB_TIME_BUF], day_to[LB_TIME_BUF];
    char head_end[LB_TIME_BUF], tail_start[LB_TIME_BUF];
} day_split;

static void split_days(const lb_report_range *r, day_split *d)
{
    snprintf(d->since, sizeof d->since, "%s", r->since);
    snprintf(d->until, sizeof d->until, "%s", r->until[0] ? r->until : TIME_END);
    lb_time t;
    d->day_from[0] = d->head_end[0] = '\0';
    if (d->since[0] && time_parse(d->since, &t, NULL) == LB_OK) {
        lb_time day = t - ((t % 86400) + 86400) % 86400;
        if (day < t)
            day += 86400;
        time_format(day, d->head_end);
        snprintf(d->day_from, sizeof d->day_from, "%.10s", d->head_end);
    } else if (d->since[0]) { /* not a stored time: nothing from the totals */
        snprintf(d->head_end, sizeof d->head_end, "%s", d->until);
        snprintf(d->day_from, sizeof d->day_from, "%s", TIME_END);
    }
    snprintf(d->day_to, sizeof d->day_to, "%.10s", d->until);
    snprintf(d->tail_start, sizeof d->tail_start, "%.10sT00:00:00Z", d->until);
    if (strcmp(d->day_from, d->day_to) >= 0) { /* no whole day: all rows read */
        snprintf(d->head_end, sizeof d->head_end, "%s", d->until);
        snprintf(d->tail_start, sizeof d->tail_start, "%s", d->until);
        snprintf(d->day_from, sizeof d->day_from, "%s", d->day_to);
    }
}

/* Binds since and until from ?at, day_from, day_to, head_end and
 * tail_start from ?days. */
static void bind_split(lb_stmt *st, int at, int days, const day_split *d)
{
    bind_text(st, at, d->since);
    bind_text(st, at + 1, d->until);
    bind_text(st, days, d->day_from);
    bind_text(st, days + 1, d->day_to);
    bind_text(st, days + 2, d->head_end);
    bind_text(st, days + 3, d->tail_start);
}

static const char *col(lb_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return t ? (const char *)t : "";
}

static lb_stage col_stage(lb_stmt *st, int i)
{
    int s = vocab_find(&lb_stages, col(st, i));
    return s < 0 ? STAGE_NURTURE : (lb_stage)s;
}

/* Ends a row loop: a statement that stopped early (the callback said so) or
 * ran to the end is fine, anything else is a database error. */
/* A lead's stage changes among its events (events_lead covers them). */
/* A stage event that stands: not one an undo took back (events_undone;
 * the audit log keeps it, the reports leave it out). */
#define STAGE_EVENT(e)                                                                             \
    e ".action IN ('handoff', 'accept', 'reject', 'move') AND " e ".id NOT IN "                   \
      "(SELECT event_id FROM events_undone)"

/* Ends a subquery whose columns the outer query uses more than once: SQLite
 * does not merge a subquery with a LIMIT into an outer aggregate, so its
 * correlated subqueries run once per row instead of once per use. */
#define NO_FLATTEN "LIMIT -1"

/* The rank (lb_stage order on the path) of the furthest stage lead l entered
 * before ?2, from the audit log.  A lead whose furthest is nurture never
 * left it, so the log is not read for it (most leads of a big board).  A
 * lead with no stage event before ?2 but a stage change (stage_at) before
 * it has none in the log at all: it was imported at its stage, and counts
 * at leads.furthest.  (Every stage event sets stage_at, so a lead whose
 * events all come later has a later stage_at.) */
// clang-format off
#define RANK_BEFORE_UNTIL                                                                          \
    "CASE WHEN l.furthest = 0 THEN 0 ELSE coalesce("                                               \
    "(SELECT max(CASE e.action WHEN 'handoff' THEN 1 WHEN 'accept' THEN 2 WHEN 'reject' THEN 0 "   \
    "ELSE CASE e.new_value WHEN 'handed_off' THEN 1 WHEN 'accepted' THEN 2 WHEN 'contacted' "      \
    "THEN 3 WHEN 'qualified' THEN 4 WHEN 'proposal' THEN 5 WHEN 'won' THEN 6 ELSE 0 END END) "     \
    "FROM events e WHERE " STAGE_EVENT("e") " AND e.lead_id = l.id AND e.at < ?2), "               \
    "CASE WHEN l.stage_at < ?2 THEN l.furthest ELSE 0 END) END"
// clang-format on

/* 1 where cond holds, else 0: a count that PostgreSQL adds up too (it
 * has no sum of booleans). */
#define ONE_IF(cond) "CASE WHEN " cond " THEN 1 ELSE 0 END"

/* The leads created in the period (bound by bind_split at ?1 and ?3), as rows of
 * lead_sums: its whole days, then each lead of the part days counted as a
 * row of its own. */
// clang-format off
#define LEAD_SUM_COLS                                                                              \
    "campaign_id, marketer_id, n, r1, r2, r3, r4, r5, r6, rejected, rated, stars, won, revenue"
#define LEAD_AS_SUM                                                                                \
    "coalesce(campaign_id, 0), coalesce(marketer_id, 0), 1, " ONE_IF("furthest >= 1") ", "        \
    ONE_IF("furthest >= 2") ", " ONE_IF("furthest >= 3") ", " ONE_IF("furthest >= 4") ", "        \
    ONE_IF("furthest >= 5") ", " ONE_IF("furthest >= 6") ", " ONE_IF("rejections > 0") ", "       \
    ONE_IF("stars IS NOT NULL") ", coalesce(stars, 0), " ONE_IF("stage = 'won'") ", "              \
    "CASE WHEN stage = 'won' THEN coalesce(value, 0) ELSE 0 END"
#define LEAD_SUMS_SPLIT                                                                            \
    "SELECT " LEAD_SUM_COLS " FROM lead_sums WHERE day >= ?3 AND day < ?4 "                        \
    "UNION ALL SELECT " LEAD_AS_SUM " FROM leads WHERE created_at >= ?1 AND created_at < ?5 "     \
    "UNION ALL SELECT " LEAD_AS_SUM " FROM leads WHERE created_at >= ?6 AND created_at < ?2"
// clang-format on

/* Whether the report reads the running totals: all time, or a period with
 * no end.  A period that ends before now asks what the leads had reached
 * by then, which only the audit log knows. */
static bool from_sums(const lb_report_range *r)
{
    return !r->has_period || !r->until[0];
}

/* ---- funnel ---- */

lb_status report_funnel(lb_db *db, const lb_report_range *r, lb_funnel_row rows[REPORT_FUNNEL_ROWS],
                        lb_err *err)
{
    /* Leads per furthest rank; reached is the count at that rank or later. */
    /* Grouped first in the order of the leads_report index, so that the
     * leads are counted without sorting them. */
    /* The cohort's leads by furthest rank: n - r1 at rank 0, r1 - r2 at 1... */
    static const char sums[] =
        "SELECT sum(n) - sum(r1), sum(r1) - sum(r2), sum(r2) - sum(r3), sum(r3) - sum(r4), "
        "sum(r4) - sum(r5), sum(r5) - sum(r6), sum(r6) FROM (" LEAD_SUMS_SPLIT ") s";
    static const char period[] =
        "SELECT rk, count(*) FROM (SELECT " RANK_BEFORE_UNTIL " AS rk "
        "FROM leads l WHERE l.created_at >= ?1 AND l.created_at < ?2 " NO_FLATTEN ") "
        "GROUP BY rk";
    int64_t at_rank[REPORT_FUNNEL_ROWS] = {0};
    bool totals = from_sums(r);
    lb_stmt *st = db_stmt(db, totals ? sums : period, err);
    if (!st)
        return LB_EDB;
    int rc;
    if (totals) {
        day_split d;
        split_days(r, &d);
        bind_split(st, 1, 3, &d);
        if ((rc = db_step(st)) == DB_ROW)
            for (int i = 0; i < REPORT_FUNNEL_ROWS; i++)
                at_rank[i] = db_col_int64(st, i);
    } else {
        bind_range(st, r);
    }
    while (!totals && (rc = db_step(st)) == DB_ROW) {
        int rank = db_col_int(st, 0);
        if (rank < 0)
            rank = 0;
        if (rank >= REPORT_FUNNEL_ROWS)
            rank = REPORT_FUNNEL_ROWS - 1;
        at_rank[rank] += db_col_int64(st, 1);
    }
    lb_status s = db_loop_end(db, st, rc, err, "computing the funnel");
    if (s != LB_OK)
        return s;

    int64_t later = 0;
    for (int i = REPORT_FUNNEL_ROWS - 1; i >= 0; i--) {
        later += at_rank[i];
        rows[i].stage = (lb_stage)i;
        rows[i].reached = later;
    }
    for (int i = 0; i < REPORT_FUNNEL_ROWS; i++) {
        lb_fixed none = {false, 0};
        rows[i].conversion = i == 0 ? none : report_ratio(rows[i].reached, rows[i - 1].reached);
    }
    return LB_OK;
}

/* ---- campaigns ---- */

/* Per campaign (NULL: none): n leads, ho handed off, ac accepted, rj
 * rejected, rated, stars (their sum), won, revenue: from the running
 * totals (lead_sums, all time or a period with no end).  HAVING: a
 * campaign whose leads all moved away leaves rows of zeros behind. */
// clang-format off
#define CAMPAIGN_SUMS_TOTALS                                                                       \
    "SELECT CASE WHEN campaign_id = 0 THEN NULL ELSE campaign_id END AS campaign_id, "            \
    "sum(n) AS n, sum(r1) AS ho, sum(r2) AS ac, sum(rejected) AS rj, sum(rated) AS rated, "       \
    "sum(stars) AS stars, sum(won) AS won, sum(revenue) AS revenue "                               \
    "FROM (" LEAD_SUMS_SPLIT ") t GROUP BY t.campaign_id HAVING sum(n) > 0"
/* In a period, per lead of the cohort: rk (rank reached before until), rj
 * (rejected before until), w (won, closed before until). */
#define CAMPAIGN_SUMS_PERIOD                                                                       \
    "SELECT campaign_id, count(*) AS n, sum(rk >= 1) AS ho, sum(rk >= 2) AS ac, sum(rj) AS rj, "   \
    "count(stars) AS rated, sum(stars) AS stars, sum(w) AS won, "                                  \
    "sum(CASE WHEN w THEN coalesce(value, 0) ELSE 0 END) AS revenue "                              \
    "FROM (SELECT l.campaign_id AS campaign_id, " RANK_BEFORE_UNTIL " AS rk, "                     \
    "(l.rejections > 0 AND EXISTS (SELECT 1 FROM events e WHERE " STAGE_EVENT("e") " "            \
    "AND e.lead_id = l.id AND e.action = 'reject' AND e.at < ?2)) AS rj, "                         \
    "l.stars AS stars, (l.stage = 'won' AND l.closed_at < ?2) AS w, l.value AS value "             \
    "FROM leads l WHERE l.created_at >= ?1 AND l.created_at < ?2 " NO_FLATTEN ") "                 \
    "GROUP BY campaign_id"
/* The campaigns by name, then the leads without one (a row only when there
 * are some): the sums are worked out once (a CTE used twice is
 * materialized) for both. */
#define CAMPAIGN_REPORT(sums)                                                                      \
    "WITH s AS (" sums ") SELECT * FROM ("                                                         \
    "SELECT c.id, c.name, c.channel, c.cost, s.n, s.ho, s.ac, s.rj, s.rated, s.stars, s.won, "     \
    "s.revenue, 0 AS k FROM campaigns c LEFT JOIN s ON s.campaign_id = c.id UNION ALL "            \
    "SELECT NULL, '(none)', NULL, 0, s.n, s.ho, s.ac, s.rj, s.rated, s.stars, s.won, s.revenue, "  \
    "1 FROM s WHERE s.campaign_id IS NULL) u ORDER BY u.k, u.name COLLATE NOCASE, u.id"
// clang-format on

/* Reads a row of CAMPAIGN_REPORT and works out the ratios. */
static void campaign_report_row(lb_stmt *st, lb_campaign_row *c)
{
    memset(c, 0, sizeof *c);
    c->none = db_col_type(st, 0) == DB_NULL;
    c->campaign_id = db_col_int64(st, 0);
    col_copy(st, 1, c->name, sizeof c->name);
    int ch = vocab_find(&lb_channels, col(st, 2));
    c->channel = ch < 0 ? (c->none ? CHANNEL_COUNT : CHANNEL_OTHER) : (lb_channel)ch;
    c->cost = db_col_int64(st, 3);
    /* Sums over no leads are NULL, which reads as 0. */
    c->leads = db_col_int64(st, 4);
    c->handed_off = db_col_int64(st, 5);
    c->accepted = db_col_int64(st, 6);
    c->rejected = db_col_int64(st, 7);
    c->rated = db_col_int64(st, 8);
    c->stars_sum = db_col_int64(st, 9);
    c->won = db_col_int64(st, 10);
    c->revenue = db_col_int64(st, 11);
    c->avg_rating = report_ratio(c->stars_sum, c->rated);
    c->cost_per_lead = report_per(c->cost, c->leads);
    c->cost_per_win = report_per(c->cost, c->won);
    c->roi = report_ratio(c->revenue - c->cost, c->cost);
}

lb_status report_campaigns(lb_db *db, const lb_report_range *r, lb_campaign_row_fn fn, void *ud,
                           lb_err *err)
{
    static const char totals[] = CAMPAIGN_REPORT(CAMPAIGN_SUMS_TOTALS);
    static const char period[] = CAMPAIGN_REPORT(CAMPAIGN_SUMS_PERIOD);
    lb_campaign_row row;
    int rc;

    bool sums = from_sums(r);
    lb_stmt *st = db_stmt(db, sums ? totals : period, err);
    if (!st)
        return LB_EDB;
    if (sums) {
        day_split d;
        split_days(r, &d);
        bind_split(st, 1, 3, &d);
    } else {
        bind_range(st, r);
    }
    while ((rc = db_step(st)) == DB_ROW) {
        campaign_report_row(st, &row);
        if (fn(&row, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "computing the campaigns report");
}

/* ---- sla ---- */

/* The hand-offs of the period (bound by bind_split at ?1 and ?9), as rows of
 * handoff_sums: its whole days, then the hand-offs of the part days one
 * by one, accepted within ?7 seconds and first touched within ?8 (the
 * windows the sums were counted with: a change of setting recounts them). */
// clang-format off
#define HANDOFF_AS_SUM                                                                             \
    "login, 1 AS n, " ONE_IF("acc_secs <= ?7") " AS acc_ok, " ONE_IF("touch_secs <= ?8")          \
    " AS touch_ok, " ONE_IF("touch_secs IS NOT NULL") " AS touched, "                              \
    ONE_IF("touch_secs <= 300") " AS w5m, " ONE_IF("touch_secs > 300 AND touch_secs <= 3600")    \
    " AS w1h, " ONE_IF("touch_secs > 3600 AND touch_secs <= 86400") " AS w24h, "                 \
    ONE_IF("touch_secs > 86400") " AS later"
#define HANDOFF_SUMS_SPLIT                                                                         \
    "SELECT login, n, acc_ok, touch_ok, touched, w5m, w1h, w24h, later FROM handoff_sums "        \
    "WHERE day >= ?9 AND day < ?10 "                                                               \
    "UNION ALL SELECT " HANDOFF_AS_SUM " FROM handoffs WHERE at >= ?1 AND at < ?11 "              \
    "UNION ALL SELECT " HANDOFF_AS_SUM " FROM handoffs WHERE at >= ?12 AND at < ?2"
// clang-format on

/* Per owner, the leads that sla_state() would flag at now (?5): those
 * whose flag_at (schema 11) has passed, from lead_flag_sums for the days
 * before today (?3) and through leads_flag for today (from ?4). */
#define SLA_OVERDUE                                                                                \
    "SELECT owner_id, sum(n) AS n FROM (SELECT owner_id, n FROM lead_flag_sums WHERE day < ?3 "   \
    "UNION ALL SELECT coalesce(owner_id, 0), 1 FROM leads "                                        \
    "WHERE flag_at >= ?4 AND flag_at < ?5) t GROUP BY owner_id"

lb_status report_sla(lb_db *db, const lb_report_range *r, lb_sla_row_fn fn, void *ud, lb_err *err)
{
    static const char sql[] =
        "SELECT u.id, u.login, coalesce(h.n, 0), coalesce(h.acc, 0), coalesce(h.touch, 0), "
        "coalesce(o.n, 0) "
        "FROM users u LEFT JOIN (SELECT login, sum(n) AS n, sum(acc_ok) AS acc, "
        "sum(touch_ok) AS touch FROM (" HANDOFF_SUMS_SPLIT ") t GROUP BY login) h "
        "ON h.login = u.login LEFT JOIN (" SLA_OVERDUE ") o ON o.owner_id = u.id "
        "WHERE u.team = 'sales' ORDER BY u.login";
    lb_sla sla;
    lb_status s = sla_load(db, &sla, err);
    if (s != LB_OK)
        return s;
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    day_split d;
    split_days(r, &d);
    bind_split(st, 1, 9, &d);
    char today[LB_TIME_BUF];
    snprintf(today, sizeof today, "%.10sT00:00:00Z", r->now_iso);
    db_bind_str(st, 3, today, 10, DB_TRANSIENT);
    bind_text(st, 4, today);
    bind_text(st, 5, r->now_iso);
    db_bind_int64(st, 7, (int64_t)sla.accept_hours * 3600);
    db_bind_int64(st, 8, (int64_t)sla.first_touch_hours * 3600);
    lb_sla_row row;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        memset(&row, 0, sizeof row);
        row.user_id = db_col_int64(st, 0);
        col_copy(st, 1, row.owner, sizeof row.owner);
        row.handoffs = db_col_int64(st, 2);
        row.accepted_in_sla = db_col_int64(st, 3);
        row.touched_in_sla = db_col_int64(st, 4);
        row.overdue_now = db_col_int64(st, 5);
        /* Filtered here: in SQL the overdue count would be run twice. */
        if (row.handoffs == 0 && row.overdue_now == 0)
            continue;
        if (fn(&row, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "computing the SLA report");
}

/* ---- speed ---- */

/* The median minutes to first touch of the n touched hand-offs of all
 * time to login (NULL: every sales rep's; sales_only: some went to a login
 * that is not a sales rep now, which the "all" row leaves out).  The
 * minute holding the middle comes from touch_minutes (a few thousand rows),
 * then the middle one or two values are read exactly from the index of
 * hand-offs in time-to-touch order, starting at that minute. */
static lb_status speed_median_all_time(lb_db *db, const char *login, bool sales_only, int64_t n,
                                       lb_speed_row *row, lb_err *err)
{
    static const char hist_one[] =
        "SELECT minute, n FROM touch_minutes WHERE login = ?1 AND n > 0 ORDER BY minute";
    static const char hist_all[] =
        "SELECT minute, sum(n) FROM touch_minutes WHERE n > 0 GROUP BY minute ORDER BY minute";
    static const char hist_sales[] =
        "SELECT minute, sum(n) FROM touch_minutes WHERE n > 0 "
        "AND login IN (SELECT login FROM users WHERE team = 'sales') GROUP BY minute ORDER BY minute";
    static const char exact_one[] =
        "SELECT touch_secs FROM handoffs WHERE login = ?1 AND touch_secs >= ?2 "
        "ORDER BY touch_secs LIMIT 2 OFFSET ?3";
    static const char exact_all[] =
        "SELECT touch_secs FROM handoffs WHERE touch_secs >= ?2 "
        "ORDER BY touch_secs LIMIT 2 OFFSET ?3";
    static const char exact_sales[] =
        "SELECT touch_secs FROM handoffs WHERE touch_secs >= ?2 "
        "AND login IN (SELECT login FROM users WHERE team = 'sales') "
        "ORDER BY touch_secs LIMIT 2 OFFSET ?3";
    int64_t pos = (n - 1) / 2, before = 0, minute = -1;
    lb_stmt *st = db_stmt(db, login ? hist_one : sales_only ? hist_sales : hist_all, err);
    if (!st)
        return LB_EDB;
    if (login)
        bind_text(st, 1, login);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t k = db_col_int64(st, 1);
        if (before + k > pos) {
            minute = db_col_int64(st, 0);
            break;
        }
        before += k;
    }
    lb_status s = db_loop_end(db, st, rc, err, "computing the speed report");
    if (s != LB_OK || minute < 0)
        return s;
    if (!(st = db_stmt(db, login ? exact_one : sales_only ? exact_sales : exact_all, err)))
        return LB_EDB;
    if (login)
        bind_text(st, 1, login);
    db_bind_int64(st, 2, minute * 60);
    db_bind_int64(st, 3, pos - before);
    int64_t mid[2];
    size_t k = 0, want = n % 2 ? 1 : 2;
    while (k < want && (rc = db_step(st)) == DB_ROW)
        mid[k++] = db_col_int64(st, 0);
    s = db_loop_end(db, st, k == want ? DB_ROW : rc, err, "computing the speed report");
    if (s == LB_OK && k == want) {
        row->has_median = true;
        row->median_minutes = report_median_minutes(mid, k);
    }
    return s;
}

typedef struct speed_acc {
    lb_speed_row row;
    int64_t *secs;
    size_t n, cap;
} speed_acc;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static bool speed_push(speed_acc *a, int64_t v)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        int64_t *more = realloc(a->secs, cap * sizeof *more);
        if (!more)
            return false;
        a->secs = more;
        a->cap = cap;
    }
    a->secs[a->n++] = v;
    return true;
}

static void speed_median_of(speed_acc *a)
{
    if (a->n)
        qsort(a->secs, a->n, sizeof *a->secs, cmp_i64);
    a->row.has_median = a->n > 0;
    a->row.median_minutes = report_median_minutes(a->secs, a->n);
}

/* The medians of a part of history: the period's touched hand-offs read
 * once through their time index (handoffs_at covers them), sorted here.
 * reps[0..nreps) are the sales reps with hand-offs in the period, all the
 * "all" row. */
static lb_status speed_medians_period(lb_db *db, const day_split *d, speed_acc *reps,
                                      size_t nreps, speed_acc *all, lb_err *err)
{
    static const char sql[] = "SELECT login, touch_secs FROM handoffs "
                              "WHERE at >= ?1 AND at < ?2 AND touch_secs IS NOT NULL";
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, d->since);
    bind_text(st, 2, d->until);
    int rc;
    bool oom = false;
    size_t last = 0;
    while (!oom && (rc = db_step(st)) == DB_ROW) {
        const char *login = col(st, 0);
        size_t i = last < nreps && strcmp(reps[last].row.owner, login) == 0 ? last : nreps;
        for (size_t j = 0; i == nreps && j < nreps; j++)
            if (strcmp(reps[j].row.owner, login) == 0)
                i = j;
        if (i == nreps) /* not a sales rep now */
            continue;
        last = i;
        int64_t v = db_col_int64(st, 1);
        oom = !speed_push(&reps[i], v) || !speed_push(all, v);
    }
    if (oom) {
        db_reset(st);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    lb_status s = db_loop_end(db, st, rc, err, "computing the speed report");
    for (size_t i = 0; s == LB_OK && i < nreps; i++)
        speed_median_of(&reps[i]);
    if (s == LB_OK)
        speed_median_of(all);
    return s;
}

static void speed_counts(lb_stmt *st, lb_speed_row *row)
{
    row->handoffs = db_col_int64(st, 1);
    row->touched = db_col_int64(st, 2);
    row->within_5m = db_col_int64(st, 3);
    row->within_1h = db_col_int64(st, 4);
    row->within_24h = db_col_int64(st, 5);
    row->later = db_col_int64(st, 6);
    row->never = row->handoffs - row->touched;
}

lb_status report_speed(lb_db *db, const lb_report_range *r, lb_speed_row_fn fn, void *ud,
                       lb_err *err)
{
    /* Per sales rep with hand-offs in the period: the hand-offs and the
     * buckets of time to first touch, from the running totals. */
    static const char sql[] =
        "SELECT u.login, sum(t.n), sum(t.touched), sum(t.w5m), sum(t.w1h), sum(t.w24h), "
        "sum(t.later) FROM (" HANDOFF_SUMS_SPLIT ") t "
        "JOIN users u ON u.login = t.login AND u.team = 'sales' "
        "GROUP BY u.login HAVING sum(t.n) > 0 ORDER BY u.login";
    /* Whether any hand-off went to someone who is not a sales rep now, and
     * whether the period holds every hand-off there is (its medians then
     * come from touch_minutes).  Two subqueries: SQLite reads a lone
     * min() or max() off the end of an index, but not the two together. */
    static const char others[] =
        "SELECT count(*) FROM (SELECT DISTINCT login FROM handoff_sums WHERE n > 0) t "
        "WHERE login NOT IN (SELECT login FROM users WHERE team = 'sales')";
    static const char outside[] =
        "SELECT count(*) FROM (SELECT (SELECT min(at) FROM handoffs) AS lo, "
        "(SELECT max(at) FROM handoffs) AS hi) t WHERE t.lo < ?1 OR t.hi >= ?2";
    lb_sla sla;
    lb_status s = sla_load(db, &sla, err);
    if (s != LB_OK)
        return s;
    day_split d;
    split_days(r, &d);
    bool yes = false;
    int64_t nothers = 0, noutside = 0;
    lb_stmt *st = db_stmt(db, others, err);
    if (!st)
        return LB_EDB;
    if ((s = db_int64(db, st, &yes, &nothers, err, "computing the speed report")) != LB_OK)
        return s;
    if (!(st = db_stmt(db, outside, err)))
        return LB_EDB;
    bind_text(st, 1, d.since);
    bind_text(st, 2, d.until);
    if ((s = db_int64(db, st, &yes, &noutside, err, "computing the speed report")) != LB_OK)
        return s;

    if (!(st = db_stmt(db, sql, err)))
        return LB_EDB;
    bind_split(st, 1, 9, &d);
    db_bind_int64(st, 7, (int64_t)sla.accept_hours * 3600);
    db_bind_int64(st, 8, (int64_t)sla.first_touch_hours * 3600);
    speed_acc *reps = NULL, all;
    size_t nreps = 0, cap = 0;
    memset(&all, 0, sizeof all);
    all.row.all = true;
    snprintf(all.row.owner, sizeof all.row.owner, "all");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (nreps == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            speed_acc *more = realloc(reps, ncap * sizeof *more);
            if (!more) {
                db_reset(st);
                free(reps);
                return lb_fail(err, LB_EDB, "out of memory");
            }
            reps = more;
            cap = ncap;
        }
        speed_acc *a = &reps[nreps++];
        memset(a, 0, sizeof *a);
        col_copy(st, 0, a->row.owner, sizeof a->row.owner);
        speed_counts(st, &a->row);
        all.row.handoffs += a->row.handoffs;
        all.row.touched += a->row.touched;
        all.row.within_5m += a->row.within_5m;
        all.row.within_1h += a->row.within_1h;
        all.row.within_24h += a->row.within_24h;
        all.row.later += a->row.later;
    }
    all.row.never = all.row.handoffs - all.row.touched;
    s = db_loop_end(db, st, rc, err, "computing the speed report");
    if (s == LB_OK && noutside == 0) {
        for (size_t i = 0; s == LB_OK && i < nreps; i++)
            s = speed_median_all_time(db, reps[i].row.owner, false, reps[i].row.touched,
                                      &reps[i].row, err);
        if (s == LB_OK)
            s = speed_median_all_time(db, NULL, nothers > 0, all.row.touched, &all.row, err);
    } else if (s == LB_OK) {
        s = speed_medians_period(db, &d, reps, nreps, &all, err);
    }
    bool stop = false;
    for (size_t i = 0; s == LB_OK && !stop && i < nreps; i++)
        stop = fn(&reps[i].row, ud) != 0;
    if (s == LB_OK && !stop)
        fn(&all.row, ud);
    for (size_t i = 0; i < nreps; i++)
        free(reps[i].secs);
    free(reps);
    free(all.secs);
    return s;
}

/* ---- marketers ---- */

lb_status report_marketers(lb_db *db, const lb_report_range *r, lb_marketer_row_fn fn, void *ud,
                           lb_err *err)
{
    /* The leads each marketer created in the period, from the running
     * totals. */
    static const char sql[] =
        "SELECT m.login, sum(t.n), sum(t.r1), sum(t.r2), sum(t.rejected), sum(t.rated), "
        "sum(t.stars), sum(t.won), sum(t.revenue) FROM (" LEAD_SUMS_SPLIT ") t "
        "JOIN users m ON m.id = t.marketer_id GROUP BY m.login HAVING sum(t.n) > 0 "
        "ORDER BY m.login";
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    day_split d;
    split_days(r, &d);
    bind_split(st, 1, 3, &d);
    int rc;
    lb_marketer_row row;
    while ((rc = db_step(st)) == DB_ROW) {
        memset(&row, 0, sizeof row);
        col_copy(st, 0, row.marketer, sizeof row.marketer);
        row.leads = db_col_int64(st, 1);
        row.handed_off = db_col_int64(st, 2);
        row.accepted = db_col_int64(st, 3);
        row.rejected = db_col_int64(st, 4);
        row.rated = db_col_int64(st, 5);
        row.stars_sum = db_col_int64(st, 6);
        row.won = db_col_int64(st, 7);
        row.revenue = db_col_int64(st, 8);
        row.rejection_rate = report_ratio(row.rejected, row.handed_off);
        row.avg_rating = report_ratio(row.stars_sum, row.rated);
        if (fn(&row, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "computing the marketers report");
}

int64_t report_rejection_alarm(lb_db *db)
{
    char buf[32];
    int64_t v = 30;
    if (setting_get(db, "alarm.rejection_rate", buf, sizeof buf, NULL) == LB_OK) {
        /* "0.30" or "0.3": hundredths */
        const char *p = buf;
        int64_t whole = 0, frac = 0, digits = 0;
        while (*p >= '0' && *p <= '9')
            whole = whole * 10 + (*p++ - '0');
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
                frac = frac * 10 + (*p - '0');
        if (digits == 1)
            frac *= 10;
        v = whole * 100 + frac;
    }
    return v;
}

/* ---- standup ---- */

#define STANDUP_LEAD_COLS "l.id, l.name, coalesce(o.login, ''), coalesce(m.login, ''), l.value "
#define STANDUP_PEOPLE                                                                             \
    "LEFT JOIN users o ON o.id = l.owner_id LEFT JOIN users m ON m.id = l.marketer_id "

static void standup_lead(lb_stmt *st, lb_standup_row *row, lb_standup_section section)
{
    memset(row, 0, offsetof(lb_standup_row, text));
    row->text[0] = row->detail[0] = '\0';
    row->section = section;
    row->lead_id = db_col_int64(st, 0);
    col_copy(st, 1, row->lead, sizeof row->lead);
    col_copy(st, 2, row->owner, sizeof row->owner);
    col_copy(st, 3, row->marketer, sizeof row->marketer);
    row->has_value = db_col_type(st, 4) != DB_NULL;
    row->value = db_col_int64(st, 4);
}

/* The state now: awaiting acceptance, overdue follow-ups, stale leads.  ?1
 * is sla_cuts()'s due cut for the overdue section and its stale cut for the
 * stale one (the !DUE and !STALE badges' own rule); column 5 is the time the
 * section's age or date counts from. */
static lb_status standup_state(lb_db *db, const lb_report_range *r, lb_standup_row *row,
                               lb_standup_row_fn fn, void *ud, bool *stop, lb_err *err)
{
    static const char awaiting[] =
        "SELECT " STANDUP_LEAD_COLS
        ", coalesce(l.handed_off_at, l.stage_at) FROM leads l " STANDUP_PEOPLE
        "WHERE l.stage = 'handed_off' ORDER BY coalesce(o.login, ''), 6, l.id";
    /* each person's longest waiting, most overdue and stalest first */
    static const char overdue[] =
        "SELECT " STANDUP_LEAD_COLS ", l.next_due_at FROM leads l " STANDUP_PEOPLE
        "WHERE " DB_SLA_DUE("1") " "
        "ORDER BY coalesce(o.login, ''), 6, l.id";
    static const char stale[] =
        "SELECT " STANDUP_LEAD_COLS ", coalesce(l.last_touch_at, l.accepted_at, l.stage_at) "
        "FROM leads l " STANDUP_PEOPLE "WHERE " DB_SLA_STALE("1") " "
        "ORDER BY coalesce(o.login, ''), 6, l.id";
    static const char *const sql[] = {awaiting, overdue, stale};
    lb_sla sla;
    lb_sla_cuts cut;
    lb_status s = sla_load(db, &sla, err);
    if (s != LB_OK)
        return s;
    sla_cuts(&sla, r->now, &cut);

    for (int k = 0; k < 3 && !*stop; k++) {
        lb_stmt *st = db_stmt(db, sql[k], err);
        if (!st)
            return LB_EDB;
        if (k == 1)
            bind_text(st, 1, cut.due_iso);
        else if (k == 2)
            bind_text(st, 1, cut.stale_iso);
        int rc;
        while ((rc = db_step(st)) == DB_ROW) {
            standup_lead(st, row, (lb_standup_section)(STANDUP_AWAITING + k));
            col_copy(st, 5, row->at, sizeof row->at);
            lb_time t;
            if (k != 1 && time_parse(row->at, &t, NULL) == LB_OK)
                row->age = r->now - t;
            standup_detail_format(row);
            if ((*stop = fn(row, ud) != 0))
                break;
        }
        if ((s = db_loop_end(db, st, rc, err, "computing the stand-up")) != LB_OK)
            return s;
    }
    return LB_OK;
}

/* Runs one section's statement: binds the period (?1, ?2) or now (?1),
 * reads each row with `read` and hands it on. */
typedef void (*standup_read_fn)(lb_stmt *st, lb_standup_row *row, int arg);

static lb_status standup_query(lb_db *db, const lb_report_range *r, const char *sql, bool period,
                               int arg, lb_standup_section section, standup_read_fn read,
                               lb_standup_row *row, lb_standup_row_fn fn, void *ud, bool *stop,
                               lb_err *err)
{
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    if (period)
        bind_range(st, r);
    else
        bind_text(st, 1, r->now_iso);
    if (db_param_count(st) >= 3)
        db_bind_int(st, 3, arg);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        standup_lead(st, row, section);
        col_copy(st, 5, row->at, sizeof row->at);
        read(st, row, arg);
        standup_detail_format(row);
        if ((*stop = fn(row, ud) != 0))
            break;
    }
    return db_loop_end(db, st, rc, err, "computing the stand-up");
}

static void read_revisit(lb_stmt *st, lb_standup_row *row, int arg)
{
    (void)arg;
    col_copy(st, 6, row->text, sizeof row->text); /* why it was recycled */
}

static void read_call(lb_stmt *st, lb_standup_row *row, int arg)
{
    (void)arg;
    col_copy(st, 6, row->owner, sizeof row->owner); /* who logged it */
    col_copy(st, 7, row->reasons, sizeof row->reasons); /* "call connected" */
    col_copy(st, 8, row->text, sizeof row->text);
}

static void read_move(lb_stmt *st, lb_standup_row *row, int arg)
{
    (void)arg;
    static const lb_standup_section secs[] = {STANDUP_MOVED, STANDUP_WON, STANDUP_LOST};
    int sec = db_col_int(st, 9);
    row->section = secs[sec >= 0 && sec <= 2 ? sec : 0];
    row->from = col_stage(st, 6);
    row->to = col_stage(st, 7);
    col_copy(st, 8, row->text, sizeof row->text);
}

static void read_feedback(lb_stmt *st, lb_standup_row *row, int arg)
{
    row->stars = db_col_int(st, 6);
    col_copy(st, 7, row->reasons, sizeof row->reasons);
    col_copy(st, 8, row->text, sizeof row->text);
    if (arg) /* a rejection: the rep who rejected it is the one to discuss */
        col_copy(st, 9, row->owner, sizeof row->owner);
}

static const char standup_revisit_sql[] =
    "SELECT " STANDUP_LEAD_COLS ", l.revisit_at, l.reason FROM leads l " STANDUP_PEOPLE
    "WHERE l.revisit_at IS NOT NULL AND l.revisit_at <= ?1 AND l.stage = 'nurture' "
    "ORDER BY coalesce(m.login, ''), l.id";
static const char standup_calls_sql[] =
    "SELECT " STANDUP_LEAD_COLS ", f.created_at, coalesce(u.login, ''), "
    "f.kind || ' ' || f.outcome, f.note FROM followups f INDEXED BY followups_created "
    "JOIN leads l ON l.id = f.lead_id " STANDUP_PEOPLE "LEFT JOIN users u ON u.id = f.user_id "
    "WHERE f.created_at >= ?1 AND f.created_at < ?2 AND f.undone_at IS NULL "
    "ORDER BY coalesce(u.login, ''), l.id, f.id";
/* ?3: 0 the moves within the pipeline, 1 the wins and losses. */
static const char standup_moves_sql[] =
    "SELECT " STANDUP_LEAD_COLS ", e.at, e.old_value, e.new_value, e.note, "
    "CASE e.new_value WHEN 'won' THEN 1 WHEN 'lost' THEN 2 ELSE 0 END AS sec "
    "FROM events e JOIN leads l ON l.id = e.lead_id " STANDUP_PEOPLE
    "WHERE e.at >= ?1 AND e.at < ?2 AND e.action IN ('move', 'accept') "
    "AND e.id NOT IN (SELECT event_id FROM events_undone) "
    "AND (coalesce(e.new_value, '') IN ('won', 'lost')) = ?3 "
    "ORDER BY sec, coalesce(o.login, ''), l.id, e.id";
/* ?3: 0 ratings, 1 rejections. */
static const char standup_feedback_sql[] =
    "SELECT " STANDUP_LEAD_COLS ", r.created_at, coalesce(r.stars, 0), r.reasons, r.comment, "
    "coalesce(u.login, '') FROM ratings r JOIN leads l ON l.id = r.lead_id " STANDUP_PEOPLE
    "LEFT JOIN users u ON u.id = r.user_id "
    "WHERE r.created_at >= ?1 AND r.created_at < ?2 AND (r.kind = 'rejection') = ?3 "
    "AND r.undone_at IS NULL "
    "ORDER BY CASE WHEN ?3 THEN coalesce(u.login, '') ELSE coalesce(o.login, '') END, l.id, r.id";

/* The stand-up's sections after the first three, in order: one line each,
 * so a new section is one more line (and its name in core/report.c). */
static const struct {
    lb_standup_section section;
    const char *sql; /* NULL: a function of its own */
    bool period;
    int arg;
    standup_read_fn read;
} standup_parts[] = {
    {STANDUP_OVER_WIP, NULL, false, 0, NULL},
    {STANDUP_REVISIT, standup_revisit_sql, false, 0, read_revisit},
    {STANDUP_CALLS, standup_calls_sql, true, 0, read_call},
    {STANDUP_MOVED, standup_moves_sql, true, 0, read_move},
    {STANDUP_REJECTED, standup_feedback_sql, true, 1, read_feedback},
    {STANDUP_WON, standup_moves_sql, true, 1, read_move}, /* won, then lost */
    {STANDUP_FEEDBACK, standup_feedback_sql, true, 0, read_feedback},
};

lb_status report_standup(lb_db *db, const lb_report_range *r, lb_standup_row_fn fn, void *ud,
                         lb_err *err)
{
    bool stop = false;
    lb_standup_row *row = malloc(sizeof *row);
    if (!row)
        return lb_fail(err, LB_EDB, "out of memory");

    lb_status s = standup_state(db, r, row, fn, ud, &stop, err);
    for (size_t i = 0; s == LB_OK && !stop && i < sizeof standup_parts / sizeof standup_parts[0];
         i++) {
        if (standup_parts[i].section == STANDUP_OVER_WIP)
            s = standup_over_wip(db, row, fn, ud, &stop, err);
        else
            s = standup_query(db, r, standup_parts[i].sql, standup_parts[i].period,
                              standup_parts[i].arg, standup_parts[i].section,
                              standup_parts[i].read, row, fn, ud, &stop, err);
    }
    free(row);
    return s;
}

/* ---- goals ---- */

static int goal_order(const void *a, const void *b)
{
    const lb_goal_row *x = a, *y = b;
    /* By end, so a quarter comes right after its last month. */
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    if (x->start != y->start)
        return x->start > y->start ? -1 : 1;
    return strcmp(x->period, y->period);
}

lb_status report_goals(lb_db *db, const lb_report_range *r, lb_goal_row_fn fn, void *ud,
                       lb_err *err)
{
    static const char goals[] = "SELECT period, revenue_target, wins_target FROM goals";
    /* Named, because sampled statistics can make the planner prefer
     * leads_stage and read every won lead's row. */
    static const char won[] = "SELECT count(*), coalesce(sum(coalesce(value, 0)), 0) FROM leads "
                              "INDEXED BY leads_won "
                              "WHERE stage = 'won' AND closed_at >= ?1 AND closed_at < ?2";
    lb_goal_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;

    /* Goals are a handful (one per month or quarter): they are read whole to
     * put them in time order, which their text does not sort in. */
    lb_stmt *st = db_stmt(db, goals, err);
    if (!st)
        return LB_EDB;
    while ((rc = db_step(st)) == DB_ROW) {
        lb_goal_row g;
        memset(&g, 0, sizeof g);
        col_copy(st, 0, g.period, sizeof g.period);
        if (period_parse(g.period, &g.start, &g.end, NULL) != LB_OK)
            continue;
        char start[LB_TIME_BUF], end[LB_TIME_BUF];
        time_format(g.start, start);
        time_format(g.end, end);
        if ((r->since[0] && strcmp(end, r->since) <= 0) ||
            (r->until[0] && strcmp(start, r->until) >= 0))
            continue;
        g.revenue_target = db_col_int64(st, 1);
        g.has_wins_target = db_col_type(st, 2) != DB_NULL;
        g.wins_target = db_col_int64(st, 2);
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            lb_goal_row *more = realloc(rows, ncap * sizeof *rows);
            if (!more) {
                db_reset(st);
                free(rows);
                return lb_fail(err, LB_EDB, "out of memory");
            }
            rows = more;
            cap = ncap;
        }
        rows[n++] = g;
    }
    lb_status s = db_loop_end(db, st, rc, err, "reading the goals");
    if (s == LB_OK && n > 1)
        qsort(rows, n, sizeof *rows, goal_order);

    for (size_t i = 0; s == LB_OK && i < n; i++) {
        char start[LB_TIME_BUF], end[LB_TIME_BUF];
        time_format(rows[i].start, start);
        time_format(rows[i].end, end);
        if (!(st = db_stmt(db, won, err))) {
            s = LB_EDB;
            break;
        }
        bind_text(st, 1, start);
        bind_text(st, 2, end);
        if ((rc = db_step(st)) == DB_ROW) {
            rows[i].wins = db_col_int64(st, 0);
            rows[i].revenue_won = db_col_int64(st, 1);
        }
        if ((s = db_loop_end(db, st, rc, err, "computing the goals")) != LB_OK)
            break;
        if (fn(&rows[i], ud))
            break;
    }
    free(rows);
    return s;
}
