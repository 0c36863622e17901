#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"

/* The PostgreSQL driver (issue 16), through libpq.  A board is a database
 * on a server; the stores' SQL is written once, and what PostgreSQL spells
 * differently is translated here (pg_translate) or provided by the schema
 * (schema/postgresql: julianday, group_concat, sum of a boolean, the
 * two-argument max and min, the nocase collation).
 *
 * Writers are serialized as on SQLite: a write transaction takes one
 * advisory lock of the board (waiting at most the busy timeout), so the
 * stores' read-then-write logic sees what it saw on SQLite, and the version
 * check of every lead edit still refuses a stale copy.  Deadlocks and
 * serialization failures (another program's writes) are retried with a
 * growing pause within the busy timeout.  A commit sends NOTIFY leadboard;
 * an open board LISTENs and redraws on another process's notice. */

/* The advisory lock every write takes ("LBRD"), and the notice channel. */
#define PG_WRITE_LOCK "1279939140"
#define PG_CHANNEL "leadboard"

/* SQLSTATEs the driver tells apart. */
#define SQLSTATE_SERIALIZATION "40001"
#define SQLSTATE_DEADLOCK "40P01"
#define SQLSTATE_LOCK_TIMEOUT "55P03"
#define SQLSTATE_QUERY_CANCELED "57014"

#define BOOLOID 16
#define TEXTOID 25
#define INT8OID 20

typedef struct {
    PGcancel *cancel;
    int64_t changes;
    int64_t last_id;
    int64_t notices; /* other sessions' commits seen (data_version) */
    int stmt_seq;    /* names of server-side statements */
    char state[6];   /* SQLSTATE of the last error, "" when none */
    char msg[512];   /* its message, one line */
    bool broken;     /* the connection is lost */
    char *load;      /* pg_load_row's rows not yet sent */
    size_t load_len, load_cap;
    bool load_failed;
} pg_conn;

#define PGC(db) ((pg_conn *)(db)->priv)

typedef struct {
    lb_stmt base;
    char name[24];
    int nparams;
    bool returning_id; /* an INSERT given RETURNING id */
    int limit_param;   /* LIMIT ?N: SQLite's negative limit is none */
    char **vals;
    bool *owned;
    PGresult *res;
    int row, nrows;
    bool stepped;
} pg_stmt;

#define PGS(st) ((pg_stmt *)(st))

/* The last error of a result (or of the connection) into the pg_conn. */
static void keep_error(lb_db *db, const PGresult *res)
{
    pg_conn *c = PGC(db);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    snprintf(c->state, sizeof c->state, "%s", state ? state : "");
    snprintf(c->msg, sizeof c->msg, "%s", primary ? primary : PQerrorMessage(db->h));
    /* one line: libpq's messages end with a newline, some have several */
    for (char *p = c->msg; *p; p++)
        if (*p == '\n' || *p == '\r') {
            *p = '\0';
            break;
        }
    if (PQstatus(db->h) != CONNECTION_OK)
        c->broken = true;
}

static void clear_error(lb_db *db)
{
    PGC(db)->state[0] = '\0';
    PGC(db)->msg[0] = '\0';
}

/* --- SQL translation ----------------------------------------------------- */

static bool word_at(const char *p, const char *start, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(p, w, n) != 0)
        return false;
    if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
        return false;
    return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

/* Tables whose rows have an identity id (what db_last_id reads). */
static bool has_identity(const char *p)
{
    static const char *const tables[] = {"users",    "campaigns", "leads",  "followups", "ratings",
                                         "comments", "events",    "assets", "changes",   NULL};
    for (int i = 0; tables[i]; i++) {
        size_t n = strlen(tables[i]);
        if (strncmp(p, tables[i], n) == 0 && (p[n] == '(' || p[n] == ' '))
            return true;
    }
    return false;
}

/* SQLite's spelling to PostgreSQL's, outside quotes: ?N -> $N; LIKE ->
 * COLLATE "C" ILIKE (SQLite's LIKE ignores ASCII case); INDEXED BY x dropped; CAST(x
 * AS REAL) -> double precision; INSERT OR IGNORE -> ON CONFLICT DO
 * NOTHING; a single INSERT into a table with an id gets RETURNING id
 * (db_last_id).  *nparams: the highest parameter number; used[i]: whether
 * ?i+1 appears (SQLite lets a statement skip numbers). */
#define PG_MAX_PARAMS 128
#define PG_MAX_DEPTH 64

/* Whether out[0..k) ends with the word w (spaces after it skipped). */
static bool ends_with_word(const char *out, size_t k, const char *w)
{
    size_t n = strlen(w);
    while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\n'))
        k--;
    if (k < n || strncmp(out + k - n, w, n) != 0)
        return false;
    return k == n || !(isalnum((unsigned char)out[k - n - 1]) || out[k - n - 1] == '_');
}

/* After a subquery's ")": whether an alias follows (or the text ends the
 * FROM item without one, so PostgreSQL 15 needs one). */
static bool alias_follows(const char *p)
{
    static const char *const stop[] = {"WHERE",   "GROUP", "ORDER",  "HAVING",    "LIMIT",
                                       "OFFSET",  "UNION", "EXCEPT", "INTERSECT", "JOIN",
                                       "LEFT",    "RIGHT", "INNER",  "CROSS",     "FULL",
                                       "NATURAL", "ON",    "USING",  "WINDOW",    NULL};
    while (*p == ' ' || *p == '\n')
        p++;
    if (!(isalpha((unsigned char)*p) || *p == '_' || *p == '"'))
        return false;
    for (int i = 0; stop[i]; i++)
        if (word_at(p, p, stop[i]))
            return false;
    return true;
}

/* The translation under way: the text read (p, from sql) and written
 * (out[0..k)), and what the statement being read has shown so far. */
typedef struct {
    const char *sql, *p;
    char *out;
    size_t k;
    int maxp, seq, statements, depth, aliases;
    bool ignore, has_returning, identity, at_start;
    bool need_alias[PG_MAX_DEPTH], in_from[PG_MAX_DEPTH];
    char replace[1024]; /* INSERT OR REPLACE's ON CONFLICT clause, for the end */
    size_t replace_len;
    bool *used;
    int *limit_param;
} pg_xl;

