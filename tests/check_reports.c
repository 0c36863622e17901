/* report.h: every report on a story built through the actions on an
 * in-memory database, with the clock (LEADBOARD_NOW) placed for each step.
 * The expected numbers are worked out by hand from the definitions in
 * report.h, next to each expectation; also the reports' arithmetic. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/actions.h"
#include "leadboard/db.h"
#include "leadboard/report.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

static lb_db *db;
static lb_ctx ctx;
static lb_err err;

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

/* Acts as login at time iso ("2026-11-02T10:00"). */
static void at(const char *iso, const char *login)
{
    lb_err e;
    setenv("LEADBOARD_NOW", iso, 1);
    lb_err_clear(&e);
    ck_assert_msg(ctx_init(&ctx, db, login, &e) == LB_OK, "ctx_init(%s): %s", login, e.msg);
}

static lb_time t_of(const char *iso)
{
    lb_time t;
    ck_assert_msg(time_parse(iso, &t, NULL) == LB_OK, "bad time %s", iso);
    return t;
}

/* The report's range as the command line builds it. */
static lb_report_range range(const char *now, const char *since, const char *until, bool standup)
{
    lb_report_range r;
    lb_err e;
    lb_err_clear(&e);
    ck_assert_msg(report_range_init(&r, t_of(now), since, until, standup, &e) == LB_OK, "range: %s",
                  e.msg);
    return r;
}

/* ---- building through the actions ---- */

static void setup_empty(void)
{
    db = NULL;
    lb_err_clear(&err);
    unsetenv("LEADBOARD_USER");
    ck_assert_msg(test_db_open(&db, &err) == LB_OK, "db_open: %s", err.msg);
    at("2026-11-01T08:00", "max");
    CHECK_OK(act_user_add(&ctx, "max", "manager", "Max", &err));
    at("2026-11-01T08:00", "max");
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", "Mia", &err));
    CHECK_OK(act_user_add(&ctx, "ola", "sales", "Ola", &err)); /* never handed anything */
    CHECK_OK(act_user_add(&ctx, "sam", "sales", "Sam", &err));
    CHECK_OK(act_user_add(&ctx, "sue", "sales", "Sue", &err));
    CHECK_OK(act_user_add(&ctx, "zed", "sales", "Zed", &err));
}

static void teardown(void)
{
    if (db)
        db_close(db);
    db = NULL;
    unsetenv("LEADBOARD_NOW");
}

static void campaign(const char *name, const char *channel, const char *cost)
{
    lb_campaign_input in = {name, channel, cost, NULL, NULL};
    at("2026-11-01T08:00", "mia");
    CHECK_OK(act_campaign_add(&ctx, &in, NULL, &err));
}

static int64_t lead(const char *when, const char *name, const char *campaign_name,
                    const char *value)
{
    lb_lead_input in = {.name = name, .campaign = campaign_name, .value = value};
    int64_t id = 0;
    at(when, "mia");
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    return id;
}

static void handoff(const char *when, int64_t id, const char *to)
{
    at(when, "mia");
    CHECK_OK(act_handoff(&ctx, id, to, NULL, 0, &err));
}

static void accept_(const char *when, const char *who, int64_t id)
{
    at(when, who);
    CHECK_OK(act_accept(&ctx, id, 0, &err));
}

static void reject(const char *when, const char *who, int64_t id, const char *reason)
{
    at(when, who);
    CHECK_OK(act_reject(&ctx, id, reason, 0, &err));
}

static void move(const char *when, const char *who, int64_t id, lb_stage to, const char *reason)
{
    at(when, who);
    CHECK_OK(act_move(&ctx, id, to, NULL, reason, 0, &err));
}

static void log_(const char *when, const char *who, int64_t id, lb_outcome outcome, const char *due)
{
    lb_followup_input in = {KIND_CALL, outcome, NULL, NULL, due, NULL, 0};
    at(when, who);
    CHECK_OK(act_log(&ctx, id, &in, NULL, NULL, &err));
}

static void rate(const char *when, const char *who, int64_t id, int stars, const char *reasons,
                 const char *comment)
{
    const char *r[] = {reasons};
    at(when, who);
    CHECK_OK(act_rate(&ctx, id, stars, r, reasons ? 1 : 0, comment, NULL, &err));
}

/* The story every expectation below is worked out from (all 2026, UTC).
 *
 * Users: max manager, mia marketing; sales ola, sam, sue, zed.
 * Campaigns: Expo (event, 1000.00), Webinar (webinar, 0), Empty (email,
 * 500.00, never gets a lead).
 *
 *   L1 Ann  Expo     5000  created 11-02 09:00
 *   L2 Bob  Expo     2000  created 11-02 09:01
 *   L3 Cat  Expo     -     created 11-02 09:02
 *   L4 Dan  Webinar  1000  created 11-02 09:03
 *   L5 Eve  (none)   -     created 11-02 09:04
 *   L6 Fay  Webinar  300   created 11-10 09:00
 *   L7 Gus  (none)   700   created 11-10 09:01
 *
 * Then, in time order, the steps of story_setup.  Where the leads end:
 *   L1 won 11-20 10:00 (sam), furthest won, stars 4 then 5
 *   L2 rejected by sam, handed to sue, accepted late, lost 11-20, reopened
 *      by max 11-20 19:00: accepted (sue), furthest accepted, 1 rejection,
 *      stars 2, last follow-up 11-06 11:00
 *   L3 handed_off to sue since 11-02 10:02, never accepted
 *   L4 contacted (sam), follow-up 11-03 09:40 due 11-10, furthest contacted
 *   L5 rejected twice by zed: nurture, furthest handed_off, 2 rejections
 *   L6 won 11-12 09:00 (sam), never rated
 *   L7 rejected once by sue, handed to her again 11-11 09:00, accepted
 *      11-11 10:00, moved by max to proposal on 11-20, no follow-up, stars 3
 * and the reports are read at NOW = 2026-11-21T09:00. */
#define NOW "2026-11-21T09:00"

