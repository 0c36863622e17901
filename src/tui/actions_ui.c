/* The board's actions: each opens the form its core action needs, checks
 * the rule first with the core (so a refusal is said before anyone types),
 * and on submit calls the same action as the command line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leadboard/collateral.h"
#include "tui.h"

static lb_status check_money(const char *s, lb_err *err)
{
    int64_t c;
    return money_parse(s, &c, err);
}

static lb_status check_email(const char *s, lb_err *err)
{
    return email_check("email", s, err); /* the core's rule, named for the form */
}

/* Any date a person may type (time_parse_input: local days, today, +3d...). */
static lb_status check_date(const char *s, lb_err *err)
{
    lb_time t, now;
    if (time_now(&now, NULL) != LB_OK)
        now = 0;
    return time_parse_input(s, now, true, &t, err);
}

/* A revisit date: empty, or a date a person may type that is still to come. */
static lb_status check_revisit(const char *s, lb_err *err)
{
    lb_time t, now;
    if (!s || !*s)
        return LB_OK;
    if (time_now(&now, NULL) != LB_OK)
        now = 0;
    lb_status st = time_parse_input(s, now, false, &t, err);
    if (st == LB_OK && t <= now)
        st = lb_fail(err, LB_EINVAL, "a revisit date is in the future (e.g. +2w)");
    return st;
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


/* ---- the lead's own form: new and edit ---- */

/* The lead's fields, by the labels lead_fields gives them. */
typedef struct lead_text {
    char b[8][LB_BUF(FIELD_MAX_CHARS)];
    char notes[LB_BUF(LB_NOTES_MAX)];
} lead_text;

static lb_lead_input lead_input(tui_form *f, lead_text *t)
{
    int none;
    const char *campaign = form_choice_of(f, "Campaign", &none);
    return (lb_lead_input){form_text(f, "Name", t->b[0], sizeof t->b[0]),
                           form_text(f, "Company", t->b[1], sizeof t->b[1]),
                           form_text(f, "Title", t->b[2], sizeof t->b[2]),
                           form_text(f, "Email", t->b[3], sizeof t->b[3]),
                           form_text(f, "Phone", t->b[4], sizeof t->b[4]),
                           form_text(f, "Notes", t->notes, sizeof t->notes),
                           none == 0 ? "" : campaign,
                           form_text(f, "Value", t->b[6], sizeof t->b[6])};
}

static lb_status new_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    static lead_text t;
    lb_lead_input in = lead_input(f, &t);
    lb_status st = act_lead_add(&a->ctx, &in, &done->lead, err);
    snprintf(done->msg, sizeof done->msg, "lead %lld added to nurture", (long long)done->lead);
    return st;
}

static lb_status edit_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    static lead_text t;
    lb_lead_input in = lead_input(f, &t);
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "lead %lld saved", (long long)f->lead_id);
    return act_lead_edit(&a->ctx, f->lead_id, &in, f->version, err);
}

/* The lead's values into the form's fields (opening, and C-r). */
static void lead_values(tui_form *f, const lb_lead *l)
{
    char value[32] = "";
    if (l->has_value)
        money_format(l->value, value, sizeof value);
    form_set(f, "Name", l->name);
    form_set(f, "Company", l->company);
    form_set(f, "Title", l->title);
    form_set(f, "Email", l->email);
    form_set(f, "Phone", l->phone);
    form_set(f, "Value", value);
    form_set(f, "Notes", l->notes);
}

/* A form's title with the lead it is about: "Log a follow-up #12 Ann Lee". */
static const char *lead_title(char *buf, size_t n, const char *what, const lb_lead *l)
{
    if (l && l->id)
        snprintf(buf, n, "%s #%lld %.60s", what, (long long)l->id, l->name);
    else
        snprintf(buf, n, "%s", what);
    return buf;
}

