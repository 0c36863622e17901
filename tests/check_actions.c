/* actions.h: everything a user can do, end to end on an in-memory database:
 * bootstrapping, permissions, the pipeline, follow-ups, ratings, feedback,
 * goals, settings, stale edits and the audit trail. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/actions.h"
#include "leadboard/db.h"
#include "leadboard/domain.h"
#include "leadboard/model.h"
#include "leadboard/rules.h"
#include "leadboard/status.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#include "suites.h"

static lb_db *db;
static lb_ctx ctx;
static lb_err err;

/* The clock: every as() moves it on a minute, so that each action has its
 * own time and timelines have a definite order. */
static const lb_time T0 = 1709542800; /* 2024-03-04T09:00:00Z */
static lb_time clock_now;

#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

/* Acts as login (NULL: $LEADBOARD_USER / OS login) a minute later. */
static void as(const char *login)
{
    char now[LB_TIME_BUF];
    clock_now += 60;
    time_format(clock_now, now);
    setenv("LEADBOARD_NOW", now, 1);
    lb_err e;
    lb_err_clear(&e);
    ck_assert_msg(ctx_init(&ctx, db, login, &e) == LB_OK, "ctx_init(%s): %s",
                  login ? login : "(env)", e.msg);
    ck_assert_str_eq(ctx.now_iso, now);
}

static lb_lead get(int64_t id)
{
    lb_lead l;
    lb_err e;
    ck_assert_msg(lead_get(db, id, &l, &e) == LB_OK, "lead_get(%lld): %s", (long long)id, e.msg);
    return l;
}

static int64_t events(int64_t lead_id)
{
    int64_t n = -1;
    lb_err e;
    ck_assert_int_eq(event_count(db, lead_id, &n, &e), LB_OK);
    return n;
}

static int64_t users(void)
{
    int64_t n = -1;
    lb_err e;
    ck_assert_int_eq(user_count(db, &n, &e), LB_OK);
    return n;
}

/* Runs "SELECT <expr>" through the raw interface, via a scratch setting, so
 * the tests can look at tables the stores do not read back (the events). */
static int64_t sql_int(const char *expr)
{
    char sql[1024], buf[64];
    lb_err e;
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO settings(key, value) SELECT 'test.probe', (%s)", expr);
    ck_assert_msg(db_exec_raw(db, sql, &e) == LB_OK, "%s: %s", sql, e.msg);
    ck_assert_int_eq(setting_get(db, "test.probe", buf, sizeof buf, &e), LB_OK);
    return strtoll(buf, NULL, 10);
}

/* ---- timeline and tables ---------------------------------------------- */

typedef struct {
    int n, events, followups, ratings, comments;
    char last_user[LB_LOGIN_MAX + 1];
    bool entry_without_user;
    const char *needle; /* an entry whose detail contains this */
    bool found;
} timeline_info;

static int scan_entry(const lb_timeline_entry *e, void *ud)
{
    timeline_info *t = ud;
    t->n++;
    if (e->user[0] == '\0')
        t->entry_without_user = true;
    strcpy(t->last_user, e->user);
    if (t->needle != NULL && strstr(e->detail, t->needle) != NULL)
        t->found = true;
    /* model.h: type is the event's action; follow-ups, ratings and
     * comments are "log", "rate" and "comment", the rest are changes. */
    if (strcmp(e->type, "log") == 0)
        t->followups++;
    else if (strcmp(e->type, "rate") == 0)
        t->ratings++;
    else if (strcmp(e->type, "comment") == 0)
        t->comments++;
    else
        t->events++;
    return 0;
}

static timeline_info timeline(int64_t lead_id, const char *needle)
{
    timeline_info t;
    memset(&t, 0, sizeof t);
    t.needle = needle;
    lb_err e;
    ck_assert_int_eq(timeline_each(db, lead_id, scan_entry, &t, &e), LB_OK);
    return t;
}

/* Rows of a table (followups, ratings, comments) about a lead. */
static int64_t rows(const char *table, int64_t lead_id)
{
    /* Fixed statements per table: no SQL is assembled from a name. */
    const char *base = strcmp(table, "followups") == 0
                           ? "SELECT count(*) FROM followups WHERE lead_id = "
                       : strcmp(table, "ratings") == 0
                           ? "SELECT count(*) FROM ratings WHERE lead_id = "
                           : "SELECT count(*) FROM comments WHERE lead_id = ";
    ck_assert(strcmp(table, "followups") == 0 || strcmp(table, "ratings") == 0 ||
              strcmp(table, "comments") == 0);
    char q[128];
    snprintf(q, sizeof q, "%s%lld", base, (long long)lead_id);
    return sql_int(q);
}

/* Was the lead's latest event made by this user? */
static bool last_event_by(int64_t lead_id, const char *login)
{
    lb_user u;
    lb_err e;
    if (user_get(db, login, &u, &e) != LB_OK)
        return false;
    char q[256];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM events WHERE id = (SELECT max(id) FROM events WHERE "
             "lead_id = %lld) AND actor_id = %lld",
             (long long)lead_id, (long long)u.id);
    return sql_int(q) == 1;
}

/* ---- "a refused action writes nothing" --------------------------------- */

typedef struct {
    int64_t all_events, lead_events, users;
    int64_t version, owner_id;
    lb_stage stage;
    int stars, timeline;
    char updated_at[LB_TIME_BUF];
} snap;

static snap take(int64_t lead_id)
{
    snap s;
    memset(&s, 0, sizeof s);
    s.all_events = events(0);
    s.users = users();
    if (lead_id > 0) {
        lb_lead l;
        lb_err e;
        if (lead_get(db, lead_id, &l, &e) == LB_OK) {
            s.lead_events = events(lead_id);
            s.version = l.version;
            s.owner_id = l.owner_id;
            s.stage = l.stage;
            s.stars = l.stars;
            strcpy(s.updated_at, l.updated_at);
            s.timeline = timeline(lead_id, NULL).n;
        }
    }
    return s;
}

static void same(const snap *a, const snap *b, const char *what)
{
    ck_assert_msg(a->all_events == b->all_events, "%s wrote %lld event(s)", what,
                  (long long)(b->all_events - a->all_events));
    ck_assert_msg(a->users == b->users, "%s changed the users", what);
    ck_assert_msg(a->lead_events == b->lead_events, "%s wrote lead events", what);
    ck_assert_msg(a->version == b->version, "%s changed the lead's version", what);
    ck_assert_msg(a->stage == b->stage, "%s changed the stage", what);
    ck_assert_msg(a->owner_id == b->owner_id, "%s changed the owner", what);
    ck_assert_msg(a->stars == b->stars, "%s changed the stars", what);
    ck_assert_msg(a->timeline == b->timeline, "%s added to the timeline", what);
    ck_assert_msg(strcmp(a->updated_at, b->updated_at) == 0, "%s touched the lead", what);
}

#define ANY_ERROR (-1)

/* call must fail with want (or any error for ANY_ERROR), with a message, and
 * leave the database as it was. */
