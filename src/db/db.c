#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_internal.h"
#include "leadboard/text.h"

/* What every engine shares: choosing the driver for a path or URL, the
 * statement cache, the one-row helpers, nested transactions, the
 * migration runner and the guards.  The engines are db_sqlite.c and
 * db_pg.c. */

/* The counts the triggers keep, rebuilt from the rows (after a bulk load,
 * and by init when a count's trigger had gone missing). */
#define COUNTS_RECOUNT_SQL                                                                         \
    "DELETE FROM stage_counts; INSERT INTO stage_counts(stage, n) "                                \
    "SELECT stage, count(*) FROM leads GROUP BY stage; "                                           \
    "UPDATE feedback_counts SET unreviewed = "                                                     \
    "(SELECT count(*) FROM ratings WHERE reviewed_at IS NULL AND undone_at IS NULL)"

/* The assets' counts the asset_counts_* triggers keep, rebuilt from the
 * uses of follow-ups that stand (by init, when one of those triggers had
 * gone missing and writes went on without it). */
#define RECOUNT_ASSETS_SQL                                                                         \
    "DELETE FROM asset_leads; INSERT INTO asset_leads(asset_id, lead_id, uses, last_at) "          \
    "SELECT u.asset_id, u.lead_id, count(*), max(u.at) FROM asset_uses u "                        \
    "JOIN followups f ON f.id = u.followup_id WHERE f.undone_at IS NULL "                         \
    "GROUP BY u.asset_id, u.lead_id; "                                                             \
    "UPDATE assets SET (used, leads, won, lost, last_used) = (SELECT "                             \
    "coalesce(sum(al.uses), 0), count(*), "                                                        \
    "coalesce(sum(CASE WHEN l.stage = 'won' THEN 1 ELSE 0 END), 0), "                              \
    "coalesce(sum(CASE WHEN l.stage = 'lost' THEN 1 ELSE 0 END), 0), max(al.last_at) "             \
    "FROM asset_leads al "                                                                         \
    "JOIN leads l ON l.id = al.lead_id WHERE al.asset_id = assets.id)"

/* The reports' running totals (schema 11), rebuilt from their views, the
 * one definition of each; hand-offs first, their sums are made of them. */
#define TOTALS_RECOUNT_SQL                                                                         \
    "DELETE FROM lead_sums; INSERT INTO lead_sums SELECT * FROM lead_sums_recount; "               \
    "DELETE FROM handoffs; INSERT INTO handoffs SELECT * FROM handoffs_recount; "                  \
    "DELETE FROM handoff_sums; INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount; "      \
    "DELETE FROM touch_minutes; INSERT INTO touch_minutes SELECT * FROM touch_minutes_recount; "   \
    "UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id) "     \
    "WHERE flag_at IS NOT NULL OR (stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost'); "   \
    "DELETE FROM lead_flag_sums; INSERT INTO lead_flag_sums SELECT * FROM lead_flag_sums_recount"

/* What a bulk write recounts: the counts; with db_bulk_begin_all, the
 * totals too.  Everything the triggers keep, for restored guards. */
const char db_recount_sql[] = COUNTS_RECOUNT_SQL;
const char db_recount_all_sql[] = COUNTS_RECOUNT_SQL "; " TOTALS_RECOUNT_SQL;

/* How long a write waits for another process's transaction, in all:
 * $LEADBOARD_BUSY_TIMEOUT milliseconds, 10 s by default. */
int db_busy_timeout_ms(void)
{
    const char *env = getenv("LEADBOARD_BUSY_TIMEOUT");
    long v = env && *env ? strtol(env, NULL, 10) : 0;
    return v >= 1 && v <= 600000 ? (int)v : 10000;
}

int64_t db_now_ms(void)
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
    return LB_OK;
}

/* The engine of a --db: a libpq URI is PostgreSQL's (issue 16), anything
 * else a SQLite file.  A third engine adds its driver and its prefix here. */
static const struct db_driver *driver_for(const char *target)
{
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
        return &db_pg_driver;
    return &db_sqlite_driver;
}

bool db_is_url(const char *target)
{
    return driver_for(target) != &db_sqlite_driver;
}

lb_db *db_new(const struct db_driver *drv, const char *path)
{
    lb_db *db = calloc(1, sizeof *db);
    if (db) {
        db->drv = drv;
        snprintf(db->path, sizeof db->path, "%s", path);
    }
    return db;
}

lb_status db_fail(lb_db *db, lb_err *err, const char *what)
{
    return db->drv->fail(db, err, what);
}