static void xl_put(pg_xl *x, const char *text)
{
    x->k += (size_t)sprintf(x->out + x->k, "%s", text);
}

/* The word w at p, replaced by `with` (p moves past w). */
static bool xl_swap(pg_xl *x, const char *w, const char *with)
{
    size_t n = strlen(w);
    if (!word_at(x->p, x->sql, w) || x->p[n] == '.') /* "WHERE 1.5" is no "WHERE 1" */
        return false;
    xl_put(x, with);
    x->p += n;
    return true;
}

/* A quoted string or name, or a comment: copied as it is. */
static bool xl_literal(pg_xl *x)
{
    if (*x->p == '\'' || *x->p == '"') {
        char q = *x->p;
        x->out[x->k++] = *x->p++;
        while (*x->p) {
            bool end = *x->p == q && x->p[1] != q;
            if (*x->p == q && !end)
                x->out[x->k++] = *x->p++; /* a doubled quote */
            x->out[x->k++] = *x->p++;
            if (end)
                break;
        }
        return true;
    }
    if (x->p[0] == '-' && x->p[1] == '-') {
        while (*x->p && *x->p != '\n')
            x->out[x->k++] = *x->p++;
        return true;
    }
    return false;
}

/* ?N and ? are $N (the ?s numbered in order); a LIMIT's is noted. */
static bool xl_param(pg_xl *x)
{
    if (*x->p != '?')
        return false;
    int num = 0;
    x->p++;
    if (isdigit((unsigned char)*x->p)) {
        while (isdigit((unsigned char)*x->p))
            num = num * 10 + (*x->p++ - '0');
    } else {
        num = ++x->seq;
    }
    if (num > x->maxp)
        x->maxp = num;
    if (x->used && num <= PG_MAX_PARAMS)
        x->used[num - 1] = true;
    if (x->limit_param && x->k >= 6 && strncmp(x->out + x->k - 6, "LIMIT ", 6) == 0)
        *x->limit_param = num;
    x->k += (size_t)sprintf(x->out + x->k, "$%d", num);
    return true;
}

/* What a statement's end adds: INSERT OR IGNORE's and OR REPLACE's ON
 * CONFLICT clauses. */
static void xl_statement_end(pg_xl *x)
{
    if (x->ignore)
        xl_put(x, " ON CONFLICT DO NOTHING");
    if (x->replace_len) {
        memcpy(x->out + x->k, x->replace, x->replace_len);
        x->k += x->replace_len;
        x->replace_len = 0;
    }
}

static bool xl_semicolon(pg_xl *x)
{
    if (*x->p != ';')
        return false;
    x->at_start = true;
    xl_statement_end(x);
    x->ignore = x->has_returning = x->identity = false;
    x->statements++;
    x->out[x->k++] = *x->p++;
    return true;
}

/* SQLite's unary + (it keeps an index out of a term): dropped. */
static bool xl_unary_plus(pg_xl *x)
{
    static const char *const before[] = {"AND",  "OR",   "WHERE", "ON",  "SELECT", "BY",
                                         "WHEN", "THEN", "ELSE",  "NOT", NULL};
    if (*x->p != '+' || !(isalpha((unsigned char)x->p[1]) || x->p[1] == '_'))
        return false;
    size_t j = x->k;
    while (j > 0 && x->out[j - 1] == ' ')
        j--;
    bool unary = strchr("(,=<>", j ? x->out[j - 1] : '(') != NULL;
    for (int i = 0; !unary && before[i]; i++)
        unary = ends_with_word(x->out, x->k, before[i]);
    if (unary)
        x->p++;
    return unary;
}

/* PostgreSQL 15 wants an alias for every subquery in FROM. */
static bool xl_paren(pg_xl *x)
{
    if (*x->p == '(' && x->depth + 1 < PG_MAX_DEPTH) {
        size_t k = x->k;
        bool after_comma =
            k > 0 && (x->out[k - 1] == ',' || (k > 1 && x->out[k - 1] == ' ' && x->out[k - 2] == ','));
        x->depth++;
        x->need_alias[x->depth] = ends_with_word(x->out, k, "FROM") ||
                                  ends_with_word(x->out, k, "JOIN") ||
                                  (after_comma && x->in_from[x->depth - 1]);
        x->in_from[x->depth] = false;
        x->out[x->k++] = *x->p++;
        return true;
    }
    if (*x->p == ')' && x->depth > 0) {
        x->out[x->k++] = *x->p++;
        if (x->need_alias[x->depth] && !alias_follows(x->p))
            x->k += (size_t)sprintf(x->out + x->k, " AS lb_q%d", ++x->aliases);
        x->depth--;
        return true;
    }
    return false;
}

/* Whether the words read are a FROM list (where a subquery needs its alias). */
static void xl_note_clause(pg_xl *x)
{
    static const char *const ends[] = {"WHERE", "GROUP", "ORDER",  "HAVING", "LIMIT",
                                       "UNION", "ON",    "SELECT", "SET",    NULL};
    if (word_at(x->p, x->sql, "FROM")) {
        x->in_from[x->depth] = true;
        return;
    }
    for (int i = 0; ends[i]; i++)
        if (word_at(x->p, x->sql, ends[i]))
            x->in_from[x->depth] = false;
}

/* temp.x is pg_temp.x, except in CREATE INDEX (an index lives in its
 * table's schema). */
static bool xl_temp(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "temp") || x->p[4] != '.')
        return false;
    if (x->k >= 13 && strncmp(x->out + x->k - 13, "CREATE INDEX ", 13) == 0) {
        x->p += 5;
        return true;
    }
    xl_put(x, "pg_temp");
    x->p += 4;
    return true;
}

