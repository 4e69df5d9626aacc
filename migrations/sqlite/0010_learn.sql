-- Learning that sticks (issue 12): each person's self-ratings after a reveal,
-- the personal FSRS card each rated question becomes, and the few things kept
-- about a person (the name shown on leaderboards and whether they left it). People are platform-qualified like chats: Telegram's
-- user 7 and Discord's user 7 are two people. `/forget` deletes every row of
-- a person from all three tables.

CREATE TABLE people (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    id          INTEGER NOT NULL,             -- the platform's user id
    name        TEXT,                         -- first name or username, for leaderboards
    hidden      INTEGER NOT NULL DEFAULT 0,   -- 1 after `/stats hide`
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, id)
) WITHOUT ROWID;

-- One row per person per rated message: a second press on the same reveal
-- replaces the rating, it never adds a review.
CREATE TABLE reviews (
    platform     TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id    INTEGER NOT NULL,
    chat_id      INTEGER NOT NULL,            -- where it was rated (same platform)
    message_id   INTEGER NOT NULL,            -- the reveal rated
    question_id  TEXT    NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),  -- Again, Hard, Good, Easy
    at           INTEGER NOT NULL,            -- Unix seconds of the first press
    was_due      INTEGER NOT NULL DEFAULT 0,  -- 1 when the card was due then (retention)
    presses      INTEGER NOT NULL DEFAULT 1,  -- how often it was pressed (replaced)
    previous     INTEGER,                     -- the rating before the last press
    PRIMARY KEY (platform, person_id, chat_id, message_id)
) WITHOUT ROWID;
CREATE INDEX reviews_by_card ON reviews (platform, person_id, question_id, at);
CREATE INDEX reviews_by_chat ON reviews (platform, chat_id, at);

-- The card is replayed from its reviews after every rating and kept here so
-- what is due is one indexed read.
CREATE TABLE cards (
    platform        TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id       INTEGER NOT NULL,
    question_id     TEXT    NOT NULL,
    stability       REAL    NOT NULL,
    difficulty      REAL    NOT NULL,
    due             INTEGER NOT NULL,         -- Unix seconds
    reps            INTEGER NOT NULL,
    lapses          INTEGER NOT NULL,
    last_review     INTEGER NOT NULL,
    scheduled_days  INTEGER NOT NULL,
    PRIMARY KEY (platform, person_id, question_id)
) WITHOUT ROWID;
CREATE INDEX cards_by_due ON cards (platform, person_id, due);
