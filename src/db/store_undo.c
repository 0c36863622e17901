/* The changes a user may take back: each with a copy of the lead as it was
 * (change_leads), and the writes that put it back. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/collateral.h"
#include "leadboard/store.h"

/* The lead's stored fields that an undo puts back: everything but its id,
 * version and who changed it last. */
#define CHANGE_LEAD_COLS                                                                           \
    "name, company, title, email, phone, notes, campaign_id, value, marketer_id, owner_id, "      \
    "stage, reason, created_at, stage_at, handed_off_at, accepted_at, first_touch_at, "           \
    "last_touch_at, next_due_at, closed_at, furthest, rejections, stars, revisit_at"

lb_status change_insert(lb_db *db, int64_t user_id, const char *kind, int64_t lead_id,
                        int64_t entity_id, const char *at, bool bumps, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO changes(user_id, lead_id, kind, entity_id, at, "
                               "version_after, events_upto) SELECT ?1, ?2, ?3, ?4, ?5, "
                               "version + ?6, (SELECT max(e.id) FROM events e WHERE e.lead_id = ?2) "
                               "FROM leads WHERE id = ?2",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    db_bind_int64(st, 2, lead_id);
    bind_text(st, 3, kind);
    bind_id(st, 4, entity_id);
    bind_text(st, 5, at);
    db_bind_int(st, 6, bumps ? 1 : 0);
    lb_status s = db_step_done(db, st, err, "recording a change");
    if (s != LB_OK)
        return s;
    int64_t id = db_last_id(db);

    if (!(st = db_stmt(db,
                       "INSERT INTO change_leads(change_id, " CHANGE_LEAD_COLS ", version) "
                       "SELECT ?1, " CHANGE_LEAD_COLS ", version FROM leads WHERE id = ?2",
                       err)))
        return LB_EDB;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, lead_id);
    if ((s = db_step_done(db, st, err, "recording a change")) != LB_OK)
        return s;
    if (strcmp(kind, "review") != 0)
        return LB_OK;
    if (!(st = db_stmt(db,
                       "UPDATE changes SET (review_by, review_at, review_reply) = "
                       "(SELECT reviewed_by, reviewed_at, reply FROM ratings WHERE id = ?2) "
                       "WHERE id = ?1",
                       err)))
        return LB_EDB;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, entity_id);
    return db_step_done(db, st, err, "recording a change");
}

static void change_row(lb_stmt *st, void *out)
{
    lb_change *c = out;
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, 0);
    c->user_id = db_col_int64(st, 1);
    c->lead_id = db_col_int64(st, 2);
    c->entity_id = db_col_int64(st, 3);
    col_copy(st, 4, c->kind, sizeof c->kind);
    col_copy(st, 5, c->at, sizeof c->at);
    c->version_after = db_col_int64(st, 6);
    const char *stage = (const char *)db_col_text(st, 7);
    int sv = stage ? vocab_find(&lb_stages, stage) : -1;
    c->before_stage = sv < 0 ? STAGE_NURTURE : (lb_stage)sv;
    col_copy(st, 8, c->before_owner, sizeof c->before_owner);
}

lb_status change_last(lb_db *db, int64_t user_id, lb_change *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT c.id, c.user_id, c.lead_id, coalesce(c.entity_id, 0), "
                               "c.kind, c.at, c.version_after, cl.stage, coalesce(o.login, '') "
                               "FROM changes c JOIN change_leads cl ON cl.change_id = c.id "
                               "LEFT JOIN users o ON o.id = cl.owner_id "
                               "WHERE c.user_id = ?1 AND c.undone_at IS NULL "
                               "ORDER BY c.id DESC LIMIT 1",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    return db_one(db, st, change_row, out, err, "reading your last change");
}

lb_status change_later(lb_db *db, const lb_change *c, bool *found, char *login, size_t n,
                       char *at, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT coalesce(u.login, '?'), x.at FROM changes x "
                               "LEFT JOIN users u ON u.id = x.user_id "
                               "WHERE x.lead_id = ?1 AND x.id > ?2 AND x.undone_at IS NULL "
                               "ORDER BY x.id DESC LIMIT 1",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, c->lead_id);
    db_bind_int64(st, 2, c->id);
    int rc = db_step(st);
    *found = rc == DB_ROW;
    if (*found) {
        col_copy(st, 0, login, n);
        col_copy(st, 1, at, LB_TIME_BUF);
    }
    return db_loop_end(db, st, rc, err, "reading the lead's changes");
}

