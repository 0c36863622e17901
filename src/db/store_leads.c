#include "config.h"

#include <string.h>

#include "db_internal.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

#define LEAD_SELECT                                                                                \
    "SELECT l.id, l.name, l.company, l.title, l.email, l.phone, l.notes, l.campaign_id, "         \
    "c.name, l.value, l.marketer_id, m.login, l.owner_id, o.login, l.stage, l.reason, "           \
    "l.created_at, l.stage_at, l.handed_off_at, l.accepted_at, l.first_touch_at, "                \
    "l.last_touch_at, l.next_due_at, l.closed_at, l.furthest, l.rejections, l.stars, l.version, " \
    "l.updated_at, u.login, l.updated_by, l.revisit_at "                                           \
    "FROM leads l LEFT JOIN campaigns c ON c.id = l.campaign_id "                                 \
    "LEFT JOIN users m ON m.id = l.marketer_id LEFT JOIN users o ON o.id = l.owner_id "           \
    "LEFT JOIN users u ON u.id = l.updated_by "

static void lead_row(lb_stmt *st, void *out)
{
    lb_lead *l = out;
    /* Not memset: the struct is large and every field is written below. */
    l->id = db_col_int64(st, 0);
    col_copy(st, 1, l->name, sizeof l->name);
    col_copy(st, 2, l->company, sizeof l->company);
    col_copy(st, 3, l->title, sizeof l->title);
    col_copy(st, 4, l->email, sizeof l->email);
    col_copy(st, 5, l->phone, sizeof l->phone);
    col_copy(st, 6, l->notes, sizeof l->notes);
    l->campaign_id = db_col_int64(st, 7);
    col_copy(st, 8, l->campaign, sizeof l->campaign);
    l->has_value = db_col_type(st, 9) != DB_NULL;
    l->value = db_col_int64(st, 9);
    l->marketer_id = db_col_int64(st, 10);
    col_copy(st, 11, l->marketer, sizeof l->marketer);
    l->owner_id = db_col_int64(st, 12);
    col_copy(st, 13, l->owner, sizeof l->owner);
    int stage = vocab_find(&lb_stages, (const char *)db_col_text(st, 14));
    l->stage = stage < 0 ? STAGE_NURTURE : (lb_stage)stage;
    col_copy(st, 15, l->reason, sizeof l->reason);
    col_copy(st, 16, l->created_at, sizeof l->created_at);
    col_copy(st, 17, l->stage_at, sizeof l->stage_at);
    col_copy(st, 18, l->handed_off_at, sizeof l->handed_off_at);
    col_copy(st, 19, l->accepted_at, sizeof l->accepted_at);
    col_copy(st, 20, l->first_touch_at, sizeof l->first_touch_at);
    col_copy(st, 21, l->last_touch_at, sizeof l->last_touch_at);
    col_copy(st, 22, l->next_due_at, sizeof l->next_due_at);
    col_copy(st, 23, l->closed_at, sizeof l->closed_at);
    l->furthest = db_col_int(st, 24);
    l->rejections = db_col_int(st, 25);
    l->stars = db_col_int(st, 26);
    l->version = db_col_int64(st, 27);
    col_copy(st, 28, l->updated_at, sizeof l->updated_at);
    col_copy(st, 29, l->updated_by, sizeof l->updated_by);
    l->updated_by_id = db_col_int64(st, 30);
    if (db_col_count(st) > 31)
        col_copy(st, 31, l->revisit_at, sizeof l->revisit_at);
    else
        l->revisit_at[0] = '\0';
}

lb_status lead_get(lb_db *db, int64_t id, lb_lead *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, LEAD_SELECT "WHERE l.id = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, id);
    lb_status s = db_one(db, st, lead_row, out, err, "reading a lead");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no lead %lld; see 'leadboard list'", (long long)id);
    return s;
}

static void bind_str(lb_stmt *st, int i, const char *s, bool stay, bool empty_is_null)
{
    if (!s || (empty_is_null && !*s))
        db_bind_null(st, i);
    else
        db_bind_str(st, i, s, -1, stay ? DB_STATIC : DB_TRANSIENT);
}

