-- Learning that sticks (issue 12): each person's self-ratings after a reveal,
-- the personal FSRS card each rated question becomes, and the few things kept
-- about a person. As migrations/sqlite/0010_learn.sql.

CREATE TABLE people (
    platform    TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    id          BIGINT  NOT NULL,             -- the platform's user id
    name        TEXT,                         -- first name or username, for leaderboards
    hidden      BIGINT  NOT NULL DEFAULT 0,   -- 1 after `/stats hide`
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (platform, id)
);

-- One row per person per rated message.
CREATE TABLE reviews (
    platform     TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id    BIGINT  NOT NULL,
    chat_id      BIGINT  NOT NULL,            -- where it was rated (same platform)
    message_id   BIGINT  NOT NULL,            -- the reveal rated
    question_id  TEXT COLLATE "C"    NOT NULL,
    rating       BIGINT  NOT NULL CHECK (rating BETWEEN 1 AND 4),  -- Again, Hard, Good, Easy
    at           BIGINT  NOT NULL,            -- Unix seconds of the first press
    was_due      BIGINT  NOT NULL DEFAULT 0,  -- 1 when the card was due then (retention)
    presses      BIGINT  NOT NULL DEFAULT 1,  -- how often it was pressed (replaced)
    previous     BIGINT,                      -- the rating before the last press
    PRIMARY KEY (platform, person_id, chat_id, message_id)
);
CREATE INDEX reviews_by_card ON reviews (platform, person_id, question_id, at);
CREATE INDEX reviews_by_chat ON reviews (platform, chat_id, at);

-- The card as replayed from its reviews after every rating.
CREATE TABLE cards (
    platform        TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id       BIGINT  NOT NULL,
    question_id     TEXT COLLATE "C"    NOT NULL,
    stability       DOUBLE PRECISION NOT NULL,
    difficulty      DOUBLE PRECISION NOT NULL,
    due             BIGINT  NOT NULL,         -- Unix seconds
    reps            BIGINT  NOT NULL,
    lapses          BIGINT  NOT NULL,
    last_review     BIGINT  NOT NULL,
    scheduled_days  BIGINT  NOT NULL,
    PRIMARY KEY (platform, person_id, question_id)
);
CREATE INDEX cards_by_due ON cards (platform, person_id, due);
