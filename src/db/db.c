#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_internal.h"

/* How long a write waits for another process's transaction, in all:
 * $LEADBOARD_BUSY_TIMEOUT milliseconds, 10 s by default. */
static int busy_timeout_ms(void)
{
    const char *env = getenv("LEADBOARD_BUSY_TIMEOUT");
    long v = env && *env ? strtol(env, NULL, 10) : 0;
    return v >= 1 && v <= 600000 ? (int)v : 10000;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

lb_status db_default_path(const char *opt_db, char *buf, size_t n, lb_err *err)
{
    const char *env = getenv("LEADBOARD_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int k;

    if (opt_db && *opt_db)
        k = snprintf(buf, n, "%s", opt_db);
    else if (env && *env)
        k = snprintf(buf, n, "%s", env);
    else if (xdg && *xdg == '/')
        k = snprintf(buf, n, "%s/leadboard/board.db", xdg);
    else if (home && *home)
        k = snprintf(buf, n, "%s/.local/share/leadboard/board.db", home);
    else
        return lb_fail(err, LB_EUSAGE, "no database given and no HOME; use --db FILE");
    if (k < 0 || (size_t)k >= n)
        return lb_fail(err, LB_EUSAGE, "database path is too long");
    /* A server URL must never become a local file named after it (issue
     * 16): until the PostgreSQL store lands, say so and touch nothing. */
    if (strncmp(buf, "postgresql://", 13) == 0 || strncmp(buf, "postgres://", 11) == 0)
        return lb_fail(err, LB_EUSAGE,
                       "PostgreSQL URLs are not supported yet by this build; use a SQLite file "
                       "path with --db");
    return LB_OK;
}

void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    bind_text(st, i, s && *s ? s : NULL);
}

void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(st, i, id);
    else
        sqlite3_bind_null(st, i);
}

void col_copy(sqlite3_stmt *st, int i, char *buf, size_t n)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    if (n == 0)
        return;
    if (!t) {
        buf[0] = '\0';
        return;
    }
    size_t len = (size_t)sqlite3_column_bytes(st, i);
    if (len >= n)
        len = n - 1;
    memcpy(buf, t, len);
    buf[len] = '\0';
}

lb_status db_fail(lb_db *db, lb_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(db->h) & 0xff;
    const char *msg = sqlite3_errmsg(db->h);
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return lb_fail(err, LB_EDB,
                       "the database is busy (another process held it for over %.1f s) while "
                       "%s; try again",
                       busy_timeout_ms() / 1000.0, what);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return lb_fail(err, LB_EDB,
                       "%s is damaged or not a leadboard database (%s); restore it from a backup",
                       db->path, msg);
    case SQLITE_READONLY:
        return lb_fail(err, LB_EDB,
                       "%s is read-only, so %s is not possible; ask for write access to it and "
                       "its folder",
                       db->path, what);
    case SQLITE_FULL:
        return lb_fail(err, LB_EDB, "the disk is full while %s; free some space", what);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
        return lb_fail(err, LB_EDB, "cannot read or write %s (%s)", db->path, msg);
    default:
        return lb_fail(err, LB_EDB, "database error while %s: %s", what, msg);
    }
}

