#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "actions_internal.h"
#include "leadboard/actions.h"
#include "leadboard/collateral.h"
#include "leadboard/store.h"

/* The OS login is the system's answer for the real uid, never the
 * environment ($USER, $LOGNAME can say anything): a uid without a passwd
 * entry (a container, an LDAP outage) is "uid:N", which no leadboard login
 * can be, so it matches nobody and strict_identity lets it act as nobody. */
static void os_login(char *buf, size_t n)
{
    uid_t uid = getuid();
    struct passwd *pw = getpwuid(uid);
    if (pw && pw->pw_name && *pw->pw_name)
        snprintf(buf, n, "%s", pw->pw_name);
    else
        snprintf(buf, n, "uid:%lu", (unsigned long)uid);
}

/* With strict_identity on, a person acts only as the user of their own OS
 * login, unless that user is a manager (who may act for anyone, e.g. at a
 * shared stand-up terminal). */
static lb_status identity_allowed(lb_ctx *ctx, const char *login, lb_err *err)
{
    char v[8] = "0";
    lb_user self;
    setting_get(ctx->db, "strict_identity", v, sizeof v, NULL);
    if (strcmp(v, "1") != 0 || strcmp(login, ctx->os_login) == 0)
        return LB_OK;
    if (user_get(ctx->db, ctx->os_login, &self, NULL) == LB_OK && self.active &&
        self.team == TEAM_MANAGER)
        return LB_OK;
    return lb_fail(err, LB_EPERM,
                   "strict_identity is on: you (%s) may act only as yourself, not as %s; a "
                   "manager can turn it off with 'leadboard setting set strict_identity 0'",
                   ctx->os_login, login);
}

lb_status ctx_switch_user(lb_ctx *ctx, const char *login, lb_err *err)
{
    lb_user u;
    lb_status st = identity_allowed(ctx, login, err);
    if (st == LB_OK)
        st = user_get(ctx->db, login, &u, err);
    if (st == LB_OK && !u.active)
        st = lb_fail(err, LB_EPERM, "user %s is inactive", login);
    if (st != LB_OK)
        return st;
    ctx->actor = u;
    ctx->has_actor = true;
    snprintf(ctx->wanted, sizeof ctx->wanted, "%s", login);
    return LB_OK;
}

lb_status ctx_init(lb_ctx *ctx, lb_db *db, const char *as_login, lb_err *err)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->db = db;
    os_login(ctx->os_login, sizeof ctx->os_login);
    lb_status st = time_now(&ctx->now, err);
    if (st != LB_OK)
        return st;
    time_format(ctx->now, ctx->now_iso);

    const char *env = getenv("LEADBOARD_USER");
    const char *want = as_login && *as_login ? as_login : env && *env ? env : ctx->os_login;
    snprintf(ctx->wanted, sizeof ctx->wanted, "%s", want);
    if (!login_valid(want))
        return LB_OK;
    if ((st = identity_allowed(ctx, want, err)) != LB_OK)
        return st;
    lb_err inner;
    st = user_get(db, want, &ctx->actor, &inner);
    if (st == LB_OK)
        ctx->has_actor = true;
    else if (st != LB_ENOTFOUND)
        return lb_fail(err, st, "%s", inner.msg);
    return LB_OK;
}

lb_status ctx_require_actor(const lb_ctx *ctx, lb_err *err)
{
    if (ctx->has_actor)
        return ctx->actor.active ? LB_OK
                                 : lb_fail(err, LB_EPERM, "user %s is inactive; ask a manager",
                                           ctx->actor.login);
    int64_t n = 0;
    lb_err inner;
    if (user_count(ctx->db, &n, &inner) == LB_OK && n == 0)
        return lb_fail(err, LB_EPERM,
                       "there are no users yet; create the first (a manager) with "
                       "'leadboard --as LOGIN user add LOGIN --team manager'");
    if (!login_valid(ctx->wanted))
        return lb_fail(err, LB_EPERM,
                       "'%.40s' cannot be a leadboard user (logins are 1-32 of a-z 0-9 . _ -); "
                       "act as a user with --as LOGIN",
                       ctx->wanted);
    return lb_fail(err, LB_EPERM,
                   "'%s' is not a leadboard user; a manager can add it with 'leadboard user add "
                   "%s --team TEAM', or act as a user with --as LOGIN",
                   ctx->wanted, ctx->wanted);
}

/* Appends one audit event for the acting user. */
static lb_status audit(lb_ctx *ctx, const char *entity, int64_t entity_id, int64_t lead_id,
                       const char *action, const char *field, const char *old_value,
                       const char *new_value, const char *note, lb_err *err)
{
    lb_event ev = {entity, entity_id, lead_id, action, field, old_value, new_value, note};
    return event_insert(ctx->db, ctx->now_iso, ctx->has_actor ? ctx->actor.id : 0,
                        ctx->os_login, &ev, err);
}

/* Finishes an action: commits on success, rolls back otherwise. */
static lb_status finish(lb_ctx *ctx, lb_status st, lb_err *err)
{
    if (st == LB_OK)
        return db_commit(ctx->db, err);
    db_rollback(ctx->db);
    return st;
}

/* The acting user as the database has them now, inside the write
 * transaction: an open board (or any long-lived context) must not keep the
 * rights it started with after a manager deactivates or demotes its user,
 * or turns strict_identity on.  The same refusals as ctx_init and
 * ctx_require_actor give on the command line. */
static lb_status actor_recheck(lb_ctx *ctx, lb_err *err)
{
    if (!ctx->has_actor)
        return ctx_require_actor(ctx, err);
    lb_user u;
    lb_err inner;
    lb_status st = user_get(ctx->db, ctx->actor.login, &u, &inner);
    if (st == LB_ENOTFOUND)
        return lb_fail(err, LB_EPERM,
                       "'%s' is no longer a leadboard user; a manager can add it with "
                       "'leadboard user add %s --team TEAM'",
                       ctx->actor.login, ctx->actor.login);
    if (st != LB_OK)
        return lb_fail(err, st, "%s", inner.msg);
    ctx->actor = u;
    if ((st = ctx_require_actor(ctx, err)) != LB_OK)
        return st;
    return identity_allowed(ctx, u.login, err);
}

