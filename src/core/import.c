#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "leadboard/import.h"
#include "leadboard/rules.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

/* ---- header names ---- */

static const struct {
    const char *key; /* lower case, without spaces, '_' and '-' */
    lb_import_field field;
} header_names[] = {
    {"firstname", IMP_FIRST_NAME},
    {"givenname", IMP_FIRST_NAME},
    {"lastname", IMP_LAST_NAME},
    {"surname", IMP_LAST_NAME},
    {"familyname", IMP_LAST_NAME},
    {"name", IMP_NAME},
    {"fullname", IMP_NAME},
    {"contactname", IMP_NAME},
    {"leadname", IMP_NAME},
    {"company", IMP_COMPANY},
    {"companyname", IMP_COMPANY},
    {"accountname", IMP_COMPANY},
    {"organization", IMP_COMPANY},
    {"organisation", IMP_COMPANY},
    {"email", IMP_EMAIL},
    {"emailaddress", IMP_EMAIL},
    {"phone", IMP_PHONE},
    {"phonenumber", IMP_PHONE},
    {"telephone", IMP_PHONE},
    {"mobile", IMP_MOBILE},
    {"mobilephone", IMP_MOBILE},
    {"mobilephonenumber", IMP_MOBILE},
    {"title", IMP_TITLE},
    {"jobtitle", IMP_TITLE},
    {"leadsource", IMP_CAMPAIGN},
    {"campaign", IMP_CAMPAIGN},
    {"campaignname", IMP_CAMPAIGN},
    {"originalsource", IMP_CAMPAIGN},
    {"amount", IMP_VALUE},
    {"estimatedvalue", IMP_VALUE},
    {"value", IMP_VALUE},
    {"description", IMP_NOTES},
    {"notes", IMP_NOTES},
    {"note", IMP_NOTES},
    /* leadboard's own export */
    {"id", IMP_IGNORED},
    {"stars", IMP_STARS},
    {"furthest", IMP_FURTHEST},
    {"rejections", IMP_REJECTIONS},
    {"stage", IMP_STAGE},
    {"owner", IMP_OWNER},
    {"marketer", IMP_MARKETER},
    {"reason", IMP_REASON},
    {"createdat", IMP_CREATED_AT},
    {"stageat", IMP_STAGE_AT},
    {"handedoffat", IMP_HANDED_OFF_AT},
    {"acceptedat", IMP_ACCEPTED_AT},
    {"firsttouchat", IMP_FIRST_TOUCH_AT},
    {"lasttouchat", IMP_LAST_TOUCH_AT},
    {"nextdueat", IMP_NEXT_DUE_AT},
    {"closedat", IMP_CLOSED_AT},
    {"campaignchannel", IMP_CAMPAIGN_CHANNEL},
    {"campaigncost", IMP_CAMPAIGN_COST},
};

lb_import_field import_map_header(const char *name)
{
    char key[32];
    size_t k = 0;
    for (const char *p = name ? name : ""; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '\t' || c == '_' || c == '-')
            continue;
        if (strncmp(p, "\xC2\xA0", 2) == 0 || strncmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += p[0] == '\xC2' ? 1 : 2; /* a no-break space, a stray BOM */
            continue;
        }
        if (k + 1 == sizeof key)
            return IMP_UNKNOWN;
        key[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    key[k] = '\0';
    for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
        if (strcmp(key, header_names[i].key) == 0)
            return header_names[i].field;
    return IMP_UNKNOWN;
}

/* Columns only a manager's import restores (created_at is for everyone). */
static bool pipeline_field(lb_import_field f)
{
    return f >= IMP_STAGE && f <= IMP_STARS && f != IMP_CREATED_AT;
}

lb_status dup_mode_parse(const char *s, lb_dup_mode *out, lb_err *err)
{
    static const char *const names[] = {"skip", "update", "error"};
    for (int i = 0; i < 3; i++)
        if (s && strcmp(s, names[i]) == 0) {
            *out = (lb_dup_mode)i;
            return LB_OK;
        }
    return lb_fail(err, LB_EUSAGE, "--on-duplicate '%.40s': use skip, update or error", s ? s : "");
}

/* ---- small helpers ---- */

/* A growable string. */
typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static bool sb_reserve(sbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

static bool sb_set(sbuf *b, const char *s, size_t n)
{
    b->len = 0;
    if (!sb_reserve(b, n))
        return false;
    memcpy(b->p, s, n);
    b->len = n;
    b->p[n] = '\0';
    return true;
}

static bool sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (!sb_reserve(b, n))
        return false;
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
    return true;
}

/* s without leading and trailing blanks, copied into b. */
static const char *trim_into(sbuf *b, const char *s)
{
    size_t n;
    s = text_trim(s, &n);
    return sb_set(b, s, n) ? b->p : "";
}

/* s, cut on a character boundary to fit n bytes, in buf: for messages. */
static const char *clip(char *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    return buf;
}

static void list_add(char *buf, int *n, const char *item)
{
    size_t used = strlen(buf), len = strlen(item);
    (*n)++;
    if (used >= 5 && strcmp(buf + used - 5, ", ...") == 0)
        return;
    if (used + len + 2 + 6 >= IMPORT_LIST_MAX) {
        snprintf(buf + used, IMPORT_LIST_MAX - used, "%s...", used ? ", " : "");
        return;
    }
    snprintf(buf + used, IMPORT_LIST_MAX - used, "%s%s", used ? ", " : "", item);
}

/* ---- the campaigns met in the file, by name (ASCII case folded, as
 * SQLite's NOCASE compares) ---- */

typedef struct {
    char *key;
    int64_t id;
} camp_slot;

typedef struct {
    camp_slot *slots;
    size_t cap, n;
} camp_map;

static void fold(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static camp_slot *camp_find(camp_map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key || strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    }
}

static bool camp_put(camp_map *m, const char *key, int64_t id)
{
    if ((m->n + 1) * 2 > m->cap) {
        camp_map bigger = {calloc(m->cap ? m->cap * 2 : 64, sizeof(camp_slot)),
                           m->cap ? m->cap * 2 : 64, m->n};
        if (!bigger.slots)
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key)
                *camp_find(&bigger, m->slots[i].key) = m->slots[i];
        free(m->slots);
        *m = bigger;
    }
    char *k = strdup(key);
    if (!k)
        return false;
    camp_slot *s = camp_find(m, key);
    s->key = k;
    s->id = id;
    m->n++;
    return true;
}