#define REFUSED(lead_id, want, call)                                                               \
    do {                                                                                           \
        snap before_ = take(lead_id);                                                              \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        if ((want) == ANY_ERROR)                                                                   \
            ck_assert_msg(st_ != LB_OK, "%s should have been refused", #call);                     \
        else                                                                                       \
            ck_assert_msg(st_ == (lb_status)(want), "%s returned %d, expected %d (%s)", #call,     \
                          (int)st_, (int)(want), err.msg);                                         \
        ck_assert_msg(err.msg[0] != '\0', "%s refused without a message", #call);                  \
        snap after_ = take(lead_id);                                                               \
        same(&before_, &after_, #call);                                                            \
    } while (0)

/* ---- fixtures ---------------------------------------------------------- */

static void empty_setup(void)
{
    db = NULL;
    clock_now = T0;
    lb_err_clear(&err);
    unsetenv("LEADBOARD_USER");
    ck_assert_msg(test_db_open(&db, &err) == LB_OK, "db_open: %s", err.msg);
}

static void teardown(void)
{
    if (db != NULL)
        db_close(db);
    db = NULL;
}

static int64_t bootstrap_events_without_actor;
static int64_t spring; /* campaign id */

/* max (manager) bootstraps; mia and mo are marketing, sam and sue sales. */
static void team_setup(void)
{
    empty_setup();
    as("max");
    CHECK_OK(act_user_add(&ctx, "max", "manager", "Max Manager", &err));
    as("max");
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", "Mia Marketer", &err));
    CHECK_OK(act_user_add(&ctx, "mo", "marketing", "Mo Marketer", &err));
    CHECK_OK(act_user_add(&ctx, "sam", "sales", "Sam Seller", &err));
    CHECK_OK(act_user_add(&ctx, "sue", "sales", "Sue Seller", &err));
    bootstrap_events_without_actor = sql_int("SELECT count(*) FROM events WHERE actor_id IS NULL");
    as("mia");
    lb_campaign_input c = {.name = "Spring Expo",
                           .channel = "event",
                           .cost = "1500.50",
                           .start = "2024-03-01",
                           .end = "2024-03-31"};
    CHECK_OK(act_campaign_add(&ctx, &c, &spring, &err));
}

/* ---- building leads through the actions -------------------------------- */

static int64_t new_lead(const char *name, const char *value)
{
    as("mia");
    lb_lead_input in = {
        .name = name, .company = "Initech", .campaign = "Spring Expo", .value = value};
    int64_t id = 0;
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    ck_assert_int_gt(id, 0);
    return id;
}

static void handoff(int64_t id, const char *to)
{
    as("mia");
    CHECK_OK(act_handoff(&ctx, id, to, NULL, 0, &err));
}

static void accept_lead(int64_t id)
{
    as("sam");
    CHECK_OK(act_accept(&ctx, id, 0, &err));
}

static void move_lead(int64_t id, const char *who, lb_stage to, const char *value,
                      const char *reason)
{
    as(who);
    CHECK_OK(act_move(&ctx, id, to, value, reason, 0, &err));
}

/* A lead owned by sam, brought to `stage` the ordinary way. */
static int64_t lead_at(lb_stage stage, const char *value)
{
    int64_t id = new_lead("Ada Lovelace", value);
    if (stage == STAGE_NURTURE)
        return id;
    handoff(id, "sam");
    if (stage == STAGE_HANDED_OFF)
        return id;
    accept_lead(id);
    if (stage == STAGE_ACCEPTED)
        return id;
    if (stage == STAGE_WON) {
        move_lead(id, "sam", STAGE_PROPOSAL, NULL, NULL);
        move_lead(id, "sam", STAGE_WON, value ? NULL : "1000", NULL);
        return id;
    }
    if (stage == STAGE_LOST) {
        move_lead(id, "sam", STAGE_PROPOSAL, NULL, NULL);
        move_lead(id, "sam", STAGE_LOST, NULL, "went with a competitor");
        return id;
    }
    move_lead(id, "sam", stage, NULL, NULL);
    ck_assert_int_eq(get(id).stage, stage);
    return id;
}

/* ---- the context -------------------------------------------------------- */

START_TEST(test_ctx_clock_and_actor)
{
    setenv("LEADBOARD_NOW", "2024-03-04T09:00:00Z", 1);
    CHECK_OK(ctx_init(&ctx, db, "mia", &err));
    ck_assert_int_eq(ctx.now, T0);
    ck_assert_str_eq(ctx.now_iso, "2024-03-04T09:00:00Z");
    ck_assert(ctx.has_actor);
    ck_assert_str_eq(ctx.actor.login, "mia");
    ck_assert_int_eq(ctx.actor.team, TEAM_MARKETING);
    ck_assert_ptr_eq(ctx.db, db);
    ck_assert_uint_gt(strlen(ctx.os_login), 0);
    CHECK_OK(ctx_require_actor(&ctx, &err));

    setenv("LEADBOARD_NOW", "2024-03-05", 1);
    CHECK_OK(ctx_init(&ctx, db, "sam", &err));
    ck_assert_int_eq(ctx.now, T0 + 15 * 3600);
    ck_assert_str_eq(ctx.now_iso, "2024-03-05T00:00:00Z");
    ck_assert_int_eq(ctx.actor.team, TEAM_SALES);
}
END_TEST

START_TEST(test_ctx_unknown_login)
{
    as("ghost");
    ck_assert(!ctx.has_actor);
    lb_err_clear(&err);
    ck_assert_int_ne(ctx_require_actor(&ctx, &err), LB_OK);
    ck_assert_msg(strstr(err.msg, "ghost") != NULL, "\"%s\" does not name the login", err.msg);
    ck_assert_msg(strstr(err.msg, "user add") != NULL, "\"%s\" does not say how to add one",
                  err.msg);
}
END_TEST

START_TEST(test_ctx_user_from_environment)
{
    setenv("LEADBOARD_USER", "sue", 1);
    as(NULL);
    ck_assert(ctx.has_actor);
    ck_assert_str_eq(ctx.actor.login, "sue");
    /* --as wins over the environment */
    as("mo");
    ck_assert_str_eq(ctx.actor.login, "mo");
    unsetenv("LEADBOARD_USER");
}
END_TEST

START_TEST(test_ctx_invalid_now)
{
    setenv("LEADBOARD_NOW", "2024-02-30", 1);
    lb_err_clear(&err);
    ck_assert_int_ne(ctx_init(&ctx, db, "mia", &err), LB_OK);
    ck_assert_msg(err.msg[0] != '\0', "no message");
}
END_TEST

START_TEST(test_sla_load_defaults_and_setting)
{
    lb_sla sla;
    CHECK_OK(sla_load(db, &sla, &err));
    ck_assert_int_eq(sla.accept_hours, 24);
    ck_assert_int_eq(sla.first_touch_hours, 48);
    ck_assert_int_eq(sla.stale_days, 7);

    as("max");
    int64_t before = events(0);
    CHECK_OK(act_setting_set(&ctx, "sla.accept_hours", "12", &err));
    CHECK_OK(act_setting_set(&ctx, "stale_days", "10", &err));
    ck_assert_int_gt(events(0), before);
    CHECK_OK(sla_load(db, &sla, &err));
    ck_assert_int_eq(sla.accept_hours, 12);
    ck_assert_int_eq(sla.first_touch_hours, 48);
    ck_assert_int_eq(sla.stale_days, 10);
}
END_TEST

START_TEST(test_setting_set_refused)
{
    as("sam");
    REFUSED(0, LB_EPERM, act_setting_set(&ctx, "sla.accept_hours", "1", &err));
    as("mia");
    REFUSED(0, LB_EPERM, act_setting_set(&ctx, "stale_days", "1", &err));
    as("max");
    REFUSED(0, LB_EINVAL, act_setting_set(&ctx, "no.such.setting", "1", &err));
    REFUSED(0, LB_EINVAL, act_setting_set(&ctx, "sla.accept_hours", "soon", &err));
    REFUSED(0, LB_EINVAL, act_setting_set(&ctx, "sla.first_touch_hours", "-3", &err));
    lb_sla sla;
    CHECK_OK(sla_load(db, &sla, &err));
    ck_assert_int_eq(sla.accept_hours, 24);
    ck_assert_int_eq(sla.first_touch_hours, 48);
    ck_assert_int_eq(sla.stale_days, 7);
}
END_TEST

/* ---- users --------------------------------------------------------------- */

START_TEST(test_bootstrap)
{
    ck_assert_int_eq(users(), 0);
    as("boss");
    ck_assert(!ctx.has_actor);
    CHECK_OK(act_user_add(&ctx, "boss", "manager", "The Boss", &err));
    ck_assert_int_eq(users(), 1);
    lb_user u;
    CHECK_OK(user_get(db, "boss", &u, &err));
    ck_assert_int_eq(u.team, TEAM_MANAGER);
    ck_assert_str_eq(u.name, "The Boss");
    ck_assert(u.active);
    ck_assert_int_ge(events(0), 1);

    /* Now there is a user: someone unknown may not add more. */
    as("ghost");
    ck_assert(!ctx.has_actor);
    REFUSED(0, ANY_ERROR, act_user_add(&ctx, "eve", "sales", "Eve", &err));
    ck_assert_int_eq(user_get(db, "eve", &u, &err), LB_ENOTFOUND);

    /* The manager may. */
    as("boss");
    ck_assert(ctx.has_actor);
    CHECK_OK(act_user_add(&ctx, "sam", "sales", "Sam", &err));
    CHECK_OK(act_user_add(&ctx, "mia", "marketing", NULL, &err));
    ck_assert_int_eq(users(), 3);

    /* Nobody else. */
    as("sam");
    REFUSED(0, LB_EPERM, act_user_add(&ctx, "sid", "sales", "Sid", &err));
    as("mia");
    REFUSED(0, LB_EPERM, act_user_add(&ctx, "sid", "sales", "Sid", &err));
    ck_assert_int_eq(users(), 3);
}
END_TEST

START_TEST(test_bootstrap_still_validates)
{
    as("boss");
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "Boss", "manager", NULL, &err));
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "boss", "chief", NULL, &err));
    ck_assert_int_eq(users(), 0);
}
END_TEST

START_TEST(test_user_add_bad_input)
{
    as("max");
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "Bad Login", "sales", NULL, &err));
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "", "sales", NULL, &err));
    REFUSED(0, LB_EINVAL,
            act_user_add(&ctx, "abcdefghijklmnopqrstuvwxyz0123456", "sales", NULL, &err));
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "s\xc3\xa1m", "sales", NULL, &err));
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "tim", "boss", NULL, &err));
    ck_assert_msg(strstr(err.msg, "marketing") && strstr(err.msg, "sales") &&
                      strstr(err.msg, "manager"),
                  "\"%s\" does not list the teams", err.msg);
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "tim", "Sales", NULL, &err));
    REFUSED(0, LB_EINVAL, act_user_add(&ctx, "tim", "sales", "bad\x01name", &err));
    REFUSED(0, ANY_ERROR, act_user_add(&ctx, "sam", "sales", "Another Sam", &err));
    lb_user u;
    CHECK_OK(user_get(db, "sam", &u, &err));
    ck_assert_str_eq(u.name, "Sam Seller");
}
END_TEST

/* ---- campaigns ------------------------------------------------------------- */

START_TEST(test_campaign_add)
{
    lb_campaign c;
    CHECK_OK(campaign_get(db, "Spring Expo", &c, &err));
    ck_assert_int_eq(c.id, spring);
    ck_assert_int_eq(c.channel, CHANNEL_EVENT);
    ck_assert_int_eq(c.cost, 150050);
    ck_assert_uint_gt(strlen(c.start_date), 0);
    ck_assert_int_eq(strncmp(c.start_date, "2024-03-01", 10), 0);
    ck_assert_int_eq(strncmp(c.end_date, "2024-03-31", 10), 0);

    /* defaults: channel other, cost 0 */
    as("max");
    lb_campaign_input in = {.name = "Word of mouth"};
    int64_t id = 0;
    CHECK_OK(act_campaign_add(&ctx, &in, &id, &err));
    ck_assert_int_gt(id, spring);
    CHECK_OK(campaign_get(db, "word of mouth", &c, &err));
    ck_assert_int_eq(c.channel, CHANNEL_OTHER);
    ck_assert_int_eq(c.cost, 0);
}
END_TEST

