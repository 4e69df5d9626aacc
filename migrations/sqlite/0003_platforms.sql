-- Chats of several platforms in one database: every table keyed by chat gets a
-- `platform` column (telegram | discord | console) inside its key, so Telegram's
-- chat 7 and Discord's channel 7 never meet. Rows written before this migration
-- were all Telegram's (a console session's chats 1 and -1 were stored the same
-- way): they become 'telegram', with every column, id and the asks' id sequence
-- kept.
--
-- SQLite cannot change a primary key in place, so each table is rebuilt:
-- create the new shape, copy, drop the old, rename. No table declares a
-- foreign key (the ledger's ask_id is kept as the very same number, so it still
-- names the same ask). Message ids were always stored as 64-bit INTEGERs; only
-- the Rust types widen.

CREATE TABLE chats_new (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    id          INTEGER NOT NULL,             -- the platform's chat / channel id
    kind        TEXT    NOT NULL,             -- private | group | supergroup | channel
    title       TEXT,
    language    TEXT,                         -- zh | en; NULL = the bot's default
    timezone    TEXT,                         -- IANA name; NULL = the bot's default
    active      INTEGER NOT NULL DEFAULT 1,   -- 0 once the platform refuses the bot
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, id)
) WITHOUT ROWID;
INSERT INTO chats_new (platform, id, kind, title, language, timezone, active, created_at, updated_at)
    SELECT 'telegram', id, kind, title, language, timezone, active, created_at, updated_at FROM chats;
DROP TABLE chats;
ALTER TABLE chats_new RENAME TO chats;

CREATE TABLE asks_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    platform           TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id            INTEGER NOT NULL,
    question_id        TEXT    NOT NULL,
    message_id         INTEGER,               -- the first message of the post (64-bit)
    thread_id          INTEGER,               -- forum topic, if any
    asked_at           INTEGER NOT NULL,
    daily_date         TEXT,                  -- the local date, for questions of the day
    revealed_at        INTEGER,
    reveal_message_id  INTEGER
);
INSERT INTO asks_new (id, platform, chat_id, question_id, message_id, thread_id, asked_at,
                      daily_date, revealed_at, reveal_message_id)
    SELECT id, 'telegram', chat_id, question_id, message_id, thread_id, asked_at,
           daily_date, revealed_at, reveal_message_id FROM asks;
-- Ids never come back: the new table continues where the old one's sequence was.
UPDATE sqlite_sequence
    SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'asks'), 0))
    WHERE name = 'asks_new';
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'asks_new', seq FROM sqlite_sequence
    WHERE name = 'asks' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'asks_new');
DROP TABLE asks;
ALTER TABLE asks_new RENAME TO asks;
CREATE INDEX asks_by_chat ON asks (platform, chat_id, id);
CREATE INDEX asks_by_message ON asks (platform, chat_id, message_id);

CREATE TABLE seen_new (
    platform     TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id      INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    PRIMARY KEY (platform, chat_id, question_id)
) WITHOUT ROWID;
INSERT INTO seen_new (platform, chat_id, question_id)
    SELECT 'telegram', chat_id, question_id FROM seen;
DROP TABLE seen;
ALTER TABLE seen_new RENAME TO seen;

CREATE TABLE plans_new (
    platform   TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id    INTEGER NOT NULL,
    post_time  TEXT    NOT NULL,              -- HH:MM, local
    timezone   TEXT    NOT NULL,              -- IANA name
    tag        TEXT,                          -- restrict to a tag
    reveal     TEXT    NOT NULL DEFAULT 'off',-- off | at HH:MM | after MINUTES
    thread_id  INTEGER,                       -- the forum topic /daily was set in
    paused     INTEGER NOT NULL DEFAULT 0,    -- 1 while the chat is inactive
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
) WITHOUT ROWID;
INSERT INTO plans_new (platform, chat_id, post_time, timezone, tag, reveal, thread_id, paused, updated_at)
    SELECT 'telegram', chat_id, post_time, timezone, tag, reveal, thread_id, paused, updated_at FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;

CREATE TABLE daily_ledger_new (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     INTEGER NOT NULL,
    local_date  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,             -- post | reveal
    state       TEXT    NOT NULL,             -- claimed | done | skipped
    question_id TEXT    NOT NULL,             -- chosen at claim time, so a retry sends the same
    ask_id      INTEGER,                      -- the ask this post made or revealed
    at          INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, local_date, kind)
) WITHOUT ROWID;
INSERT INTO daily_ledger_new (platform, chat_id, local_date, kind, state, question_id, ask_id, at)
    SELECT 'telegram', chat_id, local_date, kind, state, question_id, ask_id, at FROM daily_ledger;
DROP TABLE daily_ledger;
ALTER TABLE daily_ledger_new RENAME TO daily_ledger;
