-- The drift watchdog's alarms: at most one per use case and monitoring period (which starts with the policy version
-- or calibrator in force, whichever is newer), with the evidence it acted on.
CREATE TABLE drift_alert (
    id                 bigserial PRIMARY KEY,
    use_case           text NOT NULL REFERENCES use_case (name),
    since              timestamptz NOT NULL,
    policy_version     integer NOT NULL,
    calibrator_version integer NOT NULL,
    samples            bigint NOT NULL,
    errors             bigint NOT NULL,
    lower_bound        double precision NOT NULL,
    target_error_rate  double precision NOT NULL,
    action             text NOT NULL CHECK (action IN ('ALERT', 'REVIEW_ALL')),
    detected_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (use_case, since)
);
