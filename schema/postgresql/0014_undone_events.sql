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
