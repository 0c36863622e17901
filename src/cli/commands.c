#include "config.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "leadboard/collateral.h"
#include "leadboard/demo.h"
#include "leadboard/store.h"
#include "tui/tui.h"

void cli_say(cli *c, const char *fmt, ...)
{
    if (c->fmt_given)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *shown = out_shown(msg, true); /* names and notes in it: the output rule */
    puts(shown ? shown : "(out of memory)");
    free(shown);
}

void fmt_money_opt(bool has, int64_t cents, char *buf, size_t n)
{
    if (has)
        money_format(cents, buf, n);
    else if (n)
        buf[0] = '\0';
}

void fmt_int(int64_t v, char *buf, size_t n)
{
    snprintf(buf, n, "%lld", (long long)v);
}

/* ---- init, users, campaigns ---- */

static int cmd_init(cli *c, const cmd_args *a, lb_err *err)
{
    char abs[PATH_MAX];
    lb_status st = db_restore_guards(c->db, err);
    if (st != LB_OK)
        return st;
    const char *p = db_path(c->db);
    char *shown = out_shown(strcmp(p, ":memory:") && realpath(p, abs) ? abs : p, false);
    puts(shown ? shown : "(out of memory)");
    free(shown);
    return LB_OK;
}

static int cmd_user_add(cli *c, const cmd_args *a, lb_err *err)
{
    const char *team = arg_get(a, "team");
    if (!team)
        return lb_fail(err, LB_EUSAGE, "user add needs --team marketing|sales|manager");
    lb_status st = act_user_add(&c->ctx, a->pos[0], team, arg_get(a, "name"), err);
    if (st == LB_OK)
        cli_say(c, "added user %s (%s)", a->pos[0], team);
    return st;
}

static const out_col user_cols[] = {
    {"login", COL_TEXT, false}, {"name", COL_TEXT, false},
    {"team", COL_TEXT, false},  {"active", COL_BOOL, false},
};

static int user_row_out(const lb_user *u, void *ud)
{
    const char *v[] = {u->login, u->name, team_name(u->team), u->active ? "1" : "0"};
    out_row(ud, v);
    return 0;
}

static int cmd_user_list(cli *c, const cmd_args *a, lb_err *err)
{
    out_writer *w = out_begin(stdout, c->fmt, user_cols, 4);
    lb_status st = user_each(c->db, user_row_out, w, err);
    out_end(w);
    return st;
}

static int cmd_campaign_add(cli *c, const cmd_args *a, lb_err *err)
{
    lb_campaign_input in = {a->pos[0], arg_get(a, "channel"), arg_get(a, "cost"),
                            arg_get(a, "start"), arg_get(a, "end")};
    lb_status st = act_campaign_add(&c->ctx, &in, NULL, err);
    if (st == LB_OK)
        cli_say(c, "added campaign %s", a->pos[0]);
    return st;
}

static const out_col campaign_cols[] = {
    {"name", COL_TEXT, false}, {"channel", COL_TEXT, false}, {"cost", COL_MONEY, false},
    {"start", COL_TEXT, false}, {"end", COL_TEXT, false},
};

static int campaign_row_out(const lb_campaign *cp, void *ud)
{
    char cost[32];
    money_format(cp->cost, cost, sizeof cost);
    const char *v[] = {cp->name, vocab_name(&lb_channels, (int)cp->channel), cost,
                       cp->start_date, cp->end_date};
    out_row(ud, v);
    return 0;
}

static int cmd_campaign_list(cli *c, const cmd_args *a, lb_err *err)
{
    out_writer *w = out_begin(stdout, c->fmt, campaign_cols, 5);
    lb_status st = campaign_each(c->db, campaign_row_out, w, err);
    out_end(w);
    return st;
}

/* ---- feedback, goals, settings, backup ---- */

static const out_col feedback_cols[] = {
    {"id", COL_INT, false},         {"lead_id", COL_INT, false},
    {"lead", COL_TEXT, false},      {"campaign", COL_TEXT, false},
    {"rater", COL_TEXT, false},     {"stars", COL_INT, false},
    {"reasons", COL_TEXT, false},   {"comment", COL_PROSE, false},
    {"created_at", COL_TIME, true}, {"reviewed_by", COL_TEXT, false},
    {"reviewed_at", COL_TIME, true}, {"reply", COL_PROSE, false},
    {"kind", COL_TEXT, false},
};

static int feedback_row_out(const lb_rating *r, void *ud)
{
    char id[24], lead[24], stars[24];
    fmt_int(r->id, id, sizeof id);
    fmt_int(r->lead_id, lead, sizeof lead);
    fmt_int(r->stars, stars, sizeof stars);
    if (!r->stars)
        stars[0] = '\0'; /* a rejection without a rating */
    const char *v[] = {id,         lead,       r->lead_name,  r->campaign,
                       r->user,    stars,      r->reasons,    r->comment,
                       r->created_at, r->reviewed_by, r->reviewed_at, r->reply,
                       r->rejection ? "rejection" : "rating"};
    out_row(ud, v);
    return 0;
}