static void lead_form(app *a, const char *title, const lb_lead *l, form_submit submit)
{
    lb_err err;
    char named[160];
    tui_form *f =
        form_new(a, l ? lead_title(named, sizeof named, title, l) : title, l ? l->id : 0, submit);
    if (!f)
        return;
    form_add_text(f, "Name", "", true, LB_SHORT_MAX, NULL);
    form_add_text(f, "Company", "", false, LB_SHORT_MAX, NULL);
    form_add_text(f, "Title", "", false, LB_SHORT_MAX, NULL);
    form_add_text(f, "Email", "", false, LB_EMAIL_MAX, check_email);
    form_add_text(f, "Phone", "", false, LB_PHONE_MAX, NULL);
    form_field *c = form_add_choice(f, "Campaign", FIELD_CHOICE);
    form_add_option(c, "(none)", true);
    struct picker p = {c, l ? l->campaign : NULL, -1};
    campaign_each(a->db, add_campaign_option, &p, &err);
    form_add_text(f, "Value", "", false, 20, check_money);
    form_add_text(f, "Notes", "", false, LB_NOTES_MAX, NULL);
    if (l)
        lead_values(f, l);
    form_open(a, f, l);
}

/* ---- the pipeline's moves ---- */

static lb_status handoff_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char note[LB_BUF(FIELD_MAX_CHARS)];
    char to[LB_LOGIN_MAX + 1], warn[160] = "";
    /* the option is the login, then any work-in-progress warning */
    snprintf(to, sizeof to, "%s", form_choice_of(f, "To", NULL));
    to[strcspn(to, " ")] = '\0';
    lb_err ignored;
    wip_handoff_warning(a->db, to, warn, sizeof warn, &ignored);
    done->lead = f->lead_id;
    char said[400];
    snprintf(said, sizeof said, "lead %lld handed off to %s%s%s%s", (long long)f->lead_id, to,
             warn[0] ? " (warning: " : "", warn, warn[0] ? ")" : "");
    snprintf(done->msg, sizeof done->msg, "%.150s", said);
    return act_handoff(&a->ctx, f->lead_id, to, form_text(f, "Note", note, sizeof note),
                       f->version, err);
}

/* The reason tags picked in a form's "Reasons" field. */
static int picked_tags(tui_form *f, const char *tags[REASON_COUNT])
{
    int n = 0;
    const form_field *m = form_field_named(f, "Reasons");
    for (int i = 0; m && i < m->nchoices && n < REASON_COUNT; i++)
        if (m->picked[i])
            tags[n++] = m->choices[i];
    return n;
}

static lb_status reject_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char reason[LB_BUF(FIELD_MAX_CHARS)];
    const char *tags[REASON_COUNT];
    int stars = 0, n = picked_tags(f, tags);
    form_choice_of(f, "Stars", &stars); /* 0: no rating */
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "lead %lld rejected back to nurture",
             (long long)f->lead_id);
    return act_reject_rated(&a->ctx, f->lead_id, form_text(f, "Reason", reason, sizeof reason),
                            stars, tags, n, f->version, err);
}

/* The stars choice of the rating and reject forms: `none` first (the
 * reject form's "no rating"; a first rating's "not chosen", so that no
 * number is given that the rep did not pick), chosen unless there are
 * stars already. */
static void add_stars(tui_form *f, int current, const char *none)
{
    form_field *s = form_add_choice(f, "Stars", FIELD_CHOICE);
    static const char *const stars[] = {"", "1", "2", "3", "4", "5"};
    if (none)
        form_add_option(s, none, !current);
    for (int i = 1; i < 6; i++)
        form_add_option(s, stars[i], i == current);
    form_field *m = form_add_choice(f, "Reasons", FIELD_MULTI);
    for (int i = 0; i < lb_reasons.count; i++)
        form_add_option(m, vocab_label(&lb_reasons, i, (char[40]){0}, 40), false);
}

static void reject_form(app *a, const lb_lead *l)
{
    char title[160];
    snprintf(title, sizeof title, "Reject #%lld %.60s (back to nurture)", (long long)l->id,
             l->name);
    tui_form *f = form_new(a, title, l->id, reject_submit);
    if (f) {
        form_add_text(f, "Reason", "", true, LB_REASON_MAX, NULL);
        add_stars(f, 0, "no rating");
    }
    form_open(a, f, l);
}

