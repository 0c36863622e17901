-- leadboard schema, version 12: the board's cards in order of urgency
-- (issue 15): in each column the leads whose SLA has been breached first
-- (leads.flag_at before now, schema 11), then the others, each part the
-- longest in the stage first.  One range of this index per page, whatever
-- the size of the column.
CREATE INDEX leads_urgency ON leads(stage, stage_at, flag_at);