static int cmd_feedback_list(cli *c, const cmd_args *a, lb_err *err)
{
    lb_feedback_filter f = {arg_has(a, "unreviewed"), arg_get(a, "campaign"), 0, 0, 0};
    lb_campaign cp;
    lb_status st;
    if (f.campaign && (st = campaign_get(c->db, f.campaign, &cp, err)) != LB_OK)
        return st;
    /* A rep sees their own ratings and rejections with marketing's replies. */
    bool rep = c->ctx.has_actor && c->ctx.actor.team == TEAM_SALES;
    if (rep)
        f.user_id = c->ctx.actor.id;
    out_writer *w = out_begin(stdout, c->fmt, feedback_cols, 13);
    st = rating_each(c->db, &f, feedback_row_out, w, err);
    out_end(w);
    /* Seen now: the status line stops saying so.  A member who may only
     * read the file reads without writing: the replies stay unseen. */
    if (st == LB_OK && rep && !db_read_only(c->db))
        st = act_feedback_seen(&c->ctx, NULL, err);
    return st;
}

static int cmd_feedback_review(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id;
    lb_status st = id_parse("feedback id", a->pos[0], &id, err);
    if (st == LB_OK)
        st = act_feedback_review(&c->ctx, id, arg_get(a, "reply"), err);
    if (st == LB_OK)
        cli_say(c, "feedback %lld reviewed", (long long)id);
    return st;
}

static int cmd_goal_set(cli *c, const cmd_args *a, lb_err *err)
{
    const char *revenue = arg_get(a, "revenue");
    if (!revenue)
        return lb_fail(err, LB_EUSAGE, "goal set needs --revenue AMOUNT");
    lb_status st = act_goal_set(&c->ctx, a->pos[0], revenue, arg_get(a, "wins"), err);
    if (st == LB_OK)
        cli_say(c, "goal for %s set", a->pos[0]);
    return st;
}

static int cmd_setting_set(cli *c, const cmd_args *a, lb_err *err)
{
    lb_status st = act_setting_set(&c->ctx, a->pos[0], a->pos[1], err);
    if (st == LB_OK)
        cli_say(c, "%s = %s", a->pos[0], a->pos[1]);
    return st;
}

static int cmd_setting_list(cli *c, const cmd_args *a, lb_err *err)
{
    static const out_col cols[] = {{"key", COL_TEXT, false}, {"value", COL_TEXT, false}};
    static const char *const keys[] = {"sla.accept_hours", "sla.first_touch_hours", "stale_days",
                                       "strict_identity",  "undo_minutes",          "wip.accepted",
                                       "wip.contacted",    "wip.qualified",         "wip.proposal",
                                       "alarm.rejection_rate"};
    out_writer *w = out_begin(stdout, c->fmt, cols, 2);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char value[64] = "0";
        setting_get(c->db, keys[i], value, sizeof value, NULL);
        const char *v[] = {keys[i], value};
        out_row(w, v);
    }
    out_end(w);
    return LB_OK;
}

static int cmd_demo(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t leads = 2000, seed = 1;
    lb_status st;
    lb_demo_stats s;
    const char *n = arg_get(a, "leads"), *sd = arg_get(a, "seed");
    if (n && strcmp(n, "0") != 0 && (st = id_parse("--leads", n, &leads, err)) != LB_OK)
        return st;
    if (n && strcmp(n, "0") == 0)
        leads = 0;
    if (sd && (st = id_parse("--seed", sd, &seed, err)) != LB_OK)
        return st;
    if ((st = demo_fill(c->db, leads, (uint64_t)seed, c->ctx.now, c->ctx.os_login, &s, err)) !=
        LB_OK)
        return st;
    cli_say(c,
            "demo: %lld users, %lld campaigns, %lld leads, %lld follow-ups, %lld ratings, %lld "
            "comments, %lld events in %s",
            (long long)s.users, (long long)s.campaigns, (long long)s.leads,
            (long long)s.followups, (long long)s.ratings, (long long)s.comments,
            (long long)s.events, db_path(c->db));
    cli_say(c, "try: leadboard --db %s --as maria   (or ana: marketing, bob: sales)",
            db_path(c->db));
    return LB_OK;
}

static int cmd_backup(cli *c, const cmd_args *a, lb_err *err)
{
    lb_status st = db_backup(c->db, a->pos[0], err);
    if (st == LB_OK)
        cli_say(c, "backed up %s to %s", db_path(c->db), a->pos[0]);
    return st;
}

/* copy DEST (issue 16): the whole open board into an empty board at DEST,
 * a file or a PostgreSQL URL; DEST's schema is made first (as init does). */
static int cmd_copy(cli *c, const cmd_args *a, lb_err *err)
{
    const char *dest = a->pos[0];
    lb_db *to = NULL;
    int64_t rows = 0;
    if (strcmp(dest, db_path(c->db)) == 0)
        return lb_fail(err, LB_EINVAL, "copy goes to another board; %s is the one open", dest);
    lb_status st = db_open_at_version(dest, db_schema_version(c->db), &to, err);
    if (st == LB_OK)
        st = db_copy(c->db, to, &rows, err);
    db_close(to);
    if (st == LB_OK)
        cli_say(c, "copied %s to %s (%lld rows)", db_path(c->db), dest, (long long)rows);
    return st;
}