static lb_status won_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char value[64];
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "lead %lld won", (long long)f->lead_id);
    return act_move(&a->ctx, f->lead_id, STAGE_WON, form_text(f, "Value", value, sizeof value),
                    NULL, f->version, err);
}

static lb_status move_with_reason(app *a, tui_form *f, lb_stage to, tui_done *done, lb_err *err)
{
    char reason[LB_BUF(FIELD_MAX_CHARS)];
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "lead %lld moved to %s", (long long)f->lead_id,
             stage_name(to));
    return act_move(&a->ctx, f->lead_id, to, NULL, form_text(f, "Reason", reason, sizeof reason),
                    f->version, err);
}

static lb_status lost_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    return move_with_reason(a, f, STAGE_LOST, done, err);
}

static lb_status recycle_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char reason[LB_BUF(FIELD_MAX_CHARS)], revisit[64], day[16] = "";
    done->lead = f->lead_id;
    form_text(f, "Revisit", revisit, sizeof revisit);
    lb_time when; /* "monday" said as the day it is */
    if (revisit[0] && time_parse_input(revisit, a->ctx.now, false, &when, NULL) == LB_OK)
        time_format_local_date(when, day, sizeof day);
    snprintf(done->msg, sizeof done->msg, "lead %lld recycled to nurture%s%.40s",
             (long long)f->lead_id, revisit[0] ? "; revisit " : "", day[0] ? day : revisit);
    return act_move_revisit(&a->ctx, f->lead_id, STAGE_NURTURE, NULL,
                            form_text(f, "Reason", reason, sizeof reason),
                            revisit[0] ? revisit : NULL, f->version, err);
}

static void recycle_form(app *a, const lb_lead *l)
{
    char title[160];
    snprintf(title, sizeof title, "Recycle #%lld %.60s to nurture: why?", (long long)l->id,
             l->name);
    tui_form *f = form_new(a, title, l->id, recycle_submit);
    if (f) {
        form_add_text(f, "Reason", "", true, LB_REASON_MAX, NULL);
        form_add_text(f, "Revisit", "", false, 25, check_revisit);
    }
    form_open(a, f, l);
}

static void reason_form(app *a, const char *title, const lb_lead *l, form_submit submit)
{
    char named[160];
    tui_form *f = form_new(a, lead_title(named, sizeof named, title, l), l->id, submit);
    if (f)
        form_add_text(f, "Reason", "", true, LB_REASON_MAX, NULL);
    form_open(a, f, l);
}

static void won_form(app *a, const lb_lead *l)
{
    char value[32] = "", title[160];
    if (l->has_value)
        money_format(l->value, value, sizeof value);
    snprintf(title, sizeof title, "Won: %.100s", l->name);
    tui_form *f = form_new(a, title, l->id, won_submit);
    if (f)
        form_add_text(f, "Value", value, true, 20, check_money);
    form_open(a, f, l);
}

static void handoff_form(app *a, const lb_lead *l)
{
    char title[160];
    lb_err err;
    snprintf(title, sizeof title, "Hand off: %.100s", l->name);
    tui_form *f = form_new(a, title, l->id, handoff_submit);
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
    /* A rep at or over wip.accepted is said in the choice itself (a
     * warning: the hand-off is still allowed). */
    for (int i = 0; i < to->nchoices; i++) {
        lb_user u;
        bool over = false;
        int64_t held, limit;
        if (user_get(a->db, to->choices[i], &u, &err) == LB_OK &&
            wip_handoff_check(a->db, u.id, &over, &held, &limit, &err) == LB_OK && over)
            snprintf(to->choices[i], sizeof to->choices[i], "%s  !WIP: holds %lld accepted, limit %lld",
                     u.login, (long long)held, (long long)limit);
    }
    form_add_text(f, "Note", "", false, LB_LONG_MAX, NULL);
    form_open(a, f, l);
}

