-- Serious incidents (EU AI Act Art. 73): each with the deadline of its first report, counted from when the deployer
-- became aware, and the decisions it concerns. Those decisions' evidence is frozen while the incident is kept:
-- retention and erasure skip every decision in incident_decision.
CREATE TABLE incident (
    id         uuid PRIMARY KEY,
    use_case   text NOT NULL REFERENCES use_case (name),
    severity   text NOT NULL CHECK (severity IN ('DEATH', 'WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE', 'SERIOUS')),
    aware_at   timestamptz NOT NULL,
    deadline   timestamptz NOT NULL,
    status     text NOT NULL CHECK (status IN ('OPEN', 'INITIAL_REPORT_SENT', 'FINAL_REPORT_SENT', 'CLOSED')),
    summary    text NOT NULL,
    opened_at  timestamptz NOT NULL,
    opened_by  text NOT NULL,
    -- when the first report was sent (the deadline is met when this is at or before it)
    reported_at timestamptz
);
CREATE INDEX incident_opened ON incident (opened_at DESC, id);
CREATE INDEX incident_due ON incident (deadline) WHERE status = 'OPEN';

CREATE TABLE incident_decision (
    incident_id uuid NOT NULL REFERENCES incident (id),
    decision_id uuid NOT NULL REFERENCES decision (id),
    PRIMARY KEY (incident_id, decision_id)
);
CREATE INDEX incident_decision_decision ON incident_decision (decision_id);

-- Every step, who took it and why.
CREATE TABLE incident_step (
    incident_id uuid NOT NULL REFERENCES incident (id),
    seq         integer NOT NULL,
    status      text NOT NULL,
    note        text,
    at          timestamptz NOT NULL,
    actor       text NOT NULL,
    PRIMARY KEY (incident_id, seq)
);