/* ---- the command table ---- */

static const opt_spec no_opts[] = {{NULL, false, false}};
static const opt_spec user_add_opts[] = {{"team", true, false}, {"name", true, false}, {NULL, false, false}};
static const opt_spec campaign_opts[] = {{"channel", true, false}, {"cost", true, false},
                                         {"start", true, false},   {"end", true, false},
                                         {NULL, false, false}};
static const opt_spec lead_opts[] = {
    {"name", true, false},     {"company", true, false}, {"title", true, false},
    {"email", true, false},    {"phone", true, false},   {"campaign", true, false},
    {"value", true, false},    {"note", true, false},    {"if-version", true, false},
    {NULL, false, false}};
static const opt_spec list_opts[] = {{"stage", true, false},  {"owner", true, false},
                                     {"campaign", true, false}, {"search", true, false},
                                     {"limit", true, false},  {NULL, false, false}};
static const opt_spec handoff_opts[] = {{"to", true, false}, {"note", true, false},
                                        {"if-version", true, false}, {NULL, false, false}};
static const opt_spec version_opts[] = {{"if-version", true, false}, {NULL, false, false}};
static const opt_spec reject_opts[] = {{"reason", true, false}, {"if-version", true, false},
                                       {"stars", true, false}, {"reason-tag", true, true},
                                       {NULL, false, false}};
static const opt_spec move_opts[] = {{"value", true, false}, {"reason", true, false},
                                     {"if-version", true, false}, {"revisit", true, false},
                                     {NULL, false, false}};
static const opt_spec log_opts[] = {{"outcome", true, false},   {"kind", true, false},
                                    {"note", true, false},      {"next-step", true, false},
                                    {"due", true, false},       {"used", true, true},
                                    {NULL, false, false}};
static const opt_spec asset_add_opts[] = {{"kind", true, false}, {"url", true, false},
                                          {"campaign", true, false}, {NULL, false, false}};
static const opt_spec rate_opts[] = {{"reason", true, true}, {"comment", true, false},
                                     {NULL, false, false}};
static const opt_spec feedback_list_opts[] = {{"unreviewed", false, false},
                                              {"campaign", true, false}, {NULL, false, false}};
static const opt_spec review_opts[] = {{"reply", true, false}, {NULL, false, false}};
static const opt_spec import_opts[] = {{"campaign", true, false},     {"dry-run", false, false},
                                       {"on-duplicate", true, false}, {"rejects", true, false},
                                       {"encoding", true, false},     {"delimiter", true, false},
                                       {NULL, false, false}};
static const opt_spec report_opts[] = {{"since", true, false}, {"until", true, false},
                                       {NULL, false, false}};
static const opt_spec demo_opts[] = {{"leads", true, false}, {"seed", true, false},
                                     {NULL, false, false}};
static const opt_spec goal_opts[] = {{"revenue", true, false}, {"wins", true, false},
                                     {NULL, false, false}};

static const opt_spec help_opts[] = {{"list", true, false}, {NULL, false, false}};

static int cmd_help(cli *c, const cmd_args *a, lb_err *err);

static const char help_help[] =
    "--list WHAT prints names one per line, for scripts and shell completion: commands,\n"
    "formats, stages, outcomes, kinds, channels, teams, reasons or asset_kinds.\n";

static const char if_version_help[] =
    "--if-version N refuses the change if the lead is no longer at version N (the one you\n"
    "saw in 'lead show'): exit 4, \"changed by LOGIN at TIME\".\n";
static const char report_help[] =
    "funnel     stage,reached,conversion: leads that ever reached each stage of the path\n"
    "           (with a period: the leads created in it, by its end); conversion = reached /\n"
    "           reached of the stage before.\n"
    "campaigns  campaign,channel,cost,leads,handed_off,accepted,rejected,avg_rating,won,\n"
    "           revenue,cost_per_lead,cost_per_win,roi; empty where a denominator is 0.\n"
    "sla        owner,handoffs,accepted_in_sla,touched_in_sla,overdue_now per sales rep, over\n"
    "           the hand-offs of the period (sla.accept_hours, sla.first_touch_hours).\n"
    "standup    section,lead_id,lead,owner,detail: awaiting_acceptance, overdue_followup,\n"
    "           stale, over_wip, revisit_due (now), then calls, moved, rejected, won, lost,\n"
    "           new_feedback in the period (default: from the start of the previous working\n"
    "           day; on Monday, Friday).\n"
    "speed      owner,handoffs,touched,median_minutes,within_5m,within_1h,within_24h,later,\n"
    "           never: minutes from hand-off to first follow-up per rep, then a row all.\n"
    "marketers  marketer,leads,handed_off,accepted,rejected,rejection_rate,avg_rating,won,\n"
    "           revenue over the leads each marketer created in the period.\n"
    "goals      period,revenue_target,revenue_won,wins_target,wins: wins closed in each\n"
    "           goal's period.\n"
    "assets     asset,kind,campaign,used,leads,won,lost,win_rate,last_used: follow-ups each\n"
    "           asset was used on (with a period: in it), distinct leads, those now won and\n"
    "           lost, win_rate = won / (won + lost); the most used first.  In a table, a last\n"
    "           line says how many assets (and what share) were never used.\n"
    "--since is inclusive, --until exclusive; --format md gives a table for a chat or wiki.\n";

