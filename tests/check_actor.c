/* actions.h, ctx_begin_write: the acting user is read again inside every
 * write transaction.  One context (as an open board keeps one for hours)
 * writes once, then a manager's change lands from elsewhere -- the user
 * deactivated, demoted, or strict_identity turned on -- and the context's
 * next write must be refused, as the command line would refuse it, with
 * nothing written. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/actions.h"
#include "leadboard/csv.h"
#include "leadboard/db.h"
#include "leadboard/import.h"
#include "leadboard/store.h"

#include "suites.h"

static lb_db *db;
static lb_err err;
static int64_t nurtured, handed, accepted, rating; /* leads in nurture, handed to sam, accepted by
                                                    * him, and his rating */

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define OK(call)                                                                                   \
    do {                                                                                           \
        lb_err_clear(&err);                                                                        \
        lb_status st_ = (call);                                                                    \
        ck_assert_msg(st_ == LB_OK, "%s failed: %d %s", #call, (int)st_, err.msg);                 \
    } while (0)

static void init_as(lb_ctx *c, const char *login)
{
    lb_err e;
    ck_assert_msg(ctx_init(c, db, login, &e) == LB_OK, "ctx_init(%s): %s", login, e.msg);
    ck_assert(c->has_actor);
}

static void raw(const char *sql)
{
    lb_err e;
    ck_assert_msg(db_exec_raw(db, sql, &e) == LB_OK, "%s: %s", sql, e.msg);
}

/* Rows in the audit log: every write adds at least one. */
static int64_t events(void)
{
    char buf[32];
    lb_err e;
    raw("INSERT OR REPLACE INTO settings(key, value) SELECT 'test.events', count(*) FROM events");
    ck_assert_int_eq(setting_get(db, "test.events", buf, sizeof buf, &e), LB_OK);
    return strtoll(buf, NULL, 10);
}

/* max (manager), mia (marketing), sam (sales); a lead in nurture, one
 * handed off to sam, one he accepted, and his rating of it. */
static void setup(void)
{
    lb_ctx c;
    lb_err_clear(&err);
    unsetenv("LEADBOARD_USER");
    setenv("LEADBOARD_NOW", "2026-11-20T09:00:00Z", 1);
    ck_assert_msg(test_db_open(&db, &err) == LB_OK, "db_open: %s", err.msg);
    ck_assert_int_eq(ctx_init(&c, db, "max", &err), LB_OK);
    OK(act_user_add(&c, "max", "manager", "Max", &err));
    OK(act_user_add(&c, "mia", "marketing", "Mia", &err));
    OK(act_user_add(&c, "sam", "sales", "Sam", &err));
    init_as(&c, "mia");
    lb_campaign_input camp = {.name = "Expo"};
    OK(act_campaign_add(&c, &camp, NULL, &err));
    lb_lead_input a = {.name = "Ada", .email = "ada@x.test"};
    lb_lead_input b = {.name = "Bo", .email = "bo@x.test"};
    OK(act_lead_add(&c, &a, &handed, &err));
    OK(act_lead_add(&c, &b, &accepted, &err));
    lb_lead_input n = {.name = "Cy"};
    OK(act_lead_add(&c, &n, &nurtured, &err));
    OK(act_handoff(&c, handed, "sam", NULL, 0, &err));
    OK(act_handoff(&c, accepted, "sam", NULL, 0, &err));
    init_as(&c, "sam");
    OK(act_accept(&c, accepted, 0, &err));
    OK(act_rate(&c, accepted, 3, NULL, 0, "fine", &rating, &err));
}

static void teardown(void)
{
    db_close(db);
    db = NULL;
    unsetenv("LEADBOARD_NOW");
}

/* ---- the writes, each as the user who may do it ------------------------- */

static lb_status w_lead_add(lb_ctx *c)
{
    lb_lead_input in = {.name = "New"};
    return act_lead_add(c, &in, NULL, &err);
}
static lb_status w_lead_edit(lb_ctx *c)
{
    lb_lead_input in = {.company = "Initech"};
    return act_lead_edit(c, nurtured, &in, 0, &err);
}
static lb_status w_campaign_add(lb_ctx *c)
{
    lb_campaign_input in = {.name = "Fall"};
    return act_campaign_add(c, &in, NULL, &err);
}
static lb_status w_handoff(lb_ctx *c)
{
    return act_handoff(c, nurtured, "sam", NULL, 0, &err);
}
static lb_status w_accept(lb_ctx *c)
{
    return act_accept(c, handed, 0, &err);
}
static lb_status w_reject(lb_ctx *c)
{
    return act_reject(c, handed, "not ours", 0, &err);
}
static lb_status w_move(lb_ctx *c)
{
    return act_move(c, accepted, STAGE_CONTACTED, NULL, NULL, 0, &err);
}
static lb_status w_log(lb_ctx *c)
{
    lb_followup_input in = {KIND_CALL, OUTCOME_VOICEMAIL, "rang", NULL, NULL, NULL};
    return act_log(c, accepted, &in, NULL, NULL, &err);
}
static lb_status w_rate(lb_ctx *c)
{
    return act_rate(c, accepted, 4, NULL, 0, NULL, NULL, &err);
}
static lb_status w_comment(lb_ctx *c)
{
    return act_comment(c, accepted, "still here", NULL, &err);
}
static lb_status w_review(lb_ctx *c)
{
    return act_feedback_review(c, rating, "thanks", &err);
}
static lb_status w_goal(lb_ctx *c)
{
    return act_goal_set(c, "2026-11", "1000", NULL, &err);
}
static lb_status w_setting(lb_ctx *c)
{
    return act_setting_set(c, "stale_days", "9", &err);
}
static lb_status w_user_add(lb_ctx *c)
{
    return act_user_add(c, "zed", "sales", NULL, &err);
}
static lb_status w_import(lb_ctx *c)
{
    static const char csv[] = "Name,Email\r\nIda,ida@x.test\r\n";
    csv_reader *r = csv_open_mem(csv, sizeof csv - 1);
    lb_import_opts o;
    lb_import_summary *sum = malloc(sizeof *sum);
    memset(&o, 0, sizeof o);
    o.source = "t.csv";
    ck_assert(r != NULL && sum != NULL);
    lb_status st = import_csv(c, r, &o, sum, &err);
    csv_close(r);
    free(sum);
    return st;
}

/* The first write (a comment: anyone may) shows the context works; the
 * demotion is to a team that may not do the write (NULL: any team may). */
static const struct {
    const char *what, *who, *demote_to;
    lb_status (*write)(lb_ctx *);
} writes[] = {
    {"lead add", "mia", "sales", w_lead_add},
    {"lead edit", "mia", "sales", w_lead_edit},
    {"campaign add", "mia", "sales", w_campaign_add},
    {"handoff", "max", "sales", w_handoff},
    {"accept", "sam", "marketing", w_accept},
    {"reject", "sam", "marketing", w_reject},
    {"move", "sam", "marketing", w_move},
    {"log", "sam", "marketing", w_log},
    {"rate", "sam", "marketing", w_rate},
    {"comment", "mia", NULL, w_comment},
    {"feedback review", "mia", "sales", w_review},
    {"goal set", "max", "sales", w_goal},
    {"setting set", "max", "marketing", w_setting},
    {"user add", "max", "sales", w_user_add},
    {"import", "mia", "sales", w_import},
};

enum { CHANGE_DEACTIVATE, CHANGE_DEMOTE, CHANGE_STRICT, CHANGE_COUNT };
static const char *const change_names[] = {"deactivated", "demoted", "strict_identity on"};

/* The manager's change as fixed SQL (no statement is assembled from
 * text): every login and team the table above names has its line. */
static const struct {
    int change;
    const char *who, *to, *sql;
} changes[] = {
    {CHANGE_DEACTIVATE, "max", NULL, "UPDATE users SET active = 0 WHERE login = 'max'"},
    {CHANGE_DEACTIVATE, "mia", NULL, "UPDATE users SET active = 0 WHERE login = 'mia'"},
    {CHANGE_DEACTIVATE, "sam", NULL, "UPDATE users SET active = 0 WHERE login = 'sam'"},
    {CHANGE_DEMOTE, "max", "sales", "UPDATE users SET team = 'sales' WHERE login = 'max'"},
    {CHANGE_DEMOTE, "max", "marketing", "UPDATE users SET team = 'marketing' WHERE login = 'max'"},
    {CHANGE_DEMOTE, "mia", "sales", "UPDATE users SET team = 'sales' WHERE login = 'mia'"},
    {CHANGE_DEMOTE, "sam", "marketing", "UPDATE users SET team = 'marketing' WHERE login = 'sam'"},
};

static const char *change_sql(int change, const char *who, const char *to)
{
    if (change == CHANGE_STRICT) /* the OS login running the tests is none of these users */
        return "INSERT OR REPLACE INTO settings(key, value) VALUES ('strict_identity', '1')";
    for (int i = 0; i < N(changes); i++)
        if (changes[i].change == change && strcmp(changes[i].who, who) == 0 &&
            (change != CHANGE_DEMOTE || strcmp(changes[i].to, to) == 0))
            return changes[i].sql;
    ck_abort_msg("no SQL for change %d of %s", change, who);
    return NULL;
}

/* Without a change the write goes through: the refusals below are the
 * change's doing, not a broken fixture. */
START_TEST(test_write_allowed_before_change)
{
    lb_ctx c;
    init_as(&c, writes[_i].who);
    lb_err_clear(&err);
    lb_status st = writes[_i].write(&c);
    ck_assert_msg(st == LB_OK, "%s as %s: %d %s", writes[_i].what, writes[_i].who, (int)st,
                  err.msg);
}
END_TEST

START_TEST(test_write_refused_after_change)
{
    int w = _i / CHANGE_COUNT, change = _i % CHANGE_COUNT;
    const char *who = writes[w].who;
    lb_ctx c;

    if (change == CHANGE_DEMOTE && !writes[w].demote_to)
        return; /* anyone comments: a demotion changes nothing */
    init_as(&c, who);
    OK(act_comment(&c, handed, "before the change", NULL, &err));

    raw(change_sql(change, who, writes[w].demote_to));

    int64_t before = events();
    lb_err_clear(&err);
    lb_status st = writes[w].write(&c);
    ck_assert_msg(st == LB_EPERM, "%s as %s, %s: got %d (%s), expected a refusal", writes[w].what,
                  who, change_names[change], (int)st, err.msg);
    ck_assert_msg(err.msg[0] != '\0', "a refusal says why");
    if (change == CHANGE_DEACTIVATE)
        ck_assert_msg(strstr(err.msg, "inactive") != NULL, "message: %s", err.msg);
    if (change == CHANGE_STRICT)
        ck_assert_msg(strstr(err.msg, "strict_identity") != NULL, "message: %s", err.msg);
    ck_assert_int_eq(events(), before);
    /* the CLI, starting afresh, says the same */
    lb_ctx fresh;
    lb_err e;
    lb_status fst = ctx_init(&fresh, db, who, &e);
    if (fst == LB_OK)
        fst = ctx_require_actor(&fresh, &e);
    if (fst == LB_OK) {
        lb_err_clear(&err);
        fst = writes[w].write(&fresh);
    }
    ck_assert_int_eq(fst, LB_EPERM);
}
END_TEST

/* Identity never comes from the environment: $USER naming a manager does
 * not make the process that manager. */
START_TEST(test_os_login_not_from_env)
{
    lb_ctx c;
    lb_err e;
    setenv("USER", "max", 1);
    setenv("LOGNAME", "max", 1);
    ck_assert_int_eq(ctx_init(&c, db, NULL, &e), LB_OK);
    ck_assert_str_ne(c.os_login, "max");
    ck_assert(!c.has_actor);
    unsetenv("USER");
    unsetenv("LOGNAME");
}
END_TEST

Suite *actor_suite(void)
{
    Suite *s = suite_create("actor");
    TCase *tc = tcase_create("reread");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_write_allowed_before_change, 0, N(writes));
    tcase_add_loop_test(tc, test_write_refused_after_change, 0, N(writes) * CHANGE_COUNT);
    tcase_add_test(tc, test_os_login_not_from_env);
    suite_add_tcase(s, tc);
    return s;
}
