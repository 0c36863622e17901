/* Assets, undo and work-in-progress rules (collateral.h); the writes go
 * through actions.c's transaction path (actions_internal.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions_internal.h"
#include "leadboard/collateral.h"
#include "leadboard/store.h"

static const char *const asset_kind_names[] = {"deck",    "case_study", "one_pager", "video",
                                               "pricing", "demo",       "other"};
_Static_assert(sizeof asset_kind_names / sizeof asset_kind_names[0] == ASSET_KIND_COUNT,
               "asset kinds");
const lb_vocab lb_asset_kinds = {"asset kind", asset_kind_names, ASSET_KIND_COUNT};

/* ---- assets ---- */

static lb_status may_add_assets(const lb_user *u, lb_err *err)
{
    if (u->team == TEAM_MARKETING || u->team == TEAM_MANAGER)
        return LB_OK;
    return lb_fail(err, LB_EPERM,
                   "permission denied: only marketing and managers add assets (%s is in %s)",
                   u->login, team_name(u->team));
}

lb_status act_asset_add(lb_ctx *ctx, const lb_asset_input *in, int64_t *id, lb_err *err)
{
    lb_status st;
    int kind = ASSET_OTHER;
    lb_asset *a = calloc(1, sizeof *a);
    if (!a)
        return lb_fail(err, LB_EDB, "out of memory");
    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = may_add_assets(&ctx->actor, err)) != LB_OK)
        goto out;
    if (text_blank(in->name)) {
        st = lb_fail(err, LB_EINVAL, "an asset needs a name: leadboard asset add NAME");
        goto out;
    }
    if ((st = text_check("asset name", in->name, LB_SHORT_MAX, false, err)) != LB_OK ||
        (in->url && (st = text_check("--url", in->url, LB_URL_MAX, false, err)) != LB_OK) ||
        (in->kind && (st = vocab_parse(&lb_asset_kinds, in->kind, &kind, err)) != LB_OK))
        goto out;
    snprintf(a->name, sizeof a->name, "%s", in->name);
    snprintf(a->url, sizeof a->url, "%s", in->url ? in->url : "");
    a->kind = (lb_asset_kind)kind;
    snprintf(a->created_at, sizeof a->created_at, "%s", ctx->now_iso);

    if ((st = actions_begin(ctx, err)) != LB_OK)
        goto out;
    st = may_add_assets(&ctx->actor, err);
    lb_campaign c;
    if (st == LB_OK && in->campaign && *in->campaign &&
        (st = campaign_get(ctx->db, in->campaign, &c, err)) == LB_OK)
        a->campaign_id = c.id;
    lb_asset *old = malloc(sizeof *old);
    if (st == LB_OK && !old)
        st = lb_fail(err, LB_EDB, "out of memory");
    if (st == LB_OK && asset_get(ctx->db, a->name, old, NULL) == LB_OK)
        st = lb_fail(err, LB_EINVAL, "asset '%s' already exists; see 'leadboard asset list'",
                     old->name);
    free(old);
    if (st == LB_OK)
        st = asset_insert(ctx->db, a, ctx->actor.id, err);
    if (st == LB_OK)
        st = actions_audit(ctx, "asset", a->id, 0, "create", "kind", NULL,
                           vocab_name(&lb_asset_kinds, (int)a->kind), a->name, err);
    if (st == LB_OK && id)
        *id = a->id;
    st = actions_finish(ctx, st, err);
out:
    free(a);
    return st;
}

lb_status log_assets(lb_ctx *ctx, int64_t fid, int64_t lead_id, const char *const *names, int n,
                     lb_err *err)
{
    if (n <= 0)
        return LB_OK;
    int64_t *ids = calloc((size_t)n, sizeof *ids);
    lb_asset *a = malloc(sizeof *a);
    char *list = calloc(1, 1024);
    int k = 0;
    lb_status st = ids && a && list ? LB_OK : lb_fail(err, LB_EDB, "out of memory");
    for (int i = 0; st == LB_OK && i < n; i++) {
        if (text_blank(names[i])) {
            st = lb_fail(err, LB_EINVAL, "--used needs an asset's name; see 'leadboard asset list'");
            break;
        }
        if ((st = asset_get(ctx->db, names[i], a, err)) != LB_OK)
            break;
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen = seen || ids[j] == a->id;
        if (seen)
            continue;
        ids[k++] = a->id;
        size_t used = strlen(list);
        snprintf(list + used, 1024 - used, "%s%s", used ? ", " : "", a->name);
    }
    if (st == LB_OK)
        st = asset_uses_add(ctx->db, fid, lead_id, ids, k, ctx->now_iso, err);
    if (st == LB_OK)
        st = actions_audit(ctx, "followup", fid, lead_id, "use", "assets", NULL, list, "", err);
    free(ids);
    free(a);
    free(list);
    return st;
}

/* ---- undo ---- */

lb_status undo_record(lb_ctx *ctx, const char *kind, int64_t lead_id, int64_t entity_id,
                      bool bumps, lb_err *err)
{
    return change_insert(ctx->db, ctx->actor.id, kind, lead_id, entity_id, ctx->now_iso, bumps,
                         err);
}

static int64_t undo_minutes(lb_db *db)
{
    char buf[32] = "";
    if (setting_get(db, "undo_minutes", buf, sizeof buf, NULL) != LB_OK || !buf[0])
        return 15;
    return atoll(buf) >= 0 ? atoll(buf) : 15;
}

