#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_internal.h"

/* The SQLite driver: a board is one file, several processes share it
 * through WAL, writers are serialized by BEGIN IMMEDIATE. */

static lb_status sq_migrate(lb_db *db, int upto, lb_err *err);

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

static lb_status sq_fail(lb_db *db, lb_err *err, const char *what);
static lb_status exec(lb_db *db, const char *sql, lb_err *err, const char *what);
static bool fsize_limited(void)
{
    struct rlimit rl;
    return getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
}

/* PATH-wal or PATH-shm, when it exists and this process cannot write it
 * (another user's, left by them): its name in buf and its owner in who. */
static bool blocking_side_file(const char *path, char *buf, size_t n, char *who, size_t wn)
{
    static const char *const suffixes[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        struct stat sb;
        snprintf(buf, n, "%s%s", path, suffixes[i]);
        if (stat(buf, &sb) == 0 && access(buf, W_OK) != 0) {
            struct passwd *pw = getpwuid(sb.st_uid);
            if (pw)
                snprintf(who, wn, "%s", pw->pw_name);
            else
                snprintf(who, wn, "uid %u", (unsigned)sb.st_uid);
            return true;
        }
    }
    return false;
}

static lb_status sq_fail(lb_db *db, lb_err *err, const char *what)
{
    char side[PATH_MAX + 8], who[64];
    if ((sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_READONLY && db->path[0] &&
        blocking_side_file(db->path, side, sizeof side, who, sizeof who))
        return lb_fail(err, LB_EDB,
                       "%s belongs to %s and you cannot write it, so %s is not possible; when "
                       "nobody has the board open, %s or an admin can remove it",
                       side, who, what, who);
    int code = sqlite3_extended_errcode(db->h) & 0xff;
    int oserr = sqlite3_system_errno(db->h);
    const char *msg = sqlite3_errmsg(db->h);
    /* SQLite calls a short write "full" and a refused one an I/O error; the
     * OS error says which limit it was. */
    if (code == SQLITE_FULL || code == SQLITE_IOERR) {
        if (oserr == EFBIG || (code == SQLITE_FULL && oserr == 0 && fsize_limited()))
            return lb_fail(err, LB_EDB,
                           "the file size limit was reached while %s (ulimit -f); nothing was "
                           "saved",
                           what);
        if (oserr == ENOSPC || oserr == EDQUOT || code == SQLITE_FULL)
            return lb_fail(err, LB_EDB, "the disk is full while %s; free some space", what);
    }
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return lb_fail(err, LB_EDB,
                       "the database is busy (another process held it for over %.1f s) while "
                       "%s; try again",
                       db_busy_timeout_ms() / 1000.0, what);
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
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_PERM:
        return lb_fail(err, LB_EDB, "cannot read or write %s (%s)", db->path, msg);
    default:
        return lb_fail(err, LB_EDB, "database error while %s: %s", what, msg);
    }
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

lb_status db_make_parents(const char *path, lb_err *err)
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
    lb_status st = db_make_parents(path, err);
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
        return sq_fail(db, err, "reading the schema version");
    snprintf(pragma, sizeof pragma, "PRAGMA schema_version = %d", cookie + 1);
    lb_status st = exec(db, pragma, err, "recording the schema version");
    if (st == LB_OK && pragma_int(db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK)
        st = sq_fail(db, err, "reading the new schema");
    return st;
}

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

/* A leadboard board's mark in the SQLite header: PRAGMA application_id. */
#define DB_APPLICATION_ID 0x4C425244 /* "LBRD" */

/* Whether PATH-suffix exists (non-empty, when `nonempty`). */
static bool side_file(const char *path, const char *suffix, bool nonempty)
{
    char name[PATH_MAX + 16];
    struct stat sb;
    snprintf(name, sizeof name, "%s%s", path, suffix);
    return stat(name, &sb) == 0 && (!nonempty || sb.st_size > 0);
}

/* The automatic checkpoint runs right after a commit, in the COMMIT's own
 * call, and SQLite hands its error back as the commit's (a file-size limit,
 * a full disk): a change that was saved would be reported as failed, and a
 * retry would make it twice.  Here it stays best effort and says nothing;
 * the WAL keeps what it could not copy. */
static int checkpoint_quietly(void *ud, sqlite3 *h, const char *name, int pages)
{
    (void)ud;
    if (pages >= 1000)
        sqlite3_wal_checkpoint_v2(h, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

/* "file:PATH?PARAMS" with PATH percent-encoded. */
static void file_uri(const char *path, const char *params, char *buf, size_t n)
{
    size_t k = (size_t)snprintf(buf, n, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && k + 4 < n; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            buf[k++] = (char)*p;
        else
            k += (size_t)snprintf(buf + k, n - k, "%%%02X", *p);
    }
    snprintf(buf + k, n - k, "?%s", params);
}

/* Whether the file's own header (read as bytes, not through SQLite) bears
 * our application id.  Opening a file with a hot journal beside it makes
 * SQLite roll that journal back at the first read: for one of our boards
 * that is the recovery it needs, for anyone else's file it is a change we
 * must not make. */
static bool header_is_ours(const char *path)
{
    unsigned char h[100];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n != (ssize_t)sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return false;
    unsigned long appid =
        (unsigned long)h[68] << 24 | (unsigned long)h[69] << 16 | (unsigned long)h[70] << 8 | h[71];
    return appid == DB_APPLICATION_ID;
}

/* What the file holds, read before anything is changed. */
struct db_look {
    int version, tables, appid, known;
};

static int look(lb_db *db, struct db_look *l)
{
    int rc = pragma_int(db, "PRAGMA user_version", &l->version);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "SELECT count(*) FROM sqlite_master", &l->tables);
    if (rc == SQLITE_OK)
        rc = pragma_int(db, "PRAGMA application_id", &l->appid);
    if (rc == SQLITE_OK)
        rc = pragma_int(db,
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                        "('users', 'campaigns', 'leads', 'events')",
                        &l->known);
    return rc;
}

/* What is at path before SQLite opens it: a missing file is made only
 * for a write; a folder, device or unreadable file refused.  *flags is
 * read-only for a file this user cannot write; *fresh when the file holds
 * nothing yet (ours to initialize). */
static lb_status sq_check_path(const char *path, bool write, int *flags, bool *fresh,
                               lb_err *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno != ENOENT)
            return lb_fail(err, LB_EDB, "cannot open %s: %s", path, strerror(errno));
        if (!write) /* only a write (or init) creates a database */
            return lb_fail(err, LB_ENOTFOUND,
                           "there is no database at %s; check --db, or create it with "
                           "'leadboard init'",
                           path);
        lb_status st = create_file(path, err);
        *fresh = st == LB_OK;
        return st;
    }
    if (S_ISDIR(sb.st_mode))
        return lb_fail(err, LB_EDB, "%s is a folder; give a database file with --db", path);
    if (!S_ISREG(sb.st_mode))
        return lb_fail(err, LB_EDB,
                       "%s is not a regular file (a device, pipe or socket); give a database "
                       "file with --db",
                       path);
    if (access(path, R_OK) != 0)
        return lb_fail(err, LB_EDB, "cannot read %s: %s", path, strerror(errno));
    if (!writable(path, &sb))
        *flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    /* An empty file with no journal beside it: a board not yet made (a
     * journal would be an interrupted write of something else). */
    *fresh = sb.st_size == 0 && !side_file(path, "-journal", false) &&
             !side_file(path, "-wal", true);
    if (!*fresh && side_file(path, "-journal", true) && !header_is_ours(path))
        return lb_fail(err, LB_EDB,
                       "%s is not a leadboard board, and an unfinished write of it is beside it "
                       "(%s-journal); refusing to touch either (check --db; the program that made "
                       "it recovers it)",
                       path, path);
    return LB_OK;
}

