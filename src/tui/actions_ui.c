/* The board's actions: each opens the form its core action needs, checks
 * the rule first with the core (so a refusal is said before anyone types),
 * and on submit calls the same action as the command line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

enum {
    FORM_NEW = 1, FORM_EDIT, FORM_HANDOFF, FORM_REJECT, FORM_LOG, FORM_RATE, FORM_COMMENT,
    FORM_WON, FORM_LOST, FORM_RECYCLE, FORM_USER, FORM_FILTER, FORM_REVIEW, FORM_SINCE,
    FORM_FB_CAMPAIGN
};

static lb_status check_money(const char *s, lb_err *err)
{
    int64_t c;
    return money_parse(s, &c, err);
}

static lb_status check_email(const char *s, lb_err *err)
{
    return email_check("email", s, err); /* the core's rule, named for the form */
}

static lb_status check_date(const char *s, lb_err *err)
{
    lb_time t;
    return time_parse(s, &t, err);
}

static tui_form *new_form(app *a, int kind, const char *title, int64_t lead_id)
{
    tui_form *f = calloc(1, sizeof *f);
    if (!f) {
        app_message(a, true, "out of memory");
        return NULL;
    }
    f->kind = kind;
    f->lead_id = lead_id;
    snprintf(f->title, sizeof f->title, "%.150s", title);
    return f;
}

