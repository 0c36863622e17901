/* The reports of doc/product.md section 5 (funnel, campaigns, sla, standup,
 * goals) as rows of numbers, computed in SQL over indexes; both the command
 * line and the board's views draw them.  Also their shared arithmetic. */
#ifndef LEADBOARD_REPORT_H
#define LEADBOARD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/db.h"
#include "leadboard/model.h"
#include "leadboard/text.h"

/* ---- the period ----
 *
 * Times are compared as stored UTC text, so a range is two ISO strings:
 * [since, until).  "" means unbounded on that side.  has_period says whether
 * the report is restricted at all (the funnel and campaigns then switch from
 * the leads' summary columns to the audit log, see below). */
typedef struct lb_report_range {
    bool has_period;
    char since[LB_TIME_BUF]; /* inclusive; "": from the beginning */
    char until[LB_TIME_BUF]; /* exclusive; "": no end */
    lb_time now;             /* the clock (LEADBOARD_NOW): the state "now" */
    char now_iso[LB_TIME_BUF];
} lb_report_range;

/* Builds a range from --since / --until text (NULL: not given), parsed with
 * time_parse; LB_EINVAL names the option and when since is not before until.
 * Dates are read by time_parse_input (local days).
 * Without either, the range is all time, except for the stand-up
 * (standup true): from the start of the previous working day (local; on
 * Monday, Saturday and Sunday that is Friday) up to and including now,
 * i.e. [report_standup_start(now), now + 1s).  A stand-up given only --until covers the 24 hours
 * before it; given only --since, everything from then on. */
lb_time report_standup_start(lb_time now);
lb_status report_range_init(lb_report_range *r, lb_time now, const char *since, const char *until,
                            bool standup, lb_err *err);

/* ---- two-decimal numbers ----
 *
 * Money is integer cents; ratios are kept in hundredths (0.50 is 50,
 * -1.00 is -100), exactly what is shown, so a view can draw a bar without
 * parsing text.  has is false where the denominator is 0 (shown empty). */
typedef struct lb_fixed {
    bool has;
    int64_t v;
} lb_fixed;

/* num * scale / den rounded half away from zero, without overflowing on the
 * way (den > 0). */
int64_t report_div_round(int64_t num, int64_t den, int64_t scale);
/* num / den in hundredths (a ratio); empty when den is 0. */
lb_fixed report_ratio(int64_t num, int64_t den);
/* cents / den in cents (money per something); empty when den is 0. */
lb_fixed report_per(int64_t cents, int64_t den);
/* "0.50", "-1.00", "12500.00" (machine form); "" when empty. */
void report_fixed_format(lb_fixed f, char *buf, size_t n);

/* ---- funnel ----
 *
 * One row per path stage nurture, handed_off, accepted, contacted,
 * qualified, proposal, won.
 * Without a period: reached = leads whose furthest stage ever entered is
 * that stage or a later one (leads.furthest).
 * With a period: the cohort is the leads created in [since, until);
 * reached = cohort leads that entered that stage or a later one at a time
 * before until, read from the audit log (handoff = handed_off, accept =
 * accepted, move = its new stage); nurture counts the whole cohort.  A lead
 * with no stage events at all (imported at a later stage) falls back to
 * leads.furthest when its stage_at is before until.
 * conversion = reached / reached of the previous row (empty for the first
 * row and where the previous is 0). */
#define REPORT_FUNNEL_ROWS 7
typedef struct lb_funnel_row {
    lb_stage stage;
    int64_t reached;
    lb_fixed conversion; /* hundredths */
} lb_funnel_row;
lb_status report_funnel(lb_db *db, const lb_report_range *r, lb_funnel_row rows[REPORT_FUNNEL_ROWS],
                        lb_err *err);

/* ---- campaigns ----
 *
 * One row per campaign, by name, then a row "(none)" for the leads without
 * a campaign, only when there are some (treated as a campaign of no cost
 * and no channel).  leads = the campaign's leads (created in the period
 * when there is one); handed_off / accepted = those that reached
 * handed_off / accepted (with a period: before until, as in the funnel);
 * rejected = those rejected at least once (with a period: a reject before
 * until); avg_rating = mean of leads.stars over the rated ones; won = those
 * in stage won (with a period: closed before until); revenue = the sum of
 * their values; cost_per_lead = cost / leads; cost_per_win = cost / won;
 * roi = (revenue - cost) / cost.  The cost is the campaign's whole cost,
 * never prorated by the period. */