static void story_setup(void)
{
    setup_empty();
    campaign("Expo", "event", "1000");
    campaign("Webinar", "webinar", "0");
    campaign("Empty", "email", "500");
    ck_assert_int_eq(lead("2026-11-02T09:00", "Ann", "Expo", "5000"), 1);
    ck_assert_int_eq(lead("2026-11-02T09:01", "Bob", "Expo", "2000"), 2);
    ck_assert_int_eq(lead("2026-11-02T09:02", "Cat", "Expo", NULL), 3);
    ck_assert_int_eq(lead("2026-11-02T09:03", "Dan", "Webinar", "1000"), 4);
    ck_assert_int_eq(lead("2026-11-02T09:04", "Eve", NULL, NULL), 5);

    handoff("2026-11-02T10:00", 1, "sam");
    handoff("2026-11-02T10:01", 2, "sam");
    handoff("2026-11-02T10:02", 3, "sue");
    handoff("2026-11-02T10:03", 4, "sam");
    handoff("2026-11-02T10:04", 5, "zed");
    reject("2026-11-02T10:30", "zed", 5, "wrong region");
    reject("2026-11-02T11:00", "sam", 2, "no budget");
    handoff("2026-11-02T11:05", 5, "zed");
    reject("2026-11-02T11:30", "zed", 5, "still the wrong region");
    accept_("2026-11-02T12:00", "sam", 1);
    log_("2026-11-03T09:00", "sam", 1, OUTCOME_CONNECTED, NULL); /* -> contacted */
    rate("2026-11-03T09:10", "sam", 1, 4, "fit", "good fit");
    accept_("2026-11-03T09:30", "sam", 4);
    log_("2026-11-03T09:40", "sam", 4, OUTCOME_VOICEMAIL, "2026-11-10");
    handoff("2026-11-04T10:00", 2, "sue");
    move("2026-11-05T09:00", "sam", 1, STAGE_QUALIFIED, NULL);
    accept_("2026-11-06T10:00", "sue", 2);
    log_("2026-11-06T11:00", "sue", 2, OUTCOME_NO_ANSWER, NULL);
    rate("2026-11-06T11:05", "sue", 2, 2, "budget,timing", "tight budget");

    ck_assert_int_eq(lead("2026-11-10T09:00", "Fay", "Webinar", "300"), 6);
    ck_assert_int_eq(lead("2026-11-10T09:01", "Gus", NULL, "700"), 7);
    handoff("2026-11-10T10:00", 6, "sam");
    accept_("2026-11-10T10:30", "sam", 6);
    log_("2026-11-10T11:00", "sam", 6, OUTCOME_CONNECTED, NULL); /* -> contacted */
    handoff("2026-11-10T12:00", 7, "sue");
    reject("2026-11-10T12:30", "sue", 7, "not our market");
    move("2026-11-10T13:00", "sam", 1, STAGE_PROPOSAL, NULL);
    handoff("2026-11-11T09:00", 7, "sue");
    accept_("2026-11-11T10:00", "sue", 7);
    move("2026-11-12T09:00", "sam", 6, STAGE_WON, NULL);
    move("2026-11-20T10:00", "sam", 1, STAGE_WON, NULL);
    rate("2026-11-20T10:30", "sam", 1, 5, "fit", NULL);
    move("2026-11-20T11:00", "sue", 2, STAGE_LOST, "went with a competitor");
    move("2026-11-20T16:00", "max", 7, STAGE_QUALIFIED, NULL);
    move("2026-11-20T16:30", "max", 7, STAGE_PROPOSAL, NULL);
    rate("2026-11-20T17:00", "sue", 7, 3, NULL, "slow to respond");
    move("2026-11-20T19:00", "max", 2, STAGE_ACCEPTED, NULL); /* reopened */
    move("2026-11-20T19:30", "sam", 4, STAGE_CONTACTED, NULL);
}

/* ---- reading the reports as text rows, to compare whole tables ---- */

#define MAX_ROWS 32
typedef struct {
    int n;
    char row[MAX_ROWS][256];
} table;

static void fixed(lb_fixed f, char *buf, size_t n)
{
    report_fixed_format(f, buf, n);
}

static table funnel(const lb_report_range *r)
{
    lb_funnel_row rows[REPORT_FUNNEL_ROWS];
    table t;
    memset(&t, 0, sizeof t);
    CHECK_OK(report_funnel(db, r, rows, &err));
    for (int i = 0; i < REPORT_FUNNEL_ROWS; i++) {
        char conv[32];
        fixed(rows[i].conversion, conv, sizeof conv);
        snprintf(t.row[t.n++], 256, "%s %lld %s", stage_name(rows[i].stage),
                 (long long)rows[i].reached, conv);
    }
    return t;
}

static int campaign_row(const lb_campaign_row *c, void *ud)
{
    table *t = ud;
    char cost[32], avg[32], rev[32], cpl[32], cpw[32], roi[32];
    money_format(c->cost, cost, sizeof cost);
    fixed(c->avg_rating, avg, sizeof avg);
    money_format(c->revenue, rev, sizeof rev);
    fixed(c->cost_per_lead, cpl, sizeof cpl);
    fixed(c->cost_per_win, cpw, sizeof cpw);
    fixed(c->roi, roi, sizeof roi);
    ck_assert_int_lt(t->n, MAX_ROWS);
    snprintf(t->row[t->n++], 256, "%.40s|%s|%s|%lld|%lld|%lld|%lld|%s|%lld|%s|%s|%s|%s", c->name,
             c->none ? "" : vocab_name(&lb_channels, (int)c->channel), cost, (long long)c->leads,
             (long long)c->handed_off, (long long)c->accepted, (long long)c->rejected, avg,
             (long long)c->won, rev, cpl, cpw, roi);
    return 0;
}

static table campaigns(const lb_report_range *r)
{
    table t;
    memset(&t, 0, sizeof t);
    CHECK_OK(report_campaigns(db, r, campaign_row, &t, &err));
    return t;
}

static int sla_row(const lb_sla_row *s, void *ud)
{
    table *t = ud;
    ck_assert_int_lt(t->n, MAX_ROWS);
    snprintf(t->row[t->n++], 256, "%s %lld %lld %lld %lld", s->owner, (long long)s->handoffs,
             (long long)s->accepted_in_sla, (long long)s->touched_in_sla,
             (long long)s->overdue_now);
    return 0;
}

static table sla(const lb_report_range *r)
{
    table t;
    memset(&t, 0, sizeof t);
    CHECK_OK(report_sla(db, r, sla_row, &t, &err));
    return t;
}

static int standup_row(const lb_standup_row *s, void *ud)
{
    table *t = ud;
    ck_assert_int_lt(t->n, MAX_ROWS);
    snprintf(t->row[t->n++], 256, "%s|%lld|%.40s|%.32s|%.120s", standup_section_name(s->section),
             (long long)s->lead_id, s->lead, s->owner, s->detail);
    return 0;
}

static table standup(const lb_report_range *r)
{
    table t;
    memset(&t, 0, sizeof t);
    CHECK_OK(report_standup(db, r, standup_row, &t, &err));
    return t;
}

static int goal_row(const lb_goal_row *g, void *ud)
{
    table *t = ud;
    char target[32], won[32], wins_target[24] = "";
    money_format(g->revenue_target, target, sizeof target);
    money_format(g->revenue_won, won, sizeof won);
    if (g->has_wins_target)
        snprintf(wins_target, sizeof wins_target, "%lld", (long long)g->wins_target);
    ck_assert_int_lt(t->n, MAX_ROWS);
    snprintf(t->row[t->n++], 256, "%s %s %s %s %lld", g->period, target, won, wins_target,
             (long long)g->wins);
    return 0;
}

static table goals(const lb_report_range *r)
{
    table t;
    memset(&t, 0, sizeof t);
    CHECK_OK(report_goals(db, r, goal_row, &t, &err));
    return t;
}

/* Compares a whole table with the expected rows, naming the first
 * difference. */
#define EXPECT_TABLE(t, ...)                                                                       \
    do {                                                                                           \
        static const char *const want_[] = {__VA_ARGS__};                                          \
        int nwant_ = (int)(sizeof want_ / sizeof want_[0]);                                        \
        for (int i_ = 0; i_ < nwant_ && i_ < (t).n; i_++)                                          \
            ck_assert_msg(strcmp((t).row[i_], want_[i_]) == 0, "row %d: got \"%s\", want \"%s\"",  \
                          i_, (t).row[i_], want_[i_]);                                             \
        ck_assert_msg((t).n == nwant_, "%d rows, want %d (first extra: \"%s\")", (t).n, nwant_,    \
                      (t).n > nwant_ ? (t).row[nwant_] : want_[(t).n]);                            \
    } while (0)

/* ---- arithmetic ---- */

