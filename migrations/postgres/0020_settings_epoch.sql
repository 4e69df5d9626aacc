-- The settings epoch (issue 19). As migrations/sqlite/0020_settings_epoch.sql.
CREATE TABLE settings_epoch (
    id     BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    epoch  BIGINT NOT NULL
);
