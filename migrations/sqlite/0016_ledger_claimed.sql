-- The claims still open, indexed: a replica looks for claims a dead one
-- left whenever the set of live replicas changes, and every start looks
-- for claims the last run left; the ledger grows by a row per chat a day,
-- and only a handful are ever `claimed`.
CREATE INDEX daily_ledger_claimed ON daily_ledger (state) WHERE state = 'claimed';
