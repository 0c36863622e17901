-- leadboard schema, version 7: the number of ratings marketing has not
-- reviewed, kept exact by triggers like stage_counts.  The Feedback view's
-- header and the status line read it on every frame; counting it walked
-- every unreviewed rating (142,000 index entries, 8 ms, on the
-- million-lead demo).
CREATE TABLE feedback_counts (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  unreviewed INTEGER NOT NULL
);
INSERT INTO feedback_counts(id, unreviewed)
  SELECT 1, count(*) FROM ratings WHERE reviewed_at IS NULL;

CREATE TRIGGER feedback_counts_insert AFTER INSERT ON ratings
  WHEN new.reviewed_at IS NULL
BEGIN
  UPDATE feedback_counts SET unreviewed = unreviewed + 1;
END;
CREATE TRIGGER feedback_counts_delete AFTER DELETE ON ratings
  WHEN old.reviewed_at IS NULL
BEGIN
  UPDATE feedback_counts SET unreviewed = unreviewed - 1;
END;
CREATE TRIGGER feedback_counts_update AFTER UPDATE OF reviewed_at ON ratings
  WHEN (old.reviewed_at IS NULL) <> (new.reviewed_at IS NULL)
BEGIN
  UPDATE feedback_counts
     SET unreviewed = unreviewed + (new.reviewed_at IS NULL) - (old.reviewed_at IS NULL);
END;
