#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

lb_status followup_insert(lb_db *db, int64_t lead_id, int64_t user_id, lb_kind kind,
                          lb_outcome outcome, const char *note, const char *next_step,
                          const char *due_at, const char *at, int64_t *id, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO followups(lead_id, user_id, kind, outcome, note, "
                               "next_step, due_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                               "?7, ?8)",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, lead_id);
    db_bind_int64(st, 2, user_id);
    bind_text(st, 3, vocab_name(&lb_kinds, (int)kind));
    bind_text(st, 4, vocab_name(&lb_outcomes, (int)outcome));
    bind_text(st, 5, note ? note : "");
    bind_text(st, 6, next_step ? next_step : "");
    bind_opt(st, 7, due_at);
    bind_text(st, 8, at);
    lb_status s = db_step_done(db, st, err, "logging a follow-up");
    if (s == LB_OK && id)
        *id = db_last_id(db);
    return s;
}

lb_status rating_insert(lb_db *db, int64_t lead_id, int64_t user_id, int stars,
                        const char *reasons, const char *comment, const char *at, int64_t *id,
                        lb_err *err)
{
    return feedback_insert(db, lead_id, user_id, false, stars, reasons, comment, at, id, err);
}

lb_status feedback_insert(lb_db *db, int64_t lead_id, int64_t user_id, bool rejection, int stars,
                          const char *reasons, const char *comment, const char *at, int64_t *id,
                          lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO ratings(lead_id, user_id, kind, stars, reasons, comment, "
                               "created_at) VALUES (?1, ?2, ?7, ?3, ?4, ?5, ?6)",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, lead_id);
    db_bind_int64(st, 2, user_id);
    if (stars)
        db_bind_int(st, 3, stars);
    else
        db_bind_null(st, 3);
    bind_text(st, 4, reasons ? reasons : "");
    bind_text(st, 5, comment ? comment : "");
    bind_text(st, 6, at);
    db_bind_str(st, 7, rejection ? "rejection" : "rating", -1, DB_STATIC);
    lb_status s = db_step_done(db, st, err, rejection ? "recording a rejection" : "rating a lead");
    if (s == LB_OK && id)
        *id = db_last_id(db);
    return s;
}

lb_status feedback_unseen_replies(lb_db *db, int64_t user_id, int64_t *n, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT count(*) FROM ratings WHERE user_id = ?1 AND reply <> '' "
                               "AND undone_at IS NULL "
                               "AND reviewed_at IS NOT NULL AND (reply_seen_at IS NULL OR "
                               "reply_seen_at < reviewed_at)",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    bool yes = false;
    *n = 0;
    return db_int64(db, st, &yes, n, err, "counting replies");
}

/* The id of the campaign named name (0 for none); a name that is no
 * campaign is refused as campaign_get refuses it. */
static lb_status campaign_id_of(lb_db *db, const char *name, int64_t *id, lb_err *err)
{
    lb_campaign c;
    *id = 0;
    if (!name)
        return LB_OK;
    lb_status s = campaign_get(db, name, &c, err);
    if (s == LB_OK)
        *id = c.id;
    return s;
}