static void camp_free(camp_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
}

/* ---- the import ---- */

typedef struct {
    int64_t id;
    long line;
} added_lead;

typedef struct {
    lb_ctx *ctx;
    const lb_import_opts *o;
    lb_import_summary *sum;
    csv_reader *r;
    const char *src;
    bool manager;
    long line;

    int ncols;
    lb_import_field *col; /* per column, after duplicates and permissions */
    char **colname;       /* per column, for notes and messages */
    int idx[IMP_FIELD_COUNT];

    int64_t fixed_campaign;
    char fixed_campaign_name[LB_BUF(LB_SHORT_MAX)];
    camp_map camps;
    /* The board had no email when the import began: rows are matched on
     * their emails (folded like NOCASE) here instead of probing the index. */
    bool board_emails;
    camp_map emails;
    lb_user *users;
    size_t nusers, users_cap;
    bool users_oom;
    added_lead *added;
    size_t nadded, added_cap;

    bool own; /* the file is leadboard's export (it has stage_at) */
    lb_channel row_channel; /* the row's campaign_channel and campaign_cost */
    int64_t row_cost;

    lb_lead *lead, *old;
    lb_lead_bulk *bulk;
    sbuf name, email, value, campaign, notes, tmp, piece, email_key;
} imp;

static lb_status oom(lb_err *err)
{
    return lb_fail(err, LB_EDB, "out of memory");
}

/* Puts "SOURCE:LINE: " before err's message. */
static lb_status at_line(imp *im, long line, lb_status st, lb_err *err)
{
    char msg[LB_ERR_MAX];
    snprintf(msg, sizeof msg, "%s", err && err->msg[0] ? err->msg : lb_status_desc(st));
    return lb_fail(err, st, "%.200s:%ld: %s", im->src, line, msg);
}

/* The export's cells are under the CSV writer's formula rule
 * (csv_write.h); importing the export takes its apostrophes off again. */
/* Field i of the row; in leadboard's export, as it was before the export
 * guarded it (another CRM's apostrophes are its data). */
static const char *row_field(imp *im, int i)
{
    const char *v = csv_field(im->r, i);
    return im->own ? csv_unguard(v) : v;
}

static const char *field_of(imp *im, lb_import_field f)
{
    int i = im->idx[f];
    return i < 0 ? NULL : row_field(im, i);
}

/* The column's name as the file has it, short enough for a message. */
static void label_of(imp *im, lb_import_field f, char *buf, size_t n)
{
    int i = im->idx[f];
    clip(buf, n < 41 ? n : 41, i < 0 ? "?" : im->colname[i]);
}

static lb_status audit(imp *im, const char *entity, int64_t id, int64_t lead_id, const char *action,
                       const char *field, const char *old_value, const char *new_value, lb_err *err)
{
    char note[256];
    snprintf(note, sizeof note, "imported from %.200s:%ld", im->src, im->line);
    lb_event ev = {entity, id, lead_id, action, field, old_value, new_value, note};
    return event_insert(im->ctx->db, im->ctx->now_iso, im->ctx->actor.id, im->ctx->os_login, &ev,
                        err);
}

static int user_add_cb(const lb_user *u, void *ud)
{
    imp *im = ud;
    if (im->nusers == im->users_cap) {
        size_t cap = im->users_cap ? im->users_cap * 2 : 16;
        lb_user *p = realloc(im->users, cap * sizeof *p);
        if (!p) {
            im->users_oom = true;
            return 1;
        }
        im->users = p;
        im->users_cap = cap;
    }
    im->users[im->nusers++] = *u;
    return 0;
}

static int user_cmp(const void *a, const void *b)
{
    return strcmp(((const lb_user *)a)->login, ((const lb_user *)b)->login);
}

static const lb_user *user_find(imp *im, const char *login)
{
    lb_user key;
    snprintf(key.login, sizeof key.login, "%s", login);
    if (strlen(login) > LB_LOGIN_MAX)
        return NULL;
    return bsearch(&key, im->users, im->nusers, sizeof key, user_cmp);
}

/* The id of campaign `name`, creating it (with the row's channel and cost,
 * else other and 0, and its event) when the board has none by that name. */
static lb_status campaign_resolve(imp *im, const char *name, int64_t *id, lb_err *err)
{
    lb_status st;
    if (!sb_set(&im->tmp, name, strlen(name)))
        return oom(err);
    fold(im->tmp.p);
    camp_slot *s = camp_find(&im->camps, im->tmp.p);
    if (s && s->key) {
        *id = s->id;
        return LB_OK;
    }
    lb_campaign c;
    lb_err inner;
    st = campaign_get(im->ctx->db, name, &c, &inner);
    if (st == LB_ENOTFOUND) {
        if ((st = rules_permit(&im->ctx->actor, ACTION_CAMPAIGN_ADD, NULL, err)) != LB_OK)
            return st;
        memset(&c, 0, sizeof c);
        snprintf(c.name, sizeof c.name, "%s", name);
        c.channel = im->row_channel;
        c.cost = im->row_cost;
        snprintf(c.created_at, sizeof c.created_at, "%s", im->ctx->now_iso);
        if ((st = campaign_insert(im->ctx->db, &c, err)) != LB_OK)
            return st;
        char cost[32];
        money_format(c.cost, cost, sizeof cost);
        lb_event ev = {"campaign", c.id, 0, "create", "cost", NULL, cost, c.name};
        st = event_insert(im->ctx->db, im->ctx->now_iso, im->ctx->actor.id, im->ctx->os_login, &ev,
                          err);
        if (st != LB_OK)
            return st;
        list_add(im->sum->created_campaigns, &im->sum->created_campaigns_n, c.name);
    } else if (st != LB_OK) {
        return lb_fail(err, st, "%s", inner.msg);
    }
    if (!camp_put(&im->camps, im->tmp.p, c.id))
        return oom(err);
    *id = c.id;
    return LB_OK;
}