START_TEST(test_campaign_add_refused)
{
    int64_t id = 0;
    as("sam");
    lb_campaign_input ok = {.name = "Cold calls", .channel = "outbound"};
    REFUSED(0, LB_EPERM, act_campaign_add(&ctx, &ok, &id, &err));
    as("mia");
    lb_campaign_input bad_channel = {.name = "TV", .channel = "tv"};
    REFUSED(0, LB_EINVAL, act_campaign_add(&ctx, &bad_channel, &id, &err));
    lb_campaign_input bad_cost = {.name = "Ads", .cost = "-1"};
    REFUSED(0, LB_EINVAL, act_campaign_add(&ctx, &bad_cost, &id, &err));
    lb_campaign_input bad_date = {.name = "Ads", .start = "2024-02-30"};
    REFUSED(0, LB_EINVAL, act_campaign_add(&ctx, &bad_date, &id, &err));
    lb_campaign_input no_name = {.name = ""};
    REFUSED(0, LB_EINVAL, act_campaign_add(&ctx, &no_name, &id, &err));
    lb_campaign_input dup = {.name = "spring expo"};
    REFUSED(0, ANY_ERROR, act_campaign_add(&ctx, &dup, &id, &err));
    lb_campaign c;
    ck_assert_int_eq(campaign_get(db, "Cold calls", &c, &err), LB_ENOTFOUND);
    ck_assert_int_eq(campaign_get(db, "Ads", &c, &err), LB_ENOTFOUND);
}
END_TEST

/* ---- leads ------------------------------------------------------------------- */

START_TEST(test_lead_add)
{
    int64_t before = events(0);
    as("mia");
    lb_lead_input in = {.name = "Ada Lovelace",
                        .company = "Analytical Engines",
                        .title = "CTO",
                        .email = "ada@example.com",
                        .phone = "+44 20 7946 0000",
                        .notes = "met at the expo\nwants a demo",
                        .campaign = "spring expo",
                        .value = "12500.5"};
    int64_t id = 0;
    CHECK_OK(act_lead_add(&ctx, &in, &id, &err));
    ck_assert_int_gt(id, 0);
    lb_lead l = get(id);
    ck_assert_str_eq(l.name, "Ada Lovelace");
    ck_assert_str_eq(l.company, "Analytical Engines");
    ck_assert_str_eq(l.title, "CTO");
    ck_assert_str_eq(l.email, "ada@example.com");
    ck_assert_str_eq(l.notes, "met at the expo\nwants a demo");
    ck_assert_int_eq(l.campaign_id, spring);
    ck_assert_str_eq(l.campaign, "Spring Expo");
    ck_assert(l.has_value);
    ck_assert_int_eq(l.value, 1250050);
    ck_assert_str_eq(l.marketer, "mia");
    ck_assert_int_eq(l.marketer_id, ctx.actor.id);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.owner, "");
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.furthest, STAGE_NURTURE);
    ck_assert_int_eq(l.version, 1);
    ck_assert_str_eq(l.created_at, ctx.now_iso);
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
    ck_assert_int_eq(l.stars, 0);
    ck_assert_int_gt(events(0), before);
    ck_assert_int_ge(events(id), 1);

    /* a second lead gets another id; a manager may add too */
    as("max");
    lb_lead_input in2 = {.name = "Grace Hopper"};
    int64_t id2 = 0;
    CHECK_OK(act_lead_add(&ctx, &in2, &id2, &err));
    ck_assert_int_ne(id2, id);
    ck_assert(!get(id2).has_value);
    ck_assert_int_eq(get(id2).campaign_id, 0);
}
END_TEST

static int count_leads_fn(const lb_lead *l, void *ud)
{
    (void)l;
    (*(int *)ud)++;
    return 0;
}

static int count_leads(void)
{
    lb_lead_filter f = {0};
    int n = 0;
    lb_err e;
    ck_assert_int_eq(lead_each(db, &f, count_leads_fn, &n, &e), LB_OK);
    return n;
}

START_TEST(test_lead_add_refused)
{
    int64_t id = 0;
    as("sam");
    lb_lead_input ok = {.name = "Ada"};
    REFUSED(0, LB_EPERM, act_lead_add(&ctx, &ok, &id, &err));
    as("mia");
    lb_lead_input no_name = {.company = "Nameless Inc"};
    REFUSED(0, LB_EINVAL, act_lead_add(&ctx, &no_name, &id, &err));
    lb_lead_input empty_name = {.name = ""};
    REFUSED(0, LB_EINVAL, act_lead_add(&ctx, &empty_name, &id, &err));
    lb_lead_input bad_value = {.name = "Ada", .value = "1,00"};
    REFUSED(0, LB_EINVAL, act_lead_add(&ctx, &bad_value, &id, &err));
    lb_lead_input bad_campaign = {.name = "Ada", .campaign = "No Such Campaign"};
    REFUSED(0, ANY_ERROR, act_lead_add(&ctx, &bad_campaign, &id, &err));
    char company[200];
    memset(company, 'c', 121);
    company[121] = '\0';
    lb_lead_input long_company = {.name = "Ada", .company = company};
    REFUSED(0, LB_EINVAL, act_lead_add(&ctx, &long_company, &id, &err));
    lb_lead_input control = {.name = "Ada\x1b[2J"};
    REFUSED(0, LB_EINVAL, act_lead_add(&ctx, &control, &id, &err));
    ck_assert_int_eq(count_leads(), 0);
}
END_TEST

START_TEST(test_lead_edit)
{
    int64_t id = new_lead("Ada", "100");
    as("mia");
    lb_lead_input in = {.company = "Babbage & Co", .title = ""};
    CHECK_OK(act_lead_edit(&ctx, id, &in, 0, &err));
    lb_lead l = get(id);
    ck_assert_str_eq(l.company, "Babbage & Co");
    ck_assert_str_eq(l.name, "Ada"); /* NULL: left as it was */
    ck_assert_int_eq(l.value, 10000);
    ck_assert_int_eq(l.version, 2);
    ck_assert_str_eq(l.updated_at, ctx.now_iso);
    ck_assert_str_eq(l.updated_by, "mia");

    lb_lead_input clear = {.campaign = ""};
    CHECK_OK(act_lead_edit(&ctx, id, &clear, 0, &err));
    ck_assert_int_eq(get(id).campaign_id, 0);

    /* once handed off, marketing may no longer edit; a manager may */
    handoff(id, "sam");
    as("mia");
    lb_lead_input rename = {.name = "Ada King"};
    REFUSED(id, LB_EPERM, act_lead_edit(&ctx, id, &rename, 0, &err));
    as("sam");
    REFUSED(id, LB_EPERM, act_lead_edit(&ctx, id, &rename, 0, &err));
    as("max");
    CHECK_OK(act_lead_edit(&ctx, id, &rename, 0, &err));
    ck_assert_str_eq(get(id).name, "Ada King");
    ck_assert_int_eq(get(id).stage, STAGE_HANDED_OFF);
}
END_TEST

START_TEST(test_lead_edit_bad_input)
{
    int64_t id = new_lead("Ada", NULL);
    as("mia");
    lb_lead_input bad_value = {.value = "12.345"};
    REFUSED(id, LB_EINVAL, act_lead_edit(&ctx, id, &bad_value, 0, &err));
    lb_lead_input empty_name = {.name = ""};
    REFUSED(id, LB_EINVAL, act_lead_edit(&ctx, id, &empty_name, 0, &err));
    lb_lead_input ok = {.name = "Ada"};
    REFUSED(0, LB_ENOTFOUND, act_lead_edit(&ctx, id + 1000, &ok, 0, &err));
}
END_TEST

/* ---- hand-off, accept, reject ------------------------------------------------ */

