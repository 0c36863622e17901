/* The import's statements: the duplicate lookup, and the lead insert with
 * its "create" event as one bulk writer whose parameters that do not change
 * from row to row (time, actor, ...) are bound once and whose text is bound
 * without copies.  A 100,000-row import spends most of its time here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/import.h"

/* The `email <> ''` repeats the partial index's condition so that the
 * planner may use leads_email: one index probe per imported row. */
lb_status lead_find_by_email(lb_db *db, const char *email, int64_t *id, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT id FROM leads WHERE email = ?1 COLLATE NOCASE AND "
                               "email <> '' ORDER BY id LIMIT 1",
                               err);
    if (!st)
        return LB_EDB;
    *id = 0;
    bind_text(st, 1, email);
    int rc = db_step(st);
    if (rc == DB_ROW)
        *id = db_col_int64(st, 0);
    lb_status s =
        rc == DB_ROW || rc == DB_DONE ? LB_OK : db_fail(db, err, "finding a lead by email");
    db_reset(st);
    return s;
}

lb_status lead_any_email(lb_db *db, bool *any, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM leads WHERE email <> '')", err);
    if (!st)
        return LB_EDB;
    int rc = db_step(st);
    *any = rc == DB_ROW && db_col_int(st, 0);
    lb_status s = rc == DB_ROW ? LB_OK : db_fail(db, err, "looking for emails");
    db_reset(st);
    return s;
}

struct lb_lead_bulk {
    lb_db *db;
    lb_stmt *lead, *event;
    char *triggers; /* set aside by db_bulk_begin, back at lead_bulk_finish */
    char at[32];
    char os_login[64];
};

lb_status lead_bulk_open(lb_db *db, const char *at, int64_t actor_id, const char *os_login,
                         lb_lead_bulk **out, lb_err *err)
{
    lb_lead_bulk *b = calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return lb_fail(err, LB_EDB, "out of memory");
    b->db = db;
    snprintf(b->at, sizeof b->at, "%s", at);
    snprintf(b->os_login, sizeof b->os_login, "%s", os_login ? os_login : "");
    if (db_prepare(db, LEAD_INSERT, &b->lead) !=
            DB_OK ||
        db_prepare(db,
                           "INSERT INTO events(at, actor_id, os_login, entity, entity_id, lead_id, "
                           "action, field, old_value, new_value, note) VALUES (?1, ?2, ?3, "
                           "'lead', ?4, ?4, 'create', '', NULL, ?5, ?6)",
                           &b->event) != DB_OK) {
        lb_status s = db_fail(db, err, "preparing the import");
        lead_bulk_close(b);
        return s;
    }
    db_bind_str(b->lead, 24, b->at, -1, DB_STATIC);
    bind_id(b->lead, 25, actor_id);
    db_bind_str(b->event, 1, b->at, -1, DB_STATIC);
    bind_id(b->event, 2, actor_id);
    db_bind_str(b->event, 3, b->os_login, -1, DB_STATIC);
    /* A big import touches every page of the leads' indexes over and over:
     * with SQLite's 2 MB default they are written out and read back again
     * and again. */
    db_exec_rc(db, "PRAGMA cache_size = -65536");
    lb_status bs = db_bulk_begin(db, &b->triggers, err);
    if (bs != LB_OK) {
        lead_bulk_close(b);
        return bs;
    }
    *out = b;
    return LB_OK;
}

lb_status lead_bulk_add(lb_lead_bulk *b, lb_lead *l, const char *note, lb_err *err)
{
    lb_stmt *st = b->lead;
    lead_bind(st, l, true);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return db_fail(b->db, err, "adding a lead");
    l->id = db_last_id(b->db);
    l->version = 1;

    st = b->event;
    db_bind_int64(st, 4, l->id);
    db_bind_str(st, 5, l->name, -1, DB_STATIC);
    db_bind_str(st, 6, note, -1, DB_STATIC);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE)
        return db_fail(b->db, err, "writing the audit log");
    return LB_OK;
}

lb_status lead_bulk_finish(lb_lead_bulk *b, lb_err *err)
{
    char *t = b->triggers;
    b->triggers = NULL;
    return db_bulk_end(b->db, t, err);
}

void lead_bulk_close(lb_lead_bulk *b)
{
    if (!b)
        return;
    free(b->triggers); /* not finished: the rollback restores them */
    db_finalize(b->lead);
    db_finalize(b->event);
    free(b);
}
