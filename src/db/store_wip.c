/* Work in progress per rep: the wip.STAGE settings and who is over them.
 * Counted per rep off leads_owner (owner_id, stage, ...), a range each. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/collateral.h"
#include "leadboard/store.h"

int64_t wip_limit(lb_db *db, lb_stage stage)
{
    char key[32], buf[32] = "";
    if (!stage_is_working(stage))
        return 0;
    snprintf(key, sizeof key, "wip.%s", stage_name(stage));
    if (setting_get(db, key, buf, sizeof buf, NULL) != LB_OK)
        return 0;
    long long v = atoll(buf);
    return v > 0 ? (int64_t)v : 0;
}

/* Reps holding more than `limit` leads in `stage`, by login. */
static lb_status over_in_stage(lb_db *db, lb_stage stage, int64_t limit, lb_wip_fn fn, void *ud,
                               bool *stop, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT id, login, n FROM (SELECT u.id, u.login, "
                               "(SELECT count(*) FROM leads l WHERE l.owner_id = u.id "
                               "AND l.stage = ?1) AS n FROM users u) WHERE n > ?2 "
                               "ORDER BY login",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, stage_name(stage));
    db_bind_int64(st, 2, limit);
    int rc;
    lb_wip_over o;
    while ((rc = db_step(st)) == DB_ROW) {
        memset(&o, 0, sizeof o);
        o.user_id = db_col_int64(st, 0);
        col_copy(st, 1, o.login, sizeof o.login);
        o.held = db_col_int64(st, 2);
        o.limit = limit;
        if ((*stop = fn(stage, &o, ud) != 0))
            break;
    }
    return db_loop_end(db, st, rc, err, "counting work in progress");
}

static lb_status over_each(lb_db *db, lb_wip_fn fn, void *ud, bool *stop, lb_err *err)
{
    lb_status s = LB_OK;
    for (int k = 0; k < STAGE_COUNT && s == LB_OK && !*stop; k++) {
        int64_t limit = wip_limit(db, (lb_stage)k);
        if (limit > 0)
            s = over_in_stage(db, (lb_stage)k, limit, fn, ud, stop, err);
    }
    return s;
}

lb_status wip_over_each(lb_db *db, lb_wip_fn fn, void *ud, lb_err *err)
{
    bool stop = false;
    return over_each(db, fn, ud, &stop, err);
}

static int count_one(lb_stage stage, const lb_wip_over *o, void *ud)
{
    (void)o;
    ((int64_t *)ud)[stage]++;
    return 0;
}

lb_status wip_over_counts(lb_db *db, int64_t counts[STAGE_COUNT], lb_err *err)
{
    memset(counts, 0, sizeof(int64_t) * STAGE_COUNT);
    return wip_over_each(db, count_one, counts, err);
}

lb_status wip_handoff_check(lb_db *db, int64_t user_id, bool *over, int64_t *held,
                            int64_t *limit, lb_err *err)
{
    *over = false;
    *held = 0;
    *limit = wip_limit(db, STAGE_ACCEPTED);
    if (*limit <= 0)
        return LB_OK;
    lb_stmt *st = db_stmt(
        db, "SELECT count(*) FROM leads WHERE owner_id = ?1 AND stage = 'accepted'", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, user_id);
    bool yes = false;
    lb_status s = db_int64(db, st, &yes, held, err, "counting work in progress");
    /* At the limit already, one more accepted would take the rep over. */
    if (s == LB_OK)
        *over = *held >= *limit;
    return s;
}

lb_status wip_handoff_warning(lb_db *db, const char *login, char *buf, size_t n, lb_err *err)
{
    lb_user u;
    bool over;
    int64_t held, limit;
    if (n)
        buf[0] = '\0';
    if (!login || !*login || user_get(db, login, &u, NULL) != LB_OK)
        return LB_OK;
    lb_status s = wip_handoff_check(db, u.id, &over, &held, &limit, err);
    if (s == LB_OK && over)
        snprintf(buf, n, "%s already holds %lld accepted lead%s (wip.accepted is %lld)", u.login,
                 (long long)held, held == 1 ? "" : "s", (long long)limit);
    return s;
}

typedef struct {
    lb_standup_row *row;
    lb_standup_row_fn fn;
    void *ud;
} standup_ud;

static int standup_one(lb_stage stage, const lb_wip_over *o, void *p)
{
    standup_ud *s = p;
    lb_standup_row *row = s->row;
    memset(row, 0, sizeof *row);
    row->section = STANDUP_OVER_WIP;
    snprintf(row->owner, sizeof row->owner, "%s", o->login);
    row->from = row->to = stage;
    snprintf(row->text, sizeof row->text, "%lld in %s, limit %lld", (long long)o->held,
             stage_name(stage), (long long)o->limit);
    standup_detail_format(row);
    return s->fn(row, s->ud);
}

lb_status standup_over_wip(lb_db *db, lb_standup_row *row, lb_standup_row_fn fn, void *ud,
                           bool *stop, lb_err *err)
{
    standup_ud s = {row, fn, ud};
    return over_each(db, standup_one, &s, stop, err);
}
