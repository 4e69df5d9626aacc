-- Where a server's suggestions are moderated (issue 20, Discord): the
-- channel a server's admin names, and the server each suggestion came from
-- (a channel id alone does not say). New tables only.

-- One moderation channel a server (`space_id`: a Discord guild).
CREATE TABLE suggestion_desks (
    platform    TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    space_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    named_by    INTEGER NOT NULL,
    named_at    INTEGER NOT NULL,
    PRIMARY KEY (platform, space_id)
) WITHOUT ROWID;

-- The server a suggestion was sent in, so only that server's moderation
-- channel decides it.
CREATE TABLE suggestion_spaces (
    platform       TEXT    NOT NULL CHECK (platform IN ('telegram', 'discord', 'console')),
    suggestion_id  INTEGER NOT NULL,
    space_id       INTEGER NOT NULL,
    PRIMARY KEY (platform, suggestion_id)
) WITHOUT ROWID;
