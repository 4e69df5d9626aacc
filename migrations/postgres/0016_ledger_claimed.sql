-- The claims still open, indexed (as migrations/sqlite/0016_ledger_claimed.sql):
-- a replica looks for claims a dead one left whenever the set of live
-- replicas changes; only a handful of the ledger's rows are ever `claimed`.
CREATE INDEX daily_ledger_claimed ON daily_ledger (state) WHERE state = 'claimed';
