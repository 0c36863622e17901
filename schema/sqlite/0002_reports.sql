-- leadboard schema, version 2: indexes for the reports (report.h).

-- campaigns: grouped in index order over narrow entries, never the wide
-- lead rows.
CREATE INDEX leads_report ON leads(campaign_id, furthest, rejections, stars, stage, value);
-- funnel and campaigns of a period: the leads created in it.
CREATE INDEX leads_created ON leads(created_at);
-- goals: the wins closed in a period, with their values.
CREATE INDEX leads_won ON leads(closed_at, value) WHERE stage = 'won';
-- stand-up: follow-ups overdue now.
CREATE INDEX leads_due ON leads(next_due_at) WHERE next_due_at IS NOT NULL;
-- funnel and campaigns of a period, sla: a lead's stage changes, covering,
-- so that reading them does not touch the (much larger) events table.
-- A query uses it only when it repeats this WHERE term word for word.
CREATE INDEX events_stage ON events(lead_id, action, id, at, new_value)
  WHERE action IN ('handoff', 'accept', 'reject', 'move');
-- stand-up: the feedback of a period.
CREATE INDEX ratings_created ON ratings(created_at);
