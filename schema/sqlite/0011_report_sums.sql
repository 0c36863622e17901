-- leadboard schema, version 11: running totals for the reports (issue 17),
-- so that a report reads a few thousand summary rows instead of a million
-- leads or their six million events.  Each total is kept exact by triggers
-- (whoever writes, even the sqlite3 shell) and has a view that recounts it
-- from the rows: the recount after a bulk load, init's repair and the tests
-- that compare the two all use that one definition.
--
-- Periods are cut into whole UTC days: a report over [since, until) adds
-- the days that lie wholly inside and reads the rows of the part days at
-- either end through their time index.

-- Per campaign, marketer and day of creation (0: none), the leads and what
-- the campaigns, marketers and funnel reports count of them.  rN: leads
-- whose furthest stage reached rank N (handed_off 1 ... won 6) or later.
CREATE TABLE lead_sums (
  campaign_id INTEGER NOT NULL,
  marketer_id INTEGER NOT NULL,
  day         TEXT NOT NULL,
  n           INTEGER NOT NULL,
  r1          INTEGER NOT NULL,
  r2          INTEGER NOT NULL,
  r3          INTEGER NOT NULL,
  r4          INTEGER NOT NULL,
  r5          INTEGER NOT NULL,
  r6          INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  rated       INTEGER NOT NULL,
  stars       INTEGER NOT NULL,
  won         INTEGER NOT NULL,
  revenue     INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, marketer_id, day)
) WITHOUT ROWID;

CREATE VIEW lead_sums_recount AS
  SELECT coalesce(campaign_id, 0) AS campaign_id, coalesce(marketer_id, 0) AS marketer_id,
         substr(created_at, 1, 10) AS day, count(*) AS n,
         sum(furthest >= 1) AS r1, sum(furthest >= 2) AS r2, sum(furthest >= 3) AS r3,
         sum(furthest >= 4) AS r4, sum(furthest >= 5) AS r5, sum(furthest >= 6) AS r6,
         sum(rejections > 0) AS rejected, count(stars) AS rated,
         coalesce(sum(stars), 0) AS stars, sum(stage = 'won') AS won,
         coalesce(sum(CASE WHEN stage = 'won' THEN value END), 0) AS revenue
    FROM leads GROUP BY 1, 2, 3;
INSERT INTO lead_sums SELECT * FROM lead_sums_recount;

CREATE TRIGGER lead_sums_insert AFTER INSERT ON leads
BEGIN
  INSERT INTO lead_sums(campaign_id, marketer_id, day, n, r1, r2, r3, r4, r5, r6, rejected,
                        rated, stars, won, revenue)
    VALUES (coalesce(new.campaign_id, 0), coalesce(new.marketer_id, 0),
            substr(new.created_at, 1, 10), 1, new.furthest >= 1, new.furthest >= 2,
            new.furthest >= 3, new.furthest >= 4, new.furthest >= 5, new.furthest >= 6,
            new.rejections > 0, new.stars IS NOT NULL, coalesce(new.stars, 0),
            new.stage = 'won', CASE WHEN new.stage = 'won' THEN coalesce(new.value, 0) ELSE 0 END)
    ON CONFLICT(campaign_id, marketer_id, day) DO UPDATE SET
      n = n + 1, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3,
      r4 = r4 + excluded.r4, r5 = r5 + excluded.r5, r6 = r6 + excluded.r6,
      rejected = rejected + excluded.rejected, rated = rated + excluded.rated,
      stars = stars + excluded.stars, won = won + excluded.won,
      revenue = revenue + excluded.revenue;
