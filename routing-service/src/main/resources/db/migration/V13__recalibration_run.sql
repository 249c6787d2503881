-- Scheduled recalibration: when each use case was last refitted on schedule, and what came of it. One row per use
-- case; an instance claims a run by moving last_run_at forward, so only one instance refits at a time.
CREATE TABLE recalibration_run (
    use_case    text PRIMARY KEY REFERENCES use_case (name),
    last_run_at timestamptz NOT NULL,
    outcome     text
);