const cmd_def cli_commands[] = {
    {"init", cmd_init, 0, 0, "", "create or migrate the database, print its path", no_opts, false, NULL},
    {"user add", cmd_user_add, 1, 1, "LOGIN --team marketing|sales|manager [--name NAME]",
     "add a user (managers; anyone while there are none)", user_add_opts, false, NULL},
    {"user list", cmd_user_list, 0, 0, "", "list users", no_opts, false, NULL},
    {"campaign add", cmd_campaign_add, 1, 1,
     "NAME [--channel CH] [--cost AMOUNT] [--start DATE] [--end DATE]",
     "add a campaign (marketing, managers)", campaign_opts, false, NULL},
    {"campaign list", cmd_campaign_list, 0, 0, "", "list campaigns", no_opts, false, NULL},
    {"lead add", cmd_lead_add, 0, 0,
     "--name NAME [--company C] [--title T] [--email E] [--phone P] [--campaign NAME] "
     "[--value AMOUNT] [--note TEXT]",
     "add a lead in nurture; prints its id (marketing, managers)", lead_opts, false, NULL},
    {"lead edit", cmd_lead_edit, 1, 1,
     "ID [--name NAME] [--company C] [--title T] [--email E] [--phone P] [--campaign NAME] "
     "[--value AMOUNT] [--note TEXT] [--if-version N]",
     "change a lead's details", lead_opts, false, if_version_help},
    {"lead show", cmd_lead_show, 1, 1, "ID", "a lead's details and its whole timeline", no_opts,
     false, NULL},
    {"list", cmd_list, 0, 0,
     "[--stage S] [--owner LOGIN] [--campaign NAME] [--search TEXT] [--limit N]",
     "list leads", list_opts, false, NULL},
    {"handoff", cmd_handoff, 1, 1, "ID --to LOGIN [--note TEXT] [--if-version N]",
     "hand a nurture lead to a sales rep (marketing, managers)", handoff_opts, false, if_version_help},
    {"accept", cmd_accept, 1, 1, "ID [--if-version N]",
     "accept a hand-off (the rep it was handed to, managers)", version_opts, false, if_version_help},
    {"reject", cmd_reject, 1, 1,
     "ID --reason TEXT [--stars N] [--reason-tag TAG]... [--if-version N]",
     "reject a hand-off back to nurture (the rep, managers)", reject_opts, false, if_version_help},
    {"move", cmd_move, 2, 2,
     "ID STAGE [--value AMOUNT] [--reason TEXT] [--revisit DATE] [--if-version N]",
     "move a lead to another stage (its rep, managers)", move_opts, false, if_version_help},
    {"log", cmd_log, 1, 1,
     "ID --outcome OUTCOME [--kind KIND] [--note TEXT] [--next-step TEXT] [--due DATE] "
     "[--used ASSET]...",
     "log a follow-up (the lead's rep, managers)", log_opts, false, NULL},
    {"rate", cmd_rate, 2, 2, "ID STARS [--reason TAG]... [--comment TEXT]",
     "rate a lead's quality 1-5; prints the feedback id", rate_opts, false, NULL},
    {"undo", cmd_undo, 0, 0, "", "take back your own last change", no_opts, false,
     cli_undo_help},
    {"asset add", cmd_asset_add, 1, 1,
     "NAME [--kind KIND] [--url URL] [--campaign NAME]",
     "add an asset sales can use (marketing, managers)", asset_add_opts, false, cli_asset_help},
    {"asset list", cmd_asset_list, 0, 0, "", "list assets", no_opts, false, cli_asset_help},
    {"comment", cmd_comment, 2, 2, "ID TEXT", "comment on a lead (anyone)", no_opts, false, NULL},
    {"feedback list", cmd_feedback_list, 0, 0, "[--unreviewed] [--campaign NAME]",
     "sales feedback on leads, unreviewed first", feedback_list_opts, false, NULL},
    {"feedback review", cmd_feedback_review, 1, 1, "FEEDBACK_ID [--reply TEXT]",
     "mark feedback reviewed, with a reply (marketing, managers)", review_opts, false, NULL},
    {"goal set", cmd_goal_set, 1, 1, "PERIOD --revenue AMOUNT [--wins N]",
     "set a shared goal for YYYY-MM or YYYY-Qn (managers)", goal_opts, false, NULL},
    {"report", cmd_report, 1, 1,
     "funnel|campaigns|sla|standup|goals|speed|marketers|assets [--since DATE] [--until DATE]",
     "funnel, campaign money, SLAs per rep, the stand-up, goals", report_opts, false, report_help},
    {"setting list", cmd_setting_list, 0, 0, "", "show the settings and their values", no_opts,
     false, NULL},
    {"setting set", cmd_setting_set, 2, 2, "KEY VALUE",
     "change sla.accept_hours, sla.first_touch_hours, stale_days, strict_identity, "
     "undo_minutes, wip.STAGE or alarm.rejection_rate (managers)",
     no_opts, false, NULL},
    {"demo", cmd_demo, 0, 0, "[--leads N] [--seed N]",
     "fill an empty database with a realistic company (2000 leads by default)", demo_opts,
     false, NULL},
    {"import", cmd_import, 1, 1,
     "FILE|- [--campaign NAME] [--dry-run] [--on-duplicate skip|update|error] [--rejects FILE] "
     "[--encoding NAME] [--delimiter C]",
     "import leads from a CSV file, all or nothing (marketing, managers)", import_opts, false, cli_import_help},
    {"export", cmd_export, 0, 1, "[FILE|-]",
     "write every lead as CSV (standard output by default; FILE must be new)", no_opts, false,
     cli_export_help},
    {"backup", cmd_backup, 1, 1, "FILE", "a consistent copy of the database, while others work",
     no_opts, false, NULL},
    {"copy", cmd_copy, 1, 1, "DEST",
     "the whole board into an empty DEST, a file or a postgresql:// URL (ids and audit log kept)",
     no_opts, false, NULL},
    {"help", cmd_help, 0, 2, "[COMMAND] [--list WHAT]", "help on a command", help_opts, true,
     help_help},
};
const int cli_ncommands = (int)(sizeof cli_commands / sizeof cli_commands[0]);

