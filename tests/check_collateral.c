/* collateral.h: assets and the assets report, undo of a user's own last
 * change, and work-in-progress limits, on an in-memory database. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/actions.h"
#include "leadboard/collateral.h"
#include "leadboard/db.h"
#include "leadboard/report.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

static lb_db *db;
static lb_ctx ctx;
static lb_err err;
static lb_time clock_now;

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

/* Acts as login, `minutes` after the last action. */
static void as_after(const char *login, int minutes)
{
    char now[LB_TIME_BUF];
    clock_now += minutes * 60;
    time_format(clock_now, now);
    setenv("LEADBOARD_NOW", now, 1);
    lb_err e;
    ck_assert_msg(ctx_init(&ctx, db, login, &e) == LB_OK, "ctx_init(%s): %s", login, e.msg);
}
static void as(const char *login) { as_after(login, 1); }

static lb_lead get(int64_t id)
{
    lb_lead l;
    ck_assert_int_eq(lead_get(db, id, &l, &err), LB_OK);
    return l;
}

static int64_t add_lead(const char *name)
{
    int64_t id = 0;
    lb_lead_input in = {.name = name, .value = "1000"};
    as("ana");
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    return id;
}

/* A lead handed to bob and accepted. */
static int64_t bobs_lead(const char *name)
{
    int64_t id = add_lead(name);
    CHECK_OK(act_handoff(&ctx, id, "bob", NULL, 0, &err));
    as("bob");
    CHECK_OK(act_accept(&ctx, id, 0, &err));
    return id;
}

static void setup(void)
{
    lb_err e;
    ck_assert_int_eq(test_db_open(&db, &e), LB_OK);
    clock_now = 1763629200; /* 2025-11-20T09:00:00Z */
    as("max");
    CHECK_OK(act_user_add(&ctx, "max", "manager", NULL, &err));
    CHECK_OK(act_user_add(&ctx, "ana", "marketing", NULL, &err));
    CHECK_OK(act_user_add(&ctx, "bob", "sales", NULL, &err));
    CHECK_OK(act_user_add(&ctx, "cara", "sales", NULL, &err));
}

static void teardown(void)
{
    db_close(db);
    unsetenv("LEADBOARD_NOW");
}

static void add_asset(const char *name, const char *kind)
{
    lb_asset_input in = {name, kind, NULL, NULL};
    as("ana");
    CHECK_OK(act_asset_add(&ctx, &in, NULL, &err));
}

static void log_with(int64_t lead, lb_outcome outcome, const char *a1, const char *a2)
{
    const char *names[2] = {a1, a2};
    lb_followup_input in = {.kind = KIND_CALL, .outcome = outcome, .assets = names,
                            .nassets = a2 ? 2 : a1 ? 1 : 0};
    as("bob");
    CHECK_OK(act_log(&ctx, lead, &in, NULL, NULL, &err));
}

static lb_asset asset(const char *name)
{
    lb_asset a;
    ck_assert_int_eq(asset_get(db, name, &a, &err), LB_OK);
    return a;
}

START_TEST(test_asset_add_rules)
{
    lb_asset_input in = {"Deck", "deck", "https://x.test/d", NULL};
    as("bob");
    ck_assert_int_eq(act_asset_add(&ctx, &in, NULL, &err), LB_EPERM);
    as("ana");
    CHECK_OK(act_asset_add(&ctx, &in, NULL, &err));
    ck_assert_int_eq(act_asset_add(&ctx, &in, NULL, &err), LB_EINVAL); /* again */
    lb_asset_input bad = {"Other", "brochure", NULL, NULL};
    ck_assert_int_eq(act_asset_add(&ctx, &bad, NULL, &err), LB_EINVAL);
    lb_asset_input blank = {"  ", NULL, NULL, NULL};
    ck_assert_int_eq(act_asset_add(&ctx, &blank, NULL, &err), LB_EINVAL);
    lb_asset_input nocamp = {"X", NULL, NULL, "Nope"};
    ck_assert_int_eq(act_asset_add(&ctx, &nocamp, NULL, &err), LB_ENOTFOUND);
    lb_asset a = asset("DECK");
    ck_assert_str_eq(a.name, "Deck");
    ck_assert_int_eq(a.kind, ASSET_DECK);
    ck_assert_str_eq(a.added_by, "ana");
}
END_TEST

/* The counts the triggers keep, against the rule: used = follow-ups,
 * leads = distinct leads, won / lost = those leads now won / lost. */
