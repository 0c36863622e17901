/* Issue 13, the loop closing both ways: local time (relative dates, due at
 * the end of the local day), ratings at hand-off and with a rejection,
 * replies reaching the rep, contact corrections by the rep, recycling with
 * a date to revisit, the speed and marketers reports, the stand-up period. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "leadboard/actions.h"
#include "leadboard/db.h"
#include "leadboard/report.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

static lb_err err;

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

static void zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void utc_again(void)
{
    zone("UTC");
}

/* An instant as UTC text. */
static lb_time at(const char *iso)
{
    lb_time t;
    ck_assert_msg(time_parse(iso, &t, NULL) == LB_OK, "bad test time %s", iso);
    return t;
}

/* What time_parse_input makes of s at now, as UTC text ("ERR" if refused). */
static const char *input(const char *s, const char *now, bool end_of_day)
{
    static char buf[LB_TIME_BUF];
    lb_time t;
    if (time_parse_input(s, at(now), end_of_day, &t, NULL) != LB_OK)
        return "ERR";
    time_format(t, buf);
    return buf;
}

/* ---- local time ---- */

static const struct {
    const char *tz, *s, *now;
    bool eod;
    const char *want;
} input_cases[] = {
    /* UTC: dates are UTC days. */
    {"UTC", "2026-12-02", "2026-11-20T09:00:00Z", false, "2026-12-02T00:00:00Z"},
    {"UTC", "2026-12-02", "2026-11-20T09:00:00Z", true, "2026-12-02T23:59:59Z"},
    /* New York in winter is UTC-5: the local day starts at 05:00Z. */
    {"America/New_York", "2026-12-02", "2026-11-20T09:00:00Z", false, "2026-12-02T05:00:00Z"},
    {"America/New_York", "2026-12-02", "2026-11-20T09:00:00Z", true, "2026-12-03T04:59:59Z"},
    {"America/New_York", "2026-12-02T09:30", "2026-11-20T09:00:00Z", false,
     "2026-12-02T14:30:00Z"},
    {"America/New_York", "2026-12-02T09:30Z", "2026-11-20T09:00:00Z", false,
     "2026-12-02T09:30:00Z"},
    /* In summer, UTC-4. */
    {"America/New_York", "2026-07-01", "2026-11-20T09:00:00Z", false, "2026-07-01T04:00:00Z"},
    /* Tokyo is UTC+9: its day starts the evening before in UTC. */
    {"Asia/Tokyo", "2026-12-02", "2026-11-20T09:00:00Z", false, "2026-12-01T15:00:00Z"},
    {"Asia/Tokyo", "2026-12-02", "2026-11-20T09:00:00Z", true, "2026-12-02T14:59:59Z"},
    /* Relative days count from the local today: at 2026-12-02T03:00Z it is
     * still 12-01 (a Tuesday) in New York, already 12-02 (Wednesday) in
     * Tokyo. */
    {"America/New_York", "today", "2026-12-02T03:00:00Z", false, "2026-12-01T05:00:00Z"},
    {"America/New_York", "tomorrow", "2026-12-02T03:00:00Z", true, "2026-12-03T04:59:59Z"},
    {"America/New_York", "yesterday", "2026-12-02T03:00:00Z", false, "2026-11-30T05:00:00Z"},
    {"America/New_York", "+3d", "2026-12-02T03:00:00Z", false, "2026-12-04T05:00:00Z"},
    {"America/New_York", "+2w", "2026-12-02T03:00:00Z", false, "2026-12-15T05:00:00Z"},
    {"America/New_York", "wednesday", "2026-12-02T03:00:00Z", false, "2026-12-02T05:00:00Z"},
    {"America/New_York", "tuesday", "2026-12-02T03:00:00Z", false, "2026-12-08T05:00:00Z"},
    {"Asia/Tokyo", "today", "2026-12-02T03:00:00Z", false, "2026-12-01T15:00:00Z"},
    {"Asia/Tokyo", "Monday", "2026-12-02T03:00:00Z", false, "2026-12-06T15:00:00Z"},
    {"Asia/Tokyo", "wednesday", "2026-12-02T03:00:00Z", false, "2026-12-08T15:00:00Z"},
    /* Refused. */
    {"UTC", "someday", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "+3", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "+3m", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "3d", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "2026-02-30", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "2026-12-02 09:00", "2026-12-02T03:00:00Z", false, "ERR"},
    {"UTC", "", "2026-12-02T03:00:00Z", false, "ERR"},
};