/* DROP TRIGGER x (SQLite's, with no table named): lb_drop_trigger('x'). */
static bool xl_drop_trigger(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "DROP") || strncmp(x->p, "DROP TRIGGER ", 13) != 0)
        return false;
    const char *q = x->p + 13;
    bool quoted = *q == '"';
    const char *name = quoted ? q + 1 : q;
    size_t len = 0;
    while (name[len] &&
           (quoted ? name[len] != '"' : (isalnum((unsigned char)name[len]) || name[len] == '_')))
        len++;
    const char *after = name + len + (quoted ? 1 : 0), *a = after;
    while (*a == ' ')
        a++;
    if (len == 0 || len >= 64 || (*a != ';' && *a != '\0'))
        return false;
    x->k += (size_t)sprintf(x->out + x->k, "SELECT lb_drop_trigger('%.*s')", (int)len, name);
    x->p = after;
    return true;
}

/* LIKE: under "C", ILIKE folds ASCII letters only, as SQLite's LIKE does,
 * and a nocase column (nondeterministic) is accepted. */
static bool xl_like(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "LIKE"))
        return false;
    bool negated = ends_with_word(x->out, x->k, "NOT");
    if (negated) { /* x NOT LIKE y: the collation goes on x */
        while (x->out[x->k - 1] == ' ' || x->out[x->k - 1] == '\n')
            x->k--;
        x->k -= 3;
    }
    x->k += (size_t)sprintf(x->out + x->k, "COLLATE \"C\" %sILIKE", negated ? "NOT " : "");
    x->p += 4;
    return true;
}

/* SQLite's IS / IS NOT between two values. */
static bool xl_is(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "IS"))
        return false;
    const char *q = x->p + 2;
    bool neg = false;
    while (*q == ' ')
        q++;
    if (word_at(q, x->sql, "NOT")) {
        neg = true;
        q += 3;
        while (*q == ' ')
            q++;
    }
    if (word_at(q, x->sql, "NULL") || word_at(q, x->sql, "TRUE") || word_at(q, x->sql, "FALSE") ||
        word_at(q, x->sql, "DISTINCT") || word_at(q, x->sql, "NOT"))
        return false;
    xl_put(x, neg ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ");
    x->p = q;
    return true;
}

/* INDEXED BY name: SQLite's index hint, dropped. */
static bool xl_indexed_by(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "INDEXED") || strncmp(x->p, "INDEXED BY ", 11) != 0)
        return false;
    x->p += 11;
    while (isalnum((unsigned char)*x->p) || *x->p == '_')
        x->p++;
    while (*x->p == ' ')
        x->p++;
    return true;
}

/* INSERT OR REPLACE: the first column named is the key, the others
 * replaced (the clause is written at the statement's end). */
static void xl_replace_clause(pg_xl *x, const char *cols_from)
{
    const char *open = strchr(cols_from, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close - open >= 512)
        return;
    char cols[512];
    snprintf(cols, sizeof cols, "%.*s", (int)(close - open - 1), open + 1);
    char *save = NULL, *first = strtok_r(cols, ", ", &save);
    x->replace_len = (size_t)snprintf(x->replace, sizeof x->replace,
                                      " ON CONFLICT (%s) DO UPDATE SET ", first ? first : "id");
    int m = 0;
    for (char *c = strtok_r(NULL, ", ", &save); c; c = strtok_r(NULL, ", ", &save))
        x->replace_len += (size_t)snprintf(x->replace + x->replace_len,
                                           sizeof x->replace - x->replace_len,
                                           "%s%s = excluded.%s", m++ ? ", " : "", c, c);
    if (m == 0)
        x->replace_len = (size_t)snprintf(x->replace, sizeof x->replace, " ON CONFLICT DO NOTHING");
}

/* INSERT [OR IGNORE | OR REPLACE] INTO: the table's identity noted (for
 * RETURNING id). */
static bool xl_insert(pg_xl *x)
{
    if (!word_at(x->p, x->sql, "INSERT"))
        return false;
    if (strncmp(x->p, "INSERT OR IGNORE INTO ", 22) == 0) {
        x->ignore = true;
        x->p += 22;
    } else if (strncmp(x->p, "INSERT OR REPLACE INTO ", 23) == 0) {
        xl_replace_clause(x, x->p + 23);
        x->p += 23;
    } else if (strncmp(x->p, "INSERT INTO ", 12) == 0) {
        x->p += 12;
    } else {
        return false;
    }
    xl_put(x, "INSERT INTO ");
    x->identity = has_identity(x->p);
    return true;
}

/* SQLite's statement start: its PRAGMAs tune SQLite (nothing to do here). */
static bool xl_start(pg_xl *x)
{
    if (!x->at_start)
        return false;
    if (*x->p == ' ' || *x->p == '\n' || *x->p == '\t') {
        x->out[x->k++] = *x->p++;
        return true;
    }
    x->at_start = false;
    if (!word_at(x->p, x->sql, "PRAGMA"))
        return false;
    while (*x->p && *x->p != ';')
        x->p++;
    if (*x->p == ';')
        x->p++;
    x->at_start = true;
    return true;
}

/* SQLite's SQL as PostgreSQL's: each rewrite above where its text starts,
 * the rest copied; a single INSERT into a table with an identity returns
 * its id.  *nparams is the highest parameter. */
static char *pg_translate(const char *sql, int *nparams, bool *returning_id, bool *used,
                          int *limit_param)
{
    size_t n = strlen(sql);
    pg_xl *x = calloc(1, sizeof *x);
    char *out = malloc(n * 4 + 256); /* "LIKE " (5) becomes 18 bytes */
    if (!x || !out) {
        free(x);
        free(out);
        return NULL;
    }
    *x = (pg_xl){.sql = sql, .p = sql, .out = out, .at_start = true, .used = used,
                 .limit_param = limit_param};
    *returning_id = false;
    while (*x->p) {
        if (xl_start(x) || xl_literal(x) || xl_param(x) || xl_semicolon(x) ||
            xl_swap(x, "LIMIT -1", "LIMIT ALL") || xl_unary_plus(x) || xl_paren(x) ||
            xl_swap(x, "WHERE 1", "WHERE TRUE"))
            continue;
        xl_note_clause(x);
        if (xl_temp(x) || xl_drop_trigger(x) || xl_like(x) || xl_swap(x, "NOT INDEXED", "") ||
            xl_is(x) || xl_indexed_by(x) || xl_swap(x, "AS REAL", "AS DOUBLE PRECISION") ||
            xl_insert(x))
            continue;
        if (word_at(x->p, sql, "RETURNING"))
            x->has_returning = true;
        x->out[x->k++] = *x->p++;
    }
    while (x->k > 0 && (out[x->k - 1] == ' ' || out[x->k - 1] == '\n'))
        x->k--;
    xl_statement_end(x);
    if (x->statements == 0 && x->identity && !x->has_returning) {
        xl_put(x, " RETURNING id");
        *returning_id = true;
    }
    out[x->k] = '\0';
    *nparams = x->maxp;
    free(x);
    return out;
}

