/* Collateral (marketing's assets and which follow-ups used them), undo of a
 * user's own last change, and limits on work in progress per rep: the
 * rules, in the core, for the command line and the board alike. */
#ifndef LEADBOARD_COLLATERAL_H
#define LEADBOARD_COLLATERAL_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/actions.h"
#include "leadboard/report.h"

/* ---- assets ---- */

typedef enum {
    ASSET_DECK,
    ASSET_CASE_STUDY,
    ASSET_ONE_PAGER,
    ASSET_VIDEO,
    ASSET_PRICING,
    ASSET_DEMO,
    ASSET_OTHER,
    ASSET_KIND_COUNT
} lb_asset_kind;
extern const lb_vocab lb_asset_kinds;

#define LB_URL_MAX 2000

typedef struct lb_asset {
    int64_t id;
    char name[LB_BUF(LB_SHORT_MAX)];
    lb_asset_kind kind;
    char url[LB_BUF(LB_URL_MAX)];
    int64_t campaign_id; /* 0: none */
    char campaign[LB_BUF(LB_SHORT_MAX)];
    char added_by[LB_LOGIN_MAX + 1];
    char created_at[LB_TIME_BUF];
    /* what the report says of it: follow-ups it was used on, distinct
     * leads, those leads now won / lost, the last use */
    int64_t used, leads, won, lost;
    char last_used[LB_TIME_BUF];
} lb_asset;

typedef struct lb_asset_input {
    const char *name;
    const char *kind;     /* NULL: other */
    const char *url;      /* NULL: none */
    const char *campaign; /* campaign name, NULL: none */
} lb_asset_input;
/* Marketing and managers. */
lb_status act_asset_add(lb_ctx *ctx, const lb_asset_input *in, int64_t *id, lb_err *err);

/* Stores (src/db): plain reads and writes, no rules; writes expect the
 * caller's transaction.  asset_get matches the name case-insensitively. */
lb_status asset_get(lb_db *db, const char *name, lb_asset *out, lb_err *err); /* LB_ENOTFOUND */
lb_status asset_get_id(lb_db *db, int64_t id, lb_asset *out, lb_err *err);
lb_status asset_insert(lb_db *db, lb_asset *a, int64_t user_id, lb_err *err); /* sets id */
typedef int (*lb_asset_fn)(const lb_asset *a, void *ud); /* non-zero stops */
/* By name; first_campaign (not 0): that campaign's assets first. */
lb_status asset_each(lb_db *db, int64_t first_campaign, lb_asset_fn fn, void *ud, lb_err *err);
/* Records that follow-up followup_id (on lead_id, at `at`) used these
 * assets (ids, no repeats). */
lb_status asset_uses_add(lb_db *db, int64_t followup_id, int64_t lead_id, const int64_t *ids,
                         int n, const char *at, lb_err *err);