START_TEST(test_time_input)
{
    zone(input_cases[_i].tz);
    const char *got = input(input_cases[_i].s, input_cases[_i].now, input_cases[_i].eod);
    ck_assert_msg(strcmp(got, input_cases[_i].want) == 0, "TZ=%s '%s'%s: got %s, want %s",
                  input_cases[_i].tz, input_cases[_i].s, input_cases[_i].eod ? " (due)" : "", got,
                  input_cases[_i].want);
}
END_TEST

START_TEST(test_time_shown_local)
{
    char buf[32];
    zone("America/New_York");
    time_format_human(at("2026-12-02T14:30:00Z"), buf, sizeof buf);
    ck_assert_str_eq(buf, "2026-12-02 09:30");
    time_format_local_date(at("2026-12-03T04:59:59Z"), buf, sizeof buf);
    ck_assert_str_eq(buf, "2026-12-02");
    zone("Asia/Tokyo");
    time_format_human(at("2026-12-02T14:30:00Z"), buf, sizeof buf);
    ck_assert_str_eq(buf, "2026-12-02 23:30");
    /* The stored form stays UTC. */
    time_format(at("2026-12-02T14:30:00Z"), buf);
    ck_assert_str_eq(buf, "2026-12-02T14:30:00Z");
}
END_TEST

/* The complaint: a follow-up due 2026-12-02 was overdue at the
 * 09:00 stand-up that day.  Due at the end of the local day, it is not,
 * and it is the next morning. */
START_TEST(test_due_not_overdue_on_its_day)
{
    zone("America/New_York");
    lb_time due;
    ck_assert_int_eq(time_parse_input("2026-12-02", at("2026-11-30T12:00:00Z"), true, &due, NULL),
                     LB_OK);
    lb_sla sla;
    sla_defaults(&sla);
    lb_lead l;
    memset(&l, 0, sizeof l);
    l.id = 1;
    l.stage = STAGE_CONTACTED;
    time_format(due, l.next_due_at);
    snprintf(l.last_touch_at, sizeof l.last_touch_at, "2026-12-01T12:00:00Z");
    lb_time nine_local = at("2026-12-02T14:00:00Z"); /* 09:00 in New York */
    ck_assert_uint_eq(sla_state(&sla, &l, nine_local) & SLA_FOLLOWUP_OVERDUE, 0);
    lb_time late = at("2026-12-03T04:59:00Z"); /* 23:59 that day */
    ck_assert_uint_eq(sla_state(&sla, &l, late) & SLA_FOLLOWUP_OVERDUE, 0);
    lb_time next_morning = at("2026-12-03T14:00:00Z");
    ck_assert_uint_ne(sla_state(&sla, &l, next_morning) & SLA_FOLLOWUP_OVERDUE, 0);
}
END_TEST

/* The stand-up's default period starts at the previous working day. */
static const struct {
    const char *tz, *now, *since;
} standup_cases[] = {
    {"UTC", "2026-11-30T09:00:00Z", "2026-11-27T00:00:00Z"}, /* Monday: from Friday */
    {"UTC", "2026-12-01T09:00:00Z", "2026-11-30T00:00:00Z"}, /* Tuesday: from Monday */
    {"UTC", "2026-11-29T09:00:00Z", "2026-11-27T00:00:00Z"}, /* Sunday: from Friday */
    {"UTC", "2026-11-28T09:00:00Z", "2026-11-27T00:00:00Z"}, /* Saturday: from Friday */
    {"UTC", "2026-11-27T09:00:00Z", "2026-11-26T00:00:00Z"}, /* Friday: from Thursday */
    /* Monday 09:00 in New York: from Friday's local start. */
    {"America/New_York", "2026-11-30T14:00:00Z", "2026-11-27T05:00:00Z"},
    /* Monday 08:00 in Tokyo is still Sunday in UTC. */
    {"Asia/Tokyo", "2026-11-29T23:00:00Z", "2026-11-26T15:00:00Z"},
};

