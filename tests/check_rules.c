/* rules.h: the transition table, permissions, transition checks, outcomes
 * that advance a lead, and SLA arithmetic. */
#include "config.h"

#include <check.h>
#include <string.h>

#include "leadboard/domain.h"
#include "leadboard/model.h"
#include "leadboard/rules.h"
#include "leadboard/status.h"
#include "leadboard/text.h"

#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- actors and leads -------------------------------------------------- */

enum { MIA, SAM, SUE, MAX, NOBODY }; /* NOBODY: actor NULL */

static lb_user users[4];

static void make_user(lb_user *u, int64_t id, const char *login, lb_team team)
{
    memset(u, 0, sizeof *u);
    u->id = id;
    strcpy(u->login, login);
    strcpy(u->name, login);
    u->team = team;
    u->active = true;
    strcpy(u->created_at, "2024-01-01T00:00:00Z");
}

static void setup_users(void)
{
    make_user(&users[MIA], 1, "mia", TEAM_MARKETING);
    make_user(&users[SAM], 2, "sam", TEAM_SALES);
    make_user(&users[SUE], 3, "sue", TEAM_SALES);
    make_user(&users[MAX], 4, "max", TEAM_MANAGER);
}

static const lb_user *actor(int who)
{
    return who == NOBODY ? NULL : &users[who];
}

/* A lead in `stage`, created by mia; owned by sam unless in nurture. */
static void make_lead(lb_lead *l, lb_stage stage)
{
    memset(l, 0, sizeof *l);
    l->id = 7;
    strcpy(l->name, "Ada Lovelace");
    strcpy(l->company, "Analytical Engines");
    l->marketer_id = users[MIA].id;
    strcpy(l->marketer, "mia");
    if (stage != STAGE_NURTURE) {
        l->owner_id = users[SAM].id;
        strcpy(l->owner, "sam");
        strcpy(l->handed_off_at, "2024-03-01T09:00:00Z");
    }
    l->stage = stage;
    l->furthest = stage == STAGE_LOST ? STAGE_PROPOSAL : (int)stage;
    strcpy(l->created_at, "2024-02-28T09:00:00Z");
    strcpy(l->stage_at, "2024-03-01T09:00:00Z");
    strcpy(l->updated_at, "2024-03-01T09:00:00Z");
    l->version = 3;
}

/* ---- the transition table ---------------------------------------------- */

typedef struct {
    bool exists;
    lb_action action;
    const char *command;
    unsigned needs;
    bool manager_only;
} expected_transition;

/* doc/product.md section 3, written out for every (from, to) pair. */
static expected_transition expected_for(lb_stage from, lb_stage to)
{
    expected_transition none = {false, ACTION_COUNT, NULL, 0, false};
    if (from == to)
        return none;
    if (from == STAGE_NURTURE && to == STAGE_HANDED_OFF)
        return (expected_transition){true, ACTION_HANDOFF, "handoff", NEED_ASSIGNEE, false};
    if (from == STAGE_HANDED_OFF && to == STAGE_ACCEPTED)
        return (expected_transition){true, ACTION_ACCEPT, "accept", NEED_NOTHING, false};
    if (from == STAGE_HANDED_OFF && to == STAGE_NURTURE)
        return (expected_transition){true, ACTION_REJECT, "reject", NEED_REASON, false};
    if (stage_is_working(from) && stage_is_working(to))
        return (expected_transition){true, ACTION_MOVE, "move", NEED_NOTHING, false};
    if (stage_is_working(from) && to == STAGE_WON)
        return (expected_transition){true, ACTION_MOVE, "move", NEED_VALUE, false};
    if (stage_is_working(from) && to == STAGE_LOST)
        return (expected_transition){true, ACTION_MOVE, "move", NEED_REASON, false};
    if (stage_is_working(from) && to == STAGE_NURTURE)
        return (expected_transition){true, ACTION_MOVE, "move", NEED_REASON, false};
    if (stage_is_closed(from) && to == STAGE_ACCEPTED)
        return (expected_transition){true, ACTION_MOVE, "move", NEED_NOTHING, true};
    return none;
}