/* Opens db->h on path with flags.  A reader opens the file so that it
 * leaves nothing for writers: SQLite would make -wal and -shm files owned
 * by the reader, which writers cannot write.  With both there (a writer
 * has the board open) a read-only connection uses them; with no WAL the
 * file holds every change and is read as it is. */
static lb_status sq_connect(lb_db *db, const char *path, bool memory, int flags, lb_err *err)
{
    char uri[3 * PATH_MAX + 64];
    const char *name = path;
    if (db->readonly && !memory) {
        bool wal = side_file(path, "-wal", false), shm = side_file(path, "-shm", false);
        const char *mode = wal && shm                             ? "mode=ro"
                           : wal && side_file(path, "-wal", true) ? NULL
                                                                  : "immutable=1";
        if (!mode)
            return lb_fail(err, LB_EDB,
                           "%s-wal holds changes not yet in %s, and only someone who can "
                           "write it can apply them: ask them to run 'leadboard list' once",
                           path, path);
        file_uri(path, mode, uri, sizeof uri);
        name = uri;
        flags |= SQLITE_OPEN_URI;
    }
    sqlite3 *h = NULL;
    int orc = sqlite3_open_v2(name, &h, flags, NULL);
    db->h = h;
    if (orc != SQLITE_OK)
        return sq_fail(db, err, "opening");
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, db_busy_timeout_ms());
    sqlite3_wal_hook(db->h, checkpoint_quietly, NULL);
    return LB_OK;
}