sqlite3_stmt *db_stmt(lb_db *db, const char *sql, lb_err *err)
{
    for (int i = 0; i < db->ncache; i++) {
        if (db->cache[i].sql == sql) {
            sqlite3_stmt *st = db->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        db_fail(db, err, "preparing a query");
        return NULL;
    }
    if (db->ncache < DB_STMT_CACHE) {
        db->cache[db->ncache].sql = sql;
        db->cache[db->ncache].st = st;
        db->ncache++;
        return st;
    }
    /* Full: replace the oldest statement that is not being stepped (a row
     * callback may be running another query while an outer one is open). */
    for (int i = 0; i < DB_STMT_CACHE; i++) {
        if (sqlite3_stmt_busy(db->cache[i].st))
            continue;
        sqlite3_finalize(db->cache[i].st);
        memmove(&db->cache[i], &db->cache[i + 1],
                sizeof db->cache[0] * (size_t)(DB_STMT_CACHE - 1 - i));
        db->cache[DB_STMT_CACHE - 1].sql = sql;
        db->cache[DB_STMT_CACHE - 1].st = st;
        return st;
    }
    sqlite3_finalize(st); /* every cached one is in use: nothing can go */
    lb_fail(err, LB_EDB, "too many queries open at once");
    return NULL;
}

lb_status db_step_done(lb_db *db, sqlite3_stmt *st, lb_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    lb_status s = LB_OK;
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        s = db_fail(db, err, what);
    sqlite3_reset(st);
    return s;
}

lb_status db_one(lb_db *db, sqlite3_stmt *st, db_row_fn read, void *out, lb_err *err,
                 const char *what)
{
    int rc = sqlite3_step(st);
    lb_status s = LB_OK;
    if (rc == SQLITE_ROW)
        read(st, out);
    else if (rc == SQLITE_DONE)
        s = LB_ENOTFOUND;
    else
        s = db_fail(db, err, what);
    sqlite3_reset(st);
    return s;
}

lb_status db_int64(lb_db *db, sqlite3_stmt *st, bool *yes, int64_t *value, lb_err *err,
                   const char *what)
{
    int rc = sqlite3_step(st);
    *yes = rc == SQLITE_ROW;
    if (*yes && value)
        *value = sqlite3_column_int64(st, 0);
    return db_loop_end(db, st, rc, err, what);
}

lb_status db_loop_end(lb_db *db, sqlite3_stmt *st, int rc, lb_err *err, const char *what)
{
    lb_status s = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? LB_OK : db_fail(db, err, what);
    sqlite3_reset(st);
    return s;
}

static lb_status exec(lb_db *db, const char *sql, lb_err *err, const char *what)
{
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(db, err, what);
    return LB_OK;
}

lb_status db_exec_raw(lb_db *db, const char *sql, lb_err *err)
{
    return exec(db, sql, err, "running a statement");
}

static int pragma_int(lb_db *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            *out = 0;
            rc = SQLITE_OK;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int db_schema_version(lb_db *db)
{
    int v = -1;
    pragma_int(db, "PRAGMA user_version", &v);
    return v;
}

int db_latest_version(void)
{
    return db_migrations[db_migration_count - 1].version;
}

/* Creates the folders leading to path (mode 0770 before umask). */
static lb_status make_parents(const char *path, lb_err *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return LB_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0770) != 0 && errno != EEXIST)
            return lb_fail(err, LB_EDB, "cannot create folder %s: %s", dir, strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0770) != 0 && errno != EEXIST)
        return lb_fail(err, LB_EDB, "cannot create folder %s: %s", dir, strerror(errno));
    return LB_OK;
}

/* Creates an empty database file with mode 0660 (whatever the umask), so a
 * team can share it through a Unix group. */
static lb_status create_file(const char *path, lb_err *err)
{
    lb_status st = make_parents(path, err);
    if (st != LB_OK)
        return st;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
    if (fd < 0) {
        if (errno == EEXIST)
            return LB_OK;
        return lb_fail(err, LB_EDB, "cannot create %s: %s", path, strerror(errno));
    }
    if (fchmod(fd, 0660) != 0) {
        close(fd);
        return lb_fail(err, LB_EDB, "cannot set the mode of %s: %s", path, strerror(errno));
    }
    close(fd);
    return LB_OK;
}

/* Ends a migration: a new schema cookie tells every open connection to
 * read the schema again (DDL moves it by itself; a migration that edits
 * the schema's text with writable_schema does not), and reading it here,
 * before the commit, proves it still parses. */