lb_status ctx_refresh_actor(lb_ctx *ctx, lb_err *err)
{
    if (!ctx->has_actor)
        return LB_OK;
    lb_user u;
    lb_status st = user_get(ctx->db, ctx->actor.login, &u, err);
    if (st == LB_OK && u.active)
        ctx->actor = u;
    return st == LB_ENOTFOUND ? LB_OK : st;
}

lb_status ctx_begin_write(lb_ctx *ctx, lb_err *err)
{
    lb_status st = ctx_require_actor(ctx, err); /* refused before taking the lock */
    if (st == LB_OK)
        st = db_begin(ctx->db, err);
    if (st != LB_OK)
        return st;
    if ((st = actor_recheck(ctx, err)) != LB_OK)
        db_rollback(ctx->db);
    return st;
}

static lb_status begin_as_actor(lb_ctx *ctx, lb_err *err)
{
    return ctx_begin_write(ctx, err);
}

/* Reads a lead to change it; refuses when it moved on from the version the
 * user saw. */
static lb_status load_lead(lb_ctx *ctx, int64_t id, int64_t expect_version, lb_lead *l,
                           lb_err *err)
{
    lb_status st = lead_get(ctx->db, id, l, err);
    if (st != LB_OK)
        return st;
    if (expect_version && l->version != expect_version) {
        char when[64];
        time_stored_human(l->updated_at, when, sizeof when); /* the local time */
        return lb_fail(err, LB_ECONFLICT,
                       "lead %lld was changed by %s at %s (now version %lld, you had %lld); "
                       "reload it and try again",
                       (long long)id, l->updated_by[0] ? l->updated_by : "someone", when,
                       (long long)l->version, (long long)expect_version);
    }
    return LB_OK;
}

/* Starts a write about one lead: the acting user's transaction and the lead
 * as it is now (refused if it moved on from expect_version, 0: no check).
 * On success *out is the caller's to free and the transaction the caller's
 * to finish; on failure nothing is held. */
static lb_status begin_lead(lb_ctx *ctx, int64_t id, int64_t expect_version, lb_lead **out,
                            lb_err *err)
{
    lb_status st;
    lb_lead *l = malloc(sizeof *l);
    *out = NULL;
    if (!l)
        return lb_fail(err, LB_EDB, "out of memory");
    if ((st = begin_as_actor(ctx, err)) != LB_OK) {
        free(l);
        return st;
    }
    if ((st = load_lead(ctx, id, expect_version, l, err)) != LB_OK) {
        free(l);
        db_rollback(ctx->db);
        return st;
    }
    *out = l;
    return LB_OK;
}

static lb_status save_lead(lb_ctx *ctx, lb_lead *l, lb_err *err)
{
    snprintf(l->updated_at, sizeof l->updated_at, "%s", ctx->now_iso);
    l->updated_by_id = ctx->actor.id;
    return lead_update(ctx->db, l, err);
}

/* Puts the lead in stage `to`, keeping the path's furthest point. */
static void enter_stage(lb_ctx *ctx, lb_lead *l, lb_stage to)
{
    l->stage = to;
    snprintf(l->stage_at, sizeof l->stage_at, "%s", ctx->now_iso);
    if (to != STAGE_LOST && (int)to > l->furthest)
        l->furthest = (int)to;
}

/* Optional text that shows nothing (spaces, zero-width characters) is no
 * text: it is not stored as if it said something. */
static const char *text_or_none(const char *s)
{
    return s && text_blank(s) ? NULL : s;
}

static lb_status check_text(const char *field, const char *s, size_t max, bool multiline,
                            lb_err *err)
{
    return s ? text_check(field, s, max, multiline, err) : LB_OK;
}

/* ---- users, campaigns ---- */

lb_status act_user_add(lb_ctx *ctx, const char *login, const char *team, const char *name,
                       lb_err *err)
{
    lb_user u;
    int t;
    lb_status st;

    memset(&u, 0, sizeof u);
    if (!login_valid(login))
        return lb_fail(err, LB_EINVAL,
                       "invalid login '%.40s': use 1-32 characters of a-z 0-9 . _ -",
                       login ? login : "");
    if ((st = vocab_parse(&lb_teams, team, &t, err)) != LB_OK)
        return st;
    if ((st = check_text("--name", name, LB_SHORT_MAX, false, err)) != LB_OK)
        return st;

    if ((st = db_begin(ctx->db, err)) != LB_OK)
        return st;
    int64_t n = 0;
    st = user_count(ctx->db, &n, err);
    /* Bootstrapping: while there are no users, anyone may add the first. */
    if (st == LB_OK && n > 0) {
        st = actor_recheck(ctx, err);
        if (st == LB_OK)
            st = rules_permit(&ctx->actor, ACTION_USER_ADD, NULL, err);
    }
    lb_user existing;
    if (st == LB_OK && user_get(ctx->db, login, &existing, NULL) == LB_OK)
        st = lb_fail(err, LB_EINVAL, "user %s already exists (%s)", login,
                     team_name(existing.team));
    if (st == LB_OK) {
        snprintf(u.login, sizeof u.login, "%s", login);
        snprintf(u.name, sizeof u.name, "%s", text_or_none(name) ? name : "");
        u.team = (lb_team)t;
        u.active = true;
        snprintf(u.created_at, sizeof u.created_at, "%s", ctx->now_iso);
        st = user_insert(ctx->db, &u, err);
    }
    if (st == LB_OK && !ctx->has_actor && strcmp(ctx->wanted, login) == 0) {
        /* The first user adding themselves acts as themselves from now on. */
        ctx->actor = u;
        ctx->has_actor = true;
    }
    if (st == LB_OK)
        st = audit(ctx, "user", u.id, 0, "create", "team", NULL, team_name(u.team),
                   n == 0 ? "first user" : "", err);
    return finish(ctx, st, err);
}