/* A move that asks nothing more (accept, or one stage on): done at once. */
static bool move_now(app *a, const lb_lead *l, lb_stage to, bool accept, tui_done *done)
{
    lb_err err;
    lb_status st = accept ? act_accept(&a->ctx, l->id, l->version, &err)
                          : act_move(&a->ctx, l->id, to, NULL, NULL, l->version, &err);
    if (st != LB_OK) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    done->lead = l->id;
    if (accept)
        snprintf(done->msg, sizeof done->msg, "lead %lld accepted", (long long)l->id);
    else
        snprintf(done->msg, sizeof done->msg, "lead %lld moved to %s", (long long)l->id,
                 stage_name(to));
    return true;
}

/* The stage next to the lead's own in direction dir, or false (with a
 * message saying where it may go) when there is none. */
static bool stage_next_to(app *a, const lb_lead *l, int dir, lb_stage *to)
{
    lb_stage from = l->stage;
    char allowed[256];
    if (stage_is_closed(from) && dir < 0)
        *to = STAGE_ACCEPTED; /* reopen */
    else if (from == STAGE_ACCEPTED && dir < 0)
        *to = STAGE_NURTURE; /* recycle */
    else if ((dir < 0 && from == 0) || (dir > 0 && (from == STAGE_WON || from == STAGE_LOST))) {
        rules_allowed_from(from, allowed, sizeof allowed);
        app_message(a, true, "no stage that way; %s", allowed);
        return false;
    } else
        *to = (lb_stage)((int)from + dir);
    if (!rules_transition(from, *to)) {
        rules_allowed_from(from, allowed, sizeof allowed);
        app_message(a, true, "cannot move from %s to %s; %s", stage_name(from), stage_name(*to),
                    allowed);
        return false;
    }
    return true;
}

static lb_status reopen_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    done->lead = f->lead_id;
    if (strcmp(form_choice_of(f, "Reopen", NULL), "yes") != 0) {
        snprintf(done->msg, sizeof done->msg, "lead %lld stays won; nothing was written",
                 (long long)f->lead_id);
        done->change = CHANGE_DATA;
        return LB_OK;
    }
    snprintf(done->msg, sizeof done->msg, "lead %lld reopened (accepted)", (long long)f->lead_id);
    return act_move(&a->ctx, f->lead_id, STAGE_ACCEPTED, NULL, NULL, f->version, err);
}

/* Reopening a won lead undoes a win that the undo window no longer
 * covers (its close date, the revenue in the reports): asked first, "no"
 * chosen. */
static void reopen_form(app *a, const lb_lead *l)
{
    char title[160];
    snprintf(title, sizeof title, "Reopen the won lead %.100s?", l->name);
    tui_form *f = form_new(a, title, l->id, reopen_submit);
    if (f) {
        form_field *c = form_add_choice(f, "Reopen", FIELD_CHOICE);
        form_add_option(c, "no", true);
        form_add_option(c, "yes", false);
        snprintf(f->message, sizeof f->message,
                 "its win leaves the reports: yes and Enter reopen it, Esc keeps it");
    }
    form_open(a, f, l);
}

/* Does what it takes to move a lead to the stage next to its own. */
static bool stage_step(app *a, lb_lead *l, int dir, tui_done *done)
{
    lb_stage to;
    if (!stage_next_to(a, l, dir, &to))
        return false;
    const lb_transition *t = rules_transition(l->stage, to);
    if (!transition_ok(a, l, to, t->action))
        return false;
    if (l->stage == STAGE_WON && to == STAGE_ACCEPTED)
        reopen_form(a, l);
    else if (t->action == ACTION_HANDOFF)
        handoff_form(a, l);
    else if (t->action == ACTION_REJECT)
        reject_form(a, l);
    else if (to == STAGE_WON)
        won_form(a, l);
    else if (to == STAGE_LOST)
        reason_form(a, "Why lost?", l, lost_submit);
    else if (to == STAGE_NURTURE)
        recycle_form(a, l);
    else
        return move_now(a, l, to, t->action == ACTION_ACCEPT, done);
    return false;
}

