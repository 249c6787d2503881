-- The drift watchdog also watches each segment of a use case whose policy sets segments: one alarm per use case,
-- monitoring period and segment ('' for the use case as a whole).
ALTER TABLE drift_alert ADD COLUMN segment text NOT NULL DEFAULT '';
ALTER TABLE drift_alert DROP CONSTRAINT drift_alert_use_case_since_key;
ALTER TABLE drift_alert ADD CONSTRAINT drift_alert_use_case_since_segment_key UNIQUE (use_case, since, segment);