START_TEST(test_div_round_half_away_from_zero)
{
    ck_assert_int_eq(report_div_round(1, 8, 100), 13);   /* 0.125 -> 0.13 */
    ck_assert_int_eq(report_div_round(-1, 8, 100), -13); /* -0.125 -> -0.13 */
    ck_assert_int_eq(report_div_round(1, 3, 100), 33);   /* 0.333 -> 0.33 */
    ck_assert_int_eq(report_div_round(2, 3, 100), 67);   /* 0.667 -> 0.67 */
    ck_assert_int_eq(report_div_round(5, 2, 1), 3);      /* 2.5 -> 3 */
    ck_assert_int_eq(report_div_round(-5, 2, 1), -3);
    ck_assert_int_eq(report_div_round(100000, 3, 1), 33333); /* 1000.00 / 3 = 333.33 */
    ck_assert_int_eq(report_div_round(200000, 3, 1), 66667); /* 666.666.. -> 666.67 */
    /* Large amounts do not overflow on the way: 9e16 cents * 100 would. */
    ck_assert_int_eq(report_div_round(INT64_C(90000000000000000), 3, 100),
                     INT64_C(3000000000000000000));
}
END_TEST

START_TEST(test_ratio_and_per)
{
    lb_fixed f = report_ratio(5, 7); /* 0.714 */
    ck_assert(f.has);
    ck_assert_int_eq(f.v, 71);
    f = report_ratio(3, 0);
    ck_assert(!f.has);
    f = report_per(100000, 0);
    ck_assert(!f.has);
    f = report_per(0, 2); /* a zero cost over leads is 0.00, not empty */
    ck_assert(f.has);
    ck_assert_int_eq(f.v, 0);
    f = report_ratio(-50000, 50000); /* roi of a campaign that won nothing */
    ck_assert_int_eq(f.v, -100);
}
END_TEST

START_TEST(test_fixed_format)
{
    char buf[32];
    lb_fixed a = {true, 50}, b = {true, -100}, c = {true, -5}, d = {false, 7}, e = {true, 1234567};
    report_fixed_format(a, buf, sizeof buf);
    ck_assert_str_eq(buf, "0.50");
    report_fixed_format(b, buf, sizeof buf);
    ck_assert_str_eq(buf, "-1.00");
    report_fixed_format(c, buf, sizeof buf);
    ck_assert_str_eq(buf, "-0.05");
    report_fixed_format(d, buf, sizeof buf);
    ck_assert_str_eq(buf, "");
    report_fixed_format(e, buf, sizeof buf);
    ck_assert_str_eq(buf, "12345.67");
}
END_TEST

START_TEST(test_range_all_time_and_period)
{
    lb_report_range r = range(NOW, NULL, NULL, false);
    ck_assert(!r.has_period);
    ck_assert_str_eq(r.since, "");
    ck_assert_str_eq(r.until, "");
    ck_assert_str_eq(r.now_iso, "2026-11-21T09:00:00Z");

    r = range(NOW, "2026-11-02", "2026-11-09T12:30", false);
    ck_assert(r.has_period);
    ck_assert_str_eq(r.since, "2026-11-02T00:00:00Z");
    ck_assert_str_eq(r.until, "2026-11-09T12:30:00Z");

    r = range(NOW, NULL, "2026-11-09", false); /* from the beginning */
    ck_assert(r.has_period);
    ck_assert_str_eq(r.since, "");
    ck_assert_str_eq(r.until, "2026-11-09T00:00:00Z");
}
END_TEST

START_TEST(test_range_standup_default)
{
    /* From the start of the previous working day up to and including now:
     * NOW is a Saturday, so from Friday's start. */
    lb_report_range r = range(NOW, NULL, NULL, true);
    ck_assert(r.has_period);
    ck_assert_str_eq(r.since, "2026-11-20T00:00:00Z");
    ck_assert_str_eq(r.until, "2026-11-21T09:00:01Z");
    /* --until alone: the 24 hours before it. */
    r = range(NOW, NULL, "2026-11-12T12:00", true);
    ck_assert_str_eq(r.since, "2026-11-11T12:00:00Z");
    ck_assert_str_eq(r.until, "2026-11-12T12:00:00Z");
    /* --since alone: everything from then on. */
    r = range(NOW, "2026-11-10", NULL, true);
    ck_assert_str_eq(r.since, "2026-11-10T00:00:00Z");
    ck_assert_str_eq(r.until, "");
}
END_TEST

START_TEST(test_range_bad_input)
{
    lb_report_range r;
    lb_err_clear(&err);
    ck_assert_int_eq(report_range_init(&r, t_of(NOW), "2026-13-01", NULL, false, &err), LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "--since") != NULL, "\"%s\" does not name --since", err.msg);
    lb_err_clear(&err);
    ck_assert_int_eq(report_range_init(&r, t_of(NOW), NULL, "someday", true, &err), LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "--until") != NULL, "\"%s\" does not name --until", err.msg);
    lb_err_clear(&err);
    ck_assert_int_eq(report_range_init(&r, t_of(NOW), "2026-11-09", "2026-11-09", false, &err),
                     LB_EINVAL);
    ck_assert_msg(strstr(err.msg, "before") != NULL, "\"%s\"", err.msg);
}
END_TEST

/* ---- an empty board ---- */

START_TEST(test_empty_funnel)
{
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = funnel(&r);
    /* No leads: every count 0, every conversion empty (previous is 0). */
    EXPECT_TABLE(t, "nurture 0 ", "handed_off 0 ", "accepted 0 ", "contacted 0 ", "qualified 0 ",
                 "proposal 0 ", "won 0 ");
    r = range(NOW, "2026-01-01", NULL, false);
    t = funnel(&r);
    ck_assert_str_eq(t.row[0], "nurture 0 ");
    ck_assert_str_eq(t.row[6], "won 0 ");
}
END_TEST

START_TEST(test_empty_campaigns)
{
    campaign("Zero", NULL, NULL);
    campaign("Expo", "event", "1234.5");
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = campaigns(&r);
    /* By name; no leads: averages and per-lead costs empty, no (none) row;
     * Expo's roi = (0 - 1234.50) / 1234.50 = -1.00; Zero (cost 0) has no
     * roi at all. */
    EXPECT_TABLE(t, "Expo|event|1234.50|0|0|0|0||0|0.00|||-1.00",
                 "Zero|other|0.00|0|0|0|0||0|0.00|||");
}
END_TEST

START_TEST(test_empty_sla_standup_goals)
{
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = sla(&r);
    ck_assert_int_eq(t.n, 0); /* sales users, but no hand-offs and nothing overdue */
    r = range(NOW, NULL, NULL, true);
    t = standup(&r);
    ck_assert_int_eq(t.n, 0);
    r = range(NOW, NULL, NULL, false);
    t = goals(&r);
    ck_assert_int_eq(t.n, 0);
}
END_TEST

/* ---- funnel ---- */

START_TEST(test_funnel_all_time)
{
    /* furthest: L1 won, L2 accepted, L3 handed_off, L4 contacted,
     * L5 handed_off, L6 won, L7 proposal.
     * nurture 7; handed_off 7 (7/7); accepted L1 L2 L4 L6 L7 = 5 (5/7 =
     * 0.714); contacted L1 L4 L6 L7 = 4 (4/5); qualified L1 L6 L7 = 3 (3/4);
     * proposal 3 (3/3); won L1 L6 = 2 (2/3 = 0.667). */
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = funnel(&r);
    EXPECT_TABLE(t, "nurture 7 ", "handed_off 7 1.00", "accepted 5 0.71", "contacted 4 0.80",
                 "qualified 3 0.75", "proposal 3 1.00", "won 2 0.67");
}
END_TEST