/* "move of lead 12 (Ann Lee) from proposal to won": c as it was made,
 * before the lead (now l) is put back. */
static void describe(const lb_change *c, const lb_lead *l, char *buf, size_t n)
{
    char who[LB_BUF(LB_SHORT_MAX) + 32];
    snprintf(who, sizeof who, "lead %lld (%s)", (long long)l->id, l->name);
    if (!strcmp(c->kind, "handoff"))
        snprintf(buf, n, "hand-off of %s to %s", who, l->owner[0] ? l->owner : "?");
    else if (!strcmp(c->kind, "accept"))
        snprintf(buf, n, "acceptance of %s", who);
    else if (!strcmp(c->kind, "reject"))
        snprintf(buf, n, "rejection of %s (back to %s)", who,
                 c->before_owner[0] ? c->before_owner : "handed_off");
    else if (!strcmp(c->kind, "move"))
        snprintf(buf, n, "move of %s from %s to %s", who, stage_name(c->before_stage),
                 stage_name(l->stage));
    else if (!strcmp(c->kind, "log"))
        snprintf(buf, n, "follow-up %lld on %s", (long long)c->entity_id, who);
    else if (!strcmp(c->kind, "rate"))
        snprintf(buf, n, "rating %lld of %s", (long long)c->entity_id, who);
    else if (!strcmp(c->kind, "comment"))
        snprintf(buf, n, "comment %lld on %s", (long long)c->entity_id, who);
    else if (!strcmp(c->kind, "edit"))
        snprintf(buf, n, "edit of %s", who);
    else if (!strcmp(c->kind, "review"))
        snprintf(buf, n, "review of feedback %lld on %s", (long long)c->entity_id, who);
    else
        snprintf(buf, n, "%s of %s", c->kind, who);
}

static bool kind_writes_lead(const char *kind)
{
    return strcmp(kind, "comment") != 0 && strcmp(kind, "review") != 0;
}

lb_status act_undo(lb_ctx *ctx, char *what, size_t n, lb_err *err)
{
    lb_status st;
    lb_change c;
    lb_err inner;
    char desc[LB_BUF(LB_SHORT_MAX) + 160];
    if (n)
        what[0] = '\0';
    lb_lead *l = malloc(sizeof *l);
    if (!l)
        return lb_fail(err, LB_EDB, "out of memory");
    if ((st = actions_begin(ctx, err)) != LB_OK) {
        free(l);
        return st;
    }
    st = change_last(ctx->db, ctx->actor.id, &c, &inner);
    if (st == LB_ENOTFOUND)
        st = lb_fail(err, LB_ENOTFOUND, "nothing to undo: %s has no change to take back",
                     ctx->actor.login);
    else if (st != LB_OK)
        st = lb_fail(err, st, "%s", inner.msg);
    if (st == LB_OK)
        st = lead_get(ctx->db, c.lead_id, l, err);
    if (st == LB_OK)
        describe(&c, l, desc, sizeof desc);

    lb_time at;
    int64_t minutes = undo_minutes(ctx->db);
    if (st == LB_OK && time_parse(c.at, &at, NULL) == LB_OK && ctx->now - at > minutes * 60) {
        char local[64];
        time_format_human(at, local, sizeof local);
        st = lb_fail(err, LB_ETRANSITION,
                     "too old to undo: your last change (%s, at %s) is over %lld minutes old "
                     "(undo_minutes)",
                     desc, local, (long long)minutes);
    }
    bool later = false;
    char login[LB_LOGIN_MAX + 1] = "", when[LB_TIME_BUF] = "";
    if (st == LB_OK)
        st = change_later(ctx->db, &c, &later, login, sizeof login, when, err);
    int64_t expect = 0;
    if (st == LB_OK && !later)
        st = change_expected_version(ctx->db, &c, &expect, err);
    if (st == LB_OK && !later && kind_writes_lead(c.kind) && l->version != expect) {
        later = true;
        snprintf(login, sizeof login, "%s", l->updated_by[0] ? l->updated_by : "someone");
        snprintf(when, sizeof when, "%s", l->updated_at);
    }
    if (st == LB_OK && later) {
        char local[64];
        time_stored_human(when, local, sizeof local);
        st = lb_fail(err, LB_ECONFLICT, "cannot undo the %s: the lead was changed since by %s at %s",
                     desc, login, local);
    }

    /* Put back: the lead as it was, then what the change made. */
    if (st == LB_OK && kind_writes_lead(c.kind))
        st = change_restore_lead(ctx->db, &c, ctx->actor.id, ctx->now_iso, err);
    int64_t version = l->version;
    if (st == LB_OK && kind_writes_lead(c.kind))
        version++;
    if (st == LB_OK)
        st = change_take_back(ctx->db, &c, ctx->actor.id, ctx->now_iso, version, err);
    if (st == LB_OK) {
        lb_lead *now = malloc(sizeof *now);
        const char *before = stage_name(l->stage), *after = before;
        if (now && kind_writes_lead(c.kind) && lead_get(ctx->db, c.lead_id, now, NULL) == LB_OK)
            after = stage_name(now->stage);
        st = actions_audit(ctx, "lead", c.lead_id, c.lead_id, "undo", c.kind, before, after, desc,
                           err);
        free(now);
    }
    if (st == LB_OK)
        snprintf(what, n, "%s", desc);
    free(l);
    return actions_finish(ctx, st, err);
}
