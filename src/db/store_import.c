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

/* ---- the staging table (doc: import.h) ----
 *
 * Rows are staged in a TEMP table on the import's own connection: writing
 * it takes no lock on the board, so other processes write on while a big
 * file is read and checked.  Its columns are the leads' own (bound by
 * lead_bind), then what the publish needs. */

struct lb_import_stage {
    lb_db *db;
    lb_stmt *add, *find;
    int64_t snap_max; /* the board's highest lead id when the reading began */
    int64_t base;     /* the id before the first added lead, at the publish */
    bool reading;     /* the read transaction of the first phase is open */
    char *triggers;   /* set aside by db_bulk_begin for the publish */
};

static const char stage_schema[] =
    "DROP TABLE IF EXISTS temp.import_stage; DROP TABLE IF EXISTS temp.import_camps;"
    "CREATE TEMP TABLE import_stage ("
    " seq INTEGER PRIMARY KEY, line INTEGER NOT NULL, op INTEGER NOT NULL,"
    " rank INTEGER, target_id INTEGER, target_seq INTEGER, notes_col INTEGER NOT NULL,"
    " name TEXT NOT NULL, company TEXT NOT NULL, title TEXT NOT NULL, email TEXT NOT NULL,"
    " phone TEXT NOT NULL, notes TEXT NOT NULL, campaign_id INTEGER, value INTEGER,"
    " marketer_id INTEGER, owner_id INTEGER, stage TEXT NOT NULL, reason TEXT NOT NULL,"
    " created_at TEXT NOT NULL, stage_at TEXT NOT NULL, handed_off_at TEXT, accepted_at TEXT,"
    " first_touch_at TEXT, last_touch_at TEXT, next_due_at TEXT, closed_at TEXT,"
    " furthest INTEGER NOT NULL, rejections INTEGER NOT NULL, stars INTEGER);"
    "CREATE INDEX import_stage_email ON import_stage(email COLLATE NOCASE) WHERE email <> '';"
    "CREATE TEMP TABLE import_camps (idx INTEGER PRIMARY KEY, id INTEGER NOT NULL);";

static lb_status stage_exec(lb_db *db, const char *sql, lb_err *err, const char *what)
{
    if (db_exec_rc(db, sql) != DB_OK)
        return db_fail(db, err, what);
    return LB_OK;
}

lb_status import_stage_open(lb_db *db, lb_import_stage **out, lb_err *err)
{
    lb_import_stage *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return lb_fail(err, LB_EDB, "out of memory");
    s->db = db;
    /* The staging table's pages stay in memory up to 64 MB, then spill to
     * a temporary file: a file of any size is read in bounded memory. */
    db_exec_rc(db, "PRAGMA temp.cache_size = -32768");
    lb_status st = stage_exec(db, stage_schema, err, "preparing the import");
    db_exec_rc(db, "PRAGMA temp.journal_mode = OFF");
    if (st == LB_OK &&
        (db_prepare(db,
                            "INSERT INTO temp.import_stage(seq, line, op, rank, target_id, "
                            "target_seq, notes_col, name, company, title, email, phone, notes, "
                            "campaign_id, value, marketer_id, owner_id, stage, reason, created_at, "
                            "stage_at, handed_off_at, accepted_at, first_touch_at, last_touch_at, "
                            "next_due_at, closed_at, furthest, rejections, stars) VALUES (?24, "
                            "?25, ?26, ?27, ?28, ?29, ?30, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                            "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
                            &s->add) != DB_OK ||
         db_prepare(db,
                            "SELECT seq, line, op, target_id, target_seq FROM temp.import_stage "
                            "WHERE email = ?1 COLLATE NOCASE AND email <> '' ORDER BY seq LIMIT 1",
                            &s->find) != DB_OK))
        st = db_fail(db, err, "preparing the import");
    /* One read transaction for the whole reading: the duplicate lookups
     * see one state of the board, and the staging writes (temp only) are
     * not committed row by row.  It holds no write lock. */
    if (st == LB_OK && (st = stage_exec(db, "BEGIN", err, "starting the import")) == LB_OK) {
        s->reading = true;
        lb_stmt *q = db_stmt(db, "SELECT coalesce(max(id), 0) FROM leads", err);
        bool yes;
        st = q ? db_int64(db, q, &yes, &s->snap_max, err, "reading the leads") : LB_EDB;
    }
    if (st != LB_OK) {
        import_stage_close(s);
        return st;
    }
    *out = s;
    return LB_OK;
}

