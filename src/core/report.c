#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "leadboard/report.h"

lb_time report_standup_start(lb_time now)
{
    int y, m, d, wday;
    time_local_civil(now, &y, &m, &d, &wday);
    /* Back to the previous working day: Monday, Sunday and Saturday go back
     * to Friday. */
    int back = wday == 1 ? 3 : wday == 0 ? 2 : wday == 6 ? 1 : 1;
    return time_local_midnight(y, m, d - back);
}

lb_status report_range_init(lb_report_range *r, lb_time now, const char *since, const char *until,
                            bool standup, lb_err *err)
{
    lb_time a = 0, b = 0;
    lb_err inner;

    memset(r, 0, sizeof *r);
    r->now = now;
    time_format(now, r->now_iso);
    if (since && time_parse_input(since, now, false, &a, &inner) != LB_OK)
        return lb_fail(err, LB_EINVAL, "--since: %s", inner.msg);
    if (until && time_parse_input(until, now, false, &b, &inner) != LB_OK)
        return lb_fail(err, LB_EINVAL, "--until: %s", inner.msg);
    if (since && until && a >= b)
        return lb_fail(err, LB_EINVAL, "--since %s is not before --until %s", since, until);
    if (standup && !since) {
        if (until) {
            a = b - 86400;
        } else {
            /* "Up to now" includes now: what was done a moment ago at the
             * same LEADBOARD_NOW belongs in the stand-up. */
            a = report_standup_start(now);
            b = now + 1;
        }
        since = until = ""; /* both bounds are set now */
    }
    if (since) {
        r->has_period = true;
        time_format(a, r->since);
    }
    if (until) {
        r->has_period = true;
        time_format(b, r->until);
    }
    return LB_OK;
}

/* Positive num only: the caller handles the sign. */
static int64_t div_round_pos(int64_t num, int64_t den, int64_t scale)
{
    int64_t q = num / den, rem = num % den;
    /* rem < den, and den is a count or an amount of cents, so rem * scale
     * stays far from overflowing where num * scale might not. */
    int64_t t = rem * scale;
    int64_t frac = t / den, left = t % den;
    if (left >= den - left)
        frac++;
    if (q > (INT64_MAX - frac) / scale)
        return INT64_MAX;
    return q * scale + frac;
}

int64_t report_div_round(int64_t num, int64_t den, int64_t scale)
{
    if (den <= 0)
        return 0;
    if (num < 0)
        return num == INT64_MIN ? INT64_MIN : -div_round_pos(-num, den, scale);
    return div_round_pos(num, den, scale);
}

lb_fixed report_ratio(int64_t num, int64_t den)
{
    lb_fixed f = {den > 0, den > 0 ? report_div_round(num, den, 100) : 0};
    return f;
}

lb_fixed report_per(int64_t cents, int64_t den)
{
    lb_fixed f = {den > 0, den > 0 ? report_div_round(cents, den, 1) : 0};
    return f;
}

void report_fixed_format(lb_fixed f, char *buf, size_t n)
{
    if (n == 0)
        return;
    if (!f.has) {
        buf[0] = '\0';
        return;
    }
    uint64_t a = f.v < 0 ? (uint64_t)0 - (uint64_t)f.v : (uint64_t)f.v;
    snprintf(buf, n, "%s%" PRIu64 ".%02u", f.v < 0 ? "-" : "", a / 100, (unsigned)(a % 100));
}

static const char *const section_names[] = {
    "awaiting_acceptance", "overdue_followup", "stale",  "over_wip", "revisit_due", "calls",
    "moved",               "rejected",         "won",    "lost",     "new_feedback",
};
_Static_assert(sizeof section_names / sizeof section_names[0] == STANDUP_SECTION_COUNT,
               "standup sections");

const char *standup_section_name(lb_standup_section s)
{
    return (int)s >= 0 && s < STANDUP_SECTION_COUNT ? section_names[s] : "?";
}

/* What the row's reasons field says, for people: a call's "kind outcome"
 * and the reason tags by their labels ("call no answer", "fit, contact
 * data"). */
