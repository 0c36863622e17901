#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "leadboard/store.h"
#include "leadboard/text.h"

/* ---- users ---- */

#define USER_COLS "id, login, name, team, active, created_at"

static void user_row(lb_stmt *st, void *out)
{
    lb_user *u = out;
    memset(u, 0, sizeof *u);
    u->id = db_col_int64(st, 0);
    col_copy(st, 1, u->login, sizeof u->login);
    col_copy(st, 2, u->name, sizeof u->name);
    int team = vocab_find(&lb_teams, (const char *)db_col_text(st, 3));
    u->team = team < 0 ? TEAM_SALES : (lb_team)team;
    u->active = db_col_int(st, 4) != 0;
    col_copy(st, 5, u->created_at, sizeof u->created_at);
}

static lb_status user_one(lb_db *db, lb_stmt *st, lb_user *out, lb_err *err,
                          const char *who)
{
    lb_status s = db_one(db, st, user_row, out, err, "reading a user");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "unknown user '%s'; see 'leadboard user list'", who);
    return s;
}

lb_status user_get(lb_db *db, const char *login, lb_user *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM users WHERE login = ?1", err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, login);
    return user_one(db, st, out, err, login);
}

lb_status user_get_id(lb_db *db, int64_t id, lb_user *out, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM users WHERE id = ?1", err);
    if (!st)
        return LB_EDB;
    db_bind_int64(st, 1, id);
    return user_one(db, st, out, err, "#id");
}

lb_status user_count(lb_db *db, int64_t *n, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT count(*) FROM users", err);
    if (!st)
        return LB_EDB;
    if (db_step(st) != DB_ROW)
        return db_fail(db, err, "counting users");
    *n = db_col_int64(st, 0);
    db_reset(st);
    return LB_OK;
}

lb_status user_insert(lb_db *db, lb_user *u, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO users(login, name, team, active, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, u->login);
    bind_text(st, 2, u->name);
    bind_text(st, 3, team_name(u->team));
    db_bind_int(st, 4, u->active ? 1 : 0);
    bind_text(st, 5, u->created_at);
    lb_status s = db_step_done(db, st, err, "adding a user");
    if (s == LB_OK)
        u->id = db_last_id(db);
    return s;
}

lb_status user_each(lb_db *db, lb_user_fn fn, void *ud, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT " USER_COLS " FROM users ORDER BY login", err);
    if (!st)
        return LB_EDB;
    lb_user u;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        user_row(st, &u);
        if (fn(&u, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "listing users");
}

/* ---- campaigns ---- */

#define CAMPAIGN_COLS "id, name, channel, cost, start_date, end_date, created_at"

static void campaign_row(lb_stmt *st, void *out)
{
    lb_campaign *c = out;
    memset(c, 0, sizeof *c);
    c->id = db_col_int64(st, 0);
    col_copy(st, 1, c->name, sizeof c->name);
    int ch = vocab_find(&lb_channels, (const char *)db_col_text(st, 2));
    c->channel = ch < 0 ? CHANNEL_OTHER : (lb_channel)ch;
    c->cost = db_col_int64(st, 3);
    col_copy(st, 4, c->start_date, sizeof c->start_date);
    col_copy(st, 5, c->end_date, sizeof c->end_date);
    col_copy(st, 6, c->created_at, sizeof c->created_at);
}

/* Campaigns are known by their name's key (text_name_key): "Expo", "Expo "
 * and "Expo\u200B" are one.  Names are stored as their key; a board written
 * before that may still hold a name as typed, which matches as it is. */
lb_status campaign_get(lb_db *db, const char *name, lb_campaign *out, lb_err *err)
{
    char key[LB_BUF(LB_SHORT_MAX) + 8];
    text_name_key(name, key, sizeof key);
    lb_stmt *st = db_stmt(db,
                               "SELECT " CAMPAIGN_COLS " FROM campaigns WHERE name = ?1 COLLATE "
                               "NOCASE OR name = ?2 COLLATE NOCASE "
                               "ORDER BY name = ?1 COLLATE NOCASE DESC LIMIT 1",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, key);
    bind_text(st, 2, name);
    lb_status s = db_one(db, st, campaign_row, out, err, "reading a campaign");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND,
                    "unknown campaign '%.60s'; see 'leadboard campaign list' or add it with "
                    "'leadboard campaign add NAME'",
                    name);
    return s;
}

lb_status campaign_insert(lb_db *db, lb_campaign *c, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO campaigns(name, channel, cost, start_date, end_date, "
                               "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               err);
    if (!st)
        return LB_EDB;
    char key[sizeof c->name];
    text_name_key(c->name, key, sizeof key);
    snprintf(c->name, sizeof c->name, "%s", key);
    bind_text(st, 1, c->name);
    bind_text(st, 2, vocab_name(&lb_channels, (int)c->channel));
    db_bind_int64(st, 3, c->cost);
    bind_opt(st, 4, c->start_date);
    bind_opt(st, 5, c->end_date);
    bind_text(st, 6, c->created_at);
    lb_status s = db_step_done(db, st, err, "adding a campaign");
    if (s == LB_OK)
        c->id = db_last_id(db);
    return s;
}

lb_status campaign_each(lb_db *db, lb_campaign_fn fn, void *ud, lb_err *err)
{
    lb_stmt *st =
        db_stmt(db, "SELECT " CAMPAIGN_COLS " FROM campaigns ORDER BY name COLLATE NOCASE", err);
    if (!st)
        return LB_EDB;
    lb_campaign c;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        campaign_row(st, &c);
        if (fn(&c, ud))
            break;
    }
    return db_loop_end(db, st, rc, err, "listing campaigns");
}