/* --- statements ------------------------------------------------------------ */

static int pg_prepare(lb_db *db, const char *sql, lb_stmt **out)
{
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return DB_ERROR;
    bool used[PG_MAX_PARAMS] = {false};
    char *text = pg_translate(sql, &s->nparams, &s->returning_id, used, &s->limit_param);
    if (!text || s->nparams > PG_MAX_PARAMS) {
        free(text);
        free(s);
        return DB_ERROR;
    }
    /* A number the text skips has no type to infer: text.  One whose first
     * use tells no type (?1 IS NULL OR x = ?1) is tried as a bigint, then
     * as text, once per statement (the cache keeps it prepared). */
    Oid types[PG_MAX_PARAMS];
    for (int i = 0; i < s->nparams; i++)
        types[i] = used[i] ? 0 : TEXTOID;
    snprintf(s->name, sizeof s->name, "lb%d", ++PGC(db)->stmt_seq);
    PGresult *r = NULL;
    int guessed = 0;
    for (int tries = 0;; tries++) {
        r = PQprepare(db->h, s->name, text, s->nparams, s->nparams ? types : NULL);
        if (PQresultStatus(r) == PGRES_COMMAND_OK)
            break;
        keep_error(db, r);
        int which = 0;
        const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        if ((strcmp(PGC(db)->state, "42P18") == 0 || strcmp(PGC(db)->state, "42P08") == 0) && m &&
            tries < 2 * PG_MAX_PARAMS &&
            sscanf(m, "could not determine data type of parameter $%d", &which) == 1 &&
            which >= 1 && which <= s->nparams && types[which - 1] == 0) {
            types[which - 1] = INT8OID;
            guessed = which;
            PQclear(r);
            continue;
        }
        if (guessed && types[guessed - 1] == INT8OID &&
            (strcmp(PGC(db)->state, "42883") == 0 || strcmp(PGC(db)->state, "42804") == 0)) {
            types[guessed - 1] = TEXTOID; /* not a number after all */
            PQclear(r);
            continue;
        }
        PQclear(r);
        free(text);
        free(s);
        return DB_ERROR;
    }
    free(text);
    PQclear(r);
    if (s->nparams > 0) {
        s->vals = calloc((size_t)s->nparams, sizeof *s->vals);
        s->owned = calloc((size_t)s->nparams, sizeof *s->owned);
        if (!s->vals || !s->owned) {
            free(s->vals);
            free(s->owned);
            free(s);
            return DB_ERROR;
        }
    }
    s->base.drv = &db_pg_driver;
    s->base.db = db;
    s->row = -1;
    *out = &s->base;
    return DB_OK;
}

static void pg_clear_bindings(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    for (int i = 0; i < s->nparams; i++) {
        if (s->owned[i])
            free(s->vals[i]);
        s->vals[i] = NULL;
        s->owned[i] = false;
    }
}

static void pg_reset(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    PQclear(s->res);
    s->res = NULL;
    s->stepped = false;
    s->row = -1;
    s->nrows = 0;
}

static void pg_finalize(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    pg_reset(st);
    pg_clear_bindings(st);
    free(s->vals);
    free(s->owned);
    if (PQstatus(st->db->h) == CONNECTION_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(st->db->h, sql));
    }
    free(s);
}

static void set_param(lb_stmt *st, int i, char *v, bool owned);

static bool retryable(const char *state)
{
    return strcmp(state, SQLSTATE_SERIALIZATION) == 0 || strcmp(state, SQLSTATE_DEADLOCK) == 0;
}

static int pg_step(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    lb_db *db = st->db;
    if (!s->stepped) {
        int64_t deadline = db_now_ms() + db_busy_timeout_ms();
        s->stepped = true;
        if (s->limit_param > 0 && s->vals[s->limit_param - 1] &&
            s->vals[s->limit_param - 1][0] == '-')
            set_param(st, s->limit_param, NULL, false); /* LIMIT NULL: all rows */
        for (int attempt = 0;; attempt++) {
            s->res = PQexecPrepared(db->h, s->name, s->nparams, (const char *const *)s->vals, NULL,
                                    NULL, 0);
            ExecStatusType t = PQresultStatus(s->res);
            if (t == PGRES_TUPLES_OK || t == PGRES_COMMAND_OK)
                break;
            keep_error(db, s->res);
            PQclear(s->res);
            s->res = NULL;
            /* Outside a transaction a statement is its own: run it again
             * when another program's writes made it fail. */
            if (db->depth == 0 && retryable(PGC(db)->state) && db_now_ms() < deadline) {
                db_backoff(attempt);
                continue;
            }
            return DB_ERROR;
        }
        clear_error(db);
        const char *tuples = PQcmdTuples(s->res);
        PGC(db)->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
        s->nrows = PQresultStatus(s->res) == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
        if (s->returning_id) {
            if (s->nrows > 0)
                PGC(db)->last_id = strtoll(PQgetvalue(s->res, s->nrows - 1, 0), NULL, 10);
            s->nrows = 0; /* the id is the driver's, not a row for the caller */
        }
    }
    if (s->row + 1 < s->nrows) {
        s->row++;
        return DB_ROW;
    }
    s->row = s->nrows;
    return DB_DONE;
}

static bool pg_busy(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    return s->stepped && s->row < s->nrows;
}

static int pg_param_count(lb_stmt *st)
{
    return PGS(st)->nparams;
}