START_TEST(test_standup_period)
{
    zone(standup_cases[_i].tz);
    lb_report_range r;
    CHECK_OK(report_range_init(&r, at(standup_cases[_i].now), NULL, NULL, true, &err));
    ck_assert_msg(strcmp(r.since, standup_cases[_i].since) == 0, "TZ=%s now %s: since %s, want %s",
                  standup_cases[_i].tz, standup_cases[_i].now, r.since, standup_cases[_i].since);
    char until[LB_TIME_BUF];
    time_format(at(standup_cases[_i].now) + 1, until); /* up to and including now */
    ck_assert_str_eq(r.until, until);
}
END_TEST


/* ---- the loop, through the actions ---- */

static lb_db *db;
static lb_ctx ctx;
static char clock_iso[LB_TIME_BUF];

static void act_as(const char *login, const char *now)
{
    snprintf(clock_iso, sizeof clock_iso, "%s", now);
    setenv("LEADBOARD_NOW", now, 1);
    lb_err e;
    ck_assert_msg(ctx_init(&ctx, db, login, &e) == LB_OK, "ctx_init(%s): %s", login, e.msg);
}

static void team(void)
{
    zone("UTC");
    unsetenv("LEADBOARD_USER");
    ck_assert_int_eq(test_db_open(&db, &err), LB_OK);
    act_as("max", "2026-11-16T09:00:00Z");
    CHECK_OK(act_user_add(&ctx, "max", "manager", NULL, &err));
    act_as("max", "2026-11-16T09:00:00Z");
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", NULL, &err));
    CHECK_OK(act_user_add(&ctx, "sam", "sales", NULL, &err));
    CHECK_OK(act_user_add(&ctx, "sue", "sales", NULL, &err));
}

static void team_done(void)
{
    db_close(db);
    db = NULL;
    unsetenv("LEADBOARD_NOW");
    utc_again();
}

static int64_t handed_to(const char *rep, const char *name)
{
    int64_t id;
    act_as("mia", "2026-11-16T10:00:00Z");
    lb_lead_input in = {.name = name, .email = "old@x.test", .phone = "1"};
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    act_as("mia", "2026-11-16T10:05:00Z");
    CHECK_OK(act_handoff(&ctx, id, rep, NULL, 0, &err));
    return id;
}

static lb_lead lead(int64_t id)
{
    lb_lead l;
    CHECK_OK(lead_get(db, id, &l, &err));
    return l;
}

typedef struct {
    int n;
    lb_rating last;
} collected;

static int collect(const lb_rating *r, void *ud)
{
    collected *c = ud;
    if (c->n++ == 0)
        c->last = *r;
    return 0;
}

static collected feedback(int64_t user_id)
{
    collected c;
    memset(&c, 0, sizeof c);
    lb_feedback_filter f = {false, NULL, 0, 0, user_id};
    CHECK_OK(rating_each(db, &f, collect, &c, &err));
    return c;
}