START_TEST(test_handoff)
{
    int64_t id = new_lead("Ada", NULL);
    int64_t before = events(id);
    as("mia");
    CHECK_OK(act_handoff(&ctx, id, "sam", "hot lead, call today", 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_HANDED_OFF);
    ck_assert_str_eq(l.owner, "sam");
    ck_assert_int_gt(l.owner_id, 0);
    ck_assert_str_eq(l.handed_off_at, ctx.now_iso);
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
    ck_assert_int_eq(l.furthest, STAGE_HANDED_OFF);
    ck_assert_int_eq(l.version, 2);
    ck_assert_int_gt(events(id), before);
    ck_assert_msg(last_event_by(id, "mia"), "the hand-off event is not mia's");
    ck_assert_str_eq(timeline(id, NULL).last_user, "mia");

    /* a manager may hand off too */
    int64_t id2 = new_lead("Bea", NULL);
    as("max");
    CHECK_OK(act_handoff(&ctx, id2, "sue", NULL, 0, &err));
    ck_assert_str_eq(get(id2).owner, "sue");
}
END_TEST

START_TEST(test_handoff_refused)
{
    int64_t id = new_lead("Ada", NULL);
    as("sam");
    REFUSED(id, LB_EPERM, act_handoff(&ctx, id, "sam", NULL, 0, &err));
    as("mia");
    REFUSED(id, LB_EINVAL, act_handoff(&ctx, id, "mo", NULL, 0, &err));    /* a marketer */
    REFUSED(id, LB_EINVAL, act_handoff(&ctx, id, "max", NULL, 0, &err));   /* a manager */
    REFUSED(id, ANY_ERROR, act_handoff(&ctx, id, "ghost", NULL, 0, &err)); /* nobody */
    REFUSED(id, ANY_ERROR, act_handoff(&ctx, id, NULL, NULL, 0, &err));
    REFUSED(0, LB_ENOTFOUND, act_handoff(&ctx, id + 1000, "sam", NULL, 0, &err));
    ck_assert_int_eq(get(id).stage, STAGE_NURTURE);

    /* twice is not a transition */
    handoff(id, "sam");
    as("mia");
    REFUSED(id, LB_ETRANSITION, act_handoff(&ctx, id, "sue", NULL, 0, &err));
    ck_assert_str_eq(get(id).owner, "sam");
}
END_TEST

START_TEST(test_accept)
{
    int64_t id = lead_at(STAGE_HANDED_OFF, NULL);
    as("sue");
    REFUSED(id, LB_EPERM, act_accept(&ctx, id, 0, &err));
    as("mia");
    REFUSED(id, LB_EPERM, act_accept(&ctx, id, 0, &err));
    as("sam");
    CHECK_OK(act_accept(&ctx, id, 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_ACCEPTED);
    ck_assert_str_eq(l.owner, "sam");
    ck_assert_str_eq(l.accepted_at, ctx.now_iso);
    ck_assert_int_eq(l.furthest, STAGE_ACCEPTED);
    ck_assert_msg(last_event_by(id, "sam"), "the acceptance event is not sam's");
    ck_assert_str_eq(timeline(id, NULL).last_user, "sam");

    /* already accepted */
    REFUSED(id, LB_ETRANSITION, act_accept(&ctx, id, 0, &err));
    REFUSED(0, LB_ENOTFOUND, act_accept(&ctx, id + 1000, 0, &err));
}
END_TEST

START_TEST(test_accept_by_manager)
{
    int64_t id = lead_at(STAGE_HANDED_OFF, NULL);
    as("max");
    CHECK_OK(act_accept(&ctx, id, 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_ACCEPTED);
    ck_assert_str_eq(l.owner, "sam");
}
END_TEST

START_TEST(test_accept_nurture_refused)
{
    int64_t id = new_lead("Ada", NULL);
    as("max");
    REFUSED(id, LB_ETRANSITION, act_accept(&ctx, id, 0, &err));
}
END_TEST

START_TEST(test_reject)
{
    int64_t id = lead_at(STAGE_HANDED_OFF, NULL);
    as("sam");
    REFUSED(id, LB_EINVAL, act_reject(&ctx, id, NULL, 0, &err));
    REFUSED(id, LB_EINVAL, act_reject(&ctx, id, "", 0, &err));
    as("sue");
    REFUSED(id, LB_EPERM, act_reject(&ctx, id, "not mine anyway", 0, &err));
    as("sam");
    CHECK_OK(act_reject(&ctx, id, "no budget this year", 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.owner, "");
    ck_assert_str_eq(l.reason, "no budget this year");
    ck_assert_int_eq(l.rejections, 1);
    ck_assert_int_eq(l.furthest, STAGE_HANDED_OFF);

    /* marketing can work on it and hand it off again, to someone else */
    handoff(id, "sue");
    ck_assert_str_eq(get(id).owner, "sue");
    as("max");
    CHECK_OK(act_reject(&ctx, id, "duplicate of another lead", 0, &err));
    ck_assert_int_eq(get(id).rejections, 2);
}
END_TEST

/* ---- moves ------------------------------------------------------------------- */

START_TEST(test_move_working_stages)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    move_lead(id, "sam", STAGE_CONTACTED, NULL, NULL);
    ck_assert_int_eq(get(id).stage, STAGE_CONTACTED);
    move_lead(id, "sam", STAGE_QUALIFIED, NULL, NULL);
    move_lead(id, "sam", STAGE_PROPOSAL, NULL, NULL);
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_PROPOSAL);
    ck_assert_int_eq(l.furthest, STAGE_PROPOSAL);
    ck_assert_str_eq(l.stage_at, ctx.now_iso);
    ck_assert_str_eq(l.updated_by, "sam");

    /* back again: the furthest stage reached stays */
    move_lead(id, "sam", STAGE_QUALIFIED, NULL, NULL);
    l = get(id);
    ck_assert_int_eq(l.stage, STAGE_QUALIFIED);
    ck_assert_int_eq(l.furthest, STAGE_PROPOSAL);

    as("sue");
    REFUSED(id, LB_EPERM, act_move(&ctx, id, STAGE_PROPOSAL, NULL, NULL, 0, &err));
    as("mia");
    REFUSED(id, LB_EPERM, act_move(&ctx, id, STAGE_PROPOSAL, NULL, NULL, 0, &err));
    move_lead(id, "max", STAGE_CONTACTED, NULL, NULL);
    ck_assert_int_eq(get(id).stage, STAGE_CONTACTED);
    ck_assert_str_eq(get(id).owner, "sam");
}
END_TEST

START_TEST(test_move_won_needs_value)
{
    int64_t id = lead_at(STAGE_PROPOSAL, NULL);
    as("sam");
    REFUSED(id, LB_EINVAL, act_move(&ctx, id, STAGE_WON, NULL, NULL, 0, &err));
    REFUSED(id, LB_EINVAL, act_move(&ctx, id, STAGE_WON, "lots", NULL, 0, &err));
    CHECK_OK(act_move(&ctx, id, STAGE_WON, "5000", NULL, 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_WON);
    ck_assert(l.has_value);
    ck_assert_int_eq(l.value, 500000);
    ck_assert_str_eq(l.closed_at, ctx.now_iso);
    ck_assert_int_eq(l.furthest, STAGE_WON);
}
END_TEST

START_TEST(test_move_won_with_existing_value)
{
    int64_t id = lead_at(STAGE_QUALIFIED, "2500.75");
    move_lead(id, "sam", STAGE_WON, NULL, NULL);
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_WON);
    ck_assert_int_eq(l.value, 250075);
}
END_TEST

START_TEST(test_move_lost_needs_reason)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    as("sam");
    REFUSED(id, LB_EINVAL, act_move(&ctx, id, STAGE_LOST, NULL, NULL, 0, &err));
    REFUSED(id, LB_EINVAL, act_move(&ctx, id, STAGE_LOST, NULL, "", 0, &err));
    CHECK_OK(act_move(&ctx, id, STAGE_LOST, NULL, "chose a competitor", 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_LOST);
    ck_assert_str_eq(l.reason, "chose a competitor");
    ck_assert_str_eq(l.closed_at, ctx.now_iso);
    ck_assert_int_eq(l.furthest, STAGE_CONTACTED);
    ck_assert_str_eq(l.owner, "sam");
}
END_TEST

START_TEST(test_move_recycle)
{
    int64_t id = lead_at(STAGE_QUALIFIED, NULL);
    as("sam");
    REFUSED(id, LB_EINVAL, act_move(&ctx, id, STAGE_NURTURE, NULL, NULL, 0, &err));
    CHECK_OK(act_move(&ctx, id, STAGE_NURTURE, NULL, "not ready until Q3", 0, &err));
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_NURTURE);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.owner, "");
    ck_assert_str_eq(l.reason, "not ready until Q3");
    ck_assert_int_eq(l.furthest, STAGE_QUALIFIED);

    /* back in marketing's hands */
    as("mia");
    lb_lead_input in = {.notes = "call again in July"};
    CHECK_OK(act_lead_edit(&ctx, id, &in, 0, &err));
}
END_TEST

START_TEST(test_move_reopen_manager_only)
{
    int64_t won = lead_at(STAGE_WON, "100");
    as("sam");
    REFUSED(won, LB_EPERM, act_move(&ctx, won, STAGE_ACCEPTED, NULL, NULL, 0, &err));
    as("mia");
    REFUSED(won, LB_EPERM, act_move(&ctx, won, STAGE_ACCEPTED, NULL, NULL, 0, &err));
    move_lead(won, "max", STAGE_ACCEPTED, NULL, NULL);
    ck_assert_int_eq(get(won).stage, STAGE_ACCEPTED);
    ck_assert_str_eq(get(won).owner, "sam");

    int64_t lost = lead_at(STAGE_LOST, NULL);
    as("sam");
    REFUSED(lost, LB_EPERM, act_move(&ctx, lost, STAGE_ACCEPTED, NULL, NULL, 0, &err));
    move_lead(lost, "max", STAGE_ACCEPTED, NULL, NULL);
    ck_assert_int_eq(get(lost).stage, STAGE_ACCEPTED);
}
END_TEST

START_TEST(test_move_refused_transitions)
{
    int64_t won = lead_at(STAGE_WON, "100");
    as("max");
    REFUSED(won, LB_ETRANSITION, act_move(&ctx, won, STAGE_CONTACTED, NULL, NULL, 0, &err));
    ck_assert_msg(strstr(err.msg, "accepted") != NULL, "\"%s\" does not say what is allowed",
                  err.msg);
    REFUSED(won, LB_ETRANSITION, act_move(&ctx, won, STAGE_LOST, NULL, "oops", 0, &err));
    REFUSED(won, LB_ETRANSITION, act_move(&ctx, won, STAGE_WON, "1", NULL, 0, &err));

    int64_t n = new_lead("Bea", "100");
    as("max");
    REFUSED(n, LB_ETRANSITION, act_move(&ctx, n, STAGE_WON, NULL, NULL, 0, &err));
    ck_assert_msg(strstr(err.msg, "handed_off") != NULL, "\"%s\" does not say what is allowed",
                  err.msg);
    REFUSED(0, LB_ENOTFOUND, act_move(&ctx, n + 1000, STAGE_CONTACTED, NULL, NULL, 0, &err));
}
END_TEST

