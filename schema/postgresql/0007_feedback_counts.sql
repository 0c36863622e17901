-- leadboard schema on PostgreSQL, version 7: the ratings marketing has not
-- reviewed, kept exact by triggers (schema/sqlite/0007_feedback_counts.sql).
CREATE TABLE feedback_counts (
  id         bigint PRIMARY KEY CHECK (id = 1),
  unreviewed bigint NOT NULL
);
INSERT INTO feedback_counts(id, unreviewed)
  SELECT 1, count(*) FROM ratings WHERE reviewed_at IS NULL;

CREATE FUNCTION lb_feedback_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE feedback_counts SET unreviewed = unreviewed + 1;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE feedback_counts SET unreviewed = unreviewed - 1;
  ELSE
    UPDATE feedback_counts
       SET unreviewed = unreviewed + (NEW.reviewed_at IS NULL)::int - (OLD.reviewed_at IS NULL)::int;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER feedback_counts_insert AFTER INSERT ON ratings
  FOR EACH ROW WHEN (NEW.reviewed_at IS NULL) EXECUTE FUNCTION lb_feedback_counts();
CREATE TRIGGER feedback_counts_delete AFTER DELETE ON ratings
  FOR EACH ROW WHEN (OLD.reviewed_at IS NULL) EXECUTE FUNCTION lb_feedback_counts();
CREATE TRIGGER feedback_counts_update AFTER UPDATE OF reviewed_at ON ratings
  FOR EACH ROW WHEN ((OLD.reviewed_at IS NULL) <> (NEW.reviewed_at IS NULL))
  EXECUTE FUNCTION lb_feedback_counts();