/* Looks before touching anything: a file that is not SQLite, another
 * program's database, a newer board, or (for a read) one with no board
 * yet are refused.  A board is marked with our application id; one made
 * before the mark is known by its version and its tables. */
static lb_status sq_recognize(lb_db *db, const char *path, bool fresh, bool write,
                              struct db_look *l, lb_err *err)
{
    if (look(db, l) != SQLITE_OK) {
        int code = sqlite3_errcode(db->h);
        return (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
                   ? lb_fail(err, LB_EDB,
                             "%s is not a leadboard database (not SQLite, or damaged); "
                             "check --db, or restore it from a backup",
                             path)
                   : sq_fail(db, err, "opening");
    }
    bool ours = l->appid == DB_APPLICATION_ID ||
                (l->appid == 0 && l->version >= 1 && l->known == 4) ||
                (l->appid == 0 && l->version == 0 && l->tables == 0 && fresh);
    if (!ours && l->appid != 0 && l->appid != DB_APPLICATION_ID)
        return lb_fail(err, LB_EDB,
                       "%s is another program's SQLite database (application id 0x%08X), not a "
                       "leadboard board; refusing to change it (check --db)",
                       path, (unsigned)l->appid);
    if (!ours && l->version == 0 && l->tables == 0)
        return lb_fail(err, LB_EDB,
                       "%s is not empty but holds no leadboard board (an interrupted copy?); "
                       "refusing to change it: check --db, or remove the file",
                       path);
    if (!ours)
        return lb_fail(err, LB_EDB,
                       "%s is an SQLite database but not a leadboard one; refusing to change "
                       "it (check --db)",
                       path);
    if (l->version > db_latest_version())
        return lb_fail(err, LB_EDB,
                       "%s was written by a newer leadboard (schema %d; this one knows up to "
                       "%d); upgrade leadboard to use it",
                       path, l->version, db_latest_version());
    if (!write && l->version == 0)
        return lb_fail(err, LB_ENOTFOUND, "%s holds no board yet; create it with 'leadboard init'",
                       path);
    return LB_OK;
}

/* The connection's settings, the schema brought up to upto, and the
 * board marked as ours at its first write. */
static lb_status sq_ready(lb_db *db, const char *path, const struct db_look *l, int upto,
                          bool write, bool memory, lb_err *err)
{
    lb_status st = exec(db, "PRAGMA foreign_keys = ON", err, "opening");
    if (st == LB_OK && write && !memory && !db->readonly) {
        st = exec(db, "PRAGMA journal_mode = WAL", err, "opening");
        if (st == LB_OK)
            st = exec(db, "PRAGMA synchronous = NORMAL", err, "opening");
    }
    if (st == LB_OK && l->version < upto) {
        if (db->readonly)
            st = lb_fail(err, LB_EDB, "%s is read-only and needs an upgrade; ask for write access",
                         path);
        else
            st = sq_migrate(db, upto, err);
    }
    if (st == LB_OK && write && !db->readonly && l->appid != DB_APPLICATION_ID &&
        (st = db_begin(db, err)) == LB_OK) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", DB_APPLICATION_ID);
        st = exec(db, pragma, err, "marking the board");
        if (st == LB_OK)
            st = db_commit(db, err);
        else
            db_rollback(db);
    }
    return st;
}

