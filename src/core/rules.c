#include "config.h"

#include <stdio.h>
#include <string.h>

#include "leadboard/rules.h"

static const char *const action_names[] = {
    "add leads",       "edit leads",     "hand off leads",  "accept hand-offs",
    "reject hand-offs", "move leads",    "log follow-ups",  "rate leads",
    "comment",          "add campaigns", "review feedback", "add users",
    "set goals",        "change settings", "import leads",
};
_Static_assert(sizeof action_names / sizeof action_names[0] == ACTION_COUNT, "actions");

const char *action_name(lb_action a)
{
    return (int)a >= 0 && a < ACTION_COUNT ? action_names[a] : "?";
}

#define W(from, to) {STAGE_##from, STAGE_##to, ACTION_MOVE, "move", NEED_NOTHING, false}
#define WORKING_TO(from)                                                                           \
    W(from, ACCEPTED), W(from, CONTACTED), W(from, QUALIFIED), W(from, PROPOSAL),                  \
        {STAGE_##from, STAGE_WON, ACTION_MOVE, "move", NEED_VALUE, false},                         \
        {STAGE_##from, STAGE_LOST, ACTION_MOVE, "move", NEED_REASON, false},                       \
        {STAGE_##from, STAGE_NURTURE, ACTION_MOVE, "move", NEED_REASON, false}

/* doc/product.md section 3, row by row. */
static const lb_transition transitions[] = {
    {STAGE_NURTURE, STAGE_HANDED_OFF, ACTION_HANDOFF, "handoff", NEED_ASSIGNEE, false},
    {STAGE_HANDED_OFF, STAGE_ACCEPTED, ACTION_ACCEPT, "accept", NEED_NOTHING, false},
    {STAGE_HANDED_OFF, STAGE_NURTURE, ACTION_REJECT, "reject", NEED_REASON, false},
    WORKING_TO(ACCEPTED),
    WORKING_TO(CONTACTED),
    WORKING_TO(QUALIFIED),
    WORKING_TO(PROPOSAL),
    {STAGE_WON, STAGE_ACCEPTED, ACTION_MOVE, "move", NEED_NOTHING, true},
    {STAGE_LOST, STAGE_ACCEPTED, ACTION_MOVE, "move", NEED_NOTHING, true},
};

const lb_transition *rules_transition(lb_stage from, lb_stage to)
{
    if (from == to)
        return NULL;
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
        if (transitions[i].from == from && transitions[i].to == to)
            return &transitions[i];
    return NULL;
}

void rules_allowed_from(lb_stage from, char *buf, size_t n)
{
    size_t used = (size_t)snprintf(buf, n, "allowed from %s:", stage_name(from));
    for (size_t i = 0; i < sizeof transitions / sizeof transitions[0] && used < n; i++) {
        const lb_transition *t = &transitions[i];
        if (t->from != from || t->to == from)
            continue;
        if (t->action == ACTION_MOVE)
            used += (size_t)snprintf(buf + used, n - used, " %s%s,", stage_name(t->to),
                                     t->manager_only ? " (manager)" : "");
        else
            used += (size_t)snprintf(buf + used, n - used, " %s (%s),", stage_name(t->to),
                                     t->command);
    }
    if (used < n && buf[used - 1] == ',')
        buf[used - 1] = '\0';
}

static bool is_owner(const lb_user *actor, const lb_lead *lead)
{
    return lead && actor->team == TEAM_SALES && lead->owner_id != 0 &&
           lead->owner_id == actor->id;
}

lb_status rules_permit(const lb_user *actor, lb_action action, const lb_lead *lead, lb_err *err)
{
    if (!actor)
        return lb_fail(err, LB_EPERM, "permission denied: no acting user may %s",
                       action_name(action));
    if (!actor->active)
        return lb_fail(err, LB_EPERM, "permission denied: user %s is inactive", actor->login);

    bool manager = actor->team == TEAM_MANAGER;
    bool marketing = actor->team == TEAM_MARKETING;
    const char *who = NULL;

    switch (action) {
    case ACTION_LEAD_ADD:
    case ACTION_CAMPAIGN_ADD:
    case ACTION_FEEDBACK_REVIEW:
    case ACTION_IMPORT:
    case ACTION_HANDOFF:
        if (manager || marketing)
            return LB_OK;
        who = "marketing and managers";
        break;
    case ACTION_LEAD_EDIT:
        if (manager || is_owner(actor, lead))
            return LB_OK; /* the rep: contact details only, see rules_permit_edit */
        if (marketing) {
            if (!lead || lead->stage == STAGE_NURTURE)
                return LB_OK;
            return lb_fail(err, LB_EPERM,
                           "permission denied: marketing edits leads only in nurture; lead %lld "
                           "is %s (a manager can edit it)",
                           (long long)lead->id, stage_name(lead->stage));
        }
        who = "marketing and managers";
        break;
    case ACTION_ACCEPT:
    case ACTION_REJECT:
    case ACTION_MOVE:
        if (manager || is_owner(actor, lead))
            return LB_OK;
        if (lead && lead->owner[0])
            return lb_fail(err, LB_EPERM,
                           "permission denied: only %s (the lead's rep) or a manager may %s for "
                           "lead %lld",
                           lead->owner, action_name(action), (long long)lead->id);
        who = "the lead's rep and managers";
        break;
    case ACTION_LOG:
    case ACTION_RATE:
        if (!manager && !is_owner(actor, lead)) {
            if (lead && lead->owner[0] && actor->team == TEAM_SALES)
                return lb_fail(err, LB_EPERM,
                               "permission denied: lead %lld belongs to %s; only its rep or a "
                               "manager may %s",
                               (long long)lead->id, lead->owner, action_name(action));
            who = "sales (on their own leads) and managers";
            break;
        }
        /* The moment sales judges a lead is when it arrives: a hand-off may
         * be rated, not logged. */
        if (lead && (lead->stage == STAGE_NURTURE ||
                     (lead->stage == STAGE_HANDED_OFF && action == ACTION_LOG)))
            return lb_fail(err, LB_ETRANSITION, "lead %lld is in %s: %s",
                           (long long)lead->id, stage_name(lead->stage),
                           lead->stage == STAGE_HANDED_OFF
                               ? "accept it first ('leadboard accept ID')"
                               : "it has not been handed off to sales");
        return LB_OK;
    case ACTION_COMMENT:
        return LB_OK;
    case ACTION_USER_ADD:
    case ACTION_GOAL_SET:
    case ACTION_SETTING_SET:
        if (manager)
            return LB_OK;
        who = "managers";
        break;
    case ACTION_COUNT:
        break;
    }
    return lb_fail(err, LB_EPERM, "permission denied: only %s may %s (you are %s, %s)",
                   who ? who : "nobody", action_name(action), actor->login,
                   team_name(actor->team));
}

lb_status rules_permit_edit(const lb_user *actor, const lb_lead *lead, bool contact_only,
                            lb_err *err)
{
    lb_status st = rules_permit(actor, ACTION_LEAD_EDIT, lead, err);
    if (st != LB_OK || actor->team != TEAM_SALES || contact_only)
        return st;
    return lb_fail(err, LB_EPERM,
                   "permission denied: a rep corrects only the email, phone, title and company "
                   "of their own lead; ask marketing or a manager for the rest");
}

lb_status rules_check_transition(const lb_user *actor, const lb_lead *lead, lb_stage to,
                                 lb_action via, bool has_value, bool has_reason, lb_err *err)
{
    char allowed[256];
    long long id = (long long)lead->id;

    if (lead->stage == to)
        return lb_fail(err, LB_ETRANSITION, "lead %lld is already in %s", id, stage_name(to));
    const lb_transition *t = rules_transition(lead->stage, to);
    if (!t) {
        rules_allowed_from(lead->stage, allowed, sizeof allowed);
        return lb_fail(err, LB_ETRANSITION, "cannot move lead %lld from %s to %s; %s", id,
                       stage_name(lead->stage), stage_name(to), allowed);
    }
    if (t->action != via) {
        static const char *const usage[] = {
            [ACTION_HANDOFF] = "leadboard handoff %lld --to LOGIN",
            [ACTION_ACCEPT] = "leadboard accept %lld",
            [ACTION_REJECT] = "leadboard reject %lld --reason TEXT",
            [ACTION_MOVE] = "leadboard move %lld STAGE",
        };
        char how[96];
        snprintf(how, sizeof how, usage[t->action], id);
        return lb_fail(err, LB_ETRANSITION, "lead %lld goes from %s to %s with '%s'", id,
                       stage_name(lead->stage), stage_name(to), how);
    }
    if (t->manager_only && (!actor || actor->team != TEAM_MANAGER))
        return lb_fail(err, LB_EPERM,
                       "permission denied: only a manager may reopen a %s lead (lead %lld)",
                       stage_name(lead->stage), id);
    lb_status st = rules_permit(actor, t->action, lead, err);
    if (st != LB_OK)
        return st;
    if ((t->needs & NEED_VALUE) && !has_value)
        return lb_fail(err, LB_EINVAL,
                       "lead %lld has no value; give one with --value AMOUNT to mark it won", id);
    if ((t->needs & NEED_REASON) && !has_reason)
        return lb_fail(err, LB_EINVAL, "%s lead %lld needs a reason: --reason TEXT",
                       t->action == ACTION_REJECT ? "rejecting"
                       : to == STAGE_LOST         ? "losing"
                                                  : "recycling",
                       id);
    return LB_OK;
}

bool rules_outcome_advances(lb_stage stage, lb_outcome outcome)
{
    return stage == STAGE_ACCEPTED &&
           (outcome == OUTCOME_CONNECTED || outcome == OUTCOME_MEETING_BOOKED);
}

void sla_defaults(lb_sla *sla)
{
    sla->accept_hours = 24;
    sla->first_touch_hours = 48;
    sla->stale_days = 7;
}

/* Parses a stored time; false when unset or unreadable. */
static bool stored_time(const char *iso, lb_time *t)
{
    return iso[0] && time_parse(iso, t, NULL) == LB_OK;
}

void sla_cuts(const lb_sla *sla, lb_time now, lb_sla_cuts *c)
{
    c->accept = now - (lb_time)sla->accept_hours * 3600;
    c->first_touch = now - (lb_time)sla->first_touch_hours * 3600;
    c->due = now;
    c->stale = now - (lb_time)sla->stale_days * 86400;
    time_format(c->accept, c->accept_iso);
    time_format(c->first_touch, c->first_touch_iso);
    time_format(c->due, c->due_iso);
    time_format(c->stale, c->stale_iso);
}

unsigned sla_state(const lb_sla *sla, const lb_lead *lead, lb_time now)
{
    unsigned flags = 0;
    lb_time handed = 0, t;
    lb_sla_cuts cut;
    sla_cuts(sla, now, &cut);
    bool has_handoff = stored_time(lead->handed_off_at, &handed);

    if (lead->stage == STAGE_HANDED_OFF && has_handoff && handed < cut.accept)
        flags |= SLA_ACCEPT_OVERDUE;
    if ((lead->stage == STAGE_HANDED_OFF || stage_is_working(lead->stage)) && has_handoff &&
        !lead->first_touch_at[0] && handed < cut.first_touch)
        flags |= SLA_FIRST_TOUCH_OVERDUE;
    if (stage_is_working(lead->stage)) {
        if (stored_time(lead->next_due_at, &t) && t < cut.due)
            flags |= SLA_FOLLOWUP_OVERDUE;
        /* Stale counts from the last follow-up, else from acceptance. */
        if ((stored_time(lead->last_touch_at, &t) || stored_time(lead->accepted_at, &t) ||
             stored_time(lead->stage_at, &t)) &&
            t < cut.stale)
            flags |= SLA_STALE;
    }
    return flags;
}

bool rules_revisit_due(const lb_lead *lead, lb_time now)
{
    lb_time t;
    return lead->stage == STAGE_NURTURE && stored_time(lead->revisit_at, &t) && now >= t;
}