/* ---- follow-ups, ratings, comments ---- */

static int add_asset_option(const lb_asset *as, void *ud)
{
    form_add_option(ud, as->name, false);
    return 0;
}

static lb_status log_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    static char b[3][LB_BUF(FIELD_MAX_CHARS)];
    int kind, outcome, moved = -1;
    form_choice_of(f, "Kind", &kind);
    form_choice_of(f, "Outcome", &outcome);
    lb_followup_input in = {(lb_kind)kind, (lb_outcome)outcome,
                            form_text(f, "Note", b[0], sizeof b[0]),
                            form_text(f, "Next step", b[1], sizeof b[1]),
                            form_text(f, "Due", b[2], sizeof b[2]), NULL, 0};
    const char *used[64];
    const form_field *as = form_field_named(f, "Assets");
    for (int i = 0; as && i < as->nchoices && in.nassets < 64; i++)
        if (as->picked[i])
            used[in.nassets++] = as->choices[i];
    in.assets = used;
    lb_status st = act_log(&a->ctx, f->lead_id, &in, NULL, &moved, err);
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "follow-up logged on lead %lld%s",
             (long long)f->lead_id, moved >= 0 ? "; moved to contacted" : "");
    return st;
}

static void log_form(app *a, const lb_lead *l)
{
    char named[160];
    tui_form *f =
        form_new(a, lead_title(named, sizeof named, "Log a follow-up", l), l->id, log_submit);
    if (f) {
        form_field *k = form_add_choice(f, "Kind", FIELD_CHOICE);
        for (int i = 0; i < lb_kinds.count; i++)
            form_add_option(k, vocab_label(&lb_kinds, i, (char[40]){0}, 40), i == 0);
        form_field *o = form_add_choice(f, "Outcome", FIELD_CHOICE);
        for (int i = 0; i < lb_outcomes.count; i++)
            form_add_option(o, vocab_label(&lb_outcomes, i, (char[40]){0}, 40), i == 0);
        form_add_text(f, "Note", "", false, LB_LONG_MAX, NULL);
        form_add_text(f, "Next step", "", false, LB_LONG_MAX, NULL);
        form_add_text(f, "Due", "", false, 25, check_date);
        /* the assets sales used: the lead's campaign's first, filtered as
         * you type (offered only when marketing has made some) */
        form_field *as = form_add_choice(f, "Assets", FIELD_MULTI);
        lb_err err;
        if (as) {
            as->filter = true;
            asset_each(a->db, l->campaign_id, add_asset_option, as, &err);
            if (as->nchoices == 0)
                form_drop_last(f); /* none to offer */
        }
    }
    form_open(a, f, l);
}

static lb_status rate_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char comment[LB_BUF(FIELD_MAX_CHARS)];
    const char *tags[REASON_COUNT];
    int n = picked_tags(f, tags), stars = atoi(form_choice_of(f, "Stars", NULL));
    if (stars < 1)
        return lb_fail(err, LB_EINVAL, "choose the stars: 1 (poor) to 5 (great)");
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "lead %lld rated %d/5", (long long)f->lead_id, stars);
    return act_rate(&a->ctx, f->lead_id, stars, tags, n,
                    form_text(f, "Comment", comment, sizeof comment), NULL, err);
}

static void rate_form(app *a, const lb_lead *l)
{
    char title[160];
    snprintf(title, sizeof title, "Rate #%lld %.60s", (long long)l->id, l->name);
    tui_form *f = form_new(a, title, l->id, rate_submit);
    if (f) {
        add_stars(f, l->stars, l->stars ? NULL : "not chosen");
        form_add_text(f, "Comment", "", false, LB_LONG_MAX, NULL);
    }
    form_open(a, f, l);
}

