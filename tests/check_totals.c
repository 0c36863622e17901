/* The reports' running totals (schema 11: lead_sums, handoffs,
 * handoff_sums, touch_minutes, leads.flag_at and lead_flag_sums) against a
 * recount from the rows, after random writes through the actions: leads
 * added, edited, handed off, accepted, rejected, moved, won and lost,
 * follow-ups, ratings, undos, imports and changes of the SLA settings.
 * The recount views are the definitions; the triggers must agree with
 * them at every step. */
#include "config.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leadboard/actions.h"
#include "leadboard/collateral.h"
#include "leadboard/csv.h"
#include "leadboard/db.h"
#include "leadboard/import.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

static lb_db *db;
static lb_ctx ctx;
static lb_err err;
static char dir[256], path[300];
static uint64_t rng;

static unsigned pick(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static lb_time clock_now;

/* Acts as login at the current clock. */
static void as(const char *login)
{
    char iso[LB_TIME_BUF];
    time_format(clock_now, iso);
    setenv("LEADBOARD_NOW", iso, 1);
    lb_err_clear(&err);
    ck_assert_msg(ctx_init(&ctx, db, login, &err) == LB_OK, "ctx_init(%s): %s", login, err.msg);
}

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

/* Rows of a query on its own connection (the test's view of the file). */
static int64_t count_of(const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

static void raw(const char *sql)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* Each total and its recount, as rows that differ (rows of zeros left
 * behind by leads that moved away are not a difference). */
static const struct {
    const char *name, *sql;
} totals[] = {
    {"lead_sums",
     "SELECT count(*) FROM (SELECT * FROM (SELECT * FROM lead_sums WHERE n <> 0 "
     "EXCEPT SELECT * FROM lead_sums_recount) UNION ALL SELECT * FROM (SELECT * FROM "
     "lead_sums_recount EXCEPT SELECT * FROM lead_sums))"},
    {"handoffs",
     "SELECT count(*) FROM (SELECT * FROM (SELECT * FROM handoffs EXCEPT SELECT * FROM "
     "handoffs_recount) UNION ALL SELECT * FROM (SELECT * FROM handoffs_recount EXCEPT "
     "SELECT * FROM handoffs))"},
    {"handoff_sums",
     "SELECT count(*) FROM (SELECT * FROM (SELECT * FROM handoff_sums WHERE n <> 0 EXCEPT "
     "SELECT * FROM handoff_sums_recount) UNION ALL SELECT * FROM (SELECT * FROM "
     "handoff_sums_recount EXCEPT SELECT * FROM handoff_sums))"},
    {"touch_minutes",
     "SELECT count(*) FROM (SELECT * FROM (SELECT * FROM touch_minutes WHERE n <> 0 EXCEPT "
     "SELECT * FROM touch_minutes_recount) UNION ALL SELECT * FROM (SELECT * FROM "
     "touch_minutes_recount EXCEPT SELECT * FROM touch_minutes))"},
    {"flag_at", "SELECT count(*) FROM leads l JOIN lead_flag_of f ON f.id = l.id "
                "WHERE l.flag_at IS NOT f.flag_at"},
    {"lead_flag_sums",
     "SELECT count(*) FROM (SELECT * FROM (SELECT * FROM lead_flag_sums WHERE n <> 0 EXCEPT "
     "SELECT * FROM lead_flag_sums_recount) UNION ALL SELECT * FROM (SELECT * FROM "
     "lead_flag_sums_recount EXCEPT SELECT * FROM lead_flag_sums))"},
};
#define NTOTALS ((int)(sizeof totals / sizeof totals[0]))

static void assert_totals_exact(int step)
{
    for (int i = 0; i < NTOTALS; i++) {
        int64_t n = count_of(totals[i].sql);
        ck_assert_msg(n == 0, "step %d: %s differs from its recount in %lld rows", step,
                      totals[i].name, (long long)n);
    }
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s/lb_totals_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/board.db", dir);
    unsetenv("LEADBOARD_USER");
    lb_err_clear(&err);
    ck_assert_msg(db_open(path, &db, &err) == LB_OK, "db_open: %s", err.msg);
    ck_assert(time_parse("2026-10-01T08:00:00Z", &clock_now, NULL) == LB_OK);
    as("max");
    CHECK_OK(act_user_add(&ctx, "max", "manager", "Max", &err));
    as("max");
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", "Mia", &err));
    CHECK_OK(act_user_add(&ctx, "mo", "marketing", "Mo", &err));
    CHECK_OK(act_user_add(&ctx, "sam", "sales", "Sam", &err));
    CHECK_OK(act_user_add(&ctx, "sue", "sales", "Sue", &err));
    lb_campaign_input c = {"Expo", "event", "1000", NULL, NULL};
    CHECK_OK(act_campaign_add(&ctx, &c, NULL, &err));
    lb_campaign_input w = {"Web", "paid", "500", NULL, NULL};
    CHECK_OK(act_campaign_add(&ctx, &w, NULL, &err));
    lb_asset_input a = {"Deck", "deck", "", NULL};
    CHECK_OK(act_asset_add(&ctx, &a, NULL, &err));
}

static void teardown(void)
{
    if (db)
        db_close(db);
    db = NULL;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static const char *const people[] = {"max", "mia", "mo", "sam", "sue"};

/* A manager's import: leads at any stage with their own timestamps, as an
 * export writes them (the bulk path that sets stage_counts' triggers aside). */
static void import_some(int k)
{
    char csv[2048];
    snprintf(csv, sizeof csv,
             "name,email,campaign,value,stage,owner,marketer,created_at,stage_at,handed_off_at,"
             "accepted_at\n"
             "Imp%d A,imp%da@x.test,Expo,1000,qualified,sam,mia,2026-09-0%dT10:00:00Z,"
             "2026-09-0%dT12:00:00Z,2026-09-0%dT11:00:00Z,2026-09-0%dT11:30:00Z\n"
             "Imp%d B,imp%db@x.test,,,nurture,,mo,2026-09-1%dT23:59:59Z,2026-09-1%dT23:59:59Z,,\n"
             "Imp%d C,imp%dc@x.test,Web,250.50,won,sue,mia,2026-08-2%dT00:00:00Z,"
             "2026-09-01T00:00:00Z,2026-08-2%dT01:00:00Z,2026-08-2%dT02:00:00Z\n",
             k, k, k % 9 + 1, k % 9 + 1, k % 9 + 1, k % 9 + 1, k, k, k % 10, k % 10, k, k,
             k % 10, k % 10, k % 10);
    csv_reader *r = csv_open_mem(csv, strlen(csv));
    ck_assert(r != NULL);
    lb_import_opts o = {"import.csv", NULL, false, DUP_SKIP};
    lb_import_summary sum;
    as("max");
    lb_err_clear(&err);
    lb_status st = import_csv(&ctx, r, &o, &sum, &err);
    csv_close(r);
    ck_assert_msg(st == LB_OK, "import: %s", err.msg);
}

/* A random lead whose stage is one of the list ("'a', 'b'"), 0 if none. */
static int64_t lead_in(const char *stages)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM leads WHERE stage IN (%s)", stages);
    int64_t n = count_of(sql);
    if (n == 0)
        return 0;
    snprintf(sql, sizeof sql, "SELECT id FROM leads WHERE stage IN (%s) ORDER BY id LIMIT 1 "
                              "OFFSET %u", stages, pick((unsigned)n));
    return count_of(sql);
}

#define WORKING "'accepted', 'contacted', 'qualified', 'proposal'"

static char last_actor[40] = "max";

/* One random write; refusals (a transition not allowed from the lead's
 * stage, an undo with nothing to take back) are part of the mix. */
static void random_write(int64_t nleads)
{
    static const char *const settings[][2] = {
        {"sla.accept_hours", "1"},   {"sla.accept_hours", "24"}, {"sla.first_touch_hours", "2"},
        {"sla.first_touch_hours", "48"}, {"stale_days", "1"},    {"stale_days", "7"},
    };
    int64_t id = nleads ? 1 + pick((unsigned)nleads) : 0;
    const char *who = people[pick(5)];
    const char *rep = pick(2) ? "sam" : "sue";
    int what = (int)pick(14);
    /* a minute to ten hours later; an undo comes a minute after the change */
    clock_now += what == 10 || what == 11 ? 60 : 60 * (1 + pick(600));
    if (what == 2)
        id = pick(4) ? lead_in("'nurture'") : id;
    else if (what == 3 || what == 4)
        id = pick(4) ? lead_in("'handed_off'") : id;
    else if (what >= 5 && what <= 9)
        id = pick(5) ? lead_in(WORKING) : id;
    switch (what) {
    case 0:
    case 1: {
        char name[32], value[16];
        snprintf(name, sizeof name, "Lead %u", pick(100000));
        snprintf(value, sizeof value, "%u", 100 * pick(50));
        lb_lead_input in = {name, "Co", NULL, NULL, NULL, NULL,
                            pick(3) ? (pick(2) ? "Expo" : "Web") : NULL, pick(4) ? value : NULL};
        as(pick(2) ? "mia" : "mo");
        act_lead_add(&ctx, &in, NULL, &err);
        break;
    }
    case 2:
        as(pick(2) ? "mia" : "max");
        act_handoff(&ctx, id, rep, NULL, 0, &err);
        break;
    case 3:
        as(pick(3) ? rep : "max");
        act_accept(&ctx, id, 0, &err);
        break;
    case 4:
        as(pick(3) ? rep : "max");
        act_reject_rated(&ctx, id, "not a fit", (int)pick(6), NULL, 0, 0, &err);
        break;
    case 5:
    case 6: {
        static const lb_stage to[] = {STAGE_CONTACTED, STAGE_QUALIFIED, STAGE_PROPOSAL,
                                      STAGE_WON,       STAGE_LOST,      STAGE_NURTURE,
                                      STAGE_ACCEPTED};
        lb_stage s = to[pick(7)];
        as(pick(4) ? rep : "max");
        act_move(&ctx, id, s, s == STAGE_WON ? "1500" : NULL,
                 s == STAGE_LOST || s == STAGE_NURTURE ? "gone quiet" : NULL, 0, &err);
        break;
    }
    case 7:
    case 8: {
        static const lb_outcome outs[] = {OUTCOME_CONNECTED, OUTCOME_VOICEMAIL, OUTCOME_NO_ANSWER,
                                          OUTCOME_MEETING_BOOKED};
        const char *const used[] = {"Deck"};
        lb_followup_input in = {KIND_CALL, outs[pick(4)], "note", "", pick(2) ? "+2d" : NULL,
                                used, (int)pick(2)};
        as(pick(4) ? rep : "max");
        act_log(&ctx, id, &in, NULL, NULL, &err);
        break;
    }
    case 9:
        as(pick(3) ? rep : "max");
        act_rate(&ctx, id, 1 + (int)pick(5), NULL, 0, "", NULL, &err);
        break;
    case 10:
    case 11: {
        char what_undone[256];
        (void)who;
        as(pick(4) ? last_actor : who);
        act_undo(&ctx, what_undone, sizeof what_undone, &err);
        break;
    }
    case 12: {
        char value[16];
        snprintf(value, sizeof value, "%u", 100 * pick(90));
        lb_lead_input in = {NULL, NULL, NULL, NULL, NULL, NULL,
                            pick(2) ? "Web" : "Expo", value};
        as(pick(2) ? "mia" : "max");
        act_lead_edit(&ctx, id, &in, 0, &err);
        break;
    }
    default: {
        int k = (int)pick(6);
        as("max");
        act_setting_set(&ctx, settings[k][0], settings[k][1], &err);
        break;
    }
    }
    if (what != 10 && what != 11)
        snprintf(last_actor, sizeof last_actor, "%s", ctx.actor.login);
}

START_TEST(test_totals_follow_random_writes)
{
    rng = 20261203u + (uint64_t)_i;
    int64_t nleads = 0;
    for (int step = 1; step <= 600; step++) {
        random_write(nleads);
        nleads = count_of("SELECT count(*) FROM leads");
        if (step % 150 == 0)
            import_some(step / 150);
        if (step % 100 == 0)
            assert_totals_exact(step);
    }
    /* The mix reached every kind of row the totals are made of. */
    ck_assert_int_gt(count_of("SELECT count(*) FROM handoffs WHERE acc_secs IS NOT NULL"), 0);
    ck_assert_int_gt(count_of("SELECT count(*) FROM handoffs WHERE touch_secs IS NOT NULL"), 0);
    ck_assert_int_gt(count_of("SELECT count(*) FROM handoffs WHERE next_at IS NOT NULL"), 0);
    ck_assert_int_gt(count_of("SELECT count(*) FROM changes WHERE undone_at IS NOT NULL"), 0);
    ck_assert_int_gt(count_of("SELECT count(*) FROM leads WHERE stage = 'won'"), 0);
    ck_assert_int_gt(count_of("SELECT count(*) FROM leads WHERE flag_at IS NOT NULL"), 0);
    assert_totals_exact(0);
}
END_TEST

/* The comparison can fail: a total changed behind the triggers' back is
 * caught, and init's repair (a missing trigger restored) recounts it. */
START_TEST(test_totals_drift_is_seen_and_repaired)
{
    rng = 7;
    for (int step = 0; step < 120; step++)
        random_write(count_of("SELECT count(*) FROM leads"));
    assert_totals_exact(0);
    db_close(db);
    db = NULL;
    raw("UPDATE lead_sums SET n = n + 1 WHERE day = (SELECT min(day) FROM lead_sums)");
    raw("UPDATE handoff_sums SET touch_ok = touch_ok + 1");
    raw("DROP TRIGGER handoffs_touch");
    ck_assert_int_gt(count_of(totals[0].sql), 0);
    ck_assert_int_gt(count_of(totals[2].sql), 0);
    lb_err_clear(&err);
    ck_assert_msg(db_open(path, &db, &err) == LB_OK, "db_open: %s", err.msg);
    CHECK_OK(db_restore_guards(db, &err));
    assert_totals_exact(0);
}
END_TEST

Suite *totals_suite(void)
{
    Suite *s = suite_create("totals");
    TCase *tc = tcase_create("recount");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_totals_follow_random_writes, 0, 2);
    tcase_add_test(tc, test_totals_drift_is_seen_and_repaired);
    suite_add_tcase(s, tc);
    return s;
}
