-- leadboard schema on PostgreSQL, version 12: the board's cards in order of urgency
-- (issue 15): in each column the leads whose SLA has been breached first
-- (leads.flag_at before now, schema 11), the longest overdue first, then
-- the others, the longest in the stage first.  Each part of a page is one
-- range of one of these indexes, whatever the size of the column.
CREATE INDEX leads_breach ON leads(stage, flag_at, id) WHERE flag_at IS NOT NULL;
CREATE INDEX leads_urgency ON leads(stage, stage_at, id, flag_at);
