/* The records the stores read and write, as plain structs with fixed
 * buffers (no ownership to track).  Times are ISO text as stored, "" when
 * unset; people are carried both as ids and logins. */
#ifndef LEADBOARD_MODEL_H
#define LEADBOARD_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "leadboard/domain.h"

typedef struct lb_user {
    int64_t id;
    char login[LB_LOGIN_MAX + 1];
    char name[LB_BUF(LB_SHORT_MAX)];
    lb_team team;
    bool active;
    char created_at[LB_TIME_BUF];
} lb_user;

typedef struct lb_campaign {
    int64_t id;
    char name[LB_BUF(LB_SHORT_MAX)];
    lb_channel channel;
    int64_t cost; /* cents */
    char start_date[LB_TIME_BUF];
    char end_date[LB_TIME_BUF];
    char created_at[LB_TIME_BUF];
} lb_campaign;

typedef struct lb_lead {
    int64_t id;
    char name[LB_BUF(LB_SHORT_MAX)];
    char company[LB_BUF(LB_SHORT_MAX)];
    char title[LB_BUF(LB_SHORT_MAX)];
    char email[LB_BUF(LB_EMAIL_MAX)];
    char phone[LB_BUF(LB_PHONE_MAX)];
    char notes[LB_BUF(LB_NOTES_MAX)];
    int64_t campaign_id; /* 0: none */
    char campaign[LB_BUF(LB_SHORT_MAX)];
    bool has_value;
    int64_t value; /* cents */
    int64_t marketer_id; /* 0: none */
    char marketer[LB_LOGIN_MAX + 1];
    int64_t owner_id; /* 0: none */
    char owner[LB_LOGIN_MAX + 1];
    lb_stage stage;
    char reason[LB_BUF(LB_REASON_MAX)];
    char created_at[LB_TIME_BUF];
    char stage_at[LB_TIME_BUF];
    char handed_off_at[LB_TIME_BUF];
    char accepted_at[LB_TIME_BUF];
    char first_touch_at[LB_TIME_BUF];
    char last_touch_at[LB_TIME_BUF];
    char next_due_at[LB_TIME_BUF];
    char closed_at[LB_TIME_BUF];
    int furthest; /* rank of the furthest path stage entered (lb_stage order) */
    int rejections;
    int stars; /* latest rating, 0: none */
    int64_t version;
    char updated_at[LB_TIME_BUF];
    char updated_by[LB_LOGIN_MAX + 1];
    int64_t updated_by_id; /* written by lead_insert / lead_update */
    char revisit_at[LB_TIME_BUF]; /* recycled: when it comes back to its marketer */
} lb_lead;

typedef struct lb_followup {
    int64_t id;
    int64_t lead_id;
    char user[LB_LOGIN_MAX + 1];
    lb_kind kind;
    lb_outcome outcome;
    char note[LB_BUF(LB_LONG_MAX)];
    char next_step[LB_BUF(LB_LONG_MAX)];
    char due_at[LB_TIME_BUF];
    char created_at[LB_TIME_BUF];
} lb_followup;

typedef struct lb_rating {
    int64_t id;
    int64_t lead_id;
    char lead_name[LB_BUF(LB_SHORT_MAX)];
    char campaign[LB_BUF(LB_SHORT_MAX)];
    char user[LB_LOGIN_MAX + 1];
    int stars;
    char reasons[128]; /* "fit,budget" */
    char comment[LB_BUF(LB_LONG_MAX)];
    char created_at[LB_TIME_BUF];
    char reviewed_by[LB_LOGIN_MAX + 1];
    char reviewed_at[LB_TIME_BUF];
    char reply[LB_BUF(LB_LONG_MAX)];
    bool rejection;   /* a rejection (its reason in comment; stars 0 when none) */
    bool reply_unseen; /* a reply the rep has not seen yet */
} lb_rating;

/* One entry of a lead's timeline: an audit event, a follow-up, a rating or a
 * comment, in time order. */
typedef struct lb_timeline_entry {
    char at[LB_TIME_BUF];
    char type[16]; /* the event's action: "create", "handoff", "log", "rate", "comment", ... */
    char user[LB_LOGIN_MAX + 1];
    char detail[LB_BUF(LB_LONG_MAX) + 512];
} lb_timeline_entry;

typedef struct lb_event {
    const char *entity; /* "lead", "user", "campaign", "rating", "goal", "setting" */
    int64_t entity_id;
    int64_t lead_id; /* 0: not about a lead */
    const char *action;
    const char *field;
    const char *old_value; /* NULL: none */
    const char *new_value;
    const char *note;
} lb_event;

typedef struct lb_goal {
    char period[LB_PERIOD_BUF];
    int64_t revenue_target;
    bool has_wins_target;
    int64_t wins_target;
} lb_goal;

#endif
