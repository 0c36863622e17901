#include "config.h"

#include <string.h>

#include "cli.h"
#include "leadboard/report.h"

/* ---- funnel ---- */

static const out_col funnel_cols[] = {
    {"stage", COL_TEXT, false},
    {"reached", COL_INT, false},
    {"conversion", COL_PERCENT, false},
};

static lb_status report_funnel_out(cli *c, const lb_report_range *r, lb_err *err)
{
    lb_funnel_row rows[REPORT_FUNNEL_ROWS];
    lb_status st = report_funnel(c->db, r, rows, err);
    if (st != LB_OK)
        return st;
    out_writer *w = out_begin(stdout, c->fmt, funnel_cols, 3);
    for (int i = 0; i < REPORT_FUNNEL_ROWS; i++) {
        char reached[24], conv[32];
        fmt_int(rows[i].reached, reached, sizeof reached);
        report_fixed_format(rows[i].conversion, conv, sizeof conv);
        const char *v[] = {stage_name(rows[i].stage), reached, conv};
        out_row(w, v);
    }
    out_end(w);
    return LB_OK;
}

/* ---- campaigns ---- */

static const out_col campaign_report_cols[] = {
    {"campaign", COL_TEXT, false},
    {"channel", COL_TEXT, false},
    {"cost", COL_MONEY, false},
    {"leads", COL_INT, false},
    {"handed_off", COL_INT, false},
    {"accepted", COL_INT, false},
    {"rejected", COL_INT, false},
    {"avg_rating", COL_RATIO, false},
    {"won", COL_INT, false},
    {"revenue", COL_MONEY, false},
    {"cost_per_lead", COL_MONEY, false},
    {"cost_per_win", COL_MONEY, false},
    {"roi", COL_PERCENT, false},
};

static int campaign_out(const lb_campaign_row *row, void *ud)
{
    char cost[32], leads[24], ho[24], ac[24], rj[24], avg[32], won[24], revenue[32], cpl[32],
        cpw[32], roi[32];
    money_format(row->cost, cost, sizeof cost);
    fmt_int(row->leads, leads, sizeof leads);
    fmt_int(row->handed_off, ho, sizeof ho);
    fmt_int(row->accepted, ac, sizeof ac);
    fmt_int(row->rejected, rj, sizeof rj);
    report_fixed_format(row->avg_rating, avg, sizeof avg);
    fmt_int(row->won, won, sizeof won);
    money_format(row->revenue, revenue, sizeof revenue);
    report_fixed_format(row->cost_per_lead, cpl, sizeof cpl);
    report_fixed_format(row->cost_per_win, cpw, sizeof cpw);
    report_fixed_format(row->roi, roi, sizeof roi);
    const char *v[] = {row->name, row->none ? "" : vocab_name(&lb_channels, (int)row->channel),
                       cost,      leads,
                       ho,        ac,
                       rj,        avg,
                       won,       revenue,
                       cpl,       cpw,
                       roi};
    out_row(ud, v);
    return 0;
}

/* ---- sla ---- */

static const out_col sla_cols[] = {
    {"owner", COL_TEXT, false},          {"handoffs", COL_INT, false},
    {"accepted_in_sla", COL_INT, false}, {"touched_in_sla", COL_INT, false},
    {"overdue_now", COL_INT, false},
};

static int sla_out(const lb_sla_row *row, void *ud)
{
    char n[24], acc[24], touch[24], od[24];
    fmt_int(row->handoffs, n, sizeof n);
    fmt_int(row->accepted_in_sla, acc, sizeof acc);
    fmt_int(row->touched_in_sla, touch, sizeof touch);
    fmt_int(row->overdue_now, od, sizeof od);
    const char *v[] = {row->owner, n, acc, touch, od};
    out_row(ud, v);
    return 0;
}

/* ---- standup ---- */

static const out_col standup_cols[] = {
    {"section", COL_TEXT, false}, {"lead_id", COL_INT, false}, {"lead", COL_TEXT, false},
    {"owner", COL_TEXT, false},   {"detail", COL_TEXT, false},
};

static int standup_out(const lb_standup_row *row, void *ud)
{
    char id[24];
    fmt_int(row->lead_id, id, sizeof id);
    if (row->lead_id == 0) /* a row about a person (over_wip) */
        id[0] = '\0';
    char detail[sizeof row->detail];
    standup_detail_text(row, out_for_people(ud), detail, sizeof detail);
    const char *v[] = {standup_section_name(row->section), id, row->lead, row->owner, detail};
    out_row(ud, v);
    return 0;
}

/* ---- goals ---- */

static const out_col goal_cols[] = {
    {"period", COL_TEXT, false},       {"revenue_target", COL_MONEY, false},
    {"revenue_won", COL_MONEY, false}, {"wins_target", COL_INT, false},
    {"wins", COL_INT, false},
};

