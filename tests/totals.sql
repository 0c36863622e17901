-- The reports' running totals (schema 11) against a recount from the rows:
-- the number of rows that differ, 0 when every total is exact.  Rows of
-- zeros left behind by leads that moved away are not a difference.
-- Read by tests/cli/totals.sh and tests/bench/bench.sh.
SELECT
  (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM lead_sums WHERE n <> 0
     EXCEPT SELECT * FROM lead_sums_recount)
   UNION ALL SELECT * FROM (SELECT * FROM lead_sums_recount EXCEPT SELECT * FROM lead_sums))) +
  (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM handoffs EXCEPT SELECT * FROM handoffs_recount)
   UNION ALL SELECT * FROM (SELECT * FROM handoffs_recount EXCEPT SELECT * FROM handoffs))) +
  (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM handoff_sums WHERE n <> 0
     EXCEPT SELECT * FROM handoff_sums_recount)
   UNION ALL SELECT * FROM (SELECT * FROM handoff_sums_recount EXCEPT SELECT * FROM handoff_sums))) +
  (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM touch_minutes WHERE n <> 0
     EXCEPT SELECT * FROM touch_minutes_recount)
   UNION ALL SELECT * FROM (SELECT * FROM touch_minutes_recount EXCEPT SELECT * FROM touch_minutes))) +
  (SELECT count(*) FROM leads l JOIN lead_flag_of f ON f.id = l.id WHERE l.flag_at IS NOT f.flag_at) +
  (SELECT count(*) FROM (SELECT * FROM (SELECT * FROM lead_flag_sums WHERE n <> 0
     EXCEPT SELECT * FROM lead_flag_sums_recount)
   UNION ALL SELECT * FROM (SELECT * FROM lead_flag_sums_recount EXCEPT SELECT * FROM lead_flag_sums)));