lb_status change_expected_version(lb_db *db, const lb_change *c, int64_t *version, lb_err *err)
{
    /* Later changes of the lead that were undone each left it one version
     * on, at undone_version. */
    lb_stmt *st = db_stmt(db,
                               "SELECT max(?3, coalesce(max(undone_version), 0)) FROM changes "
                               "WHERE lead_id = ?1 AND id > ?2 AND undone_at IS NOT NULL",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, c->lead_id);
    db_bind_int64(st, 2, c->id);
    db_bind_int64(st, 3, c->version_after);
    bool yes = false;
    *version = c->version_after;
    return db_int64(db, st, &yes, version, err, "reading the lead's changes");
}

lb_status change_restore_lead(lb_db *db, const lb_change *c, int64_t user_id, const char *at,
                              lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "UPDATE leads SET (" CHANGE_LEAD_COLS ") = (SELECT " CHANGE_LEAD_COLS
                               " FROM change_leads WHERE change_id = ?1), version = version + 1, "
                               "updated_at = ?3, updated_by = ?4 WHERE id = ?2",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, c->id);
    db_bind_int64(st, 2, c->lead_id);
    bind_text(st, 3, at);
    db_bind_int64(st, 4, user_id);
    return db_step_done(db, st, err, "putting the lead back");
}

lb_status change_take_back(lb_db *db, const lb_change *c, int64_t user_id, const char *at,
                           int64_t version_now, lb_err *err)
{
    const char *sql = NULL;
    if (strcmp(c->kind, "log") == 0)
        sql = "UPDATE followups SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL";
    else if (strcmp(c->kind, "rate") == 0 || strcmp(c->kind, "reject") == 0)
        /* a rejection's feedback goes with it */
        sql = "UPDATE ratings SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL";
    else if (strcmp(c->kind, "comment") == 0)
        sql = "UPDATE comments SET undone_at = ?2 WHERE id = ?1 AND undone_at IS NULL";
    else if (strcmp(c->kind, "review") == 0)
        sql = "UPDATE ratings SET (reviewed_by, reviewed_at, reply) = (SELECT review_by, "
              "review_at, coalesce(review_reply, '') FROM changes WHERE id = ?3) WHERE id = ?1";
    lb_stmt *st;
    lb_status s;
    if (sql && c->entity_id) {
        if (!(st = db_stmt(db, sql, err)))
            return LB_EDB;
        db_bind_int64(st, 1, c->entity_id);
        if (strcmp(c->kind, "review") == 0)
            db_bind_int64(st, 3, c->id);
        else
            bind_text(st, 2, at);
        if ((s = db_step_done(db, st, err, "taking the change back")) != LB_OK)
            return s;
    }
    /* The stage events the change wrote (a follow-up's too, when it moved
     * the lead to contacted) leave the reports that count from the log:
     * those after the lead's previous change, up to the change's own last
     * one (before version 14, a change's events were those of its user at
     * its time). */
    if (!(st = db_stmt(db,
                       "INSERT INTO events_undone(event_id, undone_at) "
                       "SELECT e.id, ?2 FROM changes c JOIN events e ON e.lead_id = c.lead_id "
                       "WHERE c.id = ?1 AND e.action IN ('handoff', 'accept', 'reject', 'move') "
                       "AND CASE WHEN c.events_upto IS NULL "
                       "THEN e.at = c.at AND e.actor_id = c.user_id "
                       "ELSE e.id <= c.events_upto AND e.id > coalesce((SELECT max(x.events_upto) "
                       "FROM changes x WHERE x.lead_id = c.lead_id AND x.id < c.id), 0) END "
                       "ON CONFLICT DO NOTHING",
                       err)))
        return LB_EDB;
    db_bind_int64(st, 1, c->id);
    bind_text(st, 2, at);
    if ((s = db_step_done(db, st, err, "taking the change back")) != LB_OK)
        return s;
    if (!(st = db_stmt(db,
                       "UPDATE changes SET undone_at = ?2, undone_by = ?3, undone_version = ?4 "
                       "WHERE id = ?1",
                       err)))
        return LB_EDB;
    db_bind_int64(st, 1, c->id);
    bind_text(st, 2, at);
    db_bind_int64(st, 3, user_id);
    db_bind_int64(st, 4, version_now);
    return db_step_done(db, st, err, "taking the change back");
}