/* Hand-off, accept and reject are their own commands, not moves. */
START_TEST(test_move_wrong_command)
{
    int64_t id = new_lead("Ada", NULL);
    as("mia");
    REFUSED(id, ANY_ERROR, act_move(&ctx, id, STAGE_HANDED_OFF, NULL, NULL, 0, &err));
    ck_assert_msg(strstr(err.msg, "handoff") != NULL, "\"%s\" does not point to handoff", err.msg);

    handoff(id, "sam");
    as("sam");
    REFUSED(id, ANY_ERROR, act_move(&ctx, id, STAGE_ACCEPTED, NULL, NULL, 0, &err));
    ck_assert_msg(strstr(err.msg, "accept") != NULL, "\"%s\" does not point to accept", err.msg);
    REFUSED(id, ANY_ERROR, act_move(&ctx, id, STAGE_NURTURE, NULL, "meh", 0, &err));
    ck_assert_msg(strstr(err.msg, "reject") != NULL, "\"%s\" does not point to reject", err.msg);
    ck_assert_int_eq(get(id).stage, STAGE_HANDED_OFF);
}
END_TEST

/* ---- follow-ups -------------------------------------------------------------- */

START_TEST(test_log_connected_advances)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    int64_t before = events(id);
    as("sam");
    lb_followup_input in = {.kind = KIND_CALL,
                            .outcome = OUTCOME_CONNECTED,
                            .note = "spoke to Ada",
                            .next_step = "send the deck",
                            .due = "2024-03-08"};
    int64_t fid = 0;
    int moved_to = 12345;
    CHECK_OK(act_log(&ctx, id, &in, &fid, &moved_to, &err));
    ck_assert_int_gt(fid, 0);
    ck_assert_int_eq(moved_to, STAGE_CONTACTED);
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_CONTACTED);
    ck_assert_int_eq(l.furthest, STAGE_CONTACTED);
    ck_assert_str_eq(l.first_touch_at, ctx.now_iso);
    ck_assert_str_eq(l.last_touch_at, ctx.now_iso);
    /* Due at the end of its (local, here UTC) day. */
    ck_assert_str_eq(l.next_due_at, "2024-03-08T23:59:59Z");
    ck_assert_int_gt(events(id), before);
    ck_assert_int_eq(rows("followups", id), 1);
    ck_assert_msg(timeline(id, "contacted").found, "the timeline does not show the move");
    ck_assert_msg(last_event_by(id, "sam"), "the latest event is not sam's");
}
END_TEST

START_TEST(test_log_meeting_booked_advances)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    as("max");
    lb_followup_input in = {.kind = KIND_MEETING, .outcome = OUTCOME_MEETING_BOOKED};
    int64_t fid = 0;
    int moved_to = 12345;
    CHECK_OK(act_log(&ctx, id, &in, &fid, &moved_to, &err));
    ck_assert_int_eq(moved_to, STAGE_CONTACTED);
    ck_assert_int_eq(get(id).stage, STAGE_CONTACTED);
}
END_TEST

START_TEST(test_log_without_advance)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    as("sam");
    lb_followup_input vm = {.kind = KIND_CALL, .outcome = OUTCOME_VOICEMAIL};
    int64_t f1 = 0, f2 = 0;
    int moved_to = 12345;
    CHECK_OK(act_log(&ctx, id, &vm, &f1, &moved_to, &err));
    ck_assert_int_eq(moved_to, -1);
    char first[LB_TIME_BUF];
    strcpy(first, ctx.now_iso);
    lb_lead l = get(id);
    ck_assert_int_eq(l.stage, STAGE_ACCEPTED);
    ck_assert_str_eq(l.first_touch_at, first);

    /* a later follow-up moves the last touch, not the first */
    as("sam");
    lb_followup_input mail = {.kind = KIND_EMAIL, .outcome = OUTCOME_NO_ANSWER, .note = "sent"};
    CHECK_OK(act_log(&ctx, id, &mail, &f2, &moved_to, &err));
    ck_assert_int_ne(f2, f1);
    ck_assert_int_eq(moved_to, -1);
    l = get(id);
    ck_assert_str_eq(l.first_touch_at, first);
    ck_assert_str_eq(l.last_touch_at, ctx.now_iso);
    ck_assert_str_ne(l.last_touch_at, first);
    ck_assert_int_eq(rows("followups", id), 2);
}
END_TEST

START_TEST(test_log_on_contacted_stays)
{
    int64_t id = lead_at(STAGE_QUALIFIED, NULL);
    as("sam");
    lb_followup_input in = {.kind = KIND_CALL, .outcome = OUTCOME_CONNECTED};
    int64_t fid = 0;
    int moved_to = 12345;
    CHECK_OK(act_log(&ctx, id, &in, &fid, &moved_to, &err));
    ck_assert_int_eq(moved_to, -1);
    ck_assert_int_eq(get(id).stage, STAGE_QUALIFIED);
}
END_TEST

START_TEST(test_log_refused)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    lb_followup_input in = {.kind = KIND_CALL, .outcome = OUTCOME_CONNECTED, .note = "hi"};
    int64_t fid = 0;
    int moved_to = 0;
    as("sue");
    REFUSED(id, LB_EPERM, act_log(&ctx, id, &in, &fid, &moved_to, &err));
    as("mia");
    REFUSED(id, LB_EPERM, act_log(&ctx, id, &in, &fid, &moved_to, &err));
    as("sam");
    lb_followup_input bad_due = {
        .kind = KIND_CALL, .outcome = OUTCOME_CONNECTED, .due = "2024-02-30"};
    REFUSED(id, LB_EINVAL, act_log(&ctx, id, &bad_due, &fid, &moved_to, &err));
    lb_followup_input bad_note = {
        .kind = KIND_NOTE, .outcome = OUTCOME_CONNECTED, .note = "bell\x07"};
    REFUSED(id, LB_EINVAL, act_log(&ctx, id, &bad_note, &fid, &moved_to, &err));
    lb_followup_input bad_outcome = {.kind = KIND_CALL, .outcome = OUTCOME_COUNT};
    REFUSED(id, ANY_ERROR, act_log(&ctx, id, &bad_outcome, &fid, &moved_to, &err));
    REFUSED(0, LB_ENOTFOUND, act_log(&ctx, id + 1000, &in, &fid, &moved_to, &err));
    ck_assert_int_eq(rows("followups", id), 0);
}
END_TEST

START_TEST(test_log_before_acceptance_refused)
{
    lb_followup_input in = {.kind = KIND_CALL, .outcome = OUTCOME_CONNECTED};
    int64_t fid = 0;
    int moved_to = 0;
    int64_t n = new_lead("Ada", NULL);
    as("max");
    REFUSED(n, ANY_ERROR, act_log(&ctx, n, &in, &fid, &moved_to, &err));
    int64_t h = lead_at(STAGE_HANDED_OFF, NULL);
    as("sam");
    REFUSED(h, ANY_ERROR, act_log(&ctx, h, &in, &fid, &moved_to, &err));
    ck_assert_str_eq(get(h).first_touch_at, "");
}
END_TEST

/* ---- ratings and feedback ---------------------------------------------------- */

START_TEST(test_rate)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    as("sam");
    const char *tags[] = {"fit", "budget"};
    int64_t rid = 0;
    CHECK_OK(act_rate(&ctx, id, 4, tags, 2, "good fit, small budget", &rid, &err));
    ck_assert_int_gt(rid, 0);
    ck_assert_int_eq(get(id).stars, 4);
    lb_rating r;
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_int_eq(r.lead_id, id);
    ck_assert_int_eq(r.stars, 4);
    ck_assert_str_eq(r.reasons, "fit,budget");
    ck_assert_str_eq(r.comment, "good fit, small budget");
    ck_assert_str_eq(r.user, "sam");
    ck_assert_str_eq(r.created_at, ctx.now_iso);
    ck_assert_str_eq(r.campaign, "Spring Expo");
    ck_assert_str_eq(r.reviewed_at, "");

    /* the latest rating is the lead's */
    as("sam");
    int64_t rid2 = 0;
    CHECK_OK(act_rate(&ctx, id, 2, NULL, 0, NULL, &rid2, &err));
    ck_assert_int_gt(rid2, rid);
    ck_assert_int_eq(get(id).stars, 2);
    ck_assert_int_eq(rows("ratings", id), 2);
}
END_TEST

START_TEST(test_rate_reason_forms)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    as("sam");
    const char *tags[] = {"fit,budget", "fit"};
    int64_t rid = 0;
    CHECK_OK(act_rate(&ctx, id, 3, tags, 2, NULL, &rid, &err));
    lb_rating r;
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_str_eq(r.reasons, "fit,budget");

    const char *one[] = {"contact_data,duplicate"};
    CHECK_OK(act_rate(&ctx, id, 1, one, 1, NULL, &rid, &err));
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_str_eq(r.reasons, "contact_data,duplicate");
}
END_TEST

