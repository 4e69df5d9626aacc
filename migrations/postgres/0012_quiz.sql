-- Multiple-choice questions (issue 13): each person's choice on a posted
-- question, and the platform's native poll that carries it. As
-- migrations/sqlite/0012_quiz.sql.

CREATE TABLE choice_answers (
    platform    TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    chat_id     BIGINT  NOT NULL,
    message_id  BIGINT  NOT NULL,             -- the question's message
    person_id   BIGINT  NOT NULL,             -- the platform's user id
    choice      BIGINT  NOT NULL,             -- the option's index, from 0
    at          BIGINT  NOT NULL,
    PRIMARY KEY (platform, chat_id, message_id, person_id)
);

CREATE TABLE quiz_polls (
    platform         TEXT COLLATE "C"    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    poll_id          TEXT    NOT NULL,
    chat_id          BIGINT  NOT NULL,
    message_id       BIGINT  NOT NULL,        -- the question's message
    poll_message_id  BIGINT  NOT NULL,        -- the poll's own message
    anonymous        BIGINT  NOT NULL,        -- 1: the platform tells no answers (channels)
    PRIMARY KEY (platform, poll_id)
);
CREATE INDEX quiz_polls_by_question ON quiz_polls (platform, chat_id, message_id);