void lead_bind(lb_stmt *st, const lb_lead *l, bool stay)
{
    bind_str(st, 1, l->name, stay, false);
    bind_str(st, 2, l->company, stay, false);
    bind_str(st, 3, l->title, stay, false);
    bind_str(st, 4, l->email, stay, false);
    bind_str(st, 5, l->phone, stay, false);
    bind_str(st, 6, l->notes, stay, false);
    bind_id(st, 7, l->campaign_id);
    if (l->has_value)
        db_bind_int64(st, 8, l->value);
    else
        db_bind_null(st, 8);
    bind_id(st, 9, l->marketer_id);
    bind_id(st, 10, l->owner_id);
    db_bind_str(st, 11, stage_name(l->stage), -1, DB_STATIC);
    bind_str(st, 12, l->reason, stay, false);
    bind_str(st, 13, l->created_at, stay, false);
    bind_str(st, 14, l->stage_at, stay, false);
    bind_str(st, 15, l->handed_off_at, stay, true);
    bind_str(st, 16, l->accepted_at, stay, true);
    bind_str(st, 17, l->first_touch_at, stay, true);
    bind_str(st, 18, l->last_touch_at, stay, true);
    bind_str(st, 19, l->next_due_at, stay, true);
    bind_str(st, 20, l->closed_at, stay, true);
    db_bind_int(st, 21, l->furthest);
    db_bind_int(st, 22, l->rejections);
    if (l->stars)
        db_bind_int(st, 23, l->stars);
    else
        db_bind_null(st, 23);
}

static void bind_lead(lb_stmt *st, const lb_lead *l)
{
    lead_bind(st, l, false);
    bind_text(st, 24, l->updated_at);
    bind_id(st, 25, l->updated_by_id);
}

lb_status lead_insert(lb_db *db, lb_lead *l, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               LEAD_INSERT,
                               err);
    if (!st)
        return LB_EDB;
    bind_lead(st, l);
    lb_status s = db_step_done(db, st, err, "adding a lead");
    if (s == LB_OK) {
        l->id = db_last_id(db);
        l->version = 1;
    }
    return s;
}

lb_status lead_update(lb_db *db, lb_lead *l, lb_err *err)
{
    lb_stmt *st = db_stmt(
        db,
        "UPDATE leads SET name = ?1, company = ?2, title = ?3, email = ?4, phone = ?5, "
        "notes = ?6, campaign_id = ?7, value = ?8, marketer_id = ?9, owner_id = ?10, "
        "stage = ?11, reason = ?12, created_at = ?13, stage_at = ?14, handed_off_at = ?15, "
        "accepted_at = ?16, first_touch_at = ?17, last_touch_at = ?18, next_due_at = ?19, "
        "closed_at = ?20, furthest = ?21, rejections = ?22, stars = ?23, updated_at = ?24, "
        "updated_by = ?25, revisit_at = ?28, version = version + 1 WHERE id = ?26 AND version = ?27",
        err);
    if (!st)
        return LB_EDB;
    bind_lead(st, l);
    db_bind_int64(st, 26, l->id);
    db_bind_int64(st, 27, l->version);
    bind_str(st, 28, l->revisit_at, false, true);
    lb_status s = db_step_done(db, st, err, "saving a lead");
    if (s != LB_OK)
        return s;
    if (db_changes(db) == 0) {
        lb_lead now;
        lb_err inner;
        if (lead_get(db, l->id, &now, &inner) != LB_OK)
            return lb_fail(err, LB_ECONFLICT, "lead %lld was deleted meanwhile",
                           (long long)l->id);
        char when[64];
        time_stored_human(now.updated_at, when, sizeof when); /* the local time */
        return lb_fail(err, LB_ECONFLICT,
                       "lead %lld was changed by %s at %s; reload it and try again",
                       (long long)l->id, now.updated_by[0] ? now.updated_by : "someone", when);
    }
    l->version++;
    return LB_OK;
}

/* Escapes LIKE's wildcards in user text, so a search is a plain substring. */
static void like_pattern(const char *s, char *buf, size_t n)
{
    size_t k = 0;
    if (n < 3)
        return;
    buf[k++] = '%';
    for (; *s && k + 3 < n; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            buf[k++] = '\\';
        buf[k++] = *s;
    }
    buf[k++] = '%';
    buf[k] = '\0';
}

