-- Each plan's next due instant, so a wake-up reads only what is due.
-- Unix seconds; 0 means "not known yet: work it out at the next wake-up"
-- (every existing plan, and any plan saved or resumed since).
ALTER TABLE plans ADD COLUMN next_due INTEGER NOT NULL DEFAULT 0;
CREATE INDEX plans_next_due ON plans (next_due) WHERE paused = 0;
