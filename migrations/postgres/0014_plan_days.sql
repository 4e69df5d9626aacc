-- Day rules, filters and operator-set plans. As
-- migrations/sqlite/0014_plan_days.sql.
ALTER TABLE plans ADD COLUMN days TEXT NOT NULL DEFAULT 'daily';
ALTER TABLE plans ADD COLUMN anchor TEXT;
ALTER TABLE plans ADD COLUMN starts_on TEXT;
ALTER TABLE plans ADD COLUMN deck TEXT;
ALTER TABLE plans ADD COLUMN set_by_operator BIGINT NOT NULL DEFAULT 0;