START_TEST(test_funnel_period_cohort)
{
    /* Cohort: created in [11-02, 11-09): L1-L5 (L6, L7 came on 11-10).
     * Reached before 11-09: L1 qualified (11-05), L2 accepted (11-06), L3
     * handed_off, L4 accepted (contacted only on 11-20), L5 handed_off.
     * nurture 5; handed_off 5 (1.00); accepted 3 (3/5); contacted 1 (1/3 =
     * 0.33); qualified 1 (1.00); proposal 0 (0.00); won 0 (previous 0: empty). */
    lb_report_range r = range(NOW, "2026-11-02", "2026-11-09", false);
    table t = funnel(&r);
    EXPECT_TABLE(t, "nurture 5 ", "handed_off 5 1.00", "accepted 3 0.60", "contacted 1 0.33",
                 "qualified 1 1.00", "proposal 0 0.00", "won 0 ");
}
END_TEST

START_TEST(test_funnel_until_before_the_win)
{
    /* --until 11-15: every lead (all created before), but L1 had only
     * reached proposal (won on 11-20) and L7 accepted (moved on 11-20); L6
     * won on 11-12.  Ranks: L1 5, L2 2, L3 1, L4 2, L5 1, L6 6, L7 2.
     * nurture 7; handed_off 7; accepted 5 (0.71); contacted L1 L6 = 2 (0.40);
     * qualified 2; proposal 2; won L6 = 1 (0.50). */
    lb_report_range r = range(NOW, NULL, "2026-11-15", false);
    table t = funnel(&r);
    EXPECT_TABLE(t, "nurture 7 ", "handed_off 7 1.00", "accepted 5 0.71", "contacted 2 0.40",
                 "qualified 2 1.00", "proposal 2 1.00", "won 1 0.50");
}
END_TEST

START_TEST(test_funnel_until_cuts_an_acceptance)
{
    /* --until 11-06 (midnight): cohort L1-L5; L2 was accepted at 11-06
     * 10:00, after the end, so it counts as handed_off only.
     * Ranks: L1 4, L2 1, L3 1, L4 2, L5 1: 5; 5 (1.00); L1 L4 = 2 (0.40);
     * 1 (0.50); 1 (1.00); 0 (0.00); 0 (empty). */
    lb_report_range r = range(NOW, NULL, "2026-11-06", false);
    table t = funnel(&r);
    EXPECT_TABLE(t, "nurture 5 ", "handed_off 5 1.00", "accepted 2 0.40", "contacted 1 0.50",
                 "qualified 1 1.00", "proposal 0 0.00", "won 0 ");
}
END_TEST

START_TEST(test_funnel_since_only)
{
    /* --since 11-10: cohort L6 (won) and L7 (proposal), to the end of time.
     * 2; 2; 2; 2; 2; 2; 1 (0.50). */
    lb_report_range r = range(NOW, "2026-11-10", NULL, false);
    table t = funnel(&r);
    EXPECT_TABLE(t, "nurture 2 ", "handed_off 2 1.00", "accepted 2 1.00", "contacted 2 1.00",
                 "qualified 2 1.00", "proposal 2 1.00", "won 1 0.50");
}
END_TEST

START_TEST(test_funnel_unbounded_period_matches_all_time)
{
    /* The audit log and leads.furthest tell the same story. */
    lb_report_range all = range(NOW, NULL, NULL, false);
    lb_report_range wide = range(NOW, "2000-01-01", "2100-01-01", false);
    table a = funnel(&all), b = funnel(&wide);
    ck_assert_int_eq(a.n, b.n);
    for (int i = 0; i < a.n; i++)
        ck_assert_str_eq(a.row[i], b.row[i]);
}
END_TEST

/* ---- campaigns ---- */

START_TEST(test_campaigns_all_time)
{
    /* Empty: no leads; roi = (0 - 500) / 500 = -1.00; the rest empty.
     * Expo: L1 L2 L3; handed off all 3; accepted L1 L2; rejected L2; ratings
     * L1 (latest 5, not the earlier 4) and L2 (2): 3.50; won L1 5000.00;
     * cost per lead 1000 / 3 = 333.33; per win 1000.00; roi (5000 - 1000) /
     * 1000 = 4.00.
     * Webinar (cost 0): L4 L6, both accepted, none rated; won L6 300.00; cost
     * per lead and per win 0.00; roi empty (cost 0).
     * (none): L5 (rejected twice: counted once) and L7 (rejected, then
     * accepted); rated L7 3; cost 0. */
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = campaigns(&r);
    EXPECT_TABLE(t, "Empty|email|500.00|0|0|0|0||0|0.00|||-1.00",
                 "Expo|event|1000.00|3|3|2|1|3.50|1|5000.00|333.33|1000.00|4.00",
                 "Webinar|webinar|0.00|2|2|2|0||1|300.00|0.00|0.00|",
                 "(none)||0.00|2|2|1|2|3.00|0|0.00|0.00||");
}
END_TEST

START_TEST(test_campaigns_period)
{
    /* Leads created in [11-02, 11-09): Expo L1 L2 L3, Webinar L4, (none) L5.
     * Expo: L1 won only on 11-20, so no win and no revenue: roi -1.00, cost
     * per win empty; L2's acceptance (11-06) and rejection (11-02) count.
     * Webinar: L4 alone, accepted on 11-03. */
    lb_report_range r = range(NOW, "2026-11-02", "2026-11-09", false);
    table t = campaigns(&r);
    EXPECT_TABLE(t, "Empty|email|500.00|0|0|0|0||0|0.00|||-1.00",
                 "Expo|event|1000.00|3|3|2|1|3.50|0|0.00|333.33||-1.00",
                 "Webinar|webinar|0.00|1|1|1|0||0|0.00|0.00||",
                 "(none)||0.00|1|1|0|1||0|0.00|0.00||");
}
END_TEST

START_TEST(test_campaigns_until_cuts_through_history)
{
    /* --until 11-10 12:15: all seven leads; L7 was handed off (12:00) but not
     * yet rejected (12:30) nor accepted; L6 accepted (10:30) but not yet won
     * (11-12); L1 not won. */
    lb_report_range r = range(NOW, NULL, "2026-11-10T12:15", false);
    table t = campaigns(&r);
    EXPECT_TABLE(t, "Empty|email|500.00|0|0|0|0||0|0.00|||-1.00",
                 "Expo|event|1000.00|3|3|2|1|3.50|0|0.00|333.33||-1.00",
                 "Webinar|webinar|0.00|2|2|2|0||0|0.00|0.00||",
                 "(none)||0.00|2|2|0|1|3.00|0|0.00|0.00||");
    /* --until 11-15: L6 won (11-12), L1 still not. */
    r = range(NOW, NULL, "2026-11-15", false);
    t = campaigns(&r);
    ck_assert_int_eq(t.n, 4);
    ck_assert_str_eq(t.row[1], "Expo|event|1000.00|3|3|2|1|3.50|0|0.00|333.33||-1.00");
    ck_assert_str_eq(t.row[2], "Webinar|webinar|0.00|2|2|2|0||1|300.00|0.00|0.00|");
}
END_TEST