END;
CREATE TRIGGER lead_sums_delete AFTER DELETE ON leads
BEGIN
  UPDATE lead_sums SET n = n - 1, r1 = r1 - (old.furthest >= 1), r2 = r2 - (old.furthest >= 2),
         r3 = r3 - (old.furthest >= 3), r4 = r4 - (old.furthest >= 4),
         r5 = r5 - (old.furthest >= 5), r6 = r6 - (old.furthest >= 6),
         rejected = rejected - (old.rejections > 0), rated = rated - (old.stars IS NOT NULL),
         stars = stars - coalesce(old.stars, 0), won = won - (old.stage = 'won'),
         revenue = revenue - CASE WHEN old.stage = 'won' THEN coalesce(old.value, 0) ELSE 0 END
   WHERE campaign_id = coalesce(old.campaign_id, 0) AND marketer_id = coalesce(old.marketer_id, 0)
     AND day = substr(old.created_at, 1, 10);
END;
-- Most writes to a lead change none of these (a follow-up, a new owner):
-- the WHEN keeps them at one comparison.
CREATE TRIGGER lead_sums_update AFTER UPDATE OF campaign_id, marketer_id, created_at, furthest,
  rejections, stars, stage, value ON leads
  WHEN old.campaign_id IS NOT new.campaign_id OR old.marketer_id IS NOT new.marketer_id
    OR old.created_at IS NOT new.created_at OR old.furthest IS NOT new.furthest
    OR (old.rejections > 0) IS NOT (new.rejections > 0) OR old.stars IS NOT new.stars
    OR old.stage IS NOT new.stage OR old.value IS NOT new.value
BEGIN
  UPDATE lead_sums SET n = n - 1, r1 = r1 - (old.furthest >= 1), r2 = r2 - (old.furthest >= 2),
         r3 = r3 - (old.furthest >= 3), r4 = r4 - (old.furthest >= 4),
         r5 = r5 - (old.furthest >= 5), r6 = r6 - (old.furthest >= 6),
         rejected = rejected - (old.rejections > 0), rated = rated - (old.stars IS NOT NULL),
         stars = stars - coalesce(old.stars, 0), won = won - (old.stage = 'won'),
         revenue = revenue - CASE WHEN old.stage = 'won' THEN coalesce(old.value, 0) ELSE 0 END
   WHERE campaign_id = coalesce(old.campaign_id, 0) AND marketer_id = coalesce(old.marketer_id, 0)
     AND day = substr(old.created_at, 1, 10);
  INSERT INTO lead_sums(campaign_id, marketer_id, day, n, r1, r2, r3, r4, r5, r6, rejected,
                        rated, stars, won, revenue)
    VALUES (coalesce(new.campaign_id, 0), coalesce(new.marketer_id, 0),
            substr(new.created_at, 1, 10), 1, new.furthest >= 1, new.furthest >= 2,
            new.furthest >= 3, new.furthest >= 4, new.furthest >= 5, new.furthest >= 6,
            new.rejections > 0, new.stars IS NOT NULL, coalesce(new.stars, 0),
            new.stage = 'won', CASE WHEN new.stage = 'won' THEN coalesce(new.value, 0) ELSE 0 END)
    ON CONFLICT(campaign_id, marketer_id, day) DO UPDATE SET
      n = n + 1, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2, r3 = r3 + excluded.r3,
      r4 = r4 + excluded.r4, r5 = r5 + excluded.r5, r6 = r6 + excluded.r6,
      rejected = rejected + excluded.rejected, rated = rated + excluded.rated,
      stars = stars + excluded.stars, won = won + excluded.won,
      revenue = revenue + excluded.revenue;
END;

-- Follow-ups that count (not undone), by lead and time: a hand-off's first
-- touch is one seek.
CREATE INDEX followups_live ON followups(lead_id, created_at) WHERE undone_at IS NULL;

