-- The segment of a decision's output when its policy sets segments (the value of segments.by over its attributes), so
-- that oversight figures and drift can be read per segment. NULL when the policy sets none.
ALTER TABLE decision ADD COLUMN segment text;
