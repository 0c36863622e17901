/* What the db modules share: the connection, the compiled-in migrations,
 * a statement cache keyed by SQL text, and binding/column helpers. */
#ifndef LEADBOARD_DB_INTERNAL_H
#define LEADBOARD_DB_INTERNAL_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "leadboard/db.h"
#include "leadboard/model.h"

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct db_migration db_migrations[];
extern const int db_migration_count;
extern const struct db_migration db_pg_migrations[];
extern const int db_pg_migration_count;

#define DB_STMT_CACHE 64

/* One engine's statements and connection, behind one table of operations
 * (in the manner of tig's view_ops): the stores are written once against
 * the db_* calls below and never name an engine.  A driver's statement
 * type begins with struct lb_stmt. */
typedef struct lb_stmt lb_stmt;
struct db_driver {
    const char *name;
    /* Compiles sql into *out; DB_OK or an engine error code. */
    int (*prepare)(lb_db *db, const char *sql, lb_stmt **out);
    void (*finalize)(lb_stmt *st);
    /* DB_ROW, DB_DONE or an engine error code. */
    int (*step)(lb_stmt *st);
    /* Back to before the first step, the bindings kept. */
    void (*reset)(lb_stmt *st);
    void (*clear_bindings)(lb_stmt *st);
    /* Whether the statement is stepped and not yet reset. */
    bool (*busy)(lb_stmt *st);
    int (*param_count)(lb_stmt *st);
    void (*bind_null)(lb_stmt *st, int i);
    void (*bind_int64)(lb_stmt *st, int i, int64_t v);
    /* n < 0: up to the NUL; life DB_STATIC: s outlives the step. */
    void (*bind_text)(lb_stmt *st, int i, const char *s, int n, int life);
    int (*col_count)(lb_stmt *st);
    int (*col_type)(lb_stmt *st, int i); /* DB_NULL or not */
    int64_t (*col_int64)(lb_stmt *st, int i);
    const char *(*col_text)(lb_stmt *st, int i); /* NULL for NULL */
    int (*col_bytes)(lb_stmt *st, int i);
    /* Runs one or more statements without parameters or rows. */
    int (*exec)(lb_db *db, const char *sql);
    int64_t (*last_id)(lb_db *db);
    int64_t (*changes)(lb_db *db);