-- One row per hand-off (its 'handoff' event): the rep it went to (the
-- event's new_value), when, the lead's next hand-off, and the seconds to
-- the first 'accept' event after it (by id) and to the first follow-up
-- logged from it until the next hand-off: what the sla and speed reports
-- count.
CREATE TABLE handoffs (
  id         INTEGER PRIMARY KEY,
  lead_id    INTEGER NOT NULL,
  login      TEXT NOT NULL,
  at         TEXT NOT NULL,
  next_at    TEXT,
  acc_secs   INTEGER,
  touch_secs INTEGER
);
CREATE INDEX handoffs_lead ON handoffs(lead_id, id);
-- The part days at the ends of a period.
CREATE INDEX handoffs_at ON handoffs(at, login, acc_secs, touch_secs);
-- The median time to first touch, per rep and for everyone: the middle
-- entries of an index in order.
CREATE INDEX handoffs_touch ON handoffs(login, touch_secs, at) WHERE touch_secs IS NOT NULL;
CREATE INDEX handoffs_touch_all ON handoffs(touch_secs, at) WHERE touch_secs IS NOT NULL;

CREATE VIEW handoffs_recount AS
  SELECT h.id, h.lead_id, h.login, h.at, h.nxat AS next_at,
         round((julianday((SELECT a.at FROM events a WHERE a.lead_id = h.lead_id
                            AND a.action = 'accept' AND a.id > h.id
                            AND a.id < coalesce(h.nx, 9223372036854775807)
                          ORDER BY a.id LIMIT 1)) - julianday(h.at)) * 86400) AS acc_secs,
         round((julianday((SELECT min(f.created_at) FROM followups f
                            WHERE f.lead_id = h.lead_id AND f.undone_at IS NULL
                              AND f.created_at >= h.at
                              AND f.created_at < coalesce(h.nxat, '9999-12-31T23:59:59Z')))
                - julianday(h.at)) * 86400) AS touch_secs
    FROM (SELECT id, lead_id, coalesce(new_value, '') AS login, at,
                 lead(id) OVER (PARTITION BY lead_id ORDER BY id) AS nx,
                 lead(at) OVER (PARTITION BY lead_id ORDER BY id) AS nxat
            FROM events WHERE action = 'handoff' AND lead_id IS NOT NULL) h;
INSERT INTO handoffs SELECT * FROM handoffs_recount;

-- A new hand-off closes the lead's previous one (its touch window ends
-- here) and opens its own (a follow-up logged in the same second counts).
CREATE TRIGGER handoffs_handoff AFTER INSERT ON events
  WHEN new.action = 'handoff' AND new.lead_id IS NOT NULL
BEGIN
  UPDATE handoffs SET next_at = new.at,
         touch_secs = round((julianday((SELECT min(f.created_at) FROM followups f
                                         WHERE f.lead_id = handoffs.lead_id
                                           AND f.undone_at IS NULL
                                           AND f.created_at >= handoffs.at
                                           AND f.created_at < new.at))
                             - julianday(handoffs.at)) * 86400)
   WHERE lead_id = new.lead_id AND next_at IS NULL AND id < new.id;
  INSERT INTO handoffs(id, lead_id, login, at, touch_secs)
    VALUES (new.id, new.lead_id, coalesce(new.new_value, ''), new.at,
            round((julianday((SELECT min(f.created_at) FROM followups f
                               WHERE f.lead_id = new.lead_id AND f.undone_at IS NULL
                                 AND f.created_at >= new.at)) - julianday(new.at)) * 86400));
END;
-- The first acceptance after the lead's latest hand-off.
CREATE TRIGGER handoffs_accept AFTER INSERT ON events
  WHEN new.action = 'accept' AND new.lead_id IS NOT NULL
BEGIN
  UPDATE handoffs SET acc_secs = round((julianday(new.at) - julianday(at)) * 86400)
   WHERE lead_id = new.lead_id AND next_at IS NULL AND acc_secs IS NULL AND id < new.id;
END;
CREATE TRIGGER handoffs_touch AFTER INSERT ON followups
  WHEN new.undone_at IS NULL