/* Reads the header row and decides what each column is. */
static lb_status read_header(imp *im, lb_err *err)
{
    int k = csv_next(im->r, err);
    if (k < 0)
        return at_line(im, csv_error_line(im->r), LB_EINVAL, err);
    if (k == 0)
        return lb_fail(err, LB_EINVAL,
                       "%.200s: the file is empty; expected a header row such as "
                       "'First Name,Last Name,Email,Company' and a row per lead",
                       im->src);
    im->line = csv_record_line(im->r);
    im->ncols = csv_nfields(im->r);
    im->col = calloc((size_t)im->ncols, sizeof *im->col);
    im->colname = calloc((size_t)im->ncols, sizeof *im->colname);
    if (!im->col || !im->colname)
        return oom(err);
    for (int f = 0; f < IMP_FIELD_COUNT; f++)
        im->idx[f] = -1;

    /* leadboard's own export, known by its stage_at column: its id is the
     * old board's, and its pipeline columns are restored for a manager and
     * left out for marketing.  In any other file an ID, Stage or Owner
     * column is the CRM's own, kept in the notes for marketing. */
    bool own = false;
    for (int i = 0; i < im->ncols; i++)
        own = own || import_map_header(csv_field(im->r, i)) == IMP_STAGE_AT;
    im->own = own;

    for (int i = 0; i < im->ncols; i++) {
        const char *h = csv_field(im->r, i);
        char name[64];
        if (text_blank(h))
            snprintf(name, sizeof name, "column %d", i + 1);
        im->colname[i] = strdup(text_blank(h) ? name : h);
        if (!im->colname[i])
            return oom(err);
        lb_import_field f = import_map_header(h);
        if (f == IMP_IGNORED && !own)
            f = IMP_UNKNOWN;
        if (!im->manager && pipeline_field(f)) {
            im->sum->pipeline_ignored = own;
            f = own ? IMP_IGNORED : IMP_UNKNOWN;
        }
        if (f == IMP_CAMPAIGN && im->o->campaign)
            f = IMP_IGNORED;
        if (f > IMP_IGNORED && im->idx[f] >= 0)
            f = IMP_UNKNOWN; /* the first column of a kind wins; keep the others' data */
        else if (f > IMP_IGNORED)
            im->idx[f] = i;
        if (f == IMP_UNKNOWN)
            list_add(im->sum->unknown_columns, &im->sum->unknown_columns_n, im->colname[i]);
        im->col[i] = f;
    }

    if (im->idx[IMP_NAME] < 0 && im->idx[IMP_FIRST_NAME] < 0 && im->idx[IMP_LAST_NAME] < 0) {
        const char *h = im->ncols == 1 ? im->colname[0] : "";
        if (strchr(h, ';') || strchr(h, '\t')) {
            lb_fail(err, LB_EINVAL,
                    "the header is one column with %s in it: this file is separated by %s, not "
                    "commas; save it as comma-separated CSV",
                    strchr(h, ';') ? "semicolons" : "tabs", strchr(h, ';') ? "semicolons" : "tabs");
            return at_line(im, im->line, LB_EINVAL, err);
        }
        char cols[256] = "";
        for (int i = 0; i < im->ncols && strlen(cols) < 200; i++) {
            char name[41];
            snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", i ? ", " : "",
                     clip(name, sizeof name, im->colname[i]));
        }
        lb_fail(err, LB_EINVAL,
                "no name column: the header needs Name (or Full Name), or First Name and Last "
                "Name; it has %s",
                cols);
        return at_line(im, im->line, LB_EINVAL, err);
    }
    return LB_OK;
}

/* Checks a text value under the column's name. */
static lb_status check_text(imp *im, lb_import_field f, const char *s, size_t max, bool multiline,
                            lb_err *err)
{
    if (text_check("", s, max, multiline, NULL) == LB_OK)
        return LB_OK;
    char label[48];
    label_of(im, f, label, sizeof label);
    return text_check(label, s, max, multiline, err);
}

/* Copies a checked value into a lead's field (it fits: text_check counted
 * its characters). */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* One of leadboard's own timestamp columns, into buf ("" when empty). */
static lb_status timestamp(imp *im, lb_import_field f, char *buf, lb_err *err)
{
    const char *v = field_of(im, f);
    buf[0] = '\0';
    if (!v)
        return LB_OK;
    v = trim_into(&im->piece, v);
    if (!*v)
        return LB_OK;
    lb_time t;
    lb_err inner;
    if (time_parse(v, &t, &inner) != LB_OK) {
        char label[48];
        label_of(im, f, label, sizeof label);
        return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
    }
    time_format(t, buf);
    return LB_OK;
}

static lb_status person(imp *im, lb_import_field f, int64_t *id, lb_team *team, lb_err *err)
{
    const char *v = field_of(im, f);
    *id = 0;
    if (!v)
        return LB_OK;
    v = trim_into(&im->piece, v);
    if (!*v)
        return LB_OK;
    const lb_user *u = user_find(im, v);
    if (!u) {
        char label[48], login[41];
        label_of(im, f, label, sizeof label);
        clip(login, sizeof login, v);
        return lb_fail(err, LB_EINVAL,
                       "%s: no user '%s'; a manager's import restores this column: add the user "
                       "('leadboard user add %s --team TEAM'), or rename the column to keep it "
                       "in the notes",
                       label, login, strpbrk(login, " \t,") ? "LOGIN" : login);
    }
    *id = u->id;
    *team = u->team;
    return LB_OK;
}

