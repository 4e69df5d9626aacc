-- Questions the members suggest (issue 20): drafts being typed, the prompts
-- a reply answers, and the moderation queue. New tables only: an existing
-- database carries over unchanged.

-- The suggestions themselves. `chat_id` is the chat whose own deck it joins
-- when approved; `near` is the near-duplicate found when it was sent, shown
-- to the moderators; `question_id` its id in the community deck.
CREATE TABLE suggestions (
    id             INTEGER PRIMARY KEY,
    platform       TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id        INTEGER NOT NULL,
    chat_title     TEXT,
    person_id      INTEGER NOT NULL,
    person_name    TEXT    NOT NULL,
    question       TEXT    NOT NULL,
    answer         TEXT    NOT NULL,
    analysis       TEXT,
    tags           TEXT    NOT NULL,              -- comma-separated
    near           TEXT,
    state          TEXT    NOT NULL DEFAULT 'pending'
                           CHECK (state IN ('pending', 'approved', 'rejected')),
    reason         TEXT,
    moderator_id   INTEGER,
    moderator_name TEXT,
    question_id    TEXT,
    told           INTEGER NOT NULL DEFAULT 0,    -- the suggester heard the outcome
    created_at     INTEGER NOT NULL,
    decided_at     INTEGER
);
CREATE INDEX suggestions_by_person ON suggestions (platform, person_id, created_at);
CREATE INDEX suggestions_by_chat ON suggestions (platform, chat_id, state);

-- One draft a person, step by step, so a restart loses none.
CREATE TABLE suggestion_drafts (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    person_id   INTEGER NOT NULL,
    chat_id     INTEGER NOT NULL,                 -- the chat it is for
    chat_title  TEXT,
    step        TEXT    NOT NULL,
    question    TEXT,
    answer      TEXT,
    analysis    TEXT,
    tags        TEXT,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, person_id)
) WITHOUT ROWID;

-- A prompt the bot sent and the person answers by replying to it: a step
-- of a draft, or a moderator's reason or corrected text for a suggestion.
CREATE TABLE suggestion_prompts (
    platform       TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id        INTEGER NOT NULL,
    message_id     INTEGER NOT NULL,
    person_id      INTEGER NOT NULL,
    step           TEXT    NOT NULL,
    suggestion_id  INTEGER,
    at             INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id)
) WITHOUT ROWID;
