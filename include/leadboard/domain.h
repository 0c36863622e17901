/* The product's vocabularies (teams, stages, channels, follow-up kinds and
 * outcomes, feedback reason tags) with their command-line names, and the
 * limits on text fields.  One list per vocabulary, so names never disagree. */
#ifndef LEADBOARD_DOMAIN_H
#define LEADBOARD_DOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/status.h"

typedef enum { TEAM_MARKETING, TEAM_SALES, TEAM_MANAGER, TEAM_COUNT } lb_team;

/* In pipeline order; the first seven are the path the funnel counts. */
typedef enum {
    STAGE_NURTURE,
    STAGE_HANDED_OFF,
    STAGE_ACCEPTED,
    STAGE_CONTACTED,
    STAGE_QUALIFIED,
    STAGE_PROPOSAL,
    STAGE_WON,
    STAGE_LOST,
    STAGE_COUNT
} lb_stage;

typedef enum {
    CHANNEL_EVENT,
    CHANNEL_WEBINAR,
    CHANNEL_EMAIL,
    CHANNEL_PAID,
    CHANNEL_CONTENT,
    CHANNEL_REFERRAL,
    CHANNEL_PARTNER,
    CHANNEL_OUTBOUND,
    CHANNEL_OTHER,
    CHANNEL_COUNT
} lb_channel;

typedef enum { KIND_CALL, KIND_EMAIL, KIND_MEETING, KIND_NOTE, KIND_COUNT } lb_kind;

typedef enum {
    OUTCOME_CONNECTED,
    OUTCOME_VOICEMAIL,
    OUTCOME_NO_ANSWER,
    OUTCOME_MEETING_BOOKED,
    OUTCOME_NOT_INTERESTED,
    OUTCOME_WRONG_CONTACT,
    OUTCOME_COUNT
} lb_outcome;

typedef enum {
    REASON_FIT,
    REASON_BUDGET,
    REASON_AUTHORITY,
    REASON_NEED,
    REASON_TIMING,
    REASON_CONTACT_DATA,
    REASON_DUPLICATE,
    REASON_COUNT
} lb_reason;

/* A vocabulary: its command-line names and what it is called in errors. */
typedef struct lb_vocab {
    const char *what; /* "team", "stage", ... */
    const char *const *names;
    int count;
} lb_vocab;

extern const lb_vocab lb_teams, lb_stages, lb_channels, lb_kinds, lb_outcomes, lb_reasons;

const char *vocab_name(const lb_vocab *v, int value); /* "?" when out of range */
/* Exact, case-sensitive match; -1 when unknown. */
int vocab_find(const lb_vocab *v, const char *name);
/* Like vocab_find, but fails with "unknown WHAT 'x'; use one of: a, b, c". */
lb_status vocab_parse(const lb_vocab *v, const char *name, int *out, lb_err *err);
/* "a, b, c" into buf. */
void vocab_list(const lb_vocab *v, char *buf, size_t n);
/* What people read where the command line's name has an underscore:
 * "no answer", "handed off", "contact data" (the board shows these). */
const char *vocab_label(const lb_vocab *v, int value, char *buf, size_t n);
/* A stored list of names ("fit,contact_data") as people read it ("fit,
 * contact data"): each name's label, ", " between. */
const char *vocab_labels(const lb_vocab *v, const char *names, char *buf, size_t n);

const char *stage_name(lb_stage s);
const char *team_name(lb_team t);

/* Working stages: accepted, contacted, qualified, proposal. */
bool stage_is_working(lb_stage s);
bool stage_is_closed(lb_stage s); /* won, lost */

/* Limits, in characters (code points), said in the error when exceeded. */
#define LB_LOGIN_MAX 32
#define LB_SHORT_MAX 120   /* names, company, title, campaign */
#define LB_EMAIL_MAX 254
#define LB_PHONE_MAX 40
#define LB_LONG_MAX 4000   /* comments, follow-up notes, replies */
#define LB_NOTES_MAX 65536 /* a lead's notes: an email thread pasted in from a CRM */
#define LB_REASON_MAX 500  /* lost / rejection / recycle reason */

/* Byte buffers big enough for a field of N characters of UTF-8. */
#define LB_BUF(nchars) ((nchars) * 4 + 1)
#define LB_TIME_BUF 21 /* "YYYY-MM-DDTHH:MM:SSZ" */
#define LB_PERIOD_BUF 8  /* "YYYY-MM", "YYYY-Qn" */

/* A login is [a-z0-9._-]{1,32}. */
bool login_valid(const char *login);

#endif