/* Reads the lead a form is about; false (with a message) when it is gone. */
static bool load(app *a, int64_t id, lb_lead *l)
{
    lb_err err;
    if (!id) {
        app_message(a, true, "no lead selected");
        return false;
    }
    if (lead_get(a->db, id, l, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    return true;
}

static bool permitted(app *a, lb_action action, const lb_lead *l)
{
    lb_err err;
    if (ctx_require_actor(&a->ctx, &err) != LB_OK ||
        rules_permit(&a->ctx.actor, action, l, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    return true;
}

static bool transition_ok(app *a, const lb_lead *l, lb_stage to, lb_action via)
{
    lb_err err;
    if (ctx_require_actor(&a->ctx, &err) != LB_OK ||
        rules_check_transition(&a->ctx.actor, l, to, via, true, true, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    return true;
}

struct picker {
    form_field *fl;
    const char *selected;
    int team; /* -1: any */
};

static int add_user_option(const lb_user *u, void *ud)
{
    struct picker *p = ud;
    if (u->active && (p->team < 0 || (int)u->team == p->team))
        form_add_option(p->fl, u->login, p->selected && strcmp(p->selected, u->login) == 0);
    return 0;
}

static int add_campaign_option(const lb_campaign *c, void *ud)
{
    struct picker *p = ud;
    form_add_option(p->fl, c->name, p->selected && strcmp(p->selected, c->name) == 0);
    return 0;
}

static void lead_fields(app *a, tui_form *f, const lb_lead *l)
{
    char value[32] = "";
    lb_err err;
    if (l && l->has_value)
        money_format(l->value, value, sizeof value);
    form_add_text(f, "Name", l ? l->name : "", true, LB_SHORT_MAX, NULL);
    form_add_text(f, "Company", l ? l->company : "", false, LB_SHORT_MAX, NULL);
    form_add_text(f, "Title", l ? l->title : "", false, LB_SHORT_MAX, NULL);
    form_add_text(f, "Email", l ? l->email : "", false, LB_EMAIL_MAX, check_email);
    form_add_text(f, "Phone", l ? l->phone : "", false, LB_PHONE_MAX, NULL);
    form_field *c = form_add_choice(f, "Campaign", FIELD_CHOICE);
    form_add_option(c, "(none)", true);
    struct picker p = {c, l ? l->campaign : NULL, -1};
    campaign_each(a->db, add_campaign_option, &p, &err);
    form_add_text(f, "Value", value, false, 20, check_money);
    form_add_text(f, "Notes", l ? l->notes : "", false, LB_LONG_MAX, NULL);
}

static void open_form(app *a, tui_form *f, const lb_lead *l)
{
    if (!f)
        return;
    if (l)
        f->version = l->version;
    form_free(a->form);
    a->form = f;
}

static void reason_form(app *a, int kind, const char *title, const lb_lead *l)
{
    tui_form *f = new_form(a, kind, title, l->id);
    if (f)
        form_add_text(f, "Reason", "", true, LB_REASON_MAX, NULL);
    open_form(a, f, l);
}

static void won_form(app *a, const lb_lead *l)
{
    char value[32] = "", title[160];
    if (l->has_value)
        money_format(l->value, value, sizeof value);
    snprintf(title, sizeof title, "Won: %.100s", l->name);
    tui_form *f = new_form(a, FORM_WON, title, l->id);
    if (f)
        form_add_text(f, "Value", value, true, 20, check_money);
    open_form(a, f, l);
}

static void handoff_form(app *a, const lb_lead *l)
{
    char title[160];
    lb_err err;
    snprintf(title, sizeof title, "Hand off: %.100s", l->name);
    tui_form *f = new_form(a, FORM_HANDOFF, title, l->id);
    if (!f)
        return;
    form_field *to = form_add_choice(f, "To", FIELD_CHOICE);
    struct picker p = {to, NULL, TEAM_SALES};
    user_each(a->db, add_user_option, &p, &err);
    if (to->nchoices == 0) {
        form_free(f);
        app_message(a, true, "there are no sales reps to hand off to; add one first");
        return;
    }
    form_add_text(f, "Note", "", false, LB_LONG_MAX, NULL);
    open_form(a, f, l);
}

/* Does what it takes to move a lead to the stage next to its own. */
static void stage_step(app *a, lb_lead *l, int dir)
{
    lb_stage from = l->stage, to;
    lb_err err;
    if (stage_is_closed(from) && dir < 0)
        to = STAGE_ACCEPTED; /* reopen */
    else if (from == STAGE_ACCEPTED && dir < 0)
        to = STAGE_NURTURE; /* recycle */
    else if ((dir < 0 && from == 0) || (dir > 0 && (from == STAGE_WON || from == STAGE_LOST))) {
        char allowed[256];
        rules_allowed_from(from, allowed, sizeof allowed);
        app_message(a, true, "no stage that way; %s", allowed);
        return;
    } else
        to = (lb_stage)((int)from + dir);
    const lb_transition *t = rules_transition(from, to);
    if (!t) {
        char allowed[256];
        rules_allowed_from(from, allowed, sizeof allowed);
        app_message(a, true, "cannot move from %s to %s; %s", stage_name(from), stage_name(to),
                    allowed);
        return;
    }
    if (!transition_ok(a, l, to, t->action))
        return;
    if (t->action == ACTION_HANDOFF)
        handoff_form(a, l);
    else if (t->action == ACTION_REJECT)
        reason_form(a, FORM_REJECT, "Reject the hand-off (back to nurture)", l);
    else if (to == STAGE_WON)
        won_form(a, l);
    else if (to == STAGE_LOST)
        reason_form(a, FORM_LOST, "Lost: why?", l);
    else if (to == STAGE_NURTURE)
        reason_form(a, FORM_RECYCLE, "Recycle to nurture: why?", l);
    else {
        lb_status st = t->action == ACTION_ACCEPT
                           ? act_accept(&a->ctx, l->id, l->version, &err)
                           : act_move(&a->ctx, l->id, to, NULL, NULL, l->version, &err);
        if (st != LB_OK) {
            app_message(a, true, "%s", err.msg);
            return;
        }
        app_message(a, false, "lead %lld moved to %s", (long long)l->id, stage_name(to));
        board_follow(a, l->id);
    }
}

/* The report views' own forms: review feedback, the stand-up's start,
 * the inbox's campaign. */
static void view_request(app *a, tui_req r)
{
    lb_err err;
    if (r == REQ_REVIEW) {
        int64_t id = views_current_feedback(a);
        lb_rating *rt = malloc(sizeof *rt);
        if (!id || !rt || rating_get(a->db, id, rt, &err) != LB_OK) {
            app_message(a, true, "%s", id ? err.msg : "no feedback selected");
            free(rt);
            return;
        }
        if (permitted(a, ACTION_FEEDBACK_REVIEW, NULL)) {
            char title[200];
            snprintf(title, sizeof title, "Review feedback #%lld: %d/5 on %.80s", (long long)id,
                     rt->stars, rt->lead_name);
            tui_form *f = new_form(a, FORM_REVIEW, title, 0);
            if (f) {
                f->version = id; /* the feedback's id rides in the form */
                form_add_text(f, "Reply", rt->reply, false, LB_LONG_MAX, NULL);
            }
            open_form(a, f, NULL);
        }
        free(rt);
    } else if (r == REQ_SINCE) {
        tui_form *f = new_form(a, FORM_SINCE, "Stand-up since", 0);
        char since[LB_TIME_BUF];
        time_format(a->ctx.now - 86400, since);
        if (f)
            form_add_text(f, "Since", since, true, 25, check_date);
        open_form(a, f, NULL);
    } else {
        tui_form *f = new_form(a, FORM_FB_CAMPAIGN, "Feedback of campaign", 0);
        if (f) {
            form_field *c = form_add_choice(f, "Campaign", FIELD_CHOICE);
            form_add_option(c, "(all campaigns)", true);
            struct picker p = {c, NULL, -1};
            campaign_each(a->db, add_campaign_option, &p, &err);
        }
        open_form(a, f, NULL);
    }
}

void ui_request(app *a, tui_req r)
{
    int64_t id = app_current_lead(a);
    lb_lead *l = malloc(sizeof *l);
    lb_err err;
    char title[200];
    if (!l)
        return;
    if (r == REQ_REVIEW || r == REQ_SINCE || (r == REQ_FILTER && a->view == VIEW_FEEDBACK)) {
        view_request(a, r);
        free(l);
        return;
    }
    bool need_lead = r != REQ_NEW && r != REQ_SWITCH_USER && r != REQ_FILTER;
    if (need_lead && !load(a, id, l)) {
        free(l);
        return;
    }
    if (need_lead)
        snprintf(title, sizeof title, "%.60s", l->name);

    switch (r) {
    case REQ_NEW:
        if (permitted(a, ACTION_LEAD_ADD, NULL)) {
            tui_form *f = new_form(a, FORM_NEW, "New lead", 0);
            if (f)
                lead_fields(a, f, NULL);
            open_form(a, f, NULL);
        }
        break;
    case REQ_EDIT:
        if (permitted(a, ACTION_LEAD_EDIT, l)) {
            tui_form *f = new_form(a, FORM_EDIT, "Edit lead", l->id);
            if (f)
                lead_fields(a, f, l);
            open_form(a, f, l);
        }
        break;
    case REQ_HANDOFF:
        if (transition_ok(a, l, STAGE_HANDED_OFF, ACTION_HANDOFF))
            handoff_form(a, l);
        break;
    case REQ_ACCEPT:
        if (act_accept(&a->ctx, l->id, l->version, &err) != LB_OK) {
            app_message(a, true, "%s", err.msg);
        } else {
            app_message(a, false, "lead %lld accepted", (long long)l->id);
            board_follow(a, l->id);
        }
        break;
    case REQ_REJECT:
        if (transition_ok(a, l, STAGE_NURTURE, ACTION_REJECT))
            reason_form(a, FORM_REJECT, "Reject the hand-off (back to nurture)", l);
        break;
    case REQ_WON:
        if (transition_ok(a, l, STAGE_WON, ACTION_MOVE))
            won_form(a, l);
        break;
    case REQ_LOST:
        if (transition_ok(a, l, STAGE_LOST, ACTION_MOVE))
            reason_form(a, FORM_LOST, "Lost: why?", l);
        break;
    case REQ_STAGE_PREV:
    case REQ_STAGE_NEXT:
        stage_step(a, l, r == REQ_STAGE_NEXT ? 1 : -1);
        break;
    case REQ_LOG:
        if (permitted(a, ACTION_LOG, l)) {
            tui_form *f = new_form(a, FORM_LOG, "Log a follow-up", l->id);
            if (f) {
                form_field *k = form_add_choice(f, "Kind", FIELD_CHOICE);
                for (int i = 0; i < lb_kinds.count; i++)
                    form_add_option(k, lb_kinds.names[i], i == 0);
                form_field *o = form_add_choice(f, "Outcome", FIELD_CHOICE);
                for (int i = 0; i < lb_outcomes.count; i++)
                    form_add_option(o, lb_outcomes.names[i], i == 0);
                form_add_text(f, "Note", "", false, LB_LONG_MAX, NULL);
                form_add_text(f, "Next step", "", false, LB_LONG_MAX, NULL);
                form_add_text(f, "Due", "", false, 25, check_date);
            }
            open_form(a, f, l);
        }
        break;
    case REQ_RATE:
        if (permitted(a, ACTION_RATE, l)) {
            tui_form *f = new_form(a, FORM_RATE, "Rate lead quality", l->id);
            if (f) {
                form_field *s = form_add_choice(f, "Stars", FIELD_CHOICE);
                static const char *const stars[] = {"1", "2", "3", "4", "5"};
                for (int i = 0; i < 5; i++)
                    form_add_option(s, stars[i], l->stars ? i + 1 == l->stars : i == 2);
                form_field *m = form_add_choice(f, "Reasons", FIELD_MULTI);
                for (int i = 0; i < lb_reasons.count; i++)
                    form_add_option(m, lb_reasons.names[i], false);
                form_add_text(f, "Comment", "", false, LB_LONG_MAX, NULL);
            }
            open_form(a, f, l);
        }
        break;
    case REQ_COMMENT:
        if (permitted(a, ACTION_COMMENT, l)) {
            tui_form *f = new_form(a, FORM_COMMENT, "Comment", l->id);
            if (f)
                form_add_text(f, "Comment", "", true, LB_LONG_MAX, NULL);
            open_form(a, f, l);
        }
        break;
    case REQ_SWITCH_USER: {
        tui_form *f = new_form(a, FORM_USER, "Act as", 0);
        if (f) {
            form_field *u = form_add_choice(f, "User", FIELD_CHOICE);
            struct picker p = {u, a->ctx.has_actor ? a->ctx.actor.login : NULL, -1};
            user_each(a->db, add_user_option, &p, &err);
            if (u->nchoices == 0) {
                form_free(f);
                f = NULL;
                app_message(a, true, "there are no users yet; add one with 'leadboard user add'");
            }
        }
        open_form(a, f, NULL);
        break;
    }
    case REQ_FILTER: {
        tui_form *f = new_form(a, FORM_FILTER, "Filter the board", 0);
        if (f) {
            form_field *w = form_add_choice(f, "Show", FIELD_CHOICE);
            form_add_option(w, "all leads", !a->owner[0] && !a->campaign[0]);
            if (a->ctx.has_actor)
                form_add_option(w, "mine", a->owner[0] && !strcmp(a->owner, a->ctx.actor.login));
            struct picker p = {w, NULL, -1};
            char sel[LB_BUF(LB_SHORT_MAX) + 16];
            /* "owner X" and "campaign Y" options */
            int before = w->nchoices;
            user_each(a->db, add_user_option, &p, &err);
            for (int i = before; i < w->nchoices; i++) {
                snprintf(sel, sizeof sel, "owner %s", w->choices[i]);
                bool on = a->owner[0] && !strcmp(a->owner, w->choices[i]);
                snprintf(w->choices[i], sizeof w->choices[i], "%s", sel);
                if (on)
                    w->choice = i;
            }
            before = w->nchoices;
            campaign_each(a->db, add_campaign_option, &p, &err);
            for (int i = before; i < w->nchoices; i++) {
                snprintf(sel, sizeof sel, "campaign %s", w->choices[i]);
                bool on = a->campaign[0] && !strcmp(a->campaign, w->choices[i]);
                snprintf(w->choices[i], sizeof w->choices[i], "%s", sel);
                if (on)
                    w->choice = i;
            }
        }
        open_form(a, f, NULL);
        break;
    }
    default:
        break;
    }
    free(l);
}

static const char *text_of(tui_form *f, int i, char *buf, size_t n)
{
    form_value(&f->fields[i], buf, n);
    return buf;
}

/* Calls the action the form is for; keeps the form open on an error. */
void ui_form_submitted(app *a)
{
    tui_form *f = a->form;
    lb_err err;
    lb_status st = LB_OK;
    static char b[FORM_MAX_FIELDS][LB_BUF(FIELD_MAX_CHARS)];
    int64_t id = f->lead_id, new_id = 0;
    char done[160] = "";

    if (!form_valid(f)) {
        snprintf(f->message, sizeof f->message, "%s: %s", f->fields[f->focus].label,
                 f->fields[f->focus].error);
        return;
    }
    switch (f->kind) {
    case FORM_NEW:
    case FORM_EDIT: {
        const char *campaign = f->fields[5].choice == 0 ? "" : form_choice(&f->fields[5]);
        lb_lead_input in = {text_of(f, 0, b[0], sizeof b[0]), text_of(f, 1, b[1], sizeof b[1]),
                            text_of(f, 2, b[2], sizeof b[2]), text_of(f, 3, b[3], sizeof b[3]),
                            text_of(f, 4, b[4], sizeof b[4]), text_of(f, 7, b[7], sizeof b[7]),
                            campaign, text_of(f, 6, b[6], sizeof b[6])};
        if (f->kind == FORM_NEW) {
            st = act_lead_add(&a->ctx, &in, &new_id, &err);
            id = new_id;
            snprintf(done, sizeof done, "lead %lld added to nurture", (long long)id);
        } else {
            st = act_lead_edit(&a->ctx, id, &in, f->version, &err);
            snprintf(done, sizeof done, "lead %lld saved", (long long)id);
        }
        break;
    }
    case FORM_HANDOFF:
        st = act_handoff(&a->ctx, id, form_choice(&f->fields[0]),
                         text_of(f, 1, b[1], sizeof b[1]), f->version, &err);
        snprintf(done, sizeof done, "lead %lld handed off to %s", (long long)id,
                 form_choice(&f->fields[0]));
        break;
    case FORM_REJECT:
        st = act_reject(&a->ctx, id, text_of(f, 0, b[0], sizeof b[0]), f->version, &err);
        snprintf(done, sizeof done, "lead %lld rejected back to nurture", (long long)id);
        break;
    case FORM_WON:
        st = act_move(&a->ctx, id, STAGE_WON, text_of(f, 0, b[0], sizeof b[0]), NULL,
                      f->version, &err);
        snprintf(done, sizeof done, "lead %lld won", (long long)id);
        break;
    case FORM_LOST:
    case FORM_RECYCLE: {
        lb_stage to = f->kind == FORM_LOST ? STAGE_LOST : STAGE_NURTURE;
        st = act_move(&a->ctx, id, to, NULL, text_of(f, 0, b[0], sizeof b[0]), f->version, &err);
        snprintf(done, sizeof done, "lead %lld moved to %s", (long long)id, stage_name(to));
        break;
    }
    case FORM_LOG: {
        lb_followup_input in = {(lb_kind)f->fields[0].choice, (lb_outcome)f->fields[1].choice,
                                text_of(f, 2, b[2], sizeof b[2]), text_of(f, 3, b[3], sizeof b[3]),
                                text_of(f, 4, b[4], sizeof b[4])};
        int moved = -1;
        st = act_log(&a->ctx, id, &in, NULL, &moved, &err);
        snprintf(done, sizeof done, "follow-up logged on lead %lld%s", (long long)id,
                 moved >= 0 ? "; moved to contacted" : "");
        break;
    }
    case FORM_RATE: {
        const char *tags[REASON_COUNT];
        int n = 0;
        for (int i = 0; i < f->fields[1].nchoices; i++)
            if (f->fields[1].picked[i])
                tags[n++] = f->fields[1].choices[i];
        st = act_rate(&a->ctx, id, f->fields[0].choice + 1, tags, n,
                      text_of(f, 2, b[2], sizeof b[2]), NULL, &err);
        snprintf(done, sizeof done, "lead %lld rated %d/5", (long long)id,
                 f->fields[0].choice + 1);
        break;
    }
    case FORM_COMMENT:
        st = act_comment(&a->ctx, id, text_of(f, 0, b[0], sizeof b[0]), NULL, &err);
        snprintf(done, sizeof done, "comment added to lead %lld", (long long)id);
        break;
    case FORM_USER:
        st = ctx_switch_user(&a->ctx, form_choice(&f->fields[0]), &err);
        if (st == LB_OK)
            snprintf(done, sizeof done, "acting as %s (%s)", a->ctx.actor.login,
                     team_name(a->ctx.actor.team));
        id = 0;
        break;
    case FORM_REVIEW:
        st = act_feedback_review(&a->ctx, f->version, text_of(f, 0, b[0], sizeof b[0]), &err);
        snprintf(done, sizeof done, "feedback %lld reviewed", (long long)f->version);
        id = 0;
        break;
    case FORM_SINCE: {
        lb_time t;
        st = time_parse(text_of(f, 0, b[0], sizeof b[0]), &t, &err);
        if (st == LB_OK) {
            char iso[LB_TIME_BUF];
            time_format(t, iso);
            views_set_since(a, iso);
            views_load(a, VIEW_STANDUP);
            snprintf(done, sizeof done, "stand-up since %.40s", b[0]);
        }
        id = 0;
        break;
    }
    case FORM_FB_CAMPAIGN:
        views_set_feedback_campaign(a, f->fields[0].choice == 0 ? "" : form_choice(&f->fields[0]));
        views_load(a, VIEW_FEEDBACK);
        snprintf(done, sizeof done, "feedback of %s", form_choice(&f->fields[0]));
        id = 0;
        break;
    case FORM_FILTER: {
        const char *c = form_choice(&f->fields[0]);
        a->owner[0] = a->campaign[0] = '\0';
        if (!strcmp(c, "mine") && a->ctx.has_actor)
            snprintf(a->owner, sizeof a->owner, "%s", a->ctx.actor.login);
        else if (!strncmp(c, "owner ", 6))
            snprintf(a->owner, sizeof a->owner, "%s", c + 6);
        else if (!strncmp(c, "campaign ", 9))
            snprintf(a->campaign, sizeof a->campaign, "%s", c + 9);
        for (int i = 0; i < STAGE_COUNT; i++)
            a->cols[i].top_id = 0;
        snprintf(done, sizeof done, "showing %s", c);
        id = 0;
        break;
    }
    }
    if (st != LB_OK) {
        snprintf(f->message, sizeof f->message, "%.440s%s", err.msg,
                 st == LB_ECONFLICT ? " -- C-r reloads it (your typing is lost), Esc cancels"
                                    : "");
        f->conflict = st == LB_ECONFLICT;
        return;
    }
    form_free(a->form);
    a->form = NULL;
    app_message(a, false, "%s", done);
    if (id) {
        board_follow(a, id);
        if (a->view != VIEW_BOARD && a->view != VIEW_DETAIL && a->view != VIEW_HELP)
            views_load(a, a->view); /* an action taken from a report view */
    } else {
        board_reload(a, true);
        if (a->view == VIEW_BOARD)
            board_to_first_lead(a);
        else if (a->view != VIEW_DETAIL && a->view != VIEW_HELP)
            views_load(a, a->view);
    }
}

void ui_form_reload(app *a)
{
    tui_form *f = a->form;
    lb_lead *l = malloc(sizeof *l);
    if (!l)
        return;
    if (f->lead_id && load(a, f->lead_id, l)) {
        f->version = l->version;
        if (f->kind == FORM_EDIT) {
            const char *v[] = {l->name, l->company, l->title, l->email, l->phone};
            for (int i = 0; i < 5; i++)
                form_set_text(&f->fields[i], v[i]);
            form_set_text(&f->fields[7], l->notes);
            char value[32] = "";
            if (l->has_value)
                money_format(l->value, value, sizeof value);
            form_set_text(&f->fields[6], value);
        }
        snprintf(f->message, sizeof f->message, "reloaded version %lld; check and save again",
                 (long long)l->version);
        f->conflict = false;
    }
    free(l);
}
