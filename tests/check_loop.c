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
    return s;
}