void bind_text(lb_stmt *st, int i, const char *s)
{
    if (s)
        db_bind_str(st, i, s, -1, DB_TRANSIENT);
    else
        db_bind_null(st, i);
}

void bind_opt(lb_stmt *st, int i, const char *s)
{
    bind_text(st, i, s && *s ? s : NULL);
}

void bind_id(lb_stmt *st, int i, int64_t id)
{
    if (id)
        db_bind_int64(st, i, id);
    else
        db_bind_null(st, i);
}

void col_copy(lb_stmt *st, int i, char *buf, size_t n)
{
    const char *t = db_col_text(st, i);
    if (n == 0)
        return;
    if (!t) {
        buf[0] = '\0';
        return;
    }
    size_t len = (size_t)db_col_bytes(st, i);
    if (len >= n)
        len = n - 1;
    memcpy(buf, t, len);
    buf[len] = '\0';
}

/* Whether a file-size limit (ulimit -f) is in force for this process. */
lb_stmt *db_stmt(lb_db *db, const char *sql, lb_err *err)
{
    for (int i = 0; i < db->ncache; i++) {
        if (db->cache[i].sql == sql) {
            lb_stmt *st = db->cache[i].st;
            db_reset(st);
            st->drv->clear_bindings(st);
            return st;
        }
    }
    lb_stmt *st = NULL;
    if (db_prepare(db, sql, &st) != DB_OK) {
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
        if (db->cache[i].st->drv->busy(db->cache[i].st))
            continue;
        db_finalize(db->cache[i].st);
        memmove(&db->cache[i], &db->cache[i + 1],
                sizeof db->cache[0] * (size_t)(DB_STMT_CACHE - 1 - i));
        db->cache[DB_STMT_CACHE - 1].sql = sql;
        db->cache[DB_STMT_CACHE - 1].st = st;
        return st;
    }
    db_finalize(st); /* every cached one is in use: nothing can go */
    lb_fail(err, LB_EDB, "too many queries open at once");
    return NULL;
}

lb_status db_step_done(lb_db *db, lb_stmt *st, lb_err *err, const char *what)
{
    int rc = db_step(st);
    lb_status s = LB_OK;
    if (rc != DB_DONE && rc != DB_ROW)
        s = db_fail(db, err, what);
    db_reset(st);
    return s;
}

lb_status db_one(lb_db *db, lb_stmt *st, db_row_fn read, void *out, lb_err *err, const char *what)
{
    int rc = db_step(st);
    lb_status s = LB_OK;
    if (rc == DB_ROW)
        read(st, out);
    else if (rc == DB_DONE)
        s = LB_ENOTFOUND;
    else
        s = db_fail(db, err, what);
    db_reset(st);
    return s;
}

lb_status db_int64(lb_db *db, lb_stmt *st, bool *yes, int64_t *value, lb_err *err, const char *what)
{
    int rc = db_step(st);
    *yes = rc == DB_ROW;
    if (*yes && value)
        *value = db_col_int64(st, 0);
    return db_loop_end(db, st, rc, err, what);
}

lb_status db_int64s(lb_db *db, lb_stmt *st, int64_t *v, int n, lb_err *err, const char *what)
{
    int rc = db_step(st);
    for (int i = 0; rc == DB_ROW && i < n; i++)
        v[i] = db_col_int64(st, i);
    lb_status s = rc == DB_ROW ? LB_OK : db_fail(db, err, what);
    db_reset(st);
    return s;
}

lb_status db_loop_end(lb_db *db, lb_stmt *st, int rc, lb_err *err, const char *what)
{
    lb_status s = (rc == DB_ROW || rc == DB_DONE) ? LB_OK : db_fail(db, err, what);
    db_reset(st);
    return s;
}

struct db_str {
    char *buf;
    size_t len, cap;
    bool oom;
};

db_str *db_str_new(void)
{
    return calloc(1, sizeof(db_str));
}

void db_str_appendf(db_str *s, const char *fmt, ...)
{
    if (!s || s->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(s->buf ? s->buf + s->len : NULL, s->buf ? s->cap - s->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            s->oom = true;
            return;
        }
        if (s->buf && s->len + (size_t)k < s->cap) {
            s->len += (size_t)k;
            return;
        }
        size_t cap = (s->cap ? s->cap * 2 : 256) + (size_t)k;
        char *b = realloc(s->buf, cap);
        if (!b) {
            s->oom = true;
            return;
        }
        s->buf = b;
        s->cap = cap;
    }
}

