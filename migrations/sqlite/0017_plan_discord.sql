-- Discord's extras of a daily plan: a thread opened on each day's question
-- (where its reveal then goes), and one role mentioned in the post. Existing
-- plans carry over with neither.
ALTER TABLE plans ADD COLUMN open_thread INTEGER NOT NULL DEFAULT 0;
-- The role's id (a snowflake); NULL: no one is pinged.
ALTER TABLE plans ADD COLUMN ping_role INTEGER;
