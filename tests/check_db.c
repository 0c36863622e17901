/* db.h and store.h: opening, creation, migration, refusal of newer and
 * foreign files, transactions, the append-only audit log, optimistic
 * concurrency, lead filters, backup. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "leadboard/db.h"
#include "leadboard/model.h"
#include "leadboard/status.h"
#include "leadboard/store.h"

#include "db_internal.h"
#include "suites.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define AT "2024-03-01T09:00:00Z"

static lb_db *db;
static lb_err err;
static char tmpdir[256];

/* ---- helpers ----------------------------------------------------------- */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/leadboard-check.XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    if (tmpdir[0] != '\0')
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
}

static void tmp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", tmpdir, name);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whole file into a malloc'd buffer. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot read %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = malloc(size > 0 ? (size_t)size : 1);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, (size_t)size, f);
    fclose(f);
    ck_assert_uint_eq(*len, (size_t)size);
    return buf;
}

static void spew(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void assert_same_file(const char *path, const unsigned char *before, size_t before_len)
{
    size_t len;
    unsigned char *after = slurp(path, &len);
    ck_assert_msg(len == before_len, "%s changed size: %zu -> %zu", path, before_len, len);
    ck_assert_msg(memcmp(before, after, len) == 0, "%s changed content", path);
    free(after);
}

static void assert_no_sidecars(const char *path)
{
    char side[512];
    snprintf(side, sizeof side, "%s-wal", path);
    ck_assert_msg(!exists(side), "%s was created", side);
    snprintf(side, sizeof side, "%s-journal", path);
    ck_assert_msg(!exists(side), "%s was created", side);
}

static int64_t add_user(lb_db *d, const char *login, lb_team team)
{
    lb_user u;
    memset(&u, 0, sizeof u);
    strcpy(u.login, login);
    snprintf(u.name, sizeof u.name, "User %s", login);
    u.team = team;
    u.active = true;
    strcpy(u.created_at, AT);
    ck_assert_int_eq(db_begin(d, &err), LB_OK);
    ck_assert_msg(user_insert(d, &u, &err) == LB_OK, "user_insert %s: %s", login, err.msg);
    ck_assert_int_eq(db_commit(d, &err), LB_OK);
    ck_assert_int_gt(u.id, 0);
    return u.id;
}

static int64_t add_campaign(lb_db *d, const char *name, lb_channel ch, int64_t cost)
{
    lb_campaign c;
    memset(&c, 0, sizeof c);
    strcpy(c.name, name);
    c.channel = ch;
    c.cost = cost;
    strcpy(c.created_at, AT);
    ck_assert_int_eq(db_begin(d, &err), LB_OK);
    ck_assert_msg(campaign_insert(d, &c, &err) == LB_OK, "campaign_insert: %s", err.msg);
    ck_assert_int_eq(db_commit(d, &err), LB_OK);
    ck_assert_int_gt(c.id, 0);
    return c.id;
}

typedef struct {
    const char *name, *company, *email, *notes;
    int64_t campaign_id;
    lb_stage stage;
    int64_t owner_id;
    const char *owner;
    int64_t value; /* -1: none */
} lead_spec;

static int64_t mia_id, sam_id, sue_id;

static int64_t add_lead(lb_db *d, const lead_spec *s)
{
    lb_lead l;
    memset(&l, 0, sizeof l);
    strcpy(l.name, s->name);
    strcpy(l.company, s->company ? s->company : "");
    strcpy(l.email, s->email ? s->email : "");
    strcpy(l.notes, s->notes ? s->notes : "");
    l.campaign_id = s->campaign_id;
    l.has_value = s->value >= 0;
    l.value = s->value >= 0 ? s->value : 0;
    l.marketer_id = mia_id;
    strcpy(l.marketer, "mia");
    l.owner_id = s->owner_id;
    strcpy(l.owner, s->owner ? s->owner : "");
    l.stage = s->stage;
    l.furthest = s->stage == STAGE_LOST ? STAGE_PROPOSAL : (int)s->stage;
    strcpy(l.created_at, AT);
    strcpy(l.stage_at, AT);
    strcpy(l.updated_at, AT);
    strcpy(l.updated_by, "mia");
    ck_assert_int_eq(db_begin(d, &err), LB_OK);
    ck_assert_msg(lead_insert(d, &l, &err) == LB_OK, "lead_insert %s: %s", s->name, err.msg);
    ck_assert_int_eq(db_commit(d, &err), LB_OK);
    ck_assert_int_gt(l.id, 0);
    ck_assert_int_eq(l.version, 1);
    return l.id;
}

static int64_t count_users(lb_db *d)
{
    int64_t n = -1;
    ck_assert_int_eq(user_count(d, &n, &err), LB_OK);
    return n;
}

/* ---- fixtures ---------------------------------------------------------- */

static void mem_setup(void)
{
    lb_err_clear(&err);
    db = NULL;
    ck_assert_msg(db_open(":memory:", &db, &err) == LB_OK, "db_open(:memory:): %s", err.msg);
    ck_assert_ptr_nonnull(db);
    mia_id = add_user(db, "mia", TEAM_MARKETING);
    sam_id = add_user(db, "sam", TEAM_SALES);
    sue_id = add_user(db, "sue", TEAM_SALES);
    tmpdir[0] = '\0';
}

static void mem_teardown(void)
{
    if (db != NULL)
        db_close(db);
    db = NULL;
    remove_tmpdir();
}

static mode_t saved_umask;

static void file_setup(void)
{
    lb_err_clear(&err);
    db = NULL;
    make_tmpdir();
    /* The usual umask, which would make a plain open() 0644/0640. */
    saved_umask = umask(022);
}

static void file_teardown(void)
{
    if (db != NULL)
        db_close(db);
    db = NULL;
    umask(saved_umask);
    remove_tmpdir();
}

/* ---- opening and migrating --------------------------------------------- */

START_TEST(test_open_memory_migrates)
{
    ck_assert_int_ge(db_latest_version(), 1);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());
    ck_assert_str_eq(db_path(db), ":memory:");
    char buf[32];
    ck_assert_int_eq(setting_get(db, "sla.accept_hours", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "24");
    ck_assert_int_eq(setting_get(db, "sla.first_touch_hours", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "48");
    ck_assert_int_eq(setting_get(db, "stale_days", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "7");
}
END_TEST

START_TEST(test_memory_databases_are_private)
{
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(":memory:", &other, &err), LB_OK);
    ck_assert_int_eq(count_users(db), 3);
    ck_assert_int_eq(count_users(other), 0);
    db_close(other);
}
END_TEST

START_TEST(test_file_created_with_parents_and_mode)
{
    char path[512];
    tmp_path(path, sizeof path, "a/b/c/board.db");
    ck_assert(!exists(path));
    ck_assert_msg(db_open(path, &db, &err) == LB_OK, "db_open: %s", err.msg);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_msg((st.st_mode & 0777) == 0660, "mode %o, expected 660", st.st_mode & 0777);
    ck_assert_str_eq(db_path(db), path);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());

    char dir[512];
    tmp_path(dir, sizeof dir, "a/b/c");
    ck_assert_int_eq(stat(dir, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_file_uses_wal)
{
    char path[512], wal[540];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    add_user(db, "mia", TEAM_MARKETING);
    snprintf(wal, sizeof wal, "%s-wal", path);
    ck_assert_msg(exists(wal), "no %s: the database is not in WAL mode", wal);
}
END_TEST

START_TEST(test_file_reopen_keeps_data)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    add_user(db, "mia", TEAM_MARKETING);
    db_close(db);
    db = NULL;
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    ck_assert_int_eq(count_users(db), 1);
    lb_user u;
    ck_assert_int_eq(user_get(db, "mia", &u, &err), LB_OK);
    ck_assert_int_eq(u.team, TEAM_MARKETING);
}
END_TEST

START_TEST(test_newer_schema_refused_untouched)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    add_user(db, "mia", TEAM_MARKETING);
    ck_assert_int_eq(db_exec_raw(db, "PRAGMA user_version=99", &err), LB_OK);
    db_close(db);
    db = NULL;

    size_t len;
    unsigned char *before = slurp(path, &len);
    ck_assert_uint_gt(len, 0);
    lb_err_clear(&err);
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(path, &other, &err), LB_EDB);
    ck_assert_int_eq(err.status, LB_EDB);
    ck_assert_msg(strstr(err.msg, "newer") != NULL || strstr(err.msg, "99") != NULL,
                  "unclear message: \"%s\"", err.msg);
    assert_same_file(path, before, len);
    assert_no_sidecars(path);
    free(before);
}
END_TEST