static void set_param(lb_stmt *st, int i, char *v, bool owned)
{
    pg_stmt *s = PGS(st);
    if (i < 1 || i > s->nparams) {
        if (owned)
            free(v);
        return;
    }
    if (s->owned[i - 1])
        free(s->vals[i - 1]);
    s->vals[i - 1] = v;
    s->owned[i - 1] = owned;
}

static void pg_bind_null(lb_stmt *st, int i)
{
    set_param(st, i, NULL, false);
}

static void pg_bind_int64(lb_stmt *st, int i, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    set_param(st, i, strdup(buf), true);
}

static void pg_bind_text(lb_stmt *st, int i, const char *s, int n, int life)
{
    if (!s) {
        set_param(st, i, NULL, false);
    } else if (n < 0 && life == DB_STATIC) {
        set_param(st, i, (char *)s, false);
    } else {
        size_t len = n < 0 ? strlen(s) : strnlen(s, (size_t)n);
        char *copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = '\0';
        }
        set_param(st, i, copy, true);
    }
}

static int pg_col_count(lb_stmt *st)
{
    pg_stmt *s = PGS(st);
    return s->res ? PQnfields(s->res) : 0;
}

static bool have(pg_stmt *s, int i)
{
    return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static int pg_col_type(lb_stmt *st, int i)
{
    pg_stmt *s = PGS(st);
    if (!have(s, i) || PQgetisnull(s->res, s->row, i))
        return DB_NULL;
    return 1;
}

static int64_t pg_col_int64(lb_stmt *st, int i)
{
    pg_stmt *s = PGS(st);
    if (!have(s, i) || PQgetisnull(s->res, s->row, i))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, i);
    if (v[0] == 't' && v[1] == '\0')
        return 1;
    if (v[0] == 'f' && v[1] == '\0')
        return 0;
    return strtoll(v, NULL, 10);
}

static const char *pg_col_text(lb_stmt *st, int i)
{
    pg_stmt *s = PGS(st);
    if (!have(s, i) || PQgetisnull(s->res, s->row, i))
        return NULL;
    if (PQftype(s->res, i) == BOOLOID) /* SQLite's truth is 1 or 0 */
        return PQgetvalue(s->res, s->row, i)[0] == 't' ? "1" : "0";
    return PQgetvalue(s->res, s->row, i);
}

static int pg_col_bytes(lb_stmt *st, int i)
{
    pg_stmt *s = PGS(st);
    if (!have(s, i) || PQgetisnull(s->res, s->row, i))
        return 0;
    if (PQftype(s->res, i) == BOOLOID)
        return 1;
    return PQgetlength(s->res, s->row, i);
}

/* Several statements without parameters (translated as the stores' are). */
static int pg_exec(lb_db *db, const char *sql)
{
    int np = 0;
    bool ret = false;
    char *text = pg_translate(sql, &np, &ret, NULL, NULL);
    if (!text)
        return DB_ERROR;
    PGresult *r = PQexec(db->h, text);
    free(text);
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY) {
        keep_error(db, r);
        PQclear(r);
        return DB_ERROR;
    }
    const char *tuples = PQcmdTuples(r);
    PGC(db)->changes = tuples && *tuples ? strtoll(tuples, NULL, 10) : 0;
    PQclear(r);
    clear_error(db);
    return DB_OK;
}

/* --- COPY FROM STDIN for copy (the text format) ------------------------- */

static int pg_load_begin(lb_db *db, const char *table, char *const *cols, int n)
{
    pg_conn *c = PGC(db);
    char sql[4096];
    size_t k = (size_t)snprintf(sql, sizeof sql, "COPY %s(", table);
    for (int i = 0; i < n && k < sizeof sql; i++) /* names from the schemas, not user text */
        k += (size_t)snprintf(sql + k, sizeof sql - k, "%s%s", i ? ", " : "", cols[i]);
    if (k + 16 >= sizeof sql)
        return DB_ERROR;
    snprintf(sql + k, sizeof sql - k, ") FROM STDIN");
    PGresult *r = PQexec(db->h, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        keep_error(db, r);
        PQclear(r);
        return DB_ERROR;
    }
    PQclear(r);
    c->load_len = 0;
    c->load_failed = false;
    return DB_OK;
}

static bool load_send(lb_db *db)
{
    pg_conn *c = PGC(db);
    if (c->load_len && PQputCopyData(db->h, c->load, (int)c->load_len) != 1)
        c->load_failed = true;
    c->load_len = 0;
    return !c->load_failed;
}

/* One row: tab between values, \N for NULL, backslash, tab, newline and
 * CR as COPY's escapes. */
static int pg_load_row(lb_db *db, const char *const *vals, const int *lens, int n)
{
    pg_conn *c = PGC(db);
    size_t need = 2;
    for (int i = 0; i < n; i++)
        need += (vals[i] ? 2 * (size_t)lens[i] : 2) + 1;
    if (c->load_len + need > c->load_cap) {
        if (c->load_len && !load_send(db))
            return DB_ERROR;
        if (need > c->load_cap) {
            size_t cap = need > 65536 ? need : 65536;
            char *p = realloc(c->load, cap);
            if (!p)
                return DB_ERROR;
            c->load = p;
            c->load_cap = cap;
        }
    }
    char *o = c->load + c->load_len;
    for (int i = 0; i < n; i++) {
        if (i)
            *o++ = '\t';
        if (!vals[i]) {
            *o++ = '\\', *o++ = 'N';
            continue;
        }
        for (int j = 0; j < lens[i]; j++) {
            char ch = vals[i][j];
            switch (ch) {
            case '\\': *o++ = '\\', *o++ = '\\'; break;
            case '\t': *o++ = '\\', *o++ = 't'; break;
            case '\n': *o++ = '\\', *o++ = 'n'; break;
            case '\r': *o++ = '\\', *o++ = 'r'; break;
            default: *o++ = ch;
            }
        }
    }
    *o++ = '\n';
    c->load_len = (size_t)(o - c->load);
    return DB_OK;
}

