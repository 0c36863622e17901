/* Assets and their uses: the rows, and the assets report read off the
 * counts the schema's triggers keep (0010_collateral_undo.sql). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/collateral.h"
#include "leadboard/store.h"

#define ASSET_SELECT                                                                               \
    "SELECT a.id, a.name, a.kind, a.url, coalesce(a.campaign_id, 0), coalesce(c.name, ''), "      \
    "coalesce(u.login, ''), a.created_at, a.used, a.leads, a.won, a.lost, "                       \
    "coalesce(a.last_used, '') FROM assets a LEFT JOIN campaigns c ON c.id = a.campaign_id "       \
    "LEFT JOIN users u ON u.id = a.added_by "

static void asset_row(lb_stmt *st, void *out)
{
    lb_asset *a = out;
    const char *kind = (const char *)db_col_text(st, 2);
    int k = kind ? vocab_find(&lb_asset_kinds, kind) : -1;
    a->id = db_col_int64(st, 0);
    col_copy(st, 1, a->name, sizeof a->name);
    a->kind = k < 0 ? ASSET_OTHER : (lb_asset_kind)k;
    col_copy(st, 3, a->url, sizeof a->url);
    a->campaign_id = db_col_int64(st, 4);
    col_copy(st, 5, a->campaign, sizeof a->campaign);
    col_copy(st, 6, a->added_by, sizeof a->added_by);
    col_copy(st, 7, a->created_at, sizeof a->created_at);
    a->used = db_col_int64(st, 8);
    a->leads = db_col_int64(st, 9);
    a->won = db_col_int64(st, 10);
    a->lost = db_col_int64(st, 11);
    col_copy(st, 12, a->last_used, sizeof a->last_used);
}

lb_status asset_get(lb_db *db, const char *name, lb_asset *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, ASSET_SELECT "WHERE a.name = ?1", err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, name);
    lb_status s = db_one(db, st, asset_row, out, err, "reading an asset");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no asset '%.60s'; see 'leadboard asset list'", name);
    return s;
}

lb_status asset_get_id(lb_db *db, int64_t id, lb_asset *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, ASSET_SELECT "WHERE a.id = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, id);
    lb_status s = db_one(db, st, asset_row, out, err, "reading an asset");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no asset %lld", (long long)id);
    return s;
}

lb_status asset_insert(lb_db *db, lb_asset *a, int64_t user_id, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO assets(name, kind, url, campaign_id, added_by, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, a->name);
    bind_text(st, 2, vocab_name(&lb_asset_kinds, (int)a->kind));
    bind_text(st, 3, a->url);
    bind_id(st, 4, a->campaign_id);
    bind_id(st, 5, user_id);
    bind_text(st, 6, a->created_at);
    lb_status s = db_step_done(db, st, err, "adding an asset");
    if (s == LB_OK)
        a->id = db_last_id(db);
    return s;
}

lb_status asset_each(lb_db *db, int64_t first_campaign, lb_asset_fn fn, void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               ASSET_SELECT "ORDER BY (?1 IS NOT NULL AND a.campaign_id = ?1) "
                                            "DESC, a.name COLLATE NOCASE, a.id",
                               err);
    if (!st)
        return LB_EDB;
    bind_id(st, 1, first_campaign);
    lb_asset *a = malloc(sizeof *a);
    if (!a) {
        db_reset(st);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        asset_row(st, a);
        if (fn(a, ud))
            break;
    }
    free(a);
    return db_loop_end(db, st, rc, err, "listing assets");
}

lb_status asset_uses_add(lb_db *db, int64_t followup_id, int64_t lead_id, const int64_t *ids,
                         int n, const char *at, lb_err *err)
{
    for (int i = 0; i < n; i++) {
        lb_stmt *st = db_stmt(db,
                                   "INSERT INTO asset_uses(asset_id, lead_id, followup_id, at) "
                                   "VALUES (?1, ?2, ?3, ?4)",
                                   err);
        if (!st)
            return LB_EDB;
        db_bind_int64(st, 1, ids[i]);
        db_bind_int64(st, 2, lead_id);
        db_bind_int64(st, 3, followup_id);
        bind_text(st, 4, at);
        lb_status s = db_step_done(db, st, err, "recording the assets used");
        if (s != LB_OK)
            return s;
    }
    return LB_OK;
}

lb_status asset_leads_each(lb_db *db, int64_t asset_id, int64_t limit, lb_asset_lead_fn fn,
                           void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               /* the page first, off asset_leads_recent, then its
                                * leads: not a sort of every lead of a popular asset */
                               "SELECT l.id, l.name, l.company, coalesce(o.login, ''), l.stage, "
                               "al.uses, al.last_at FROM (SELECT lead_id, uses, last_at "
                               "FROM asset_leads WHERE asset_id = ?1 "
                               "ORDER BY last_at DESC, lead_id DESC LIMIT ?2) al "
                               "JOIN leads l ON l.id = al.lead_id "
                               "LEFT JOIN users o ON o.id = l.owner_id "
                               "ORDER BY al.last_at DESC, al.lead_id DESC",
                               err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, asset_id);
    db_bind_int64(st, 2, limit > 0 ? limit : -1);
    lb_asset_lead row;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        memset(&row, 0, sizeof row);
        row.lead_id = db_col_int64(st, 0);
        col_copy(st, 1, row.name, sizeof row.name);
        col_copy(st, 2, row.company, sizeof row.company);
        col_copy(st, 3, row.owner, sizeof row.owner);
        const char *sname = (const char *)db_col_text(st, 4);
        int sv = sname ? vocab_find(&lb_stages, sname) : -1;
        row.stage = sv < 0 ? STAGE_NURTURE : (lb_stage)sv;
        row.uses = db_col_int64(st, 5);
        col_copy(st, 6, row.last_at, sizeof row.last_at);
        if (fn(&row, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "listing an asset's leads");
}

