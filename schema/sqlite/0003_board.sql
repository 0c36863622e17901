-- leadboard schema, version 3: what the board's first frame needs without
-- counting a million rows.

-- Leads per stage, kept exact by triggers (whoever writes, even the sqlite3
-- shell), so the unfiltered board reads eight rows instead of counting.
CREATE TABLE stage_counts (
  stage TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO stage_counts(stage, n) SELECT stage, count(*) FROM leads GROUP BY stage;

CREATE TRIGGER stage_counts_insert AFTER INSERT ON leads
BEGIN
  INSERT INTO stage_counts(stage, n) VALUES (new.stage, 1)
    ON CONFLICT(stage) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER stage_counts_delete AFTER DELETE ON leads
BEGIN
  UPDATE stage_counts SET n = n - 1 WHERE stage = old.stage;
END;
CREATE TRIGGER stage_counts_update AFTER UPDATE OF stage ON leads
  WHEN old.stage <> new.stage
BEGIN
  UPDATE stage_counts SET n = n - 1 WHERE stage = old.stage;
  INSERT INTO stage_counts(stage, n) VALUES (new.stage, 1)
    ON CONFLICT(stage) DO UPDATE SET n = n + 1;
END;

-- Follow-ups overdue, for everyone (by stage) and for one rep (by owner):
-- counted from the index alone.
CREATE INDEX leads_stage_due ON leads(stage, next_due_at) WHERE next_due_at IS NOT NULL;
DROP INDEX leads_owner;
CREATE INDEX leads_owner ON leads(owner_id, stage, next_due_at);
