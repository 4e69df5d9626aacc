-- Multiple-choice questions (issue 13): each person's choice on a posted
-- question, and the platform's native poll that carries it (Telegram's quiz
-- poll), so a reveal after a restart still says how the group answered.
-- Both are keyed by the question's message (platform, chat, message id), the
-- same key the asks table is found by. New tables only: nothing existing
-- changes.

-- One row per person per question message: a new vote replaces the old one,
-- a retracted vote deletes it. `/forget` deletes a person's rows.
CREATE TABLE choice_answers (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,             -- the question's message
    person_id   INTEGER NOT NULL,             -- the platform's user id
    choice      INTEGER NOT NULL,             -- the option's index, from 0
    at          INTEGER NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id, person_id)
) WITHOUT ROWID;

-- A poll posted after a question, under the platform's own poll id
-- (Telegram's `poll_answer` names only the poll).
CREATE TABLE quiz_polls (
    platform         TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    poll_id          TEXT    NOT NULL,
    chat_id          INTEGER NOT NULL,
    message_id       INTEGER NOT NULL,        -- the question's message
    poll_message_id  INTEGER NOT NULL,        -- the poll's own message
    anonymous        INTEGER NOT NULL,        -- 1: the platform tells no answers (channels)
    PRIMARY KEY (platform, poll_id)
) WITHOUT ROWID;
CREATE INDEX quiz_polls_by_question ON quiz_polls (platform, chat_id, message_id);