/* "Stages: nurture handed_off ...", from the vocabulary itself. */
static void print_vocab(FILE *f, const char *title, const lb_vocab *v, const char *end)
{
    fprintf(f, "%s:", title);
    for (int i = 0; i < v->count; i++)
        fprintf(f, " %s", v->names[i]);
    fputs(end, f);
}

static void print_vocab_help(FILE *f)
{
    print_vocab(f, "Stages", &lb_stages, "\n");
    print_vocab(f, "Outcomes", &lb_outcomes, "\n");
    print_vocab(f, "Kinds", &lb_kinds, "   ");
    print_vocab(f, "Teams", &lb_teams, "\n");
    print_vocab(f, "Reasons", &lb_reasons, "\n");
    print_vocab(f, "Channels", &lb_channels, "\n");
    fputs("Amounts: 12500, 12,500 or 12500.50\n"
          "Dates: YYYY-MM-DD (a day in your time zone, TZ), YYYY-MM-DDTHH:MM[:SS] (local; with Z: "
          "UTC),\n       today, tomorrow, yesterday, +3d, +2w, monday..sunday (the next one)\n",
          f);
}

static void usage_all(FILE *f)
{
    fprintf(f, "usage: leadboard [--db FILE] [--as LOGIN] [--format table|csv|tsv|json|md] "
               "[COMMAND ARGS]\n"
               "       leadboard [--db FILE] [--as LOGIN]       the board ('?' in it for keys)\n"
               "       leadboard --replay KEYFILE [--size WxH] [--dump-screen FILE] "
               "[--timings]\n\n"
               "Commands:\n");
    for (int i = 0; i < cli_ncommands; i++)
        fprintf(f, "  %-16s %s\n", cli_commands[i].name, cli_commands[i].summary);
    fputc('\n', f);
    print_vocab_help(f);
    fprintf(f, "\n"
               "The database is --db FILE, else $LEADBOARD_DB, else "
               "$XDG_DATA_HOME/leadboard/board.db.\n"
               "The acting user is --as LOGIN, else $LEADBOARD_USER, else your login name.\n"
               "'leadboard help COMMAND' tells more.  Exit codes: 0 ok, 1 usage, 2 invalid "
               "input or refused,\n3 permission denied, 4 changed by someone else, 5 database "
               "error.\n");
}

static void usage_cmd(FILE *f, const cmd_def *d)
{
    fprintf(f, "usage: leadboard %s%s%s\n%s\n", d->name, *d->usage ? " " : "", d->usage,
            d->summary);
    if (d->details)
        fprintf(f, "\n%s", d->details);
    if (strcmp(d->name, "help") != 0) {
        fputc('\n', f);
        print_vocab_help(f);
    }
}

/* The commands that only read the database: they open an existing board
 * and never create one.  Every other command writes (one line each). */
/* clang-format off */
static const char *const read_commands[] = {
    "user list",
    "campaign list",
    "lead show",
    "list",
    "feedback list",
    "report",
    "setting list",
    "export",
    "backup",
    "copy",
    "asset list",
};
/* clang-format on */

static bool reads_only(const cmd_def *d)
{
    for (size_t i = 0; i < sizeof read_commands / sizeof read_commands[0]; i++)
        if (strcmp(read_commands[i], d->name) == 0)
            return true;
    return false;
}