START_TEST(test_rate_at_handoff_and_reject_rated)
{
    int64_t a = handed_to("sam", "Ann");
    act_as("sam", "2026-11-16T11:00:00Z");
    int64_t rid;
    CHECK_OK(act_rate(&ctx, a, 3, NULL, 0, "first look", &rid, &err));
    ck_assert_int_eq(lead(a).stars, 3);
    /* sue is not the assignee. */
    act_as("sue", "2026-11-16T11:01:00Z");
    ck_assert_int_eq(act_rate(&ctx, a, 1, NULL, 0, NULL, &rid, &err), LB_EPERM);

    int64_t b = handed_to("sam", "Bob");
    act_as("sam", "2026-11-16T12:00:00Z");
    const char *tags[] = {"budget,fit", "fit"};
    CHECK_OK(act_reject_rated(&ctx, b, "no budget this year", 2, tags, 2, 0, &err));
    lb_lead l = lead(b);
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.stars, 2);
    collected c = feedback(0);
    ck_assert_int_eq(c.n, 2);
    ck_assert(c.last.rejection); /* newest first */
    ck_assert_int_eq(c.last.stars, 2);
    ck_assert_str_eq(c.last.reasons, "fit,budget");
    ck_assert_str_eq(c.last.comment, "no budget this year");
    ck_assert_str_eq(c.last.user, "sam");

    /* Bad input changes nothing. */
    int64_t d = handed_to("sam", "Dee");
    act_as("sam", "2026-11-16T12:30:00Z");
    const char *bad[] = {"nope"};
    ck_assert_int_eq(act_reject_rated(&ctx, d, "x", 6, NULL, 0, 0, &err), LB_EINVAL);
    ck_assert_int_eq(act_reject_rated(&ctx, d, "x", 2, bad, 1, 0, &err), LB_EINVAL);
    ck_assert_int_eq(lead(d).stage, STAGE_HANDED_OFF);
    ck_assert_int_eq(feedback(0).n, 2);

    /* A rejection without stars is in the inbox too. */
    CHECK_OK(act_reject(&ctx, d, "duplicate of Bob", 0, &err));
    c = feedback(0);
    ck_assert_int_eq(c.n, 3);
    ck_assert(c.last.rejection);
    ck_assert_int_eq(c.last.stars, 0);
}
END_TEST

START_TEST(test_replies_reach_the_rep)
{
    int64_t a = handed_to("sam", "Ann");
    act_as("sam", "2026-11-16T12:00:00Z");
    CHECK_OK(act_reject_rated(&ctx, a, "wrong industry", 1, NULL, 0, 0, &err));
    int64_t b = handed_to("sue", "Bob");
    act_as("sue", "2026-11-16T12:00:00Z");
    CHECK_OK(act_reject(&ctx, b, "not now", 0, &err));

    collected mine = feedback(ctx.actor.id); /* sue's */
    ck_assert_int_eq(mine.n, 1);
    ck_assert_str_eq(mine.last.user, "sue");

    act_as("mia", "2026-11-16T13:00:00Z");
    collected all = feedback(0);
    ck_assert_int_eq(all.n, 2);
    lb_user sam;
    CHECK_OK(user_get(db, "sam", &sam, &err));
    collected sams = feedback(sam.id);
    ck_assert_int_eq(sams.n, 1);
    CHECK_OK(act_feedback_review(&ctx, sams.last.id, "we will fix the targeting", &err));

    int64_t n = -1;
    CHECK_OK(feedback_unseen_replies(db, sam.id, &n, &err));
    ck_assert_int_eq(n, 1);
    sams = feedback(sam.id);
    ck_assert(sams.last.reply_unseen);
    ck_assert_str_eq(sams.last.reply, "we will fix the targeting");

    act_as("sam", "2026-11-16T14:00:00Z");
    int64_t marked = 0;
    CHECK_OK(act_feedback_seen(&ctx, &marked, &err));
    ck_assert_int_eq(marked, 1);
    CHECK_OK(feedback_unseen_replies(db, sam.id, &n, &err));
    ck_assert_int_eq(n, 0);
    ck_assert(!feedback(sam.id).last.reply_unseen);
}
END_TEST