/* The stage, owner, marketer, reason and timestamps of a manager's row. */
static lb_status pipeline(imp *im, lb_lead *l, lb_err *err)
{
    lb_status st;
    const char *v = field_of(im, IMP_STAGE);
    l->stage = STAGE_NURTURE;
    if (v && *(v = trim_into(&im->piece, v))) {
        char given[41];
        clip(given, sizeof given, v);
        fold(im->piece.p);
        int s = vocab_find(&lb_stages, im->piece.p);
        if (s < 0) {
            char label[48];
            label_of(im, IMP_STAGE, label, sizeof label);
            return lb_fail(err, LB_EINVAL,
                           "%s '%s' is not a stage (nurture, handed_off, accepted, contacted, "
                           "qualified, proposal, won, lost); a manager's import restores this "
                           "column: fix it, or rename the column to keep it in the notes",
                           label, given);
        }
        l->stage = (lb_stage)s;
    }
    lb_team team = TEAM_SALES;
    if ((st = person(im, IMP_OWNER, &l->owner_id, &team, err)) != LB_OK)
        return st;
    if (l->owner_id && team != TEAM_SALES)
        return lb_fail(err, LB_EINVAL,
                       "owner %s is in %s, not sales; leads are owned by sales reps", im->piece.p,
                       team_name(team));
    if (l->stage == STAGE_NURTURE && l->owner_id)
        return lb_fail(err, LB_EINVAL,
                       "a lead in nurture has no owner (it has not been handed off); clear the "
                       "owner or give its stage");
    if (l->stage != STAGE_NURTURE && !l->owner_id)
        return lb_fail(err, LB_EINVAL, "a lead in %s needs its owner (a sales rep's login)",
                       stage_name(l->stage));
    if (im->idx[IMP_MARKETER] >= 0 &&
        (st = person(im, IMP_MARKETER, &l->marketer_id, &team, err)) != LB_OK)
        return st;

    v = field_of(im, IMP_REASON);
    if (v) {
        if ((st = check_text(im, IMP_REASON, v, LB_REASON_MAX, true, err)) != LB_OK)
            return st;
        copy(l->reason, sizeof l->reason, v);
    }
    if (l->stage == STAGE_WON && !l->has_value)
        return lb_fail(err, LB_EINVAL, "a won lead needs its value");
    if (l->stage == STAGE_LOST && text_blank(l->reason))
        return lb_fail(err, LB_EINVAL, "a lost lead needs its reason");

    if ((st = timestamp(im, IMP_STAGE_AT, l->stage_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_HANDED_OFF_AT, l->handed_off_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_ACCEPTED_AT, l->accepted_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_FIRST_TOUCH_AT, l->first_touch_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_LAST_TOUCH_AT, l->last_touch_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_NEXT_DUE_AT, l->next_due_at, err)) != LB_OK ||
        (st = timestamp(im, IMP_CLOSED_AT, l->closed_at, err)) != LB_OK)
        return st;
    if (!l->stage_at[0])
        snprintf(l->stage_at, sizeof l->stage_at, "%s", l->created_at);

    /* What the stage and the hand-off and acceptance times prove is a floor
     * for the furthest point on the path; an exported furthest (its stage
     * name) restores it exactly. */
    int furthest = l->stage == STAGE_LOST ? STAGE_ACCEPTED : (int)l->stage;
    if (l->handed_off_at[0] && furthest < STAGE_HANDED_OFF)
        furthest = STAGE_HANDED_OFF;
    if (l->accepted_at[0] && furthest < STAGE_ACCEPTED)
        furthest = STAGE_ACCEPTED;
    v = field_of(im, IMP_FURTHEST);
    if (v && *v) {
        int f = vocab_find(&lb_stages, v);
        if (f < 0 || f == STAGE_LOST)
            return lb_fail(err, LB_EINVAL,
                           "furthest '%.40s' is not a stage on the path (nurture .. won)", v);
        if (f > furthest)
            furthest = f;
    }
    l->furthest = furthest;
    v = field_of(im, IMP_REJECTIONS);
    if (v && *v) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 1000000 || !(*v >= '0' && *v <= '9'))
            return lb_fail(err, LB_EINVAL, "rejections '%.40s' is not a whole number", v);
        l->rejections = (int)n;
    }
    v = field_of(im, IMP_STARS);
    if (v && *v) {
        if (!(v[0] >= '1' && v[0] <= '5' && v[1] == '\0'))
            return lb_fail(err, LB_EINVAL, "stars '%.40s' is not 1 to 5", v);
        l->stars = v[0] - '0';
    }
    return LB_OK;
}

/* A lead whose notes had no room for every column kept in them. */
static void note_cut(imp *im)
{
    if (im->sum->notes_cut++ == 0)
        im->sum->notes_cut_line = im->line;
}

/* The notes: the notes column, then a "Column: value" line per non-empty
 * unknown column while they fit. */
static lb_status build_notes(imp *im, const char *extra_label, const char *extra, lb_err *err)
{
    lb_status st;
    const char *v = field_of(im, IMP_NOTES);
    im->notes.len = 0;
    if (!sb_set(&im->notes, "", 0))
        return oom(err);
    /* blank notes are no notes, except in leadboard's export: as they were */
    if (v && (im->own ? *v != '\0' : !text_blank(v))) {
        if ((st = check_text(im, IMP_NOTES, v, LB_LONG_MAX, true, err)) != LB_OK)
            return st;
        if (!sb_add(&im->notes, v))
            return oom(err);
    }
    size_t chars = utf8_chars(im->notes.p);
    bool cut = false;
    for (int i = -1; i < im->ncols; i++) {
        const char *label = i < 0 ? extra_label : im->colname[i];
        const char *value = i < 0 ? extra : row_field(im, i);
        if ((i >= 0 && im->col[i] != IMP_UNKNOWN) || !value || text_blank(value))
            continue;
        if ((st = text_check(label, value, LB_LONG_MAX, true, err)) != LB_OK)
            return st;
        size_t add = utf8_chars(label) + 2 + utf8_chars(value) + (im->notes.len ? 1 : 0);
        if (chars + add > LB_LONG_MAX) {
            cut = true;
            continue;
        }
        if ((im->notes.len && !sb_add(&im->notes, "\n")) || !sb_add(&im->notes, label) ||
            !sb_add(&im->notes, ": ") || !sb_add(&im->notes, value))
            return oom(err);
        chars += add;
    }
    if (cut)
        note_cut(im);
    return LB_OK;
}