/* The command named by words[0] (and words[1]); *used says how many words. */
static const cmd_def *find_command(int n, const char *const *words, int *used)
{
    if (n >= 2) {
        char two[64];
        snprintf(two, sizeof two, "%s %s", words[0], words[1]);
        for (int i = 0; i < cli_ncommands; i++)
            if (strcmp(cli_commands[i].name, two) == 0) {
                *used = 2;
                return &cli_commands[i];
            }
    }
    for (int i = 0; n >= 1 && i < cli_ncommands; i++)
        if (strcmp(cli_commands[i].name, words[0]) == 0) {
            *used = 1;
            return &cli_commands[i];
        }
    return NULL;
}

/* Commands of a family ("user" → user add, user list), for a helpful error. */
static bool family_usage(FILE *f, const char *word)
{
    size_t n = strlen(word);
    bool any = false;
    for (int i = 0; i < cli_ncommands; i++)
        if (strncmp(cli_commands[i].name, word, n) == 0 && cli_commands[i].name[n] == ' ') {
            fprintf(f, "  leadboard %s %s\n      %s\n", cli_commands[i].name,
                    cli_commands[i].usage, cli_commands[i].summary);
            any = true;
        }
    if (any)
        fprintf(f, "'leadboard help %s COMMAND' says more of each.\n", word);
    return any;
}

/* "lead add, lead edit, lead show" for the family "lead"; false if none. */
static bool family_list(const char *word, char *buf, size_t n)
{
    size_t len = strlen(word), used = 0;
    buf[0] = '\0';
    for (int i = 0; i < cli_ncommands && used < n; i++)
        if (strncmp(cli_commands[i].name, word, len) == 0 && cli_commands[i].name[len] == ' ')
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "",
                                     cli_commands[i].name);
    return used > 0;
}

/* --format's names, in the order of out_format. */
static const char *const format_names[] = {"table", "csv", "tsv", "json", "md"};
#define FORMAT_COUNT ((int)(sizeof format_names / sizeof format_names[0]))
_Static_assert(FORMAT_COUNT == FMT_MD + 1, "a name for every out_format");

/* help --list WHAT: the names the program knows, one per line, so the
 * shell completion and the man page's test never keep a copy of their own. */
static int help_list(const char *what, lb_err *err)
{
    static const struct {
        const char *what;
        const lb_vocab *vocab;
    } vocabs[] = {{"stages", &lb_stages},     {"outcomes", &lb_outcomes}, {"kinds", &lb_kinds},
                  {"channels", &lb_channels}, {"teams", &lb_teams},       {"reasons", &lb_reasons},
                  {"asset_kinds", &lb_asset_kinds}};
    if (strcmp(what, "commands") == 0) {
        for (int i = 0; i < cli_ncommands; i++)
            puts(cli_commands[i].name);
        return LB_OK;
    }
    if (strcmp(what, "formats") == 0) {
        for (int i = 0; i < FORMAT_COUNT; i++)
            puts(format_names[i]);
        return LB_OK;
    }
    for (size_t i = 0; i < sizeof vocabs / sizeof vocabs[0]; i++)
        if (strcmp(what, vocabs[i].what) == 0) {
            for (int k = 0; k < vocabs[i].vocab->count; k++)
                puts(vocabs[i].vocab->names[k]);
            return LB_OK;
        }
    return lb_fail(err, LB_EUSAGE,
                   "help --list knows commands, formats, stages, outcomes, kinds, channels, "
                   "teams, reasons and asset_kinds, not '%.40s'",
                   what);
}

static int cmd_help(cli *c, const cmd_args *a, lb_err *err)
{
    int used = 0;
    if (arg_get(a, "list")) {
        if (a->npos)
            return lb_fail(err, LB_EUSAGE,
                           "help --list takes no command; see 'leadboard help help'");
        return help_list(arg_get(a, "list"), err);
    }
    if (a->npos == 0) {
        usage_all(stdout);
        return LB_OK;
    }
    const cmd_def *d = find_command(a->npos, a->pos, &used);
    if (d) {
        usage_cmd(stdout, d);
        return LB_OK;
    }
    if (family_usage(stdout, a->pos[0]))
        return LB_OK;
    return lb_fail(err, LB_EUSAGE, "no command '%s'; see 'leadboard --help'", a->pos[0]);
}

