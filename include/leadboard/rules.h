/* The pipeline's transition table and who may do what (doc/product.md section
 * 3).  Pure functions over an actor and a lead: both the command line and
 * the board go through them, by way of the actions. */
#ifndef LEADBOARD_RULES_H
#define LEADBOARD_RULES_H

#include <stdbool.h>

#include "leadboard/model.h"
#include "leadboard/text.h"

typedef enum {
    ACTION_LEAD_ADD,
    ACTION_LEAD_EDIT,
    ACTION_HANDOFF,
    ACTION_ACCEPT,
    ACTION_REJECT,
    ACTION_MOVE,
    ACTION_LOG,
    ACTION_RATE,
    ACTION_COMMENT,
    ACTION_CAMPAIGN_ADD,
    ACTION_FEEDBACK_REVIEW,
    ACTION_USER_ADD,
    ACTION_GOAL_SET,
    ACTION_SETTING_SET,
    ACTION_IMPORT,
    ACTION_COUNT
} lb_action;

const char *action_name(lb_action a);

/* What a transition needs besides permission. */
typedef enum {
    NEED_NOTHING = 0,
    NEED_ASSIGNEE = 1, /* --to a sales rep */
    NEED_REASON = 2,
    NEED_VALUE = 4, /* an existing value or --value */
} lb_need;

typedef struct lb_transition {
    lb_stage from, to;
    lb_action action; /* HANDOFF, ACCEPT, REJECT or MOVE */
    const char *command; /* how to do it: "handoff", "accept", "reject", "move" */
    unsigned needs;  /* lb_need bits */
    bool manager_only;
} lb_transition;

/* The transition from → to, or NULL when the pipeline has none. */
const lb_transition *rules_transition(lb_stage from, lb_stage to);
/* "allowed from accepted: contacted, qualified, proposal, won, lost, nurture". */
void rules_allowed_from(lb_stage from, char *buf, size_t n);

/* May actor do action (on lead, when the action is about one)?  Fails with
 * LB_EPERM and a message saying who may.  actor may be NULL (no user). */
lb_status rules_permit(const lb_user *actor, lb_action action, const lb_lead *lead, lb_err *err);

/* May actor edit this lead?  Marketing in nurture and managers anything;
 * the rep who owns it only its contact details (email, phone, title,
 * company), in any stage: contact_only says the edit touches nothing else. */
lb_status rules_permit_edit(const lb_user *actor, const lb_lead *lead, bool contact_only,
                            lb_err *err);

/* Checks that the lead may go to `to` with these inputs: the transition
 * exists (LB_ETRANSITION naming the allowed ones), it is done with the right
 * command (`via`: ACTION_MOVE for `move`), the actor may do it (LB_EPERM),
 * and what it needs is there (LB_EINVAL).  has_value: the lead has a value
 * or one is given. */
lb_status rules_check_transition(const lb_user *actor, const lb_lead *lead, lb_stage to,
                                 lb_action via, bool has_value, bool has_reason, lb_err *err);

/* A follow-up with this outcome on a lead in this stage moves it to
 * `contacted`. */
bool rules_outcome_advances(lb_stage stage, lb_outcome outcome);

/* SLA state of a lead at time now, from the settings' hours. */
typedef struct lb_sla {
    int accept_hours;      /* sla.accept_hours, default 24 */
    int first_touch_hours; /* sla.first_touch_hours, default 48 */
    int stale_days;        /* stale_days, default 7 */
} lb_sla;

typedef enum {
    SLA_OK = 0,
    SLA_ACCEPT_OVERDUE = 1,      /* handed off, not accepted in time */
    SLA_FIRST_TOUCH_OVERDUE = 2, /* accepted, no follow-up within the window */
    SLA_FOLLOWUP_OVERDUE = 4,    /* a follow-up's due date has passed */
    SLA_STALE = 8,               /* working, no follow-up for stale_days */
    SLA_REVISIT_DUE = 16,        /* not from sla_state: rules_revisit_due, for the badge */
} lb_sla_flag;

/* A recycled lead whose revisit date has come (back to its marketer). */
bool rules_revisit_due(const lb_lead *lead, lb_time now);

void sla_defaults(lb_sla *sla);

/* The SLA rule, once: at `now` each clock is a cut-off time, and a lead is
 * over a clock when the time it counts from is before the cut (stored times
 * are whole seconds, so "now > t + window" is "t < now - window").
 * sla_state() compares a lead's times with the cuts; the stores compare
 * the same columns with the same cuts in SQL (report sla's overdue_now,
 * the stand-up's overdue and stale sections), so the badges, the report
 * and the stand-up never disagree.  Which lead is on which clock:
 *   accept       handed_off, handed off before the cut            !ACCEPT
 *   first_touch  handed_off or working, never touched, handed off
 *                before the cut                                   !TOUCH
 *   due          working, its next step due before the cut (now)  !DUE
 *   stale        working, last touched (else accepted, else in its
 *                stage since) before the cut                      !STALE */
typedef struct lb_sla_cuts {
    lb_time accept, first_touch, due, stale;
    char accept_iso[LB_TIME_BUF], first_touch_iso[LB_TIME_BUF], due_iso[LB_TIME_BUF],
        stale_iso[LB_TIME_BUF];
} lb_sla_cuts;
void sla_cuts(const lb_sla *sla, lb_time now, lb_sla_cuts *cuts);

/* Bits of lb_sla_flag for the lead at `now`. */
unsigned sla_state(const lb_sla *sla, const lb_lead *lead, lb_time now);

#endif
