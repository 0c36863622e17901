#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/actions.h"
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
#define STAGE_EVENT(e) e ".action IN ('handoff', 'accept', 'reject', 'move')"

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

/* ---- funnel ---- */

lb_status report_funnel(lb_db *db, const lb_report_range *r, lb_funnel_row rows[REPORT_FUNNEL_ROWS],
                        lb_err *err)
{
    /* Leads per furthest rank; reached is the count at that rank or later. */
    /* Grouped first in the order of the leads_report index, so that the
     * leads are counted without sorting them. */
    static const char all_time[] =
        "SELECT furthest, sum(n) FROM (SELECT campaign_id, furthest, count(*) AS n FROM leads "
        "GROUP BY campaign_id, furthest) GROUP BY furthest";
    static const char period[] =
        "SELECT rk, count(*) FROM (SELECT " RANK_BEFORE_UNTIL " AS rk "
        "FROM leads l WHERE l.created_at >= ?1 AND l.created_at < ?2 " NO_FLATTEN ") "
        "GROUP BY rk";
    int64_t at_rank[REPORT_FUNNEL_ROWS] = {0};
    lb_stmt *st = db_stmt(db, r->has_period ? period : all_time, err);
    if (!st)
        return LB_EDB;
    if (r->has_period)
        bind_range(st, r);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
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
 * rejected, rated, stars (their sum), won, revenue.
 *
 * All time, the leads are first counted per distinct (campaign, furthest,
 * rejections, stars, stage): that grouping follows the leads_report index,
 * so a big board is read in one pass over narrow entries with two
 * aggregates per lead, and the few groups are added up after. */
// clang-format off
#define CAMPAIGN_SUMS_ALL_TIME                                                                     \
    "SELECT campaign_id, sum(n) AS n, sum(CASE WHEN furthest >= 1 THEN n ELSE 0 END) AS ho, "      \
    "sum(CASE WHEN furthest >= 2 THEN n ELSE 0 END) AS ac, "                                       \
    "sum(CASE WHEN rejections > 0 THEN n ELSE 0 END) AS rj, "                                      \
    "sum(CASE WHEN stars IS NOT NULL THEN n ELSE 0 END) AS rated, sum(stars * n) AS stars, "       \
    "sum(CASE WHEN stage = 'won' THEN n ELSE 0 END) AS won, "                                      \
    "sum(CASE WHEN stage = 'won' THEN v ELSE 0 END) AS revenue "                                   \
    "FROM (SELECT campaign_id, furthest, rejections, stars, stage, count(*) AS n, "                \
    "coalesce(sum(value), 0) AS v FROM leads "                                                     \
    "GROUP BY campaign_id, furthest, rejections, stars, stage) GROUP BY campaign_id"
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
    static const char all_time[] = CAMPAIGN_REPORT(CAMPAIGN_SUMS_ALL_TIME);
    static const char period[] = CAMPAIGN_REPORT(CAMPAIGN_SUMS_PERIOD);
    lb_campaign_row row;
    int rc;

    lb_stmt *st = db_stmt(db, r->has_period ? period : all_time, err);
    if (!st)
        return LB_EDB;
    if (r->has_period)
        bind_range(st, r);
    while ((rc = db_step(st)) == DB_ROW) {
        campaign_report_row(st, &row);
        if (fn(&row, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "computing the campaigns report");
}

/* ---- sla ---- */

/* Per hand-off in the period (?1, ?2): the rep's login, and whether it was
 * accepted within ?7 seconds and first touched within ?8 seconds, each
 * before the lead's next hand-off (nx, at nxat).  Events are ordered by id
 * (the order they were written, even within one second); follow-ups by time.
 *
 * For a big board: the hand-offs are read from events_handoff, in lead order
 * (the "+" keeps the planner off any time index), so the lookups of each
 * lead's events and follow-ups walk their indexes forward instead of
 * jumping around; and the windows are compared as julianday differences
 * rounded to whole seconds, several times cheaper than strftime. */
// clang-format off
#define SLA_HANDOFFS                                                                               \
    "SELECT h.new_value AS login, "                                                                \
    "(round((julianday(h.acc_at) - julianday(h.at)) * 86400) <= ?7) IS TRUE AS acc, "              \
    "(round((julianday(h.touch_at) - julianday(h.at)) * 86400) <= ?8) IS TRUE AS touch "           \
    "FROM (SELECT h.at, h.new_value, "                                                             \
    "(SELECT a.at FROM events a WHERE " STAGE_EVENT("a") " AND a.action = 'accept' "               \
    "AND a.lead_id = h.lead_id AND a.id > h.id AND a.id < h.nx ORDER BY a.id LIMIT 1) AS acc_at, " \
    "(SELECT min(f.created_at) FROM followups f WHERE f.lead_id = h.lead_id "                      \
    "AND f.created_at >= h.at AND f.created_at < h.nxat AND f.undone_at IS NULL) AS touch_at "     \
    "FROM (SELECT h.id, h.lead_id, h.at, h.new_value, "                                            \
    "coalesce(n.id, 9223372036854775807) AS nx, coalesce(n.at, '" TIME_END "') AS nxat "           \
    "FROM events h LEFT JOIN events n ON n.id = (SELECT min(x.id) FROM events x "                  \
    "WHERE " STAGE_EVENT("x") " AND x.action = 'handoff' AND x.lead_id = h.lead_id "               \
    "AND x.id > h.id) "                                                                            \
    "WHERE " STAGE_EVENT("h") " AND h.action = 'handoff' AND +h.at >= ?1 AND +h.at < ?2) h) h"
// clang-format on

/* Per owner, the leads that sla_state() would flag at now: ?3 is now minus
 * the accept window, ?4 now minus the first-touch window, ?5 now, ?6 now
 * minus stale_days.  Stored times are whole seconds, so "now > t + window"
 * is "t < now - window".  One pass over the open leads for every rep (the
 * per-rep lookups through leads_owner cost twice as much at a million). */
#define SLA_OVERDUE                                                                                \
    "SELECT l.owner_id, count(*) AS n FROM leads l NOT INDEXED WHERE (l.stage = 'handed_off' "     \
    "OR l.stage IN " DB_WORKING_STAGES ") AND ("                                               \
    "(l.stage = 'handed_off' AND l.handed_off_at < ?3) "                                           \
    "OR (l.first_touch_at IS NULL AND l.handed_off_at < ?4) "                                      \
    "OR (l.stage <> 'handed_off' AND (l.next_due_at < ?5 "                                         \
    "OR coalesce(l.last_touch_at, l.accepted_at, l.stage_at) < ?6))) GROUP BY l.owner_id"

lb_status report_sla(lb_db *db, const lb_report_range *r, lb_sla_row_fn fn, void *ud, lb_err *err)
{
    static const char sql[] =
        "SELECT u.id, u.login, coalesce(h.n, 0), coalesce(h.acc, 0), coalesce(h.touch, 0), "
        "coalesce(o.n, 0) "
        "FROM users u LEFT JOIN (SELECT login, count(*) AS n, sum(acc) AS acc, "
        "sum(touch) AS touch FROM (" SLA_HANDOFFS ") GROUP BY login) h "
        "ON h.login = u.login LEFT JOIN (" SLA_OVERDUE ") o ON o.owner_id = u.id "
        "WHERE u.team = 'sales' ORDER BY u.login";
    lb_sla sla;
    lb_status s = sla_load(db, &sla, err);
    if (s != LB_OK)
        return s;
    char accept_cut[LB_TIME_BUF], touch_cut[LB_TIME_BUF], stale_cut[LB_TIME_BUF];
    time_format(r->now - (lb_time)sla.accept_hours * 3600, accept_cut);
    time_format(r->now - (lb_time)sla.first_touch_hours * 3600, touch_cut);
    time_format(r->now - (lb_time)sla.stale_days * 86400, stale_cut);

    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    bind_range(st, r);
    bind_text(st, 3, accept_cut);
    bind_text(st, 4, touch_cut);
    bind_text(st, 5, r->now_iso);
    bind_text(st, 6, stale_cut);
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

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts v (n) and fills the row's buckets and median from it. */
static void speed_fill(lb_speed_row *row, int64_t *v, size_t n)
{
    if (n) /* qsort wants an array even for none */
        qsort(v, n, sizeof *v, cmp_i64);
    row->touched = (int64_t)n;
    row->never = row->handoffs - row->touched;
    for (size_t i = 0; i < n; i++) {
        if (v[i] <= 300)
            row->within_5m++;
        else if (v[i] <= 3600)
            row->within_1h++;
        else if (v[i] <= 86400)
            row->within_24h++;
        else
            row->later++;
    }
    row->has_median = n > 0;
    row->median_minutes = report_median_minutes(v, n);
}

lb_status report_speed(lb_db *db, const lb_report_range *r, lb_speed_row_fn fn, void *ud,
                       lb_err *err)
{
    /* Per hand-off: the rep and the seconds to the first touch (NULL:
     * none), the same windows as the SLA report's. */
    static const char sql[] =
        "SELECT h.new_value, round((julianday(h.touch_at) - julianday(h.at)) * 86400) "
        "FROM (SELECT h.at, h.new_value, "
        "(SELECT min(f.created_at) FROM followups f WHERE f.lead_id = h.lead_id "
        "AND f.created_at >= h.at AND f.created_at < h.nxat AND f.undone_at IS NULL) AS touch_at "
        "FROM (SELECT h.id, h.lead_id, h.at, h.new_value, "
        "coalesce(n.at, '" TIME_END "') AS nxat "
        "FROM events h LEFT JOIN events n ON n.id = (SELECT min(x.id) FROM events x "
        "WHERE " STAGE_EVENT("x") " AND x.action = 'handoff' AND x.lead_id = h.lead_id "
        "AND x.id > h.id) "
        "WHERE " STAGE_EVENT("h") " AND h.action = 'handoff' AND +h.at >= ?1 AND +h.at < ?2) h) h "
        "JOIN users u ON u.login = h.new_value AND u.team = 'sales' "
        "ORDER BY h.new_value";
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    bind_range(st, r);
    int64_t *all = NULL, *mine = NULL;
    size_t nall = 0, capall = 0, nmine = 0, capmine = 0;
    lb_speed_row row, total;
    memset(&row, 0, sizeof row);
    memset(&total, 0, sizeof total);
    total.all = true;
    snprintf(total.owner, sizeof total.owner, "all");
    bool stop = false, oom = false;
    int rc;
    while (!stop && (rc = db_step(st)) == DB_ROW) {
        const char *login = (const char *)db_col_text(st, 0);
        if (row.handoffs && strcmp(row.owner, login ? login : "") != 0) {
            speed_fill(&row, mine, nmine);
            stop = fn(&row, ud) != 0;
            memset(&row, 0, sizeof row);
            nmine = 0;
        }
        if (!row.handoffs)
            col_copy(st, 0, row.owner, sizeof row.owner);
        row.handoffs++;
        total.handoffs++;
        if (db_col_type(st, 1) != DB_NULL) {
            int64_t secs = db_col_int64(st, 1);
            if (nmine == capmine || nall == capall) {
                size_t cm = capmine ? capmine * 2 : 256, ca = capall ? capall * 2 : 256;
                int64_t *pm = nmine == capmine ? realloc(mine, cm * sizeof *pm) : mine;
                if (pm)
                    mine = pm, capmine = nmine == capmine ? cm : capmine;
                int64_t *pa = nall == capall ? realloc(all, ca * sizeof *pa) : all;
                if (pa)
                    all = pa, capall = nall == capall ? ca : capall;
                if (!pm || !pa) {
                    oom = true;
                    break;
                }
            }
            mine[nmine++] = secs;
            all[nall++] = secs;
        }
    }
    lb_status s = oom ? (db_reset(st), lb_fail(err, LB_EDB, "out of memory"))
                      : db_loop_end(db, st, stop ? DB_ROW : rc, err,
                                    "computing the speed report");
    if (s == LB_OK && !stop && row.handoffs) {
        speed_fill(&row, mine, nmine);
        stop = fn(&row, ud) != 0;
    }
    if (s == LB_OK && !stop) {
        speed_fill(&total, all, nall);
        fn(&total, ud);
    }
    free(mine);
    free(all);
    return s;
}

/* ---- marketers ---- */

lb_status report_marketers(lb_db *db, const lb_report_range *r, lb_marketer_row_fn fn, void *ud,
                           lb_err *err)
{
    static const char sql[] =
        "SELECT m.login, count(*), sum(l.furthest >= 1), sum(l.furthest >= 2), "
        "sum(l.rejections > 0), count(l.stars), coalesce(sum(l.stars), 0), "
        "sum(l.stage = 'won'), coalesce(sum(CASE WHEN l.stage = 'won' THEN l.value END), 0) "
        "FROM leads l JOIN users m ON m.id = l.marketer_id "
        "WHERE l.created_at >= ?1 AND l.created_at < ?2 GROUP BY m.login ORDER BY m.login";
    lb_stmt *st = db_stmt(db, sql, err);
    if (!st)
        return LB_EDB;
    bind_range(st, r);
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
 * is now for the overdue section and now minus stale_days for the stale one;
 * column 5 is the time the section's age or date counts from. */
static lb_status standup_state(lb_db *db, const lb_report_range *r, lb_standup_row *row,
                               lb_standup_row_fn fn, void *ud, bool *stop, lb_err *err)
{
    static const char awaiting[] =
        "SELECT " STANDUP_LEAD_COLS
        ", coalesce(l.handed_off_at, l.stage_at) FROM leads l " STANDUP_PEOPLE
        "WHERE l.stage = 'handed_off' ORDER BY coalesce(o.login, ''), l.id";
    static const char overdue[] =
        "SELECT " STANDUP_LEAD_COLS ", l.next_due_at FROM leads l " STANDUP_PEOPLE
        "WHERE l.stage IN " DB_WORKING_STAGES " AND l.next_due_at < ?1 "
        "ORDER BY coalesce(o.login, ''), l.id";
    static const char stale[] =
        "SELECT " STANDUP_LEAD_COLS ", coalesce(l.last_touch_at, l.accepted_at, l.stage_at) "
        "FROM leads l " STANDUP_PEOPLE "WHERE l.stage IN " DB_WORKING_STAGES
        " AND coalesce(l.last_touch_at, l.accepted_at, l.stage_at) < ?1 "
        "ORDER BY coalesce(o.login, ''), l.id";
    static const char *const sql[] = {awaiting, overdue, stale};
    lb_sla sla;
    lb_status s = sla_load(db, &sla, err);
    if (s != LB_OK)
        return s;
    char stale_cut[LB_TIME_BUF];
    time_format(r->now - (lb_time)sla.stale_days * 86400, stale_cut);

    for (int k = 0; k < 3 && !*stop; k++) {
        lb_stmt *st = db_stmt(db, sql[k], err);
        if (!st)
            return LB_EDB;
        if (k == 1)
            bind_text(st, 1, r->now_iso);
        else if (k == 2)
            bind_text(st, 1, stale_cut);
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
