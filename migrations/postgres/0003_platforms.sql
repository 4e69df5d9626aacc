-- Chats of several platforms in one database: every table keyed by chat gets a
-- `platform` column (telegram | discord | console) inside its key. Rows written
-- before were Telegram's. SQLite rebuilt each table; PostgreSQL changes the
-- keys in place (the asks keep their ids and identity sequence).

ALTER TABLE chats ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT 'telegram'
    CHECK (platform IN ('telegram', 'discord', 'console'));
ALTER TABLE chats ALTER COLUMN platform DROP DEFAULT;
ALTER TABLE chats DROP CONSTRAINT chats_pkey;
ALTER TABLE chats ADD PRIMARY KEY (platform, id);

ALTER TABLE asks ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT 'telegram'
    CHECK (platform IN ('telegram', 'discord', 'console'));
ALTER TABLE asks ALTER COLUMN platform DROP DEFAULT;
DROP INDEX asks_by_chat;
DROP INDEX asks_by_message;
CREATE INDEX asks_by_chat ON asks (platform, chat_id, id);
CREATE INDEX asks_by_message ON asks (platform, chat_id, message_id);

ALTER TABLE seen ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT 'telegram'
    CHECK (platform IN ('telegram', 'discord', 'console'));
ALTER TABLE seen ALTER COLUMN platform DROP DEFAULT;
ALTER TABLE seen DROP CONSTRAINT seen_pkey;
ALTER TABLE seen ADD PRIMARY KEY (platform, chat_id, question_id);

ALTER TABLE plans ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT 'telegram'
    CHECK (platform IN ('telegram', 'discord', 'console'));
ALTER TABLE plans ALTER COLUMN platform DROP DEFAULT;
ALTER TABLE plans DROP CONSTRAINT plans_pkey;
ALTER TABLE plans ADD PRIMARY KEY (platform, chat_id);

ALTER TABLE daily_ledger ADD COLUMN platform TEXT COLLATE "C" NOT NULL DEFAULT 'telegram'
    CHECK (platform IN ('telegram', 'discord', 'console'));
ALTER TABLE daily_ledger ALTER COLUMN platform DROP DEFAULT;
ALTER TABLE daily_ledger DROP CONSTRAINT daily_ledger_pkey;
ALTER TABLE daily_ledger ADD PRIMARY KEY (platform, chat_id, local_date, kind);
