-- Day rules, filters and operator-set plans. Existing plans carry over
-- unchanged: every day (`daily`), no anchor, no start date, their single
-- tag (the `tag` column now holds comma-separated tags), no deck, set in
-- the chat.
ALTER TABLE plans ADD COLUMN days TEXT NOT NULL DEFAULT 'daily';
-- The local date `every N days` counts from (YYYY-MM-DD).
ALTER TABLE plans ADD COLUMN anchor TEXT;
-- The first local date the plan may post on (set late: the next one).
ALTER TABLE plans ADD COLUMN starts_on TEXT;
ALTER TABLE plans ADD COLUMN deck TEXT;
ALTER TABLE plans ADD COLUMN set_by_operator INTEGER NOT NULL DEFAULT 0;