lb_status import_stage_add(lb_import_stage *s, const lb_lead *l, const lb_staged *meta,
                           lb_err *err)
{
    lb_stmt *st = s->add;
    lead_bind(st, l, true);
    db_bind_int64(st, 24, meta->seq);
    db_bind_int64(st, 25, meta->line);
    db_bind_int(st, 26, (int)meta->op);
    if (meta->op == IMPORT_ADD)
        db_bind_int64(st, 27, meta->rank);
    else
        db_bind_null(st, 27);
    bind_id(st, 28, meta->target_id);
    bind_id(st, 29, meta->target_seq);
    db_bind_int(st, 30, meta->notes_col);
    int rc = db_step(st);
    db_reset(st);
    st->drv->clear_bindings(st);
    return rc == DB_DONE ? LB_OK : db_fail(s->db, err, "staging a row");
}

lb_status import_stage_find(lb_import_stage *s, const char *email, lb_staged *found, bool *yes,
                            lb_err *err)
{
    lb_stmt *st = s->find;
    db_bind_str(st, 1, email, -1, DB_STATIC);
    int rc = db_step(st);
    *yes = rc == DB_ROW;
    if (*yes) {
        memset(found, 0, sizeof *found);
        found->seq = db_col_int64(st, 0);
        found->line = (long)db_col_int64(st, 1);
        found->op = (lb_import_op)db_col_int(st, 2);
        found->target_id = db_col_int64(st, 3);
        found->target_seq = db_col_int64(st, 4);
    }
    db_reset(st);
    return rc == DB_ROW || rc == DB_DONE ? LB_OK
                                                 : db_fail(s->db, err, "finding a staged row");
}

lb_status import_stage_read_done(lb_import_stage *s, lb_err *err)
{
    if (!s->reading)
        return LB_OK;
    s->reading = false;
    return stage_exec(s->db, "COMMIT", err, "staging the import");
}

lb_status import_stage_conflicts(lb_import_stage *s,
                                 int (*fn)(int64_t seq, long line, int64_t lead_id, void *ud),
                                 void *ud, lb_err *err)
{
    /* Only the leads added since the reading began: the rest were seen. */
    lb_stmt *st = db_stmt(s->db,
                               "SELECT s.seq, s.line, min(l.id) FROM leads l CROSS JOIN "
                               "temp.import_stage s WHERE s.email = l.email COLLATE NOCASE AND "
                               "s.email <> '' AND l.id > ?1 AND l.email <> '' AND s.op = 0 "
                               "GROUP BY s.seq ORDER BY s.seq",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, s->snap_max);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (fn(db_col_int64(st, 0), (long)db_col_int64(st, 1),
               db_col_int64(st, 2), ud))
            break;
    return db_loop_end(s->db, st, rc, err, "checking for new duplicates");
}

