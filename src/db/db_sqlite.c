#include "config.h"

#include <sqlite3.h>

#include "db_internal.h"

/* The SQLite driver's statements: a thin shell over sqlite3_stmt, whose
 * result codes (SQLITE_ROW, SQLITE_DONE, SQLITE_NULL) are the DB_ ones. */
typedef struct {
    lb_stmt base;
    sqlite3_stmt *h;
} sq_stmt;

#define SQ(st) (((sq_stmt *)(st))->h)

static int sq_prepare(lb_db *db, const char *sql, lb_stmt **out)
{
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return SQLITE_NOMEM;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->h, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s->h);
        free(s);
        return rc;
    }
    s->base.drv = &db_sqlite_driver;
    s->base.db = db;
    *out = &s->base;
    return DB_OK;
}

static void sq_finalize(lb_stmt *st)
{
    sqlite3_finalize(SQ(st));
    free(st);
}

static int sq_step(lb_stmt *st)
{
    return sqlite3_step(SQ(st));
}

static void sq_reset(lb_stmt *st)
{
    sqlite3_reset(SQ(st));
}

static void sq_clear_bindings(lb_stmt *st)
{
    sqlite3_clear_bindings(SQ(st));
}

static bool sq_busy(lb_stmt *st)
{
    return sqlite3_stmt_busy(SQ(st)) != 0;
}

static int sq_param_count(lb_stmt *st)
{
    return sqlite3_bind_parameter_count(SQ(st));
}

static void sq_bind_null(lb_stmt *st, int i)
{
    sqlite3_bind_null(SQ(st), i);
}

static void sq_bind_int64(lb_stmt *st, int i, int64_t v)
{
    sqlite3_bind_int64(SQ(st), i, v);
}

static void sq_bind_text(lb_stmt *st, int i, const char *s, int n, int life)
{
    sqlite3_bind_text(SQ(st), i, s, n, life == DB_STATIC ? SQLITE_STATIC : SQLITE_TRANSIENT);
}

static int sq_col_count(lb_stmt *st)
{
    return sqlite3_column_count(SQ(st));
}

static int sq_col_type(lb_stmt *st, int i)
{
    return sqlite3_column_type(SQ(st), i) == SQLITE_NULL ? DB_NULL : 0;
}

static int64_t sq_col_int64(lb_stmt *st, int i)
{
    return sqlite3_column_int64(SQ(st), i);
}

static const char *sq_col_text(lb_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(SQ(st), i);
}

static int sq_col_bytes(lb_stmt *st, int i)
{
    return sqlite3_column_bytes(SQ(st), i);
}

static int sq_exec(lb_db *db, const char *sql)
{
    return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
}

static int64_t sq_last_id(lb_db *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

static int64_t sq_changes(lb_db *db)
{
    return sqlite3_changes(db->h);
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .step = sq_step,
    .reset = sq_reset,
    .clear_bindings = sq_clear_bindings,
    .busy = sq_busy,
    .param_count = sq_param_count,
    .bind_null = sq_bind_null,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .col_count = sq_col_count,
    .col_type = sq_col_type,
    .col_int64 = sq_col_int64,
    .col_text = sq_col_text,
    .col_bytes = sq_col_bytes,
    .exec = sq_exec,
    .last_id = sq_last_id,
    .changes = sq_changes,
};
