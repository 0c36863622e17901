-- leadboard schema on PostgreSQL, version 11: the reports' running totals
-- (schema/sqlite/0011_report_sums.sql): the same tables, the same recount
-- views, and triggers of the same names that keep them exact.

-- SQLite's CAST(text AS INTEGER): the leading number, else 0.
CREATE FUNCTION lb_int(t text) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN t ~ '^\s*[-+]?[0-9]+' THEN substring(t FROM '^\s*([-+]?[0-9]+)')::bigint
              ELSE 0 END
$$;
-- strftime('%Y-%m-%dT%H:%M:%SZ', t, '+N seconds')
CREATE FUNCTION lb_add_secs(t text, secs bigint) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT to_char((t::timestamptz + secs * interval '1 second') AT TIME ZONE 'UTC',
                 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
-- whole seconds from b to a, as the SQLite triggers round them
CREATE FUNCTION lb_secs(a text, b text) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT round((julianday(a) - julianday(b)) * 86400)::bigint
$$;

CREATE TABLE lead_sums (
  campaign_id bigint NOT NULL,
  marketer_id bigint NOT NULL,
  day         text COLLATE "C" NOT NULL,
  n           bigint NOT NULL,
  r1          bigint NOT NULL,
  r2          bigint NOT NULL,
  r3          bigint NOT NULL,
  r4          bigint NOT NULL,
  r5          bigint NOT NULL,
  r6          bigint NOT NULL,
  rejected    bigint NOT NULL,
  rated       bigint NOT NULL,
  stars       bigint NOT NULL,
  won         bigint NOT NULL,
  revenue     bigint NOT NULL,
  PRIMARY KEY (campaign_id, marketer_id, day)
);

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

-- One lead's share of lead_sums, added (sign 1) or taken away (-1).
CREATE FUNCTION lb_lead_sums(l leads, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF sign > 0 THEN
    INSERT INTO lead_sums(campaign_id, marketer_id, day, n, r1, r2, r3, r4, r5, r6, rejected,
                          rated, stars, won, revenue)
      VALUES (coalesce(l.campaign_id, 0), coalesce(l.marketer_id, 0), substr(l.created_at, 1, 10),
              1, (l.furthest >= 1)::int, (l.furthest >= 2)::int, (l.furthest >= 3)::int,
              (l.furthest >= 4)::int, (l.furthest >= 5)::int, (l.furthest >= 6)::int,
              (l.rejections > 0)::int, (l.stars IS NOT NULL)::int, coalesce(l.stars, 0),
              (l.stage = 'won')::int,
              CASE WHEN l.stage = 'won' THEN coalesce(l.value, 0) ELSE 0 END)
      ON CONFLICT (campaign_id, marketer_id, day) DO UPDATE SET
        n = lead_sums.n + 1, r1 = lead_sums.r1 + excluded.r1, r2 = lead_sums.r2 + excluded.r2,
        r3 = lead_sums.r3 + excluded.r3, r4 = lead_sums.r4 + excluded.r4,
        r5 = lead_sums.r5 + excluded.r5, r6 = lead_sums.r6 + excluded.r6,
        rejected = lead_sums.rejected + excluded.rejected, rated = lead_sums.rated + excluded.rated,
        stars = lead_sums.stars + excluded.stars, won = lead_sums.won + excluded.won,
        revenue = lead_sums.revenue + excluded.revenue;
  ELSE
    UPDATE lead_sums SET n = n - 1, r1 = r1 - (l.furthest >= 1)::int,
           r2 = r2 - (l.furthest >= 2)::int, r3 = r3 - (l.furthest >= 3)::int,
           r4 = r4 - (l.furthest >= 4)::int, r5 = r5 - (l.furthest >= 5)::int,
           r6 = r6 - (l.furthest >= 6)::int, rejected = rejected - (l.rejections > 0)::int,
           rated = rated - (l.stars IS NOT NULL)::int, stars = stars - coalesce(l.stars, 0),
           won = won - (l.stage = 'won')::int,
           revenue = revenue - CASE WHEN l.stage = 'won' THEN coalesce(l.value, 0) ELSE 0 END
     WHERE campaign_id = coalesce(l.campaign_id, 0) AND marketer_id = coalesce(l.marketer_id, 0)
       AND day = substr(l.created_at, 1, 10);
  END IF;
END $$;
CREATE FUNCTION lb_lead_sums_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    PERFORM lb_lead_sums(OLD, -1);
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
    PERFORM lb_lead_sums(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER lead_sums_insert AFTER INSERT ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_lead_sums_trigger();
CREATE TRIGGER lead_sums_delete AFTER DELETE ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_lead_sums_trigger();
CREATE TRIGGER lead_sums_update AFTER UPDATE OF campaign_id, marketer_id, created_at, furthest,
  rejections, stars, stage, value ON leads
  FOR EACH ROW WHEN (OLD.campaign_id IS DISTINCT FROM NEW.campaign_id
    OR OLD.marketer_id IS DISTINCT FROM NEW.marketer_id
    OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.furthest IS DISTINCT FROM NEW.furthest
    OR (OLD.rejections > 0) IS DISTINCT FROM (NEW.rejections > 0)
    OR OLD.stars IS DISTINCT FROM NEW.stars OR OLD.stage IS DISTINCT FROM NEW.stage
    OR OLD.value IS DISTINCT FROM NEW.value)
  EXECUTE FUNCTION lb_lead_sums_trigger();

CREATE INDEX followups_live ON followups(lead_id, created_at) WHERE undone_at IS NULL;

CREATE TABLE handoffs (
  id         bigint PRIMARY KEY,
  lead_id    bigint NOT NULL,
  login      text COLLATE "C" NOT NULL,
  at         text COLLATE "C" NOT NULL,
  next_at    text COLLATE "C",
  acc_secs   bigint,
  touch_secs bigint
);
CREATE INDEX handoffs_lead ON handoffs(lead_id, id);
CREATE INDEX handoffs_at ON handoffs(at, login, acc_secs, touch_secs);
CREATE INDEX handoffs_touch ON handoffs(login, touch_secs, at) WHERE touch_secs IS NOT NULL;
CREATE INDEX handoffs_touch_all ON handoffs(touch_secs, at) WHERE touch_secs IS NOT NULL;

CREATE VIEW handoffs_recount AS
  SELECT h.id, h.lead_id, h.login, h.at, h.nxat AS next_at,
         lb_secs((SELECT a.at FROM events a WHERE a.lead_id = h.lead_id
                   AND a.action = 'accept' AND a.id > h.id
                   AND a.id < coalesce(h.nx, 9223372036854775807)
                 ORDER BY a.id LIMIT 1), h.at) AS acc_secs,
         lb_secs((SELECT min(f.created_at) FROM followups f
                   WHERE f.lead_id = h.lead_id AND f.undone_at IS NULL
                     AND f.created_at >= h.at
                     AND f.created_at < coalesce(h.nxat, '9999-12-31T23:59:59Z')), h.at)
           AS touch_secs
    FROM (SELECT id, lead_id, coalesce(new_value, '') AS login, at,
                 lead(id) OVER (PARTITION BY lead_id ORDER BY id) AS nx,
                 lead(at) OVER (PARTITION BY lead_id ORDER BY id) AS nxat
            FROM events WHERE action = 'handoff' AND lead_id IS NOT NULL) h;
INSERT INTO handoffs SELECT * FROM handoffs_recount;

CREATE FUNCTION lb_handoffs_handoff() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE handoffs SET next_at = NEW.at,
         touch_secs = lb_secs((SELECT min(f.created_at) FROM followups f
                                WHERE f.lead_id = handoffs.lead_id AND f.undone_at IS NULL
                                  AND f.created_at >= handoffs.at AND f.created_at < NEW.at),
                              handoffs.at)
   WHERE lead_id = NEW.lead_id AND next_at IS NULL AND id < NEW.id;
  INSERT INTO handoffs(id, lead_id, login, at, touch_secs)
    VALUES (NEW.id, NEW.lead_id, coalesce(NEW.new_value, ''), NEW.at,
            lb_secs((SELECT min(f.created_at) FROM followups f
                      WHERE f.lead_id = NEW.lead_id AND f.undone_at IS NULL
                        AND f.created_at >= NEW.at), NEW.at));
  RETURN NULL;
END $$;
CREATE TRIGGER handoffs_handoff AFTER INSERT ON events
  FOR EACH ROW WHEN (NEW.action = 'handoff' AND NEW.lead_id IS NOT NULL)
  EXECUTE FUNCTION lb_handoffs_handoff();
CREATE FUNCTION lb_handoffs_accept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE handoffs SET acc_secs = lb_secs(NEW.at, at)
   WHERE lead_id = NEW.lead_id AND next_at IS NULL AND acc_secs IS NULL AND id < NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER handoffs_accept AFTER INSERT ON events
  FOR EACH ROW WHEN (NEW.action = 'accept' AND NEW.lead_id IS NOT NULL)
  EXECUTE FUNCTION lb_handoffs_accept();
CREATE FUNCTION lb_handoffs_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE handoffs SET touch_secs = lb_secs(NEW.created_at, at)
   WHERE lead_id = NEW.lead_id AND at <= NEW.created_at
     AND (next_at IS NULL OR NEW.created_at < next_at)
     AND (touch_secs IS NULL OR touch_secs > lb_secs(NEW.created_at, at));
  RETURN NULL;
END $$;
CREATE TRIGGER handoffs_touch AFTER INSERT ON followups
  FOR EACH ROW WHEN (NEW.undone_at IS NULL) EXECUTE FUNCTION lb_handoffs_touch();
-- A lead's first touches looked up again.
CREATE FUNCTION lb_handoffs_retouch(lead bigint) RETURNS void LANGUAGE sql AS $$
  UPDATE handoffs SET touch_secs = lb_secs((SELECT min(f.created_at) FROM followups f
                                           WHERE f.lead_id = handoffs.lead_id
                                             AND f.undone_at IS NULL
                                             AND f.created_at >= handoffs.at
                                             AND f.created_at < coalesce(handoffs.next_at,
                                                                         '9999-12-31T23:59:59Z')),
                                          handoffs.at)
   WHERE lead_id = lead
$$;
CREATE FUNCTION lb_handoffs_retouch_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lb_handoffs_retouch(OLD.lead_id);
  IF TG_OP = 'UPDATE' AND NEW.lead_id IS DISTINCT FROM OLD.lead_id THEN
    PERFORM lb_handoffs_retouch(NEW.lead_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER handoffs_retouch AFTER UPDATE OF lead_id, created_at, undone_at ON followups
  FOR EACH ROW EXECUTE FUNCTION lb_handoffs_retouch_trigger();
CREATE TRIGGER handoffs_untouch AFTER DELETE ON followups
  FOR EACH ROW EXECUTE FUNCTION lb_handoffs_retouch_trigger();

CREATE TABLE handoff_sums (
  login    text COLLATE "C" NOT NULL,
  day      text COLLATE "C" NOT NULL,
  n        bigint NOT NULL,
  acc_ok   bigint NOT NULL,
  touch_ok bigint NOT NULL,
  touched  bigint NOT NULL,
  w5m      bigint NOT NULL,
  w1h      bigint NOT NULL,
  w24h     bigint NOT NULL,
  later    bigint NOT NULL,
  PRIMARY KEY (login, day)
);

CREATE VIEW sla_windows AS
  SELECT coalesce((SELECT lb_int(value) FROM settings WHERE key = 'sla.accept_hours'
                     AND lb_int(value) > 0), 24) * 3600 AS accept_secs,
         coalesce((SELECT lb_int(value) FROM settings
                    WHERE key = 'sla.first_touch_hours' AND lb_int(value) > 0), 48)
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

-- One hand-off's share of handoff_sums, added (1) or taken away (-1).
CREATE FUNCTION lb_handoff_sums(h handoffs, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE w sla_windows;
BEGIN
  SELECT * INTO w FROM sla_windows;
  IF sign > 0 THEN
    INSERT INTO handoff_sums(login, day, n, acc_ok, touch_ok, touched, w5m, w1h, w24h, later)
      VALUES (h.login, substr(h.at, 1, 10), 1, coalesce((h.acc_secs <= w.accept_secs)::int, 0),
              coalesce((h.touch_secs <= w.touch_secs)::int, 0), (h.touch_secs IS NOT NULL)::int,
              coalesce((h.touch_secs <= 300)::int, 0),
              coalesce((h.touch_secs > 300 AND h.touch_secs <= 3600)::int, 0),
              coalesce((h.touch_secs > 3600 AND h.touch_secs <= 86400)::int, 0),
              coalesce((h.touch_secs > 86400)::int, 0))
      ON CONFLICT (login, day) DO UPDATE SET n = handoff_sums.n + 1,
        acc_ok = handoff_sums.acc_ok + excluded.acc_ok,
        touch_ok = handoff_sums.touch_ok + excluded.touch_ok,
        touched = handoff_sums.touched + excluded.touched, w5m = handoff_sums.w5m + excluded.w5m,
        w1h = handoff_sums.w1h + excluded.w1h, w24h = handoff_sums.w24h + excluded.w24h,
        later = handoff_sums.later + excluded.later;
  ELSE
    UPDATE handoff_sums SET n = n - 1,
           acc_ok = acc_ok - coalesce((h.acc_secs <= w.accept_secs)::int, 0),
           touch_ok = touch_ok - coalesce((h.touch_secs <= w.touch_secs)::int, 0),
           touched = touched - (h.touch_secs IS NOT NULL)::int,
           w5m = w5m - coalesce((h.touch_secs <= 300)::int, 0),
           w1h = w1h - coalesce((h.touch_secs > 300 AND h.touch_secs <= 3600)::int, 0),
           w24h = w24h - coalesce((h.touch_secs > 3600 AND h.touch_secs <= 86400)::int, 0),
           later = later - coalesce((h.touch_secs > 86400)::int, 0)
     WHERE login = h.login AND day = substr(h.at, 1, 10);
  END IF;
END $$;
CREATE FUNCTION lb_handoff_sums_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    PERFORM lb_handoff_sums(OLD, -1);
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
    PERFORM lb_handoff_sums(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER handoff_sums_insert AFTER INSERT ON handoffs
  FOR EACH ROW EXECUTE FUNCTION lb_handoff_sums_trigger();
CREATE TRIGGER handoff_sums_update AFTER UPDATE ON handoffs
  FOR EACH ROW WHEN (OLD.login IS DISTINCT FROM NEW.login OR OLD.at IS DISTINCT FROM NEW.at
    OR OLD.acc_secs IS DISTINCT FROM NEW.acc_secs OR OLD.touch_secs IS DISTINCT FROM NEW.touch_secs)
  EXECUTE FUNCTION lb_handoff_sums_trigger();
CREATE TRIGGER handoff_sums_delete AFTER DELETE ON handoffs
  FOR EACH ROW EXECUTE FUNCTION lb_handoff_sums_trigger();

CREATE FUNCTION lb_handoff_sums_settings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM handoff_sums;
  INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
  RETURN NULL;
END $$;
CREATE TRIGGER handoff_sums_settings AFTER UPDATE ON settings
  FOR EACH ROW WHEN (OLD.key IN ('sla.accept_hours', 'sla.first_touch_hours')
    OR NEW.key IN ('sla.accept_hours', 'sla.first_touch_hours'))
  EXECUTE FUNCTION lb_handoff_sums_settings();
CREATE TRIGGER handoff_sums_settings_insert AFTER INSERT ON settings
  FOR EACH ROW WHEN (NEW.key IN ('sla.accept_hours', 'sla.first_touch_hours'))
  EXECUTE FUNCTION lb_handoff_sums_settings();
CREATE TRIGGER handoff_sums_settings_delete AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key IN ('sla.accept_hours', 'sla.first_touch_hours'))
  EXECUTE FUNCTION lb_handoff_sums_settings();

CREATE TABLE touch_minutes (
  login  text COLLATE "C" NOT NULL,
  minute bigint NOT NULL,
  n      bigint NOT NULL,
  PRIMARY KEY (login, minute)
);
CREATE VIEW touch_minutes_recount AS
  SELECT login, touch_secs / 60 AS minute, count(*) AS n FROM handoffs
   WHERE touch_secs IS NOT NULL GROUP BY 1, 2;
INSERT INTO touch_minutes SELECT * FROM touch_minutes_recount;

CREATE FUNCTION lb_touch_minutes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'UPDATE' OR TG_OP = 'DELETE') AND OLD.touch_secs IS NOT NULL THEN
    UPDATE touch_minutes SET n = n - 1 WHERE login = OLD.login AND minute = OLD.touch_secs / 60;
  END IF;
  IF (TG_OP = 'UPDATE' OR TG_OP = 'INSERT') AND NEW.touch_secs IS NOT NULL THEN
    INSERT INTO touch_minutes(login, minute, n) VALUES (NEW.login, NEW.touch_secs / 60, 1)
      ON CONFLICT (login, minute) DO UPDATE SET n = touch_minutes.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER touch_minutes_insert AFTER INSERT ON handoffs
  FOR EACH ROW WHEN (NEW.touch_secs IS NOT NULL) EXECUTE FUNCTION lb_touch_minutes();
CREATE TRIGGER touch_minutes_update AFTER UPDATE OF login, touch_secs ON handoffs
  FOR EACH ROW WHEN (OLD.login IS DISTINCT FROM NEW.login
    OR OLD.touch_secs IS DISTINCT FROM NEW.touch_secs)
  EXECUTE FUNCTION lb_touch_minutes();
CREATE TRIGGER touch_minutes_delete AFTER DELETE ON handoffs
  FOR EACH ROW WHEN (OLD.touch_secs IS NOT NULL) EXECUTE FUNCTION lb_touch_minutes();

CREATE VIEW sla_stale AS
  SELECT coalesce((SELECT lb_int(value) FROM settings WHERE key = 'stale_days'
                     AND lb_int(value) > 0), 7) * 86400 AS stale_secs;

ALTER TABLE leads ADD COLUMN flag_at text COLLATE "C";

CREATE VIEW lead_flag_of AS
  SELECT l.id, CASE WHEN l.stage = 'nurture' OR l.stage = 'won' OR l.stage = 'lost' THEN NULL
         ELSE nullif(least(
           CASE WHEN l.stage = 'handed_off' THEN coalesce(lb_add_secs(l.handed_off_at,
             w.accept_secs), '9999') ELSE '9999' END,
           CASE WHEN l.first_touch_at IS NULL THEN coalesce(lb_add_secs(l.handed_off_at,
             w.touch_secs), '9999') ELSE '9999' END,
           CASE WHEN l.stage <> 'handed_off' THEN coalesce(l.next_due_at, '9999') ELSE '9999' END,
           CASE WHEN l.stage <> 'handed_off' THEN coalesce(lb_add_secs(
             coalesce(l.last_touch_at, l.accepted_at, l.stage_at), s.stale_secs), '9999')
             ELSE '9999' END), '9999') END AS flag_at
    FROM leads l, sla_windows w, sla_stale s;

UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
 WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
CREATE INDEX leads_flag ON leads(flag_at, owner_id) WHERE flag_at IS NOT NULL;

CREATE TABLE lead_flag_sums (
  owner_id bigint NOT NULL,
  day      text COLLATE "C" NOT NULL,
  n        bigint NOT NULL,
  PRIMARY KEY (owner_id, day)
);
CREATE VIEW lead_flag_sums_recount AS
  SELECT coalesce(owner_id, 0) AS owner_id, substr(flag_at, 1, 10) AS day, count(*) AS n
    FROM leads WHERE flag_at IS NOT NULL GROUP BY 1, 2;
INSERT INTO lead_flag_sums SELECT * FROM lead_flag_sums_recount;

CREATE FUNCTION lb_leads_flag() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE f text;
BEGIN
  SELECT x.flag_at INTO f FROM lead_flag_of x WHERE x.id = NEW.id;
  IF TG_OP = 'INSERT' THEN
    UPDATE leads SET flag_at = f WHERE id = NEW.id;
  ELSE
    UPDATE leads SET flag_at = f WHERE id = NEW.id AND flag_at IS DISTINCT FROM f;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER leads_flag_insert AFTER INSERT ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_leads_flag();
CREATE TRIGGER leads_flag_update AFTER UPDATE OF stage, handed_off_at, first_touch_at,
  next_due_at, last_touch_at, accepted_at, stage_at ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_leads_flag();
CREATE FUNCTION lb_lead_flag_sums() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (TG_OP = 'UPDATE' OR TG_OP = 'DELETE') AND OLD.flag_at IS NOT NULL THEN
    UPDATE lead_flag_sums SET n = n - 1
     WHERE owner_id = coalesce(OLD.owner_id, 0) AND day = substr(OLD.flag_at, 1, 10);
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.flag_at IS NOT NULL THEN
    INSERT INTO lead_flag_sums(owner_id, day, n)
      VALUES (coalesce(NEW.owner_id, 0), substr(NEW.flag_at, 1, 10), 1)
      ON CONFLICT (owner_id, day) DO UPDATE SET n = lead_flag_sums.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER lead_flag_sums_update AFTER UPDATE OF flag_at, owner_id ON leads
  FOR EACH ROW WHEN (OLD.flag_at IS DISTINCT FROM NEW.flag_at
    OR OLD.owner_id IS DISTINCT FROM NEW.owner_id)
  EXECUTE FUNCTION lb_lead_flag_sums();
CREATE TRIGGER lead_flag_sums_delete AFTER DELETE ON leads
  FOR EACH ROW WHEN (OLD.flag_at IS NOT NULL) EXECUTE FUNCTION lb_lead_flag_sums();
CREATE FUNCTION lb_leads_flag_settings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE leads SET flag_at = (SELECT f.flag_at FROM lead_flag_of f WHERE f.id = leads.id)
   WHERE stage <> 'nurture' AND stage <> 'won' AND stage <> 'lost';
  RETURN NULL;
END $$;
CREATE TRIGGER leads_flag_settings AFTER UPDATE ON settings
  FOR EACH ROW WHEN (OLD.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days')
    OR NEW.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days'))
  EXECUTE FUNCTION lb_leads_flag_settings();
CREATE TRIGGER leads_flag_settings_insert AFTER INSERT ON settings
  FOR EACH ROW WHEN (NEW.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days'))
  EXECUTE FUNCTION lb_leads_flag_settings();
CREATE TRIGGER leads_flag_settings_delete AFTER DELETE ON settings
  FOR EACH ROW WHEN (OLD.key IN ('sla.accept_hours', 'sla.first_touch_hours', 'stale_days'))
  EXECUTE FUNCTION lb_leads_flag_settings();