BEGIN
  UPDATE handoffs SET touch_secs = round((julianday(new.created_at) - julianday(at)) * 86400)
   WHERE lead_id = new.lead_id AND at <= new.created_at
     AND (next_at IS NULL OR new.created_at < next_at)
     AND (touch_secs IS NULL
          OR touch_secs > round((julianday(new.created_at) - julianday(at)) * 86400));
END;
-- A follow-up undone (or changed, or deleted outside leadboard): its
-- lead's first touches are looked up again.
CREATE TRIGGER handoffs_retouch AFTER UPDATE OF lead_id, created_at, undone_at ON followups
BEGIN
  UPDATE handoffs SET touch_secs = round((julianday((SELECT min(f.created_at) FROM followups f
                                         WHERE f.lead_id = handoffs.lead_id
                                           AND f.undone_at IS NULL
                                           AND f.created_at >= handoffs.at
                                           AND f.created_at < coalesce(handoffs.next_at,
                                                                       '9999-12-31T23:59:59Z')))
                             - julianday(handoffs.at)) * 86400)
   WHERE lead_id = old.lead_id OR lead_id = new.lead_id;
END;
CREATE TRIGGER handoffs_untouch AFTER DELETE ON followups
BEGIN
  UPDATE handoffs SET touch_secs = round((julianday((SELECT min(f.created_at) FROM followups f
                                         WHERE f.lead_id = handoffs.lead_id
                                           AND f.undone_at IS NULL
                                           AND f.created_at >= handoffs.at
                                           AND f.created_at < coalesce(handoffs.next_at,
                                                                       '9999-12-31T23:59:59Z')))
                             - julianday(handoffs.at)) * 86400)
   WHERE lead_id = old.lead_id;
END;

-- Per rep and day of hand-off: the hand-offs, those accepted and touched
-- within the SLA windows as the settings are now (a change of
-- sla.accept_hours or sla.first_touch_hours recounts them), and the speed
-- report's buckets of time to first touch.
CREATE TABLE handoff_sums (
  login    TEXT NOT NULL,
  day      TEXT NOT NULL,
  n        INTEGER NOT NULL,
  acc_ok   INTEGER NOT NULL,
  touch_ok INTEGER NOT NULL,
  touched  INTEGER NOT NULL,
  w5m      INTEGER NOT NULL,
  w1h      INTEGER NOT NULL,
  w24h     INTEGER NOT NULL,
  later    INTEGER NOT NULL,
  PRIMARY KEY (login, day)
) WITHOUT ROWID;

-- The SLA windows in seconds, as sla_load reads them (a value that is not
-- a positive number: the default).
CREATE VIEW sla_windows AS
  SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'sla.accept_hours'
                     AND CAST(value AS INTEGER) > 0), 24) * 3600 AS accept_secs,
         coalesce((SELECT CAST(value AS INTEGER) FROM settings
                    WHERE key = 'sla.first_touch_hours' AND CAST(value AS INTEGER) > 0), 48)
           * 3600 AS touch_secs;

CREATE VIEW handoff_sums_recount AS
  SELECT h.login, substr(h.at, 1, 10) AS day, count(*) AS n,
         coalesce(sum(h.acc_secs <= w.accept_secs), 0) AS acc_ok,
         coalesce(sum(h.touch_secs <= w.touch_secs), 0) AS touch_ok,
         count(h.touch_secs) AS touched, coalesce(sum(h.touch_secs <= 300), 0) AS w5m,
         coalesce(sum(h.touch_secs > 300 AND h.touch_secs <= 3600), 0) AS w1h,
         coalesce(sum(h.touch_secs > 3600 AND h.touch_secs <= 86400), 0) AS w24h,
         coalesce(sum(h.touch_secs > 86400), 0) AS later
    FROM handoffs h, sla_windows w GROUP BY 1, 2;
INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;

