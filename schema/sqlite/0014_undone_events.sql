-- leadboard schema, version 14: an undone hand-off, acceptance, rejection
-- or move leaves the reports that count from the audit log (issue 14).  The
-- log itself stays append-only: the events an undo took back are named
-- here, and the reports leave them out.

CREATE TABLE events_undone (
  event_id  INTEGER PRIMARY KEY REFERENCES events(id),
  undone_at TEXT NOT NULL
);

-- The lead's last event when the change was made: the change's own events
-- are those after the lead's previous change, up to this one.
ALTER TABLE changes ADD COLUMN events_upto INTEGER;

-- Changes undone before this version: their stage events, found by who
-- made them and when; a rejection's feedback, undone with it.
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
-- that stand: an undone hand-off is no hand-off, an undone acceptance no
-- acceptance.  The recount leaves them out, and an undo recounts its lead.
DROP VIEW handoffs_recount;
CREATE VIEW handoffs_recount AS
  SELECT h.id, h.lead_id, h.login, h.at, h.nxat AS next_at,
         round((julianday((SELECT a.at FROM events a WHERE a.lead_id = h.lead_id
                            AND a.action = 'accept' AND a.id > h.id
                            AND a.id < coalesce(h.nx, 9223372036854775807)
                            AND a.id NOT IN (SELECT event_id FROM events_undone)
                          ORDER BY a.id LIMIT 1)) - julianday(h.at)) * 86400) AS acc_secs,
         round((julianday((SELECT min(f.created_at) FROM followups f
                            WHERE f.lead_id = h.lead_id AND f.undone_at IS NULL
                              AND f.created_at >= h.at
                              AND f.created_at < coalesce(h.nxat, '9999-12-31T23:59:59Z')))
                - julianday(h.at)) * 86400) AS touch_secs
    FROM (SELECT id, lead_id, coalesce(new_value, '') AS login, at,
                 lead(id) OVER (PARTITION BY lead_id ORDER BY id) AS nx,
                 lead(at) OVER (PARTITION BY lead_id ORDER BY id) AS nxat
            FROM events WHERE action = 'handoff' AND lead_id IS NOT NULL
             AND id NOT IN (SELECT event_id FROM events_undone)) h;

-- An undo of a lead's stage event: that lead's hand-offs again, from its
-- events that stand (a handful of rows).
CREATE TRIGGER handoffs_undone AFTER INSERT ON events_undone
BEGIN
  DELETE FROM handoffs WHERE lead_id = (SELECT lead_id FROM events WHERE id = new.event_id);
  INSERT INTO handoffs(id, lead_id, login, at, next_at, acc_secs, touch_secs)
    SELECT h.id, h.lead_id, h.login, h.at, h.nxat,
           round((julianday((SELECT a.at FROM events a WHERE a.lead_id = h.lead_id
                              AND a.action = 'accept' AND a.id > h.id
                              AND a.id < coalesce(h.nx, 9223372036854775807)
                              AND a.id NOT IN (SELECT event_id FROM events_undone)
                            ORDER BY a.id LIMIT 1)) - julianday(h.at)) * 86400),
           round((julianday((SELECT min(f.created_at) FROM followups f
                              WHERE f.lead_id = h.lead_id AND f.undone_at IS NULL
                                AND f.created_at >= h.at
                                AND f.created_at < coalesce(h.nxat, '9999-12-31T23:59:59Z')))
                  - julianday(h.at)) * 86400)
      FROM (SELECT id, lead_id, coalesce(new_value, '') AS login, at,
                   lead(id) OVER (ORDER BY id) AS nx, lead(at) OVER (ORDER BY id) AS nxat
              FROM events
             WHERE action = 'handoff'
               AND lead_id = (SELECT lead_id FROM events WHERE id = new.event_id)
               AND id NOT IN (SELECT event_id FROM events_undone)) h;
END;

-- The undos made before this version leave the totals too.
DELETE FROM handoffs;
INSERT INTO handoffs SELECT * FROM handoffs_recount;
DELETE FROM handoff_sums;
INSERT INTO handoff_sums SELECT * FROM handoff_sums_recount;