lb_status act_campaign_add(lb_ctx *ctx, const lb_campaign_input *in, int64_t *id, lb_err *err)
{
    lb_campaign c;
    lb_status st;
    int ch = CHANNEL_OTHER;
    lb_time t;

    memset(&c, 0, sizeof c);
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_CAMPAIGN_ADD, NULL, err)) != LB_OK)
        return st;
    if (text_blank(in->name))
        return lb_fail(err, LB_EINVAL, "a campaign needs a name");
    if ((st = text_check("campaign name", in->name, LB_SHORT_MAX, false, err)) != LB_OK)
        return st;
    if (in->channel && (st = vocab_parse(&lb_channels, in->channel, &ch, err)) != LB_OK)
        return st;
    if (in->cost && (st = money_parse(in->cost, &c.cost, err)) != LB_OK)
        return st;
    if (in->start) {
        if ((st = time_parse_input(in->start, ctx->now, false, &t, err)) != LB_OK)
            return st;
        time_format(t, c.start_date);
    }
    if (in->end) {
        if ((st = time_parse_input(in->end, ctx->now, false, &t, err)) != LB_OK)
            return st;
        time_format(t, c.end_date);
    }
    if (c.start_date[0] && c.end_date[0] && strcmp(c.end_date, c.start_date) < 0)
        return lb_fail(err, LB_EINVAL, "--end %s is before --start %s", in->end, in->start);
    snprintf(c.name, sizeof c.name, "%s", in->name);
    c.channel = (lb_channel)ch;
    snprintf(c.created_at, sizeof c.created_at, "%s", ctx->now_iso);

    if ((st = ctx_begin_write(ctx, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_CAMPAIGN_ADD, NULL, err);
    lb_campaign existing;
    if (st == LB_OK && campaign_get(ctx->db, c.name, &existing, NULL) == LB_OK)
        st = lb_fail(err, LB_EINVAL, "campaign '%s' already exists", existing.name);
    if (st == LB_OK)
        st = campaign_insert(ctx->db, &c, err);
    if (st == LB_OK) {
        char cost[32];
        money_format(c.cost, cost, sizeof cost);
        st = audit(ctx, "campaign", c.id, 0, "create", "cost", NULL, cost, c.name, err);
    }
    if (st == LB_OK && id)
        *id = c.id;
    return finish(ctx, st, err);
}

/* ---- leads ---- */

/* A lead field: where it lives, its name in errors and events, its limit. */
typedef struct {
    const char *name;
    size_t offset, size, max;
    bool multiline;
} text_field;

#define TF(field, label, max, ml) {label, offsetof(lb_lead, field), sizeof(((lb_lead *)0)->field), max, ml}
static const text_field lead_fields[] = {
    TF(name, "name", LB_SHORT_MAX, false),   TF(company, "company", LB_SHORT_MAX, false),
    TF(title, "title", LB_SHORT_MAX, false), TF(email, "email", LB_EMAIL_MAX, false),
    TF(phone, "phone", LB_PHONE_MAX, false), TF(notes, "notes", LB_NOTES_MAX, true),
};

/* Field i of the input; text that shows nothing (spaces, zero-width
 * characters) is empty, so it clears a field rather than hiding in it. */
static const char *input_of(const lb_lead_input *in, int i)
{
    const char *v[] = {in->name, in->company, in->title, in->email, in->phone, in->notes};
    return v[i] && *v[i] && text_blank(v[i]) ? "" : v[i];
}

/* Validates an input against the lead's limits and vocabularies. */
static lb_status check_lead_input(lb_ctx *ctx, const lb_lead_input *in, bool adding,
                                  lb_campaign *campaign, bool *has_value, int64_t *value,
                                  lb_err *err)
{
    lb_status st;
    char label[32];
    for (int i = 0; i < (int)(sizeof lead_fields / sizeof lead_fields[0]); i++) {
        snprintf(label, sizeof label, "--%s", i == 5 ? "note" : lead_fields[i].name);
        if ((st = check_text(label, input_of(in, i), lead_fields[i].max, lead_fields[i].multiline,
                             err)) != LB_OK)
            return st;
    }
    if ((adding || in->name) && text_blank(in->name))
        return lb_fail(err, LB_EINVAL, "a lead needs a name: --name NAME");
    if (in->email && *in->email && (st = email_check("--email", in->email, err)) != LB_OK)
        return st;
    *has_value = false;
    if (in->value && *in->value) {
        if ((st = money_parse(in->value, value, err)) != LB_OK)
            return st;
        *has_value = true;
    }
    campaign->id = 0;
    if (in->campaign && *in->campaign &&
        (st = campaign_get(ctx->db, in->campaign, campaign, err)) != LB_OK)
        return st;
    return LB_OK;
}

lb_status act_lead_add(lb_ctx *ctx, const lb_lead_input *in, int64_t *id, lb_err *err)
{
    lb_status st;
    lb_campaign campaign;
    bool has_value;
    int64_t value = 0;

    if ((st = begin_as_actor(ctx, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_LEAD_ADD, NULL, err);
    if (st == LB_OK)
        st = check_lead_input(ctx, in, true, &campaign, &has_value, &value, err);
    if (st != LB_OK)
        return finish(ctx, st, err);

    lb_lead *l = calloc(1, sizeof *l);
    if (!l)
        return finish(ctx, lb_fail(err, LB_EDB, "out of memory"), err);
    for (int i = 0; i < (int)(sizeof lead_fields / sizeof lead_fields[0]); i++)
        snprintf((char *)l + lead_fields[i].offset, lead_fields[i].size, "%s",
                 input_of(in, i) ? input_of(in, i) : "");
    l->campaign_id = campaign.id;
    l->has_value = has_value;
    l->value = value;
    l->marketer_id = ctx->actor.id;
    l->stage = STAGE_NURTURE;
    snprintf(l->created_at, sizeof l->created_at, "%s", ctx->now_iso);
    snprintf(l->stage_at, sizeof l->stage_at, "%s", ctx->now_iso);
    snprintf(l->updated_at, sizeof l->updated_at, "%s", ctx->now_iso);
    l->updated_by_id = ctx->actor.id;
    st = lead_insert(ctx->db, l, err);
    if (st == LB_OK)
        st = audit(ctx, "lead", l->id, l->id, "create", "", NULL, l->name, "", err);
    if (st == LB_OK && id)
        *id = l->id;
    free(l);
    return finish(ctx, st, err);
}

/* Whether an edit changes nothing but the contact details (email, phone,
 * title, company): a field given with the value it already has (a form
 * sends them all) is no change. */
static bool edit_is_contact_only(const lb_lead_input *in, const lb_lead *l)
{
    if (in->name && strcmp(in->name, l->name) != 0)
        return false;
    if (in->notes && strcmp(in->notes, l->notes) != 0)
        return false;
    if (in->campaign && strcasecmp(in->campaign, l->campaign) != 0 &&
        !(strcmp(in->campaign, "(none)") == 0 && !l->campaign[0]))
        return false;
    if (in->value) {
        int64_t v;
        if (!*in->value)
            return !l->has_value;
        if (money_parse(in->value, &v, NULL) != LB_OK || !l->has_value || v != l->value)
            return false;
    }
    return true;
}

lb_status act_lead_edit(lb_ctx *ctx, int64_t id, const lb_lead_input *in,
                        int64_t expect_version, lb_err *err)
{
    lb_status st;
    lb_campaign campaign;
    bool has_value;
    int64_t value = 0;
    lb_lead *l;

    if ((st = begin_lead(ctx, id, expect_version, &l, err)) != LB_OK)
        return st;
    st = rules_permit_edit(&ctx->actor, l, edit_is_contact_only(in, l), err);
    if (st == LB_OK)
        st = check_lead_input(ctx, in, false, &campaign, &has_value, &value, err);

    bool changed = false;
    for (int i = 0; st == LB_OK && i < (int)(sizeof lead_fields / sizeof lead_fields[0]); i++) {
        const char *v = input_of(in, i);
        char *field = (char *)l + lead_fields[i].offset;
        if (!v || strcmp(v, field) == 0)
            continue;
        st = audit(ctx, "lead", id, id, "edit", lead_fields[i].name, field, v, "", err);
        snprintf(field, lead_fields[i].size, "%s", v);
        changed = true;
    }
    if (st == LB_OK && in->campaign && campaign.id != l->campaign_id) {
        st = audit(ctx, "lead", id, id, "edit", "campaign", l->campaign,
                   campaign.id ? campaign.name : "", "", err);
        l->campaign_id = campaign.id;
        changed = true;
    }
    if (st == LB_OK && in->value && (has_value != l->has_value || value != l->value)) {
        char old[32] = "", new[32] = "";
        if (l->has_value)
            money_format(l->value, old, sizeof old);
        if (has_value)
            money_format(value, new, sizeof new);
        st = audit(ctx, "lead", id, id, "edit", "value", old, new, "", err);
        l->has_value = has_value;
        l->value = value;
        changed = true;
    }
    if (st == LB_OK && changed)
        st = undo_record(ctx, "edit", id, 0, true, err);
    if (st == LB_OK && changed)
        st = save_lead(ctx, l, err);
    free(l);
    return finish(ctx, st, err);
}

/* The shape every stage change shares: load, check the transition, apply,
 * save, record.  `apply` fills in what the particular transition changes. */
typedef struct {
    lb_action via;
    lb_stage to;
    const char *reason;
    const char *value;
    const char *note;
    const lb_user *assignee;
    int stars;              /* reject: the rating given with it, 0: none */
    const char *tags;       /* reject: its reason tags, canonical ("fit,budget") */
    const char *revisit;    /* recycle: the date to revisit, text or NULL */
} move_req;

/* The request's own text and values, checked before anything is read:
 * *value the amount given (0: none), revisit the date to revisit ("":
 * none) as stored. */
static lb_status move_check(const lb_ctx *ctx, const move_req *r, int64_t *value,
                            char revisit[LB_TIME_BUF], lb_err *err)
{
    lb_status st;
    *value = 0;
    revisit[0] = '\0';
    if (r->reason && (st = text_check("--reason", r->reason, LB_REASON_MAX, true, err)) != LB_OK)
        return st;
    if (r->note && (st = text_check("--note", r->note, LB_LONG_MAX, true, err)) != LB_OK)
        return st;
    if (r->value && (st = money_parse(r->value, value, err)) != LB_OK)
        return st;
    if (r->revisit) {
        lb_time t;
        if (r->via != ACTION_MOVE || r->to != STAGE_NURTURE)
            return lb_fail(err, LB_EINVAL,
                           "--revisit goes with recycling: 'leadboard move ID nurture --reason R "
                           "--revisit DATE'");
        lb_err inner; /* not err: its message may not be both source and target */
        if ((st = time_parse_input(r->revisit, ctx->now, false, &t, &inner)) != LB_OK)
            return lb_fail(err, LB_EINVAL, "--revisit: %s", inner.msg);
        if (t <= ctx->now)
            return lb_fail(err, LB_EINVAL,
                           "--revisit %.40s is not in the future; give a later date (e.g. +2w)",
                           r->revisit);
        time_format(t, revisit);
    }

    return LB_OK;
}

/* What the transition changes in lead l (leaving `from`, owned by
 * old_owner), with its audit events; *rid the feedback a rejection makes. */
static lb_status move_apply(lb_ctx *ctx, lb_lead *l, const move_req *r, lb_stage from,
                            const char *old_owner, const char *revisit, int64_t *rid,
                            lb_err *err)
{
    lb_status st = LB_OK;
    int64_t id = l->id;
    bool has_reason = !text_blank(r->reason);
    switch (r->via) {
    case ACTION_HANDOFF:
        l->owner_id = r->assignee->id;
        snprintf(l->handed_off_at, sizeof l->handed_off_at, "%s", ctx->now_iso);
        l->accepted_at[0] = l->first_touch_at[0] = l->last_touch_at[0] = '\0';
        l->next_due_at[0] = l->closed_at[0] = l->reason[0] = '\0';
        l->revisit_at[0] = '\0';
        st = audit(ctx, "lead", id, id, "handoff", "owner", NULL, r->assignee->login,
                   text_or_none(r->note) ? r->note : "", err);
        break;
    case ACTION_ACCEPT:
        snprintf(l->accepted_at, sizeof l->accepted_at, "%s", ctx->now_iso);
        st = audit(ctx, "lead", id, id, "accept", "stage", stage_name(from), stage_name(r->to),
                   "", err);
        break;
    case ACTION_REJECT:
        l->owner_id = 0;
        l->rejections++;
        snprintf(l->reason, sizeof l->reason, "%s", r->reason);
        st = audit(ctx, "lead", id, id, "reject", "owner", old_owner, NULL, r->reason, err);
        /* The rejection reaches marketing's inbox like a rating. */
        if (st == LB_OK)
            st = feedback_insert(ctx->db, id, ctx->actor.id, true, r->stars, r->tags, r->reason,
                                 ctx->now_iso, rid, err);
        if (st == LB_OK && r->stars) {
            char sv[8], old[8];
            snprintf(sv, sizeof sv, "%d", r->stars);
            snprintf(old, sizeof old, "%d", l->stars);
            st = audit(ctx, "rating", *rid, id, "rate", "stars", l->stars ? old : NULL, sv,
                       "with the rejection", err);
            l->stars = r->stars;
        }
        break;
    default:
        if (r->to == STAGE_WON || r->to == STAGE_LOST) {
            snprintf(l->closed_at, sizeof l->closed_at, "%s", ctx->now_iso);
            snprintf(l->reason, sizeof l->reason, "%s", r->to == STAGE_LOST ? r->reason : "");
        } else if (r->to == STAGE_NURTURE) { /* recycled: back to marketing */
            l->owner_id = 0;
            snprintf(l->reason, sizeof l->reason, "%s", r->reason);
            if (revisit[0] || l->revisit_at[0])
                st = audit(ctx, "lead", id, id, "revisit", "revisit_at",
                           l->revisit_at[0] ? l->revisit_at : NULL, revisit, "", err);
            snprintf(l->revisit_at, sizeof l->revisit_at, "%s", revisit);
        } else if (stage_is_closed(from)) { /* reopened */
            l->closed_at[0] = l->reason[0] = '\0';
        }
        if (st == LB_OK)
            st = audit(ctx, "lead", id, id, "move", "stage", stage_name(from), stage_name(r->to),
                       has_reason ? r->reason : "", err);
        break;
    }
    return st;
}

static lb_status do_move(lb_ctx *ctx, int64_t id, int64_t expect_version, const move_req *r,
                         lb_err *err)
{
    lb_status st;
    int64_t value;
    char revisit[LB_TIME_BUF];
    bool has_reason = !text_blank(r->reason);

    if ((st = move_check(ctx, r, &value, revisit, err)) != LB_OK)
        return st;

    lb_lead *l;
    if ((st = begin_lead(ctx, id, expect_version, &l, err)) != LB_OK)
        return st;
    st = rules_check_transition(&ctx->actor, l, r->to, r->via, l->has_value || r->value,
                                has_reason, err);
    if (st != LB_OK) {
        free(l);
        return finish(ctx, st, err);
    }

    lb_stage from = l->stage;
    int64_t rid = 0; /* a rejection's feedback: its undo takes it back too */
    char old_owner[LB_LOGIN_MAX + 1];
    snprintf(old_owner, sizeof old_owner, "%s", l->owner);
    enter_stage(ctx, l, r->to);

    st = move_apply(ctx, l, r, from, old_owner, revisit, &rid, err);
    if (st == LB_OK && r->value && (!l->has_value || l->value != value)) {
        char old[32] = "", new[32];
        if (l->has_value)
            money_format(l->value, old, sizeof old);
        money_format(value, new, sizeof new);
        st = audit(ctx, "lead", id, id, "value", "value", old, new, "", err);
        l->has_value = true;
        l->value = value;
    }
    if (st == LB_OK)
        st = undo_record(ctx,
                         r->via == ACTION_HANDOFF  ? "handoff"
                         : r->via == ACTION_ACCEPT ? "accept"
                         : r->via == ACTION_REJECT ? "reject"
                                                   : "move",
                         id, rid, true, err);
    if (st == LB_OK)
        st = save_lead(ctx, l, err);
    free(l);
    return finish(ctx, st, err);
}

lb_status act_handoff(lb_ctx *ctx, int64_t id, const char *to_login, const char *note,
                      int64_t expect_version, lb_err *err)
{
    lb_user to;
    lb_status st;
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_HANDOFF, NULL, err)) != LB_OK)
        return st;
    if (!to_login || !*to_login)
        return lb_fail(err, LB_EINVAL, "a hand-off needs a sales rep: --to LOGIN");
    if ((st = user_get(ctx->db, to_login, &to, err)) != LB_OK)
        return st;
    if (to.team != TEAM_SALES)
        return lb_fail(err, LB_EINVAL, "%s is in %s, not sales; hand off to a sales rep",
                       to.login, team_name(to.team));
    if (!to.active)
        return lb_fail(err, LB_EINVAL, "%s is inactive; hand off to an active sales rep",
                       to.login);
    move_req r = {ACTION_HANDOFF, STAGE_HANDED_OFF, NULL, NULL, note, &to, 0, NULL, NULL};
    return do_move(ctx, id, expect_version, &r, err);
}