static lb_status comment_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    char body[LB_BUF(FIELD_MAX_CHARS)];
    done->lead = f->lead_id;
    snprintf(done->msg, sizeof done->msg, "comment added to lead %lld", (long long)f->lead_id);
    return act_comment(&a->ctx, f->lead_id, form_text(f, "Comment", body, sizeof body), NULL, err);
}

/* ---- who is acting, and the board's filter ---- */

static lb_status user_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    lb_status st = ctx_switch_user(&a->ctx, form_choice_of(f, "User", NULL), err);
    if (st == LB_OK)
        snprintf(done->msg, sizeof done->msg, "acting as %s (%s)", a->ctx.actor.login,
                 team_name(a->ctx.actor.team));
    return st;
}

static void user_form(app *a)
{
    lb_err err;
    tui_form *f = form_new(a, "Act as", 0, user_submit);
    if (f) {
        form_field *u = form_add_choice(f, "User", FIELD_CHOICE);
        /* At the stand-up, the person being discussed comes first. */
        const char *first = a->view == VIEW_STANDUP ? standup_person() : NULL;
        struct picker p = {u, first ? first : a->ctx.has_actor ? a->ctx.actor.login : NULL, -1};
        user_each(a->db, add_user_option, &p, &err);
        if (u->nchoices == 0) {
            form_free(f);
            f = NULL;
            app_message(a, true, "there are no users yet; add one with 'leadboard user add'");
        }
    }
    form_open(a, f, NULL);
}

static lb_status filter_submit(app *a, tui_form *f, tui_done *done, lb_err *err)
{
    (void)err;
    const char *c = form_choice_of(f, "Show", NULL);
    tui_filter *fi = &a->filter;
    fi->owner[0] = fi->campaign[0] = '\0';
    if (!strcmp(c, "mine") && a->ctx.has_actor)
        snprintf(fi->owner, sizeof fi->owner, "%s", a->ctx.actor.login);
    else if (!strncmp(c, "owner ", 6))
        snprintf(fi->owner, sizeof fi->owner, "%s", c + 6);
    else if (!strncmp(c, "campaign ", 9))
        snprintf(fi->campaign, sizeof fi->campaign, "%s", c + 9);
    snprintf(done->msg, sizeof done->msg, "showing %s", c);
    done->change = CHANGE_FILTER;
    return LB_OK;
}

/* Prefixes the options from `from` on with `what` ("owner ann"), choosing
 * the one that is `current`. */
static void prefix_options(form_field *w, int from, const char *what, const char *current)
{
    char sel[FORM_CHOICE_BUF];
    for (int i = from; i < w->nchoices; i++) {
        snprintf(sel, sizeof sel, "%s %.*s", what, LB_SHORT_MAX * 4, w->choices[i]);
        bool on = current[0] && !strcmp(current, w->choices[i]);
        snprintf(w->choices[i], sizeof w->choices[i], "%s", sel);
        if (on)
            w->choice = i;
    }
}

static void filter_form(app *a)
{
    lb_err err;
    const tui_filter *fi = &a->filter;
    tui_form *f = form_new(a, "Filter the board", 0, filter_submit);
    if (f) {
        form_field *w = form_add_choice(f, "Show", FIELD_CHOICE);
        form_add_option(w, "all leads", !fi->owner[0] && !fi->campaign[0]);
        if (a->ctx.has_actor)
            form_add_option(w, "mine", fi->owner[0] && !strcmp(fi->owner, a->ctx.actor.login));
        struct picker p = {w, NULL, -1};
        int before = w->nchoices;
        user_each(a->db, add_user_option, &p, &err);
        prefix_options(w, before, "owner", fi->owner);
        before = w->nchoices;
        campaign_each(a->db, add_campaign_option, &p, &err);
        prefix_options(w, before, "campaign", fi->campaign);
    }
    form_open(a, f, NULL);
}

/* ---- undo ---- */

/* u: the acting user's own last change, taken back at once (it is its own
 * confirmation: the message line says what came back). */