static lb_status sq_open(const char *path, int upto, bool write, lb_db **out, lb_err *err)
{
    bool memory = strcmp(path, ":memory:") == 0;
    bool fresh = memory; /* nothing in it yet: ours to initialize */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    *out = NULL;
    lb_status st = memory ? LB_OK : sq_check_path(path, write, &flags, &fresh, err);
    if (st != LB_OK)
        return st;
    configure_sqlite();
    lb_db *db = db_new(&db_sqlite_driver, path);
    if (!db)
        return lb_fail(err, LB_EDB, "out of memory");
    db->readonly = (flags & SQLITE_OPEN_READONLY) != 0;
    struct db_look l = {0, 0, 0, 0};
    if ((st = sq_connect(db, path, memory, flags, err)) == LB_OK &&
        (st = sq_recognize(db, path, fresh, write, &l, err)) == LB_OK)
        /* a read that finds an older schema brings it up to date like a write */
        st = sq_ready(db, path, &l, upto, write || l.version < upto, memory, err);
    if (st != LB_OK) {
        db_close(db);
        return st;
    }
    *out = db;
    return LB_OK;
}

/* Copies db into the file tmp (already created, empty). */
static int backup_into(lb_db *db, const char *tmp, char *msg, size_t n)
{
    sqlite3 *to = NULL;
    int rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(to, db_busy_timeout_ms());
        /* The copy is private until it is linked: no journal of its own. */
        sqlite3_exec(to, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL);
        sqlite3_backup *b = sqlite3_backup_init(to, "main", db->h, "main");
        if (!b) {
            rc = sqlite3_errcode(to);
        } else {
            for (int attempt = 0;; attempt++) {
                rc = sqlite3_backup_step(b, -1);
                if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && attempt < 50) {
                    db_backoff(attempt % 10);
                    continue;
                }
                break;
            }
            sqlite3_backup_finish(b);
            if (rc == SQLITE_DONE)
                rc = sqlite3_errcode(to);
        }
    }
    if (rc != SQLITE_OK) {
        int oserr = to ? sqlite3_system_errno(to) : 0;
        if (oserr == EFBIG)
            snprintf(msg, n, "the file size limit was reached (ulimit -f)");
        else if (oserr == ENOSPC || (rc & 0xff) == SQLITE_FULL)
            snprintf(msg, n, "the disk is full");
        else
            snprintf(msg, n, "%s", to ? sqlite3_errmsg(to) : "cannot open it");
        sqlite3_close(to);
        return -1;
    }
    if (sqlite3_close(to) != SQLITE_OK) {
        snprintf(msg, n, "cannot close the copy");
        return -1;
    }
    return 0;
}

/* Written under a temporary name in dest's folder, synced, then linked to
 * dest (which must not exist): dest is whole or absent, whatever stops the
 * program (db_pending_*). */