lb_status act_accept(lb_ctx *ctx, int64_t id, int64_t expect_version, lb_err *err)
{
    move_req r = {ACTION_ACCEPT, STAGE_ACCEPTED, NULL, NULL, NULL, NULL, 0, NULL, NULL};
    return do_move(ctx, id, expect_version, &r, err);
}

/* Reason tags as given ("fit", "fit,budget", repeated) into the canonical
 * comma-separated list, in vocabulary order, each once. */
static lb_status parse_tags(const char *const *reasons, int nreasons, char *tags, size_t n,
                            lb_err *err)
{
    bool tagged[REASON_COUNT] = {false};
    lb_status st;
    tags[0] = '\0';
    for (int i = 0; i < nreasons; i++) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", reasons[i] ? reasons[i] : "");
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
             tok = strtok_r(NULL, ",", &save)) {
            int r;
            if ((st = vocab_parse(&lb_reasons, tok, &r, err)) != LB_OK)
                return st;
            tagged[r] = true;
        }
    }
    for (int r = 0; r < REASON_COUNT; r++)
        if (tagged[r]) {
            size_t used = strlen(tags);
            snprintf(tags + used, n - used, "%s%s", used ? "," : "", vocab_name(&lb_reasons, r));
        }
    return LB_OK;
}