/* ---- goals and settings ---- */

static void goal_row(lb_stmt *st, void *row)
{
    lb_goal *out = row;
    memset(out, 0, sizeof *out);
    col_copy(st, 0, out->period, sizeof out->period);
    out->revenue_target = db_col_int64(st, 1);
    out->has_wins_target = db_col_type(st, 2) != DB_NULL;
    out->wins_target = db_col_int64(st, 2);
}

lb_status goal_get(lb_db *db, const char *period, lb_goal *out, lb_err *err)
{
    lb_stmt *st = db_stmt(
        db, "SELECT period, revenue_target, wins_target FROM goals WHERE period = ?1", err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, period);
    lb_status s = db_one(db, st, goal_row, out, err, "reading a goal");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no goal for %s; set one with 'leadboard goal set'",
                    period);
    return s;
}

lb_status goal_upsert(lb_db *db, const lb_goal *g, int64_t user_id, const char *at,
                      bool *existed, lb_goal *old, lb_err *err)
{
    lb_err inner;
    lb_status s = goal_get(db, g->period, old, &inner);
    if (s != LB_OK && s != LB_ENOTFOUND) {
        *err = inner;
        return s;
    }
    *existed = s == LB_OK;
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO goals(period, revenue_target, wins_target, "
                               "updated_at, updated_by) VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT(period) DO UPDATE SET "
                               "revenue_target = excluded.revenue_target, "
                               "wins_target = excluded.wins_target, "
                               "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, g->period);
    db_bind_int64(st, 2, g->revenue_target);
    if (g->has_wins_target)
        db_bind_int64(st, 3, g->wins_target);
    bind_text(st, 4, at);
    bind_id(st, 5, user_id);
    return db_step_done(db, st, err, "setting a goal");
}

struct text_out {
    char *buf;
    size_t n;
};

static void text_row(lb_stmt *st, void *out)
{
    struct text_out *t = out;
    col_copy(st, 0, t->buf, t->n);
}

lb_status setting_get(lb_db *db, const char *key, char *buf, size_t n, lb_err *err)
{
    lb_stmt *st = db_stmt(db, "SELECT value FROM settings WHERE key = ?1", err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, key);
    struct text_out out = {buf, n};
    lb_status s = db_one(db, st, text_row, &out, err, "reading a setting");
    if (s == LB_ENOTFOUND)
        s = lb_fail(err, LB_ENOTFOUND, "no setting '%s'", key);
    return s;
}

lb_status setting_set(lb_db *db, const char *key, const char *value, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO settings(key, value) VALUES (?1, ?2) "
                               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, key);
    bind_text(st, 2, value);
    return db_step_done(db, st, err, "changing a setting");
}

lb_status sla_load(lb_db *db, lb_sla *sla, lb_err *err)
{
    char buf[32];
    sla_defaults(sla);
    if (setting_get(db, "sla.accept_hours", buf, sizeof buf, NULL) == LB_OK && atoi(buf) > 0)
        sla->accept_hours = atoi(buf);
    if (setting_get(db, "sla.first_touch_hours", buf, sizeof buf, NULL) == LB_OK &&
        atoi(buf) > 0)
        sla->first_touch_hours = atoi(buf);
    if (setting_get(db, "stale_days", buf, sizeof buf, NULL) == LB_OK && atoi(buf) > 0)
        sla->stale_days = atoi(buf);
    return LB_OK;
}

/* ---- the audit log ---- */

lb_status event_insert(lb_db *db, const char *at, int64_t actor_id, const char *os_login,
                       const lb_event *ev, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "INSERT INTO events(at, actor_id, os_login, entity, entity_id, "
                               "lead_id, action, field, old_value, new_value, note) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                               err);
    if (!st)
        return LB_EDB;
    bind_text(st, 1, at);
    bind_id(st, 2, actor_id);
    bind_text(st, 3, os_login ? os_login : "");
    bind_text(st, 4, ev->entity);
    bind_id(st, 5, ev->entity_id);
    bind_id(st, 6, ev->lead_id);
    bind_text(st, 7, ev->action);
    bind_text(st, 8, ev->field ? ev->field : "");
    bind_text(st, 9, ev->old_value);
    bind_text(st, 10, ev->new_value);
    bind_text(st, 11, ev->note ? ev->note : "");
    return db_step_done(db, st, err, "writing the audit log");
}

lb_status event_count(lb_db *db, int64_t lead_id, int64_t *n, lb_err *err)
{
    lb_stmt *st = db_stmt(db,
                               "SELECT count(*) FROM events WHERE ?1 IS NULL OR lead_id = ?1",
                               err);
    if (!st)
        return LB_EDB;
    bind_id(st, 1, lead_id);
    if (db_step(st) != DB_ROW)
        return db_fail(db, err, "counting events");
    *n = db_col_int64(st, 0);
    db_reset(st);
    return LB_OK;
}