static lb_status sq_backup(lb_db *db, const char *dest, lb_err *err)
{
    db_pending p;
    const char *tmp;
    char msg[256] = "";
    lb_status st = db_pending_begin(&p, dest, false, &tmp, err);
    if (st != LB_OK)
        return st;
    if (backup_into(db, tmp, msg, sizeof msg) != 0)
        st = lb_fail(err, LB_EDB, "backup to %s failed: %s; nothing was written", dest, msg);
    return db_pending_end(&p, dest, st, err);
}

static lb_status exec(lb_db *db, const char *sql, lb_err *err, const char *what)
{
    if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(db, err, what);
    return LB_OK;
}

static void sq_close(lb_db *db)
{
    sqlite3_close(db->h);
    db->h = NULL;
}

static int sq_schema_version(lb_db *db)
{
    int v = -1;
    pragma_int(db, "PRAGMA user_version", &v);
    return v;
}

static lb_status sq_apply(lb_db *db, const struct db_migration *m, lb_err *err)
{
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
    lb_status st = exec(db, m->sql, err, "creating the schema");
    if (st == LB_OK)
        st = next_schema_cookie(db, err);
    if (st == LB_OK)
        st = exec(db, pragma, err, "recording the schema version");
    return st;
}

static lb_status sq_migrate(lb_db *db, int upto, lb_err *err)
{
    /* A build of SQLite that starts in defensive mode would refuse the
     * schema edits some migrations make; they are ours, not user SQL. */
    sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)0);
    return db_migrate(db, upto, err);
}

static lb_status sq_has_trigger(lb_db *db, const char *name, bool *yes, lb_err *err)
{
    lb_stmt *st =
        db_stmt(db, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_str(st, 1, name, -1, DB_STATIC);
    return db_int64(db, st, yes, NULL, err, "checking the schema");
}

static lb_status sq_begin(lb_db *db, lb_err *err)
{
    /* SQLite's busy handler waits for the lock; what time is left after a
     * busy answer is retried with a growing pause, all within one deadline. */
    int64_t deadline = db_now_ms() + db_busy_timeout_ms();
    for (int attempt = 0;; attempt++) {
        int64_t left = deadline - db_now_ms();
        sqlite3_busy_timeout(db->h, left > 0 ? (int)left : 0);
        int rc = sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_busy_timeout(db->h, db_busy_timeout_ms());
            return LB_OK;
        }
        if ((rc & 0xff) != SQLITE_BUSY || db_now_ms() >= deadline) {
            lb_status st = sq_fail(db, err, "starting a write");
            sqlite3_busy_timeout(db->h, db_busy_timeout_ms());
            return st;
        }
        db_backoff(attempt);
    }
}

static lb_status sq_commit(lb_db *db, lb_err *err)
{
    int64_t deadline = db_now_ms() + db_busy_timeout_ms();
    for (int attempt = 0;; attempt++) {
        int rc = sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
        if (rc == SQLITE_OK)
            return LB_OK;
        if ((rc & 0xff) != SQLITE_BUSY || db_now_ms() >= deadline) {
            lb_status st = sq_fail(db, err, "saving the change");
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            return st;
        }
        db_backoff(attempt);
    }
}