typedef struct lb_campaign_row {
    bool none; /* the "(none)" row */
    int64_t campaign_id;
    char name[LB_BUF(LB_SHORT_MAX)]; /* "(none)" for the none row */
    lb_channel channel;              /* CHANNEL_COUNT for the none row */
    int64_t cost;                    /* cents */
    int64_t leads, handed_off, accepted, rejected;
    int64_t rated, stars_sum;
    lb_fixed avg_rating; /* hundredths of a star */
    int64_t won;
    int64_t revenue;        /* cents */
    lb_fixed cost_per_lead; /* cents */
    lb_fixed cost_per_win;  /* cents */
    lb_fixed roi;           /* hundredths */
} lb_campaign_row;
typedef int (*lb_campaign_row_fn)(const lb_campaign_row *row, void *ud); /* non-zero stops */
lb_status report_campaigns(lb_db *db, const lb_report_range *r, lb_campaign_row_fn fn, void *ud,
                           lb_err *err);

/* ---- sla ----
 *
 * One row per sales user (by login) with at least one hand-off in the period
 * (all time without one) or with overdue leads now.
 * handoffs = 'handoff' events to the rep in the period (a lead rejected and
 * handed off again counts twice); accepted_in_sla = those followed on the
 * same lead by an 'accept' within sla.accept_hours, before any later
 * hand-off of the lead; touched_in_sla = those followed by a follow-up
 * within sla.first_touch_hours, before any later hand-off; overdue_now =
 * leads the rep owns that sla_state() (rules.h) flags at r->now. */
typedef struct lb_sla_row {
    int64_t user_id;
    char owner[LB_LOGIN_MAX + 1];
    int64_t handoffs, accepted_in_sla, touched_in_sla, overdue_now;
} lb_sla_row;
typedef int (*lb_sla_row_fn)(const lb_sla_row *row, void *ud);
lb_status report_sla(lb_db *db, const lb_report_range *r, lb_sla_row_fn fn, void *ud, lb_err *err);

/* ---- standup ----
 *
 * Sections in this order; within one, by the owner's login then lead id.
 * The first three are the state at r->now, whatever the period:
 *   awaiting_acceptance  leads in handed_off        "waiting 26h"
 *   overdue_followup     working, next due passed   "due 2026-11-20"
 *   stale                working, no follow-up (else acceptance, else stage
 *                        change) for stale_days      "no follow-up for 9d"
 *   over_wip             a rep over wip.STAGE (no lead) "7 in proposal, limit 5"
 * the others are what happened in the period:
 *   moved                'move'/'accept' events not to won or lost
 *                                                    "accepted -> contacted"
 *   won                  'move' events to won        the value, "5000.00"
 *   lost                 'move' events to lost       the reason
 *   new_feedback         ratings                     "3/5 fit,timing: comment"
 * owner is the lead's current owner ("" if none). */
typedef enum {
    STANDUP_AWAITING,
    STANDUP_OVERDUE,
    STANDUP_STALE,
    STANDUP_OVER_WIP, /* reps over a wip.STAGE limit (standup_over_wip, collateral.h) */
    STANDUP_REVISIT,  /* recycled leads whose revisit date has come: "revisit 2026-12-02" */
    STANDUP_CALLS,    /* follow-ups logged in the period, owner = who logged it */
    STANDUP_MOVED,
    STANDUP_REJECTED, /* rejections in the period, owner = the rep: "reason (2/5 fit)" */
    STANDUP_WON,
    STANDUP_LOST,
    STANDUP_FEEDBACK,
    STANDUP_SECTION_COUNT
} lb_standup_section;

const char *standup_section_name(lb_standup_section s);

typedef struct lb_standup_row {
    lb_standup_section section;
    int64_t lead_id;
    char lead[LB_BUF(LB_SHORT_MAX)];
    char owner[LB_LOGIN_MAX + 1];
    char marketer[LB_LOGIN_MAX + 1]; /* for walking the stand-up person by person */
    char at[LB_TIME_BUF];            /* handed off, due, last touch, event or rating time */
    lb_time age;                     /* awaiting, stale: seconds from `at` to now */
    lb_stage from, to;               /* moved, won, lost */
    bool has_value;
    int64_t value;                  /* won: the lead's value, cents */
    int stars;                      /* new_feedback */
    char reasons[128];              /* new_feedback: "fit,timing" */
    char text[LB_BUF(LB_LONG_MAX)]; /* lost: the reason; new_feedback: the comment */
    char detail[LB_BUF(LB_LONG_MAX) + 192];
} lb_standup_row;
typedef int (*lb_standup_row_fn)(const lb_standup_row *row, void *ud);
lb_status report_standup(lb_db *db, const lb_report_range *r, lb_standup_row_fn fn, void *ud,
                         lb_err *err);