/* Parses a command's own options and positional arguments. */
static lb_status parse_cmd_args(const cmd_def *d, int n, char **words, cmd_args *a, lb_err *err)
{
    bool only_pos = false;
    memset(a, 0, sizeof *a);
    for (int i = 0; i < n; i++) {
        const char *w = words[i];
        if (!only_pos && strcmp(w, "--") == 0) {
            only_pos = true;
            continue;
        }
        /* "-1" is a number (a value to refuse with its reason), no option */
        bool number = w[0] == '-' && ((w[1] >= '0' && w[1] <= '9') || w[1] == '.');
        if (!only_pos && w[0] == '-' && w[1] != '\0' && !number) {
            const char *name = w + (w[1] == '-' ? 2 : 1);
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const opt_spec *o = NULL;
            for (const opt_spec *s = d->opts; s->name; s++)
                if (w[1] == '-' && strlen(s->name) == len && strncmp(s->name, name, len) == 0)
                    o = s;
            if (!o)
                return lb_fail(err, LB_EUSAGE,
                               "unknown option '%.*s' for '%s'; see 'leadboard help %s'",
                               (int)(len + (size_t)(name - w)), w, d->name, d->name);
            const char *value = NULL;
            if (o->takes_value) {
                if (eq)
                    value = eq + 1;
                else if (i + 1 < n)
                    value = words[++i];
                else
                    return lb_fail(err, LB_EUSAGE, "--%s needs a value; see 'leadboard help %s'",
                                   o->name, d->name);
            } else if (eq) {
                return lb_fail(err, LB_EUSAGE, "--%s takes no value", o->name);
            } else {
                value = "";
            }
            int k = 0;
            while (k < a->nopts && strcmp(a->opts[k].name, o->name) != 0)
                k++;
            if (k == a->nopts) {
                if (a->nopts == ARG_MAX_OPTS)
                    return lb_fail(err, LB_EUSAGE, "too many options");
                a->opts[a->nopts++].name = o->name;
            }
            if (a->opts[k].count > 0 && !o->repeatable)
                a->opts[k].count = 0; /* the last one given wins */
            if (a->opts[k].count == ARG_MAX_REPEAT)
                return lb_fail(err, LB_EUSAGE, "--%s given too many times", o->name);
            a->opts[k].values[a->opts[k].count++] = value;
            continue;
        }
        if (a->npos == ARG_MAX_POS || a->npos >= d->max_pos)
            return lb_fail(err, LB_EUSAGE, "too many arguments for '%s': '%.40s'; usage: leadboard %s %s",
                           d->name, w, d->name, d->usage);
        a->pos[a->npos++] = w;
    }
    if (a->npos < d->min_pos)
        return lb_fail(err, LB_EUSAGE, "'%s' needs more arguments; usage: leadboard %s %s",
                       d->name, d->name, d->usage);
    return LB_OK;
}

static int fail_out(const lb_err *err, lb_status st)
{
    cli_error("%s", err->msg[0] ? err->msg : lb_status_desc(st));
    return lb_status_exit_code(st);
}

/* Opens the board (no command given). */
static int run_board(const char *opt_db, const char *opt_as, const char *replay,
                     const char *size, const char *dump, bool timings)
{
    tui_options o = {replay, 80, 24, dump, timings};
    char path[PATH_MAX], tail;
    lb_err err = {LB_OK, ""};
    lb_db *db = NULL;
    lb_status st;

    if (size && (sscanf(size, "%dx%d%c", &o.width, &o.height, &tail) != 2 || o.width < 1 ||
                 o.height < 1 || o.width > 1000 || o.height > 500)) {
        cli_error("--size '%s' is not WIDTHxHEIGHT, like 100x30", size);
        return 1;
    }
    if ((size || dump) && !replay) {
        cli_error("--size and --dump-screen go with --replay KEYFILE");
        return 1;
    }
    if (!replay && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        cli_error("the board needs a terminal; use the commands instead "
                  "(leadboard --help), or --replay KEYFILE");
        return 1;
    }
    if ((st = db_default_path(opt_db, path, sizeof path, &err)) != LB_OK ||
        (st = db_open(path, &db, &err)) != LB_OK) {
        cli_error("%s", err.msg);
        return lb_status_exit_code(st);
    }
    int code = tui_run(db, opt_as, &o);
    db_close(db);
    return code;
}

/* The global options, wherever they stand, and the words left. */
typedef struct cli_globals {
    const char *db, *as, *format, *replay, *size, *dump;
    bool help, version, timings;
} cli_globals;

/* Sorts argv into g and rest (the command and its own words); 0, or the
 * exit code of a bad global option (said). */
static int parse_globals(int argc, char **argv, cli_globals *g, char **rest, int *nrest)
{
    static const char *const globals[] = {"--db",     "--as",          "--format",
                                          "--replay", "--dump-screen", "--size"};
    const char **slot[] = {&g->db, &g->as, &g->format, &g->replay, &g->dump, &g->size};
    bool after_dashdash = false;
    memset(g, 0, sizeof *g);
    *nrest = 0;
    /* Global options may stand before or after the command. */
    for (int i = 1; i < argc; i++) {
        const char *w = argv[i];
        bool taken = false;
        if (after_dashdash) {
            rest[(*nrest)++] = argv[i];
            continue;
        }
        if (strcmp(w, "--") == 0)
            after_dashdash = true;
        for (int k = 0; k < 6 && !taken; k++) {
            size_t len = strlen(globals[k]);
            if (strncmp(w, globals[k], len) != 0 || (w[len] != '\0' && w[len] != '='))
                continue;
            taken = true;
            if (w[len] == '=') {
                *slot[k] = w + len + 1;
            } else if (i + 1 < argc) {
                *slot[k] = argv[++i];
            } else {
                cli_error("%s needs a value; see 'leadboard --help'", globals[k]);
                return 1;
            }
        }
        if (taken)
            continue;
        if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0)
            g->help = true;
        else if (strcmp(w, "--version") == 0 || strcmp(w, "-V") == 0)
            g->version = true;
        else if (strcmp(w, "--timings") == 0)
            g->timings = true;
        else
            rest[(*nrest)++] = argv[i];
    }
    return 0;
}

