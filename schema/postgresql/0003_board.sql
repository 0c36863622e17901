-- leadboard schema on PostgreSQL, version 3: leads per stage kept exact by
-- triggers (schema/sqlite/0003_board.sql).
CREATE TABLE stage_counts (
  stage text COLLATE "C" PRIMARY KEY,
  n     bigint NOT NULL
);
INSERT INTO stage_counts(stage, n) SELECT stage, count(*) FROM leads GROUP BY stage;

CREATE FUNCTION lb_stage_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    UPDATE stage_counts SET n = n - 1 WHERE stage = OLD.stage;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
    INSERT INTO stage_counts(stage, n) VALUES (NEW.stage, 1)
      ON CONFLICT (stage) DO UPDATE SET n = stage_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stage_counts_insert AFTER INSERT ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_stage_counts();
CREATE TRIGGER stage_counts_delete AFTER DELETE ON leads
  FOR EACH ROW EXECUTE FUNCTION lb_stage_counts();
CREATE TRIGGER stage_counts_update AFTER UPDATE OF stage ON leads
  FOR EACH ROW WHEN (OLD.stage <> NEW.stage) EXECUTE FUNCTION lb_stage_counts();

CREATE INDEX leads_stage_due ON leads(stage, next_due_at) WHERE next_due_at IS NOT NULL;
DROP INDEX leads_owner;
CREATE INDEX leads_owner ON leads(owner_id, stage, next_due_at);
