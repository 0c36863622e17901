/* Everything a user can do, as one function each: the permission and
 * pipeline rules, the write and its audit events in one transaction.  The
 * command line and the board are thin layers over these. */
#ifndef LEADBOARD_ACTIONS_H
#define LEADBOARD_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/db.h"
#include "leadboard/model.h"
#include "leadboard/rules.h"
#include "leadboard/text.h"

/* Who is acting, and when. */
typedef struct lb_ctx {
    lb_db *db;
    bool has_actor;
    lb_user actor;
    char wanted[LB_LOGIN_MAX + 32]; /* the login asked for, when not a user */
    char os_login[64];
    lb_time now;
    char now_iso[LB_TIME_BUF];
} lb_ctx;

/* Resolves the acting user: as_login, else $LEADBOARD_USER, else the OS
 * login; a login not in the database leaves has_actor false (only `user add`
 * while there are no users works then).  With the strict_identity setting
 * on, naming anyone but the OS login's own user fails with LB_EPERM unless
 * that user is a manager.  The clock honours LEADBOARD_NOW. */
lb_status ctx_init(lb_ctx *ctx, lb_db *db, const char *as_login, lb_err *err);
/* Switches the acting user (the board's U), under the strict_identity
 * setting's rule: when on, only to the OS login's own user, unless that
 * user is a manager. */
lb_status ctx_switch_user(lb_ctx *ctx, const char *login, lb_err *err);
/* Fails unless there is an acting user, saying how to add one. */
lb_status ctx_require_actor(const lb_ctx *ctx, lb_err *err);
/* Begins the write transaction of an action, and reads the acting user
 * again inside it: still a user, still active, their team as it is now (so
 * a demotion counts at once), and allowed under strict_identity as it is
 * now.  ctx->actor is refreshed; on a refusal (the same messages as the
 * command line gives) nothing is held.  EVERY action that writes starts
 * with this (then checks rules_permit on the refreshed ctx->actor), never
 * with db_begin: a board stays open for hours while rights change. */
lb_status ctx_begin_write(lb_ctx *ctx, lb_err *err);
/* Reads the acting user again outside a write (the board, when the data
 * changed): what a view offers and the checks it makes before a form opens
 * follow a promotion or demotion at once, not only the write itself.
 * ctx->actor takes the user as stored; a user gone or deactivated keeps the
 * old copy (every write refuses them anyway).  LB_OK or the read's error. */
lb_status ctx_refresh_actor(lb_ctx *ctx, lb_err *err);

lb_status act_user_add(lb_ctx *ctx, const char *login, const char *team, const char *name,
                       lb_err *err);

typedef struct lb_campaign_input {
    const char *name;
    const char *channel; /* NULL: other */
    const char *cost;    /* amount text, NULL: 0 */
    const char *start;   /* date text, NULL: none */
    const char *end;
} lb_campaign_input;
lb_status act_campaign_add(lb_ctx *ctx, const lb_campaign_input *in, int64_t *id, lb_err *err);

/* NULL fields are left as they are (edit) or empty (add); "" clears. */
typedef struct lb_lead_input {
    const char *name;
    const char *company;
    const char *title;
    const char *email;
    const char *phone;
    const char *notes;
    const char *campaign; /* campaign name */
    const char *value;    /* amount text */
} lb_lead_input;
lb_status act_lead_add(lb_ctx *ctx, const lb_lead_input *in, int64_t *id, lb_err *err);
/* expect_version: the version the user saw, 0 to skip the check; a lead
 * changed since fails with LB_ECONFLICT "changed by LOGIN at TIME". */
lb_status act_lead_edit(lb_ctx *ctx, int64_t id, const lb_lead_input *in,
                        int64_t expect_version, lb_err *err);

lb_status act_handoff(lb_ctx *ctx, int64_t id, const char *to_login, const char *note,
                      int64_t expect_version, lb_err *err);
lb_status act_accept(lb_ctx *ctx, int64_t id, int64_t expect_version, lb_err *err);
lb_status act_reject(lb_ctx *ctx, int64_t id, const char *reason, int64_t expect_version,
                     lb_err *err);
/* A rejection that carries the rep's rating: stars 0 (none) or 1-5, reason
 * tags as act_rate takes them.  Every rejection, rated or not, is recorded
 * as feedback (kind rejection, its reason as the comment) for marketing. */
lb_status act_reject_rated(lb_ctx *ctx, int64_t id, const char *reason, int stars,
                           const char *const *reasons, int nreasons, int64_t expect_version,
                           lb_err *err);
/* act_move with a date to revisit (only when recycling to nurture; local
 * date text, after now): the lead comes back to its marketer then. */
lb_status act_move_revisit(lb_ctx *ctx, int64_t id, lb_stage to, const char *value,
                           const char *reason, const char *revisit, int64_t expect_version,
                           lb_err *err);
/* The acting user has seen marketing's replies to their feedback. */
lb_status act_feedback_seen(lb_ctx *ctx, int64_t *n, lb_err *err);
/* value: amount text or NULL; reason: text or NULL. */
lb_status act_move(lb_ctx *ctx, int64_t id, lb_stage to, const char *value, const char *reason,
                   int64_t expect_version, lb_err *err);

typedef struct lb_followup_input {
    lb_kind kind;
    lb_outcome outcome;
    const char *note;
    const char *next_step;
    const char *due; /* date text or NULL */
    const char *const *assets; /* names of the assets used with it (collateral.h) */
    int nassets;
} lb_followup_input;
/* *moved_to is the stage the follow-up moved the lead to, or -1. */
lb_status act_log(lb_ctx *ctx, int64_t lead_id, const lb_followup_input *in, int64_t *id,
                  int *moved_to, lb_err *err);

/* reasons: tag names, each may also be "a,b"; duplicates are folded. */
lb_status act_rate(lb_ctx *ctx, int64_t lead_id, int stars, const char *const *reasons,
                   int nreasons, const char *comment, int64_t *id, lb_err *err);
lb_status act_comment(lb_ctx *ctx, int64_t lead_id, const char *text, int64_t *id,
                      lb_err *err);
lb_status act_feedback_review(lb_ctx *ctx, int64_t rating_id, const char *reply, lb_err *err);
/* wins: text or NULL. */
lb_status act_goal_set(lb_ctx *ctx, const char *period, const char *revenue, const char *wins,
                       lb_err *err);
lb_status act_setting_set(lb_ctx *ctx, const char *key, const char *value, lb_err *err);


#endif