static void sq_rollback(lb_db *db)
{
    sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static void sq_interrupt(lb_db *db)
{
    sqlite3_interrupt(db->h);
}

static int64_t sq_data_version(lb_db *db)
{
    int v = 0;
    pragma_int(db, "PRAGMA data_version", &v);
    return v;
}

static const char *sq_version(void)
{
    static char buf[32];
    snprintf(buf, sizeof buf, "SQLite %s", sqlite3_libversion());
    return buf;
}

/* Drops the triggers the statement sql names (name, definition; ?1 bound
 * to all when it has one), *saved the SQL that makes them again. */
static lb_status triggers_take(lb_db *db, const char *sql, int all, char **saved, lb_err *err,
                               const char *what)
{
    sqlite3_stmt *st = NULL;
    db_str *make = db_str_new(), *drop = db_str_new();
    lb_status s = LB_OK;
    *saved = NULL;
    if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
        s = sq_fail(db, err, what);
    else if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int(st, 1, all);
    while (s == LB_OK && sqlite3_step(st) == SQLITE_ROW) {
        /* names and definitions from the schema itself, not user text */
        db_str_appendf(make, "%s;", (const char *)sqlite3_column_text(st, 1));
        db_str_appendf(drop, "DROP TRIGGER \"%s\";", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    char *drops = db_str_finish(drop);
    *saved = db_str_finish(make);
    if (s == LB_OK && (!drops || !*saved))
        s = lb_fail(err, LB_EDB, "out of memory");
    if (s == LB_OK)
        s = exec(db, drops, err, what);
    free(drops);
    return s;
}

static lb_status sq_bulk_begin(lb_db *db, char **saved, lb_err *err)
{
    return triggers_take(db,
                         "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                         "((tbl_name = 'leads' AND name LIKE 'stage\\_counts\\_%' ESCAPE '\\') "
                         "OR (tbl_name = 'ratings' AND "
                         "name LIKE 'feedback\\_counts\\_%' ESCAPE '\\') "
                         "OR (?1 AND (name LIKE 'lead\\_sums\\_%' ESCAPE '\\' "
                         "OR name LIKE 'handoffs\\_%' ESCAPE '\\' "
                         "OR name LIKE 'handoff\\_sums\\_%' ESCAPE '\\' "
                         "OR name LIKE 'touch\\_minutes\\_%' ESCAPE '\\' "
                         "OR name LIKE 'leads\\_flag\\_%' ESCAPE '\\' "
                         "OR name LIKE 'lead\\_flag\\_sums\\_%' ESCAPE '\\')) "
                         "OR name = 'lead_sums_insert' OR name = 'leads_flag_insert' "
                         "OR name = 'handoffs_handoff' OR name = 'handoffs_accept')",
                         db->bulk_all, saved, err, "preparing a bulk write");
}

static lb_status sq_bulk_end(lb_db *db, char *saved, lb_err *err)
{
    lb_status s = LB_OK;
    if (saved && *saved) {
        s = exec(db, db->bulk_all ? db_recount_all_sql : db_recount_sql, err, "counting the leads");
        if (s == LB_OK)
            s = exec(db, saved, err, "finishing a bulk write");
    }
    free(saved);
    return s;
}

static lb_status sq_snapshot_begin(lb_db *db, lb_err *err)
{
    return exec(db, "BEGIN", err, "reading the board");
}

static void sq_snapshot_end(lb_db *db)
{
    sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

/* Every trigger dropped, *saved the SQL that makes them again. */
static lb_status sq_triggers_off(lb_db *db, char **saved, lb_err *err)
{
    return triggers_take(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'", 0, saved,
                         err, "preparing the copy");
}

static lb_status sq_triggers_on(lb_db *db, char *saved, lb_err *err)
{
    lb_status s = saved ? exec(db, saved, err, "finishing the copy") : LB_OK;
    free(saved);
    return s;
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
    .open = sq_open,
    .close = sq_close,
    .fail = sq_fail,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .migrations = db_migrations,
    .migration_count = &db_migration_count,
    .schema_version = sq_schema_version,
    .apply = sq_apply,
    .has_trigger = sq_has_trigger,
    .guard_end = "\nEND;",
    .guards = db_guard_names,
    .bulk_begin = sq_bulk_begin,
    .bulk_end = sq_bulk_end,
    .backup = sq_backup,
    .data_version = sq_data_version,
    .interrupt = sq_interrupt,
    .snapshot_begin = sq_snapshot_begin,
    .snapshot_end = sq_snapshot_end,
    .triggers_off = sq_triggers_off,
    .triggers_on = sq_triggers_on,
    .version = sq_version,
};