CREATE TRIGGER handoff_sums_insert AFTER INSERT ON handoffs
BEGIN
  INSERT INTO handoff_sums(login, day, n, acc_ok, touch_ok, touched, w5m, w1h, w24h, later)
    SELECT new.login, substr(new.at, 1, 10), 1, coalesce(new.acc_secs <= w.accept_secs, 0),
           coalesce(new.touch_secs <= w.touch_secs, 0), new.touch_secs IS NOT NULL,
           coalesce(new.touch_secs <= 300, 0),
           coalesce(new.touch_secs > 300 AND new.touch_secs <= 3600, 0),
           coalesce(new.touch_secs > 3600 AND new.touch_secs <= 86400, 0),
           coalesce(new.touch_secs > 86400, 0) FROM sla_windows w WHERE 1
    ON CONFLICT(login, day) DO UPDATE SET n = n + 1, acc_ok = acc_ok + excluded.acc_ok,
      touch_ok = touch_ok + excluded.touch_ok, touched = touched + excluded.touched,
      w5m = w5m + excluded.w5m, w1h = w1h + excluded.w1h, w24h = w24h + excluded.w24h,
      later = later + excluded.later;
END;
CREATE TRIGGER handoff_sums_update AFTER UPDATE ON handoffs
  WHEN old.login IS NOT new.login OR old.at IS NOT new.at OR old.acc_secs IS NOT new.acc_secs
    OR old.touch_secs IS NOT new.touch_secs
BEGIN
  UPDATE handoff_sums SET n = n - 1,
         acc_ok = acc_ok - coalesce(old.acc_secs <= (SELECT accept_secs FROM sla_windows), 0),
         touch_ok = touch_ok - coalesce(old.touch_secs <= (SELECT touch_secs FROM sla_windows), 0),
         touched = touched - (old.touch_secs IS NOT NULL),
         w5m = w5m - coalesce(old.touch_secs <= 300, 0),
         w1h = w1h - coalesce(old.touch_secs > 300 AND old.touch_secs <= 3600, 0),
         w24h = w24h - coalesce(old.touch_secs > 3600 AND old.touch_secs <= 86400, 0),
         later = later - coalesce(old.touch_secs > 86400, 0)
   WHERE login = old.login AND day = substr(old.at, 1, 10);
  INSERT INTO handoff_sums(login, day, n, acc_ok, touch_ok, touched, w5m, w1h, w24h, later)
    SELECT new.login, substr(new.at, 1, 10), 1, coalesce(new.acc_secs <= w.accept_secs, 0),
           coalesce(new.touch_secs <= w.touch_secs, 0), new.touch_secs IS NOT NULL,
           coalesce(new.touch_secs <= 300, 0),
           coalesce(new.touch_secs > 300 AND new.touch_secs <= 3600, 0),
           coalesce(new.touch_secs > 3600 AND new.touch_secs <= 86400, 0),
           coalesce(new.touch_secs > 86400, 0) FROM sla_windows w WHERE 1
    ON CONFLICT(login, day) DO UPDATE SET n = n + 1, acc_ok = acc_ok + excluded.acc_ok,
      touch_ok = touch_ok + excluded.touch_ok, touched = touched + excluded.touched,
      w5m = w5m + excluded.w5m, w1h = w1h + excluded.w1h, w24h = w24h + excluded.w24h,
      later = later + excluded.later;
END;
CREATE TRIGGER handoff_sums_delete AFTER DELETE ON handoffs
BEGIN
  UPDATE handoff_sums SET n = n - 1,
         acc_ok = acc_ok - coalesce(old.acc_secs <= (SELECT accept_secs FROM sla_windows), 0),
         touch_ok = touch_ok - coalesce(old.touch_secs <= (SELECT touch_secs FROM sla_windows), 0),
         touched = touched - (old.touch_secs IS NOT NULL),
         w5m = w5m - coalesce(old.touch_secs <= 300, 0),
         w1h = w1h - coalesce(old.touch_secs > 300 AND old.touch_secs <= 3600, 0),
         w24h = w24h - coalesce(old.touch_secs > 3600 AND old.touch_secs <= 86400, 0),
         later = later - coalesce(old.touch_secs > 86400, 0)
   WHERE login = old.login AND day = substr(old.at, 1, 10);
