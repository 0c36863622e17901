/* asset add, asset list, undo, report assets, and the hand-off's
 * work-in-progress warning: thin over collateral.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leadboard/collateral.h"
#include "leadboard/text.h"

const char cli_asset_help[] =
    "Kinds: deck case_study one_pager video pricing demo other (default other).\n"
    "Sales says which assets a follow-up used with 'leadboard log ID ... --used NAME' (as\n"
    "often as needed); 'leadboard report assets' shows what is used, in won and lost deals,\n"
    "and how many assets were never used.\n";

const char cli_undo_help[] =
    "Takes back your own most recent change: a hand-off, accept, reject, move, follow-up,\n"
    "rating, comment, lead edit or feedback review, made within undo_minutes (default 15)\n"
    "and only if nobody has changed that lead since.  The lead is put back as it was; an\n"
    "undone follow-up or rating is marked (it stays in the timeline) and leaves the\n"
    "reports.  The undo is itself in the audit log.  Run it again to take back the change\n"
    "before.  Refused (exit 2 nothing to undo or too old, 4 changed since) with one line.\n";

int cmd_asset_add(cli *c, const cmd_args *a, lb_err *err)
{
    lb_asset_input in = {a->pos[0], arg_get(a, "kind"), arg_get(a, "url"),
                         arg_get(a, "campaign")};
    int64_t id = 0;
    lb_status st = act_asset_add(&c->ctx, &in, &id, err);
    if (st == LB_OK)
        cli_say(c, "added asset %s (%s)", a->pos[0], in.kind ? in.kind : "other");
    return st;
}

static const out_col asset_cols[] = {
    {"name", COL_TEXT, false},     {"kind", COL_TEXT, false},   {"campaign", COL_TEXT, false},
    {"url", COL_TEXT, false},      {"added_by", COL_TEXT, false}, {"used", COL_INT, false},
    {"created_at", COL_TIME, true},
};

static int asset_out(const lb_asset *as, void *ud)
{
    char used[24];
    fmt_int(as->used, used, sizeof used);
    const char *v[] = {as->name,     vocab_name(&lb_asset_kinds, (int)as->kind), as->campaign,
                       as->url,      as->added_by, used, as->created_at};
    out_row(ud, v);
    return 0;
}

int cmd_asset_list(cli *c, const cmd_args *a, lb_err *err)
{
    (void)a;
    out_writer *w = out_begin(stdout, c->fmt, asset_cols, 7);
    lb_status st = asset_each(c->db, 0, asset_out, w, err);
    out_end(w);
    return st;
}

int cmd_undo(cli *c, const cmd_args *a, lb_err *err)
{
    (void)a;
    char what[512];
    lb_status st = act_undo(&c->ctx, what, sizeof what, err);
    if (st == LB_OK) {
        /* Said even with --format: it is the whole answer of the command;
         * the names in it go through the output rule. */
        char *shown = out_shown(what, true);
        printf("undone: %s\n", shown ? shown : what);
        free(shown);
    }
    return st;
}

void cli_wip_warning(cli *c, const char *login)
{
    char line[256];
    lb_err err;
    if (wip_handoff_warning(c->db, login, line, sizeof line, &err) == LB_OK && line[0]) {
        char *shown = out_shown(line, true);
        fprintf(stderr, "leadboard: warning: %s\n", shown ? shown : line);
        free(shown);
    }
}

static const out_col asset_report_cols[] = {
    {"asset", COL_TEXT, false}, {"kind", COL_TEXT, false},      {"campaign", COL_TEXT, false},
    {"used", COL_INT, false},   {"leads", COL_INT, false},      {"won", COL_INT, false},
    {"lost", COL_INT, false},   {"win_rate", COL_PERCENT, false}, {"last_used", COL_TIME, false},
};

static int asset_report_out(const lb_asset_row *row, void *ud)
{
    char used[24], leads[24], won[24], lost[24], rate[32];
    fmt_int(row->a.used, used, sizeof used);
    fmt_int(row->a.leads, leads, sizeof leads);
    fmt_int(row->a.won, won, sizeof won);
    fmt_int(row->a.lost, lost, sizeof lost);
    report_fixed_format(row->win_rate, rate, sizeof rate);
    const char *v[] = {row->a.name, vocab_name(&lb_asset_kinds, (int)row->a.kind),
                       row->a.campaign, used, leads, won, lost, rate, row->a.last_used};
    out_row(ud, v);
    return 0;
}

int cli_report_assets(cli *c, const struct lb_report_range *r, lb_err *err)
{
    out_writer *w = out_begin(stdout, c->fmt, asset_report_cols, 9);
    lb_status st = report_assets(c->db, r, asset_report_out, w, err);
    out_end(w);
    int64_t total = 0, unused = 0;
    /* the table's last line (csv, tsv and json stay the rows alone) */
    if (st == LB_OK && c->fmt == FMT_TABLE &&
        (st = asset_unused_count(c->db, &total, &unused, err)) == LB_OK && total)
        printf("%lld of %lld asset%s (%lld%%) never used\n", (long long)unused, (long long)total,
               total == 1 ? "" : "s", (long long)report_div_round(unused, total, 100));
    return st;
}