lb_status feedback_counts_user(lb_db *db, int64_t user_id, const char *campaign, int64_t *total,
                               int64_t *unreviewed, lb_err *err)
{
    int64_t campaign_id;
    lb_status s = campaign_id_of(db, campaign, &campaign_id, err);
    if (s != LB_OK)
        return s;
    lb_stmt *st = db_stmt(db,
                               "SELECT count(*), count(*) FILTER (WHERE r.reviewed_at IS NULL) "
                               "FROM ratings r JOIN leads l ON l.id = r.lead_id "
                               "WHERE r.user_id = ?1 AND (?2 IS NULL OR l.campaign_id = ?2) "
                               "AND r.undone_at IS NULL",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    bind_id(st, 2, campaign_id);
    int64_t v[2] = {0, 0};
    s = db_int64s(db, st, v, 2, err, "counting feedback");
    *total = v[0];
    *unreviewed = v[1];
    return s;
}

lb_status feedback_mark_seen(lb_db *db, int64_t user_id, const char *at, int64_t *n, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "UPDATE ratings SET reply_seen_at = ?2 WHERE user_id = ?1 AND "
                               "reply <> '' AND reviewed_at IS NOT NULL AND (reply_seen_at IS "
                               "NULL OR reply_seen_at < reviewed_at)",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    bind_text(st, 2, at);
    lb_status s = db_step_done(db, st, err, "marking replies seen");
    if (s == LB_OK && n)
        *n = db_changes(db);
    return s;
}

#define RATING_SELECT                                                                              \
    "SELECT r.id, r.lead_id, l.name, c.name, u.login, r.stars, r.reasons, r.comment, "           \
    "r.created_at, rv.login, r.reviewed_at, r.reply, r.kind = 'rejection', "                      \
    "r.reply <> '' AND r.reviewed_at IS NOT NULL AND "                                            \
    "(r.reply_seen_at IS NULL OR r.reply_seen_at < r.reviewed_at) FROM ratings r "               \
    "JOIN leads l ON l.id = r.lead_id LEFT JOIN campaigns c ON c.id = l.campaign_id "             \
    "LEFT JOIN users u ON u.id = r.user_id LEFT JOIN users rv ON rv.id = r.reviewed_by "

static void rating_row(lb_stmt *st, void *out)
{
    lb_rating *r = out;
    r->id = db_col_int64(st, 0);
    r->lead_id = db_col_int64(st, 1);
    col_copy(st, 2, r->lead_name, sizeof r->lead_name);
    col_copy(st, 3, r->campaign, sizeof r->campaign);
    col_copy(st, 4, r->user, sizeof r->user);
    r->stars = db_col_int(st, 5);
    col_copy(st, 6, r->reasons, sizeof r->reasons);
    col_copy(st, 7, r->comment, sizeof r->comment);
    col_copy(st, 8, r->created_at, sizeof r->created_at);
    col_copy(st, 9, r->reviewed_by, sizeof r->reviewed_by);
    col_copy(st, 10, r->reviewed_at, sizeof r->reviewed_at);
    col_copy(st, 11, r->reply, sizeof r->reply);
    r->rejection = db_col_int(st, 12) != 0;
    r->reply_unseen = db_col_int(st, 13) != 0;
}

lb_status rating_get(lb_db *db, int64_t id, lb_rating *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, RATING_SELECT "WHERE r.id = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, id);
    lb_status s = db_one(db, st, rating_row, out, err, "reading feedback");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no feedback %lld; see 'leadboard feedback list'",
                    (long long)id);
    return s;
}

lb_status rating_review(lb_db *db, int64_t id, int64_t reviewer_id, const char *at,
                        const char *reply, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "UPDATE ratings SET reviewed_by = ?2, reviewed_at = ?3, "
                               "reply = coalesce(?4, reply) WHERE id = ?1",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, reviewer_id);
    bind_text(st, 3, at);
    bind_text(st, 4, reply);
    return db_step_done(db, st, err, "reviewing feedback");
}

/* Hands each rating st returns to fn, counting them in *n; *stop when fn
 * asked to stop. */
static lb_status rating_rows(lb_db *db, lb_stmt *st, lb_rating_fn fn, void *ud, int64_t *n,
                             bool *stop, lb_err *err)
{
    lb_rating *r = malloc(sizeof *r);
    if (!r) {
        db_reset(st);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        rating_row(st, r);
        (*n)++;
        if (fn(r, ud)) {
            *stop = true;
            break;
        }
    }
    free(r);
    return db_loop_end(db, st, rc, err, "listing feedback");
}

/* One part of the inbox, newest first: the unreviewed ratings (read off
 * ratings_unreviewed in id order) or the reviewed ones (off the table's
 * own order); either way no sort of every rating. */
static lb_status rating_part(lb_db *db, bool reviewed, int64_t campaign_id, int64_t limit,
                             int64_t offset, lb_rating_fn fn, void *ud, int64_t *n, bool *stop,
                             lb_err *err)
{
    lb_stmt *st =
        reviewed ? db_stmt(db,
                           RATING_SELECT "WHERE r.reviewed_at IS NOT NULL AND r.undone_at IS NULL "
                                         "AND (?1 IS NULL OR l.campaign_id = ?1) "
                                         "ORDER BY r.id DESC LIMIT ?2 OFFSET ?3",
                           err)
                 : db_stmt(db,
                           RATING_SELECT "WHERE r.reviewed_at IS NULL AND r.undone_at IS NULL "
                                         "AND (?1 IS NULL OR l.campaign_id = ?1) "
                                         "ORDER BY r.id DESC LIMIT ?2 OFFSET ?3",
                           err);
    if (!st)
        return LB_EDB;
    bind_id(st, 1, campaign_id);
    db_bind_int64(st, 2, limit);
    db_bind_int64(st, 3, offset);
    return rating_rows(db, st, fn, ud, n, stop, err);
}