static bool undo_now(app *a, tui_done *done)
{
    lb_err err;
    char what[400];
    if (act_undo(&a->ctx, what, sizeof what, &err) != LB_OK) {
        app_message(a, true, "%s", err.msg);
        return false;
    }
    snprintf(done->msg, sizeof done->msg, "undone: %.150s", what);
    done->lead = 0;
    return true;
}

/* ---- the dispatch ---- */

/* The requests on the lead under the cursor (l, read fresh). */
static bool lead_request(app *a, tui_req r, lb_lead *l, tui_done *done)
{
    switch (r) {
    case REQ_EDIT:
        if (permitted(a, ACTION_LEAD_EDIT, l))
            lead_form(a, "Edit lead", l, edit_submit);
        break;
    case REQ_HANDOFF:
        if (transition_ok(a, l, STAGE_HANDED_OFF, ACTION_HANDOFF))
            handoff_form(a, l);
        break;
    case REQ_ACCEPT:
        return move_now(a, l, STAGE_ACCEPTED, true, done);
    case REQ_REJECT:
        if (transition_ok(a, l, STAGE_NURTURE, ACTION_REJECT))
            reject_form(a, l);
        break;
    case REQ_WON:
        if (transition_ok(a, l, STAGE_WON, ACTION_MOVE))
            won_form(a, l);
        break;
    case REQ_LOST:
        if (transition_ok(a, l, STAGE_LOST, ACTION_MOVE))
            reason_form(a, "Why lost?", l, lost_submit);
        break;
    case REQ_STAGE_PREV:
    case REQ_STAGE_NEXT:
        return stage_step(a, l, r == REQ_STAGE_NEXT ? 1 : -1, done);
    case REQ_LOG:
        if (permitted(a, ACTION_LOG, l))
            log_form(a, l);
        break;
    case REQ_RATE:
        if (permitted(a, ACTION_RATE, l))
            rate_form(a, l);
        break;
    case REQ_COMMENT:
        if (permitted(a, ACTION_COMMENT, l)) {
            char named[160];
            tui_form *f =
                form_new(a, lead_title(named, sizeof named, "Comment", l), l->id, comment_submit);
            if (f)
                form_add_text(f, "Comment", "", true, LB_LONG_MAX, NULL);
            form_open(a, f, l);
        }
        break;
    default:
        break;
    }
    return false;
}

static bool on_a_lead(tui_req r)
{
    switch (r) {
    case REQ_EDIT: case REQ_HANDOFF: case REQ_ACCEPT: case REQ_REJECT: case REQ_WON:
    case REQ_LOST: case REQ_STAGE_PREV: case REQ_STAGE_NEXT: case REQ_LOG: case REQ_RATE:
    case REQ_COMMENT:
        return true;
    default:
        return false;
    }
}

bool ui_request(app *a, tui_req r, int64_t lead, tui_done *done)
{
    memset(done, 0, sizeof *done);
    done->change = CHANGE_WRITE;
    switch (r) {
    case REQ_NEW:
        if (permitted(a, ACTION_LEAD_ADD, NULL))
            lead_form(a, "New lead", NULL, new_submit);
        return false;
    case REQ_SWITCH_USER:
        user_form(a);
        return false;
    case REQ_FILTER:
        filter_form(a);
        return false;
    case REQ_UNDO:
        return undo_now(a, done);
    default:
        break;
    }
    if (!on_a_lead(r))
        return false;
    lb_lead *l = malloc(sizeof *l);
    bool wrote = l && load(a, lead, l) && lead_request(a, r, l, done);
    free(l);
    return wrote;
}

void ui_form_reload(app *a)
{
    tui_form *f = a->form;
    lb_lead *l = malloc(sizeof *l);
    if (!l)
        return;
    if (f->lead_id && load(a, f->lead_id, l)) {
        f->version = l->version;
        if (f->submit == edit_submit)
            lead_values(f, l);
        snprintf(f->message, sizeof f->message, "reloaded version %lld; check and save again",
                 (long long)l->version);
        f->conflict = false;
    }
    free(l);
}