START_TEST(test_transition_table)
{
    lb_stage from = (lb_stage)(_i / STAGE_COUNT);
    lb_stage to = (lb_stage)(_i % STAGE_COUNT);
    expected_transition want = expected_for(from, to);
    const lb_transition *t = rules_transition(from, to);
    if (!want.exists) {
        ck_assert_msg(t == NULL, "%s -> %s should not be a transition", stage_name(from),
                      stage_name(to));
        return;
    }
    ck_assert_msg(t != NULL, "%s -> %s should be a transition", stage_name(from), stage_name(to));
    ck_assert_int_eq(t->from, from);
    ck_assert_int_eq(t->to, to);
    ck_assert_msg(t->action == want.action, "%s -> %s: action %d, expected %d", stage_name(from),
                  stage_name(to), (int)t->action, (int)want.action);
    ck_assert_str_eq(t->command, want.command);
    ck_assert_msg(t->needs == want.needs, "%s -> %s: needs %u, expected %u", stage_name(from),
                  stage_name(to), t->needs, want.needs);
    ck_assert_msg(t->manager_only == want.manager_only, "%s -> %s: manager_only %d",
                  stage_name(from), stage_name(to), (int)t->manager_only);
}
END_TEST

START_TEST(test_transition_out_of_range)
{
    ck_assert_ptr_null(rules_transition(STAGE_COUNT, STAGE_NURTURE));
    ck_assert_ptr_null(rules_transition(STAGE_NURTURE, STAGE_COUNT));
}
END_TEST

START_TEST(test_allowed_from_accepted)
{
    char buf[256];
    rules_allowed_from(STAGE_ACCEPTED, buf, sizeof buf);
    /* The header's own example. */
    ck_assert_str_eq(buf,
                     "allowed from accepted: contacted, qualified, proposal, won, lost, nurture");
}
END_TEST

/* Which stage names each stage's message must and must not list. */
START_TEST(test_allowed_from_lists_exactly_the_targets)
{
    lb_stage from = (lb_stage)_i;
    char buf[256];
    rules_allowed_from(from, buf, sizeof buf);
    const char *colon = strchr(buf, ':');
    ck_assert_msg(colon != NULL, "no ':' in \"%s\"", buf);
    ck_assert_msg(strstr(buf, stage_name(from)) != NULL && strstr(buf, stage_name(from)) < colon,
                  "\"%s\" does not name the stage it is about", buf);
    /* Split the list after the colon into names and compare as a set. */
    char list[256];
    strcpy(list, colon + 1);
    bool listed[STAGE_COUNT] = {false};
    for (char *tok = strtok(list, ", "); tok != NULL; tok = strtok(NULL, ", ")) {
        if (tok[0] == '(')
            continue; /* an annotation such as "(handoff)" or "(manager)" */
        int k = vocab_find(&lb_stages, tok);
        ck_assert_msg(k >= 0, "\"%s\" lists unknown stage \"%s\"", buf, tok);
        listed[k] = true;
    }
    for (int k = 0; k < STAGE_COUNT; k++) {
        bool want = expected_for(from, (lb_stage)k).exists;
        ck_assert_msg(listed[k] == want, "\"%s\": %s should%s be listed", buf, stage_name(k),
                      want ? "" : " not");
    }
}
END_TEST

/* ---- rules_permit ------------------------------------------------------ */

typedef struct {
    int who;
    lb_action action;
    lb_stage stage; /* of the lead the action is about (owner: sam) */
    bool allowed;
} permit_case;

#define P(who, action, stage, allowed)                                                             \
    {                                                                                              \
        who, ACTION_##action, STAGE_##stage, allowed                                               \
    }

