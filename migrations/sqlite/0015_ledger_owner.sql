-- Replicas (issue 14): which replica holds a `claimed` ledger row, so a
-- replica that stops can hand its claims back (NULL) and another can adopt
-- them. NULL: nobody (rows written before this migration, skipped rows and
-- claims handed back). Nothing existing changes: one nullable column.
ALTER TABLE daily_ledger ADD COLUMN owner INTEGER;