END;
-- New SLA windows: the in-window counts are recounted (a second at a
-- million hand-offs, once per change of a manager's setting).
CREATE TRIGGER handoff_sums_settings AFTER UPDATE ON settings
  WHEN old.key IN ('sla.accept_hours', 'sla.first_touch_hours')
    OR new.key IN ('sla.accept_hours', 'sla.first_touch_hours')
BEGIN
  DELETE FROM handoff_sums;
  INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
END;
CREATE TRIGGER handoff_sums_settings_insert AFTER INSERT ON settings
  WHEN new.key IN ('sla.accept_hours', 'sla.first_touch_hours')
BEGIN
  DELETE FROM handoff_sums;
  INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
END;
CREATE TRIGGER handoff_sums_settings_delete AFTER DELETE ON settings
  WHEN old.key IN ('sla.accept_hours', 'sla.first_touch_hours')
BEGIN
  DELETE FROM handoff_sums;
  INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
END;

-- The speed report's median over all time: per rep, the touched hand-offs
-- by whole minute to first touch, so the middle is found by adding up a
-- few thousand rows and then read exactly from handoffs_touch.
CREATE TABLE touch_minutes (
  login  TEXT NOT NULL,
  minute INTEGER NOT NULL,
  n      INTEGER NOT NULL,
  PRIMARY KEY (login, minute)
) WITHOUT ROWID;
CREATE VIEW touch_minutes_recount AS
  SELECT login, touch_secs / 60 AS minute, count(*) AS n FROM handoffs
   WHERE touch_secs IS NOT NULL GROUP BY 1, 2;
INSERT INTO touch_minutes SELECT * FROM touch_minutes_recount;

CREATE TRIGGER touch_minutes_insert AFTER INSERT ON handoffs
  WHEN new.touch_secs IS NOT NULL
BEGIN
  INSERT INTO touch_minutes(login, minute, n) VALUES (new.login, new.touch_secs / 60, 1)
    ON CONFLICT(login, minute) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER touch_minutes_update AFTER UPDATE OF login, touch_secs ON handoffs
  WHEN old.login IS NOT new.login OR old.touch_secs IS NOT new.touch_secs
BEGIN
  UPDATE touch_minutes SET n = n - 1
   WHERE old.touch_secs IS NOT NULL AND login = old.login AND minute = old.touch_secs / 60;
  INSERT INTO touch_minutes(login, minute, n)
    SELECT new.login, new.touch_secs / 60, 1 WHERE new.touch_secs IS NOT NULL
    ON CONFLICT(login, minute) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER touch_minutes_delete AFTER DELETE ON handoffs
  WHEN old.touch_secs IS NOT NULL
BEGIN
  UPDATE touch_minutes SET n = n - 1 WHERE login = old.login AND minute = old.touch_secs / 60;
END;

-- The SLA report's overdue_now without reading every open lead: each open
-- lead's flag_at is the moment sla_state (rules.h) starts flagging it -- the
-- earliest of its hand-off plus the accept window (still handed off), its
-- hand-off plus the first-touch window (not touched yet), its next due date
-- and its last activity plus stale_days (working) -- so it is overdue now
-- exactly when flag_at < now.  lead_flag_sums counts the open leads per
-- owner and day of flag_at: a count adds up the days before today and reads
-- today's leads through leads_flag.
CREATE VIEW sla_stale AS
  SELECT coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'stale_days'
                     AND CAST(value AS INTEGER) > 0), 7) * 86400 AS stale_secs;