static int pg_load_end(lb_db *db)
{
    pg_conn *c = PGC(db);
    bool ok = load_send(db);
    if (PQputCopyEnd(db->h, ok ? NULL : "the copy stopped") != 1)
        ok = false;
    PGresult *r;
    while ((r = PQgetResult(db->h)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            keep_error(db, r);
            ok = false;
        }
        PQclear(r);
    }
    free(c->load);
    c->load = NULL;
    c->load_cap = c->load_len = 0;
    return ok ? DB_OK : DB_ERROR;
}

static int64_t pg_last_id(lb_db *db)
{
    return PGC(db)->last_id;
}

static int64_t pg_changes(lb_db *db)
{
    return PGC(db)->changes;
}

/* --- errors -------------------------------------------------------------- */

static lb_status pg_fail(lb_db *db, lb_err *err, const char *what)
{
    pg_conn *c = PGC(db);
    const char *s = c->state;
    if (c->broken || PQstatus(db->h) != CONNECTION_OK)
        return lb_fail(err, LB_EDB,
                       "lost the connection to the PostgreSQL server while %s (%s); nothing "
                       "more was saved, try again",
                       what, c->msg[0] ? c->msg : "connection closed");
    if (retryable(s) || strcmp(s, SQLSTATE_LOCK_TIMEOUT) == 0)
        return lb_fail(err, LB_EDB,
                       "the database is busy (another process held it for over %.1f s) while "
                       "%s; try again",
                       db_busy_timeout_ms() / 1000.0, what);
    if (strcmp(s, "53100") == 0)
        return lb_fail(err, LB_EDB, "the server's disk is full while %s; free some space", what);
    if (strcmp(s, "42501") == 0)
        return lb_fail(err, LB_EDB,
                       "the server refused %s (%s); ask for the privileges on the board's "
                       "database",
                       what, c->msg);
    if (strcmp(s, "25006") == 0)
        return lb_fail(err, LB_EDB,
                       "%s is read-only, so %s is not possible; ask for write access to it",
                       db->path, what);
    if (strcmp(s, SQLSTATE_QUERY_CANCELED) == 0)
        return lb_fail(err, LB_EDB, "interrupted while %s", what);
    return lb_fail(err, LB_EDB, "database error while %s: %s", what,
                   c->msg[0] ? c->msg : "unknown error");
}

/* --- connection ------------------------------------------------------------ */

static PGresult *run(lb_db *db, const char *sql)
{
    PGresult *r = PQexec(db->h, sql);
    ExecStatusType t = PQresultStatus(r);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK && t != PGRES_EMPTY_QUERY) {
        keep_error(db, r);
        PQclear(r);
        return NULL;
    }
    return r;
}

static lb_status run_ok(lb_db *db, const char *sql, lb_err *err, const char *what)
{
    PGresult *r = run(db, sql);
    if (!r)
        return pg_fail(db, err, what);
    PQclear(r);
    return LB_OK;
}

/* One number from a query without parameters; -1 when it fails. */
static int64_t run_int(lb_db *db, const char *sql)
{
    PGresult *r = run(db, sql);
    if (!r)
        return -1;
    int64_t v =
        PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    if (PQntuples(r) > 0 && strcmp(PQgetvalue(r, 0, 0), "t") == 0)
        v = 1;
    PQclear(r);
    return v;
}

static void pg_close(lb_db *db)
{
    pg_conn *c = PGC(db);
    if (c) {
        PQfreeCancel(c->cancel);
        free(c->load);
    }
    if (db->h)
        PQfinish(db->h);
    db->h = NULL;
    free(c);
    db->priv = NULL;
}

/* libpq's notices (NOTICE, WARNING) are not for the terminal. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static int pg_schema_version(lb_db *db)
{
    if (run_int(db, "SELECT to_regclass('schema_migrations') IS NOT NULL") != 1)
        return 0;
    return (int)run_int(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
}

static lb_status pg_apply(lb_db *db, const struct db_migration *m, lb_err *err)
{
    lb_status st = run_ok(db, m->sql, err, "creating the schema");
    if (st != LB_OK)
        return st;
    const char *vals[2];
    char num[16];
    snprintf(num, sizeof num, "%d", m->version);
    vals[0] = num;
    vals[1] = m->name;
    PGresult *r = PQexecParams(db->h,
                               "INSERT INTO schema_migrations(version, name, applied_at) "
                               "VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', "
                               "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                               2, NULL, vals, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        keep_error(db, r);
        PQclear(r);
        return pg_fail(db, err, "recording the schema version");
    }
    PQclear(r);
    return LB_OK;
}

/* The guards on PostgreSQL: the SQLite ones, and TRUNCATE of the audit
 * log, which row triggers do not see. */
/* The guards on PostgreSQL: every engine's (db_guard_names), and TRUNCATE
 * of the audit log, which row triggers do not see. */
static const char *pg_guards[96];

static void pg_guards_init(void)
{
    if (pg_guards[0])
        return;
    int n = 0;
    for (int i = 0; db_guard_names[i] && n < 94; i++)
        pg_guards[n++] = db_guard_names[i];
    pg_guards[n++] = "events_no_truncate";
    pg_guards[n] = NULL;
}

static lb_status pg_has_trigger(lb_db *db, const char *name, bool *yes, lb_err *err)
{
    /* enabled ('O'): a disabled trigger guards nothing */
    lb_stmt *st = db_stmt(db,
                          "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                          "WHERE t.tgname = ?1 AND t.tgenabled = 'O' "
                          "AND c.relnamespace = current_schema()::regnamespace",
                          err);
    if (!st)
        return LB_EDB;
    db_bind_str(st, 1, name, -1, DB_STATIC);
    return db_int64(db, st, yes, NULL, err, "checking the schema");
}

static lb_status pg_begin(lb_db *db, lb_err *err)
{
    int64_t deadline = db_now_ms() + db_busy_timeout_ms();
    for (int attempt = 0;; attempt++) {
        int64_t left = deadline - db_now_ms();
        char sql[256];
        snprintf(sql, sizeof sql,
                 "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = %lld; "
                 "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
                 (long long)(left > 1 ? left : 1));
        PGresult *r = run(db, sql);
        if (r) {
            PQclear(r);
            /* statements inside wait for row locks no longer than this */
            return LB_OK;
        }
        PQclear(PQexec(db->h, "ROLLBACK"));
        if (!retryable(PGC(db)->state) || db_now_ms() >= deadline)
            return pg_fail(db, err, "starting a write");
        db_backoff(attempt);
    }
}