static void human_reasons(const lb_standup_row *row, char *buf, size_t n)
{
    if (row->section != STANDUP_CALLS) {
        vocab_labels(&lb_reasons, row->reasons, buf, n);
        return;
    }
    char kind[32] = "", outcome[64] = "", k1[32], o1[64];
    const char *space = strchr(row->reasons, ' ');
    snprintf(kind, sizeof kind, "%.*s", space ? (int)(space - row->reasons) : 31, row->reasons);
    snprintf(outcome, sizeof outcome, "%s", space ? space + 1 : "");
    int k = vocab_find(&lb_kinds, kind), o = vocab_find(&lb_outcomes, outcome);
    snprintf(buf, n, "%s%s%s", k >= 0 ? vocab_label(&lb_kinds, k, k1, sizeof k1) : kind,
             outcome[0] ? " " : "", o >= 0 ? vocab_label(&lb_outcomes, o, o1, sizeof o1) : outcome);
}

void standup_detail_text(const lb_standup_row *row, bool human, char *buf, size_t n)
{
    char age[32], money[32], reasons_buf[sizeof row->reasons * 2];
    const char *reasons = row->reasons;
    if (human) {
        human_reasons(row, reasons_buf, sizeof reasons_buf);
        reasons = reasons_buf;
    }

    switch (row->section) {
    case STANDUP_AWAITING:
        time_format_age(row->age, age, sizeof age);
        snprintf(buf, n, "waiting %s", age);
        break;
    case STANDUP_OVERDUE:
        { /* the local day it was due on, as it was entered */
            lb_time t;
            char day[16];
            if (time_parse(row->at, &t, NULL) == LB_OK)
                time_format_local_date(t, day, sizeof day);
            else
                snprintf(day, sizeof day, "%.10s", row->at);
            snprintf(buf, n, "due %s", day);
        }
        break;
    case STANDUP_STALE:
        time_format_age(row->age, age, sizeof age);
        snprintf(buf, n, "no follow-up for %s", age);
        break;
    case STANDUP_OVER_WIP:
        snprintf(buf, n, "%s", row->text);
        break;
    case STANDUP_MOVED:
        if (human) { /* "handed off -> accepted", as the board names stages */
            char from[32], to[32];
            snprintf(buf, n, "%s -> %s", vocab_label(&lb_stages, (int)row->from, from, sizeof from),
                     vocab_label(&lb_stages, (int)row->to, to, sizeof to));
        } else {
            snprintf(buf, n, "%s -> %s", stage_name(row->from), stage_name(row->to));
        }
        break;
    case STANDUP_WON:
        money[0] = '\0';
        if (row->has_value)
            (human ? money_format_human : money_format)(row->value, money, sizeof money);
        snprintf(buf, n, "%s", money);
        break;
    case STANDUP_LOST:
        snprintf(buf, n, "%s", row->text);
        break;
    case STANDUP_REVISIT: {
        lb_time t;
        char day[16] = "";
        if (time_parse(row->at, &t, NULL) == LB_OK)
            time_format_local_date(t, day, sizeof day);
        snprintf(buf, n, "revisit %s%s%s", day, row->text[0] ? ": " : "", row->text);
        break;
    }
    case STANDUP_CALLS:
        snprintf(buf, n, "%s%s%s", reasons, row->text[0] ? ": " : "", row->text);
        break;
    case STANDUP_REJECTED:
        if (row->stars)
            snprintf(buf, n, "%s (%d/5%s%s)", row->text, row->stars,
                     reasons[0] ? " " : "", reasons);
        else
            snprintf(buf, n, "%s%s%s%s", row->text, reasons[0] ? " (" : "",
                     reasons, reasons[0] ? ")" : "");
        break;
    case STANDUP_FEEDBACK:
        snprintf(buf, n, "%d/5%s%s%s%s", row->stars, reasons[0] ? " " : "",
                 reasons, row->text[0] ? ": " : "", row->text);
        break;
    default:
        buf[0] = '\0';
    }
}

void standup_detail_format(lb_standup_row *row)
{
    standup_detail_text(row, false, row->detail, sizeof row->detail);
}

int64_t report_median_minutes(const int64_t *secs, size_t n)
{
    if (n == 0)
        return 0;
    /* In half-seconds, so the mean of two middle values stays whole. */
    int64_t twice = n % 2 ? 2 * secs[n / 2] : secs[n / 2 - 1] + secs[n / 2];
    return (twice + 60) / 120; /* half a minute rounds up */
}

bool report_rejection_alarmed(lb_fixed rate, int64_t alarm)
{
    return rate.has && rate.v > alarm;
}
