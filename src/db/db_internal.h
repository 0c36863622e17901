/* What the db modules share: the connection, the compiled-in migrations,
 * a statement cache keyed by SQL text, and binding/column helpers. */
#ifndef LEADBOARD_DB_INTERNAL_H
#define LEADBOARD_DB_INTERNAL_H

#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "leadboard/db.h"
#include "leadboard/model.h"

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct db_migration db_migrations[];
extern const int db_migration_count;

#define DB_STMT_CACHE 64

struct lb_db {
    sqlite3 *h;
    char path[PATH_MAX];
    int depth;        /* nesting of db_begin */
    bool doomed;      /* an inner transaction rolled back */
    bool readonly;
    bool restoring; /* db_restore_guards: the guard check is off */
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[DB_STMT_CACHE];
    int ncache;
};

/* A prepared statement for sql (a string literal: cached by address),
 * reset and with its bindings cleared; NULL with err set on failure. */
sqlite3_stmt *db_stmt(lb_db *db, const char *sql, lb_err *err);
/* Maps the connection's last error to a status and a message about `what`. */
lb_status db_fail(lb_db *db, lb_err *err, const char *what);
/* Steps a statement that returns no rows. */
lb_status db_step_done(lb_db *db, sqlite3_stmt *st, lb_err *err, const char *what);

/* The stores' one-row and many-row reads, in the manner of fossil's
 * db_int/db_text/db_exists but returning errors instead of exiting: */
/* Reads a row's columns into out. */
typedef void (*db_row_fn)(sqlite3_stmt *st, void *out);
/* Steps st once and resets it: a row goes to read(st, out) and is LB_OK;
 * no row is LB_ENOTFOUND with err left for the caller to say what was not
 * found; anything else is a database error about `what`. */
lb_status db_one(lb_db *db, sqlite3_stmt *st, db_row_fn read, void *out, lb_err *err,
                 const char *what);
/* Whether st returns a row (*yes), and its first column in *value when it
 * does (value may be NULL). */
lb_status db_int64(lb_db *db, sqlite3_stmt *st, bool *yes, int64_t *value, lb_err *err,
                   const char *what);
/* Ends a loop of sqlite3_step over rows: rc ROW (the caller stopped early)
 * or DONE is LB_OK, anything else a database error about `what`; resets st. */
lb_status db_loop_end(lb_db *db, sqlite3_stmt *st, int rc, lb_err *err, const char *what);

/* Bulk writes, inside the caller's transaction: the triggers that keep
 * stage_counts and feedback_counts row by row are set aside (each would
 * make every insert a statement with its own journal), and db_bulk_end
 * rebuilds the counts once and puts the triggers back.  A rollback undoes both.  *saved is
 * freed by db_bulk_end. */
lb_status db_bulk_begin(lb_db *db, char **saved, lb_err *err);
lb_status db_bulk_end(lb_db *db, char *saved, lb_err *err);

/* Binds text; NULL binds NULL.  Empty strings bind NULL with bind_opt. */
void bind_text(sqlite3_stmt *st, int i, const char *s);
void bind_opt(sqlite3_stmt *st, int i, const char *s);
/* Binds an id; 0 binds NULL. */
void bind_id(sqlite3_stmt *st, int i, int64_t id);
/* A lead's stored fields, in the order lead_bind binds them (?1 to ?23),
 * then who and when (?24, ?25). */
#define LEAD_WRITE_COLS                                                                            \
    "name, company, title, email, phone, notes, campaign_id, value, marketer_id, owner_id, "      \
    "stage, reason, created_at, stage_at, handed_off_at, accepted_at, first_touch_at, "           \
    "last_touch_at, next_due_at, closed_at, furthest, rejections, stars, updated_at, updated_by"
#define LEAD_INSERT                                                                                \
    "INSERT INTO leads(" LEAD_WRITE_COLS ", version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "   \
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, 1)"
/* Binds ?1 to ?23; `stay`: l's text outlives the step, so it is not copied
 * (a bulk import binds millions of strings). */
void lead_bind(sqlite3_stmt *st, const lb_lead *l, bool stay);
/* The working stages (stage_is_working in the core) as an SQL list, the
 * one place the stores name them; check_db.c holds the two to each other. */
#define DB_WORKING_STAGES "('accepted', 'contacted', 'qualified', 'proposal')"

/* Copies column i into buf ("" for NULL). */
void col_copy(sqlite3_stmt *st, int i, char *buf, size_t n);

#endif