/* Finds the line of an earlier row of this file that added lead id. */
static long added_line(imp *im, int64_t id)
{
    size_t lo = 0, hi = im->nadded;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (im->added[mid].id < id)
            lo = mid + 1;
        else if (im->added[mid].id > id)
            hi = mid;
        else
            return im->added[mid].line;
    }
    return 0;
}

/* Whether text holds lines as whole lines of its own. */
static bool has_lines(const char *text, const char *lines)
{
    size_t n = strlen(lines);
    for (const char *p = strstr(text, lines); p; p = strstr(p + 1, lines))
        if ((p == text || p[-1] == '\n') && (p[n] == '\0' || p[n] == '\n'))
            return true;
    return false;
}

static lb_status edit_field(imp *im, lb_lead *old, const char *field, char *buf, size_t size,
                            const char *v, bool *changed, lb_err *err)
{
    if (!v || !*v || strcmp(buf, v) == 0)
        return LB_OK;
    lb_status st = audit(im, "lead", old->id, old->id, "edit", field, buf, v, err);
    snprintf(buf, size, "%s", v);
    *changed = true;
    return st;
}

/* update mode: overwrites the lead's details with the row's non-empty
 * fields; never its stage, owner or times (those change by transitions). */
static lb_status update_lead(imp *im, int64_t id, const lb_lead *l, const char *campaign,
                             lb_err *err)
{
    lb_lead *old = im->old;
    lb_status st = lead_get(im->ctx->db, id, old, err);
    if (st != LB_OK)
        return st;
    if (rules_permit(&im->ctx->actor, ACTION_LEAD_EDIT, old, NULL) != LB_OK) {
        im->sum->not_updated++;
        im->sum->skipped++;
        return LB_OK;
    }
    bool changed = false;
#define EDIT(f, name)                                                                              \
    if (st == LB_OK)                                                                               \
    st = edit_field(im, old, name, old->f, sizeof old->f, l->f, &changed, err)
    EDIT(name, "name");
    EDIT(company, "company");
    EDIT(title, "title");
    EDIT(phone, "phone");
    /* A notes column replaces the notes.  Without one, the row's notes are
     * only its other columns' "Column: value" lines: they go below the
     * lead's own notes (once: not again when they are there already). */
    const char *notes_col = field_of(im, IMP_NOTES);
    if (notes_col && !text_blank(notes_col)) {
        EDIT(notes, "notes");
    } else if (st == LB_OK && l->notes[0] && !has_lines(old->notes, l->notes)) {
        im->tmp.len = 0;
        if (!sb_set(&im->tmp, old->notes, strlen(old->notes)) ||
            (old->notes[0] && !sb_add(&im->tmp, "\n")) || !sb_add(&im->tmp, l->notes))
            return oom(err);
        if (utf8_chars(im->tmp.p) <= LB_LONG_MAX && im->tmp.len < sizeof old->notes)
            st = edit_field(im, old, "notes", old->notes, sizeof old->notes, im->tmp.p, &changed,
                            err);
        else
            note_cut(im);
    }
#undef EDIT
    if (st == LB_OK && campaign) {
        int64_t cid;
        st = campaign_resolve(im, campaign, &cid, err);
        if (st == LB_OK && cid != old->campaign_id) {
            st = audit(im, "lead", id, id, "edit", "campaign", old->campaign, campaign, err);
            old->campaign_id = cid;
            changed = true;
        }
    }
    if (st == LB_OK && l->has_value && (!old->has_value || old->value != l->value)) {
        char o[32] = "", n[32];
        if (old->has_value)
            money_format(old->value, o, sizeof o);
        money_format(l->value, n, sizeof n);
        st = audit(im, "lead", id, id, "edit", "value", o, n, err);
        old->has_value = true;
        old->value = l->value;
        changed = true;
    }
    if (st != LB_OK)
        return st;
    if (!changed) {
        im->sum->duplicates++;
        im->sum->skipped++;
        return LB_OK;
    }
    snprintf(old->updated_at, sizeof old->updated_at, "%s", im->ctx->now_iso);
    old->updated_by_id = im->ctx->actor.id;
    if ((st = lead_update(im->ctx->db, old, err)) == LB_OK)
        im->sum->updated++;
    return st;
}

static void clear_lead(lb_lead *l)
{
    l->id = l->campaign_id = l->value = l->marketer_id = l->owner_id = 0;
    l->has_value = false;
    l->name[0] = l->company[0] = l->title[0] = l->email[0] = l->phone[0] = '\0';
    l->notes[0] = l->campaign[0] = l->marketer[0] = l->owner[0] = l->reason[0] = '\0';
    l->created_at[0] = l->stage_at[0] = l->handed_off_at[0] = l->accepted_at[0] = '\0';
    l->first_touch_at[0] = l->last_touch_at[0] = l->next_due_at[0] = l->closed_at[0] = '\0';
    l->updated_at[0] = l->updated_by[0] = '\0';
    l->stage = STAGE_NURTURE;
    l->furthest = l->rejections = l->stars = 0;
    l->version = l->updated_by_id = 0;
}