static lb_status pg_commit(lb_db *db, lb_err *err)
{
    PGresult *r = run(db, "NOTIFY " PG_CHANNEL "; COMMIT");
    if (!r) {
        lb_status st = pg_fail(db, err, "saving the change");
        PQclear(PQexec(db->h, "ROLLBACK"));
        return st;
    }
    PQclear(r);
    return LB_OK;
}

static void pg_rollback(lb_db *db)
{
    PQclear(PQexec(db->h, "ROLLBACK"));
}

static void pg_interrupt(lb_db *db)
{
    char buf[256];
    if (PGC(db)->cancel)
        PQcancel(PGC(db)->cancel, buf, sizeof buf);
}

static int64_t pg_data_version(lb_db *db)
{
    pg_conn *c = PGC(db);
    if (PQconsumeInput(db->h)) {
        PGnotify *n;
        int self = PQbackendPID(db->h);
        while ((n = PQnotifies(db->h)) != NULL) {
            if (n->be_pid != self)
                c->notices++;
            PQfreemem(n);
        }
    }
    return c->notices;
}

static const char *pg_version(void)
{
    static char buf[32];
    int v = PQlibVersion();
    snprintf(buf, sizeof buf, "libpq %d.%d", v / 10000, v % 100);
    return buf;
}

/* Bulk writes set the count triggers aside, as on SQLite: one row of
 * stage_counts updated a million times in one transaction grows a chain of
 * versions each update walks.  ALTER TABLE ... DISABLE TRIGGER inside the
 * transaction (a rollback puts them back) locks out other writers, who
 * wait for the board's write lock anyway, never readers.  bulk_end
 * recounts once, puts them back and moves each identity past the ids
 * written explicitly (demo, copy). */
/* The triggers a bulk write sets aside: the same names as on SQLite
 * (db_sqlite.c sq_bulk_begin), the reports' totals too when bulk_all. */
static lb_status bulk_triggers(lb_db *db, const char *on, lb_err *err, const char *what)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "DO $$ DECLARE r record; BEGIN FOR r IN SELECT g.tgname, c.relname FROM pg_trigger g "
             "JOIN pg_class c ON c.oid = g.tgrelid WHERE c.relnamespace = "
             "current_schema()::regnamespace AND NOT g.tgisinternal AND ("
             "(c.relname = 'leads' AND g.tgname LIKE 'stage\\_counts\\_%%') "
             "OR (c.relname = 'ratings' AND g.tgname LIKE 'feedback\\_counts\\_%%') "
             "OR (%s AND (g.tgname LIKE 'lead\\_sums\\_%%' OR g.tgname LIKE 'handoffs\\_%%' "
             "OR g.tgname LIKE 'handoff\\_sums\\_%%' OR g.tgname LIKE 'touch\\_minutes\\_%%' "
             "OR g.tgname LIKE 'leads\\_flag\\_%%' OR g.tgname LIKE 'lead\\_flag\\_sums\\_%%')) "
             "OR g.tgname IN ('lead_sums_insert', 'leads_flag_insert', 'handoffs_handoff', "
             "'handoffs_accept')) LOOP EXECUTE format('ALTER TABLE %%I %s TRIGGER %%I', "
             "r.relname, r.tgname); END LOOP; END $$",
             db->bulk_all ? "TRUE" : "FALSE", on);
    return run_ok(db, sql, err, what);
}

static lb_status pg_bulk_begin(lb_db *db, char **saved, lb_err *err)
{
    *saved = strdup("bulk");
    if (!*saved)
        return lb_fail(err, LB_EDB, "out of memory");
    return bulk_triggers(db, "DISABLE", err, "preparing a bulk write");
}

/* Every identity past the highest id its table holds. */
static lb_status pg_sync_ids(lb_db *db, lb_err *err)
{
    return run_ok(db,
                  "SELECT setval(pg_get_serial_sequence(t, 'id'), "
                  "coalesce(lb_max_id(t), 0) + 1, false) FROM unnest(ARRAY['users', "
                  "'campaigns', 'leads', 'followups', 'ratings', 'comments', 'events', "
                  "'assets', 'changes']) AS t",
                  err, "numbering the rows");
}

static lb_status pg_bulk_end(lb_db *db, char *saved, lb_err *err)
{
    lb_status s = LB_OK;
    if (saved) {
        s = run_ok(db, db->bulk_all ? db_recount_all_sql : db_recount_sql, err,
                   "counting the leads");
        if (s == LB_OK)
            s = bulk_triggers(db, "ENABLE", err, "finishing a bulk write");
        if (s == LB_OK)
            s = pg_sync_ids(db, err);
    }
    free(saved);
    return s;
}

static lb_status pg_backup(lb_db *db, const char *dest, lb_err *err)
{
    return db_snapshot(db, dest, err);
}

static lb_status pg_snapshot_begin(lb_db *db, lb_err *err)
{
    return run_ok(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err, "reading the board");
}

static void pg_snapshot_end(lb_db *db)
{
    PQclear(PQexec(db->h, "COMMIT"));
}

/* Every table's own triggers off (or on) inside the transaction. */
#define PG_ALL_TRIGGERS(on)                                                                        \
    "DO $$ DECLARE r record; BEGIN FOR r IN SELECT relname FROM pg_class WHERE relnamespace = "    \
    "current_schema()::regnamespace AND relkind = 'r' LOOP EXECUTE format('ALTER TABLE %I " on     \
    " TRIGGER USER', r.relname); END LOOP; END $$"

static lb_status pg_triggers_off(lb_db *db, char **saved, lb_err *err)
{
    *saved = NULL;
    return run_ok(db, PG_ALL_TRIGGERS("DISABLE"), err, "preparing the copy");
}

static lb_status pg_triggers_on(lb_db *db, char *saved, lb_err *err)
{
    free(saved);
    lb_status s = run_ok(db, PG_ALL_TRIGGERS("ENABLE"), err, "finishing the copy");
    return s == LB_OK ? pg_sync_ids(db, err) : s;
}

