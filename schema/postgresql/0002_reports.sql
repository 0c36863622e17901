-- leadboard schema on PostgreSQL, version 2: indexes for the reports
-- (schema/sqlite/0002_reports.sql).
CREATE INDEX leads_report ON leads(campaign_id, furthest, rejections, stars, stage, value);
CREATE INDEX leads_created ON leads(created_at);
CREATE INDEX leads_won ON leads(closed_at, value) WHERE stage = 'won';
CREATE INDEX leads_due ON leads(next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX events_stage ON events(lead_id, action, id, at, new_value)
  WHERE action IN ('handoff', 'accept', 'reject', 'move');
CREATE INDEX ratings_created ON ratings(created_at);