static void write_noise(const char *path, size_t len)
{
    unsigned char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    ck_assert_int_ne(memcmp(buf, "SQLite format 3", 15), 0);
    spew(path, buf, len);
    free(buf);
}

START_TEST(test_random_bytes_refused_untouched)
{
    char path[512];
    tmp_path(path, sizeof path, "noise.db");
    write_noise(path, 8192);
    size_t len;
    unsigned char *before = slurp(path, &len);
    lb_err_clear(&err);
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(path, &other, &err), LB_EDB);
    ck_assert_msg(err.msg[0] != '\0', "refused without a message");
    assert_same_file(path, before, len);
    assert_no_sidecars(path);
    free(before);
}
END_TEST

/* A short foreign file (smaller than a database page) is not a database
 * either, even though SQLite alone would take it for an empty one. */
START_TEST(test_short_text_file_refused_untouched)
{
    char path[512];
    tmp_path(path, sizeof path, "notes.txt");
    const char *text = "shopping list: milk, eggs\n";
    spew(path, text, strlen(text));
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(path, &other, &err), LB_EDB);
    assert_same_file(path, (const unsigned char *)text, strlen(text));
    assert_no_sidecars(path);
}
END_TEST

START_TEST(test_damaged_header_refused_untouched)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    add_user(db, "mia", TEAM_MARKETING);
    db_close(db);
    db = NULL;

    size_t len;
    unsigned char *bytes = slurp(path, &len);
    ck_assert_uint_gt(len, 100);
    bytes[16] = 0x00; /* page size 3: not a power of two */
    bytes[17] = 0x03;
    spew(path, bytes, len);
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(path, &other, &err), LB_EDB);
    assert_same_file(path, bytes, len);
    free(bytes);
}
END_TEST

START_TEST(test_open_at_version_then_migrate)
{
    char path[512];
    tmp_path(path, sizeof path, "old.db");
    ck_assert_msg(db_open_at_version(path, 0, &db, &err) == LB_OK, "db_open_at_version: %s",
                  err.msg);
    ck_assert_int_eq(db_schema_version(db), 0);
    int64_t n = -1;
    ck_assert_int_ne(user_count(db, &n, &err), LB_OK); /* no tables yet */
    db_close(db);
    db = NULL;

    ck_assert_msg(db_open(path, &db, &err) == LB_OK, "db_open: %s", err.msg);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());
    ck_assert_int_eq(count_users(db), 0);
    char buf[32];
    ck_assert_int_eq(setting_get(db, "stale_days", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "7");
    db_close(db);
    db = NULL;

    /* Opening again is a no-op migration. */
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());
}
END_TEST

START_TEST(test_open_at_latest_version)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    db_close(db);
    db = NULL;
    ck_assert_int_eq(db_open_at_version(path, db_latest_version(), &db, &err), LB_OK);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());
    ck_assert_int_eq(count_users(db), 0);
}
END_TEST

/* ---- the cost of a CHECK rule (migration 6) ----------------------------- */

static const char *const hot_inserts[] = {
    "INSERT INTO leads(name, stage, created_at, stage_at, updated_at) "
    "VALUES ('Ada', 'nurture', '" AT "', '" AT "', '" AT "')",
    "INSERT INTO followups(lead_id, user_id, kind, outcome, created_at) "
    "VALUES (1, 1, 'call', 'connected', '" AT "')",
    "INSERT INTO users(login, team, created_at) VALUES ('zed', 'sales', '" AT "')",
    "INSERT INTO campaigns(name, channel, created_at) VALUES ('Expo', 'event', '" AT "')",
};

/* How many temporary b-trees one run of sql opens: SQLite builds one for
 * each `x IN (...)` of more than two values, every time the statement runs.
 * Counted in the statement's own program, where the table's CHECKs are;
 * the triggers' sub-programs listed after it (schema 11's totals, whose
 * UPDATEs collect their rows first) are timed by make bench instead. */