lb_status asset_unused_count(lb_db *db, int64_t *total, int64_t *unused, lb_err *err)
{
    lb_stmt *st =
        db_stmt(db, "SELECT count(*), coalesce(sum(used = 0), 0) FROM assets", err);
    if (!st)
        return LB_EDB;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *total = db_col_int64(st, 0);
        *unused = db_col_int64(st, 1);
    }
    return db_loop_end(db, st, rc, err, "counting assets");
}

/* ---- the report ---- */

lb_status report_assets(lb_db *db, const lb_report_range *r, lb_asset_row_fn fn, void *ud,
                        lb_err *err)
{
    /* All time: the kept counts, one row per asset. */
    static const char whole[] = ASSET_SELECT "ORDER BY a.used DESC, a.name COLLATE NOCASE, a.id";
    /* A period: its live uses, read off asset_uses_at. */
    static const char period[] =
        "SELECT a.id, a.name, a.kind, a.url, coalesce(a.campaign_id, 0), coalesce(c.name, ''), "
        "coalesce(u.login, ''), a.created_at, coalesce(p.used, 0), coalesce(p.leads, 0), "
        "coalesce(p.won, 0), coalesce(p.lost, 0), coalesce(p.last_used, '') "
        "FROM assets a LEFT JOIN campaigns c ON c.id = a.campaign_id "
        "LEFT JOIN users u ON u.id = a.added_by "
        "LEFT JOIN (SELECT x.asset_id, count(*) AS used, count(DISTINCT x.lead_id) AS leads, "
        "  count(DISTINCT CASE WHEN l.stage = 'won' THEN x.lead_id END) AS won, "
        "  count(DISTINCT CASE WHEN l.stage = 'lost' THEN x.lead_id END) AS lost, "
        "  max(x.at) AS last_used "
        "  FROM asset_uses x JOIN followups f ON f.id = x.followup_id AND f.undone_at IS NULL "
        "  JOIN leads l ON l.id = x.lead_id "
        "  WHERE x.at >= ?1 AND (?2 = '' OR x.at < ?2) GROUP BY x.asset_id) p "
        "ON p.asset_id = a.id "
        "ORDER BY coalesce(p.used, 0) DESC, a.name COLLATE NOCASE, a.id";
    /* A period that holds every use there is gives the kept counts
     * exactly (min and max apart: SQLite reads a lone one off the index's
     * end, not the two together). */
    static const char holds_all[] =
        "SELECT count(*) FROM (SELECT (SELECT min(at) FROM asset_uses) AS lo, "
        "(SELECT max(at) FROM asset_uses) AS hi) t "
        "WHERE t.lo IS NULL OR (t.lo >= ?1 AND (?2 = '' OR t.hi < ?2))";
    bool use_period = r->has_period;
    if (use_period) {
        lb_stmt *q = db_stmt(db, holds_all, err);
        bool yes = false;
        int64_t all = 0;
        if (!q)
            return LB_EDB;
        bind_text(q, 1, r->since);
        bind_text(q, 2, r->until);
        lb_status s = db_int64(db, q, &yes, &all, err, "computing the assets report");
        if (s != LB_OK)
            return s;
        use_period = all == 0;
    }
    lb_stmt *st = db_stmt(db, use_period ? period : whole, err);
    if (!st)
        return LB_EDB;
    if (use_period) {
        bind_text(st, 1, r->since);
        bind_text(st, 2, r->until);
    }
    lb_asset_row *row = malloc(sizeof *row);
    if (!row) {
        db_reset(st);
        return lb_fail(err, LB_EDB, "out of memory");
    }
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        memset(row, 0, sizeof *row);
        asset_row(st, &row->a);
        row->win_rate = report_ratio(row->a.won, row->a.won + row->a.lost);
        if (fn(row, ud))
            break;
    }
    free(row);
    return db_loop_end(db, st, rc, err, "computing the assets report");
}