/* Fills row->detail from the row's other fields (used by report_standup):
 * money as a plain number, as csv, tsv and json show it. */
void standup_detail_format(lb_standup_row *row);
/* The detail as people read it (human: money grouped, "15,000.00", as the
 * board and the table format show money everywhere else). */
void standup_detail_text(const lb_standup_row *row, bool human, char *buf, size_t n);

/* ---- speed (speed to lead) ----
 *
 * Per sales rep (by login) with hand-offs in the period (all time without
 * one), as in sla: each 'handoff' event to the rep, and the time from it to
 * the lead's first follow-up after it and before the lead's next hand-off.
 * touched = hand-offs with such a follow-up; the buckets split all the
 * hand-offs: within_5m (at most 5 minutes), within_1h (more than 5 minutes,
 * at most an hour), within_24h (more than an hour, at most a day), later,
 * never (no follow-up yet); median_minutes = the median of the touched
 * ones' times (the mean of the two middle ones for an even count), in
 * whole minutes rounded half up, empty when none was touched.  A last row
 * `all` (all = true) covers every hand-off. */
typedef struct lb_speed_row {
    bool all;
    char owner[LB_LOGIN_MAX + 1]; /* "all" for the last row */
    int64_t handoffs, touched;
    bool has_median;
    int64_t median_minutes;
    int64_t within_5m, within_1h, within_24h, later, never;
} lb_speed_row;
typedef int (*lb_speed_row_fn)(const lb_speed_row *row, void *ud);
lb_status report_speed(lb_db *db, const lb_report_range *r, lb_speed_row_fn fn, void *ud,
                       lb_err *err);
/* The median of n seconds (sorted ascending) in whole minutes, as above. */
int64_t report_median_minutes(const int64_t *secs, size_t n);

/* ---- marketers ----
 *
 * Per marketer (the user who created the leads, by login) over the leads
 * created in the period: leads; handed_off / accepted = those that ever
 * reached handed_off / accepted (leads.furthest); rejected = those
 * rejected at least once; rejection_rate = rejected / handed_off;
 * avg_rating = mean of the rated ones' latest stars; won = those in stage
 * won; revenue = the sum of their values.  Leads without a marketer are
 * left out. */
typedef struct lb_marketer_row {
    char marketer[LB_LOGIN_MAX + 1];
    int64_t leads, handed_off, accepted, rejected;
    lb_fixed rejection_rate; /* hundredths */
    int64_t rated, stars_sum;
    lb_fixed avg_rating; /* hundredths of a star */
    int64_t won, revenue;
} lb_marketer_row;
typedef int (*lb_marketer_row_fn)(const lb_marketer_row *row, void *ud);
lb_status report_marketers(lb_db *db, const lb_report_range *r, lb_marketer_row_fn fn, void *ud,
                           lb_err *err);
/* The alarm.rejection_rate setting in hundredths (default 30), and whether
 * a rate passes it. */
int64_t report_rejection_alarm(lb_db *db);
bool report_rejection_alarmed(lb_fixed rate, int64_t alarm);

/* ---- goals ----
 *
 * One row per goal, in period order: by the period's end, the shorter first
 * (2026-10, 2026-11, 2026-12, 2026-Q4, 2027-01); with a range, the goals
 * whose period overlaps it.
 * revenue_won / wins = the value sum / count of leads in stage won whose
 * closed_at is inside the goal's period [start, end). */
typedef struct lb_goal_row {
    char period[LB_PERIOD_BUF];
    lb_time start, end;
    int64_t revenue_target, revenue_won; /* cents */
    bool has_wins_target;
    int64_t wins_target, wins;
} lb_goal_row;
typedef int (*lb_goal_row_fn)(const lb_goal_row *row, void *ud);
lb_status report_goals(lb_db *db, const lb_report_range *r, lb_goal_row_fn fn, void *ud,
                       lb_err *err);

#endif
