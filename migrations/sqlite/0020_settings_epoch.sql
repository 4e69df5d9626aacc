-- The settings epoch (issue 19): one number, raised in the same transaction
-- as every write of a fact the engine caches (a chat's kind, title,
-- language or active flag; its pin setting), so replicas sharing a database
-- see that their caches may be stale. No row until the first such write
-- (an empty table reads as epoch 0), so a freshly migrated store stays
-- empty for `migrate-store`.
CREATE TABLE settings_epoch (
    id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    epoch  INTEGER NOT NULL
);