/* The output format: --format, else a table on a terminal and tsv in a
 * pipe; false (said) for an unknown one. */
static bool choose_format(cli *c, const char *name)
{
    c->fmt = isatty(STDOUT_FILENO) ? FMT_TABLE : FMT_TSV;
    if (!name)
        return true;
    for (int k = 0; k < FORMAT_COUNT; k++)
        if (strcmp(name, format_names[k]) == 0) {
            c->fmt = (out_format)k;
            c->fmt_given = true;
            return true;
        }
    cli_error("unknown format '%s'; use table, csv, tsv, json or md", name);
    return false;
}

/* No command matched the words: says what was meant. */
static void unknown_command(char **rest, int nrest)
{
    char family[256];
    if (rest[0][0] == '-')
        cli_error("unknown option '%s'; see 'leadboard --help'", rest[0]);
    else if (family_list(rest[0], family, sizeof family))
        cli_error("%s '%s%s%s'; use one of: %s",
                  nrest > 1 ? "unknown command" : "incomplete command", rest[0],
                  nrest > 1 ? " " : "", nrest > 1 ? rest[1] : "", family);
    else
        cli_error("unknown command '%s'; see 'leadboard --help'", rest[0]);
}

/* Opens the database the command needs (only a write creates one) and the
 * acting user. */
static lb_status open_for(cli *c, const cmd_def *d, const cli_globals *g, lb_err *err)
{
    char path[PATH_MAX];
    lb_status st;
    if ((st = db_default_path(g->db, path, sizeof path, err)) != LB_OK ||
        (st = (reads_only(d) ? db_open_read : db_open)(path, &c->db, err)) != LB_OK ||
        (st = ctx_init(&c->ctx, c->db, g->as, err)) != LB_OK)
        return st;
    /* A user named with --as or $LEADBOARD_USER must exist, even to
     * read: a mistyped identity is said at once.  The OS login, used
     * when nobody is named, may read without being a user. */
    const char *named = g->as ? g->as : getenv("LEADBOARD_USER");
    if (named && *named && !c->ctx.has_actor && strcmp(d->name, "init") != 0 &&
        strcmp(d->name, "user add") != 0)
        return ctx_require_actor(&c->ctx, err);
    return LB_OK;
}

/* Runs command d on the words after its name; the exit code. */
static int run_command(cli *c, const cmd_def *d, const cli_globals *g, int n, char **words)
{
    lb_err err = {LB_OK, ""};
    cmd_args a;
    lb_status st = parse_cmd_args(d, n, words, &a, &err);
    if (st == LB_OK && !d->no_db)
        st = open_for(c, d, g, &err);
    if (st != LB_OK)
        return fail_out(&err, st);
    st = (lb_status)d->run(c, &a, &err);
    if ((fflush(stdout) != 0 || ferror(stdout)) && st == LB_OK)
        st = lb_fail(&err, LB_EDB, "cannot write output: %s", strerror(errno ? errno : EIO));
    return st != LB_OK ? fail_out(&err, st) : 0;
}

/* --version, --help, the board or a command: the exit code. */
static int dispatch(cli *c, const cli_globals *g, char **rest, int nrest)
{
    int used = 0;
    const cmd_def *d = nrest ? find_command(nrest, (const char *const *)rest, &used) : NULL;
    if (g->version) {
        printf("leadboard %s (schema %d, %s)\n", PACKAGE_VERSION, db_latest_version(),
               db_engine_version());
        return 0;
    }
    if (g->help) {
        if (d)
            usage_cmd(stdout, d);
        else if (nrest && !family_usage(stdout, rest[0])) {
            unknown_command(rest, nrest); /* "nosuch --help": no such command, exit 1 */
            return 1;
        } else if (!nrest)
            usage_all(stdout);
        return 0;
    }
    if (nrest == 0)
        return run_board(g->db, g->as, g->replay, g->size, g->dump, g->timings);
    if (g->replay || g->size || g->dump || g->timings) {
        cli_error("--replay, --size, --dump-screen and --timings are for the "
                  "board: give them without a command");
        return 1;
    }
    if (!d) {
        unknown_command(rest, nrest);
        return 1;
    }
    return run_command(c, d, g, nrest - used, rest + used);
}

int cli_main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* Past a file-size limit (ulimit -f) a write fails with EFBIG and is
     * reported, instead of the signal killing the program silently. */
    signal(SIGXFSZ, SIG_IGN);
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    int nrest = 0, code;
    cli_globals g;
    cli c;
    memset(&c, 0, sizeof c);
    if (!rest)
        return 5;
    code = parse_globals(argc, argv, &g, rest, &nrest);
    if (code == 0)
        code = choose_format(&c, g.format) ? dispatch(&c, &g, rest, nrest) : 1;
    db_close(c.db);
    free(rest);
    return code;
}