START_TEST(test_asset_counts)
{
    add_asset("Deck", "deck");
    add_asset("Case", "case_study");
    add_asset("Never", NULL);
    int64_t a = bobs_lead("A"), b = bobs_lead("B"), c = bobs_lead("C");
    log_with(a, OUTCOME_CONNECTED, "Deck", "case");
    log_with(a, OUTCOME_VOICEMAIL, "Deck", "Deck"); /* a repeat counts once */
    log_with(b, OUTCOME_CONNECTED, "Deck", NULL);
    log_with(c, OUTCOME_CONNECTED, "Case", NULL);
    lb_followup_input bad_in = {.kind = KIND_CALL, .outcome = OUTCOME_VOICEMAIL,
                                .assets = (const char *const[]){"Nope"}, .nassets = 1};
    ck_assert_int_eq(act_log(&ctx, a, &bad_in, NULL, NULL, &err), LB_ENOTFOUND);
    as("bob");
    CHECK_OK(act_move(&ctx, a, STAGE_WON, NULL, NULL, 0, &err));
    CHECK_OK(act_move(&ctx, b, STAGE_LOST, NULL, "no budget", 0, &err));

    lb_asset d = asset("Deck");
    ck_assert_int_eq(d.used, 3);
    ck_assert_int_eq(d.leads, 2);
    ck_assert_int_eq(d.won, 1);
    ck_assert_int_eq(d.lost, 1);
    lb_asset k = asset("Case");
    ck_assert_int_eq(k.used, 2);
    ck_assert_int_eq(k.won, 1);
    ck_assert_int_eq(k.lost, 0);
    int64_t total, unused;
    CHECK_OK(asset_unused_count(db, &total, &unused, &err));
    ck_assert_int_eq(total, 3);
    ck_assert_int_eq(unused, 1);

    /* Reopened: no longer won. */
    as("max");
    CHECK_OK(act_move(&ctx, a, STAGE_ACCEPTED, NULL, NULL, 0, &err));
    ck_assert_int_eq(asset("Deck").won, 0);
    ck_assert_int_eq(asset("Case").won, 0);
}
END_TEST

typedef struct {
    int n;
    char names[8][64];
    int64_t used[8];
    lb_fixed rate[8];
} rows_seen;

static int seen_row(const lb_asset_row *r, void *ud)
{
    rows_seen *s = ud;
    if (s->n < 8) {
        snprintf(s->names[s->n], sizeof s->names[0], "%.60s", r->a.name);
        s->used[s->n] = r->a.used;
        s->rate[s->n] = r->win_rate;
        s->n++;
    }
    return 0;
}

START_TEST(test_report_assets)
{
    add_asset("Deck", "deck");
    add_asset("Alpha", NULL);
    add_asset("Case", NULL);
    int64_t a = bobs_lead("A"), b = bobs_lead("B");
    log_with(a, OUTCOME_CONNECTED, "Case", NULL);
    log_with(b, OUTCOME_CONNECTED, "Case", "Deck");
    as("bob");
    CHECK_OK(act_move(&ctx, a, STAGE_WON, NULL, NULL, 0, &err));
    CHECK_OK(act_move(&ctx, b, STAGE_LOST, NULL, "no", 0, &err));
    lb_report_range r;
    CHECK_OK(report_range_init(&r, clock_now, NULL, NULL, false, &err));
    rows_seen s = {0};
    CHECK_OK(report_assets(db, &r, seen_row, &s, &err));
    ck_assert_int_eq(s.n, 3);
    /* the most used first, then by name */
    ck_assert_str_eq(s.names[0], "Case");
    ck_assert_str_eq(s.names[1], "Deck");
    ck_assert_str_eq(s.names[2], "Alpha");
    ck_assert_int_eq(s.used[0], 2);
    ck_assert(s.rate[0].has);
    ck_assert_int_eq(s.rate[0].v, 50);
    ck_assert(s.rate[1].has);
    ck_assert_int_eq(s.rate[1].v, 0);
    ck_assert(!s.rate[2].has); /* neither won nor lost: empty */
}
END_TEST

static void undo_ok(const char *login, const char *want)
{
    char what[512];
    as(login);
    lb_err_clear(&err);
    lb_status st = act_undo(&ctx, what, sizeof what, &err);
    ck_assert_msg(st == LB_OK, "undo as %s: %s", login, err.msg);
    ck_assert_msg(strstr(what, want) != NULL, "undo said '%s', wanted '%s'", what, want);
}

static lb_status undo_as(const char *login, int minutes)
{
    char what[512];
    as_after(login, minutes);
    lb_err_clear(&err);
    return act_undo(&ctx, what, sizeof what, &err);
}