START_TEST(test_rep_corrects_contact)
{
    int64_t a = handed_to("sam", "Ann");
    act_as("sam", "2026-11-16T11:00:00Z");
    CHECK_OK(act_accept(&ctx, a, 0, &err));
    act_as("sam", "2026-11-16T11:10:00Z");
    lb_lead_input fix = {.email = "ann@right.test", .phone = "+1 555 0100", .title = "CTO",
                         .company = "Initech"};
    CHECK_OK(act_lead_edit(&ctx, a, &fix, 0, &err));
    lb_lead l = lead(a);
    ck_assert_str_eq(l.email, "ann@right.test");
    ck_assert_str_eq(l.phone, "+1 555 0100");
    ck_assert_str_eq(l.company, "Initech");
    /* Audited like every edit. */
    lb_err e;
    int64_t events = 0;
    CHECK_OK(event_count(db, a, &events, &e));
    ck_assert_int_eq(events, 7); /* create, handoff, accept and the four edits */
    (void)e;
    /* A form sends every field: unchanged ones are no change. */
    lb_lead_input form = {.name = "Ann", .company = "Initech", .title = "CTO",
                          .email = "ann@right.test", .phone = "+1 555 0101", .notes = "",
                          .campaign = "", .value = ""};
    CHECK_OK(act_lead_edit(&ctx, a, &form, 0, &err));
    ck_assert_str_eq(lead(a).phone, "+1 555 0101");
    /* Not the name or the value, and not someone else's lead. */
    lb_lead_input rename = {.name = "Annie"};
    ck_assert_int_eq(act_lead_edit(&ctx, a, &rename, 0, &err), LB_EPERM);
    lb_lead_input value = {.value = "100"};
    ck_assert_int_eq(act_lead_edit(&ctx, a, &value, 0, &err), LB_EPERM);
    act_as("sue", "2026-11-16T11:20:00Z");
    lb_lead_input other = {.phone = "2"};
    ck_assert_int_eq(act_lead_edit(&ctx, a, &other, 0, &err), LB_EPERM);
    ck_assert_str_eq(lead(a).phone, "+1 555 0101");
    ck_assert_str_eq(lead(a).name, "Ann");
}
END_TEST

START_TEST(test_recycle_with_revisit)
{
    zone("America/New_York");
    int64_t a = handed_to("sam", "Ann");
    act_as("sam", "2026-11-16T11:00:00Z");
    CHECK_OK(act_accept(&ctx, a, 0, &err));
    act_as("sam", "2026-11-16T11:10:00Z");
    /* Refused: no date in the past, only with nurture, a real date. */
    ck_assert_int_eq(
        act_move_revisit(&ctx, a, STAGE_NURTURE, NULL, "budget in Q1", "2026-11-01", 0, &err),
        LB_EINVAL);
    ck_assert_int_eq(act_move_revisit(&ctx, a, STAGE_CONTACTED, NULL, NULL, "+2w", 0, &err),
                     LB_EINVAL);
    ck_assert_int_eq(
        act_move_revisit(&ctx, a, STAGE_NURTURE, NULL, "budget in Q1", "someday", 0, &err),
        LB_EINVAL);
    ck_assert_int_eq(lead(a).stage, STAGE_ACCEPTED);
    CHECK_OK(act_move_revisit(&ctx, a, STAGE_NURTURE, NULL, "budget in Q1", "2027-01-05", 0,
                              &err));
    lb_lead l = lead(a);
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_str_eq(l.revisit_at, "2027-01-05T05:00:00Z"); /* the local day's start */
    /* A new hand-off clears it. */
    act_as("mia", "2026-11-17T10:00:00Z");
    CHECK_OK(act_handoff(&ctx, a, "sue", NULL, 0, &err));
    ck_assert_str_eq(lead(a).revisit_at, "");
}
END_TEST

Suite *loop_suite(void)
{
    Suite *s = suite_create("loop");
    TCase *tc = tcase_create("local time");
    tcase_add_checked_fixture(tc, NULL, utc_again);
    tcase_add_loop_test(tc, test_time_input, 0, (int)(sizeof input_cases / sizeof input_cases[0]));
    tcase_add_test(tc, test_time_shown_local);
    tcase_add_test(tc, test_due_not_overdue_on_its_day);
    tcase_add_loop_test(tc, test_standup_period, 0,
                        (int)(sizeof standup_cases / sizeof standup_cases[0]));
    suite_add_tcase(s, tc);
    tc = tcase_create("actions");
    tcase_add_checked_fixture(tc, team, team_done);
    tcase_add_test(tc, test_rate_at_handoff_and_reject_rated);
    tcase_add_test(tc, test_replies_reach_the_rep);
    tcase_add_test(tc, test_rep_corrects_contact);
    tcase_add_test(tc, test_recycle_with_revisit);
    suite_add_tcase(s, tc);
    return s;
}