lb_status act_reject(lb_ctx *ctx, int64_t id, const char *reason, int64_t expect_version,
                     lb_err *err)
{
    return act_reject_rated(ctx, id, reason, 0, NULL, 0, expect_version, err);
}

lb_status act_reject_rated(lb_ctx *ctx, int64_t id, const char *reason, int stars,
                           const char *const *reasons, int nreasons, int64_t expect_version,
                           lb_err *err)
{
    char tags[128];
    lb_status st;
    if (stars < 0 || stars > 5)
        return lb_fail(err, LB_EINVAL, "--stars must be a whole number from 1 to 5 (got %d)",
                       stars);
    if ((st = parse_tags(reasons, nreasons, tags, sizeof tags, err)) != LB_OK)
        return st;
    move_req r = {ACTION_REJECT, STAGE_NURTURE, reason, NULL, NULL, NULL, stars, tags, NULL};
    return do_move(ctx, id, expect_version, &r, err);
}

lb_status act_move(lb_ctx *ctx, int64_t id, lb_stage to, const char *value, const char *reason,
                   int64_t expect_version, lb_err *err)
{
    return act_move_revisit(ctx, id, to, value, reason, NULL, expect_version, err);
}

lb_status act_move_revisit(lb_ctx *ctx, int64_t id, lb_stage to, const char *value,
                           const char *reason, const char *revisit, int64_t expect_version,
                           lb_err *err)
{
    move_req r = {ACTION_MOVE, to, reason, value, NULL, NULL, 0, NULL, revisit};
    return do_move(ctx, id, expect_version, &r, err);
}