static int goal_out(const lb_goal_row *row, void *ud)
{
    char target[32], revenue[32], wins_target[24] = "", wins[24];
    money_format(row->revenue_target, target, sizeof target);
    money_format(row->revenue_won, revenue, sizeof revenue);
    if (row->has_wins_target)
        fmt_int(row->wins_target, wins_target, sizeof wins_target);
    fmt_int(row->wins, wins, sizeof wins);
    const char *v[] = {row->period, target, revenue, wins_target, wins};
    out_row(ud, v);
    return 0;
}

/* ---- speed, marketers ---- */

static const out_col speed_cols[] = {
    {"owner", COL_TEXT, false},      {"handoffs", COL_INT, false},   {"touched", COL_INT, false},
    {"median_minutes", COL_INT, false}, {"within_5m", COL_INT, false}, {"within_1h", COL_INT, false},
    {"within_24h", COL_INT, false},  {"later", COL_INT, false},      {"never", COL_INT, false},
};

static int speed_out(const lb_speed_row *row, void *ud)
{
    char n[8][24], median[24] = "";
    const int64_t v[] = {row->handoffs, row->touched, row->within_5m, row->within_1h,
                         row->within_24h, row->later, row->never};
    for (int i = 0; i < 7; i++)
        fmt_int(v[i], n[i], sizeof n[i]);
    if (row->has_median)
        fmt_int(row->median_minutes, median, sizeof median);
    const char *cells[] = {row->owner, n[0], n[1], median, n[2], n[3], n[4], n[5], n[6]};
    out_row(ud, cells);
    return 0;
}

static const out_col marketer_cols[] = {
    {"marketer", COL_TEXT, false},       {"leads", COL_INT, false},
    {"handed_off", COL_INT, false},      {"accepted", COL_INT, false},
    {"rejected", COL_INT, false},        {"rejection_rate", COL_PERCENT, false},
    {"avg_rating", COL_RATIO, false},    {"won", COL_INT, false},
    {"revenue", COL_MONEY, false},
};

static int marketer_out(const lb_marketer_row *row, void *ud)
{
    char n[5][24], rate[32], avg[32], revenue[32];
    const int64_t v[] = {row->leads, row->handed_off, row->accepted, row->rejected, row->won};
    for (int i = 0; i < 5; i++)
        fmt_int(v[i], n[i], sizeof n[i]);
    report_fixed_format(row->rejection_rate, rate, sizeof rate);
    report_fixed_format(row->avg_rating, avg, sizeof avg);
    money_format(row->revenue, revenue, sizeof revenue);
    const char *cells[] = {row->marketer, n[0], n[1], n[2], n[3], rate, avg, n[4], revenue};
    out_row(ud, cells);
    return 0;
}

/* ---- the command ---- */

static const char report_names[] = "funnel, campaigns, sla, standup, goals, speed, marketers, assets";

int cmd_report(cli *c, const cmd_args *a, lb_err *err)
{
    const char *which = a->pos[0];
    bool standup = strcmp(which, "standup") == 0;
    if (strcmp(which, "funnel") && strcmp(which, "campaigns") && strcmp(which, "sla") && !standup &&
        strcmp(which, "goals") && strcmp(which, "speed") && strcmp(which, "marketers") &&
        strcmp(which, "assets"))
        return lb_fail(err, LB_EUSAGE, "unknown report '%.40s'; use one of: %s", which,
                       report_names);

    lb_report_range r;
    lb_status st =
        report_range_init(&r, c->ctx.now, arg_get(a, "since"), arg_get(a, "until"), standup, err);
    if (st != LB_OK)
        return st;
    if (strcmp(which, "funnel") == 0)
        return report_funnel_out(c, &r, err);
    if (strcmp(which, "assets") == 0)
        return cli_report_assets(c, &r, err);

    out_writer *w;
    if (strcmp(which, "campaigns") == 0) {
        w = out_begin(stdout, c->fmt, campaign_report_cols, 13);
        st = report_campaigns(c->db, &r, campaign_out, w, err);
    } else if (strcmp(which, "sla") == 0) {
        w = out_begin(stdout, c->fmt, sla_cols, 5);
        st = report_sla(c->db, &r, sla_out, w, err);
    } else if (standup) {
        w = out_begin(stdout, c->fmt, standup_cols, 5);
        st = report_standup(c->db, &r, standup_out, w, err);
    } else if (strcmp(which, "speed") == 0) {
        w = out_begin(stdout, c->fmt, speed_cols, 9);
        st = report_speed(c->db, &r, speed_out, w, err);
    } else if (strcmp(which, "marketers") == 0) {
        w = out_begin(stdout, c->fmt, marketer_cols, 9);
        st = report_marketers(c->db, &r, marketer_out, w, err);
    } else {
        w = out_begin(stdout, c->fmt, goal_cols, 5);
        st = report_goals(c->db, &r, goal_out, w, err);
    }
    out_end(w);
    return st;
}