/* Turns the filter's owner login and campaign name into ids. */
static lb_status filter_ids(lb_db *db, const lb_lead_filter *f, int64_t *owner_id,
                            int64_t *campaign_id, lb_err *err)
{
    lb_status s;
    *owner_id = *campaign_id = 0;
    if (f->owner) {
        lb_user u;
        if ((s = user_get(db, f->owner, &u, err)) != LB_OK)
            return s;
        *owner_id = u.id;
    }
    if (f->campaign) {
        lb_campaign c;
        if ((s = campaign_get(db, f->campaign, &c, err)) != LB_OK)
            return s;
        *campaign_id = c.id;
    }
    return LB_OK;
}

/* Only fixed fragments go into the SQL text; every value is bound (?2 to
 * ?5), and a filter that is not used leaves no condition for the planner to
 * misjudge. */
static void append_conditions(char *sql, const lb_lead_filter *f, int64_t owner_id,
                              int64_t campaign_id)
{
    if (f->has_stage)
        strcat(sql, " AND l.stage = ?2");
    if (owner_id)
        strcat(sql, " AND l.owner_id = ?3");
    if (campaign_id)
        strcat(sql, " AND l.campaign_id = ?4");
    if (f->search && *f->search)
        strcat(sql, " AND (l.name LIKE ?5 ESCAPE '\\' OR l.company LIKE ?5 ESCAPE '\\' OR "
                    "l.email LIKE ?5 ESCAPE '\\' OR l.notes LIKE ?5 ESCAPE '\\')");
}

static void bind_conditions(lb_stmt *st, const lb_lead_filter *f, int64_t owner_id,
                            int64_t campaign_id)
{
    if (f->has_stage)
        bind_text(st, 2, stage_name(f->stage));
    if (owner_id)
        db_bind_int64(st, 3, owner_id);
    if (campaign_id)
        db_bind_int64(st, 4, campaign_id);
    if (f->search && *f->search) {
        char pat[LB_BUF(LB_SHORT_MAX) * 2 + 4];
        like_pattern(f->search, pat, sizeof pat);
        bind_text(st, 5, pat);
    }
}

lb_status lead_each(lb_db *db, const lb_lead_filter *f, lb_lead_fn fn, void *ud, lb_err *err)
{
    int64_t owner_id, campaign_id;
    lb_status s = filter_ids(db, f, &owner_id, &campaign_id, err);
    if (s != LB_OK)
        return s;

    lb_stmt *st = NULL;
    char sql[sizeof(LEAD_SELECT) + 512] = LEAD_SELECT;
    if (f->before_id)
        strcat(sql, "WHERE l.id < ?1");
    else
        strcat(sql, "WHERE l.id > ?1");
    append_conditions(sql, f, owner_id, campaign_id);
    strcat(sql, f->before_id ? " ORDER BY l.id DESC LIMIT ?6" : " ORDER BY l.id LIMIT ?6");
    if (db_prepare(db, sql, &st) != DB_OK)
        return db_fail(db, err, "listing leads");
    db_bind_int64(st, 1, f->before_id ? f->before_id : f->after_id);
    bind_conditions(st, f, owner_id, campaign_id);
    db_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);

    lb_lead *l = malloc(sizeof *l);
    if (!l) {
        db_finalize(st);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        lead_row(st, l);
        if (fn(l, ud))
            break;
    }
    s = (rc == DB_ROW || rc == DB_DONE) ? LB_OK : db_fail(db, err, "listing leads");
    free(l);
    db_finalize(st);
    return s;
}

lb_status lead_count_by_stage(lb_db *db, const lb_lead_filter *f, int64_t counts[STAGE_COUNT],
                              lb_err *err)
{
    int64_t owner_id, campaign_id;
    lb_lead_filter g = *f;
    g.has_stage = false;
    lb_status s = filter_ids(db, &g, &owner_id, &campaign_id, err);
    if (s != LB_OK)
        return s;
    bool all = !owner_id && !campaign_id && !(g.search && *g.search);
    /* Unfiltered, the triggers' running counts answer at once. */
    char sql[512] = "SELECT l.stage, count(*) FROM leads l WHERE 1";
    if (all)
        strcpy(sql, "SELECT stage, n FROM stage_counts");
    if (!all) {
        append_conditions(sql, &g, owner_id, campaign_id);
        strcat(sql, " GROUP BY l.stage");
    }
    lb_stmt *st = NULL;
    if (db_prepare(db, sql, &st) != DB_OK)
        return db_fail(db, err, "counting leads");
    bind_conditions(st, &g, owner_id, campaign_id);
    for (int i = 0; i < STAGE_COUNT; i++)
        counts[i] = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int stage = vocab_find(&lb_stages, (const char *)db_col_text(st, 0));
        if (stage >= 0)
            counts[stage] = db_col_int64(st, 1);
    }
    s = rc == DB_DONE ? LB_OK : db_fail(db, err, "counting leads");
    db_finalize(st);
    return s;
}

