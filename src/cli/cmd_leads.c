#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "leadboard/store.h"

static lb_status if_version(const cmd_args *a, int64_t *v, lb_err *err)
{
    const char *s = arg_get(a, "if-version");
    *v = 0;
    return s ? id_parse("--if-version", s, v, err) : LB_OK;
}

static lb_status lead_id(const cmd_args *a, int64_t *id, lb_err *err)
{
    return id_parse("lead id", a->pos[0], id, err);
}

static lb_lead_input lead_input(const cmd_args *a)
{
    lb_lead_input in = {arg_get(a, "name"),  arg_get(a, "company"), arg_get(a, "title"),
                        arg_get(a, "email"), arg_get(a, "phone"),   arg_get(a, "note"),
                        arg_get(a, "campaign"), arg_get(a, "value")};
    return in;
}

int cmd_lead_add(cli *c, const cmd_args *a, lb_err *err)
{
    lb_lead_input in = lead_input(a);
    int64_t id = 0;
    if (!in.name)
        return lb_fail(err, LB_EUSAGE, "lead add needs --name NAME");
    if (arg_has(a, "if-version"))
        return lb_fail(err, LB_EUSAGE, "--if-version is for lead edit");
    lb_status st = act_lead_add(&c->ctx, &in, &id, err);
    if (st == LB_OK)
        printf("%lld\n", (long long)id);
    return st;
}

int cmd_lead_edit(cli *c, const cmd_args *a, lb_err *err)
{
    lb_lead_input in = lead_input(a);
    int64_t id, v;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK || (st = if_version(a, &v, err)) != LB_OK)
        return st;
    if (!in.name && !in.company && !in.title && !in.email && !in.phone && !in.notes &&
        !in.campaign && !in.value)
        return lb_fail(err, LB_EUSAGE, "nothing to change; give at least one of --name, "
                                       "--company, --title, --email, --phone, --campaign, "
                                       "--value, --note");
    st = act_lead_edit(&c->ctx, id, &in, v, err);
    if (st == LB_OK)
        cli_say(c, "lead %lld saved", (long long)id);
    return st;
}

/* ---- list ---- */

static const out_col lead_cols[] = {
    {"id", COL_INT, false},         {"name", COL_TEXT, false},
    {"company", COL_TEXT, false},   {"title", COL_TEXT, true},
    {"email", COL_TEXT, true},      {"phone", COL_TEXT, true},
    {"campaign", COL_TEXT, false},  {"value", COL_MONEY, false},
    {"stage", COL_TEXT, false},     {"owner", COL_TEXT, false},
    {"marketer", COL_TEXT, true},   {"stars", COL_INT, false},
    {"created_at", COL_TIME, true}, {"stage_at", COL_TIME, false},
};
#define LEAD_NCOLS ((int)(sizeof lead_cols / sizeof lead_cols[0]))

static int lead_row_out(const lb_lead *l, void *ud)
{
    char id[24], value[32], stars[8] = "";
    fmt_int(l->id, id, sizeof id);
    fmt_money_opt(l->has_value, l->value, value, sizeof value);
    if (l->stars)
        fmt_int(l->stars, stars, sizeof stars);
    const char *v[] = {id,    l->name,  l->company,       l->title,  l->email,
                       l->phone, l->campaign, value,      stage_name(l->stage), l->owner,
                       l->marketer, stars, l->created_at, l->stage_at};
    out_row(ud, v);
    return 0;
}

int cmd_list(cli *c, const cmd_args *a, lb_err *err)
{
    lb_lead_filter f;
    lb_status st;
    int stage;
    memset(&f, 0, sizeof f);
    if (arg_get(a, "stage")) {
        if ((st = vocab_parse(&lb_stages, arg_get(a, "stage"), &stage, err)) != LB_OK)
            return st;
        f.has_stage = true;
        f.stage = (lb_stage)stage;
    }
    f.owner = arg_get(a, "owner");
    f.campaign = arg_get(a, "campaign");
    f.search = arg_get(a, "search");
    if (f.search && (st = text_check("--search", f.search, LB_SHORT_MAX, false, err)) != LB_OK)
        return st;
    if (arg_get(a, "limit") && (st = id_parse("--limit", arg_get(a, "limit"), &f.limit, err)) != LB_OK)
        return st;
    out_writer *w = out_begin(stdout, c->fmt, lead_cols, LEAD_NCOLS);
    st = lead_each(c->db, &f, lead_row_out, w, err);
    out_end(w);
    return st;
}

