-- Nudges (issue 12): a person's own zone, their private review reminder,
-- and a group's weekly digest. Like daily plans, reminders and digests keep
-- their next due instant indexed (0: "work it out at the next wake-up"),
-- so the daily driver reads only what is due; each nudge sent is claimed in
-- `daily_ledger` (kinds `remind` and `digest`) before it goes out.
-- Nothing existing changes: one column added, two tables created.

-- The person's IANA zone (`/remind HH:MM Zone`): their days, streaks and
-- reminders are counted in it. NULL: the bot's STUDYBOT_TIMEZONE.
ALTER TABLE people ADD COLUMN timezone TEXT;

-- At most one reminder per person; `/remind off` and `/forget` delete it,
-- and so does a private chat the platform says is gone (403).
CREATE TABLE reminders (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id   INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,             -- the private chat nudges go to
    remind_time TEXT    NOT NULL,             -- HH:MM in the person's zone
    timezone    TEXT    NOT NULL,             -- IANA name, the person's zone when set
    next_due    INTEGER NOT NULL DEFAULT 0,   -- Unix seconds
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, person_id)
) WITHOUT ROWID;
CREATE INDEX reminders_next_due ON reminders (next_due);

-- At most one weekly digest per chat (`/digest mon 09:00`, admins).
CREATE TABLE digests (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     INTEGER NOT NULL,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),  -- 1 Monday .. 7 Sunday
    post_time   TEXT    NOT NULL,             -- HH:MM local
    timezone    TEXT    NOT NULL,             -- IANA name
    thread_id   INTEGER,                      -- the forum topic it was set in
    next_due    INTEGER NOT NULL DEFAULT 0,   -- Unix seconds
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id)
) WITHOUT ROWID;
CREATE INDEX digests_next_due ON digests (next_due);
