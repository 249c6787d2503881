-- A released decision can be reversed by a person: status OVERRIDDEN, who, when, why and the replacement output.
ALTER TABLE decision DROP CONSTRAINT decision_status_check;
ALTER TABLE decision ADD CONSTRAINT decision_status_check CHECK (status IN ('RELEASED', 'PENDING_REVIEW', 'BLOCKED',
    'APPROVED', 'REJECTED', 'CORRECTED', 'EXPIRED', 'OVERRIDDEN'));

CREATE TABLE decision_override (
    decision_id   uuid PRIMARY KEY REFERENCES decision (id),
    reason        text NOT NULL,
    output        json,
    overridden_by text NOT NULL,
    overridden_at timestamptz NOT NULL
);
