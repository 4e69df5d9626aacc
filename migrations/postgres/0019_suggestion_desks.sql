-- Where a server's suggestions are moderated (issue 20, Discord). As
-- migrations/sqlite/0019_suggestion_desks.sql.

CREATE TABLE suggestion_desks (
    platform    TEXT COLLATE "C" NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    space_id    BIGINT  NOT NULL,
    channel_id  BIGINT  NOT NULL,
    named_by    BIGINT  NOT NULL,
    named_at    BIGINT  NOT NULL,
    PRIMARY KEY (platform, space_id)
);

CREATE TABLE suggestion_spaces (
    platform       TEXT COLLATE "C" NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    suggestion_id  BIGINT  NOT NULL,
    space_id       BIGINT  NOT NULL,
    PRIMARY KEY (platform, suggestion_id)
);
