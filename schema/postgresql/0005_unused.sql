-- leadboard schema on PostgreSQL, version 5: indexes no query reads
-- (schema/sqlite/0005_unused.sql).
DROP INDEX followups_due;
DROP INDEX leads_marketer;
DROP INDEX leads_due;
