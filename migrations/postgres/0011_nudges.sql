-- Nudges (issue 12): a person's own zone, their private review reminder,
-- and a group's weekly digest. As migrations/sqlite/0011_nudges.sql.

ALTER TABLE people ADD COLUMN timezone TEXT;

CREATE TABLE reminders (
    platform    TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id   BIGINT  NOT NULL,
    chat_id     BIGINT  NOT NULL,             -- the private chat nudges go to
    remind_time TEXT    NOT NULL,             -- HH:MM in the person's zone
    timezone    TEXT    NOT NULL,             -- IANA name, the person's zone when set
    next_due    BIGINT  NOT NULL DEFAULT 0,   -- Unix seconds
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (platform, person_id)
);
CREATE INDEX reminders_next_due ON reminders (next_due);

CREATE TABLE digests (
    platform    TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     BIGINT  NOT NULL,
    weekday     BIGINT  NOT NULL CHECK (weekday BETWEEN 1 AND 7),  -- 1 Monday .. 7 Sunday
    post_time   TEXT    NOT NULL,             -- HH:MM local
    timezone    TEXT    NOT NULL,             -- IANA name
    thread_id   BIGINT,                       -- the forum topic it was set in
    next_due    BIGINT  NOT NULL DEFAULT 0,   -- Unix seconds
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX digests_next_due ON digests (next_due);
