-- Discord's extras of a daily plan. As migrations/sqlite/0017_plan_discord.sql.
ALTER TABLE plans ADD COLUMN open_thread BIGINT NOT NULL DEFAULT 0;
ALTER TABLE plans ADD COLUMN ping_role BIGINT;