lb_status import_stage_drop(lb_import_stage *s, int64_t seq, lb_err *err)
{
    lb_stmt *st = db_stmt(s->db, "DELETE FROM temp.import_stage WHERE seq = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, seq);
    return db_step_done(s->db, st, err, "staging the import");
}

lb_status import_stage_retarget(lb_import_stage *s, int64_t seq, int64_t lead_id, lb_err *err)
{
    lb_stmt *st = db_stmt(s->db,
                               "UPDATE temp.import_stage SET op = 1, rank = NULL, target_id = ?2, "
                               "target_seq = NULL WHERE seq = ?1 OR target_seq = ?1",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, seq);
    db_bind_int64(st, 2, lead_id);
    return db_step_done(s->db, st, err, "staging the import");
}

lb_status import_stage_renumber(lb_import_stage *s, lb_err *err)
{
    return stage_exec(s->db,
                      "UPDATE temp.import_stage SET rank = r.n FROM (SELECT seq, row_number() "
                      "OVER (ORDER BY seq) AS n FROM temp.import_stage WHERE op = 0) AS r WHERE "
                      "import_stage.seq = r.seq",
                      err, "staging the import");
}

lb_status import_stage_campaign(lb_import_stage *s, int idx, int64_t id, lb_err *err)
{
    lb_stmt *st =
        db_stmt(s->db, "INSERT INTO temp.import_camps(idx, id) VALUES (?1, ?2)", err);
    if (!st)
        return LB_EDB;
    db_bind_int(st, 1, idx);
    db_bind_int64(st, 2, id);
    return db_step_done(s->db, st, err, "staging the import");
}

lb_status import_stage_publish(lb_import_stage *s, const char *at, int64_t actor_id,
                               const char *os_login, const char *source, int64_t *added,
                               lb_err *err)
{
    lb_db *db = s->db;
    bool yes;
    lb_stmt *st = db_stmt(db, "SELECT coalesce(max(id), 0) FROM leads", err);
    lb_status r = st ? db_int64(db, st, &yes, &s->base, err, "reading the leads") : LB_EDB;
    /* A big import touches every page of the leads' indexes over and over:
     * with SQLite's 2 MB default they are written out and read back again
     * and again. */
    db_exec_rc(db, "PRAGMA main.cache_size = -32768");
    if (r == LB_OK)
        r = db_bulk_begin(db, &s->triggers, err);
    /* Leads take the ids after the board's last, in the file's order. */
    if (r == LB_OK && (st = db_stmt(db,
                                    "INSERT INTO leads(id, " LEAD_WRITE_COLS ", version) SELECT "
                                    "?1 + s.rank, s.name, s.company, s.title, s.email, s.phone, "
                                    "s.notes, c.id, s.value, s.marketer_id, s.owner_id, s.stage, "
                                    "s.reason, s.created_at, s.stage_at, s.handed_off_at, "
                                    "s.accepted_at, s.first_touch_at, s.last_touch_at, "
                                    "s.next_due_at, s.closed_at, s.furthest, s.rejections, "
                                    "s.stars, ?2, ?3, 1 FROM temp.import_stage s LEFT JOIN "
                                    "temp.import_camps c ON c.idx = s.campaign_id WHERE s.op = 0 "
                                    "ORDER BY s.seq",
                                    err)) == NULL)
        r = LB_EDB;
    if (r == LB_OK) {
        db_bind_int64(st, 1, s->base);
        db_bind_str(st, 2, at, -1, DB_STATIC);
        bind_id(st, 3, actor_id);
        r = db_step_done(db, st, err, "adding the leads");
        *added = r == LB_OK ? db_changes(db) : 0;
    }
    if (r == LB_OK && (st = db_stmt(db,
                                    "INSERT INTO events(at, actor_id, os_login, entity, "
                                    "entity_id, lead_id, action, field, old_value, new_value, "
                                    "note) SELECT ?1, ?2, ?3, 'lead', ?4 + rank, ?4 + rank, "
                                    "'create', '', NULL, name, 'imported from ' || ?5 || ':' || "
                                    "line FROM temp.import_stage WHERE op = 0 ORDER BY seq",
                                    err)) == NULL)
        r = LB_EDB;
    if (r == LB_OK) {
        db_bind_str(st, 1, at, -1, DB_STATIC);
        bind_id(st, 2, actor_id);
        db_bind_str(st, 3, os_login ? os_login : "", -1, DB_STATIC);
        db_bind_int64(st, 4, s->base);
        db_bind_str(st, 5, source, -1, DB_STATIC);
        r = db_step_done(db, st, err, "writing the audit log");
    }
    return r;
}

lb_status import_stage_each_update(lb_import_stage *s,
                                   int (*fn)(lb_lead *l, const lb_staged *meta, void *ud),
                                   void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(
        s->db,
        "SELECT s.seq, s.line, coalesce(s.target_id, ?1 + t.rank), s.notes_col, s.name, "
        "s.company, s.title, s.phone, s.notes, s.campaign_id, s.value FROM temp.import_stage s "
        "LEFT JOIN temp.import_stage t ON t.seq = s.target_seq WHERE s.op = 1 ORDER BY s.seq",
        err);
    if (!st)
        return LB_EDB;
    lb_lead *l = calloc(1, sizeof *l);
    if (!l)
        return lb_fail(err, LB_EDB, "out of memory");
    db_bind_int64(st, 1, s->base);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        lb_staged m = {.seq = db_col_int64(st, 0),
                       .line = (long)db_col_int64(st, 1),
                       .op = IMPORT_UPDATE,
                       .target_id = db_col_int64(st, 2),
                       .notes_col = db_col_int(st, 3)};
        memset(l, 0, sizeof *l);
        col_copy(st, 4, l->name, sizeof l->name);
        col_copy(st, 5, l->company, sizeof l->company);
        col_copy(st, 6, l->title, sizeof l->title);
        col_copy(st, 7, l->phone, sizeof l->phone);
        col_copy(st, 8, l->notes, sizeof l->notes);
        l->campaign_id = db_col_int64(st, 9);
        l->has_value = db_col_type(st, 10) != DB_NULL;
        l->value = db_col_int64(st, 10);
        if (fn(l, &m, ud))
            break;
    }
    free(l);
    return db_loop_end(s->db, st, rc, err, "updating the leads");
}

lb_status import_stage_finish(lb_import_stage *s, lb_err *err)
{
    char *t = s->triggers;
    s->triggers = NULL;
    return db_bulk_end(s->db, t, err);
}

void import_stage_close(lb_import_stage *s)
{
    if (!s)
        return;
    free(s->triggers); /* not finished: the rollback restores them */
    db_finalize(s->add);
    db_finalize(s->find);
    if (s->reading)
        db_exec_rc(s->db, "ROLLBACK");
    /* The staging table stays until the connection closes (its file is
     * then deleted) or the next import replaces it: dropping it here would
     * walk every page of it, for nothing. */
    free(s);
}