START_TEST(test_rate_refused)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    int64_t rid = 0;
    as("sam");
    REFUSED(id, LB_EINVAL, act_rate(&ctx, id, 0, NULL, 0, NULL, &rid, &err));
    REFUSED(id, LB_EINVAL, act_rate(&ctx, id, 6, NULL, 0, NULL, &rid, &err));
    REFUSED(id, LB_EINVAL, act_rate(&ctx, id, -1, NULL, 0, NULL, &rid, &err));
    const char *unknown[] = {"fit", "price"};
    REFUSED(id, LB_EINVAL, act_rate(&ctx, id, 3, unknown, 2, NULL, &rid, &err));
    ck_assert_msg(strstr(err.msg, "price") != NULL, "\"%s\" does not name the bad tag", err.msg);
    const char *upper[] = {"Fit"};
    REFUSED(id, LB_EINVAL, act_rate(&ctx, id, 3, upper, 1, NULL, &rid, &err));
    as("mia");
    REFUSED(id, LB_EPERM, act_rate(&ctx, id, 5, NULL, 0, NULL, &rid, &err));
    as("sue");
    REFUSED(id, LB_EPERM, act_rate(&ctx, id, 5, NULL, 0, NULL, &rid, &err));
    REFUSED(0, LB_ENOTFOUND, act_rate(&ctx, id + 1000, 5, NULL, 0, NULL, &rid, &err));
    ck_assert_int_eq(get(id).stars, 0);
}
END_TEST

START_TEST(test_rate_closed_and_by_manager)
{
    int64_t id = lead_at(STAGE_LOST, NULL);
    as("sam");
    int64_t rid = 0;
    const char *tags[] = {"timing"};
    CHECK_OK(act_rate(&ctx, id, 2, tags, 1, "lost on timing", &rid, &err));
    ck_assert_int_eq(get(id).stars, 2);
    as("max");
    CHECK_OK(act_rate(&ctx, id, 3, NULL, 0, NULL, &rid, &err));
    ck_assert_int_eq(get(id).stars, 3);

    /* A hand-off may be rated by its assignee from the moment it arrives
     * (issue 13); a lead still in nurture may not. */
    int64_t h = lead_at(STAGE_HANDED_OFF, NULL);
    as("sam");
    CHECK_OK(act_rate(&ctx, h, 4, NULL, 0, NULL, &rid, &err));
    ck_assert_int_eq(get(h).stars, 4);
    int64_t n = lead_at(STAGE_NURTURE, NULL);
    as("sam");
    REFUSED(n, ANY_ERROR, act_rate(&ctx, n, 4, NULL, 0, NULL, &rid, &err));
}
END_TEST

START_TEST(test_feedback_review)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    as("sam");
    int64_t rid = 0;
    CHECK_OK(act_rate(&ctx, id, 2, NULL, 0, "wrong industry", &rid, &err));

    as("sam");
    REFUSED(0, LB_EPERM, act_feedback_review(&ctx, rid, "reviewing my own", &err));
    as("sue");
    REFUSED(0, LB_EPERM, act_feedback_review(&ctx, rid, NULL, &err));
    lb_rating r;
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_str_eq(r.reviewed_by, "");

    as("mia");
    int64_t before = events(0);
    CHECK_OK(act_feedback_review(&ctx, rid, "fair, we will tighten the targeting", &err));
    ck_assert_int_gt(events(0), before);
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_str_eq(r.reviewed_by, "mia");
    ck_assert_str_eq(r.reviewed_at, ctx.now_iso);
    ck_assert_str_eq(r.reply, "fair, we will tighten the targeting");

    as("mia");
    REFUSED(0, LB_ENOTFOUND, act_feedback_review(&ctx, rid + 1000, NULL, &err));
    REFUSED(0, LB_EINVAL, act_feedback_review(&ctx, rid, "bad\x01reply", &err));
}
END_TEST

/* The inbox: unreviewed newest first, then reviewed newest first, and the
 * pages cut across that boundary without losing or repeating a row. */
static int collect_rating_ids(const lb_rating *r, void *ud)
{
    int64_t *ids = ud;
    ids[++ids[0]] = r->id;
    return 0;
}

START_TEST(test_feedback_inbox_order_and_pages)
{
    int64_t rid[6];
    for (int i = 1; i <= 5; i++) {
        int64_t lead = lead_at(STAGE_ACCEPTED, NULL);
        as("sam");
        CHECK_OK(act_rate(&ctx, lead, i, NULL, 0, NULL, &rid[i], &err));
    }
    as("mia");
    CHECK_OK(act_feedback_review(&ctx, rid[2], "ok", &err));
    as("mia");
    CHECK_OK(act_feedback_review(&ctx, rid[4], NULL, &err));
    int64_t want[] = {rid[5], rid[3], rid[1], rid[4], rid[2]};
    for (int64_t off = 0; off < 5; off += 2) {
        int64_t got[8] = {0};
        lb_feedback_filter f = {false, NULL, 2, off};
        CHECK_OK(rating_each(db, &f, collect_rating_ids, got, &err));
        ck_assert_int_eq(got[0], off < 4 ? 2 : 1);
        for (int k = 1; k <= got[0]; k++)
            ck_assert_int_eq(got[k], want[off + k - 1]);
    }
    int64_t only[8] = {0};
    lb_feedback_filter u = {true, NULL, 0, 0};
    CHECK_OK(rating_each(db, &u, collect_rating_ids, only, &err));
    ck_assert_int_eq(only[0], 3);
    ck_assert_int_eq(only[3], rid[1]);
    int64_t total = 0, unreviewed = 0;
    CHECK_OK(rating_counts(db, NULL, &total, &unreviewed, &err));
    ck_assert_int_eq(total, 5);
    ck_assert_int_eq(unreviewed, 3);
}
END_TEST

START_TEST(test_feedback_review_by_manager)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    as("sam");
    int64_t rid = 0;
    CHECK_OK(act_rate(&ctx, id, 5, NULL, 0, NULL, &rid, &err));
    as("max");
    CHECK_OK(act_feedback_review(&ctx, rid, NULL, &err));
    lb_rating r;
    CHECK_OK(rating_get(db, rid, &r, &err));
    ck_assert_str_eq(r.reviewed_by, "max");
}
END_TEST

/* ---- comments ---------------------------------------------------------------- */

START_TEST(test_comment_by_anyone)
{
    int64_t n = new_lead("Ada", NULL);
    int64_t w = lead_at(STAGE_WON, "10");
    const char *who[] = {"mia", "mo", "sam", "sue", "max"};
    int64_t last = 0;
    for (int i = 0; i < 5; i++) {
        as(who[i]);
        int64_t cid = 0;
        CHECK_OK(act_comment(&ctx, n, "any news?\nping me", &cid, &err));
        ck_assert_int_gt(cid, last);
        last = cid;
        CHECK_OK(act_comment(&ctx, w, "well done", &cid, &err));
        ck_assert_int_gt(cid, last);
        last = cid;
    }
    ck_assert_int_eq(rows("comments", n), 5);
    ck_assert_int_eq(rows("comments", w), 5);
}
END_TEST

START_TEST(test_comment_refused)
{
    int64_t id = new_lead("Ada", NULL);
    int64_t cid = 0;
    as("sue");
    REFUSED(id, LB_EINVAL, act_comment(&ctx, id, "", &cid, &err));
    REFUSED(id, LB_EINVAL, act_comment(&ctx, id, "beep\x07", &cid, &err));
    REFUSED(0, LB_ENOTFOUND, act_comment(&ctx, id + 1000, "hello", &cid, &err));
    as("ghost");
    REFUSED(id, ANY_ERROR, act_comment(&ctx, id, "who am I", &cid, &err));
    ck_assert_int_eq(rows("comments", id), 0);
}
END_TEST

/* ---- goals ------------------------------------------------------------------- */

START_TEST(test_goal_set)
{
    as("max");
    int64_t before = events(0);
    CHECK_OK(act_goal_set(&ctx, "2024-Q2", "100000", "5", &err));
    ck_assert_int_gt(events(0), before);
    lb_goal g;
    CHECK_OK(goal_get(db, "2024-Q2", &g, &err));
    ck_assert_str_eq(g.period, "2024-Q2");
    ck_assert_int_eq(g.revenue_target, 10000000);
    ck_assert(g.has_wins_target);
    ck_assert_int_eq(g.wins_target, 5);

    CHECK_OK(act_goal_set(&ctx, "2024-04", "2500.50", NULL, &err));
    CHECK_OK(goal_get(db, "2024-04", &g, &err));
    ck_assert_int_eq(g.revenue_target, 250050);
    ck_assert(!g.has_wins_target);

    /* setting it again replaces it */
    CHECK_OK(act_goal_set(&ctx, "2024-Q2", "120000", "6", &err));
    CHECK_OK(goal_get(db, "2024-Q2", &g, &err));
    ck_assert_int_eq(g.revenue_target, 12000000);
    ck_assert_int_eq(g.wins_target, 6);
}
END_TEST

START_TEST(test_goal_set_refused)
{
    as("mia");
    REFUSED(0, LB_EPERM, act_goal_set(&ctx, "2024-Q2", "100000", "5", &err));
    as("sam");
    REFUSED(0, LB_EPERM, act_goal_set(&ctx, "2024-Q2", "100000", "5", &err));
    as("max");
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-Q5", "100000", NULL, &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-13", "100000", NULL, &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "Q2", "100000", NULL, &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-Q2", "-1", NULL, &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-Q2", "1e6", NULL, &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-Q2", "100000", "five", &err));
    REFUSED(0, LB_EINVAL, act_goal_set(&ctx, "2024-Q2", "100000", "-2", &err));
    lb_goal g;
    ck_assert_int_ne(goal_get(db, "2024-Q2", &g, &err), LB_OK);
}
END_TEST