static lb_status rating_mine(lb_db *db, const lb_feedback_filter *f, int64_t campaign_id,
                             int64_t limit, int64_t offset, lb_rating_fn fn, void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               /* a rep's own: marketing's replies first, the latest
                                * at the top (an order that stays put while the view
                                * marks them seen), then the rest newest first */
                               RATING_SELECT "WHERE r.user_id = ?4 AND r.undone_at IS NULL "
                                             "AND (?1 IS NULL OR l.campaign_id = ?1) "
                                             "AND (?5 = 0 OR r.reviewed_at IS NULL) "
                                             "ORDER BY coalesce(CASE WHEN r.reply <> '' THEN "
                                             "r.reviewed_at END, '') DESC, r.id DESC "
                                             "LIMIT ?2 OFFSET ?3",
                               err);
    if (!st)
        return LB_EDB;
    bind_id(st, 1, campaign_id);
    db_bind_int64(st, 2, limit);
    db_bind_int64(st, 3, offset);
    db_bind_int64(st, 4, f->user_id);
    db_bind_int(st, 5, f->unreviewed_only);
    int64_t n = 0;
    bool stop = false;
    return rating_rows(db, st, fn, ud, &n, &stop, err);
}

lb_status rating_each(lb_db *db, const lb_feedback_filter *f, lb_rating_fn fn, void *ud,
                      lb_err *err)
{
    int64_t campaign_id = 0, total = 0, unreviewed = 0, n = 0;
    bool stop = false;
    lb_status s = campaign_id_of(db, f->campaign, &campaign_id, err);
    if (s != LB_OK)
        return s;
    if ((s = rating_counts(db, f->campaign, &total, &unreviewed, err)) != LB_OK)
        return s;
    int64_t limit = f->limit > 0 ? f->limit : INT64_MAX, offset = f->offset > 0 ? f->offset : 0;
    if (f->user_id) /* a rep's own feedback, newest first */
        return rating_mine(db, f, campaign_id, limit, offset, fn, ud, err);
    if (offset < unreviewed) {
        s = rating_part(db, false, campaign_id, limit, offset, fn, ud, &n, &stop, err);
        if (s != LB_OK || stop)
            return s;
    }
    if (f->unreviewed_only || n >= limit)
        return LB_OK;
    int64_t skip = offset > unreviewed ? offset - unreviewed : 0;
    return rating_part(db, true, campaign_id, limit - n, skip, fn, ud, &n, &stop, err);
}

lb_status comment_insert(lb_db *db, int64_t lead_id, int64_t user_id, const char *body,
                         const char *at, int64_t *id, lb_err *err)
{
    lb_stmt *st = db_stmt(
        db, "INSERT INTO comments(lead_id, user_id, body, created_at) VALUES (?1, ?2, ?3, ?4)",
        err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, lead_id);
    db_bind_int64(st, 2, user_id);
    bind_text(st, 3, body);
    bind_text(st, 4, at);
    lb_status s = db_step_done(db, st, err, "adding a comment");
    if (s == LB_OK && id)
        *id = db_last_id(db);
    return s;
}

/* Appends printf-style text to an entry's detail. */
static void add(lb_timeline_entry *e, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(e->detail);
    if (used < sizeof e->detail)
        snprintf(e->detail + used, sizeof e->detail - used, fmt, a, b);
}

static const char *col(lb_stmt *st, int i)
{
    const char *t = db_col_text(st, i);
    return t ? (const char *)t : "";
}

/* Every change to a lead is an event, in the order it happened; follow-ups,
 * ratings and comments add their own details to theirs. */