START_TEST(test_undo_sequence)
{
    add_asset("Deck", NULL);
    int64_t id = bobs_lead("A");
    lb_lead before_log = get(id);
    log_with(id, OUTCOME_CONNECTED, "Deck", NULL); /* moves to contacted */
    const char *tags[] = {"fit"};
    int64_t rid;
    as("bob");
    CHECK_OK(act_rate(&ctx, id, 4, tags, 1, "good", &rid, &err));
    CHECK_OK(act_move(&ctx, id, STAGE_PROPOSAL, NULL, NULL, 0, &err));

    undo_ok("bob", "move of lead");
    ck_assert_int_eq(get(id).stage, STAGE_CONTACTED);
    undo_ok("bob", "rating");
    ck_assert_int_eq(get(id).stars, 0);
    int64_t total, unreviewed;
    CHECK_OK(rating_counts(db, NULL, &total, &unreviewed, &err));
    ck_assert_int_eq(total, 0);
    ck_assert_int_eq(unreviewed, 0);
    undo_ok("bob", "follow-up");
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_ACCEPTED);
    ck_assert_str_eq(l.first_touch_at, before_log.first_touch_at);
    ck_assert_int_eq(l.version, before_log.version + 6); /* 3 changes, 3 undos: each a version */
    ck_assert_int_eq(asset("Deck").used, 0);
    ck_assert_int_eq(asset("Deck").leads, 0);
    undo_ok("bob", "acceptance");
    ck_assert_int_eq(get(id).stage, STAGE_HANDED_OFF);
    ck_assert_int_eq(undo_as("bob", 1), LB_ENOTFOUND);
    undo_ok("ana", "hand-off");
    ck_assert_int_eq(get(id).stage, STAGE_NURTURE);
    ck_assert_int_eq(get(id).owner_id, 0);
}
END_TEST

START_TEST(test_undo_refusals)
{
    int64_t id = bobs_lead("A");
    as("bob");
    CHECK_OK(act_move(&ctx, id, STAGE_QUALIFIED, NULL, NULL, 0, &err));
    /* someone else changed the lead since */
    as("max");
    CHECK_OK(act_comment(&ctx, id, "hm", NULL, &err));
    ck_assert_int_eq(undo_as("bob", 1), LB_ECONFLICT);
    ck_assert_msg(strstr(err.msg, "changed since by max") != NULL, "%s", err.msg);
    ck_assert_int_eq(get(id).stage, STAGE_QUALIFIED);
    /* max takes it back: bob's undo works again, but not after 15 minutes */
    ck_assert_int_eq(undo_as("max", 1), LB_OK);
    ck_assert_int_eq(undo_as("bob", 16), LB_ETRANSITION);
    ck_assert_msg(strstr(err.msg, "too old") != NULL, "%s", err.msg);
    as("max");
    CHECK_OK(act_setting_set(&ctx, "undo_minutes", "60", &err));
    ck_assert_int_eq(undo_as("bob", 1), LB_OK);
    ck_assert_int_eq(get(id).stage, STAGE_ACCEPTED);
    /* a change made outside the changes (another version) also refuses */
    int64_t id2 = bobs_lead("B");
    as("bob");
    CHECK_OK(act_move(&ctx, id2, STAGE_CONTACTED, NULL, NULL, 0, &err));
    CHECK_OK(db_exec_raw(db, "UPDATE leads SET version = version + 1 WHERE id = 2", &err));
    ck_assert_int_eq(undo_as("bob", 1), LB_ECONFLICT);
}
END_TEST

START_TEST(test_wip)
{
    bobs_lead("A");
    bobs_lead("B");
    int64_t c = bobs_lead("C");
    as("bob");
    CHECK_OK(act_move(&ctx, c, STAGE_PROPOSAL, NULL, NULL, 0, &err));
    int64_t counts[STAGE_COUNT];
    CHECK_OK(wip_over_counts(db, counts, &err));
    ck_assert_int_eq(counts[STAGE_ACCEPTED], 0); /* no limit set */
    as("bob");
    ck_assert_int_eq(act_setting_set(&ctx, "wip.accepted", "1", &err), LB_EPERM);
    as("max");
    CHECK_OK(act_setting_set(&ctx, "wip.accepted", "1", &err));
    CHECK_OK(act_setting_set(&ctx, "wip.proposal", "1", &err));
    CHECK_OK(wip_over_counts(db, counts, &err));
    ck_assert_int_eq(counts[STAGE_ACCEPTED], 1); /* bob: 2 > 1 */
    ck_assert_int_eq(counts[STAGE_PROPOSAL], 0); /* bob: 1, at the limit */
    char line[256];
    CHECK_OK(wip_handoff_warning(db, "bob", line, sizeof line, &err));
    ck_assert_str_eq(line, "bob already holds 2 accepted leads (wip.accepted is 1)");
    CHECK_OK(wip_handoff_warning(db, "cara", line, sizeof line, &err));
    ck_assert_str_eq(line, "");
    ck_assert_int_eq(act_setting_set(&ctx, "wip.nurture", "1", &err), LB_EINVAL);
}
END_TEST

Suite *collateral_suite(void)
{
    Suite *s = suite_create("collateral");
    TCase *tc = tcase_create("collateral");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_asset_add_rules);
    tcase_add_test(tc, test_asset_counts);
    tcase_add_test(tc, test_report_assets);
    tcase_add_test(tc, test_undo_sequence);
    tcase_add_test(tc, test_undo_refusals);
    tcase_add_test(tc, test_wip);
    suite_add_tcase(s, tc);
    return s;
}