static int temp_trees(sqlite3 *h, const char *sql)
{
    char explain[512];
    sqlite3_stmt *st = NULL;
    int n = 0;
    snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
    ck_assert_msg(sqlite3_prepare_v2(h, explain, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *p4 = (const char *)sqlite3_column_text(st, 5);
        if (strcmp((const char *)sqlite3_column_text(st, 1), "Init") == 0 && p4 &&
            strncmp(p4, "-- TRIGGER ", 11) == 0)
            break;
        n += strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
    }
    sqlite3_finalize(st);
    return n;
}

static sqlite3 *raw_open(const char *path)
{
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    return h;
}

static void raw_exec(sqlite3 *h, const char *sql)
{
    ck_assert_msg(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(h));
}

static void assert_refused(sqlite3 *h, const char *sql, const char *rule)
{
    ck_assert_int_ne(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    ck_assert_msg(strstr(sqlite3_errmsg(h), rule) != NULL, "%s: %s", sql, sqlite3_errmsg(h));
}

static void assert_rules_hold(sqlite3 *h)
{
    assert_refused(h,
                   "INSERT INTO leads(name, stage, created_at, stage_at, updated_at) "
                   "VALUES ('Bad', 'maybe', '" AT "', '" AT "', '" AT "')",
                   "CHECK constraint failed: known_stage");
    assert_refused(h,
                   "INSERT INTO followups(lead_id, user_id, kind, outcome, created_at) "
                   "VALUES (1, 1, 'fax', 'connected', '" AT "')",
                   "CHECK constraint failed: known_kind");
    assert_refused(h,
                   "INSERT INTO followups(lead_id, user_id, kind, outcome, created_at) "
                   "VALUES (1, 1, 'call', 'CONNECTED', '" AT "')",
                   "CHECK constraint failed: known_outcome");
    assert_refused(h, "INSERT INTO users(login, team, created_at) VALUES ('x', 'boss', '" AT "')",
                   "CHECK constraint failed: known_team");
    assert_refused(h,
                   "INSERT INTO campaigns(name, channel, created_at) VALUES ('TV', 'tv', '" AT "')",
                   "CHECK constraint failed: known_channel");
}

START_TEST(test_inserts_build_no_temp_tables)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    sqlite3 *h = raw_open(path);
    for (int i = 0; i < N(hot_inserts); i++)
        ck_assert_msg(temp_trees(h, hot_inserts[i]) == 0, "%s", hot_inserts[i]);
    raw_exec(h, "PRAGMA foreign_keys = ON");
    raw_exec(h, hot_inserts[2]);
    raw_exec(h, hot_inserts[0]);
    raw_exec(h, hot_inserts[1]);
    raw_exec(h, hot_inserts[3]);
    assert_rules_hold(h);
    sqlite3_close(h);
}
END_TEST

/* A board made before migration 6, open in another process while it runs:
 * the rows stay, the rules still refuse, and the other connection sees the
 * new text without reopening. */
START_TEST(test_migration_6_in_place)
{
    char path[512];
    tmp_path(path, sizeof path, "v5.db");
    ck_assert_msg(db_open_at_version(path, 5, &db, &err) == LB_OK, "%s", err.msg);
    db_close(db);
    db = NULL;
    sqlite3 *old = raw_open(path);
    raw_exec(old, hot_inserts[2]);
    raw_exec(old, hot_inserts[0]);
    raw_exec(old, hot_inserts[1]);
    ck_assert_int_eq(temp_trees(old, hot_inserts[0]), 1); /* the cost being removed */
    ck_assert_int_eq(temp_trees(old, hot_inserts[1]), 2);
    /* two ratings, one reviewed: migration 7 starts its count from them */
    raw_exec(old, "INSERT INTO ratings(lead_id, user_id, stars, created_at) "
                  "VALUES (1, 1, 4, '" AT "'), (1, 1, 2, '" AT "')");
    raw_exec(old, "UPDATE ratings SET reviewed_at = '" AT "' WHERE stars = 4");

    ck_assert_msg(db_open(path, &db, &err) == LB_OK, "db_open: %s", err.msg);
    ck_assert_int_eq(db_schema_version(db), db_latest_version());
    db_close(db);
    db = NULL;

    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(old,
                                        "SELECT (SELECT count(*) FROM leads) || '/' || "
                                        "(SELECT count(*) FROM followups) || '/' || "
                                        "(SELECT unreviewed FROM feedback_counts) || '/' || "
                                        "(SELECT group_concat(integrity_check) FROM "
                                        "pragma_integrity_check)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "1/1/1/ok");
    sqlite3_finalize(st);
    /* That read found the new schema cookie and reloaded the schema. */
    for (int i = 0; i < N(hot_inserts); i++)
        ck_assert_msg(temp_trees(old, hot_inserts[i]) == 0, "%s", hot_inserts[i]);
    assert_rules_hold(old);
    sqlite3_close(old);
}
END_TEST

/* ---- default path ------------------------------------------------------ */

START_TEST(test_default_path)
{
    char buf[512];
    unsetenv("LEADBOARD_DB");
    setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
    setenv("HOME", "/home/u", 1);

    ck_assert_int_eq(db_default_path("given.db", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "given.db");

    ck_assert_int_eq(db_default_path(NULL, buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "/tmp/xdg/leadboard/board.db");

    setenv("LEADBOARD_DB", "/srv/team/board.db", 1);
    ck_assert_int_eq(db_default_path(NULL, buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "/srv/team/board.db");
    ck_assert_int_eq(db_default_path("given.db", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "given.db");

    unsetenv("LEADBOARD_DB");
    unsetenv("XDG_DATA_HOME");
    ck_assert_int_eq(db_default_path(NULL, buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "/home/u/.local/share/leadboard/board.db");

    /* An empty XDG_DATA_HOME counts as unset (XDG base directory spec). */
    setenv("XDG_DATA_HOME", "", 1);
    ck_assert_int_eq(db_default_path(NULL, buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "/home/u/.local/share/leadboard/board.db");
}
END_TEST

/* ---- transactions ------------------------------------------------------ */

static lb_status insert_user_raw(const char *login)
{
    lb_user u;
    memset(&u, 0, sizeof u);
    strcpy(u.login, login);
    u.team = TEAM_SALES;
    u.active = true;
    strcpy(u.created_at, AT);
    return user_insert(db, &u, &err);
}

START_TEST(test_nested_commit)
{
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("tom"), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK); /* inner: only counts */
    ck_assert_int_eq(insert_user_raw("tim"), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert_int_eq(count_users(db), 5);
    lb_user u;
    ck_assert_int_eq(user_get(db, "tom", &u, &err), LB_OK);
    ck_assert_int_eq(user_get(db, "tim", &u, &err), LB_OK);
}
END_TEST

START_TEST(test_rollback_discards)
{
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("tom"), LB_OK);
    db_rollback(db);
    ck_assert_int_eq(count_users(db), 3);
    lb_user u;
    ck_assert_int_eq(user_get(db, "tom", &u, &err), LB_ENOTFOUND);
}
END_TEST

START_TEST(test_inner_rollback_discards_whole)
{
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("tom"), LB_OK);
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("tim"), LB_OK);
    db_rollback(db); /* inner */
    db_rollback(db); /* outer, as an error path would */
    ck_assert_int_eq(count_users(db), 3);

    /* The connection is usable again afterwards. */
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("ted"), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert_int_eq(count_users(db), 4);
}
END_TEST

START_TEST(test_inner_rollback_then_outer_commit_keeps_nothing)
{
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(insert_user_raw("tom"), LB_OK);
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    db_rollback(db);
    /* The outer commit must say the change was not saved (a caller that
     * reported success here would lie), and tom must not have been written. */
    lb_err_clear(&err);
    ck_assert_int_eq(db_commit(db, &err), LB_EDB);
    ck_assert_msg(strstr(err.msg, "rolled back") != NULL, "commit said: %s", err.msg);
    ck_assert_int_eq(count_users(db), 3);
}
END_TEST

START_TEST(test_exec_raw_errors)
{
    lb_err_clear(&err);
    ck_assert_int_eq(db_exec_raw(db, "THIS IS NOT SQL", &err), LB_EDB);
    ck_assert_msg(err.msg[0] != '\0', "no message");
    ck_assert_int_eq(db_exec_raw(db, "SELECT 1", &err), LB_OK);
}
END_TEST

START_TEST(test_foreign_keys_on)
{
    lb_err_clear(&err);
    ck_assert_int_eq(db_exec_raw(db,
                                 "INSERT INTO comments(lead_id, user_id, body, created_at) "
                                 "VALUES (999, 999, 'orphan', '" AT "')",
                                 &err),
                     LB_EDB);
    int64_t id = 0;
    ck_assert_int_ne(comment_insert(db, 12345, sam_id, "orphan", AT, &id, &err), LB_OK);
}
END_TEST

/* ---- the audit log ----------------------------------------------------- */

START_TEST(test_audit_log_append_only)
{
    lb_event ev = {.entity = "user",
                   .entity_id = sam_id,
                   .lead_id = 0,
                   .action = "add",
                   .field = "",
                   .old_value = NULL,
                   .new_value = "sam",
                   .note = ""};
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_msg(event_insert(db, AT, mia_id, "alice", &ev, &err) == LB_OK, "event_insert: %s",
                  err.msg);
    ck_assert_int_eq(event_insert(db, AT, mia_id, "alice", &ev, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    int64_t n = -1;
    ck_assert_int_eq(event_count(db, 0, &n, &err), LB_OK);
    ck_assert_int_eq(n, 2);

    lb_err_clear(&err);
    ck_assert_int_eq(db_exec_raw(db, "UPDATE events SET note = 'tampered'", &err), LB_EDB);
    ck_assert_int_eq(db_exec_raw(db, "DELETE FROM events", &err), LB_EDB);
    ck_assert_int_eq(db_exec_raw(db, "DELETE FROM events WHERE id = 1", &err), LB_EDB);
    ck_assert_int_eq(event_count(db, 0, &n, &err), LB_OK);
    ck_assert_int_eq(n, 2);
}
END_TEST

START_TEST(test_event_count_per_lead)
{
    lead_spec s = {.name = "Ada", .stage = STAGE_NURTURE, .value = -1};
    int64_t a = add_lead(db, &s);
    s.name = "Bea";
    int64_t b = add_lead(db, &s);
    lb_event ev = {.entity = "lead",
                   .action = "edit",
                   .field = "name",
                   .old_value = "x",
                   .new_value = "y",
                   .note = ""};
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ev.entity_id = ev.lead_id = a;
    ck_assert_int_eq(event_insert(db, AT, mia_id, "alice", &ev, &err), LB_OK);
    ck_assert_int_eq(event_insert(db, AT, mia_id, "alice", &ev, &err), LB_OK);
    ev.entity_id = ev.lead_id = b;
    ck_assert_int_eq(event_insert(db, AT, mia_id, "alice", &ev, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    int64_t n = -1;
    ck_assert_int_eq(event_count(db, a, &n, &err), LB_OK);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(event_count(db, b, &n, &err), LB_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(event_count(db, 0, &n, &err), LB_OK);
    ck_assert_int_eq(n, 3);
}
END_TEST

/* ---- users and campaigns ------------------------------------------------ */

START_TEST(test_users_store)
{
    lb_user u;
    ck_assert_int_eq(user_get(db, "sam", &u, &err), LB_OK);
    ck_assert_int_eq(u.id, sam_id);
    ck_assert_str_eq(u.login, "sam");
    ck_assert_str_eq(u.name, "User sam");
    ck_assert_int_eq(u.team, TEAM_SALES);
    ck_assert(u.active);
    ck_assert_str_eq(u.created_at, AT);

    lb_user v;
    ck_assert_int_eq(user_get_id(db, mia_id, &v, &err), LB_OK);
    ck_assert_str_eq(v.login, "mia");
    ck_assert_int_eq(user_get(db, "nobody", &u, &err), LB_ENOTFOUND);
    ck_assert_int_eq(user_get_id(db, 9999, &u, &err), LB_ENOTFOUND);

    /* a login is unique */
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_ne(insert_user_raw("sam"), LB_OK);
    db_rollback(db);
    ck_assert_int_eq(count_users(db), 3);
}
END_TEST

static int collect_login(const lb_user *u, void *ud)
{
    strcat((char *)ud, u->login);
    strcat((char *)ud, " ");
    return 0;
}

START_TEST(test_user_each)
{
    char logins[256] = "";
    ck_assert_int_eq(user_each(db, collect_login, logins, &err), LB_OK);
    ck_assert_msg(strstr(logins, "mia ") && strstr(logins, "sam ") && strstr(logins, "sue "),
                  "user_each gave \"%s\"", logins);
    ck_assert_uint_eq(strlen(logins), strlen("mia sam sue "));
}
END_TEST

START_TEST(test_campaigns_store)
{
    int64_t id = add_campaign(db, "Spring Expo", CHANNEL_EVENT, 150050);
    lb_campaign c;
    ck_assert_int_eq(campaign_get(db, "spring expo", &c, &err), LB_OK);
    ck_assert_int_eq(c.id, id);
    ck_assert_str_eq(c.name, "Spring Expo");
    ck_assert_int_eq(c.channel, CHANNEL_EVENT);
    ck_assert_int_eq(c.cost, 150050);
    ck_assert_int_eq(campaign_get(db, "Autumn Expo", &c, &err), LB_ENOTFOUND);

    /* names are unique, case-insensitively */
    lb_campaign dup;
    memset(&dup, 0, sizeof dup);
    strcpy(dup.name, "SPRING EXPO");
    strcpy(dup.created_at, AT);
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_ne(campaign_insert(db, &dup, &err), LB_OK);
    db_rollback(db);
}
END_TEST

/* ---- leads ------------------------------------------------------------- */

START_TEST(test_lead_roundtrip)
{
    int64_t camp = add_campaign(db, "Spring Expo", CHANNEL_EVENT, 0);
    lead_spec s = {.name = "Ada Lovelace",
                   .company = "Analytical \xe2\x80\x94 Engines",
                   .email = "ada@example.com",
                   .notes = "line one\nline two",
                   .campaign_id = camp,
                   .stage = STAGE_CONTACTED,
                   .owner_id = sam_id,
                   .owner = "sam",
                   .value = 1250050};
    int64_t id = add_lead(db, &s);
    lb_lead l;
    ck_assert_int_eq(lead_get(db, id, &l, &err), LB_OK);
    ck_assert_int_eq(l.id, id);
    ck_assert_str_eq(l.name, "Ada Lovelace");
    ck_assert_str_eq(l.company, "Analytical \xe2\x80\x94 Engines");
    ck_assert_str_eq(l.email, "ada@example.com");
    ck_assert_str_eq(l.notes, "line one\nline two");
    ck_assert_int_eq(l.campaign_id, camp);
    ck_assert_str_eq(l.campaign, "Spring Expo");
    ck_assert(l.has_value);
    ck_assert_int_eq(l.value, 1250050);
    ck_assert_int_eq(l.marketer_id, mia_id);
    ck_assert_str_eq(l.marketer, "mia");
    ck_assert_int_eq(l.owner_id, sam_id);
    ck_assert_str_eq(l.owner, "sam");
    ck_assert_int_eq(l.stage, STAGE_CONTACTED);
    ck_assert_int_eq(l.furthest, STAGE_CONTACTED);
    ck_assert_int_eq(l.stars, 0);
    ck_assert_int_eq(l.version, 1);
    ck_assert_str_eq(l.created_at, AT);
    ck_assert_str_eq(l.handed_off_at, "");

    ck_assert_int_eq(lead_get(db, id + 100, &l, &err), LB_ENOTFOUND);
}
END_TEST

START_TEST(test_lead_without_value_or_owner)
{
    lead_spec s = {.name = "Bea", .stage = STAGE_NURTURE, .value = -1};
    int64_t id = add_lead(db, &s);
    lb_lead l;
    ck_assert_int_eq(lead_get(db, id, &l, &err), LB_OK);
    ck_assert(!l.has_value);
    ck_assert_int_eq(l.owner_id, 0);
    ck_assert_str_eq(l.owner, "");
    ck_assert_int_eq(l.campaign_id, 0);
    ck_assert_str_eq(l.campaign, "");
}
END_TEST

START_TEST(test_lead_update_and_conflict)
{
    lead_spec s = {.name = "Ada", .stage = STAGE_NURTURE, .value = -1};
    int64_t id = add_lead(db, &s);
    lb_lead a, b;
    ck_assert_int_eq(lead_get(db, id, &a, &err), LB_OK);
    ck_assert_int_eq(lead_get(db, id, &b, &err), LB_OK);

    strcpy(a.name, "Ada King");
    a.stage = STAGE_HANDED_OFF;
    a.owner_id = sam_id;
    strcpy(a.owner, "sam");
    a.has_value = true;
    a.value = 777;
    strcpy(a.handed_off_at, "2024-03-02T10:00:00Z");
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_msg(lead_update(db, &a, &err) == LB_OK, "lead_update: %s", err.msg);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert_int_eq(a.version, 2);

    strcpy(b.name, "Stale Write");
    lb_err_clear(&err);
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(lead_update(db, &b, &err), LB_ECONFLICT);
    db_rollback(db);
    ck_assert_msg(err.msg[0] != '\0', "conflict without a message");

    lb_lead c;
    ck_assert_int_eq(lead_get(db, id, &c, &err), LB_OK);
    ck_assert_str_eq(c.name, "Ada King");
    ck_assert_int_eq(c.version, 2);
    ck_assert_int_eq(c.stage, STAGE_HANDED_OFF);
    ck_assert_int_eq(c.owner_id, sam_id);
    ck_assert_str_eq(c.owner, "sam");
    ck_assert(c.has_value);
    ck_assert_int_eq(c.value, 777);
    ck_assert_str_eq(c.handed_off_at, "2024-03-02T10:00:00Z");

    /* Reading again and updating works. */
    strcpy(c.name, "Ada Lovelace");
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(lead_update(db, &c, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert_int_eq(c.version, 3);
}
END_TEST

/* The five leads of the filter tests. */
static int64_t L[5];

static void leads_setup(void)
{
    mem_setup();
    int64_t spring = add_campaign(db, "Spring Expo", CHANNEL_EVENT, 100000);
    int64_t webinar = add_campaign(db, "Webinar Q1", CHANNEL_WEBINAR, 20000);
    const lead_spec specs[5] = {
        {"Alice Anders", "Acme", "alice@acme.test", "", spring, STAGE_NURTURE, 0, NULL, -1},
        {"Bob Brown", "", "bob@globex.com", "", webinar, STAGE_CONTACTED, sam_id, "sam", 5000},
        {"Carol Chen", "Hooli", "", "met at the Acme expo", 0, STAGE_CONTACTED, sue_id, "sue", -1},
        {"Dan Dorsey", "Initech", "", "", spring, STAGE_WON, sam_id, "sam", 900000},
        {"Eve Evans", "Umbrella", "", "", webinar, STAGE_LOST, sue_id, "sue", -1},
    };
    for (int i = 0; i < 5; i++)
        L[i] = add_lead(db, &specs[i]);
}

typedef struct {
    int64_t ids[8];
    int n;
    int stop_after; /* 0: never */
} collected;

static int collect_lead(const lb_lead *l, void *ud)
{
    collected *c = ud;
    if (c->n < 8)
        c->ids[c->n] = l->id;
    c->n++;
    return c->stop_after > 0 && c->n >= c->stop_after;
}

typedef struct {
    const char *what;
    bool has_stage;
    lb_stage stage;
    const char *owner, *campaign, *search;
    int64_t limit;
    int after; /* index into L + 1, 0: none */
    int want[5];
    int nwant;
} filter_case;

static const filter_case filter_cases[] = {
    {"everything", false, 0, NULL, NULL, NULL, 0, 0, {0, 1, 2, 3, 4}, 5},
    {"stage contacted", true, STAGE_CONTACTED, NULL, NULL, NULL, 0, 0, {1, 2}, 2},
    {"stage nurture", true, STAGE_NURTURE, NULL, NULL, NULL, 0, 0, {0}, 1},
    {"stage proposal", true, STAGE_PROPOSAL, NULL, NULL, NULL, 0, 0, {0}, 0},
    {"owner sam", false, 0, "sam", NULL, NULL, 0, 0, {1, 3}, 2},
    {"owner sue", false, 0, "sue", NULL, NULL, 0, 0, {2, 4}, 2},
    {"campaign", false, 0, NULL, "Spring Expo", NULL, 0, 0, {0, 3}, 2},
    {"search company+notes", false, 0, NULL, NULL, "Acme", 0, 0, {0, 2}, 2},
    {"search email", false, 0, NULL, NULL, "globex", 0, 0, {1}, 1},
    {"search name", false, 0, NULL, NULL, "Dorsey", 0, 0, {3}, 1},
    {"search nothing", false, 0, NULL, NULL, "zzzz", 0, 0, {0}, 0},
    {"limit", false, 0, NULL, NULL, NULL, 2, 0, {0, 1}, 2},
    {"after", false, 0, NULL, NULL, NULL, 0, 2, {2, 3, 4}, 3},
    {"after+limit", false, 0, NULL, NULL, NULL, 1, 2, {2}, 1},
    {"stage+owner", true, STAGE_CONTACTED, "sue", NULL, NULL, 0, 0, {2}, 1},
    {"stage+campaign", true, STAGE_WON, NULL, "Webinar Q1", NULL, 0, 0, {0}, 0},
    {"owner+campaign", false, 0, "sue", "Webinar Q1", NULL, 0, 0, {4}, 1},
};

START_TEST(test_lead_each_filter)
{
    const filter_case *fc = &filter_cases[_i];
    lb_lead_filter f = {.has_stage = fc->has_stage,
                        .stage = fc->stage,
                        .owner = fc->owner,
                        .campaign = fc->campaign,
                        .search = fc->search,
                        .limit = fc->limit,
                        .after_id = fc->after ? L[fc->after - 1] : 0};
    collected c = {.n = 0};
    ck_assert_msg(lead_each(db, &f, collect_lead, &c, &err) == LB_OK, "lead_each: %s", err.msg);
    ck_assert_msg(c.n == fc->nwant, "filter \"%s\": %d leads, expected %d", fc->what, c.n,
                  fc->nwant);
    for (int k = 0; k < fc->nwant; k++)
        ck_assert_msg(c.ids[k] == L[fc->want[k]],
                      "filter \"%s\": lead %d is id %lld, expected %lld", fc->what, k,
                      (long long)c.ids[k], (long long)L[fc->want[k]]);
}
END_TEST

START_TEST(test_lead_each_stops)
{
    lb_lead_filter f = {0};
    collected c = {.n = 0, .stop_after = 2};
    ck_assert_int_eq(lead_each(db, &f, collect_lead, &c, &err), LB_OK);
    ck_assert_int_eq(c.n, 2);
}
END_TEST

static int check_bob(const lb_lead *l, void *ud)
{
    int *seen = ud;
    if (strcmp(l->name, "Bob Brown") == 0) {
        (*seen)++;
        ck_assert_str_eq(l->owner, "sam");
        ck_assert_str_eq(l->campaign, "Webinar Q1");
        ck_assert_str_eq(l->marketer, "mia");
        ck_assert_int_eq(l->value, 5000);
    }
    return 0;
}

START_TEST(test_lead_each_fills_names)
{
    lb_lead_filter f = {0};
    int seen = 0;
    ck_assert_int_eq(lead_each(db, &f, check_bob, &seen, &err), LB_OK);
    ck_assert_int_eq(seen, 1);
}
END_TEST

/* ---- follow-ups, ratings, comments, timeline --------------------------- */

START_TEST(test_ratings_store)
{
    int64_t r1 = 0, r2 = 0, r3 = 0;
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(rating_insert(db, L[1], sam_id, 4, "fit,budget", "good one",
                                   "2024-03-01T10:00:00Z", &r1, &err),
                     LB_OK);
    ck_assert_int_eq(
        rating_insert(db, L[2], sue_id, 2, "timing", "", "2024-03-01T11:00:00Z", &r2, &err), LB_OK);
    ck_assert_int_eq(rating_insert(db, L[3], sam_id, 5, "", "", "2024-03-01T12:00:00Z", &r3, &err),
                     LB_OK);
    ck_assert_int_eq(rating_review(db, r3, mia_id, "2024-03-02T09:00:00Z", "thanks", &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert(r1 > 0 && r2 > r1 && r3 > r2);

    lb_rating r;
    ck_assert_int_eq(rating_get(db, r1, &r, &err), LB_OK);
    ck_assert_int_eq(r.lead_id, L[1]);
    ck_assert_str_eq(r.lead_name, "Bob Brown");
    ck_assert_str_eq(r.campaign, "Webinar Q1");
    ck_assert_str_eq(r.user, "sam");
    ck_assert_int_eq(r.stars, 4);
    ck_assert_str_eq(r.reasons, "fit,budget");
    ck_assert_str_eq(r.comment, "good one");
    ck_assert_str_eq(r.reviewed_by, "");

    ck_assert_int_eq(rating_get(db, r3, &r, &err), LB_OK);
    ck_assert_str_eq(r.reviewed_by, "mia");
    ck_assert_str_eq(r.reviewed_at, "2024-03-02T09:00:00Z");
    ck_assert_str_eq(r.reply, "thanks");

    ck_assert_int_eq(rating_get(db, r3 + 10, &r, &err), LB_ENOTFOUND);
}
END_TEST

static int collect_rating(const lb_rating *r, void *ud)
{
    collected *c = ud;
    if (c->n < 8)
        c->ids[c->n] = r->id;
    c->n++;
    return 0;
}

START_TEST(test_rating_each_order_and_filters)
{
    int64_t r1 = 0, r2 = 0, r3 = 0;
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(rating_insert(db, L[1], sam_id, 4, "", "", "2024-03-01T10:00:00Z", &r1, &err),
                     LB_OK);
    ck_assert_int_eq(rating_insert(db, L[3], sam_id, 5, "", "", "2024-03-01T12:00:00Z", &r2, &err),
                     LB_OK);
    ck_assert_int_eq(rating_insert(db, L[0], sue_id, 1, "", "", "2024-03-01T11:00:00Z", &r3, &err),
                     LB_OK);
    ck_assert_int_eq(rating_review(db, r2, mia_id, "2024-03-02T09:00:00Z", "", &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);

    /* unreviewed first (newest first: r3 at 11:00, r1 at 10:00), then r2 */
    lb_feedback_filter all = {0};
    collected c = {.n = 0};
    ck_assert_int_eq(rating_each(db, &all, collect_rating, &c, &err), LB_OK);
    ck_assert_int_eq(c.n, 3);
    ck_assert_int_eq(c.ids[0], r3);
    ck_assert_int_eq(c.ids[1], r1);
    ck_assert_int_eq(c.ids[2], r2);

    lb_feedback_filter unrev = {.unreviewed_only = true};
    c = (collected){.n = 0};
    ck_assert_int_eq(rating_each(db, &unrev, collect_rating, &c, &err), LB_OK);
    ck_assert_int_eq(c.n, 2);

    lb_feedback_filter spring = {.campaign = "Spring Expo"};
    c = (collected){.n = 0};
    ck_assert_int_eq(rating_each(db, &spring, collect_rating, &c, &err), LB_OK);
    ck_assert_int_eq(c.n, 2); /* L[0] and L[3] */
}
END_TEST

typedef struct {
    char types[8][16];
    int n;
} timeline_seen;

static int collect_timeline(const lb_timeline_entry *e, void *ud)
{
    timeline_seen *t = ud;
    if (t->n < 8)
        strcpy(t->types[t->n], e->type);
    t->n++;
    return 0;
}

/* The timeline is the audit log of the lead: an entry per event, in the
 * order written, with the follow-up, rating or comment an event points at
 * joined in.  Rows written without their event are not part of it. */
static void insert_event(const char *entity, int64_t entity_id, int64_t lead_id, const char *action,
                         const char *at, int64_t actor)
{
    lb_event ev = {entity, entity_id, lead_id, action, "", NULL, NULL, ""};
    ck_assert_int_eq(event_insert(db, at, actor, "tester", &ev, &err), LB_OK);
}

START_TEST(test_timeline_in_time_order)
{
    int64_t f = 0, r = 0, c = 0, lone = 0;
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(followup_insert(db, L[1], sam_id, KIND_CALL, OUTCOME_CONNECTED, "called", "",
                                     NULL, "2024-03-01T10:00:00Z", &f, &err),
                     LB_OK);
    insert_event("followup", f, L[1], "log", "2024-03-01T10:00:00Z", sam_id);
    ck_assert_int_eq(
        rating_insert(db, L[1], sam_id, 3, "need", "", "2024-03-01T11:00:00Z", &r, &err), LB_OK);
    insert_event("rating", r, L[1], "rate", "2024-03-01T11:00:00Z", sam_id);
    ck_assert_int_eq(
        comment_insert(db, L[1], mia_id, "any news?", "2024-03-01T12:00:00Z", &c, &err), LB_OK);
    insert_event("comment", c, L[1], "comment", "2024-03-01T12:00:00Z", mia_id);
    /* a comment with no event of its own stays out of the timeline */
    ck_assert_int_eq(
        comment_insert(db, L[1], mia_id, "orphan", "2024-03-01T13:00:00Z", &lone, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);

    timeline_seen t = {.n = 0};
    ck_assert_int_eq(timeline_each(db, L[1], collect_timeline, &t, &err), LB_OK);
    ck_assert_int_eq(t.n, 3);
    ck_assert_str_eq(t.types[0], "log");
    ck_assert_str_eq(t.types[1], "rate");
    ck_assert_str_eq(t.types[2], "comment");

    t = (timeline_seen){.n = 0};
    ck_assert_int_eq(timeline_each(db, L[2], collect_timeline, &t, &err), LB_OK);
    ck_assert_int_eq(t.n, 0);
}
END_TEST

/* ---- goals and settings ------------------------------------------------ */

START_TEST(test_goals_store)
{
    lb_goal g = {
        .period = "2024-Q2", .revenue_target = 10000000, .has_wins_target = true, .wins_target = 5};
    lb_goal old;
    bool existed = true;
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(goal_upsert(db, &g, mia_id, AT, &existed, &old, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert(!existed);

    lb_goal h = {.period = "2024-Q2", .revenue_target = 20000000, .has_wins_target = false};
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(goal_upsert(db, &h, mia_id, AT, &existed, &old, &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert(existed);
    ck_assert_int_eq(old.revenue_target, 10000000);
    ck_assert(old.has_wins_target);
    ck_assert_int_eq(old.wins_target, 5);

    lb_goal got;
    ck_assert_int_eq(goal_get(db, "2024-Q2", &got, &err), LB_OK);
    ck_assert_str_eq(got.period, "2024-Q2");
    ck_assert_int_eq(got.revenue_target, 20000000);
    ck_assert(!got.has_wins_target);
    ck_assert_int_eq(goal_get(db, "2024-Q3", &got, &err), LB_ENOTFOUND);
}
END_TEST

START_TEST(test_settings_store)
{
    char buf[32];
    ck_assert_int_eq(db_begin(db, &err), LB_OK);
    ck_assert_int_eq(setting_set(db, "stale_days", "10", &err), LB_OK);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
    ck_assert_int_eq(setting_get(db, "stale_days", buf, sizeof buf, &err), LB_OK);
    ck_assert_str_eq(buf, "10");
    ck_assert_int_eq(setting_get(db, "no.such.key", buf, sizeof buf, &err), LB_ENOTFOUND);
}
END_TEST

/* ---- backup and other connections -------------------------------------- */

static int count_lead(const lb_lead *l, void *ud)
{
    (void)l;
    (*(int *)ud)++;
    return 0;
}

START_TEST(test_backup)
{
    make_tmpdir();
    char dest[512];
    tmp_path(dest, sizeof dest, "copy.db");
    ck_assert_msg(db_backup(db, dest, &err) == LB_OK, "db_backup: %s", err.msg);
    ck_assert(exists(dest));

    lb_db *copy = NULL;
    ck_assert_msg(db_open(dest, &copy, &err) == LB_OK, "db_open(copy): %s", err.msg);
    ck_assert_int_eq(db_schema_version(copy), db_latest_version());
    ck_assert_int_eq(count_users(copy), 3);
    lb_lead_filter f = {0};
    int n = 0;
    ck_assert_int_eq(lead_each(copy, &f, count_lead, &n, &err), LB_OK);
    ck_assert_int_eq(n, 5);
    lb_lead a, b;
    ck_assert_int_eq(lead_get(db, L[3], &a, &err), LB_OK);
    ck_assert_int_eq(lead_get(copy, L[3], &b, &err), LB_OK);
    ck_assert_str_eq(a.name, b.name);
    ck_assert_str_eq(a.owner, b.owner);
    ck_assert_str_eq(a.campaign, b.campaign);
    ck_assert_int_eq(a.value, b.value);
    ck_assert_int_eq(a.stage, b.stage);
    ck_assert_int_eq(a.version, b.version);
    db_close(copy);

    /* dest must not exist */
    size_t len;
    unsigned char *before = slurp(dest, &len);
    ck_assert_int_ne(db_backup(db, dest, &err), LB_OK);
    assert_same_file(dest, before, len);
    free(before);
}
END_TEST

START_TEST(test_data_version_sees_other_connection)
{
    char path[512];
    tmp_path(path, sizeof path, "shared.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    lb_db *other = NULL;
    ck_assert_int_eq(db_open(path, &other, &err), LB_OK);

    int64_t v0 = db_data_version(db);
    ck_assert_int_eq(db_data_version(db), v0); /* stable without changes */
    add_user(other, "sam", TEAM_SALES);
    ck_assert_int_ne(db_data_version(db), v0);
    ck_assert_int_eq(count_users(db), 1);
    db_close(other);
}
END_TEST

/* The stores' SQL list of working stages is the core's stage_is_working. */
START_TEST(test_working_stages_in_sql)
{
    int listed = 0;
    for (int s = 0; s < STAGE_COUNT; s++) {
        char quoted[32];
        snprintf(quoted, sizeof quoted, "'%s'", stage_name((lb_stage)s));
        bool in_sql = strstr(DB_WORKING_STAGES, quoted) != NULL;
        ck_assert_msg(in_sql == stage_is_working((lb_stage)s), "stage %s", stage_name((lb_stage)s));
        listed += in_sql;
    }
    /* nothing else in the list: as many quoted names as working stages */
    int quotes = 0;
    for (const char *p = DB_WORKING_STAGES; *p; p++)
        quotes += *p == '\'';
    ck_assert_int_eq(quotes, 2 * listed);
}
END_TEST

/* Issue 10 item 15: a read of a missing database creates nothing. */
START_TEST(test_read_of_missing_creates_nothing)
{
    char path[512], dir[512];
    tmp_path(path, sizeof path, "x/y/board.db");
    tmp_path(dir, sizeof dir, "x");
    ck_assert_int_eq(db_open_read(path, &db, &err), LB_ENOTFOUND);
    ck_assert_ptr_null(db);
    ck_assert_msg(strstr(err.msg, "no database at") != NULL, "message: %s", err.msg);
    ck_assert(!exists(dir));
    ck_assert_int_eq(db_open_read("/dev/null", &db, &err), LB_EDB);
    ck_assert_msg(strstr(err.msg, "not a regular file") != NULL, "message: %s", err.msg);
}
END_TEST

/* Issue 10 item 13: a board is marked; another program's file is refused. */
START_TEST(test_application_id_marks_a_board)
{
    char path[512], other[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    lb_stmt *st = db_stmt(db, "PRAGMA application_id", &err);
    ck_assert_int_eq(db_step(st), DB_ROW);
    ck_assert_int_eq(db_col_int(st, 0), 0x4C425244);
    db_reset(st);
    db_close(db);
    db = NULL;

    tmp_path(other, sizeof other, "other.db");
    sqlite3 *h = NULL;
    ck_assert_int_eq(sqlite3_open(other, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h,
                                  "PRAGMA application_id = 7; PRAGMA user_version = 2; "
                                  "CREATE TABLE users(x); CREATE TABLE leads(x); "
                                  "CREATE TABLE campaigns(x); CREATE TABLE events(x)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    ck_assert_int_eq(db_open(other, &db, &err), LB_EDB);
    ck_assert_msg(strstr(err.msg, "another program") != NULL, "message: %s", err.msg);
}
END_TEST

/* Issue 10 item 14: a write is refused while a guard is missing. */
START_TEST(test_missing_guard_refuses_writes)
{
    char path[512];
    tmp_path(path, sizeof path, "board.db");
    ck_assert_int_eq(db_open(path, &db, &err), LB_OK);
    ck_assert_int_eq(db_exec_raw(db, "DROP TRIGGER events_no_update", &err), LB_OK);
    ck_assert_int_eq(db_begin(db, &err), LB_EDB);
    ck_assert_msg(strstr(err.msg, "events_no_update") != NULL, "message: %s", err.msg);
    ck_assert_int_eq(db_restore_guards(db, &err), LB_OK);
    ck_assert_msg(db_begin(db, &err) == LB_OK, "after restoring: %s", err.msg);
    ck_assert_int_eq(db_commit(db, &err), LB_OK);
}
END_TEST

Suite *db_suite(void)
{
    Suite *s = suite_create("db");

    TCase *tc = tcase_create("open");
    tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
    tcase_add_test(tc, test_open_memory_migrates);
    tcase_add_test(tc, test_memory_databases_are_private);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, file_setup, file_teardown);
    tcase_add_test(tc, test_file_created_with_parents_and_mode);
    tcase_add_test(tc, test_file_uses_wal);
    tcase_add_test(tc, test_file_reopen_keeps_data);
    tcase_add_test(tc, test_newer_schema_refused_untouched);
    tcase_add_test(tc, test_random_bytes_refused_untouched);
    tcase_add_test(tc, test_short_text_file_refused_untouched);
    tcase_add_test(tc, test_damaged_header_refused_untouched);
    tcase_add_test(tc, test_open_at_version_then_migrate);
    tcase_add_test(tc, test_open_at_latest_version);
    tcase_add_test(tc, test_inserts_build_no_temp_tables);
    tcase_add_test(tc, test_migration_6_in_place);
    tcase_add_test(tc, test_default_path);
    tcase_add_test(tc, test_data_version_sees_other_connection);
    tcase_add_test(tc, test_read_of_missing_creates_nothing);
    tcase_add_test(tc, test_application_id_marks_a_board);
    tcase_add_test(tc, test_missing_guard_refuses_writes);
    suite_add_tcase(s, tc);

    tc = tcase_create("transactions");
    tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
    tcase_add_test(tc, test_nested_commit);
    tcase_add_test(tc, test_rollback_discards);
    tcase_add_test(tc, test_inner_rollback_discards_whole);
    tcase_add_test(tc, test_inner_rollback_then_outer_commit_keeps_nothing);
    tcase_add_test(tc, test_exec_raw_errors);
    tcase_add_test(tc, test_foreign_keys_on);
    suite_add_tcase(s, tc);

    tc = tcase_create("audit");
    tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
    tcase_add_test(tc, test_audit_log_append_only);
    tcase_add_test(tc, test_event_count_per_lead);
    suite_add_tcase(s, tc);

    tc = tcase_create("stores");
    tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
    tcase_add_test(tc, test_users_store);
    tcase_add_test(tc, test_user_each);
    tcase_add_test(tc, test_campaigns_store);
    tcase_add_test(tc, test_lead_roundtrip);
    tcase_add_test(tc, test_lead_without_value_or_owner);
    tcase_add_test(tc, test_lead_update_and_conflict);
    tcase_add_test(tc, test_goals_store);
    tcase_add_test(tc, test_settings_store);
    suite_add_tcase(s, tc);

    tc = tcase_create("leads");
    tcase_set_timeout(tc, 30);
    tcase_add_checked_fixture(tc, leads_setup, mem_teardown);
    tcase_add_loop_test(tc, test_lead_each_filter, 0, N(filter_cases));
    tcase_add_test(tc, test_lead_each_stops);
    tcase_add_test(tc, test_lead_each_fills_names);
    tcase_add_test(tc, test_ratings_store);
    tcase_add_test(tc, test_rating_each_order_and_filters);
    tcase_add_test(tc, test_timeline_in_time_order);
    tcase_add_test(tc, test_backup);
    tcase_add_test(tc, test_working_stages_in_sql);
    suite_add_tcase(s, tc);

    return s;
}