static const permit_case permit_cases[] = {
    /* marketing */
    P(MIA, LEAD_ADD, NURTURE, true),
    P(MIA, LEAD_EDIT, NURTURE, true),
    P(MIA, HANDOFF, NURTURE, true),
    P(MIA, ACCEPT, HANDED_OFF, false),
    P(MIA, REJECT, HANDED_OFF, false),
    P(MIA, MOVE, CONTACTED, false),
    P(MIA, LOG, CONTACTED, false),
    P(MIA, RATE, CONTACTED, false),
    P(MIA, COMMENT, CONTACTED, true),
    P(MIA, CAMPAIGN_ADD, NURTURE, true),
    P(MIA, FEEDBACK_REVIEW, NURTURE, true),
    P(MIA, USER_ADD, NURTURE, false),
    P(MIA, GOAL_SET, NURTURE, false),
    P(MIA, SETTING_SET, NURTURE, false),
    P(MIA, IMPORT, NURTURE, true),
    /* sales, the lead's owner */
    P(SAM, LEAD_ADD, NURTURE, false),
    P(SAM, LEAD_EDIT, NURTURE, false),
    P(SAM, HANDOFF, NURTURE, false),
    P(SAM, ACCEPT, HANDED_OFF, true),
    P(SAM, REJECT, HANDED_OFF, true),
    P(SAM, MOVE, CONTACTED, true),
    P(SAM, LOG, CONTACTED, true),
    P(SAM, RATE, CONTACTED, true),
    P(SAM, COMMENT, CONTACTED, true),
    P(SAM, CAMPAIGN_ADD, NURTURE, false),
    P(SAM, FEEDBACK_REVIEW, NURTURE, false),
    P(SAM, USER_ADD, NURTURE, false),
    P(SAM, GOAL_SET, NURTURE, false),
    P(SAM, SETTING_SET, NURTURE, false),
    P(SAM, IMPORT, NURTURE, false),
    /* sales, not the owner */
    P(SUE, LEAD_ADD, NURTURE, false),
    P(SUE, LEAD_EDIT, NURTURE, false),
    P(SUE, HANDOFF, NURTURE, false),
    P(SUE, ACCEPT, HANDED_OFF, false),
    P(SUE, REJECT, HANDED_OFF, false),
    P(SUE, MOVE, CONTACTED, false),
    P(SUE, LOG, CONTACTED, false),
    P(SUE, RATE, CONTACTED, false),
    P(SUE, COMMENT, CONTACTED, true),
    P(SUE, CAMPAIGN_ADD, NURTURE, false),
    P(SUE, FEEDBACK_REVIEW, NURTURE, false),
    P(SUE, USER_ADD, NURTURE, false),
    P(SUE, GOAL_SET, NURTURE, false),
    P(SUE, SETTING_SET, NURTURE, false),
    P(SUE, IMPORT, NURTURE, false),
    /* manager */
    P(MAX, LEAD_ADD, NURTURE, true),
    P(MAX, LEAD_EDIT, NURTURE, true),
    P(MAX, HANDOFF, NURTURE, true),
    P(MAX, ACCEPT, HANDED_OFF, true),
    P(MAX, REJECT, HANDED_OFF, true),
    P(MAX, MOVE, CONTACTED, true),
    P(MAX, LOG, CONTACTED, true),
    P(MAX, RATE, CONTACTED, true),
    P(MAX, COMMENT, CONTACTED, true),
    P(MAX, CAMPAIGN_ADD, NURTURE, true),
    P(MAX, FEEDBACK_REVIEW, NURTURE, true),
    P(MAX, USER_ADD, NURTURE, true),
    P(MAX, GOAL_SET, NURTURE, true),
    P(MAX, SETTING_SET, NURTURE, true),
    P(MAX, IMPORT, NURTURE, true),
    /* no user (USER_ADD while bootstrapping is the actions' business) */
    P(NOBODY, LEAD_ADD, NURTURE, false),
    P(NOBODY, LEAD_EDIT, NURTURE, false),
    P(NOBODY, HANDOFF, NURTURE, false),
    P(NOBODY, ACCEPT, HANDED_OFF, false),
    P(NOBODY, REJECT, HANDED_OFF, false),
    P(NOBODY, MOVE, CONTACTED, false),
    P(NOBODY, LOG, CONTACTED, false),
    P(NOBODY, RATE, CONTACTED, false),
    P(NOBODY, COMMENT, CONTACTED, false),
    P(NOBODY, CAMPAIGN_ADD, NURTURE, false),
    P(NOBODY, FEEDBACK_REVIEW, NURTURE, false),
    P(NOBODY, GOAL_SET, NURTURE, false),
    P(NOBODY, SETTING_SET, NURTURE, false),
    P(NOBODY, IMPORT, NURTURE, false),
    /* editing leads: marketing only in nurture, managers in any stage */
    P(MIA, LEAD_EDIT, HANDED_OFF, false),
    P(MIA, LEAD_EDIT, ACCEPTED, false),
    P(MIA, LEAD_EDIT, WON, false),
    P(MAX, LEAD_EDIT, ACCEPTED, true),
    P(MAX, LEAD_EDIT, WON, true),
    P(SAM, LEAD_EDIT, ACCEPTED, true), /* the owner: contact details (rules_permit_edit) */
    P(SUE, LEAD_EDIT, ACCEPTED, false),
    /* the owner's rights hold in every working and closed stage */
    P(SAM, LOG, ACCEPTED, true),
    P(SAM, RATE, WON, true),
    P(SAM, RATE, LOST, true),
    P(SUE, RATE, WON, false),
    P(SAM, MOVE, PROPOSAL, true),
    P(SUE, MOVE, PROPOSAL, false),
    /* anyone comments, whatever the stage */
    P(MIA, COMMENT, NURTURE, true),
    P(SUE, COMMENT, WON, true),
};

