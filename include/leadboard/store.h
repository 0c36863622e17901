/* Stores: the reads and writes of each table, as prepared statements with
 * bound parameters.  They do no permission or pipeline checks (the actions
 * do); writes expect the caller's transaction. */
#ifndef LEADBOARD_STORE_H
#define LEADBOARD_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/db.h"
#include "leadboard/model.h"
#include "leadboard/rules.h"

/* users */
lb_status user_get(lb_db *db, const char *login, lb_user *out, lb_err *err); /* LB_ENOTFOUND */
lb_status user_get_id(lb_db *db, int64_t id, lb_user *out, lb_err *err);
lb_status user_count(lb_db *db, int64_t *n, lb_err *err);
lb_status user_insert(lb_db *db, lb_user *u, lb_err *err); /* sets id */
typedef int (*lb_user_fn)(const lb_user *u, void *ud);    /* non-zero stops */
lb_status user_each(lb_db *db, lb_user_fn fn, void *ud, lb_err *err);

/* campaigns (names match case-insensitively) */
lb_status campaign_get(lb_db *db, const char *name, lb_campaign *out, lb_err *err);
lb_status campaign_insert(lb_db *db, lb_campaign *c, lb_err *err);
typedef int (*lb_campaign_fn)(const lb_campaign *c, void *ud);
lb_status campaign_each(lb_db *db, lb_campaign_fn fn, void *ud, lb_err *err);

/* leads */
lb_status lead_get(lb_db *db, int64_t id, lb_lead *out, lb_err *err); /* LB_ENOTFOUND */
lb_status lead_insert(lb_db *db, lb_lead *l, lb_err *err);            /* sets id, version 1 */
/* Writes every stored field of l where the row still has l->version, and
 * sets l->version to the next one; LB_ECONFLICT when the row moved on. */
lb_status lead_update(lb_db *db, lb_lead *l, lb_err *err);

typedef struct lb_lead_filter {
    bool has_stage;
    lb_stage stage;
    const char *owner;    /* login, NULL: any */
    const char *campaign; /* name, NULL: any */
    const char *search;   /* substring of name, company, email or notes */
    int64_t limit;        /* 0: no limit */
    int64_t after_id;     /* keyset: only ids greater than this */
    int64_t before_id;    /* keyset backwards: ids less than this, newest first */
} lb_lead_filter;
typedef int (*lb_lead_fn)(const lb_lead *l, void *ud);
lb_status lead_each(lb_db *db, const lb_lead_filter *f, lb_lead_fn fn, void *ud, lb_err *err);
/* Leads per stage under the filter's owner, campaign and search (its stage
 * and keyset fields are ignored). */
lb_status lead_count_by_stage(lb_db *db, const lb_lead_filter *f, int64_t counts[STAGE_COUNT],
                              lb_err *err);

/* What the status line tells a user: hand-offs waiting for their acceptance
 * and their leads whose follow-up is overdue (all of them for a manager). */
typedef struct lb_alerts {
    int64_t awaiting_acceptance;
    int64_t followups_overdue;
    int64_t unreviewed_feedback;
    int64_t replies_unseen;    /* a rep: marketing's replies not seen yet */
    int64_t revisit_due;       /* marketing (theirs), managers (all): recycled leads due back */
    int64_t campaigns_alarmed; /* marketing: their campaigns over alarm.rejection_rate */
} lb_alerts;
lb_status lead_alerts(lb_db *db, const lb_user *u, const char *now_iso, lb_alerts *out,
                      lb_err *err);

/* follow-ups, ratings, comments */
lb_status followup_insert(lb_db *db, int64_t lead_id, int64_t user_id, lb_kind kind,
                          lb_outcome outcome, const char *note, const char *next_step,
                          const char *due_at, const char *at, int64_t *id, lb_err *err);
lb_status rating_insert(lb_db *db, int64_t lead_id, int64_t user_id, int stars,
                        const char *reasons, const char *comment, const char *at, int64_t *id,
                        lb_err *err);
/* A rating or a rejection (stars 0: none; the reason in comment). */
lb_status feedback_insert(lb_db *db, int64_t lead_id, int64_t user_id, bool rejection, int stars,
                          const char *reasons, const char *comment, const char *at, int64_t *id,
                          lb_err *err);
/* Replies from marketing to user_id's feedback that the user has not seen,
 * and marking them seen (the count marked in *n, may be NULL). */
lb_status feedback_unseen_replies(lb_db *db, int64_t user_id, int64_t *n, lb_err *err);
/* rating_counts for one rep's own feedback. */
lb_status feedback_counts_user(lb_db *db, int64_t user_id, const char *campaign, int64_t *total,
                               int64_t *unreviewed, lb_err *err);
lb_status feedback_mark_seen(lb_db *db, int64_t user_id, const char *at, int64_t *n, lb_err *err);
lb_status rating_get(lb_db *db, int64_t id, lb_rating *out, lb_err *err);
lb_status rating_review(lb_db *db, int64_t id, int64_t reviewer_id, const char *at,
                        const char *reply, lb_err *err);
typedef struct lb_feedback_filter {
    bool unreviewed_only;
    const char *campaign;
    int64_t limit;  /* 0: all */
    int64_t offset; /* rows to skip (a page of the inbox) */
    int64_t user_id; /* 0: everyone's (marketing's inbox); else that rep's own, newest first */
} lb_feedback_filter;
/* How many ratings match the filter's campaign, and how many of them are
 * not reviewed yet. */
lb_status rating_counts(lb_db *db, const char *campaign, int64_t *total, int64_t *unreviewed,
                        lb_err *err);
/* For each campaign (0: leads without one), how often sales gave each reason
 * tag in its ratings. */
typedef int (*lb_reason_fn)(int64_t campaign_id, const int64_t counts[REASON_COUNT], void *ud);
lb_status rating_reason_counts(lb_db *db, lb_reason_fn fn, void *ud, lb_err *err);
typedef int (*lb_rating_fn)(const lb_rating *r, void *ud);
/* Unreviewed first, then newest first. */
lb_status rating_each(lb_db *db, const lb_feedback_filter *f, lb_rating_fn fn, void *ud,
                      lb_err *err);
lb_status comment_insert(lb_db *db, int64_t lead_id, int64_t user_id, const char *body,
                         const char *at, int64_t *id, lb_err *err);

typedef int (*lb_timeline_fn)(const lb_timeline_entry *e, void *ud);
lb_status timeline_each(lb_db *db, int64_t lead_id, lb_timeline_fn fn, void *ud, lb_err *err);

/* goals and settings */
lb_status goal_upsert(lb_db *db, const lb_goal *g, int64_t user_id, const char *at,
                      bool *existed, lb_goal *old, lb_err *err);
lb_status goal_get(lb_db *db, const char *period, lb_goal *out, lb_err *err);
lb_status setting_get(lb_db *db, const char *key, char *buf, size_t n, lb_err *err);
lb_status setting_set(lb_db *db, const char *key, const char *value, lb_err *err);
/* The SLA settings (sla.accept_hours, sla.first_touch_hours, stale_days),
 * the defaults where unset: what the badges, report sla and the stand-up
 * all count with (rules.h: sla_cuts). */
lb_status sla_load(lb_db *db, lb_sla *sla, lb_err *err);

/* the audit log */
lb_status event_insert(lb_db *db, const char *at, int64_t actor_id, const char *os_login,
                       const lb_event *ev, lb_err *err);
lb_status event_count(lb_db *db, int64_t lead_id, int64_t *n, lb_err *err); /* lead_id 0: all */

#endif