/* The leads an asset was used on (live uses), the most recent use first. */
typedef struct lb_asset_lead {
    int64_t lead_id;
    char name[LB_BUF(LB_SHORT_MAX)];
    char company[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    lb_stage stage;
    int64_t uses;
    char last_at[LB_TIME_BUF];
} lb_asset_lead;
typedef int (*lb_asset_lead_fn)(const lb_asset_lead *l, void *ud);
lb_status asset_leads_each(lb_db *db, int64_t asset_id, int64_t limit, lb_asset_lead_fn fn,
                           void *ud, lb_err *err);

/* ---- the assets report ----
 *
 * One row per asset, the most used first (then by name): used = live
 * follow-ups it was used on, leads = distinct leads, won / lost = those
 * leads now won / lost, win_rate = won / (won + lost), last_used.  With a
 * period, only the uses in it count (the leads' stage is today's).  An
 * undone follow-up's uses do not count. */
typedef struct lb_asset_row {
    lb_asset a;
    lb_fixed win_rate; /* hundredths */
} lb_asset_row;
typedef int (*lb_asset_row_fn)(const lb_asset_row *row, void *ud);
lb_status report_assets(lb_db *db, const lb_report_range *r, lb_asset_row_fn fn, void *ud,
                        lb_err *err);
/* How many assets there are and how many were never used (live uses, all
 * time). */
lb_status asset_unused_count(lb_db *db, int64_t *total, int64_t *unused, lb_err *err);

/* ---- undo ----
 *
 * Takes back the acting user's own most recent change (hand-off, accept,
 * reject, move, follow-up, rating, comment, lead edit, feedback review) if
 * it is at most undo_minutes old and nobody changed that lead since.  The
 * lead is put back as it was; a follow-up, rating or comment it made is
 * marked undone (it stays, out of the reports); a review is withdrawn.
 * what: "move of lead 12 (Ann Lee) from proposal to won".  Refusals:
 * LB_ENOTFOUND nothing to undo, LB_ETRANSITION too old, LB_ECONFLICT
 * changed since by LOGIN. */
lb_status act_undo(lb_ctx *ctx, char *what, size_t n, lb_err *err);

/* Records, inside the action's transaction and before it writes the lead,
 * that the acting user makes a change of this kind to a lead:
 * the lead as it is now is kept to put back.  entity_id: the follow-up,
 * rating or comment made, or the rating reviewed (its review is kept);
 * bumps: whether the change writes the lead (its version moves on). */
lb_status undo_record(lb_ctx *ctx, const char *kind, int64_t lead_id, int64_t entity_id,
                      bool bumps, lb_err *err);
/* Inside act_log's transaction: the assets (names) follow-up fid used. */
lb_status log_assets(lb_ctx *ctx, int64_t fid, int64_t lead_id, const char *const *names, int n,
                     lb_err *err);

/* The stores behind undo (src/db/store_undo.c). */
typedef struct lb_change {
    int64_t id, user_id, lead_id, entity_id;
    char kind[16];
    char at[LB_TIME_BUF];
    int64_t version_after;
    lb_stage before_stage; /* the lead before the change */
    char before_owner[LB_LOGIN_MAX + 1];
} lb_change;
lb_status change_insert(lb_db *db, int64_t user_id, const char *kind, int64_t lead_id,
                        int64_t entity_id, const char *at, bool bumps, lb_err *err);
/* The user's latest change not yet undone; LB_ENOTFOUND when none. */
lb_status change_last(lb_db *db, int64_t user_id, lb_change *out, lb_err *err);
/* Someone's later live change of the same lead: *found, with who and when. */
lb_status change_later(lb_db *db, const lb_change *c, bool *found, char *login, size_t n,
                       char *at, lb_err *err);
/* The version the lead should be at if nothing but c and undos since
 * touched it. */
lb_status change_expected_version(lb_db *db, const lb_change *c, int64_t *version, lb_err *err);
/* Puts the lead back as it was before c, as a new version by user_id. */
lb_status change_restore_lead(lb_db *db, const lb_change *c, int64_t user_id, const char *at,
                              lb_err *err);
/* Marks what c made undone (follow-up, rating, comment) or withdraws its
 * review, then c itself (with the lead's version after the undo). */
lb_status change_take_back(lb_db *db, const lb_change *c, int64_t user_id, const char *at,
                           int64_t version_now, lb_err *err);

/* ---- work in progress ----
 *
 * wip.STAGE (a working stage): the most leads one rep should hold there;
 * 0 or unset: no limit. */
int64_t wip_limit(lb_db *db, lb_stage stage);
/* The reps over the limit of a stage, with how many they hold there. */
typedef struct lb_wip_over {
    int64_t user_id;
    char login[LB_LOGIN_MAX + 1];
    int64_t held, limit;
} lb_wip_over;
typedef int (*lb_wip_fn)(lb_stage stage, const lb_wip_over *o, void *ud);
/* Every working stage with a limit, the reps over it, by login. */
lb_status wip_over_each(lb_db *db, lb_wip_fn fn, void *ud, lb_err *err);
/* How many reps are over the limit in each stage (0 where none or no
 * limit): what a column header says. */
lb_status wip_over_counts(lb_db *db, int64_t counts[STAGE_COUNT], lb_err *err);
/* Whether a hand-off to this rep would take them over wip.accepted:
 * *over true, with what they hold and the limit. */
lb_status wip_handoff_check(lb_db *db, int64_t user_id, bool *over, int64_t *held,
                            int64_t *limit, lb_err *err);
/* A warning line for a hand-off to login, "" when none: "bob already holds
 * 5 accepted leads (wip.accepted is 5)". */
lb_status wip_handoff_warning(lb_db *db, const char *login, char *buf, size_t n, lb_err *err);

/* The stand-up's over_wip section: one row per rep and stage over a limit
 * (by stage, then login), lead 0, detail "7 in proposal, limit 5"; *stop
 * when fn returns non-zero; row is the caller's buffer. */
lb_status standup_over_wip(lb_db *db, lb_standup_row *row, lb_standup_row_fn fn, void *ud,
                           bool *stop, lb_err *err);

#endif