START_TEST(test_permit)
{
    const permit_case *c = &permit_cases[_i];
    lb_lead lead;
    setup_users();
    make_lead(&lead, c->stage);
    lb_err err;
    lb_err_clear(&err);
    /* Actions that are not about one lead get none. */
    bool about_lead = c->action != ACTION_LEAD_ADD && c->action != ACTION_CAMPAIGN_ADD &&
                      c->action != ACTION_FEEDBACK_REVIEW && c->action != ACTION_USER_ADD &&
                      c->action != ACTION_GOAL_SET && c->action != ACTION_SETTING_SET &&
                      c->action != ACTION_IMPORT;
    lb_status st = rules_permit(actor(c->who), c->action, about_lead ? &lead : NULL, &err);
    const char *who = c->who == NOBODY ? "(nobody)" : users[c->who].login;
    if (c->allowed) {
        ck_assert_msg(st == LB_OK, "%s should be allowed to %s a %s lead: %d %s", who,
                      action_name(c->action), stage_name(c->stage), (int)st, err.msg);
    } else {
        ck_assert_msg(st == LB_EPERM, "%s should not be allowed to %s a %s lead (got %d)", who,
                      action_name(c->action), stage_name(c->stage), (int)st);
        ck_assert_msg(err.msg[0] != '\0', "refusal without a message");
    }
}
END_TEST

START_TEST(test_permit_owner_by_id)
{
    /* Ownership follows the owner on the lead, not the team: sue owns it now. */
    setup_users();
    lb_lead lead;
    make_lead(&lead, STAGE_CONTACTED);
    lead.owner_id = users[SUE].id;
    strcpy(lead.owner, "sue");
    lb_err err;
    ck_assert_int_eq(rules_permit(&users[SUE], ACTION_MOVE, &lead, &err), LB_OK);
    ck_assert_int_eq(rules_permit(&users[SAM], ACTION_MOVE, &lead, &err), LB_EPERM);
    ck_assert_int_eq(rules_permit(&users[SAM], ACTION_LOG, &lead, &err), LB_EPERM);
    ck_assert_int_eq(rules_permit(&users[SUE], ACTION_RATE, &lead, &err), LB_OK);
}
END_TEST

START_TEST(test_permit_message_says_who_may)
{
    setup_users();
    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(rules_permit(&users[SAM], ACTION_GOAL_SET, NULL, &err), LB_EPERM);
    ck_assert_int_eq(err.status, LB_EPERM);
    ck_assert_msg(strstr(err.msg, "manager") != NULL, "\"%s\" does not say managers may", err.msg);
}
END_TEST

START_TEST(test_action_names)
{
    for (int a = 0; a < ACTION_COUNT; a++) {
        const char *name = action_name((lb_action)a);
        ck_assert_ptr_nonnull(name);
        ck_assert_uint_gt(strlen(name), 0);
        for (int b = 0; b < a; b++)
            ck_assert_str_ne(name, action_name((lb_action)b));
    }
}
END_TEST

/* ---- rules_check_transition ------------------------------------------- */

typedef struct {
    int who;
    lb_stage from;
    lb_stage to;
    lb_action via;
    bool has_value, has_reason;
    lb_status want;
} check_case;

#define T(who, from, to, via, v, r, want)                                                          \
    {                                                                                              \
        who, STAGE_##from, STAGE_##to, ACTION_##via, v, r, want                                    \
    }

