#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

/* copy DEST (issue 16): the whole board into an empty board of either
 * engine, ids kept, in one transaction on the destination.  Every table
 * both schemas have is copied row by row with the columns both have, the
 * destination's triggers set aside (the derived tables are copied as
 * they are), so a table or column a later migration adds comes along
 * without a change here.  The reading side runs in one snapshot. */

/* Tables in the order their references need; any other table of the
 * source follows. */
static const char *const copy_order[] = {
    "users",   "campaigns",    "leads",        "followups",       "ratings",     "comments",
    "goals",   "settings",     "assets",       "asset_uses",      "asset_leads", "events",
    "changes", "change_leads", "stage_counts", "feedback_counts", NULL,
};

/* Tables that are the engine's, not the board's. */
static bool engine_table(const char *name)
{
    return strcmp(name, "schema_migrations") == 0 || strncmp(name, "sqlite_", 7) == 0;
}

#define MAX_TABLES 64
#define MAX_COLS 64

struct names {
    char *v[MAX_COLS];
    int n;
};

static void names_free(struct names *n)
{
    for (int i = 0; i < n->n; i++)
        free(n->v[i]);
    n->n = 0;
}

static bool names_has(const struct names *n, const char *s)
{
    for (int i = 0; i < n->n; i++)
        if (strcmp(n->v[i], s) == 0)
            return true;
    return false;
}

/* The board's tables of db (sqlite_master is a view on PostgreSQL). */
static lb_status tables_of(lb_db *db, struct names *out, lb_err *err)
{
    lb_stmt *st = NULL;
    out->n = 0;
    if (db_prepare(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", &st) !=
        DB_OK)
        return db_fail(db, err, "reading the tables");
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n < MAX_TABLES - 1) {
        const char *t = db_col_text(st, 0);
        if (t && !engine_table(t))
            out->v[out->n++] = strdup(t);
    }
    lb_status s = rc == DB_ROW || rc == DB_DONE ? LB_OK : db_fail(db, err, "reading the tables");
    db_finalize(st);
    return s;
}

/* The columns of a table, in their order (pragma_table_info is a function
 * of the schema on PostgreSQL). */
