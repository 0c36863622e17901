-- leadboard schema, version 8: audit-log ids are never reused.  With a plain
-- INTEGER PRIMARY KEY, events deleted from the end of the log (the triggers
-- dropped with the sqlite3 shell) left no trace: the next event took the
-- same id.  AUTOINCREMENT keeps the highest id ever given in sqlite_sequence,
-- so a deletion leaves a gap.  The table is rebuilt with every row, its
-- indexes and its append-only triggers.
CREATE TABLE events_v8 (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  actor_id  INTEGER REFERENCES users(id),
  os_login  TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER,
  lead_id   INTEGER REFERENCES leads(id),
  action    TEXT NOT NULL,
  field     TEXT NOT NULL DEFAULT '',
  old_value TEXT,
  new_value TEXT,
  note      TEXT NOT NULL DEFAULT ''
);
INSERT INTO events_v8(id, at, actor_id, os_login, entity, entity_id, lead_id, action, field,
                      old_value, new_value, note)
  SELECT id, at, actor_id, os_login, entity, entity_id, lead_id, action, field,
         old_value, new_value, note
    FROM events ORDER BY id;
DROP TABLE events;
ALTER TABLE events_v8 RENAME TO events;

CREATE INDEX events_lead ON events(lead_id, action, at, new_value) WHERE lead_id IS NOT NULL;
CREATE INDEX events_handoff ON events(lead_id, at, new_value) WHERE action = 'handoff';
CREATE INDEX events_moves ON events(at) WHERE action IN ('move', 'accept');

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