static const check_case check_cases[] = {
    /* hand-off */
    T(MIA, NURTURE, HANDED_OFF, HANDOFF, false, false, LB_OK),
    T(MAX, NURTURE, HANDED_OFF, HANDOFF, false, false, LB_OK),
    T(SAM, NURTURE, HANDED_OFF, HANDOFF, false, false, LB_EPERM),
    T(NOBODY, NURTURE, HANDED_OFF, HANDOFF, false, false, LB_EPERM),
    /* accept */
    T(SAM, HANDED_OFF, ACCEPTED, ACCEPT, false, false, LB_OK),
    T(MAX, HANDED_OFF, ACCEPTED, ACCEPT, false, false, LB_OK),
    T(SUE, HANDED_OFF, ACCEPTED, ACCEPT, false, false, LB_EPERM),
    T(MIA, HANDED_OFF, ACCEPTED, ACCEPT, false, false, LB_EPERM),
    /* reject */
    T(SAM, HANDED_OFF, NURTURE, REJECT, false, true, LB_OK),
    T(SAM, HANDED_OFF, NURTURE, REJECT, false, false, LB_EINVAL),
    T(MAX, HANDED_OFF, NURTURE, REJECT, false, true, LB_OK),
    T(SUE, HANDED_OFF, NURTURE, REJECT, false, true, LB_EPERM),
    /* moves among working stages, either way */
    T(SAM, ACCEPTED, CONTACTED, MOVE, false, false, LB_OK),
    T(SAM, CONTACTED, QUALIFIED, MOVE, false, false, LB_OK),
    T(SAM, QUALIFIED, PROPOSAL, MOVE, false, false, LB_OK),
    T(SAM, PROPOSAL, ACCEPTED, MOVE, false, false, LB_OK),
    T(SAM, ACCEPTED, PROPOSAL, MOVE, false, false, LB_OK),
    T(MAX, CONTACTED, QUALIFIED, MOVE, false, false, LB_OK),
    T(SUE, CONTACTED, QUALIFIED, MOVE, false, false, LB_EPERM),
    T(MIA, CONTACTED, QUALIFIED, MOVE, false, false, LB_EPERM),
    T(NOBODY, CONTACTED, QUALIFIED, MOVE, false, false, LB_EPERM),
    /* won needs a value */
    T(SAM, PROPOSAL, WON, MOVE, false, false, LB_EINVAL),
    T(SAM, PROPOSAL, WON, MOVE, true, false, LB_OK),
    T(SAM, ACCEPTED, WON, MOVE, true, false, LB_OK),
    T(MAX, QUALIFIED, WON, MOVE, true, false, LB_OK),
    T(SAM, PROPOSAL, WON, MOVE, false, true, LB_EINVAL),
    /* lost and recycle need a reason */
    T(SAM, PROPOSAL, LOST, MOVE, false, false, LB_EINVAL),
    T(SAM, PROPOSAL, LOST, MOVE, false, true, LB_OK),
    T(SAM, CONTACTED, LOST, MOVE, true, false, LB_EINVAL),
    T(SAM, QUALIFIED, NURTURE, MOVE, false, false, LB_EINVAL),
    T(SAM, QUALIFIED, NURTURE, MOVE, false, true, LB_OK),
    T(MAX, ACCEPTED, NURTURE, MOVE, false, true, LB_OK),
    /* reopen: managers only */
    T(SAM, WON, ACCEPTED, MOVE, false, false, LB_EPERM),
    T(SAM, LOST, ACCEPTED, MOVE, false, false, LB_EPERM),
    T(MIA, LOST, ACCEPTED, MOVE, false, false, LB_EPERM),
    T(MAX, WON, ACCEPTED, MOVE, false, false, LB_OK),
    T(MAX, LOST, ACCEPTED, MOVE, false, false, LB_OK),
    /* no such transition, whoever asks */
    T(MAX, NURTURE, WON, MOVE, true, true, LB_ETRANSITION),
    T(MAX, NURTURE, ACCEPTED, MOVE, false, false, LB_ETRANSITION),
    T(MAX, HANDED_OFF, CONTACTED, MOVE, false, false, LB_ETRANSITION),
    T(MAX, WON, LOST, MOVE, false, true, LB_ETRANSITION),
    T(MAX, LOST, WON, MOVE, true, false, LB_ETRANSITION),
    T(MAX, WON, CONTACTED, MOVE, false, false, LB_ETRANSITION),
    T(MAX, CONTACTED, CONTACTED, MOVE, false, false, LB_ETRANSITION),
    T(MAX, CONTACTED, HANDED_OFF, MOVE, false, false, LB_ETRANSITION),
    T(MAX, LOST, NURTURE, MOVE, false, true, LB_ETRANSITION),
    /* a permission problem is reported before a missing value */
    T(SUE, PROPOSAL, WON, MOVE, false, false, LB_EPERM),
};