    /* The connection: opens target (a path or a URL) to read or write,
     * brought to schema `upto`, refusing what is not a board. */
    lb_status (*open)(const char *target, int upto, bool write, lb_db **out, lb_err *err);
    void (*close)(lb_db *db);
    /* The connection's last error as a status and a message about `what`. */
    lb_status (*fail)(lb_db *db, lb_err *err, const char *what);
    /* The outermost write transaction, waiting out other writers within
     * the busy timeout; commit rolls back when it fails. */
    lb_status (*begin)(lb_db *db, lb_err *err);
    lb_status (*commit)(lb_db *db, lb_err *err);
    void (*rollback)(lb_db *db);
    /* Migrations: the numbered history this engine applies, the version
     * recorded in the database (0: none, -1: unreadable), and one step
     * applied with its number recorded, inside the caller's transaction. */
    const struct db_migration *migrations;
    const int *migration_count;
    int (*schema_version)(lb_db *db);
    lb_status (*apply)(lb_db *db, const struct db_migration *m, lb_err *err);
    /* Whether the trigger `name` is there (and enabled) in the schema; a
     * guard's CREATE TRIGGER runs up to guard_end in its migration. */
    lb_status (*has_trigger)(lb_db *db, const char *name, bool *yes, lb_err *err);
    const char *guard_end;
    const char *const *guards; /* their names, NULL-terminated */
    /* Bulk writes (db_bulk_begin), the consistent copy, the live change
     * counter and the cancel of a running statement. */
    lb_status (*bulk_begin)(lb_db *db, char **saved, lb_err *err);
    lb_status (*bulk_end)(lb_db *db, char *saved, lb_err *err);
    lb_status (*backup)(lb_db *db, const char *dest, lb_err *err);
    int64_t (*data_version)(lb_db *db);
    void (*interrupt)(lb_db *db);
    /* copy: the reading side in one snapshot; the writing side's triggers
     * set aside (the derived tables are copied as they are) and back. */
    lb_status (*snapshot_begin)(lb_db *db, lb_err *err);
    void (*snapshot_end)(lb_db *db);
    lb_status (*triggers_off)(lb_db *db, char **saved, lb_err *err);
    lb_status (*triggers_on)(lb_db *db, char *saved, lb_err *err);
    /* copy's rows in bulk (COPY FROM STDIN on PostgreSQL): the columns of
     * table, then rows of n values (NULL for NULL), then the end; DB_OK or
     * an engine error code.  NULL: copy inserts row by row. */
    int (*load_begin)(lb_db *db, const char *table, char *const *cols, int n);
    int (*load_row)(lb_db *db, const char *const *vals, const int *lens, int n);
    int (*load_end)(lb_db *db);
    /* "SQLite 3.40.1": the library's name and version. */
    const char *(*version)(void);
};
struct lb_stmt {
    const struct db_driver *drv;
    lb_db *db;
};
extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;
/* Results of step/prepare/exec, the same for every engine. */
enum { DB_OK = 0, DB_ERROR = 1, DB_ROW = 100, DB_DONE = 101 };
/* col_type's answer for NULL (any other value: not NULL). */
enum { DB_NULL = 5 };
/* bind_text's life of the string: kept by the caller, or copied. */
enum { DB_STATIC = 0, DB_TRANSIENT = 1 };

struct lb_db {
    const struct db_driver *drv;
    void *h;    /* the engine's connection (sqlite3 *, PGconn *) */
    void *priv; /* what else the driver keeps */
    char path[PATH_MAX];
    int depth;   /* nesting of db_begin */
    bool doomed; /* an inner transaction rolled back */
    bool readonly;
    bool restoring; /* db_restore_guards: the guard check is off */
    bool bulk_all;  /* db_bulk_begin_all: the reports' totals are set aside too */
    int64_t bulk_from_id; /* db_bulk_begin: leads after this id are the new ones */
    struct {
        const char *sql;
        lb_stmt *st;
    } cache[DB_STMT_CACHE];
    int ncache;
};

/* The statement calls the stores use, each the driver's operation. */
static inline int db_prepare(lb_db *db, const char *sql, lb_stmt **out)
{
    *out = NULL;
    return db->drv->prepare(db, sql, out);
}
static inline void db_finalize(lb_stmt *st)
{
    if (st)
        st->drv->finalize(st);
}
static inline int db_step(lb_stmt *st)
{
    return st->drv->step(st);
}
static inline void db_reset(lb_stmt *st)
{
    st->drv->reset(st);
}
static inline int db_param_count(lb_stmt *st)
{
    return st->drv->param_count(st);
}
static inline void db_bind_null(lb_stmt *st, int i)
{
    st->drv->bind_null(st, i);
}
static inline void db_bind_int64(lb_stmt *st, int i, int64_t v)
{
    st->drv->bind_int64(st, i, v);
}
static inline void db_bind_int(lb_stmt *st, int i, int v)
{
    st->drv->bind_int64(st, i, v);
}
static inline void db_bind_str(lb_stmt *st, int i, const char *s, int n, int life)
{
    st->drv->bind_text(st, i, s, n, life);
}
static inline int db_col_count(lb_stmt *st)
{
    return st->drv->col_count(st);
}
static inline int db_col_type(lb_stmt *st, int i)
{
    return st->drv->col_type(st, i);
}
static inline int64_t db_col_int64(lb_stmt *st, int i)
{
    return st->drv->col_int64(st, i);
}
static inline int db_col_int(lb_stmt *st, int i)
{
    return (int)st->drv->col_int64(st, i);
}
static inline const char *db_col_text(lb_stmt *st, int i)
{
    return st->drv->col_text(st, i);
}
static inline int db_col_bytes(lb_stmt *st, int i)
{
    return st->drv->col_bytes(st, i);
}
static inline int db_exec_rc(lb_db *db, const char *sql)
{
    return db->drv->exec(db, sql);
}
static inline int64_t db_last_id(lb_db *db)
{
    return db->drv->last_id(db);
}
static inline int64_t db_changes(lb_db *db)
{
    return db->drv->changes(db);
}