typedef struct {
    int n;
    lb_campaign_row rows[8];
} campaign_rows;

static int keep_campaign(const lb_campaign_row *c, void *ud)
{
    campaign_rows *k = ud;
    ck_assert_int_lt(k->n, 8);
    k->rows[k->n++] = *c;
    return 0;
}

START_TEST(test_campaigns_numbers_for_the_board)
{
    /* The rows carry numbers, not text: cents, counts and hundredths, with
     * has = false where the text is empty. */
    campaign_rows k;
    memset(&k, 0, sizeof k);
    lb_report_range r = range(NOW, NULL, NULL, false);
    CHECK_OK(report_campaigns(db, &r, keep_campaign, &k, &err));
    ck_assert_int_eq(k.n, 4);
    const lb_campaign_row *expo = &k.rows[1], *web = &k.rows[2], *none = &k.rows[3];
    ck_assert_str_eq(expo->name, "Expo");
    ck_assert(!expo->none);
    ck_assert_int_eq(expo->channel, CHANNEL_EVENT);
    ck_assert_int_eq(expo->cost, 100000);
    ck_assert_int_eq(expo->revenue, 500000);
    ck_assert_int_eq(expo->rated, 2);
    ck_assert_int_eq(expo->stars_sum, 7);
    ck_assert(expo->avg_rating.has);
    ck_assert_int_eq(expo->avg_rating.v, 350);
    ck_assert_int_eq(expo->cost_per_lead.v, 33333);
    ck_assert_int_eq(expo->cost_per_win.v, 100000);
    ck_assert_int_eq(expo->roi.v, 400);
    ck_assert(!web->roi.has);
    ck_assert(!web->avg_rating.has);
    ck_assert(web->cost_per_win.has);
    ck_assert_int_eq(web->cost_per_win.v, 0);
    ck_assert(none->none);
    ck_assert_int_eq(none->campaign_id, 0);
    ck_assert_str_eq(none->name, "(none)");
    ck_assert_int_eq(none->channel, CHANNEL_COUNT);
    ck_assert(!k.rows[0].cost_per_lead.has);
    ck_assert_int_eq(k.rows[0].roi.v, -100);
}
END_TEST

START_TEST(test_campaigns_no_none_row_without_campaignless_leads)
{
    /* A board where every lead has a campaign has no (none) row; the
     * rejection and re-hand-off of a lead counts it once. */
    setup_empty();
    campaign("Solo", "paid", "250.00");
    int64_t a = lead("2026-11-02T09:00", "Ann", "Solo", "100");
    handoff("2026-11-02T10:00", a, "sam");
    reject("2026-11-02T11:00", "sam", a, "no");
    handoff("2026-11-02T12:00", a, "sam");
    reject("2026-11-02T13:00", "sam", a, "still no");
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = campaigns(&r);
    /* 1 lead, handed off, never accepted, rejected (twice: once), cost per
     * lead 250.00, roi (0 - 250) / 250 = -1.00. */
    EXPECT_TABLE(t, "Solo|paid|250.00|1|1|0|1||0|0.00|250.00||-1.00");
}
END_TEST

/* ---- sla ---- */

START_TEST(test_sla_all_time)
{
    /* accept 24h, first touch 48h, stale 7 days; now 11-21 09:00.
     * sam: hand-offs L1 L2 L4 L6 = 4.  Accepted in time: L1 (2h), L4 (23h27m),
     * L6 (30m); not L2 (rejected; accepted later by sue, after the next
     * hand-off) = 3.  Touched in time: L1 (23h), L4 (23h37m), L6 (1h) = 3.
     * Overdue now: L4 (follow-up due 11-10) = 1 (L1 and L6 are won).
     * sue: hand-offs L3, L2 (11-04), L7 twice = 4.  Accepted in time: L7's
     * second only (1h); L2 took 48h; L7's first was rejected, its accept
     * came after the next hand-off = 1.  Touched in time: L2's follow-up came
     * 49h after; L3 and L7 never touched = 0.  Overdue now: L2 (reopened, no
     * follow-up since 11-06: stale), L3 (not accepted for 18 days), L7 (no
     * first touch 48h after 11-11 09:00) = 3.
     * zed: L5 twice, rejected twice: 2 0 0 0.  ola: nothing, no row. */
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = sla(&r);
    EXPECT_TABLE(t, "sam 4 3 3 1", "sue 4 1 0 3", "zed 2 0 0 0");
}
END_TEST

START_TEST(test_sla_period)
{
    /* Hand-offs on or after 11-10: sam L6 (1 1 1), sue L7 twice (2, the
     * second accepted in time, none touched); zed has none and nothing
     * overdue. */
    lb_report_range r = range(NOW, "2026-11-10", NULL, false);
    table t = sla(&r);
    EXPECT_TABLE(t, "sam 1 1 1 1", "sue 2 1 0 3");
}
END_TEST

START_TEST(test_sla_overdue_rep_without_handoffs_in_period)
{
    /* [11-03, 11-10): sam had no hand-off then, but has an overdue lead now:
     * still a row.  sue: L2's hand-off of 11-04 (accepted 48h later). */
    lb_report_range r = range(NOW, "2026-11-03", "2026-11-10", false);
    table t = sla(&r);
    EXPECT_TABLE(t, "sam 0 0 0 1", "sue 1 0 0 3");
}
END_TEST

START_TEST(test_sla_accept_hours_setting)
{
    /* With 48 hours to accept, L2's acceptance exactly 48h after its hand-off
     * (11-04 10:00 -> 11-06 10:00) is in time: the bound is inclusive. */
    at(NOW, "max");
    CHECK_OK(act_setting_set(&ctx, "sla.accept_hours", "48", &err));
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = sla(&r);
    EXPECT_TABLE(t, "sam 4 3 3 1", "sue 4 2 0 3", "zed 2 0 0 0");
    /* A 1-hour first-touch window: only L6 (touched after exactly 1h at
     * 11:00 from 10:00) stays in time for sam. */
    at(NOW, "max");
    CHECK_OK(act_setting_set(&ctx, "sla.first_touch_hours", "1", &err));
    t = sla(&r);
    EXPECT_TABLE(t, "sam 4 3 1 1", "sue 4 2 0 3", "zed 2 0 0 0");
}
END_TEST

typedef struct {
    const lb_sla *sla;
    lb_time now;
    int64_t sam, sue;
} overdue_count;

static int count_overdue(const lb_lead *l, void *ud)
{
    overdue_count *c = ud;
    if (sla_state(c->sla, l, c->now) == SLA_OK)
        return 0;
    if (strcmp(l->owner, "sam") == 0)
        c->sam++;
    else if (strcmp(l->owner, "sue") == 0)
        c->sue++;
    return 0;
}