START_TEST(test_check_transition)
{
    const check_case *c = &check_cases[_i];
    setup_users();
    lb_lead lead;
    make_lead(&lead, c->from);
    lb_err err;
    lb_err_clear(&err);
    lb_status st = rules_check_transition(actor(c->who), &lead, c->to, c->via, c->has_value,
                                          c->has_reason, &err);
    ck_assert_msg(st == c->want, "case %d: %s %s -> %s via %s: got %d, expected %d (%s)", _i,
                  c->who == NOBODY ? "(nobody)" : users[c->who].login, stage_name(c->from),
                  stage_name(c->to), action_name(c->via), (int)st, (int)c->want, err.msg);
    if (st != LB_OK)
        ck_assert_msg(err.msg[0] != '\0', "case %d: refused without a message", _i);
}
END_TEST

START_TEST(test_check_transition_names_allowed)
{
    setup_users();
    lb_lead lead;
    make_lead(&lead, STAGE_NURTURE);
    lb_err err;
    lb_err_clear(&err);
    ck_assert_int_eq(
        rules_check_transition(&users[MAX], &lead, STAGE_WON, ACTION_MOVE, true, true, &err),
        LB_ETRANSITION);
    ck_assert_msg(strstr(err.msg, "handed_off") != NULL, "\"%s\" does not say what is allowed",
                  err.msg);

    make_lead(&lead, STAGE_WON);
    lb_err_clear(&err);
    ck_assert_int_eq(
        rules_check_transition(&users[MAX], &lead, STAGE_LOST, ACTION_MOVE, false, true, &err),
        LB_ETRANSITION);
    ck_assert_msg(strstr(err.msg, "accepted") != NULL, "\"%s\" does not say what is allowed",
                  err.msg);
}
END_TEST

/* The right transition with the wrong command: a hand-off is not a move. */
START_TEST(test_check_transition_wrong_command)
{
    setup_users();
    lb_lead lead;
    lb_err err;

    make_lead(&lead, STAGE_NURTURE);
    lb_err_clear(&err);
    lb_status st = rules_check_transition(&users[MIA], &lead, STAGE_HANDED_OFF, ACTION_MOVE, false,
                                          false, &err);
    ck_assert_int_ne(st, LB_OK);
    ck_assert_int_eq(lb_status_exit_code(st), 2);
    ck_assert_msg(strstr(err.msg, "handoff") != NULL, "\"%s\" does not point to handoff", err.msg);

    make_lead(&lead, STAGE_HANDED_OFF);
    lb_err_clear(&err);
    st =
        rules_check_transition(&users[SAM], &lead, STAGE_ACCEPTED, ACTION_MOVE, false, false, &err);
    ck_assert_int_ne(st, LB_OK);
    ck_assert_int_eq(lb_status_exit_code(st), 2);
    ck_assert_msg(strstr(err.msg, "accept") != NULL, "\"%s\" does not point to accept", err.msg);

    lb_err_clear(&err);
    st = rules_check_transition(&users[SAM], &lead, STAGE_NURTURE, ACTION_MOVE, false, true, &err);
    ck_assert_int_ne(st, LB_OK);
    ck_assert_msg(strstr(err.msg, "reject") != NULL, "\"%s\" does not point to reject", err.msg);

    /* and a move is not an accept */
    make_lead(&lead, STAGE_ACCEPTED);
    st = rules_check_transition(&users[SAM], &lead, STAGE_CONTACTED, ACTION_ACCEPT, false, false,
                                &err);
    ck_assert_int_ne(st, LB_OK);
}
END_TEST

/* ---- outcomes ---------------------------------------------------------- */

START_TEST(test_outcome_advances)
{
    lb_stage stage = (lb_stage)(_i / OUTCOME_COUNT);
    lb_outcome outcome = (lb_outcome)(_i % OUTCOME_COUNT);
    bool want = stage == STAGE_ACCEPTED &&
                (outcome == OUTCOME_CONNECTED || outcome == OUTCOME_MEETING_BOOKED);
    ck_assert_msg(rules_outcome_advances(stage, outcome) == want,
                  "rules_outcome_advances(%s, %s) should be %s", stage_name(stage),
                  vocab_name(&lb_outcomes, outcome), want ? "true" : "false");
}
END_TEST