/* ---- lead show ---- */

static const out_col timeline_cols[] = {
    {"at", COL_TIME, false},
    {"type", COL_TEXT, false},
    {"user", COL_TEXT, false},
    {"detail", COL_TEXT, false},
};

static int timeline_out(const lb_timeline_entry *e, void *ud)
{
    const char *v[] = {e->at, e->type, e->user, e->detail};
    out_row(ud, v);
    return 0;
}

struct json_timeline {
    int n;
};

static void json_str(const char *s)
{
    out_json_string(stdout, s);
}

static int timeline_json(const lb_timeline_entry *e, void *ud)
{
    struct json_timeline *j = ud;
    fputs(j->n++ ? ",\n   {\"at\": " : "\n   {\"at\": ", stdout);
    json_str(e->at);
    fputs(", \"type\": ", stdout);
    json_str(e->type);
    fputs(", \"user\": ", stdout);
    json_str(e->user);
    fputs(", \"detail\": ", stdout);
    json_str(e->detail);
    putchar('}');
    return 0;
}

static void json_field(const char *key, const char *value, bool raw, bool first)
{
    printf("%s\"%s\": ", first ? "" : ", ", key);
    if (raw)
        fputs(value && *value ? value : "null", stdout);
    else if (value && *value)
        json_str(value);
    else
        fputs("null", stdout);
}

static void show_json(cli *c, const lb_lead *l, unsigned sla, lb_err *err)
{
    char id[24], value[32], stars[8] = "", version[24];
    fmt_int(l->id, id, sizeof id);
    fmt_money_opt(l->has_value, l->value, value, sizeof value);
    if (l->stars)
        fmt_int(l->stars, stars, sizeof stars);
    fmt_int(l->version, version, sizeof version);
    fputs("[\n {", stdout);
    json_field("id", id, true, true);
    json_field("name", l->name, false, false);
    json_field("company", l->company, false, false);
    json_field("title", l->title, false, false);
    json_field("email", l->email, false, false);
    json_field("phone", l->phone, false, false);
    json_field("notes", l->notes, false, false);
    json_field("campaign", l->campaign, false, false);
    json_field("value", value, true, false);
    json_field("stage", stage_name(l->stage), false, false);
    json_field("owner", l->owner, false, false);
    json_field("marketer", l->marketer, false, false);
    json_field("reason", l->reason, false, false);
    json_field("stars", stars, true, false);
    json_field("created_at", l->created_at, false, false);
    json_field("stage_at", l->stage_at, false, false);
    json_field("handed_off_at", l->handed_off_at, false, false);
    json_field("accepted_at", l->accepted_at, false, false);
    json_field("first_touch_at", l->first_touch_at, false, false);
    json_field("last_touch_at", l->last_touch_at, false, false);
    json_field("next_due_at", l->next_due_at, false, false);
    json_field("closed_at", l->closed_at, false, false);
    json_field("revisit_at", l->revisit_at, false, false);
    json_field("version", version, true, false);
    json_field("sla_overdue", sla ? "true" : "false", true, false);
    fputs(", \"timeline\": [", stdout);
    struct json_timeline j = {0};
    timeline_each(c->db, l->id, timeline_json, &j, err);
    fputs(j.n ? "\n  ]}\n]\n" : "]}\n]\n", stdout);
}

static void show_line(const char *label, const char *value)
{
    if (!value || !*value)
        return;
    char *shown = out_shown(value, true); /* the output rule, lines kept */
    if (!shown)
        return;
    printf("  %-12s ", label);
    for (const char *p = shown; *p; p++) { /* continuation lines line up under the value */
        if (p[0] == '\\' && p[1] == 'r' && (p[2] == '\n' || p[2] == '\0')) {
            p++; /* a CRLF line end is a line end */
            continue;
        }
        putchar(*p);
        if (*p == '\n' && p[1])
            printf("  %-12s ", "");
    }
    putchar('\n');
    free(shown);
}

static void show_time(const char *label, const char *iso)
{
    lb_time t;
    char buf[32];
    if (iso[0] && time_parse(iso, &t, NULL) == LB_OK) {
        time_format_human(t, buf, sizeof buf);
        show_line(label, buf);
    }
}