static lb_status next_schema_cookie(lb_db *db, lb_err *err)
{
    int cookie = 0, tables = 0;
    char pragma[64];
    if (pragma_int(db, "PRAGMA schema_version", &cookie) != SQLITE_OK)
        return db_fail(db, err, "reading the schema version");
    snprintf(pragma, sizeof pragma, "PRAGMA schema_version = %d", cookie + 1);
    lb_status st = exec(db, pragma, err, "recording the schema version");
    if (st == LB_OK && pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK)
        st = db_fail(db, err, "reading the new schema");
    return st;
}

static lb_status migrate(lb_db *db, int upto, lb_err *err)
{
    /* A build of SQLite that starts in defensive mode would refuse the
     * schema edits some migrations make; they are ours, not user SQL. */
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)0);
    for (int i = 0; i < db_migration_count; i++) {
        const struct db_migration *m = &db_migrations[i];
        if (m->version > upto)
            break;
        lb_status st = db_begin(db, err);
        if (st != LB_OK)
            return st;
        /* Another process may have migrated while we waited for the lock. */
        if (db_schema_version(db) >= m->version) {
            db_rollback(db);
            continue;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
        if ((st = exec(db, m->sql, err, "creating the schema")) != LB_OK ||
            (st = next_schema_cookie(db, err)) != LB_OK ||
            (st = exec(db, pragma, err, "recording the schema version")) != LB_OK) {
            db_rollback(db);
            return lb_fail(err, LB_EDB, "migration %s failed: %s", m->name, err->msg);
        }
        if ((st = db_commit(db, err)) != LB_OK)
            return st;
    }
    return LB_OK;
}

/* A file is written only when both it and its folder (where the journal
 * lives) are writable.  The mode bits count even for root: a database made
 * read-only with chmod is meant to stay as it is. */
static bool writable(const char *path, const struct stat *sb)
{
    char dir[PATH_MAX];
    struct stat db;
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    if (access(path, W_OK) != 0 || (sb->st_mode & 0222) == 0)
        return false;
    return stat(dir, &db) == 0 && access(dir, W_OK) == 0 && (db.st_mode & 0222) != 0;
}

/* Once, before SQLite starts: a write to leads fires the stage_counts
 * trigger, so each such statement keeps a statement journal; past 64 KiB
 * (a lead touches a dozen index pages) SQLite spills it to a temp file,
 * rewritten for every row of an import (measured: 2 million pwrite calls
 * for 100,000 rows).  Kept in memory, it lives only as long as a statement. */
static void configure_sqlite(void)
{
    static bool done;
    if (!done) {
        done = true;
        sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
        /* Nothing reads SQLite's memory statistics; keeping them takes a
         * mutex on every allocation (2% of an import, callgrind). */
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    }
}

