-- leadboard schema, version 2: indexes for the reports (report.h).

-- campaigns: one pass over a narrow covering index grouped by campaign,
-- instead of over the wide lead rows.
CREATE INDEX leads_report ON leads(campaign_id, created_at, furthest, rejections, stars, stage,
                                   value, closed_at);
-- goals: the wins closed in a period, with their values.
CREATE INDEX leads_won ON leads(closed_at, value) WHERE stage = 'won';
-- stand-up: follow-ups overdue now.
CREATE INDEX leads_due ON leads(next_due_at) WHERE next_due_at IS NOT NULL;
-- sla: the hand-offs of a period, with their rep and lead.
CREATE INDEX events_handoff ON events(at, new_value, lead_id) WHERE action = 'handoff';
-- stand-up: the feedback of a period.
CREATE INDEX ratings_created ON ratings(created_at);