/* ---- SLA --------------------------------------------------------------- */

#define H 3600
#define D 86400
static const lb_time T0 = 1709283600; /* 2024-03-01T09:00:00Z */

static void iso(lb_time t, char *buf)
{
    time_format(t, buf);
}

START_TEST(test_sla_defaults)
{
    lb_sla sla;
    memset(&sla, 0xff, sizeof sla);
    sla_defaults(&sla);
    ck_assert_int_eq(sla.accept_hours, 24);
    ck_assert_int_eq(sla.first_touch_hours, 48);
    ck_assert_int_eq(sla.stale_days, 7);
}
END_TEST

typedef struct {
    lb_stage stage;
    lb_time handed_off; /* offsets from T0; NONE: unset */
    lb_time accepted;
    lb_time first_touch;
    lb_time last_touch;
    lb_time next_due;
    lb_time now;
    unsigned want;
} sla_case;

#define NONE INT64_MIN

static const sla_case sla_cases[] = {
    /* acceptance: 24 h from the hand-off */
    {STAGE_HANDED_OFF, 0, NONE, NONE, NONE, NONE, 1 * H, SLA_OK},
    {STAGE_HANDED_OFF, 0, NONE, NONE, NONE, NONE, 24 * H - 1, SLA_OK},
    {STAGE_HANDED_OFF, 0, NONE, NONE, NONE, NONE, 24 * H, SLA_OK},
    {STAGE_HANDED_OFF, 0, NONE, NONE, NONE, NONE, 24 * H + 1, SLA_ACCEPT_OVERDUE},
    {STAGE_HANDED_OFF, 0, NONE, NONE, NONE, NONE, 30 * H, SLA_ACCEPT_OVERDUE},
    /* accepted in time: no acceptance alarm any more */
    {STAGE_ACCEPTED, 0, 30 * H, NONE, NONE, NONE, 31 * H, SLA_OK},
    /* first touch: 48 h from the hand-off, not from the acceptance */
    {STAGE_ACCEPTED, 0, 10 * H, NONE, NONE, NONE, 47 * H, SLA_OK},
    {STAGE_ACCEPTED, 0, 10 * H, NONE, NONE, NONE, 48 * H, SLA_OK},
    {STAGE_ACCEPTED, 0, 10 * H, NONE, NONE, NONE, 48 * H + 1, SLA_FIRST_TOUCH_OVERDUE},
    {STAGE_ACCEPTED, 0, 40 * H, NONE, NONE, NONE, 50 * H, SLA_FIRST_TOUCH_OVERDUE},
    {STAGE_ACCEPTED, 0, 10 * H, 20 * H, 20 * H, NONE, 50 * H, SLA_OK},
    {STAGE_CONTACTED, 0, 10 * H, 20 * H, 20 * H, NONE, 60 * H, SLA_OK},
    /* stale: a working lead without a follow-up for 7 days */
    {STAGE_CONTACTED, 0, 1 * H, 2 * H, 2 * H, NONE, 2 * H + 7 * D - 1, SLA_OK},
    {STAGE_CONTACTED, 0, 1 * H, 2 * H, 2 * H, NONE, 2 * H + 7 * D, SLA_OK},
    {STAGE_CONTACTED, 0, 1 * H, 2 * H, 2 * H, NONE, 2 * H + 7 * D + 1, SLA_STALE},
    {STAGE_PROPOSAL, 0, 1 * H, 2 * H, 5 * D, NONE, 11 * D, SLA_OK},
    {STAGE_PROPOSAL, 0, 1 * H, 2 * H, 5 * D, NONE, 13 * D, SLA_STALE},
    /* a follow-up's due date */
    {STAGE_QUALIFIED, 0, 1 * H, 2 * H, 2 * H, 3 * D, 3 * D - 1, SLA_OK},
    {STAGE_QUALIFIED, 0, 1 * H, 2 * H, 2 * H, 3 * D, 3 * D + 1, SLA_FOLLOWUP_OVERDUE},
    {STAGE_QUALIFIED, 0, 1 * H, 2 * H, 2 * H, 3 * D, 10 * D, SLA_FOLLOWUP_OVERDUE | SLA_STALE},
    /* closed and unassigned leads have no deadlines */
    {STAGE_WON, 0, 1 * H, 2 * H, 2 * H, NONE, 60 * D, SLA_OK},
    {STAGE_LOST, 0, 1 * H, 2 * H, 2 * H, NONE, 60 * D, SLA_OK},
    {STAGE_NURTURE, NONE, NONE, NONE, NONE, NONE, 60 * D, SLA_OK},
};