/* ---- stale edits ------------------------------------------------------------- */

START_TEST(test_expect_version_conflict)
{
    int64_t id = new_lead("Ada", NULL);
    int64_t seen = get(id).version; /* what both marketers read */
    as("mia");
    lb_lead_input a = {.company = "Mia's Co"};
    CHECK_OK(act_lead_edit(&ctx, id, &a, seen, &err));

    as("mo");
    lb_lead_input b = {.company = "Mo's Co"};
    REFUSED(id, LB_ECONFLICT, act_lead_edit(&ctx, id, &b, seen, &err));
    ck_assert_msg(strstr(err.msg, "changed by") != NULL, "\"%s\" lacks \"changed by\"", err.msg);
    ck_assert_msg(strstr(err.msg, "mia") != NULL, "\"%s\" does not name mia", err.msg);
    ck_assert_msg(strstr(err.msg, "2024-03-04") != NULL, "\"%s\" does not say when", err.msg);
    ck_assert_str_eq(get(id).company, "Mia's Co");

    /* with the version just read it goes through */
    CHECK_OK(act_lead_edit(&ctx, id, &b, get(id).version, &err));
    ck_assert_str_eq(get(id).company, "Mo's Co");
}
END_TEST

START_TEST(test_expect_version_on_pipeline)
{
    int64_t id = new_lead("Ada", NULL);
    int64_t v1 = get(id).version;
    as("mia");
    lb_lead_input a = {.title = "CEO"};
    CHECK_OK(act_lead_edit(&ctx, id, &a, v1, &err));

    as("max");
    REFUSED(id, LB_ECONFLICT, act_handoff(&ctx, id, "sam", NULL, v1, &err));
    ck_assert_msg(strstr(err.msg, "mia") != NULL, "\"%s\" does not name mia", err.msg);
    CHECK_OK(act_handoff(&ctx, id, "sam", NULL, get(id).version, &err));

    int64_t v = get(id).version;
    as("sam");
    CHECK_OK(act_accept(&ctx, id, v, &err));
    as("sam");
    REFUSED(id, LB_ECONFLICT, act_move(&ctx, id, STAGE_CONTACTED, NULL, NULL, v, &err));
    ck_assert_msg(strstr(err.msg, "changed by") != NULL, "\"%s\"", err.msg);
    CHECK_OK(act_move(&ctx, id, STAGE_CONTACTED, NULL, NULL, v + 1, &err));
}
END_TEST

/* ---- the audit trail --------------------------------------------------------- */

static void log_voicemail(int64_t id)
{
    as("sam");
    lb_followup_input f = {.kind = KIND_CALL, .outcome = OUTCOME_VOICEMAIL};
    int64_t fid = 0;
    int moved = 0;
    CHECK_OK(act_log(&ctx, id, &f, &fid, &moved, &err));
}

static void rate_lead(int64_t id, int stars)
{
    as("sam");
    int64_t rid = 0;
    CHECK_OK(act_rate(&ctx, id, stars, NULL, 0, NULL, &rid, &err));
}

START_TEST(test_events_follow_the_story)
{
    int64_t all = events(0);
    int64_t id = new_lead("Ada", NULL);
    int64_t n = events(id);
    ck_assert_int_ge(n, 1);
    ck_assert_int_gt(events(0), all);

#define GROWS(step)                                                                                \
    do {                                                                                           \
        step;                                                                                      \
        int64_t now_ = events(id);                                                                 \
        ck_assert_msg(now_ > n, "no event for %s", #step);                                         \
        n = now_;                                                                                  \
    } while (0)

    GROWS(handoff(id, "sam"));
    GROWS(accept_lead(id));
    GROWS(move_lead(id, "sam", STAGE_CONTACTED, NULL, NULL));
    GROWS(move_lead(id, "sam", STAGE_QUALIFIED, NULL, NULL));
    GROWS(log_voicemail(id));
    GROWS(rate_lead(id, 4));
    GROWS(move_lead(id, "sam", STAGE_WON, "900", NULL));
    GROWS(move_lead(id, "max", STAGE_ACCEPTED, NULL, NULL));
    GROWS(move_lead(id, "sam", STAGE_LOST, NULL, "budget cut"));
#undef GROWS

    /* Every event names who did it: the user, and the OS login. */
    ck_assert_int_ge(events(id), 10);
    timeline_info t = timeline(id, NULL);
    ck_assert_msg(!t.entry_without_user, "a timeline entry of the lead has no user");
    ck_assert_str_eq(t.last_user, "sam");
    ck_assert_msg(last_event_by(id, "sam"), "the latest event is not sam's");
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE actor_id IS NULL"),
                     bootstrap_events_without_actor);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE os_login = ''"), 0);
    /* max only reopened it: his events on the lead are that reopening's */
    char q[256];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM events e JOIN users u ON u.id = e.actor_id "
             "WHERE e.lead_id = %lld AND u.login = 'max'",
             (long long)id);
    ck_assert_int_ge(sql_int(q), 1);
    snprintf(q, sizeof q,
             "SELECT count(*) FROM events e JOIN users u ON u.id = e.actor_id "
             "WHERE e.lead_id = %lld AND u.login = 'mia'",
             (long long)id);
    ck_assert_int_ge(sql_int(q), 2); /* the lead's creation and its hand-off */
}
END_TEST

START_TEST(test_user_events_attributed)
{
    ck_assert_int_ge(sql_int("SELECT count(*) FROM events WHERE entity = 'user'"), 5);
    /* only the bootstrap may lack an actor */
    ck_assert_int_le(bootstrap_events_without_actor, 1);
    ck_assert_int_eq(sql_int("SELECT count(*) FROM events WHERE actor_id IS NULL AND "
                             "entity <> 'user'"),
                     0);
    /* after the first user, every user added is attributed to max */
    ck_assert_int_eq(sql_int("SELECT count(DISTINCT t.login) FROM events e "
                             "JOIN users u ON u.id = e.actor_id "
                             "JOIN users t ON t.id = e.entity_id "
                             "WHERE e.entity = 'user' AND u.login = 'max' "
                             "AND t.login IN ('mia', 'mo', 'sam', 'sue')"),
                     4);
}
END_TEST

/* model.h: a timeline entry's type is the event's action ("log", "rate",
 * "comment" for follow-ups, ratings and comments), in the order they
 * happened. */
START_TEST(test_timeline_entry_types)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL);
    as("sam");
    lb_followup_input f = {.kind = KIND_CALL, .outcome = OUTCOME_VOICEMAIL};
    int64_t x = 0;
    int moved = 0;
    CHECK_OK(act_log(&ctx, id, &f, &x, &moved, &err));
    as("sam");
    CHECK_OK(act_rate(&ctx, id, 3, NULL, 0, NULL, &x, &err));
    as("mia");
    CHECK_OK(act_comment(&ctx, id, "thanks for trying", &x, &err));
    timeline_info t = timeline(id, NULL);
    ck_assert_int_ge(t.events, 3); /* created, handed off, accepted */
    ck_assert_int_eq(t.followups, 1);
    ck_assert_int_eq(t.ratings, 1);
    ck_assert_int_eq(t.comments, 1);
    ck_assert_str_eq(t.last_user, "mia");
}
END_TEST

START_TEST(test_events_are_append_only_after_actions)
{
    int64_t id = lead_at(STAGE_CONTACTED, NULL);
    int64_t n = events(0);
    ck_assert_int_eq(db_exec_raw(db, "DELETE FROM events", &err), LB_EDB);
    ck_assert_int_eq(db_exec_raw(db, "UPDATE events SET actor_id = NULL", &err), LB_EDB);
    ck_assert_int_eq(events(0), n);
    ck_assert_int_gt(events(id), 0);
}
END_TEST

/* Reason tags per campaign: each tag once per rating, unknown text
 * ignored, leads without a campaign as campaign 0, in campaign order. */
typedef struct {
    int n;
    int64_t ids[4];
    int64_t counts[4][REASON_COUNT];
} reason_seen;

static int reason_cb(int64_t campaign_id, const int64_t counts[REASON_COUNT], void *ud)
{
    reason_seen *r = ud;
    if (r->n < 4) {
        r->ids[r->n] = campaign_id;
        memcpy(r->counts[r->n], counts, sizeof r->counts[0]);
    }
    r->n++;
    return 0;
}