lb_status act_feedback_seen(lb_ctx *ctx, int64_t *n, lb_err *err)
{
    lb_status st;
    if (n)
        *n = 0;
    if ((st = begin_as_actor(ctx, err)) != LB_OK)
        return st;
    st = feedback_mark_seen(ctx->db, ctx->actor.id, ctx->now_iso, n, err);
    return finish(ctx, st, err);
}

/* ---- follow-ups, ratings, comments, feedback ---- */

lb_status act_log(lb_ctx *ctx, int64_t lead_id, const lb_followup_input *in, int64_t *id,
                  int *moved_to, lb_err *err)
{
    lb_status st;
    char due[LB_TIME_BUF] = "";
    lb_time t;
    int64_t fid = 0;

    if (moved_to)
        *moved_to = -1;
    if ((int)in->kind < 0 || in->kind >= KIND_COUNT || (int)in->outcome < 0 ||
        in->outcome >= OUTCOME_COUNT)
        return lb_fail(err, LB_EINVAL, "invalid follow-up kind or outcome");
    if ((st = check_text("--note", in->note, LB_LONG_MAX, true, err)) != LB_OK ||
        (st = check_text("--next-step", in->next_step, LB_LONG_MAX, true, err)) != LB_OK)
        return st;
    if (in->due && *in->due) {
        if ((st = time_parse_input(in->due, ctx->now, true, &t, err)) != LB_OK)
            return st;
        time_format(t, due);
    }

    lb_lead *l;
    if ((st = begin_lead(ctx, lead_id, 0, &l, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_LOG, l, err);
    if (st == LB_OK)
        st = followup_insert(ctx->db, lead_id, ctx->actor.id, in->kind, in->outcome,
                             text_or_none(in->note), text_or_none(in->next_step), due, ctx->now_iso,
                             &fid, err);
    if (st == LB_OK)
        st = audit(ctx, "followup", fid, lead_id, "log", "outcome", NULL,
                   vocab_name(&lb_outcomes, (int)in->outcome), "", err);
    if (st == LB_OK)
        st = log_assets(ctx, fid, lead_id, in->assets, in->nassets, err);
    if (st == LB_OK) {
        if (!l->first_touch_at[0])
            snprintf(l->first_touch_at, sizeof l->first_touch_at, "%s", ctx->now_iso);
        snprintf(l->last_touch_at, sizeof l->last_touch_at, "%s", ctx->now_iso);
        snprintf(l->next_due_at, sizeof l->next_due_at, "%s", due);
        if (rules_outcome_advances(l->stage, in->outcome)) {
            lb_stage from = l->stage;
            enter_stage(ctx, l, STAGE_CONTACTED);
            st = audit(ctx, "lead", lead_id, lead_id, "move", "stage", stage_name(from),
                       stage_name(STAGE_CONTACTED),
                       in->outcome == OUTCOME_CONNECTED ? "after a connected follow-up"
                                                        : "after a booked meeting",
                       err);
            if (moved_to)
                *moved_to = STAGE_CONTACTED;
        }
    }
    /* Recorded after the move's event, which is this change's to take back
     * (the lead it keeps is still the one before: l is saved below). */
    if (st == LB_OK)
        st = undo_record(ctx, "log", lead_id, fid, true, err);
    if (st == LB_OK)
        st = save_lead(ctx, l, err);
    if (st == LB_OK && id)
        *id = fid;
    free(l);
    return finish(ctx, st, err);
}

lb_status act_rate(lb_ctx *ctx, int64_t lead_id, int stars, const char *const *reasons,
                   int nreasons, const char *comment, int64_t *id, lb_err *err)
{
    lb_status st;
    char tags[128] = "";

    if (stars < 1 || stars > 5)
        return lb_fail(err, LB_EINVAL, "stars must be a whole number from 1 to 5 (got %d)",
                       stars);
    if ((st = parse_tags(reasons, nreasons, tags, sizeof tags, err)) != LB_OK)
        return st;
    if ((st = check_text("--comment", comment, LB_LONG_MAX, true, err)) != LB_OK)
        return st;

    lb_lead *l;
    int64_t rid = 0;
    if ((st = begin_lead(ctx, lead_id, 0, &l, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_RATE, l, err);
    if (st == LB_OK)
        st = rating_insert(ctx->db, lead_id, ctx->actor.id, stars, tags, text_or_none(comment),
                           ctx->now_iso, &rid, err);
    if (st == LB_OK) {
        char s[8], old[8] = "";
        snprintf(s, sizeof s, "%d", stars);
        if (l->stars)
            snprintf(old, sizeof old, "%d", l->stars);
        st = audit(ctx, "rating", rid, lead_id, "rate", "stars", l->stars ? old : NULL, s, "",
                   err);
        l->stars = stars;
    }
    if (st == LB_OK)
        st = undo_record(ctx, "rate", lead_id, rid, true, err);
    if (st == LB_OK)
        st = save_lead(ctx, l, err);
    if (st == LB_OK && id)
        *id = rid;
    free(l);
    return finish(ctx, st, err);
}

lb_status act_comment(lb_ctx *ctx, int64_t lead_id, const char *text, int64_t *id, lb_err *err)
{
    lb_status st;
    if (text_blank(text))
        return lb_fail(err, LB_EINVAL, "a comment needs some text");
    if ((st = text_check("comment", text, LB_LONG_MAX, true, err)) != LB_OK)
        return st;
    if ((st = begin_as_actor(ctx, err)) != LB_OK)
        return st;
    lb_lead *l = malloc(sizeof *l);
    int64_t cid = 0;
    st = l ? lead_get(ctx->db, lead_id, l, err) : lb_fail(err, LB_EDB, "out of memory");
    free(l);
    if (st == LB_OK)
        st = rules_permit(&ctx->actor, ACTION_COMMENT, NULL, err);
    if (st == LB_OK)
        st = comment_insert(ctx->db, lead_id, ctx->actor.id, text, ctx->now_iso, &cid, err);
    if (st == LB_OK)
        st = audit(ctx, "comment", cid, lead_id, "comment", "", NULL, NULL, "", err);
    if (st == LB_OK)
        st = undo_record(ctx, "comment", lead_id, cid, false, err);
    if (st == LB_OK && id)
        *id = cid;
    return finish(ctx, st, err);
}

lb_status act_feedback_review(lb_ctx *ctx, int64_t rating_id, const char *reply, lb_err *err)
{
    lb_status st;
    if ((st = check_text("--reply", reply, LB_LONG_MAX, true, err)) != LB_OK)
        return st;
    if ((st = begin_as_actor(ctx, err)) != LB_OK)
        return st;
    lb_rating *r = malloc(sizeof *r);
    st = r ? rating_get(ctx->db, rating_id, r, err) : lb_fail(err, LB_EDB, "out of memory");
    if (st == LB_OK)
        st = rules_permit(&ctx->actor, ACTION_FEEDBACK_REVIEW, NULL, err);
    if (st == LB_OK)
        st = undo_record(ctx, "review", r->lead_id, rating_id, false, err);
    if (st == LB_OK)
        st = rating_review(ctx->db, rating_id, ctx->actor.id, ctx->now_iso,
                           reply && text_blank(reply) ? "" : reply, err);
    if (st == LB_OK)
        st = audit(ctx, "rating", rating_id, r->lead_id, "review", "reply",
                   r->reply[0] ? r->reply : NULL, reply ? reply : "", "", err);
    free(r);
    return finish(ctx, st, err);
}

/* ---- goals, settings ---- */

/* A whole number from 0 to max. */
static lb_status count_parse(const char *what, const char *s, int64_t max, int64_t *out,
                             lb_err *err)
{
    int64_t v = 0;
    const char *p = s ? s : "";
    if (!*p)
        goto bad;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            goto bad;
        v = v * 10 + (*p - '0');
        if (v > max)
            goto bad;
    }
    *out = v;
    return LB_OK;
bad:
    return lb_fail(err, LB_EINVAL, "invalid %s '%.40s': use a whole number from 0 to %lld", what,
                   s ? s : "", (long long)max);
}

lb_status act_goal_set(lb_ctx *ctx, const char *period, const char *revenue, const char *wins,
                       lb_err *err)
{
    lb_goal g, old;
    lb_time a, b;
    lb_status st;
    bool existed = false;

    memset(&g, 0, sizeof g);
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_GOAL_SET, NULL, err)) != LB_OK)
        return st;
    if ((st = period_parse(period, &a, &b, err)) != LB_OK)
        return st;
    if (!revenue)
        return lb_fail(err, LB_EINVAL, "a goal needs a revenue target: --revenue AMOUNT");
    if ((st = money_parse(revenue, &g.revenue_target, err)) != LB_OK)
        return st;
    if (wins) {
        if ((st = count_parse("--wins", wins, 1000000000, &g.wins_target, err)) != LB_OK)
            return st;
        g.has_wins_target = true;
    }
    snprintf(g.period, sizeof g.period, "%s", period);
    if ((st = ctx_begin_write(ctx, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_GOAL_SET, NULL, err);
    if (st == LB_OK)
        st = goal_upsert(ctx->db, &g, ctx->actor.id, ctx->now_iso, &existed, &old, err);
    if (st == LB_OK) {
        char o[64] = "", n[64], money[32];
        if (existed) {
            money_format(old.revenue_target, money, sizeof money);
            snprintf(o, sizeof o, "%s/%lld", money, (long long)old.wins_target);
        }
        money_format(g.revenue_target, money, sizeof money);
        snprintf(n, sizeof n, "%s/%lld", money, (long long)g.wins_target);
        st = audit(ctx, "goal", 0, 0, "set", g.period, existed ? o : NULL, n, "", err);
    }
    return finish(ctx, st, err);
}

static const struct {
    const char *key;
    int64_t min, max;
} settings_known[] = {
    {"sla.accept_hours", 1, 24 * 365},
    {"sla.first_touch_hours", 1, 24 * 365},
    {"stale_days", 1, 3650},
    {"strict_identity", 0, 1},
    {"undo_minutes", 0, 24 * 60},
    {"wip.accepted", 0, 100000},
    {"wip.contacted", 0, 100000},
    {"wip.qualified", 0, 100000},
    {"wip.proposal", 0, 100000},
};

/* alarm.rejection_rate: a ratio from 0 to 1 with at most two decimals
 * ("0.3", "0.30", "1"), kept as written canonically ("0.30"). */
static lb_status alarm_set(lb_ctx *ctx, const char *key, const char *value, lb_err *err)
{
    const char *p = value ? value : "";
    int whole = 0, frac = 0, digits = 0;
    if (*p >= '0' && *p <= '1' && (p[1] == '\0' || p[1] == '.')) {
        whole = *p++ - '0';
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
                frac = frac * 10 + (*p - '0');
        if (digits == 1)
            frac *= 10;
    } else
        p = "x";
    if (*p != '\0' || (whole == 1 && frac > 0) || (value && value[strlen(value) - 1] == '.'))
        return lb_fail(err, LB_EINVAL,
                       "invalid %s '%.40s': use a ratio from 0 to 1 such as 0.30", key,
                       value ? value : "");
    lb_status st;
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_SETTING_SET, NULL, err)) != LB_OK)
        return st;
    char canon[16], old[64] = "";
    snprintf(canon, sizeof canon, "%d.%02d", whole, frac);
    if ((st = db_begin(ctx->db, err)) != LB_OK)
        return st;
    setting_get(ctx->db, key, old, sizeof old, NULL);
    st = setting_set(ctx->db, key, canon, err);
    if (st == LB_OK)
        st = audit(ctx, "setting", 0, 0, "set", key, old, canon, "", err);
    return finish(ctx, st, err);
}

