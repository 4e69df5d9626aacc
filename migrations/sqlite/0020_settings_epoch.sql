-- The settings epoch (issue 19): one number, raised in the same transaction
-- as every write of a fact the engine caches (a chat's kind, title,
-- language or active flag; its pin setting), so replicas sharing a database
-- see that their caches may be stale. No row until the first such write
-- (an empty table reads as epoch 0). `migrate-store` leaves it behind: bots
-- on the new database start with empty caches.
CREATE TABLE settings_epoch (
    id     INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    epoch  INTEGER NOT NULL
);
