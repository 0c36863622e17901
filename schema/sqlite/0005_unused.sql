-- leadboard schema, version 5: indexes no query reads, each one a full
-- scan and sort when a big board is loaded.
-- No query filters follow-ups by their due date (overdue work is read
-- from leads.next_due_at) or leads by their marketer.
DROP INDEX followups_due;
DROP INDEX leads_marketer;
-- Overdue leads are found through leads_stage_due (stage, next_due_at).
DROP INDEX leads_due;