/* A growing string (the schema's own names and definitions, never user
 * text): appendf as printf; finish hands back the malloc'd text or NULL
 * when memory ran out, and frees the builder. */
typedef struct db_str db_str;
db_str *db_str_new(void);
void db_str_appendf(db_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *db_str_finish(db_str *s);

/* Shared by the drivers: the busy timeout in ms ($LEADBOARD_BUSY_TIMEOUT),
 * a monotonic clock, a growing pause between retries, the generic
 * migration runner, a new lb_db, the SQL that rebuilds the derived counts,
 * and the folders before a file. */
int db_busy_timeout_ms(void);
int64_t db_now_ms(void);
void db_backoff(int attempt);
lb_status db_migrate(lb_db *db, int upto, lb_err *err);
lb_db *db_new(const struct db_driver *drv, const char *path);
extern const char db_recount_sql[];
extern const char db_recount_all_sql[]; /* with the reports' totals (db_bulk_begin_all) */
/* The triggers that guard the data on every engine (NULL-terminated). */
extern const char *const db_guard_names[];
lb_status db_make_parents(const char *path, lb_err *err);

/* A file written under a temporary name in dest's folder (pending.c):
 * db_pending_begin refuses a dest that exists, makes its folders, creates
 * the temporary file (empty, mode 0660; removed again when `absent`, for
 * a writer that creates it) and sets *path to it; until db_pending_end, a
 * signal that ends the program removes it and its -journal, -wal and -shm.
 * db_pending_end, when st is LB_OK, syncs it and links it to dest (dest is
 * whole or absent); then removes the temporary names, restores the
 * signals and returns st or why the link failed.  One at a time. */
#define DB_PENDING_SIGNALS 5
typedef struct db_pending {
    struct sigaction old[DB_PENDING_SIGNALS];
} db_pending;
lb_status db_pending_begin(db_pending *p, const char *dest, bool absent, const char **path,
                           lb_err *err);
lb_status db_pending_end(db_pending *p, const char *dest, lb_status st, lb_err *err);
/* A consistent SQLite file of db at dest (PostgreSQL's backup). */
lb_status db_snapshot(lb_db *db, const char *dest, lb_err *err);

/* A prepared statement for sql (a string literal: cached by address),
 * reset and with its bindings cleared; NULL with err set on failure. */
lb_stmt *db_stmt(lb_db *db, const char *sql, lb_err *err);
/* Maps the connection's last error to a status and a message about `what`. */
lb_status db_fail(lb_db *db, lb_err *err, const char *what);
/* Steps a statement that returns no rows. */
lb_status db_step_done(lb_db *db, lb_stmt *st, lb_err *err, const char *what);

/* The stores' one-row and many-row reads, in the manner of fossil's
 * db_int/db_text/db_exists but returning errors instead of exiting: */
/* Reads a row's columns into out. */
typedef void (*db_row_fn)(lb_stmt *st, void *out);
/* Steps st once and resets it: a row goes to read(st, out) and is LB_OK;
 * no row is LB_ENOTFOUND with err left for the caller to say what was not
 * found; anything else is a database error about `what`. */
lb_status db_one(lb_db *db, lb_stmt *st, db_row_fn read, void *out, lb_err *err, const char *what);
/* Whether st returns a row (*yes), and its first column in *value when it
 * does (value may be NULL). */
lb_status db_int64(lb_db *db, lb_stmt *st, bool *yes, int64_t *value, lb_err *err,
                   const char *what);
/* The first n columns of the one row st returns (an aggregate's), as
 * integers; no row is a database error about `what`.  Resets st. */
lb_status db_int64s(lb_db *db, lb_stmt *st, int64_t *v, int n, lb_err *err, const char *what);
/* Ends a loop of db_step over rows: rc ROW (the caller stopped early)
 * or DONE is LB_OK, anything else a database error about `what`; resets st. */
lb_status db_loop_end(lb_db *db, lb_stmt *st, int rc, lb_err *err, const char *what);

/* Bulk writes, inside the caller's transaction: the triggers that keep
 * stage_counts and feedback_counts row by row are set aside (each would
 * make every insert a statement with its own journal), and db_bulk_end
 * rebuilds the counts once and puts the triggers back.  A rollback undoes both.  *saved is
 * freed by db_bulk_end. */
lb_status db_bulk_begin(lb_db *db, char **saved, lb_err *err);
/* The same, and the reports' running totals (lead_sums, handoffs,
 * handoff_sums) too, recounted whole at the end: for a load that writes
 * most of the board (demo), where recounting costs less than the triggers.
 * An import (db_bulk_begin) sets aside only the per-insert triggers of
 * lead_sums and flag_at and adds the new leads' share at the end, so a
 * small import into a big board does not recount a million rows. */
lb_status db_bulk_begin_all(lb_db *db, char **saved, lb_err *err);
lb_status db_bulk_end(lb_db *db, char *saved, lb_err *err);

/* Binds text; NULL binds NULL.  Empty strings bind NULL with bind_opt. */
void bind_text(lb_stmt *st, int i, const char *s);
void bind_opt(lb_stmt *st, int i, const char *s);
/* Binds an id; 0 binds NULL. */
void bind_id(lb_stmt *st, int i, int64_t id);
/* A lead's stored fields, in the order lead_bind binds them (?1 to ?23),
 * then who and when (?24, ?25). */
#define LEAD_WRITE_COLS                                                                            \
    "name, company, title, email, phone, notes, campaign_id, value, marketer_id, owner_id, "       \
    "stage, reason, created_at, stage_at, handed_off_at, accepted_at, first_touch_at, "            \
    "last_touch_at, next_due_at, closed_at, furthest, rejections, stars, updated_at, updated_by"
#define LEAD_INSERT                                                                                \
    "INSERT INTO leads(" LEAD_WRITE_COLS ", version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "     \
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 1)"
/* Binds ?1 to ?23; `stay`: l's text outlives the step, so it is not copied
 * (a bulk import binds millions of strings). */
void lead_bind(lb_stmt *st, const lb_lead *l, bool stay);
/* The working stages (stage_is_working in the core) as an SQL list, the
 * one place the stores name them; check_db.c holds the two to each other. */
#define DB_WORKING_STAGES "('accepted', 'contacted', 'qualified', 'proposal')"

/* The stand-up's SLA clocks (rules.h: sla_cuts) as SQL over leads l: the
 * column sla_state() reads compared with the cut bound to ?n, so its
 * overdue and stale sections say what the !DUE and !STALE badges say.
 * (report sla's overdue_now counts leads by flag_at, schema 11, the moment
 * sla_state starts flagging one; check_reports holds both to sla_state at
 * moments on the thresholds.) */
#define DB_SLA_DUE(n) "(l.stage IN " DB_WORKING_STAGES " AND l.next_due_at < ?" n ")"
#define DB_SLA_STALE(n)                                                                            \
    "(l.stage IN " DB_WORKING_STAGES                                                               \
    " AND coalesce(l.last_touch_at, l.accepted_at, l.stage_at) < ?" n ")"

/* Copies column i into buf ("" for NULL). */
void col_copy(lb_stmt *st, int i, char *buf, size_t n);

#endif