lb_status timeline_each(lb_db *db, int64_t lead_id, lb_timeline_fn fn, void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(
        db,
        "SELECT e.at, e.action, coalesce(u.login, e.os_login), e.field, e.old_value, "
        "e.new_value, e.note, f.kind, f.outcome, f.note, f.next_step, f.due_at, r.stars, "
        "r.reasons, r.comment, c.body, coalesce(f.undone_at, r.undone_at, c.undone_at, ''), "
        "(SELECT group_concat(n, ', ') FROM (SELECT a.name AS n FROM asset_uses x "
        "JOIN assets a ON a.id = x.asset_id WHERE f.id IS NOT NULL AND x.followup_id = f.id "
        "ORDER BY x.asset_id) q) "
        "FROM events e LEFT JOIN users u ON u.id = e.actor_id "
        "LEFT JOIN followups f ON e.entity = 'followup' AND f.id = e.entity_id "
        "LEFT JOIN ratings r ON e.entity = 'rating' AND e.action = 'rate' AND r.id = e.entity_id "
        "LEFT JOIN comments c ON e.entity = 'comment' AND c.id = e.entity_id "
        "WHERE e.lead_id = ?1 ORDER BY e.id",
        err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, lead_id);
    lb_timeline_entry *e = malloc(sizeof *e);
    if (!e)
        return lb_fail(err, LB_EDB, "out of memory");
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *action = col(st, 1), *field = col(st, 3), *old = col(st, 4),
                   *new = col(st, 5), *note = col(st, 6);
        if (!strcmp(action, "use"))
            continue; /* the follow-up's own entry names the assets */
        col_copy(st, 0, e->at, sizeof e->at);
        snprintf(e->type, sizeof e->type, "%s", action);
        col_copy(st, 2, e->user, sizeof e->user);
        e->detail[0] = '\0';
        if (!strcmp(action, "create")) {
            add(e, "created%s%s", "", "");
        } else if (!strcmp(action, "edit")) {
            add(e, "%s: '%s'", field, old);
            add(e, " -> '%s'%s", new, "");
        } else if (!strcmp(action, "handoff")) {
            add(e, "handed off to %s%s", new, "");
        } else if (!strcmp(action, "accept")) {
            add(e, "accepted%s%s", "", "");
        } else if (!strcmp(action, "reject")) {
            add(e, "rejected (was %s)%s", old, "");
        } else if (!strcmp(action, "move")) {
            add(e, "moved %s -> %s", old, new);
        } else if (!strcmp(action, "value")) {
            add(e, "value %s -> %s", *old ? old : "none", new);
        } else if (!strcmp(action, "log")) {
            add(e, "%s, %s", col(st, 7), col(st, 8));
            if (*col(st, 9))
                add(e, ": %s%s", col(st, 9), "");
            if (*col(st, 10))
                add(e, "; next: %s%s", col(st, 10), "");
            if (*col(st, 11)) { /* in the reader's time zone, as every time shown */
                lb_time due;
                char shown[LB_TIME_BUF + 16];
                if (time_parse(col(st, 11), &due, NULL) == LB_OK)
                    time_format_human(due, shown, sizeof shown);
                else
                    snprintf(shown, sizeof shown, "%s", col(st, 11));
                add(e, "; due %s%s", shown, "");
            }
            if (*col(st, 17))
                add(e, "; used %s%s", col(st, 17), "");
        } else if (!strcmp(action, "rate")) {
            add(e, "rated %s/5%s", col(st, 12), "");
            if (*col(st, 13))
                add(e, " [%s]%s", col(st, 13), "");
            if (*col(st, 14))
                add(e, ": %s%s", col(st, 14), "");
        } else if (!strcmp(action, "review")) {
            add(e, "feedback reviewed%s%s", *new ? "; reply: " : "", new);
        } else if (!strcmp(action, "comment")) {
            add(e, "%s%s", col(st, 15), "");
        } else if (!strcmp(action, "revisit")) { /* a local date, as it was given */
            lb_time when;
            char day[16];
            if (*new && time_parse(new, &when, NULL) == LB_OK) {
                time_format_local_date(when, day, sizeof day);
                add(e, "to revisit on %s%s", day, "");
            } else {
                add(e, "%s%s", *new ? new : "revisit date cleared", "");
            }
        } else if (!strcmp(action, "undo")) {
            add(e, "undid the %s%s", note, "");
            note = "";
        } else {
            add(e, "%s %s", action, field);
        }
        if (*col(st, 16))
            add(e, " [undone]%s%s", "", "");
        if (*note)
            add(e, " (%s)%s", note, "");
        if (fn(e, ud))
            break;
    }
    free(e);
    return db_loop_end(db, st, rc, err, "reading a timeline");
}

