-- studybot's state. Times are Unix seconds (UTC); local dates are ISO `YYYY-MM-DD`.

-- Every chat the bot has talked in.
CREATE TABLE chats (
    id          INTEGER PRIMARY KEY,          -- Telegram chat id (or the console's)
    kind        TEXT    NOT NULL,             -- private | group | supergroup | channel
    title       TEXT,
    language    TEXT,                         -- zh | en; NULL = the bot's default
    timezone    TEXT,                         -- IANA name; NULL = the bot's default
    active      INTEGER NOT NULL DEFAULT 1,   -- 0 once Telegram says Forbidden
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Every question posted to a chat, by /ask, /daily or the console.
CREATE TABLE asks (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id            INTEGER NOT NULL,
    question_id        TEXT    NOT NULL,
    message_id         INTEGER,               -- the first message of the post
    thread_id          INTEGER,               -- forum topic, if any
    asked_at           INTEGER NOT NULL,
    daily_date         TEXT,                  -- the local date, for questions of the day
    revealed_at        INTEGER,
    reveal_message_id  INTEGER
);
CREATE INDEX asks_by_chat ON asks (chat_id, id);
CREATE INDEX asks_by_message ON asks (chat_id, message_id);

-- The chat's current round: questions asked since the round began. No
-- question repeats until the round has covered the bank (or the tag).
CREATE TABLE seen (
    chat_id      INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    PRIMARY KEY (chat_id, question_id)
) WITHOUT ROWID;