/* A URL for messages: libpq's own parse, without any password. */
static lb_status check_url(const char *url, lb_err *err)
{
    char *msg = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &msg);
    if (!opts) {
        lb_status st = lb_fail(err, LB_EUSAGE, "%s is not a valid PostgreSQL URL: %s", "--db",
                               msg ? msg : "cannot parse it");
        PQfreemem(msg);
        return st;
    }
    bool password = false;
    for (PQconninfoOption *o = opts; o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
            password = true;
    PQconninfoFree(opts);
    if (password)
        return lb_fail(err, LB_EUSAGE,
                       "the --db URL holds a password, which others can read; remove it and "
                       "use ~/.pgpass, PGPASSWORD or PGSERVICE");
    return LB_OK;
}

static lb_status pg_open(const char *url, int upto, bool write, lb_db **out, lb_err *err)
{
    lb_status st = check_url(url, err);
    if (st != LB_OK)
        return st;
    pg_guards_init();
    lb_db *db = db_new(&db_pg_driver, url);
    pg_conn *c = calloc(1, sizeof *c);
    if (!db || !c) {
        free(db);
        free(c);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    db->priv = c;
    /* a server that does not answer is a clear error, not a hang; the
     * URL's own settings come after these and win */
    const char *keys[4] = {"application_name", NULL, NULL, NULL};
    const char *vals[4] = {"leadboard", NULL, NULL, NULL};
    int k = 1;
    if (!getenv("PGCONNECT_TIMEOUT")) {
        keys[k] = "connect_timeout";
        vals[k++] = "10";
    }
    keys[k] = "dbname";
    vals[k] = url;
    db->h = PQconnectdbParams(keys, vals, 1);
    if (!db->h || PQstatus(db->h) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", db->h ? PQerrorMessage(db->h) : "out of memory");
        char *nl = strchr(msg, '\n');
        if (nl)
            *nl = '\0';
        bool missing = strstr(msg, "does not exist") && strstr(msg, "database");
        if (missing && !write)
            st = lb_fail(err, LB_ENOTFOUND,
                         "there is no database at %s; check --db, or have it created (createdb) "
                         "and run 'leadboard init'",
                         url);
        else if (missing)
            st = lb_fail(err, LB_EDB,
                         "there is no database at %s; have it created for your role (createdb "
                         "-O ROLE NAME), then run 'leadboard init'",
                         url);
        else
            st =
                lb_fail(err, LB_EDB, "cannot connect to the PostgreSQL server of %s: %s", url, msg);
        db_close(db);
        return st;
    }
    PQsetNoticeProcessor(db->h, quiet, NULL);
    c->cancel = PQgetCancel(db->h);
    char setup[256];
    snprintf(setup, sizeof setup,
             "SET client_min_messages = warning; SET lock_timeout = %d; "
             "SET idle_in_transaction_session_timeout = 0; SET TIME ZONE 'UTC'",
             db_busy_timeout_ms());
    st = run_ok(db, setup, err, "opening");

    /* Look before touching anything: a database with tables but no
     * leadboard history is someone else's. */
    int64_t ours =
        st == LB_OK ? run_int(db, "SELECT to_regclass('schema_migrations') IS NOT NULL") : -1;
    int64_t tables =
        st == LB_OK ? run_int(db, "SELECT count(*) FROM pg_class WHERE relkind IN ('r', 'p', 'v', "
                                  "'m', 'f') AND relnamespace = current_schema()::regnamespace")
                    : -1;
    if (st == LB_OK && (ours < 0 || tables < 0))
        st = pg_fail(db, err, "opening");
    int version = st == LB_OK && ours == 1 ? pg_schema_version(db) : 0;
    if (st == LB_OK && version < 0)
        st = pg_fail(db, err, "opening");
    if (st == LB_OK && ours != 1 && tables > 0)
        st = lb_fail(err, LB_EDB,
                     "%s holds tables but no leadboard board; refusing to change it (check "
                     "--db, or use an empty database)",
                     url);
    else if (st == LB_OK && version > db_latest_version())
        st = lb_fail(err, LB_EDB,
                     "%s was written by a newer leadboard (schema %d; this one knows up to %d); "
                     "upgrade leadboard to use it",
                     url, version, db_latest_version());
    else if (st == LB_OK && !write && version == 0)
        st = lb_fail(err, LB_ENOTFOUND, "%s holds no board yet; create it with 'leadboard init'",
                     url);
    if (st == LB_OK && version < upto)
        st = db_migrate(db, upto, err);
    if (st == LB_OK)
        st = run_ok(db, "LISTEN " PG_CHANNEL, err, "opening");
    if (st != LB_OK) {
        db_close(db);
        return st;
    }
    *out = db;
    return LB_OK;
}

const struct db_driver db_pg_driver = {
    .name = "postgresql",
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .step = pg_step,
    .reset = pg_reset,
    .clear_bindings = pg_clear_bindings,
    .busy = pg_busy,
    .param_count = pg_param_count,
    .bind_null = pg_bind_null,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .col_count = pg_col_count,
    .col_type = pg_col_type,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_bytes = pg_col_bytes,
    .exec = pg_exec,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .open = pg_open,
    .close = pg_close,
    .fail = pg_fail,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .migrations = db_pg_migrations,
    .migration_count = &db_pg_migration_count,
    .schema_version = pg_schema_version,
    .apply = pg_apply,
    .has_trigger = pg_has_trigger,
    .guard_end = ";\n",
    .guards = pg_guards,
    .load_begin = pg_load_begin,
    .load_row = pg_load_row,
    .load_end = pg_load_end,
    .bulk_begin = pg_bulk_begin,
    .bulk_end = pg_bulk_end,
    .backup = pg_backup,
    .data_version = pg_data_version,
    .interrupt = pg_interrupt,
    .snapshot_begin = pg_snapshot_begin,
    .snapshot_end = pg_snapshot_end,
    .triggers_off = pg_triggers_off,
    .triggers_on = pg_triggers_on,
    .version = pg_version,
};
