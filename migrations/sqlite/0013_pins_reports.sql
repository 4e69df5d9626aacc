-- Pinning the question of the day and reports of problems with questions
-- (issue 13). New tables only: an existing database carries over unchanged.

-- A chat's `/pin` choice and the message the bot pinned last, so the next
-- day unpins exactly that one, across restarts. `warned`: the admins were
-- told the bot lacks the right to pin (once, until a pin succeeds again).
CREATE TABLE pins (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     INTEGER NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 0,
    message_id  INTEGER,                      -- the daily question the bot pinned
    warned      INTEGER NOT NULL DEFAULT 0,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
) WITHOUT ROWID;

-- A "report a problem" press waiting for its line of text: the prompt the
-- bot sent (the person replies to it), who pressed, about which question.
CREATE TABLE report_prompts (
    platform     TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id      INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,            -- the prompt
    person_id    INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
) WITHOUT ROWID;

-- The reports themselves, kept for `studybot reports`.
CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    platform     TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id      INTEGER NOT NULL,
    chat_title   TEXT,
    person_id    INTEGER NOT NULL,
    question_id  TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    at           INTEGER NOT NULL
);
CREATE INDEX reports_by_person ON reports (platform, person_id);