static lb_status import_row(imp *im, lb_err *err)
{
    lb_status st;
    lb_lead *l = im->lead;
    char label[48];
    clear_lead(l);

    /* name: Name, else "First Last" */
    const char *name = field_of(im, IMP_NAME);
    bool whole = name && !text_blank(name);
    if (!whole) {
        const char *first = field_of(im, IMP_FIRST_NAME), *last = field_of(im, IMP_LAST_NAME);
        im->name.len = 0;
        if (!sb_set(&im->name, "", 0))
            return oom(err);
        if (first && !sb_add(&im->name, trim_into(&im->piece, first)))
            return oom(err);
        if (last && *(last = trim_into(&im->piece, last)) &&
            ((im->name.len && !sb_add(&im->name, " ")) || !sb_add(&im->name, last)))
            return oom(err);
        name = im->name.p;
    }
    if (text_blank(name) || text_check("", name, LB_SHORT_MAX, false, NULL) != LB_OK) {
        /* the columns it came from, for the message */
        char a[21], b[21];
        label_of(im, IMP_FIRST_NAME, a, sizeof a);
        label_of(im, IMP_LAST_NAME, b, sizeof b);
        if (whole || (im->idx[IMP_FIRST_NAME] < 0 && im->idx[IMP_LAST_NAME] < 0))
            label_of(im, IMP_NAME, label, sizeof label);
        else if (im->idx[IMP_FIRST_NAME] >= 0 && im->idx[IMP_LAST_NAME] >= 0)
            snprintf(label, sizeof label, "%s + %s", a, b);
        else
            snprintf(label, sizeof label, "%s", im->idx[IMP_FIRST_NAME] >= 0 ? a : b);
        if (!text_blank(name))
            return text_check(label, name, LB_SHORT_MAX, false, err);
        char full[41];
        label_of(im, IMP_NAME, full, sizeof full);
        if (im->idx[IMP_NAME] >= 0 && strcmp(full, label) != 0)
            return lb_fail(err, LB_EINVAL, "a lead needs a name, and %s and %s are empty", full,
                           label);
        return lb_fail(err, LB_EINVAL, "a lead needs a name, and %s is empty", label);
    }
    copy(l->name, sizeof l->name, name);

    const char *v;
    if ((v = field_of(im, IMP_COMPANY))) {
        if ((st = check_text(im, IMP_COMPANY, v, LB_SHORT_MAX, false, err)) != LB_OK)
            return st;
        copy(l->company, sizeof l->company, v);
    }
    if ((v = field_of(im, IMP_TITLE))) {
        if ((st = check_text(im, IMP_TITLE, v, LB_SHORT_MAX, false, err)) != LB_OK)
            return st;
        copy(l->title, sizeof l->title, v);
    }

    /* phone: Phone, else Mobile; a second number goes to the notes */
    const char *phone = field_of(im, IMP_PHONE), *mobile = field_of(im, IMP_MOBILE);
    const char *extra = NULL, *extra_label = NULL;
    lb_import_field pf = IMP_PHONE;
    if (text_blank(phone)) {
        phone = mobile;
        pf = IMP_MOBILE;
    } else if (!text_blank(mobile) && strcmp(mobile, phone) != 0) {
        extra = mobile;
        extra_label = im->colname[im->idx[IMP_MOBILE]];
    }
    if (phone) {
        if ((st = check_text(im, pf, phone, LB_PHONE_MAX, false, err)) != LB_OK)
            return st;
        copy(l->phone, sizeof l->phone, phone);
    }

    if ((v = field_of(im, IMP_EMAIL))) {
        v = trim_into(&im->email, v);
        if ((st = check_text(im, IMP_EMAIL, v, LB_EMAIL_MAX, false, err)) != LB_OK)
            return st;
        if (*v) {
            label_of(im, IMP_EMAIL, label, sizeof label);
            if ((st = email_check(label, v, err)) != LB_OK)
                return st;
        }
        copy(l->email, sizeof l->email, v);
    }

    if ((v = field_of(im, IMP_VALUE)) && *(v = trim_into(&im->value, v))) {
        lb_err inner;
        if (money_parse(v, &l->value, &inner) != LB_OK) {
            label_of(im, IMP_VALUE, label, sizeof label);
            return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
        }
        l->has_value = true;
    }

    if ((st = build_notes(im, extra_label, extra, err)) != LB_OK)
        return st;
    copy(l->notes, sizeof l->notes, im->notes.p);

    /* campaign: --campaign, else the row's; resolved only for rows written */
    const char *campaign = NULL;
    if (!im->o->campaign && (v = field_of(im, IMP_CAMPAIGN)) &&
        *(v = trim_into(&im->campaign, v))) {
        if ((st = check_text(im, IMP_CAMPAIGN, v, LB_SHORT_MAX, false, err)) != LB_OK)
            return st;
        campaign = v;
    }
    im->row_channel = CHANNEL_OTHER;
    im->row_cost = 0;
    if ((v = field_of(im, IMP_CAMPAIGN_CHANNEL)) && *(v = trim_into(&im->piece, v))) {
        int ch;
        fold(im->piece.p);
        if (vocab_parse(&lb_channels, im->piece.p, &ch, err) != LB_OK) {
            label_of(im, IMP_CAMPAIGN_CHANNEL, label, sizeof label);
            char msg[LB_ERR_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            return lb_fail(err, LB_EINVAL, "%s: %s", label, msg);
        }
        im->row_channel = (lb_channel)ch;
    }
    if ((v = field_of(im, IMP_CAMPAIGN_COST)) && *(v = trim_into(&im->piece, v))) {
        lb_err inner;
        if (money_parse(v, &im->row_cost, &inner) != LB_OK) {
            label_of(im, IMP_CAMPAIGN_COST, label, sizeof label);
            return lb_fail(err, LB_EINVAL, "%s: %s", label, inner.msg);
        }
    }

    if ((st = timestamp(im, IMP_CREATED_AT, l->created_at, err)) != LB_OK)
        return st;
    if (!l->created_at[0])
        copy(l->created_at, sizeof l->created_at, im->ctx->now_iso);
    l->marketer_id = im->ctx->actor.id;
    if (im->manager) {
        if ((st = pipeline(im, l, err)) != LB_OK)
            return st;
    } else {
        copy(l->stage_at, sizeof l->stage_at, im->ctx->now_iso);
    }

    /* duplicates */
    int64_t dup = 0;
    if (l->email[0] && im->board_emails &&
        (st = lead_find_by_email(im->ctx->db, l->email, &dup, err)) != LB_OK)
        return st;
    if (l->email[0] && !im->board_emails) {
        if (!sb_set(&im->email_key, l->email, strlen(l->email)))
            return oom(err);
        fold(im->email_key.p);
        camp_slot *s = camp_find(&im->emails, im->email_key.p);
        dup = s && s->key ? s->id : 0;
    }
    if (dup) {
        long first = added_line(im, dup);
        char email[61];
        clip(email, sizeof email, l->email);
        switch (im->o->on_duplicate) {
        case DUP_SKIP:
            im->sum->duplicates++;
            im->sum->skipped++;
            return LB_OK;
        case DUP_ERROR:
            if (first)
                return lb_fail(err, LB_EINVAL, "duplicate of line %ld (same email %s)", first,
                               email);
            return lb_fail(err, LB_EINVAL,
                           "duplicate of lead %lld (same email %s); use --on-duplicate skip or "
                           "update",
                           (long long)dup, email);
        case DUP_UPDATE:
            return update_lead(im, dup, l, im->o->campaign ? im->fixed_campaign_name : campaign,
                               err);
        }
    }

    if (im->o->campaign)
        l->campaign_id = im->fixed_campaign;
    else if (campaign && (st = campaign_resolve(im, campaign, &l->campaign_id, err)) != LB_OK)
        return st;
    copy(l->updated_at, sizeof l->updated_at, im->ctx->now_iso);
    l->updated_by_id = im->ctx->actor.id;
    char note[256];
    snprintf(note, sizeof note, "imported from %.200s:%ld", im->src, im->line);
    if ((st = lead_bulk_add(im->bulk, l, note, err)) != LB_OK)
        return st;
    if (im->nadded == im->added_cap) {
        size_t cap = im->added_cap ? im->added_cap * 2 : 1024;
        added_lead *a = realloc(im->added, cap * sizeof *a);
        if (!a)
            return oom(err);
        im->added = a;
        im->added_cap = cap;
    }
    im->added[im->nadded++] = (added_lead){l->id, im->line};
    if (l->email[0] && !im->board_emails && !camp_put(&im->emails, im->email_key.p, l->id))
        return oom(err);
    im->sum->added++;
    return LB_OK;
}

static bool row_blank(csv_reader *r)
{
    for (int i = 0; i < csv_nfields(r); i++)
        if (!text_blank(csv_field(r, i)))
            return false;
    return true;
}

/* Some tools end every data row with a comma: more fields than the header,
 * but empty ones lose nothing. */
static bool extra_fields_empty(imp *im)
{
    if (csv_nfields(im->r) < im->ncols)
        return false;
    for (int i = im->ncols; i < csv_nfields(im->r); i++)
        if (!text_blank(csv_field(im->r, i)))
            return false;
    return true;
}

/* A row that is the header again, as when two exports are joined with cat
 * (the second one's BOM included). */
static bool repeats_header(imp *im)
{
    if (csv_nfields(im->r) != im->ncols)
        return false;
    for (int i = 0; i < im->ncols; i++) {
        const char *v = csv_field(im->r, i);
        if (i == 0 && strncmp(v, "\xEF\xBB\xBF", 3) == 0)
            v += 3;
        bool unnamed = text_blank(v) && strncmp(im->colname[i], "column ", 7) == 0;
        if (strcasecmp(v, im->colname[i]) != 0 && !unnamed)
            return false;
    }
    return true;
}

static lb_status import_rows(imp *im, lb_err *err)
{
    lb_status st;
    for (;;) {
        int k = csv_next(im->r, err);
        if (k < 0)
            return at_line(im, csv_error_line(im->r), LB_EINVAL, err);
        if (k == 0)
            return LB_OK;
        im->line = csv_record_line(im->r);
        if (row_blank(im->r)) {
            im->sum->blank_rows++;
            continue;
        }
        if (csv_nfields(im->r) != im->ncols && !extra_fields_empty(im)) {
            lb_fail(err, LB_EINVAL,
                    "%d field%s, but the header has %d; a value with a comma, quote or line "
                    "break must be in double quotes",
                    csv_nfields(im->r), csv_nfields(im->r) == 1 ? "" : "s", im->ncols);
            return at_line(im, im->line, LB_EINVAL, err);
        }
        if (repeats_header(im)) {
            lb_fail(err, LB_EINVAL,
                    "this row repeats the header (two files joined?); remove the line");
            return at_line(im, im->line, LB_EINVAL, err);
        }
        if ((st = import_row(im, err)) != LB_OK)
            return at_line(im, im->line, st, err);
    }
}

lb_status import_csv(lb_ctx *ctx, csv_reader *r, const lb_import_opts *o, lb_import_summary *sum,
                     lb_err *err)
{
    lb_status st;
    imp im;
    memset(sum, 0, sizeof *sum);
    memset(&im, 0, sizeof im);
    sum->dry_run = o->dry_run;
    im.ctx = ctx;
    im.o = o;
    im.sum = sum;
    im.r = r;
    im.src = o->source ? o->source : "stdin";

    if ((st = ctx_require_actor(ctx, err)) != LB_OK ||
        (st = rules_permit(&ctx->actor, ACTION_IMPORT, NULL, err)) != LB_OK)
        return st;
    im.manager = ctx->actor.team == TEAM_MANAGER;
    if (o->campaign) {
        lb_campaign c;
        if ((st = campaign_get(ctx->db, o->campaign, &c, err)) != LB_OK)
            return st;
        im.fixed_campaign = c.id;
        snprintf(im.fixed_campaign_name, sizeof im.fixed_campaign_name, "%s", c.name);
    }
    im.lead = malloc(sizeof *im.lead);
    im.old = malloc(sizeof *im.old);
    if (!im.lead || !im.old) {
        st = oom(err);
        goto out;
    }
    if ((st = user_each(ctx->db, user_add_cb, &im, err)) != LB_OK)
        goto out;
    if (im.users_oom) {
        st = oom(err);
        goto out;
    }
    qsort(im.users, im.nusers, sizeof *im.users, user_cmp);

    if ((st = ctx_begin_write(ctx, err)) != LB_OK)
        goto out;
    st = rules_permit(&ctx->actor, ACTION_IMPORT, NULL, err);
    im.manager = ctx->actor.team == TEAM_MANAGER;
    if (st == LB_OK)
        st = lead_bulk_open(ctx->db, ctx->now_iso, ctx->actor.id, ctx->os_login, &im.bulk, err);
    if (st == LB_OK)
        st = lead_any_email(ctx->db, &im.board_emails, err);
    if (st == LB_OK)
        st = read_header(&im, err);
    if (st == LB_OK)
        st = import_rows(&im, err);
    if (st == LB_OK && !o->dry_run)
        st = lead_bulk_finish(im.bulk, err);
    if (st == LB_OK && !o->dry_run)
        st = db_commit(ctx->db, err);
    else
        db_rollback(ctx->db);

out:
    lead_bulk_close(im.bulk);
    for (int i = 0; im.colname && i < im.ncols; i++)
        free(im.colname[i]);
    free(im.colname);
    free(im.col);
    camp_free(&im.camps);
    camp_free(&im.emails);
    free(im.users);
    free(im.added);
    free(im.lead);
    free(im.old);
    free(im.name.p);
    free(im.email.p);
    free(im.value.p);
    free(im.campaign.p);
    free(im.notes.p);
    free(im.tmp.p);
    free(im.piece.p);
    free(im.email_key.p);
    return st;
}

/* ---- export ---- */

/* clang-format off */
const char *const export_columns[] = {
    "id",          "name",           "company",       "title",
    "email",       "phone",          "notes",         "campaign",
    "value",       "stage",          "owner",         "marketer",
    "reason",      "created_at",     "stage_at",      "handed_off_at",
    "accepted_at", "first_touch_at", "last_touch_at", "next_due_at",
    "closed_at",   "stars",          "furthest",      "rejections",
    "campaign_channel",              "campaign_cost",
};
/* clang-format on */
const int export_ncolumns = (int)(sizeof export_columns / sizeof export_columns[0]);

typedef struct {
    int64_t id;
    lb_channel channel;
    int64_t cost;
} camp_info;

typedef struct {
    csv_out out;
    lb_write_fn write;
    void *ud;
    int64_t count;
    bool failed;
    camp_info *camps; /* by id */
    size_t ncamps, camps_cap;
    bool camps_oom;
} exporter;

static int camp_info_add(const lb_campaign *c, void *ud)
{
    exporter *x = ud;
    if (x->ncamps == x->camps_cap) {
        size_t cap = x->camps_cap ? x->camps_cap * 2 : 64;
        camp_info *p = realloc(x->camps, cap * sizeof *p);
        if (!p) {
            x->camps_oom = true;
            return 1;
        }
        x->camps = p;
        x->camps_cap = cap;
    }
    x->camps[x->ncamps++] = (camp_info){c->id, c->channel, c->cost};
    return 0;
}

static int camp_info_cmp(const void *a, const void *b)
{
    int64_t x = ((const camp_info *)a)->id, y = ((const camp_info *)b)->id;
    return (x > y) - (x < y);
}

static bool flush_out(exporter *x)
{
    if (x->out.len && x->write(x->ud, x->out.buf, x->out.len) != 0)
        x->failed = true;
    csv_out_clear(&x->out);
    return !x->failed;
}

static int export_row(const lb_lead *l, void *ud)
{
    exporter *x = ud;
    char id[24], value[32] = "", stars[8] = "", rejections[16];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    if (l->has_value)
        money_format(l->value, value, sizeof value);
    if (l->stars)
        snprintf(stars, sizeof stars, "%d", l->stars);
    snprintf(rejections, sizeof rejections, "%d", l->rejections);
    char cost[32] = "";
    const char *channel = "";
    camp_info key = {l->campaign_id, CHANNEL_OTHER, 0}, *c = NULL;
    if (l->campaign_id && x->ncamps)
        c = bsearch(&key, x->camps, x->ncamps, sizeof key, camp_info_cmp);
    if (c) {
        channel = vocab_name(&lb_channels, c->channel);
        money_format(c->cost, cost, sizeof cost);
    }
    const char *v[] = {id,
                       l->name,
                       l->company,
                       l->title,
                       l->email,
                       l->phone,
                       l->notes,
                       l->campaign,
                       value,
                       stage_name(l->stage),
                       l->owner,
                       l->marketer,
                       l->reason,
                       l->created_at,
                       l->stage_at,
                       l->handed_off_at,
                       l->accepted_at,
                       l->first_touch_at,
                       l->last_touch_at,
                       l->next_due_at,
                       l->closed_at,
                       stars,
                       stage_name((lb_stage)l->furthest),
                       rejections,
                       channel,
                       cost};
    _Static_assert(sizeof v / sizeof v[0] == sizeof export_columns / sizeof export_columns[0],
                   "export columns");
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        csv_out_field(&x->out, v[i]);
    csv_out_end_record(&x->out);
    x->count++;
    if (x->out.failed) {
        x->failed = true;
        return 1;
    }
    return x->out.len >= 65536 && !flush_out(x);
}

lb_status export_csv(lb_db *db, lb_write_fn write, void *ud, int64_t *count, lb_err *err)
{
    exporter x;
    memset(&x, 0, sizeof x);
    x.write = write;
    x.ud = ud;
    for (int i = 0; i < export_ncolumns; i++)
        csv_out_field(&x.out, export_columns[i]);
    csv_out_end_record(&x.out);

    lb_lead_filter f;
    memset(&f, 0, sizeof f);
    lb_status st = campaign_each(db, camp_info_add, &x, err);
    if (st == LB_OK && x.camps_oom)
        st = lb_fail(err, LB_EDB, "out of memory");
    if (st == LB_OK) {
        if (x.ncamps) /* qsort and bsearch want a real array, even of none */
            qsort(x.camps, x.ncamps, sizeof *x.camps, camp_info_cmp);
        st = lead_each(db, &f, export_row, &x, err);
    }
    if (st == LB_OK && !x.failed)
        flush_out(&x);
    if (st == LB_OK && (x.failed || x.out.failed))
        st = lb_fail(err, LB_EINVAL, "%s",
                     x.out.failed ? "out of memory" : "cannot write the export");
    csv_out_free(&x.out);
    free(x.camps);
    if (count)
        *count = x.count;
    return st;
}
