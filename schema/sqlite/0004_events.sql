-- leadboard schema, version 4: the audit log's indexes, fewer rows to sort
-- (a million leads carry six and a half million events; building these
-- indexes was most of `demo --leads 1000000`).

-- A lead's events, covering what the timeline (then sorted by id, a few
-- rows) and the reports' per-lead stage lookups read.  Replaces the
-- narrower events_lead and the wider partial events_stage.
DROP INDEX events_lead;
DROP INDEX events_stage;
CREATE INDEX events_lead ON events(lead_id, action, at, new_value) WHERE lead_id IS NOT NULL;

-- The hand-offs alone, in lead order, for the SLA report's scan.
CREATE INDEX events_handoff ON events(lead_id, at, new_value) WHERE action = 'handoff';

-- The stand-up's moves in a period; nothing else reads events by time.
DROP INDEX events_at;
CREATE INDEX events_moves ON events(at) WHERE action IN ('move', 'accept');