START_TEST(test_sla_overdue_agrees_with_sla_state)
{
    /* The SQL of overdue_now and rules.h's sla_state() say the same, at
     * several moments (each crossing some thresholds). */
    static const char *const moments[] = {
        "2026-11-03T10:04", "2026-11-04T10:04", "2026-11-10T00:00:01", "2026-11-13T09:01", NOW,
        "2026-12-31"};
    lb_sla s;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            /* Windows longer than stale_days: a lead not accepted for long is
             * not stale (it is not working yet), an accepted lead never touched
             * is stale counted from its acceptance. */
            at(NOW, "max");
            CHECK_OK(act_setting_set(&ctx, "sla.first_touch_hours", "8760", &err));
            CHECK_OK(act_setting_set(&ctx, "sla.accept_hours", "8760", &err));
        }
        CHECK_OK(sla_load(db, &s, &err));
        for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++) {
            overdue_count c = {&s, t_of(moments[i]), 0, 0};
            lb_lead_filter f;
            memset(&f, 0, sizeof f);
            CHECK_OK(lead_each(db, &f, count_overdue, &c, &err));
            lb_report_range r = range(moments[i], NULL, NULL, false);
            table t = sla(&r);
            char want_sam[64], want_sue[64];
            snprintf(want_sam, sizeof want_sam, "sam 4 3 3 %lld", (long long)c.sam);
            /* The long windows let L2's late acceptance and follow-up count. */
            snprintf(want_sue, sizeof want_sue, "sue 4 %d %d %lld", 1 + pass, pass,
                     (long long)c.sue);
            ck_assert_int_eq(t.n, 3);
            ck_assert_msg(strcmp(t.row[0], want_sam) == 0, "%s: %s, want %s", moments[i], t.row[0],
                          want_sam);
            ck_assert_msg(strcmp(t.row[1], want_sue) == 0, "%s: %s, want %s", moments[i], t.row[1],
                          want_sue);
        }
    }
}
END_TEST

/* The stand-up's overdue and stale sections hold exactly the leads whose
 * badge (sla_state) says !DUE and !STALE, at moments that cross the
 * thresholds: the board's cards and its Stand-up view never disagree. */
#define AGREE_MAX 64
typedef struct {
    int64_t due[AGREE_MAX], stale[AGREE_MAX];
    int ndue, nstale;
} section_ids;

static int standup_ids(const lb_standup_row *row, void *ud)
{
    section_ids *x = ud;
    if (row->section == STANDUP_OVERDUE && x->ndue < AGREE_MAX)
        x->due[x->ndue++] = row->lead_id;
    else if (row->section == STANDUP_STALE && x->nstale < AGREE_MAX)
        x->stale[x->nstale++] = row->lead_id;
    return 0;
}

typedef struct {
    const lb_sla *sla;
    lb_time now;
    section_ids want;
} badge_ids;

static int badge_lead(const lb_lead *l, void *ud)
{
    badge_ids *b = ud;
    unsigned st = sla_state(b->sla, l, b->now);
    if ((st & SLA_FOLLOWUP_OVERDUE) && b->want.ndue < AGREE_MAX)
        b->want.due[b->want.ndue++] = l->id;
    if ((st & SLA_STALE) && b->want.nstale < AGREE_MAX)
        b->want.stale[b->want.nstale++] = l->id;
    return 0;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static void ids_text(int64_t *v, int n, char *buf, size_t size)
{
    qsort(v, (size_t)n, sizeof *v, cmp_id);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t u = strlen(buf);
        snprintf(buf + u, size - u, "%s%lld", i ? " " : "", (long long)v[i]);
    }
}

START_TEST(test_standup_agrees_with_sla_state)
{
    static const char *const moments[] = {"2026-11-03T10:04", "2026-11-10T00:00:01",
                                          "2026-11-10T09:40", "2026-11-10T09:40:01",
                                          "2026-11-13T09:01", "2026-11-14T09:40:01", NOW,
                                          "2026-12-31"};
    lb_sla s;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) { /* a shorter stale window: other leads cross it */
            at(NOW, "max");
            CHECK_OK(act_setting_set(&ctx, "stale_days", "2", &err));
        }
        CHECK_OK(sla_load(db, &s, &err));
        for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++) {
            badge_ids b = {&s, t_of(moments[i]), {{0}, {0}, 0, 0}};
            lb_lead_filter f;
            memset(&f, 0, sizeof f);
            CHECK_OK(lead_each(db, &f, badge_lead, &b, &err));
            section_ids got = {{0}, {0}, 0, 0};
            lb_report_range r = range(moments[i], NULL, NULL, true);
            CHECK_OK(report_standup(db, &r, standup_ids, &got, &err));
            char w1[512], g1[512], w2[512], g2[512];
            ids_text(b.want.due, b.want.ndue, w1, sizeof w1);
            ids_text(got.due, got.ndue, g1, sizeof g1);
            ids_text(b.want.stale, b.want.nstale, w2, sizeof w2);
            ids_text(got.stale, got.nstale, g2, sizeof g2);
            ck_assert_msg(strcmp(w1, g1) == 0, "%s: overdue [%s], badges [%s]", moments[i], g1,
                          w1);
            ck_assert_msg(strcmp(w2, g2) == 0, "%s: stale [%s], badges [%s]", moments[i], g2, w2);
        }
    }
}
END_TEST

/* ---- standup ---- */

START_TEST(test_standup_default_last_24_hours)
{
    /* Now 11-21 09:00; the period is [11-20 09:00, now].
     * awaiting: L3 handed off 11-02 10:02, 18d 22h58m ago.
     * overdue follow-up: L4, due 11-10.
     * stale (no follow-up since 11-14 09:00): sam's L4 (touched 11-03 09:40,
     * 17d 23h20m), then sue's L2 (11-06 11:00, 14d 22h) and L7 (never
     * touched; accepted 11-11 10:00, 9d 23h).
     * moved: sam's L4, then sue's L2 (reopened) and L7 (twice, in order);
     * won: L1 with its value; lost: L2 with its reason; feedback: L1 (no
     * comment), L7 (no reasons). */
    lb_report_range r = range(NOW, NULL, NULL, true);
    table t = standup(&r);
    EXPECT_TABLE(t, "awaiting_acceptance|3|Cat|sue|waiting 18d",
                 "overdue_followup|4|Dan|sam|due 2026-11-10",
                 "stale|4|Dan|sam|no follow-up for 17d", "stale|2|Bob|sue|no follow-up for 14d",
                 "stale|7|Gus|sue|no follow-up for 9d", "moved|4|Dan|sam|accepted -> contacted",
                 "moved|2|Bob|sue|lost -> accepted", "moved|7|Gus|sue|accepted -> qualified",
                 "moved|7|Gus|sue|qualified -> proposal", "won|1|Ann|sam|5000.00",
                 "lost|2|Bob|sue|went with a competitor", "new_feedback|1|Ann|sam|5/5 fit",
                 "new_feedback|7|Gus|sue|3/5: slow to respond");
}
END_TEST

START_TEST(test_standup_period)
{
    /* [11-10, 11-11): the state sections are still those of now; moved:
     * sam's L1 (qualified -> proposal 13:00) before L6 (accepted 10:30, then
     * contacted by the connected call 11:00); L6's win (11-12) is outside. */
    lb_report_range r = range(NOW, "2026-11-10", "2026-11-11", true);
    table t = standup(&r);
    EXPECT_TABLE(t, "awaiting_acceptance|3|Cat|sue|waiting 18d",
                 "overdue_followup|4|Dan|sam|due 2026-11-10",
                 "stale|4|Dan|sam|no follow-up for 17d", "stale|2|Bob|sue|no follow-up for 14d",
                 "stale|7|Gus|sue|no follow-up for 9d", "calls|6|Fay|sam|call connected",
                 "moved|1|Ann|sam|qualified -> proposal",
                 "moved|6|Fay|sam|handed_off -> accepted", "moved|6|Fay|sam|accepted -> contacted",
                 "rejected|7|Gus|sue|not our market");
}
END_TEST