CREATE VIEW lead_flag_of AS
  SELECT l.id, CASE WHEN l.stage = 'nurture' OR l.stage = 'won' OR l.stage = 'lost' THEN NULL
         ELSE nullif(min(
           CASE WHEN l.stage = 'handed_off' THEN coalesce(strftime('%Y-%m-%dT%H:%M:%SZ',
             l.handed_off_at, '+' || w.accept_secs || ' seconds'), '9999') ELSE '9999' END,
           CASE WHEN l.first_touch_at IS NULL THEN coalesce(strftime('%Y-%m-%dT%H:%M:%SZ',
             l.handed_off_at, '+' || w.touch_secs || ' seconds'), '9999') ELSE '9999' END,
           CASE WHEN l.stage <> 'handed_off' THEN coalesce(l.next_due_at, '9999') ELSE '9999' END,
           CASE WHEN l.stage <> 'handed_off' THEN coalesce(strftime('%Y-%m-%dT%H:%M:%SZ',
             coalesce(l.last_touch_at, l.accepted_at, l.stage_at),
             '+' || s.stale_secs || ' seconds'), '9999') ELSE '9999' END), '9999') END AS flag_at
    FROM leads l, sla_windows w, sla_stale s;

ALTER TABLE leads ADD COLUMN flag_at TEXT;
UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
 WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
CREATE INDEX leads_flag ON leads(flag_at, owner_id) WHERE flag_at IS NOT NULL;

CREATE TABLE lead_flag_sums (
  owner_id INTEGER NOT NULL,
  day      TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (owner_id, day)
) WITHOUT ROWID;
CREATE VIEW lead_flag_sums_recount AS
  SELECT coalesce(owner_id, 0) AS owner_id, substr(flag_at, 1, 10) AS day, count(*) AS n
    FROM leads WHERE flag_at IS NOT NULL GROUP BY 1, 2;
INSERT INTO lead_flag_sums SELECT * FROM lead_flag_sums_recount;

CREATE TRIGGER leads_flag_insert AFTER INSERT ON leads
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = new.id)
   WHERE id = new.id;
END;
CREATE TRIGGER leads_flag_update AFTER UPDATE OF stage, handed_off_at, first_touch_at,
  next_due_at, last_touch_at, accepted_at, stage_at ON leads
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = new.id)
   WHERE id = new.id
     AND flag_at IS NOT (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = new.id);
END;
CREATE TRIGGER lead_flag_sums_update AFTER UPDATE OF flag_at, owner_id ON leads
  WHEN old.flag_at IS NOT new.flag_at OR old.owner_id IS NOT new.owner_id
BEGIN
  UPDATE lead_flag_sums SET n = n - 1
   WHERE old.flag_at IS NOT NULL AND owner_id = coalesce(old.owner_id, 0)
     AND day = substr(old.flag_at, 1, 10);
  INSERT INTO lead_flag_sums(owner_id, day, n)
    SELECT coalesce(new.owner_id, 0), substr(new.flag_at, 1, 10), 1
     WHERE new.flag_at IS NOT NULL
    ON CONFLICT(owner_id, day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER lead_flag_sums_delete AFTER DELETE ON leads
  WHEN old.flag_at IS NOT NULL
BEGIN
  UPDATE lead_flag_sums SET n = n - 1
   WHERE owner_id = coalesce(old.owner_id, 0) AND day = substr(old.flag_at, 1, 10);
END;
-- New windows or stale_days: every open lead's flag_at again (a few
-- seconds at a million leads, once per change of a manager's setting).
CREATE TRIGGER leads_flag_settings AFTER UPDATE ON settings
  WHEN old.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days')
    OR new.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days')
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
   WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
END;
CREATE TRIGGER leads_flag_settings_insert AFTER INSERT ON settings
  WHEN new.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days')
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
   WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
END;
CREATE TRIGGER leads_flag_settings_delete AFTER DELETE ON settings
  WHEN old.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days')
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
   WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
END;
