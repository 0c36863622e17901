-- leadboard schema on PostgreSQL, version 14: the events an undo took back
-- (schema/sqlite/0014_undone_events.sql), left out of the reports that
-- count from the audit log; the log itself stays append-only.
CREATE TABLE events_undone (
  event_id  bigint PRIMARY KEY REFERENCES events(id),
  undone_at text COLLATE "C" NOT NULL
);

ALTER TABLE changes ADD COLUMN events_upto bigint;

INSERT INTO events_undone(event_id, undone_at)
  SELECT e.id, min(c.undone_at) FROM changes c
    JOIN events e ON e.lead_id = c.lead_id AND e.at = c.at AND e.actor_id = c.user_id
   WHERE c.undone_at IS NOT NULL
     AND c.kind IN ('handoff', 'accept', 'reject', 'move', 'log')
     AND e.action IN ('handoff', 'accept', 'reject', 'move')
   GROUP BY e.id;
UPDATE ratings SET undone_at = (SELECT min(c.undone_at) FROM changes c
                                  WHERE c.kind = 'reject' AND c.undone_at IS NOT NULL
                                    AND c.lead_id = ratings.lead_id
                                    AND c.user_id = ratings.user_id
                                    AND c.at = ratings.created_at)
 WHERE kind = 'rejection' AND undone_at IS NULL
   AND EXISTS (SELECT 1 FROM changes c
                WHERE c.kind = 'reject' AND c.undone_at IS NOT NULL
                  AND c.lead_id = ratings.lead_id AND c.user_id = ratings.user_id
                  AND c.at = ratings.created_at);

-- The sla and speed reports' hand-offs (schema 11) are the hand-off events
-- that stand (schema/sqlite/0014_undone_events.sql): the recount leaves
-- the undone ones out, and an undo recounts its lead.
CREATE OR REPLACE VIEW handoffs_recount AS
  SELECT h.id, h.lead_id, h.login, h.at, h.nxat AS next_at,
         lb_secs((SELECT a.at FROM events a WHERE a.lead_id = h.lead_id
                   AND a.action = 'accept' AND a.id > h.id
                   AND a.id < coalesce(h.nx, 9223372036854775807)
                   AND a.id NOT IN (SELECT event_id FROM events_undone)
                 ORDER BY a.id LIMIT 1), h.at) AS acc_secs,
         lb_secs((SELECT min(f.created_at) FROM followups f
                   WHERE f.lead_id = h.lead_id AND f.undone_at IS NULL
                     AND f.created_at >= h.at
                     AND f.created_at < coalesce(h.nxat, '9999-12-31T23:59:59Z')), h.at)
           AS touch_secs
    FROM (SELECT id, lead_id, coalesce(new_value, '') AS login, at,
                 lead(id) OVER (PARTITION BY lead_id ORDER BY id) AS nx,
                 lead(at) OVER (PARTITION BY lead_id ORDER BY id) AS nxat
            FROM events WHERE action = 'handoff' AND lead_id IS NOT NULL
             AND id NOT IN (SELECT event_id FROM events_undone)) h;

CREATE FUNCTION lb_handoffs_undone() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE lead bigint;
BEGIN
  SELECT lead_id INTO lead FROM events WHERE id = NEW.event_id;
  DELETE FROM handoffs WHERE lead_id = lead;
  INSERT INTO handoffs(id, lead_id, login, at, next_at, acc_secs, touch_secs)
    SELECT h.id, h.lead_id, h.login, h.at, h.next_at, h.acc_secs, h.touch_secs
      FROM handoffs_recount h WHERE h.lead_id = lead;
  RETURN NULL;
END $$;
CREATE TRIGGER handoffs_undone AFTER INSERT ON events_undone
  FOR EACH ROW EXECUTE FUNCTION lb_handoffs_undone();

DELETE FROM handoffs;
INSERT INTO handoffs SELECT * FROM handoffs_recount;
DELETE FROM handoff_sums;
INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