char *db_str_finish(db_str *s)
{
    if (!s)
        return NULL;
    char *out = s->oom ? NULL : s->buf;
    if (s->oom)
        free(s->buf);
    else if (!out)
        out = calloc(1, 1);
    free(s);
    return out;
}

static lb_status exec(lb_db *db, const char *sql, lb_err *err, const char *what)
{
    if (db_exec_rc(db, sql) != DB_OK)
        return db_fail(db, err, what);
    return LB_OK;
}

lb_status db_exec_raw(lb_db *db, const char *sql, lb_err *err)
{
    return exec(db, sql, err, "running a statement");
}

int db_schema_version(lb_db *db)
{
    return db->drv->schema_version(db);
}

int db_latest_version(void)
{
    return db_migrations[db_migration_count - 1].version;
}

/* Each migration up to `upto` not yet applied, one transaction each: a
 * process that waited for another's migration finds it done. */
lb_status db_migrate(lb_db *db, int upto, lb_err *err)
{
    const struct db_migration *ms = db->drv->migrations;
    for (int i = 0; i < *db->drv->migration_count; i++) {
        const struct db_migration *m = &ms[i];
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
        if ((st = db->drv->apply(db, m, err)) != LB_OK) {
            char why[LB_ERR_MAX];
            snprintf(why, sizeof why, "%s", err->msg); /* err->msg is rewritten below */
            db_rollback(db);
            return lb_fail(err, LB_EDB, "migration %s failed: %s", m->name, why);
        }
        if ((st = db_commit(db, err)) != LB_OK)
            return st;
    }
    return LB_OK;
}

lb_status db_open(const char *path, lb_db **out, lb_err *err)
{
    *out = NULL;
    return driver_for(path)->open(path, db_latest_version(), true, out, err);
}

lb_status db_open_read(const char *path, lb_db **out, lb_err *err)
{
    *out = NULL;
    return driver_for(path)->open(path, db_latest_version(), false, out, err);
}

lb_status db_open_at_version(const char *path, int version, lb_db **out, lb_err *err)
{
    *out = NULL;
    return driver_for(path)->open(path, version, true, out, err);
}

void db_close(lb_db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->ncache; i++)
        db_finalize(db->cache[i].st);
    db->ncache = 0;
    db->drv->close(db);
    free(db);
}

const char *db_path(const lb_db *db)
{
    return db->path;
}

bool db_read_only(const lb_db *db)
{
    return db->readonly;
}

/* Inside a write that just began: a schema at the newest version with a
 * guard missing (dropped outside leadboard) takes no writes until init
 * restores it. */
static lb_status missing_guard(lb_db *db, char *name, size_t n, lb_err *err);

static lb_status check_guards(lb_db *db, lb_err *err)
{
    char name[64];
    if (db->restoring || db_schema_version(db) < db_latest_version())
        return LB_OK;
    lb_status st = missing_guard(db, name, sizeof name, err);
    if (st == LB_OK && name[0])
        st = lb_fail(err, LB_EDB,
                     "%s lacks its guard %s (changed outside leadboard?), so nothing can be "
                     "written; run 'leadboard init' to restore it",
                     db->path, name);
    if (st != LB_OK) {
        db->depth = 0;
        db->drv->rollback(db);
    }
    return st;
}

