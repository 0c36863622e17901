-- leadboard schema on PostgreSQL, version 9: the loop closes both ways
-- (schema/sqlite/0009_loop.sql).  PostgreSQL changes a CHECK in place.
ALTER TABLE ratings ADD COLUMN kind text COLLATE "C" NOT NULL DEFAULT 'rating'
  CHECK (kind IN ('rating', 'rejection'));
ALTER TABLE ratings ADD COLUMN reply_seen_at text COLLATE "C";
ALTER TABLE ratings ALTER COLUMN stars DROP NOT NULL;
ALTER TABLE ratings DROP CONSTRAINT ratings_stars_check;
ALTER TABLE ratings ADD CONSTRAINT ratings_stars_check
  CHECK ((stars BETWEEN 1 AND 5) OR (stars IS NULL AND kind = 'rejection'));
-- The rejections made before this version reach the inbox too.
INSERT INTO ratings(lead_id, user_id, kind, stars, comment, created_at)
  SELECT e.lead_id, e.actor_id, 'rejection', NULL, e.note, e.at FROM events e
   WHERE e.entity = 'lead' AND e.action = 'reject' AND e.actor_id IS NOT NULL
     AND e.lead_id IS NOT NULL
   ORDER BY e.id;
CREATE INDEX ratings_user ON ratings(user_id, id);
UPDATE feedback_counts SET unreviewed = (SELECT count(*) FROM ratings WHERE reviewed_at IS NULL);

ALTER TABLE leads ADD COLUMN revisit_at text COLLATE "C";
CREATE INDEX leads_revisit ON leads(revisit_at) WHERE revisit_at IS NOT NULL;

INSERT INTO settings(key, value) VALUES ('alarm.rejection_rate', '0.30') ON CONFLICT DO NOTHING;

CREATE INDEX followups_created ON followups(created_at);
CREATE INDEX leads_marketer_loop
  ON leads(marketer_id, campaign_id, furthest, rejections, stars, stage, value, created_at);
