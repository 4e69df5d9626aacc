-- The question of the day: one plan per chat, and a ledger that makes each
-- (chat, local date, kind) happen at most once across restarts.

CREATE TABLE plans (
    chat_id    BIGINT  PRIMARY KEY,
    post_time  TEXT    NOT NULL,              -- HH:MM, local
    timezone   TEXT    NOT NULL,              -- IANA name
    tag        TEXT,                          -- restrict to a tag
    reveal     TEXT    NOT NULL DEFAULT 'off',-- off | at HH:MM | after MINUTES
    thread_id  BIGINT,                        -- the forum topic /daily was set in
    paused     BIGINT  NOT NULL DEFAULT 0,    -- 1 while the chat is inactive
    updated_at BIGINT  NOT NULL
);

CREATE TABLE daily_ledger (
    chat_id     BIGINT  NOT NULL,
    local_date  TEXT COLLATE "C"    NOT NULL,
    kind        TEXT    NOT NULL,             -- post | reveal
    state       TEXT    NOT NULL,             -- claimed | done | skipped
    question_id TEXT COLLATE "C"    NOT NULL,             -- chosen at claim time, so a retry sends the same
    ask_id      BIGINT,                       -- the ask this post made or revealed
    at          BIGINT  NOT NULL,
    PRIMARY KEY (chat_id, local_date, kind)
);