static void set_time(char *field, lb_time offset)
{
    if (offset == NONE)
        field[0] = '\0';
    else
        iso(T0 + offset, field);
}

START_TEST(test_sla_state)
{
    const sla_case *c = &sla_cases[_i];
    setup_users();
    lb_lead lead;
    make_lead(&lead, c->stage);
    set_time(lead.handed_off_at, c->handed_off);
    set_time(lead.accepted_at, c->accepted);
    set_time(lead.first_touch_at, c->first_touch);
    set_time(lead.last_touch_at, c->last_touch);
    set_time(lead.next_due_at, c->next_due);
    set_time(lead.stage_at, c->accepted != NONE ? c->accepted : (c->handed_off != NONE ? 0 : -D));
    if (stage_is_closed(c->stage))
        set_time(lead.closed_at, 3 * H);
    lb_sla sla;
    sla_defaults(&sla);
    unsigned got = sla_state(&sla, &lead, T0 + c->now);
    ck_assert_msg(got == c->want, "sla case %d (%s, now T0%+lld s): flags %u, expected %u", _i,
                  stage_name(c->stage), (long long)c->now, got, c->want);
}
END_TEST

START_TEST(test_sla_custom_hours)
{
    setup_users();
    lb_lead lead;
    make_lead(&lead, STAGE_HANDED_OFF);
    iso(T0, lead.handed_off_at);
    iso(T0, lead.stage_at);
    lb_sla sla = {.accept_hours = 2, .first_touch_hours = 4, .stale_days = 1};
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 2 * H), SLA_OK);
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 2 * H + 1), SLA_ACCEPT_OVERDUE);

    make_lead(&lead, STAGE_ACCEPTED);
    iso(T0, lead.handed_off_at);
    iso(T0 + H, lead.accepted_at);
    iso(T0 + H, lead.stage_at);
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 4 * H), SLA_OK);
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 4 * H + 1), SLA_FIRST_TOUCH_OVERDUE);

    make_lead(&lead, STAGE_CONTACTED);
    iso(T0, lead.handed_off_at);
    iso(T0 + H, lead.accepted_at);
    iso(T0 + 2 * H, lead.first_touch_at);
    iso(T0 + 2 * H, lead.last_touch_at);
    iso(T0 + 2 * H, lead.stage_at);
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 2 * H + D), SLA_OK);
    ck_assert_uint_eq(sla_state(&sla, &lead, T0 + 2 * H + D + 1), SLA_STALE);
}
END_TEST

Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");

    TCase *tc = tcase_create("transitions");
    tcase_add_loop_test(tc, test_transition_table, 0, STAGE_COUNT * STAGE_COUNT);
    tcase_add_test(tc, test_transition_out_of_range);
    tcase_add_test(tc, test_allowed_from_accepted);
    tcase_add_loop_test(tc, test_allowed_from_lists_exactly_the_targets, 0, STAGE_COUNT);
    suite_add_tcase(s, tc);

    tc = tcase_create("permit");
    tcase_add_loop_test(tc, test_permit, 0, N(permit_cases));
    tcase_add_test(tc, test_permit_owner_by_id);
    tcase_add_test(tc, test_permit_message_says_who_may);
    tcase_add_test(tc, test_action_names);
    suite_add_tcase(s, tc);

    tc = tcase_create("check_transition");
    tcase_add_loop_test(tc, test_check_transition, 0, N(check_cases));
    tcase_add_test(tc, test_check_transition_names_allowed);
    tcase_add_test(tc, test_check_transition_wrong_command);
    suite_add_tcase(s, tc);

    tc = tcase_create("outcomes");
    tcase_add_loop_test(tc, test_outcome_advances, 0, STAGE_COUNT * OUTCOME_COUNT);
    suite_add_tcase(s, tc);

    tc = tcase_create("sla");
    tcase_add_test(tc, test_sla_defaults);
    tcase_add_loop_test(tc, test_sla_state, 0, N(sla_cases));
    tcase_add_test(tc, test_sla_custom_hours);
    suite_add_tcase(s, tc);

    return s;
}
