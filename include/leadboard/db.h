/* The database: opening (with creation, migration and refusal of newer or
 * foreign files), write transactions, the online backup and the copy
 * between engines.  With the stores, the only module that knows the engine
 * (SQLite, or PostgreSQL for a URL). */
#ifndef LEADBOARD_DB_H
#define LEADBOARD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leadboard/status.h"

typedef struct lb_db lb_db;

/* Whether a --db names a server (a postgresql:// or postgres:// URL)
 * rather than a SQLite file. */
bool db_is_url(const char *target);

/* Where the database is: --db, else $LEADBOARD_DB, else
 * $XDG_DATA_HOME/leadboard/board.db, else ~/.local/share/leadboard/board.db. */
lb_status db_default_path(const char *opt_db, char *buf, size_t n, lb_err *err);

/* Opens to write (creating it with its folders, mode 0660, when missing) and
 * brings the schema up to date.  ":memory:" opens a private in-memory
 * database.  A newer, damaged, non-SQLite or another program's file, a
 * non-empty file that holds no board and anything not a regular file are
 * refused with LB_EDB and not touched. */
lb_status db_open(const char *path, lb_db **out, lb_err *err);
/* Opens an existing board to read: a missing one (or an empty file) is
 * LB_ENOTFOUND and nothing is created. */
lb_status db_open_read(const char *path, lb_db **out, lb_err *err);
void db_close(lb_db *db);
const char *db_path(const lb_db *db);
/* Opened read-only: this process may read the file but not write it (a
 * team member with read access only).  Such a reader's reads write nothing,
 * not even the marks a read would otherwise leave (replies seen). */
bool db_read_only(const lb_db *db);

/* Schema version of the open database and the newest this build knows. */
int db_schema_version(lb_db *db);
int db_latest_version(void);

/* Opens an existing database without migrating it (tests of migrations). */
lb_status db_open_at_version(const char *path, int version, lb_db **out, lb_err *err);

/* Write transaction (BEGIN IMMEDIATE, waiting out a busy database up to the
 * busy timeout).  Nested calls only count; the outermost commit commits and
 * any rollback rolls back the whole. */
lb_status db_begin(lb_db *db, lb_err *err);
lb_status db_commit(lb_db *db, lb_err *err);
void db_rollback(lb_db *db);

/* Puts back the triggers that guard the data (the append-only audit log,
 * the derived counts) if something removed them, and counts again what the
 * triggers keep (the leads per stage, the unreviewed feedback, the assets'
 * uses); init does.  A board this process may only read is left as it is. */
lb_status db_restore_guards(lb_db *db, lb_err *err);

/* Runs a raw statement: for tests only (e.g. tampering with the audit log). */
lb_status db_exec_raw(lb_db *db, const char *sql, lb_err *err);

/* Consistent copy to dest (which must not exist) while others may write. */
lb_status db_backup(lb_db *db, const char *dest, lb_err *err);

/* The whole board of src into dest, an empty board of either engine (its
 * schema at src's version): ids kept, one transaction on dest, src read in
 * one snapshot; *rows counts the rows written.  A dest with users,
 * campaigns, leads or events is refused (LB_EINVAL) untouched. */
lb_status db_copy(lb_db *src, lb_db *dest, int64_t *rows, lb_err *err);

/* "SQLite 3.40.1": the engine's name and version, for --version. */
const char *db_engine_version(void);

/* Changes when another connection commits (for the board's refresh). */
int64_t db_data_version(lb_db *db);
/* From another thread: the statement running on db stops with an error
 * (a count nobody waits for any more); a no-op when none runs. */
void db_interrupt(lb_db *db);

#endif