static lb_status open_checked(const char *path, int upto, lb_db **out, lb_err *err)
{
    bool memory = strcmp(path, ":memory:") == 0;
    struct stat sb;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

    *out = NULL;
    if (!memory) {
        if (stat(path, &sb) != 0) {
            if (errno != ENOENT)
                return lb_fail(err, LB_EDB, "cannot open %s: %s", path, strerror(errno));
            lb_status st = create_file(path, err);
            if (st != LB_OK)
                return st;
        } else if (S_ISDIR(sb.st_mode)) {
            return lb_fail(err, LB_EDB, "%s is a folder; give a database file with --db", path);
        } else if (access(path, R_OK) != 0) {
            return lb_fail(err, LB_EDB, "cannot read %s: %s", path, strerror(errno));
        } else if (!writable(path, &sb)) {
            flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
        }
    }

    configure_sqlite();
    lb_db *db = calloc(1, sizeof *db);
    if (!db)
        return lb_fail(err, LB_EDB, "out of memory");
    snprintf(db->path, sizeof db->path, "%s", path);
    db->readonly = (flags & SQLITE_OPEN_READONLY) != 0;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        lb_status st = db_fail(db, err, "opening");
        db_close(db);
        return st;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, busy_timeout_ms());

    /* Look before touching anything: this read fails on a file that is not
     * SQLite, and tells a newer or foreign database. */
    int version = 0, tables = 0;
    if (pragma_int(db, "PRAGMA user_version", &version) != SQLITE_OK ||
        pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK) {
        int code = sqlite3_errcode(db->h);
        lb_status st = (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                           ? lb_fail(err, LB_EDB,
                                     "%s is not a leadboard database (not SQLite, or damaged); "
                                     "check --db, or restore it from a backup",
                                     path)
                           : db_fail(db, err, "opening");
        db_close(db);
        return st;
    }
    if (version > db_latest_version()) {
        db_close(db);
        return lb_fail(err, LB_EDB,
                       "%s was written by a newer leadboard (schema %d; this one knows up to "
                       "%d); upgrade leadboard to use it",
                       path, version, db_latest_version());
    }
    if (version == 0 && tables > 0) {
        db_close(db);
        return lb_fail(err, LB_EDB,
                       "%s is an SQLite database but not a leadboard one; refusing to change "
                       "it (check --db)",
                       path);
    }

    lb_status st = exec(db, "PRAGMA foreign_keys = ON", err, "opening");
    if (st == LB_OK && !memory && !db->readonly) {
        st = exec(db, "PRAGMA journal_mode = WAL", err, "opening");
        if (st == LB_OK)
            st = exec(db, "PRAGMA synchronous = NORMAL", err, "opening");
    }
    if (st == LB_OK && version < upto) {
        if (db->readonly)
            st = lb_fail(err, LB_EDB, "%s is read-only and needs an upgrade; ask for write access",
                         path);
        else
            st = migrate(db, upto, err);
    }
    if (st != LB_OK) {
        db_close(db);
        return st;
    }
    *out = db;
    return LB_OK;
}

lb_status db_open(const char *path, lb_db **out, lb_err *err)
{
    return open_checked(path, db_latest_version(), out, err);
}

lb_status db_open_at_version(const char *path, int version, lb_db **out, lb_err *err)
{
    return open_checked(path, version, out, err);
}

void db_close(lb_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->ncache; i++)
        sqlite3_finalize(db->cache[i].st);
    sqlite3_close(db->h);
    free(db);
}

const char *db_path(const lb_db *db)
{
    return db->path;
}

/* Waits a little, longer each time (backoff for a busy database). */
static void backoff(int attempt)
{
    long ms = 5L << (attempt < 6 ? attempt : 6); /* 5 ms, doubling, at most 320 ms */
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

lb_status db_begin(lb_db *db, lb_err *err)
{
    if (db->depth++ > 0)
        return LB_OK;
    db->doomed = false;
    if (db->readonly) {
        db->depth = 0;
        return lb_fail(err, LB_EDB, "%s is read-only; ask for write access to it and its folder",
                       db->path);
    }
    /* SQLite's busy handler waits for the lock; what time is left after a
     * busy answer is retried with a growing pause, all within one deadline. */
    int64_t deadline = now_ms() + busy_timeout_ms();
    for (int attempt = 0;; attempt++) {
        int64_t left = deadline - now_ms();
        sqlite3_busy_timeout(db->h, left > 0 ? (int)left : 0);
        int rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_busy_timeout(db->h, busy_timeout_ms());
            return LB_OK;
        }
        if ((rc & 0xff) != SQLITE_BUSY || now_ms() >= deadline) {
            db->depth = 0;
            lb_status st = db_fail(db, err, "starting a write");
            sqlite3_busy_timeout(db->h, busy_timeout_ms());
            return st;
        }
        backoff(attempt);
    }
}

