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