static lb_status columns_of(lb_db *db, const char *table, struct names *out, lb_err *err)
{
    lb_stmt *st = NULL;
    out->n = 0;
    if (db_prepare(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", &st) != DB_OK)
        return db_fail(db, err, "reading the columns");
    db_bind_str(st, 1, table, -1, DB_STATIC);
    int rc;
    while ((rc = db_step(st)) == DB_ROW && out->n < MAX_COLS) {
        const char *c = db_col_text(st, 0);
        if (c)
            out->v[out->n++] = strdup(c);
    }
    lb_status s = rc == DB_ROW || rc == DB_DONE ? LB_OK : db_fail(db, err, "reading the columns");
    db_finalize(st);
    return s;
}

/* Whether dest holds no board data yet (its migrations' own rows aside). */
static lb_status dest_empty(lb_db *dest, bool *empty, lb_err *err)
{
    bool yes = false;
    int64_t n = 0;
    lb_stmt *st = NULL;
    if (db_prepare(dest,
                   "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM campaigns) + "
                   "(SELECT count(*) FROM leads) + (SELECT count(*) FROM events)",
                   &st) != DB_OK)
        return db_fail(dest, err, "reading the destination");
    lb_status s = db_int64(dest, st, &yes, &n, err, "reading the destination");
    db_finalize(st);
    *empty = s == LB_OK && yes && n == 0;
    return s;
}

/* One table: dest's rows out, src's rows in, with the columns both have. */
static lb_status copy_table(lb_db *src, lb_db *dest, const char *table, int64_t *rows, lb_err *err)
{
    struct names scols = {0}, dcols = {0}, cols = {0};
    lb_status s = columns_of(src, table, &scols, err);
    if (s == LB_OK)
        s = columns_of(dest, table, &dcols, err);
    for (int i = 0; s == LB_OK && i < scols.n; i++)
        if (names_has(&dcols, scols.v[i]))
            cols.v[cols.n++] = strdup(scols.v[i]);
    if (s != LB_OK || cols.n == 0) {
        names_free(&scols);
        names_free(&dcols);
        names_free(&cols);
        return s;
    }
    /* names from the schemas themselves, not user text */
    db_str *sel = db_str_new(), *ins = db_str_new(), *del = db_str_new();
    db_str_appendf(sel, "SELECT ");
    db_str_appendf(ins, "INSERT INTO %s(", table);
    for (int i = 0; i < cols.n; i++) {
        db_str_appendf(sel, "%s%s", i ? ", " : "", cols.v[i]);
        db_str_appendf(ins, "%s%s", i ? ", " : "", cols.v[i]);
    }
    db_str_appendf(sel, " FROM %s ORDER BY %s", table, names_has(&scols, "id") ? "id" : "1, 2");
    db_str_appendf(ins, ") VALUES (");
    for (int i = 0; i < cols.n; i++)
        db_str_appendf(ins, "%s?%d", i ? ", " : "", i + 1);
    db_str_appendf(ins, ")");
    db_str_appendf(del, "DELETE FROM %s", table);
    char *sel_sql = db_str_finish(sel), *ins_sql = db_str_finish(ins),
         *del_sql = db_str_finish(del);
    lb_stmt *r = NULL, *w = NULL;
    if (!sel_sql || !ins_sql || !del_sql)
        s = lb_fail(err, LB_EDB, "out of memory");
    if (s == LB_OK && db_exec_rc(dest, del_sql) != DB_OK)
        s = db_fail(dest, err, "emptying the destination");
    if (s == LB_OK && db_prepare(src, sel_sql, &r) != DB_OK)
        s = db_fail(src, err, "reading the board");
    if (s == LB_OK && db_prepare(dest, ins_sql, &w) != DB_OK)
        s = db_fail(dest, err, "writing the copy");
    int rc = DB_DONE;
    if (s == LB_OK && dest->drv->load_begin) { /* in bulk (COPY) */
        const char **vals = calloc((size_t)cols.n, sizeof *vals);
        int *lens = calloc((size_t)cols.n, sizeof *lens);
        char what[160];
        snprintf(what, sizeof what, "copying %s", table);
        if (!vals || !lens)
            s = lb_fail(err, LB_EDB, "out of memory");
        else if (dest->drv->load_begin(dest, table, cols.v, cols.n) != DB_OK)
            s = db_fail(dest, err, what);
        else {
            bool ok = true;
            while (ok && (rc = db_step(r)) == DB_ROW) {
                for (int i = 0; i < cols.n; i++) {
                    bool null = db_col_type(r, i) == DB_NULL;
                    vals[i] = null ? NULL : db_col_text(r, i);
                    lens[i] = null ? 0 : db_col_bytes(r, i);
                }
                ok = dest->drv->load_row(dest, vals, lens, cols.n) == DB_OK;
                (*rows)++;
            }
            /* ended whatever happened, so the connection is usable again */
            if (dest->drv->load_end(dest) != DB_OK || !ok)
                s = db_fail(dest, err, what);
            else if (rc != DB_DONE)
                s = db_fail(src, err, "reading the board");
            rc = DB_DONE;
        }
        free(vals);
        free(lens);
    }
    while (s == LB_OK && !dest->drv->load_begin && (rc = db_step(r)) == DB_ROW) {
        for (int i = 0; i < cols.n; i++) {
            if (db_col_type(r, i) == DB_NULL)
                db_bind_null(w, i + 1);
            else
                db_bind_str(w, i + 1, db_col_text(r, i), db_col_bytes(r, i), DB_TRANSIENT);
        }
        int wrc = db_step(w);
        db_reset(w);
        if (wrc != DB_DONE && wrc != DB_ROW) {
            char what[160];
            snprintf(what, sizeof what, "copying %s", table);
            s = db_fail(dest, err, what);
        }
        (*rows)++;
    }
    if (s == LB_OK && rc != DB_DONE)
        s = db_fail(src, err, "reading the board");
    db_finalize(r);
    db_finalize(w);
    free(sel_sql);
    free(ins_sql);
    free(del_sql);
    names_free(&scols);
    names_free(&dcols);
    names_free(&cols);
    return s;
}

lb_status db_copy(lb_db *src, lb_db *dest, int64_t *rows, lb_err *err)
{
    struct names stables = {0}, dtables = {0};
    bool empty = false;
    char *saved = NULL;
    *rows = 0;
    if (db_schema_version(src) != db_schema_version(dest))
        return lb_fail(err, LB_EDB, "the board (schema %d) and the copy (schema %d) differ",
                       db_schema_version(src), db_schema_version(dest));
    lb_status s = dest_empty(dest, &empty, err);
    if (s == LB_OK && !empty)
        s = lb_fail(err, LB_EINVAL,
                    "%s already holds a board (users, campaigns, leads or events); copy goes into "
                    "an empty one",
                    db_path(dest));
    if (s == LB_OK)
        s = tables_of(src, &stables, err);
    if (s == LB_OK)
        s = tables_of(dest, &dtables, err);
    if (s != LB_OK) {
        names_free(&stables);
        names_free(&dtables);
        return s;
    }
    /* the source in one snapshot, the destination in one transaction */
    if ((s = src->drv->snapshot_begin(src, err)) != LB_OK) {
        names_free(&stables);
        names_free(&dtables);
        return s;
    }
    if ((s = db_begin(dest, err)) == LB_OK)
        s = dest->drv->triggers_off(dest, &saved, err);
    const char *order[MAX_TABLES * 2];
    int n = 0;
    for (int i = 0; copy_order[i]; i++)
        if (names_has(&stables, copy_order[i]))
            order[n++] = copy_order[i];
    for (int i = 0; i < stables.n; i++) {
        bool listed = false;
        for (int j = 0; copy_order[j]; j++)
            listed = listed || strcmp(copy_order[j], stables.v[i]) == 0;
        if (!listed)
            order[n++] = stables.v[i];
    }
    for (int i = 0; s == LB_OK && i < n; i++)
        if (names_has(&dtables, order[i]))
            s = copy_table(src, dest, order[i], rows, err);
    if (s == LB_OK)
        s = dest->drv->triggers_on(dest, saved, err);
    else
        free(saved);
    if (s == LB_OK)
        s = db_commit(dest, err);
    else
        db_rollback(dest);
    src->drv->snapshot_end(src);
    names_free(&stables);
    names_free(&dtables);
    return s;
}

lb_status db_snapshot(lb_db *db, const char *dest, lb_err *err)
{
    if (db_is_url(dest))
        return lb_fail(err, LB_EUSAGE,
                       "backup writes a file; to put the board on a server use "
                       "'leadboard copy URL'");
    db_pending p;
    const char *tmp;
    lb_status st = db_pending_begin(&p, dest, true, &tmp, err);
    if (st != LB_OK)
        return st;
    lb_db *to = NULL;
    int64_t rows = 0;
    st = db_open_at_version(tmp, db_schema_version(db), &to, err);
    if (st == LB_OK)
        st = db_copy(db, to, &rows, err);
    db_close(to); /* the last connection: SQLite folds the WAL into the file */
    return db_pending_end(&p, dest, st, err);
}
