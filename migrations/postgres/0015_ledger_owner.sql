-- Replicas (issue 14): which replica holds a `claimed` ledger row. NULL:
-- nobody (older rows, skipped rows, claims handed back). As
-- migrations/sqlite/0015_ledger_owner.sql.
ALTER TABLE daily_ledger ADD COLUMN owner BIGINT;