lb_status act_setting_set(lb_ctx *ctx, const char *key, const char *value, lb_err *err)
{
    lb_status st;
    int64_t v;
    int k = -1;
    if (key && strcmp(key, "alarm.rejection_rate") == 0)
        return alarm_set(ctx, key, value, err);
    for (int i = 0; i < (int)(sizeof settings_known / sizeof settings_known[0]); i++)
        if (key && strcmp(key, settings_known[i].key) == 0)
            k = i;
    if (k < 0)
        return lb_fail(err, LB_EINVAL,
                       "unknown setting '%.40s'; use sla.accept_hours, sla.first_touch_hours, "
                       "stale_days, strict_identity, alarm.rejection_rate, undo_minutes or "
                       "wip.STAGE (accepted, contacted, qualified, proposal; 0: no limit)",
                       key ? key : "");
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_SETTING_SET, NULL, err)) != LB_OK)
        return st;
    if ((st = count_parse(key, value, settings_known[k].max, &v, err)) != LB_OK)
        return st;
    if (v < settings_known[k].min && settings_known[k].min > 0)
        return lb_fail(err, LB_EINVAL, "%s must be at least %lld", key,
                       (long long)settings_known[k].min);
    char canon[32], old[64] = "";
    snprintf(canon, sizeof canon, "%lld", (long long)v);
    if ((st = ctx_begin_write(ctx, err)) != LB_OK)
        return st;
    st = rules_permit(&ctx->actor, ACTION_SETTING_SET, NULL, err);
    setting_get(ctx->db, key, old, sizeof old, NULL);
    if (st == LB_OK)
        st = setting_set(ctx->db, key, canon, err);
    if (st == LB_OK)
        st = audit(ctx, "setting", 0, 0, "set", key, old, canon, "", err);
    return finish(ctx, st, err);
}

/* ---- the write path for the core's other action files ---- */

lb_status actions_begin(lb_ctx *ctx, lb_err *err)
{
    return begin_as_actor(ctx, err);
}

lb_status actions_audit(lb_ctx *ctx, const char *entity, int64_t entity_id, int64_t lead_id,
                        const char *action, const char *field, const char *old_value,
                        const char *new_value, const char *note, lb_err *err)
{
    return audit(ctx, entity, entity_id, lead_id, action, field, old_value, new_value, note, err);
}

lb_status actions_finish(lb_ctx *ctx, lb_status st, lb_err *err)
{
    return finish(ctx, st, err);
}
