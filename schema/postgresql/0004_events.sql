-- leadboard schema on PostgreSQL, version 4: the audit log's indexes
-- (schema/sqlite/0004_events.sql).
DROP INDEX events_lead;
DROP INDEX events_stage;
CREATE INDEX events_lead ON events(lead_id, action, at, new_value) WHERE lead_id IS NOT NULL;
CREATE INDEX events_handoff ON events(lead_id, at, new_value) WHERE action = 'handoff';
DROP INDEX events_at;
CREATE INDEX events_moves ON events(at) WHERE action IN ('move', 'accept');