lb_status rating_counts(lb_db *db, const char *campaign, int64_t *total, int64_t *unreviewed,
                        lb_err *err)
{
    int64_t campaign_id;
    lb_status s = campaign_id_of(db, campaign, &campaign_id, err);
    if (s != LB_OK)
        return s;
    /* Without a campaign, the ratings' smallest index and the running
     * count of the unreviewed (migration 7) answer. */
    lb_stmt *st =
        campaign_id ? db_stmt(db,
                              "SELECT count(*), count(*) FILTER (WHERE r.reviewed_at IS NULL) "
                              "FROM ratings r JOIN leads l ON l.id = r.lead_id "
                              "WHERE l.campaign_id = ?1 AND r.undone_at IS NULL",
                              err)
                    : db_stmt(db,
                              "SELECT (SELECT count(*) FROM ratings) - (SELECT count(*) FROM ratings "
                              "INDEXED BY ratings_undone WHERE undone_at IS NOT NULL), "
                              "(SELECT unreviewed FROM feedback_counts)",
                              err);
    if (!st)
        return LB_EDB;
    if (campaign_id)
        db_bind_int64(st, 1, campaign_id);
    int64_t v[2] = {0, 0};
    s = db_int64s(db, st, v, 2, err, "counting feedback");
    *total = v[0];
    *unreviewed = v[1];
    return s;
}

typedef struct {
    int64_t campaign_id;
    int64_t counts[REASON_COUNT];
} reason_tally;

static int tally_cmp(const void *a, const void *b)
{
    int64_t x = ((const reason_tally *)a)->campaign_id, y = ((const reason_tally *)b)->campaign_id;
    return (x > y) - (x < y);
}

lb_status rating_reason_counts(lb_db *db, lb_reason_fn fn, void *ud, lb_err *err)
{
    /* Tags are stored comma-separated; each counts once per rating.  They
     * are split here rather than matched in SQL: seven instr() calls on
     * every rating took 1.6 s of the 1.9 s at a million leads. */
    lb_stmt *st = db_stmt(db,
                               "SELECT coalesce(l.campaign_id, 0), r.reasons "
                               "FROM ratings r JOIN leads l ON l.id = r.lead_id "
                               "WHERE r.reasons <> '' AND r.undone_at IS NULL",
                               err);
    if (!st)
        return LB_EDB;
    reason_tally *t = NULL;
    size_t n = 0, cap = 0, last = 0;
    int rc = DB_DONE;
    bool oom = false;
    while (!oom && (rc = db_step(st)) == DB_ROW) {
        int64_t c = db_col_int64(st, 0);
        if (n == 0 || t[last].campaign_id != c) { /* campaigns are few: look them up */
            size_t i = 0;
            while (i < n && t[i].campaign_id != c)
                i++;
            if (i == n) {
                if (n == cap) {
                    size_t k = cap ? cap * 2 : 32;
                    reason_tally *p = realloc(t, k * sizeof *p);
                    if (!p) {
                        oom = true;
                        break;
                    }
                    t = p;
                    cap = k;
                }
                memset(&t[n], 0, sizeof t[n]);
                t[n++].campaign_id = c;
            }
            last = i;
        }
        const char *p = (const char *)db_col_text(st, 1);
        unsigned seen = 0;
        while (p && *p) {
            char tag[32];
            size_t k = strcspn(p, ",");
            if (k < sizeof tag) {
                memcpy(tag, p, k);
                tag[k] = '\0';
                int r = vocab_find(&lb_reasons, tag);
                if (r >= 0 && !(seen & (1u << r))) {
                    seen |= 1u << r;
                    t[last].counts[r]++;
                }
            }
            p += k + (p[k] == ',');
        }
    }
    lb_status s = oom ? lb_fail(err, LB_EDB, "out of memory")
                  : rc == DB_DONE ? LB_OK
                                      : db_fail(db, err, "counting reasons");
    db_reset(st);
    if (s == LB_OK) {
        if (n)
            qsort(t, n, sizeof *t, tally_cmp);
        for (size_t i = 0; i < n; i++)
            if (fn(t[i].campaign_id, t[i].counts, ud))
                break;
    }
    free(t);
    return s;
}