/* Waits a little, longer each time (backoff for a busy database). */
void db_backoff(int attempt)
{
    long ms = 5L << (attempt < 6 ? attempt : 6); /* 5 ms, doubling, at most 320 ms */
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* The triggers that guard the data: the audit log is append-only and the
 * derived counts stay exact.  Their definitions are the migrations' own. */
const char *const db_guard_names[] = {
    "events_no_update",       "events_no_delete",       "stage_counts_insert",
    "stage_counts_delete",    "stage_counts_update",    "feedback_counts_insert",
    "feedback_counts_delete", "feedback_counts_update", "lead_sums_insert",
    "lead_sums_delete",       "lead_sums_update",       "handoffs_handoff",
    "handoffs_accept",        "handoffs_touch",         "handoffs_retouch",
    "handoffs_untouch",       "handoff_sums_insert",    "handoff_sums_update",
    "handoff_sums_delete",    "handoff_sums_settings",  "handoff_sums_settings_insert",
    "handoff_sums_settings_delete", "touch_minutes_insert", "touch_minutes_update",
    "touch_minutes_delete",   "leads_flag_insert",      "leads_flag_update",
    "lead_flag_sums_update",  "lead_flag_sums_delete",  "leads_flag_settings",
    "leads_flag_settings_insert", "leads_flag_settings_delete",
    "feedback_counts_undone", "asset_counts_use",       "asset_counts_undone",
    "asset_counts_stage",     "handoffs_undone",
    NULL,
};

/* The first guard missing from the schema ("" when all are there). */
static lb_status missing_guard(lb_db *db, char *name, size_t n, lb_err *err)
{
    const char *const *names = db->drv->guards;
    name[0] = '\0';
    for (int i = 0; names[i] && !name[0]; i++) {
        bool yes = false;
        lb_status s = db->drv->has_trigger(db, names[i], &yes, err);
        if (s != LB_OK)
            return s;
        if (!yes)
            snprintf(name, n, "%s", names[i]);
    }
    return LB_OK;
}

/* The newest migration's "CREATE TRIGGER name ... END;" (up to the
 * driver's guard_end) as a new string. */
static char *guard_sql(lb_db *db, const char *name)
{
    char head[96];
    const char *tail = db->drv->guard_end;
    snprintf(head, sizeof head, "CREATE TRIGGER %s ", name);
    for (int i = *db->drv->migration_count - 1; i >= 0; i--) {
        const char *from = strstr(db->drv->migrations[i].sql, head);
        const char *end = from ? strstr(from, tail) : NULL;
        if (end) {
            size_t len = (size_t)(end - from) + strlen(tail);
            char *sql = malloc(len + 1);
            if (sql) {
                memcpy(sql, from, len);
                sql[len] = '\0';
            }
            return sql;
        }
    }
    return NULL;
}

lb_status db_restore_guards(lb_db *db, lb_err *err)
{
    char name[64];
    lb_status st = missing_guard(db, name, sizeof name, err);
    if (st != LB_OK || (!name[0] && db->readonly))
        return st; /* all there, and a board we may only read: nothing to write */
    db->restoring = true;
    if ((st = db_begin(db, err)) != LB_OK) {
        db->restoring = false;
        return st;
    }
    /* With every guard there, init still counts again what the triggers
     * keep cheaply (the leads per stage, the unreviewed feedback, the
     * assets' uses: a count changed by hand is made true again); with one
     * missing, the writes made without it may have left any total wrong,
     * the reports' running totals too. */
    bool counts = false;
    while ((st = missing_guard(db, name, sizeof name, err)) == LB_OK && name[0]) {
        char *sql = guard_sql(db, name);
        if (!sql) {
            st = lb_fail(err, LB_EDB, "no definition of %s in this leadboard", name);
            break;
        }
        st = exec(db, sql, err, "restoring the schema's guards");
        free(sql);
        if (st != LB_OK)
            break;
        counts = counts || strncmp(name, "events_", 7) != 0;
    }
    if (st == LB_OK)
        st = exec(db, counts ? db_recount_all_sql : db_recount_sql, err, "counting the leads");
    if (st == LB_OK)
        st = exec(db, RECOUNT_ASSETS_SQL, err, "counting the assets' uses");
    db->restoring = false;
    if (st != LB_OK) {
        db_rollback(db);
        return st;
    }
    return db_commit(db, err);
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
    lb_status st = db->drv->begin(db, err);
    if (st != LB_OK) {
        db->depth = 0;
        return st;
    }
    return check_guards(db, err);
}

lb_status db_commit(lb_db *db, lb_err *err)
{
    if (db->depth == 0)
        return LB_OK;
    if (--db->depth > 0)
        return LB_OK;
    if (db->doomed) {
        db->drv->rollback(db);
        return lb_fail(err, LB_EDB, "the change was rolled back");
    }
    return db->drv->commit(db, err);
}

void db_rollback(lb_db *db)
{
    if (db->depth == 0)
        return;
    if (--db->depth > 0) {
        db->doomed = true;
        return;
    }
    db->drv->rollback(db);
}

lb_status db_backup(lb_db *db, const char *dest, lb_err *err)
{
    return db->drv->backup(db, dest, err);
}

void db_interrupt(lb_db *db)
{
    db->drv->interrupt(db);
}

int64_t db_data_version(lb_db *db)
{
    return db->drv->data_version(db);
}

const char *db_engine_version(void)
{
    static char buf[96];
    snprintf(buf, sizeof buf, "%s, %s", db_sqlite_driver.version(), db_pg_driver.version());
    return buf;
}

static lb_status bulk_begin(lb_db *db, bool all, char **saved, lb_err *err)
{
    db->bulk_all = all;
    db->bulk_from_id = 0;
    if (!all) { /* the leads an import adds are counted from here at the end */
        lb_stmt *m = db_stmt(db, "SELECT coalesce(max(id), 0) FROM leads", err);
        bool yes;
        lb_status s = m ? db_int64(db, m, &yes, &db->bulk_from_id, err, "preparing a bulk write")
                        : LB_EDB;
        if (s != LB_OK)
            return s;
    }
    return db->drv->bulk_begin(db, saved, err);
}

lb_status db_bulk_begin(lb_db *db, char **saved, lb_err *err)
{
    return bulk_begin(db, false, saved, err);
}

lb_status db_bulk_begin_all(lb_db *db, char **saved, lb_err *err)
{
    return bulk_begin(db, true, saved, err);
}

/* An import writes only 'create' events, so the hand-off triggers on
 * events it sets aside (their WHEN alone cost a fifth of an import) have
 * nothing to catch up on.  The leads a bulk import added (id > from): their flag_at (whose update
 * trigger keeps lead_flag_sums), and lead_sums recounted over the days
 * they were created on (one day for a plain import: today), which also
 * holds any lead of this import that a later row of it updated. */
static lb_status bulk_add_new_leads(lb_db *db, int64_t from, lb_err *err)
{
    static const char flags[] =
        "UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id) "
        "WHERE id > ?1 AND stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost'";
    static const char days[] = "SELECT substr(min(created_at), 1, 10), max(created_at) FROM leads "
                               "WHERE id > ?1";
    static const char drop[] = "DELETE FROM lead_sums WHERE day >= ?1 AND day < ?2";
    /* lead_sums_recount's rows, over created_at so that leads_created
     * finds those days' leads (the view groups by an expression no index
     * holds). */
    static const char add[] =
        "INSERT INTO lead_sums SELECT coalesce(campaign_id, 0), coalesce(marketer_id, 0), "
        "substr(created_at, 1, 10), count(*), sum(furthest >= 1), sum(furthest >= 2), "
        "sum(furthest >= 3), sum(furthest >= 4), sum(furthest >= 5), sum(furthest >= 6), "
        "sum(rejections > 0), count(stars), coalesce(sum(stars), 0), sum(stage = 'won'), "
        "coalesce(sum(CASE WHEN stage = 'won' THEN value END), 0) FROM leads "
        "WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1, 2, 3";
    lb_stmt *st = NULL;
    char lo[LB_TIME_BUF] = "", hi[LB_TIME_BUF] = "";
    int rc = DB_ERROR;
    if (db_prepare(db, flags, &st) == DB_OK) {
        db_bind_int64(st, 1, from);
        rc = db_step(st);
    }
    db_finalize(st);
    st = NULL;
    if (rc == DB_DONE && db_prepare(db, days, &st) == DB_OK) {
        db_bind_int64(st, 1, from);
        rc = db_step(st);
        if (rc == DB_ROW && db_col_type(st, 0) != DB_NULL) {
            lb_time t;
            snprintf(lo, sizeof lo, "%s", db_col_text(st, 0));
            /* the day after the last one */
            if (time_parse(db_col_text(st, 1), &t, NULL) == LB_OK)
                time_format(t - ((t % 86400) + 86400) % 86400 + 86400, hi);
            else
                snprintf(hi, sizeof hi, "9999-12-31");
            hi[10] = '\0';
        }
        rc = rc == DB_ROW ? DB_DONE : rc;
    }
    db_finalize(st);
    for (int i = 0; rc == DB_DONE && lo[0] && i < 2; i++) {
        st = NULL;
        rc = DB_ERROR;
        if (db_prepare(db, i ? add : drop, &st) == DB_OK) {
            db_bind_str(st, 1, lo, -1, DB_TRANSIENT);
            db_bind_str(st, 2, hi, -1, DB_TRANSIENT);
            rc = db_step(st);
        }
        db_finalize(st);
    }
    return rc == DB_DONE ? LB_OK : db_fail(db, err, "counting the new leads");
}

lb_status db_bulk_end(lb_db *db, char *saved, lb_err *err)
{
    /* the new leads' share first, while their triggers are still aside */
    lb_status s = LB_OK;
    if (saved && *saved && !db->bulk_all)
        s = bulk_add_new_leads(db, db->bulk_from_id, err);
    if (s == LB_OK)
        s = db->drv->bulk_end(db, saved, err);
    else
        free(saved);
    db->bulk_all = false;
    return s;
}