START_TEST(test_standup_feedback_and_until_only)
{
    /* --until 11-12 12:00 alone: the 24 hours before it hold L6's win (300.00
     * on 11-12 09:00) and nothing else. */
    lb_report_range r = range(NOW, NULL, "2026-11-12T12:00", true);
    table t = standup(&r);
    ck_assert_int_eq(t.n, 6);
    ck_assert_str_eq(t.row[5], "won|6|Fay|sam|300.00");
    /* [11-03, 11-07): ratings of L1 (4, fit, comment) and L2 (two tags). */
    r = range(NOW, "2026-11-03", "2026-11-07", true);
    t = standup(&r);
    int n = 0;
    for (int i = 0; i < t.n; i++)
        if (strncmp(t.row[i], "new_feedback|", 13) == 0) {
            ck_assert_str_eq(t.row[i], n == 0 ? "new_feedback|1|Ann|sam|4/5 fit: good fit"
                                              : "new_feedback|2|Bob|sue|2/5 budget,timing: "
                                                "tight budget");
            n++;
        }
    ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(test_standup_awaiting_in_hours_and_now_included)
{
    /* A hand-off 26 hours ago waits "26h"; what happened at the very moment
     * of the stand-up (same LEADBOARD_NOW) is in it. */
    setup_empty();
    int64_t a = lead("2026-11-20T07:00", "Ann", NULL, "100");
    handoff("2026-11-20T07:00", a, "sam");
    int64_t b = lead("2026-11-21T09:00", "Bob", NULL, "100");
    handoff("2026-11-21T09:00", b, "sue");
    accept_("2026-11-21T09:00", "sue", b);
    lb_report_range r = range(NOW, NULL, NULL, true);
    table t = standup(&r);
    EXPECT_TABLE(t, "awaiting_acceptance|1|Ann|sam|waiting 26h",
                 "moved|2|Bob|sue|handed_off -> accepted");
}
END_TEST

typedef struct {
    int calls;
} counter;

static int stop_after_one(const lb_standup_row *s, void *ud)
{
    ((counter *)ud)->calls++;
    return 1;
}

START_TEST(test_standup_callback_stops)
{
    counter c = {0};
    lb_report_range r = range(NOW, NULL, NULL, true);
    CHECK_OK(report_standup(db, &r, stop_after_one, &c, &err));
    ck_assert_int_eq(c.calls, 1);
}
END_TEST

/* ---- goals ---- */

static void set_goal(const char *period, const char *revenue, const char *wins)
{
    at(NOW, "max");
    CHECK_OK(act_goal_set(&ctx, period, revenue, wins, &err));
}

START_TEST(test_goals_across_periods)
{
    /* Wins: L6 300.00 closed 11-12, L1 5000.00 closed 11-20 (L2 was lost,
     * then reopened: not won).  Order: by the period's end, a quarter right
     * after its last month. */
    set_goal("2026-Q4", "20000", NULL);
    set_goal("2026-12", "5000", "2");
    set_goal("2026-11", "10000", "3");
    set_goal("2026-10", "1000", "1");
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = goals(&r);
    EXPECT_TABLE(t, "2026-10 1000.00 0.00 1 0", "2026-11 10000.00 5300.00 3 2",
                 "2026-12 5000.00 0.00 2 0", "2026-Q4 20000.00 5300.00  2");
}
END_TEST

START_TEST(test_goals_overlapping_range)
{
    set_goal("2026-10", "1000", "1");
    set_goal("2026-11", "10000", "3");
    set_goal("2026-12", "5000", "2");
    set_goal("2026-Q4", "20000", NULL);
    /* [11-15, 12-01) overlaps November and Q4; October ends where it starts
     * and December starts where it ends. */
    lb_report_range r = range(NOW, "2026-11-15", "2026-12-01", false);
    table t = goals(&r);
    EXPECT_TABLE(t, "2026-11 10000.00 5300.00 3 2", "2026-Q4 20000.00 5300.00  2");
}
END_TEST

START_TEST(test_goals_reopened_win_counts_when_closed_again)
{
    /* max reopens L1 and sam wins it again on 12-02: it leaves November
     * (300.00 from L6 remains) and counts in December; Q4 keeps both. */
    set_goal("2026-11", "10000", "3");
    set_goal("2026-12", "5000", "2");
    set_goal("2026-Q4", "20000", "4");
    move("2026-12-01T09:00", "max", 1, STAGE_ACCEPTED, NULL);
    move("2026-12-02T09:00", "sam", 1, STAGE_WON, NULL);
    lb_report_range r = range("2026-12-03", NULL, NULL, false);
    table t = goals(&r);
    EXPECT_TABLE(t, "2026-11 10000.00 300.00 3 1", "2026-12 5000.00 5000.00 2 1",
                 "2026-Q4 20000.00 5300.00 4 2");
}
END_TEST

START_TEST(test_campaigns_average_of_alike_leads)
{
    /* Two leads in the very same state rated 4 and a third rated 1: the
     * mean is over leads, (4 + 4 + 1) / 3 = 3.00; the unrated fourth does
     * not count.  Two wins of 100 and 250.50 make 350.50. */
    setup_empty();
    campaign("Fair", "event", "701");
    int64_t id[4];
    for (int i = 0; i < 4; i++) {
        id[i] = lead("2026-11-02T09:00", "Lead", "Fair", i == 1 ? "250.50" : "100");
        handoff("2026-11-02T10:00", id[i], "sam");
        accept_("2026-11-02T11:00", "sam", id[i]);
    }
    rate("2026-11-02T12:00", "sam", id[0], 4, NULL, NULL);
    rate("2026-11-02T12:00", "sam", id[1], 4, NULL, NULL);
    rate("2026-11-02T12:00", "sam", id[2], 1, NULL, NULL);
    move("2026-11-03T09:00", "sam", id[0], STAGE_WON, NULL);
    move("2026-11-03T09:00", "sam", id[1], STAGE_WON, NULL);
    lb_report_range r = range(NOW, NULL, NULL, false);
    table t = campaigns(&r);
    /* cost per lead 701 / 4 = 175.25; per win 350.50; roi (350.50 - 701) /
     * 701 = -0.5 exactly: -0.50. */
    EXPECT_TABLE(t, "Fair|event|701.00|4|4|4|0|3.00|2|350.50|175.25|350.50|-0.50");
    r = range(NOW, "2026-11-01", NULL, false); /* the same through the audit log */
    t = campaigns(&r);
    EXPECT_TABLE(t, "Fair|event|701.00|4|4|4|0|3.00|2|350.50|175.25|350.50|-0.50");
}
END_TEST

START_TEST(test_sla_rehandoff_to_the_same_rep)
{
    /* sam rejects a hand-off, gets the lead again, accepts and calls within
     * the first hand-off's windows: the acceptance and the call belong to
     * the second hand-off only.  Now 11-03: nothing overdue yet. */
    setup_empty();
    int64_t a = lead("2026-11-02T09:00", "Ann", NULL, "100");
    handoff("2026-11-02T10:00", a, "sam");
    reject("2026-11-02T10:30", "sam", a, "not now");
    handoff("2026-11-02T11:00", a, "sam");
    accept_("2026-11-02T11:30", "sam", a);
    log_("2026-11-02T12:00", "sam", a, OUTCOME_NO_ANSWER, NULL);
    lb_report_range r = range("2026-11-03", NULL, NULL, false);
    table t = sla(&r);
    EXPECT_TABLE(t, "sam 2 1 1 0");
    /* Only the second hand-off is in [10:30, now). */
    r = range("2026-11-03", "2026-11-02T10:30", NULL, false);
    t = sla(&r);
    EXPECT_TABLE(t, "sam 1 1 1 0");
    /* Recycled and handed to sam a third time: the old acceptance and call
     * do not count for it, and it waits (not overdue before 24h). */
    move("2026-11-02T13:00", "sam", a, STAGE_NURTURE, "later");
    handoff("2026-11-02T14:00", a, "sam");
    r = range("2026-11-03", NULL, NULL, false);
    t = sla(&r);
    EXPECT_TABLE(t, "sam 3 1 1 0");
}
END_TEST

START_TEST(test_standup_sections_ordered_by_owner)
{
    /* Ids and owners disagree on purpose: sam's leads have the larger ids,
     * sue rated first, and Eve, recycled to nurture, has no owner (first). */
    setup_empty();
    int64_t ann = lead("2026-11-20T10:00", "Ann", NULL, NULL);
    int64_t bob = lead("2026-11-20T10:00", "Bob", NULL, NULL);
    int64_t cat = lead("2026-11-20T10:00", "Cat", NULL, NULL);
    int64_t dan = lead("2026-11-20T10:00", "Dan", NULL, NULL);
    int64_t eve = lead("2026-11-20T10:00", "Eve", NULL, NULL);
    handoff("2026-11-20T10:01", ann, "sue");
    handoff("2026-11-20T10:01", bob, "sam");
    handoff("2026-11-20T10:01", cat, "sue");
    handoff("2026-11-20T10:01", dan, "sam");
    handoff("2026-11-20T10:01", eve, "sam");
    accept_("2026-11-20T10:05", "sue", cat);
    accept_("2026-11-20T10:05", "sam", dan);
    accept_("2026-11-20T10:05", "sam", eve);
    log_("2026-11-20T10:10", "sue", cat, OUTCOME_NO_ANSWER, "2026-11-20T12:00");
    log_("2026-11-20T10:10", "sam", dan, OUTCOME_VOICEMAIL, "2026-11-20");
    rate("2026-11-20T10:20", "sue", cat, 2, NULL, NULL);
    rate("2026-11-20T10:21", "sam", dan, 4, NULL, NULL);
    move("2026-11-20T10:30", "sam", eve, STAGE_NURTURE, "not ready");
    lb_report_range r = range(NOW, NULL, NULL, true);
    table t = standup(&r);
    /* Hand-offs 22h59m before now; both due dates have passed. */
    EXPECT_TABLE(
        t, "awaiting_acceptance|2|Bob|sam|waiting 22h", "awaiting_acceptance|1|Ann|sue|waiting 22h",
        "overdue_followup|4|Dan|sam|due 2026-11-20", "overdue_followup|3|Cat|sue|due 2026-11-20",
        "calls|4|Dan|sam|call voicemail", "calls|3|Cat|sue|call no_answer",
        "moved|5|Eve||handed_off -> accepted", "moved|5|Eve||accepted -> nurture",
        "moved|4|Dan|sam|handed_off -> accepted", "moved|3|Cat|sue|handed_off -> accepted",
        "new_feedback|4|Dan|sam|4/5", "new_feedback|3|Cat|sue|2/5");
}
END_TEST

START_TEST(test_funnel_lead_without_stage_events)
{
    /* A lead that came in at a later stage with no stage events in the log
     * (as an import may write it) counts at its furthest stage in a period
     * that contains its stage change, and at nurture in one that ends
     * before. */
    setup_empty();
    CHECK_OK(db_exec_raw(db,
                         "INSERT INTO leads(name, created_at, stage, stage_at, furthest, value, "
                         "closed_at, updated_at) VALUES ('Imp', '2026-11-01T00:00:00Z', 'won', "
                         "'2026-11-05T00:00:00Z', 6, 100, '2026-11-05T00:00:00Z', "
                         "'2026-11-05T00:00:00Z')",
                         &err));
    lb_report_range r = range(NOW, NULL, "2026-11-10", false);
    table t = funnel(&r);
    ck_assert_str_eq(t.row[0], "nurture 1 ");
    ck_assert_str_eq(t.row[6], "won 1 1.00");
    r = range(NOW, NULL, "2026-11-03", false);
    t = funnel(&r);
    ck_assert_str_eq(t.row[0], "nurture 1 ");
    ck_assert_str_eq(t.row[1], "handed_off 0 0.00");
    ck_assert_str_eq(t.row[6], "won 0 ");
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("arithmetic");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_div_round_half_away_from_zero);
    tcase_add_test(tc, test_ratio_and_per);
    tcase_add_test(tc, test_fixed_format);
    tcase_add_test(tc, test_range_all_time_and_period);
    tcase_add_test(tc, test_range_standup_default);
    tcase_add_test(tc, test_range_bad_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("empty");
    tcase_add_checked_fixture(tc, setup_empty, teardown);
    tcase_add_test(tc, test_empty_funnel);
    tcase_add_test(tc, test_empty_campaigns);
    tcase_add_test(tc, test_empty_sla_standup_goals);
    suite_add_tcase(s, tc);

    tc = tcase_create("story");
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, story_setup, teardown);
    tcase_add_test(tc, test_funnel_all_time);
    tcase_add_test(tc, test_funnel_period_cohort);
    tcase_add_test(tc, test_funnel_until_before_the_win);
    tcase_add_test(tc, test_funnel_until_cuts_an_acceptance);
    tcase_add_test(tc, test_funnel_since_only);
    tcase_add_test(tc, test_funnel_unbounded_period_matches_all_time);
    tcase_add_test(tc, test_campaigns_all_time);
    tcase_add_test(tc, test_campaigns_period);
    tcase_add_test(tc, test_campaigns_until_cuts_through_history);
    tcase_add_test(tc, test_campaigns_numbers_for_the_board);
    tcase_add_test(tc, test_sla_all_time);
    tcase_add_test(tc, test_sla_period);
    tcase_add_test(tc, test_sla_overdue_rep_without_handoffs_in_period);
    tcase_add_test(tc, test_sla_accept_hours_setting);
    tcase_add_test(tc, test_sla_overdue_agrees_with_sla_state);
    tcase_add_test(tc, test_standup_agrees_with_sla_state);
    tcase_add_test(tc, test_standup_default_last_24_hours);
    tcase_add_test(tc, test_standup_period);
    tcase_add_test(tc, test_standup_feedback_and_until_only);
    tcase_add_test(tc, test_standup_callback_stops);
    tcase_add_test(tc, test_goals_across_periods);
    tcase_add_test(tc, test_goals_overlapping_range);
    tcase_add_test(tc, test_goals_reopened_win_counts_when_closed_again);
    suite_add_tcase(s, tc);

    /* Tests that build their own board from an empty one. */
    tc = tcase_create("own data");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_campaigns_no_none_row_without_campaignless_leads);
    tcase_add_test(tc, test_standup_awaiting_in_hours_and_now_included);
    tcase_add_test(tc, test_campaigns_average_of_alike_leads);
    tcase_add_test(tc, test_sla_rehandoff_to_the_same_rep);
    tcase_add_test(tc, test_standup_sections_ordered_by_owner);
    tcase_add_test(tc, test_funnel_lead_without_stage_events);
    suite_add_tcase(s, tc);
    return s;
}