lb_status db_commit(lb_db *db, lb_err *err)
{
    if (db->depth == 0)
        return LB_OK;
    if (--db->depth > 0)
        return LB_OK;
    if (db->doomed) {
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return lb_fail(err, LB_EDB, "the change was rolled back");
    }
    int64_t deadline = now_ms() + busy_timeout_ms();
    for (int attempt = 0;; attempt++) {
        int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return LB_OK;
        if ((rc & 0xff) != SQLITE_BUSY || now_ms() >= deadline) {
            lb_status st = db_fail(db, err, "saving the change");
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
        backoff(attempt);
    }
}

void db_rollback(lb_db *db)
{
    if (db->depth == 0)
        return;
    if (--db->depth > 0) {
        db->doomed = true;
        return;
    }
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

lb_status db_backup(lb_db *db, const char *dest, lb_err *err)
{
    struct stat sb;
    if (stat(dest, &sb) == 0)
        return lb_fail(err, LB_EINVAL, "%s already exists; give a new file name for the backup",
                       dest);
    lb_status st = create_file(dest, err);
    if (st != LB_OK)
        return st;

    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(to, busy_timeout_ms());
        sqlite3_backup *b = sqlite3_backup_init(to, "main", db->h, "main");
        if (!b) {
            rc = sqlite3_errcode(to);
        } else {
            for (int attempt = 0;; attempt++) {
                rc = sqlite3_backup_step(b, -1);
                if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 50) {
                    backoff(attempt % 10);
                    continue;
                }
                break;
            }
            sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = SQLITE_OK;
        }
    }
    if (rc != SQLITE_OK) {
        const char *msg = to ? sqlite3_errmsg(to) : "cannot open";
        lb_fail(err, LB_EDB, "backup to %s failed: %s", dest, msg);
        sqlite3_close(to);
        unlink(dest);
        return LB_EDB;
    }
    sqlite3_close(to);
    return LB_OK;
}

void db_interrupt(lb_db *db)
{
    sqlite3_interrupt(db->h);
}

int64_t db_data_version(lb_db *db)
{
    int v = 0;
    pragma_int(db, "PRAGMA data_version", &v);
    return v;
}

const char *db_engine_version(void)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "SQLite %s", sqlite3_libversion());
    return buf;
}

lb_status db_bulk_begin(lb_db *db, char **saved, lb_err *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_str *make = sqlite3_str_new(db->h), *drop = sqlite3_str_new(db->h);
    lb_status s = LB_OK;
    *saved = NULL;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                           "((tbl_name = 'leads' AND name LIKE 'stage\\_counts\\_%' ESCAPE '\\') "
                           "OR (tbl_name = 'ratings' AND "
                           "name LIKE 'feedback\\_counts\\_%' ESCAPE '\\'))",
                           -1, &st, NULL) != SQLITE_OK)
        s = db_fail(db, err, "preparing a bulk write");
    while (s == LB_OK && sqlite3_step(st) == SQLITE_ROW) {
        /* names and definitions from the schema itself, not user text */
        sqlite3_str_appendf(make, "%s;", (const char *)sqlite3_column_text(st, 1));
        sqlite3_str_appendf(drop, "DROP TRIGGER \"%w\";", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    char *drops = sqlite3_str_finish(drop);
    *saved = sqlite3_str_finish(make);
    if (s == LB_OK && drops)
        s = exec(db, drops, err, "preparing a bulk write");
    sqlite3_free(drops);
    return s;
}

lb_status db_bulk_end(lb_db *db, char *saved, lb_err *err)
{
    lb_status s = LB_OK;
    if (saved && *saved) {
        s = exec(db,
                 "DELETE FROM stage_counts; INSERT INTO stage_counts(stage, n) "
                 "SELECT stage, count(*) FROM leads GROUP BY stage; "
                 "UPDATE feedback_counts SET unreviewed = "
                 "(SELECT count(*) FROM ratings WHERE reviewed_at IS NULL AND undone_at IS NULL)",
                 err, "counting the leads");
        if (s == LB_OK)
            s = exec(db, saved, err, "finishing a bulk write");
    }
    sqlite3_free(saved);
    return s;
}