static void show_table(cli *c, const lb_lead *l, unsigned sla, lb_err *err)
{
    char buf[128], age[16];
    lb_time t = c->ctx.now;
    char *name = out_shown(l->name, false);
    printf("Lead %lld: %s  (version %lld)\n", (long long)l->id, name ? name : "",
           (long long)l->version);
    free(name);
    show_line("company", l->company);
    show_line("title", l->title);
    show_line("email", l->email);
    show_line("phone", l->phone);
    show_line("campaign", l->campaign);
    if (l->has_value) {
        money_format_human(l->value, buf, sizeof buf);
        show_line("value", buf);
    }
    time_parse(l->stage_at, &t, NULL);
    time_format_age(c->ctx.now - t, age, sizeof age);
    snprintf(buf, sizeof buf, "%s for %s", stage_name(l->stage), age);
    show_line("stage", buf);
    show_line("owner", l->owner);
    show_line("marketer", l->marketer);
    show_line("reason", l->reason);
    if (l->stars) {
        snprintf(buf, sizeof buf, "%d/5", l->stars);
        show_line("stars", buf);
    }
    if (sla) {
        snprintf(buf, sizeof buf, "%s%s%s%s", (sla & SLA_ACCEPT_OVERDUE) ? "accept overdue; " : "",
                 (sla & SLA_FIRST_TOUCH_OVERDUE) ? "first touch overdue; " : "",
                 (sla & SLA_FOLLOWUP_OVERDUE) ? "follow-up overdue; " : "",
                 (sla & SLA_STALE) ? "stale; " : "");
        buf[strlen(buf) - 2] = '\0';
        show_line("SLA", buf);
    }
    show_time("created", l->created_at);
    show_time("handed off", l->handed_off_at);
    show_time("accepted", l->accepted_at);
    show_time("first touch", l->first_touch_at);
    show_time("next due", l->next_due_at);
    show_time("closed", l->closed_at);
    show_time("revisit", l->revisit_at);
    show_line("notes", l->notes);
    printf("\nTimeline\n");
    out_writer *w = out_begin(stdout, FMT_TABLE, timeline_cols, 4);
    timeline_each(c->db, l->id, timeline_out, w, err);
    out_end(w);
}

int cmd_lead_show(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id;
    lb_status st;
    lb_sla sla;
    if ((st = lead_id(a, &id, err)) != LB_OK)
        return st;
    lb_lead *l = malloc(sizeof *l);
    if (!l)
        return lb_fail(err, LB_EDB, "out of memory");
    if ((st = lead_get(c->db, id, l, err)) == LB_OK && (st = sla_load(c->db, &sla, err)) == LB_OK) {
        unsigned flags = sla_state(&sla, l, c->ctx.now);
        lb_err_clear(err);
        if (c->fmt == FMT_JSON) {
            show_json(c, l, flags, err);
        } else if (c->fmt == FMT_TABLE) {
            show_table(c, l, flags, err);
        } else {
            out_writer *w = out_begin(stdout, c->fmt, timeline_cols, 4);
            timeline_each(c->db, id, timeline_out, w, err);
            out_end(w);
        }
        st = err->status;
    }
    free(l);
    return st;
}

/* ---- the pipeline ---- */

int cmd_handoff(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, v;
    lb_status st;
    const char *to = arg_get(a, "to");
    if ((st = lead_id(a, &id, err)) != LB_OK || (st = if_version(a, &v, err)) != LB_OK)
        return st;
    if (!to)
        return lb_fail(err, LB_EUSAGE, "handoff needs --to LOGIN (a sales rep)");
    st = act_handoff(&c->ctx, id, to, arg_get(a, "note"), v, err);
    if (st == LB_OK)
        cli_say(c, "lead %lld handed off to %s", (long long)id, to);
    if (st == LB_OK)
        cli_wip_warning(c, to);
    return st;
}

int cmd_accept(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, v;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK || (st = if_version(a, &v, err)) != LB_OK)
        return st;
    st = act_accept(&c->ctx, id, v, err);
    if (st == LB_OK)
        cli_say(c, "lead %lld accepted", (long long)id);
    return st;
}

