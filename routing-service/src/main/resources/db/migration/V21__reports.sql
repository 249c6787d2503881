-- Oversight reports for a period, as issued: what they state (RFC 8785 canonical JSON) and its SHA-256, which the
-- REPORT_ISSUED audit event (event_id) carries, so that the rendered document can carry that event's receipt.
CREATE TABLE report (
    id          uuid PRIMARY KEY,
    use_case    text NOT NULL REFERENCES use_case (name),
    period_from timestamptz NOT NULL,
    period_to   timestamptz NOT NULL CHECK (period_to > period_from),
    data        text NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    event_id    uuid NOT NULL,
    issued_at   timestamptz NOT NULL,
    issued_by   text NOT NULL
);
CREATE INDEX report_use_case ON report (use_case, id DESC);