START_TEST(test_reason_counts_per_campaign)
{
    int64_t a = lead_at(STAGE_ACCEPTED, NULL), b = lead_at(STAGE_ACCEPTED, NULL),
            c = lead_at(STAGE_ACCEPTED, NULL);
    char sql[512];
    CHECK_OK(db_exec_raw(db,
                         "INSERT INTO campaigns(id, name, created_at) VALUES "
                         "(7, 'Seven', '2024-01-01T00:00:00Z'), (3, 'Three', '2024-01-01T00:00:00Z')",
                         &err));
    snprintf(sql, sizeof sql,
             "UPDATE leads SET campaign_id = CASE id WHEN %lld THEN 7 WHEN %lld THEN 3 END; "
             "INSERT INTO ratings(lead_id, user_id, stars, reasons, created_at) VALUES "
             "(%lld, 1, 3, 'fit,budget', 't'), (%lld, 1, 3, 'fit,fit,nonsense', 't'), "
             "(%lld, 1, 2, 'duplicate', 't'), (%lld, 1, 5, 'timing,contact_data', 't'), "
             "(%lld, 1, 4, '', 't')",
             (long long)a, (long long)b, (long long)a, (long long)a, (long long)b, (long long)c,
             (long long)c);
    CHECK_OK(db_exec_raw(db, sql, &err));
    reason_seen r = {0};
    CHECK_OK(rating_reason_counts(db, reason_cb, &r, &err));
    ck_assert_int_eq(r.n, 3);
    ck_assert_int_eq(r.ids[0], 0);
    ck_assert_int_eq(r.ids[1], 3);
    ck_assert_int_eq(r.ids[2], 7);
    ck_assert_int_eq(r.counts[0][REASON_TIMING], 1); /* c: no campaign */
    ck_assert_int_eq(r.counts[0][REASON_CONTACT_DATA], 1);
    ck_assert_int_eq(r.counts[0][REASON_FIT], 0);
    ck_assert_int_eq(r.counts[1][REASON_DUPLICATE], 1); /* b */
    ck_assert_int_eq(r.counts[1][REASON_FIT], 0);
    ck_assert_int_eq(r.counts[2][REASON_FIT], 2); /* a: "fit,fit" counts once */
    ck_assert_int_eq(r.counts[2][REASON_BUDGET], 1);
    ck_assert_int_eq(r.counts[2][REASON_NEED], 0);
}
END_TEST

/* The unreviewed-feedback count (kept by triggers, migration 7) follows
 * ratings, reviews and a delete from the sqlite3 shell, and the readers
 * (rating_counts, lead_alerts) give it. */
static void assert_feedback_count(int64_t want)
{
    ck_assert_int_eq(sql_int("(SELECT count(*) FROM ratings WHERE reviewed_at IS NULL)"), want);
    ck_assert_int_eq(sql_int("(SELECT unreviewed FROM feedback_counts)"), want);
    int64_t total, unreviewed;
    CHECK_OK(rating_counts(db, NULL, &total, &unreviewed, &err));
    ck_assert_int_eq(unreviewed, want);
    lb_alerts al;
    CHECK_OK(lead_alerts(db, NULL, ctx.now_iso, &al, &err));
    ck_assert_int_eq(al.unreviewed_feedback, want);
}

START_TEST(test_feedback_count_follows_reviews)
{
    int64_t id = lead_at(STAGE_ACCEPTED, NULL), r1, r2, r3;
    assert_feedback_count(0);
    as("sam");
    CHECK_OK(act_rate(&ctx, id, 4, NULL, 0, NULL, &r1, &err));
    CHECK_OK(act_rate(&ctx, id, 2, NULL, 0, NULL, &r2, &err));
    CHECK_OK(act_rate(&ctx, id, 3, NULL, 0, NULL, &r3, &err));
    assert_feedback_count(3);
    as("mia");
    CHECK_OK(act_feedback_review(&ctx, r1, "thanks", &err));
    assert_feedback_count(2);
    CHECK_OK(act_feedback_review(&ctx, r1, "thanks again", &err)); /* reviewed twice */
    assert_feedback_count(2);
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM ratings WHERE id = %lld", (long long)r2);
    CHECK_OK(db_exec_raw(db, sql, &err));
    assert_feedback_count(1);
    snprintf(sql, sizeof sql, "UPDATE ratings SET reviewed_at = NULL WHERE id = %lld",
             (long long)r1);
    CHECK_OK(db_exec_raw(db, sql, &err));
    assert_feedback_count(2);
    snprintf(sql, sizeof sql, "DELETE FROM ratings WHERE id = %lld", (long long)r3);
    CHECK_OK(db_exec_raw(db, sql, &err));
    assert_feedback_count(1);
}
END_TEST

/* The board's per-stage counts (kept by triggers) agree with counting the
 * leads, after every kind of transition, and lead_count_by_stage reads
 * them; a filtered count is computed. */
START_TEST(test_stage_counts_follow_every_move)
{
    int64_t won = lead_at(STAGE_WON, "100");
    lead_at(STAGE_LOST, NULL);
    lead_at(STAGE_PROPOSAL, NULL);
    int64_t ho = lead_at(STAGE_HANDED_OFF, NULL);
    lead_at(STAGE_NURTURE, NULL);
    as("sam");
    CHECK_OK(act_reject(&ctx, ho, "not now", 0, &err));
    as("max");
    CHECK_OK(act_move(&ctx, won, STAGE_ACCEPTED, NULL, NULL, 0, &err)); /* reopened */
    ck_assert_int_eq(sql_int("(SELECT count(*) FROM (SELECT stage, count(*) AS c FROM leads "
                             "GROUP BY stage) x LEFT JOIN stage_counts s USING (stage) "
                             "WHERE s.n IS NOT x.c)"),
                     0);
    ck_assert_int_eq(sql_int("(SELECT count(*) FROM stage_counts WHERE n <> 0 AND stage NOT IN "
                             "(SELECT stage FROM leads))"),
                     0);
    lb_lead_filter f = {0};
    int64_t counts[STAGE_COUNT];
    CHECK_OK(lead_count_by_stage(db, &f, counts, &err));
    ck_assert_int_eq(counts[STAGE_NURTURE], 2);
    ck_assert_int_eq(counts[STAGE_ACCEPTED], 1);
    ck_assert_int_eq(counts[STAGE_LOST], 1);
    ck_assert_int_eq(counts[STAGE_PROPOSAL], 1);
    ck_assert_int_eq(counts[STAGE_WON], 0);
    f.search = "zzz-nobody";
    CHECK_OK(lead_count_by_stage(db, &f, counts, &err));
    ck_assert_int_eq(counts[STAGE_NURTURE], 0);
}
END_TEST

Suite *actions_suite(void)
{
    Suite *s = suite_create("actions");

    TCase *tc = tcase_create("bootstrap");
    tcase_add_checked_fixture(tc, empty_setup, teardown);
    tcase_add_test(tc, test_bootstrap);
    tcase_add_test(tc, test_bootstrap_still_validates);
    suite_add_tcase(s, tc);

    tc = tcase_create("context");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_ctx_clock_and_actor);
    tcase_add_test(tc, test_ctx_unknown_login);
    tcase_add_test(tc, test_ctx_user_from_environment);
    tcase_add_test(tc, test_ctx_invalid_now);
    tcase_add_test(tc, test_sla_load_defaults_and_setting);
    tcase_add_test(tc, test_setting_set_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("users_campaigns");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_user_add_bad_input);
    tcase_add_test(tc, test_campaign_add);
    tcase_add_test(tc, test_campaign_add_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("leads");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_lead_add);
    tcase_add_test(tc, test_lead_add_refused);
    tcase_add_test(tc, test_lead_edit);
    tcase_add_test(tc, test_lead_edit_bad_input);
    suite_add_tcase(s, tc);

    tc = tcase_create("pipeline");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_handoff);
    tcase_add_test(tc, test_handoff_refused);
    tcase_add_test(tc, test_accept);
    tcase_add_test(tc, test_accept_by_manager);
    tcase_add_test(tc, test_accept_nurture_refused);
    tcase_add_test(tc, test_reject);
    tcase_add_test(tc, test_move_working_stages);
    tcase_add_test(tc, test_move_won_needs_value);
    tcase_add_test(tc, test_move_won_with_existing_value);
    tcase_add_test(tc, test_move_lost_needs_reason);
    tcase_add_test(tc, test_move_recycle);
    tcase_add_test(tc, test_move_reopen_manager_only);
    tcase_add_test(tc, test_move_refused_transitions);
    tcase_add_test(tc, test_move_wrong_command);
    suite_add_tcase(s, tc);

    tc = tcase_create("followups");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_log_connected_advances);
    tcase_add_test(tc, test_log_meeting_booked_advances);
    tcase_add_test(tc, test_log_without_advance);
    tcase_add_test(tc, test_log_on_contacted_stays);
    tcase_add_test(tc, test_log_refused);
    tcase_add_test(tc, test_log_before_acceptance_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("feedback");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_rate);
    tcase_add_test(tc, test_rate_reason_forms);
    tcase_add_test(tc, test_rate_refused);
    tcase_add_test(tc, test_rate_closed_and_by_manager);
    tcase_add_test(tc, test_feedback_review);
    tcase_add_test(tc, test_feedback_review_by_manager);
    tcase_add_test(tc, test_feedback_inbox_order_and_pages);
    tcase_add_test(tc, test_comment_by_anyone);
    tcase_add_test(tc, test_comment_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("goals");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_goal_set);
    tcase_add_test(tc, test_goal_set_refused);
    suite_add_tcase(s, tc);

    tc = tcase_create("concurrency");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_expect_version_conflict);
    tcase_add_test(tc, test_expect_version_on_pipeline);
    suite_add_tcase(s, tc);

    tc = tcase_create("counts");
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_stage_counts_follow_every_move);
    tcase_add_test(tc, test_feedback_count_follows_reviews);
    tcase_add_test(tc, test_reason_counts_per_campaign);
    suite_add_tcase(s, tc);

    tc = tcase_create("audit");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, team_setup, teardown);
    tcase_add_test(tc, test_events_follow_the_story);
    tcase_add_test(tc, test_user_events_attributed);
    tcase_add_test(tc, test_timeline_entry_types);
    tcase_add_test(tc, test_events_are_append_only_after_actions);
    suite_add_tcase(s, tc);

    return s;
}