int cmd_reject(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, v;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK || (st = if_version(a, &v, err)) != LB_OK)
        return st;
    if (!arg_get(a, "reason"))
        return lb_fail(err, LB_EUSAGE, "reject needs --reason TEXT (why the lead is not ready)");
    int stars = 0;
    const char *sv = arg_get(a, "stars");
    if (sv) {
        if (!(sv[0] >= '1' && sv[0] <= '5' && sv[1] == '\0'))
            return lb_fail(err, LB_EINVAL,
                           "--stars must be a whole number from 1 to 5 (got '%.20s')", sv);
        stars = sv[0] - '0';
    }
    const char *const *tags = NULL;
    int ntags = arg_all(a, "reason-tag", &tags);
    st = act_reject_rated(&c->ctx, id, arg_get(a, "reason"), stars, tags, ntags, v, err);
    if (st == LB_OK)
        cli_say(c, "lead %lld rejected back to nurture%s", (long long)id,
                stars ? " with a rating" : "");
    return st;
}

int cmd_move(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, v;
    int stage;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK || (st = if_version(a, &v, err)) != LB_OK ||
        (st = vocab_parse(&lb_stages, a->pos[1], &stage, err)) != LB_OK)
        return st;
    st = act_move_revisit(&c->ctx, id, (lb_stage)stage, arg_get(a, "value"), arg_get(a, "reason"),
                          arg_get(a, "revisit"), v, err);
    if (st == LB_OK) {
        /* the day it comes back, not what was typed ("+2w") */
        char day[LB_TIME_BUF] = "";
        lb_time t;
        if (arg_get(a, "revisit") &&
            time_parse_input(arg_get(a, "revisit"), c->ctx.now, false, &t, NULL) == LB_OK)
            time_format_local_date(t, day, sizeof day);
        cli_say(c, "lead %lld moved to %s%s%s", (long long)id, a->pos[1], day[0] ? "; revisit " : "",
                day);
    }
    return st;
}

int cmd_log(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, fid;
    int kind = KIND_CALL, outcome, moved;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK)
        return st;
    if (!arg_get(a, "outcome"))
        return lb_fail(err, LB_EUSAGE,
                       "log needs --outcome OUTCOME (connected, voicemail, no_answer, "
                       "meeting_booked, not_interested, wrong_contact)");
    if ((st = vocab_parse(&lb_outcomes, arg_get(a, "outcome"), &outcome, err)) != LB_OK)
        return st;
    if (arg_get(a, "kind") && (st = vocab_parse(&lb_kinds, arg_get(a, "kind"), &kind, err)) != LB_OK)
        return st;
    lb_followup_input in = {(lb_kind)kind, (lb_outcome)outcome, arg_get(a, "note"),
                            arg_get(a, "next-step"), arg_get(a, "due"), NULL, 0};
    in.nassets = arg_all(a, "used", &in.assets);
    st = act_log(&c->ctx, id, &in, &fid, &moved, err);
    if (st == LB_OK) {
        cli_say(c, "logged %s (%s) on lead %lld%s", vocab_name(&lb_kinds, kind),
                vocab_name(&lb_outcomes, outcome), (long long)id,
                moved >= 0 ? "; moved to contacted" : "");
    }
    return st;
}

int cmd_rate(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id, rid, stars;
    lb_status st;
    const char *const *reasons = NULL;
    if ((st = lead_id(a, &id, err)) != LB_OK)
        return st;
    const char *s = a->pos[1];
    if (!(s[0] >= '1' && s[0] <= '5' && s[1] == '\0'))
        return lb_fail(err, LB_EINVAL, "stars must be a whole number from 1 to 5 (got '%.20s')",
                       s);
    stars = s[0] - '0';
    int n = arg_all(a, "reason", &reasons);
    st = act_rate(&c->ctx, id, (int)stars, reasons, n, arg_get(a, "comment"), &rid, err);
    if (st == LB_OK)
        printf("%lld\n", (long long)rid);
    return st;
}

int cmd_comment(cli *c, const cmd_args *a, lb_err *err)
{
    int64_t id;
    lb_status st;
    if ((st = lead_id(a, &id, err)) != LB_OK)
        return st;
    st = act_comment(&c->ctx, id, a->pos[1], NULL, err);
    if (st == LB_OK)
        cli_say(c, "comment added to lead %lld", (long long)id);
    return st;
}