static lb_status lead_loop_alerts(lb_db *db, const lb_user *u, const char *now_iso,
                                  lb_alerts *out, lb_err *err);

lb_status lead_alerts(lb_db *db, const lb_user *u, const char *now_iso, lb_alerts *out,
                      lb_err *err)
{
    /* Two fixed statements rather than "(?1 IS NULL OR owner_id = ?1)",
     * which no index can serve: a rep's counts come from leads_owner, the
     * whole team's from stage_counts and leads_stage_due. */
    bool mine = u && u->team != TEAM_MANAGER;
    lb_stmt *st =
        mine ? db_stmt(db,
                       "SELECT (SELECT count(*) FROM leads WHERE owner_id = ?1 AND "
                       "        stage = 'handed_off'), "
                       "       (SELECT count(*) FROM leads WHERE owner_id = ?1 AND "
                       "        stage IN " DB_WORKING_STAGES " AND "
                       "        next_due_at < ?2), "
                       "       (SELECT unreviewed FROM feedback_counts)",
                       err)
             : db_stmt(db,
                       "SELECT (SELECT coalesce(sum(n), 0) FROM stage_counts "
                       "        WHERE stage = 'handed_off'), "
                       "       (SELECT count(*) FROM leads WHERE "
                       "        stage IN " DB_WORKING_STAGES " AND "
                       "        next_due_at < ?2), "
                       "       (SELECT unreviewed FROM feedback_counts)",
                       err);
    if (!st)
        return LB_EDB;
    if (mine)
        db_bind_int64(st, 1, u->id);
    bind_text(st, 2, now_iso);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->awaiting_acceptance = db_col_int64(st, 0);
        out->followups_overdue = db_col_int64(st, 1);
        out->unreviewed_feedback = db_col_int64(st, 2);
    }
    lb_status s = rc == DB_ROW ? LB_OK : db_fail(db, err, "counting alerts");
    db_reset(st);
    out->replies_unseen = out->revisit_due = out->campaigns_alarmed = 0;
    if (s == LB_OK && u && u->team == TEAM_SALES)
        s = feedback_unseen_replies(db, u->id, &out->replies_unseen, err);
    if (s == LB_OK && u && u->team != TEAM_SALES)
        s = lead_loop_alerts(db, u, now_iso, out, err);
    return s;
}

/* A marketer's side of the loop: recycled leads whose revisit date has
 * come, and campaigns of theirs whose rejection rate passes the alarm. */
static lb_status lead_loop_alerts(lb_db *db, const lb_user *u, const char *now_iso,
                                  lb_alerts *out, lb_err *err)
{
    bool all = u->team == TEAM_MANAGER;
    lb_stmt *st = db_stmt(db,
                               "SELECT count(*) FROM leads INDEXED BY leads_revisit "
                               "WHERE revisit_at IS NOT NULL AND revisit_at <= ?1 AND "
                               "stage = 'nurture' AND (?2 OR marketer_id = ?3)",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, now_iso);
    db_bind_int(st, 2, all);
    db_bind_int64(st, 3, u->id);
    bool yes;
    lb_status s = db_int64(db, st, &yes, &out->revisit_due, err, "counting revisits");
    if (s != LB_OK || all)
        return s;
    char alarm[32] = "0.30";
    setting_get(db, "alarm.rejection_rate", alarm, sizeof alarm, NULL);
    st = db_stmt(db,
                 "SELECT count(*) FROM (SELECT l.campaign_id, sum(l.rejections > 0) AS r, "
                 "sum(l.furthest >= 1) AS h FROM leads l INDEXED BY leads_marketer_loop "
                 "WHERE l.marketer_id = ?1 AND l.campaign_id IS NOT NULL "
                 "GROUP BY l.campaign_id) WHERE h > 0 AND r > h * CAST(?2 AS REAL)",
                 err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, u->id);
    bind_text(st, 2, alarm);
    return db_int64(db, st, &yes, &out->campaigns_alarmed, err, "checking rejection rates");
}
