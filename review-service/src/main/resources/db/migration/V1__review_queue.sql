-- A task: review work for one decision (or an adjudication of a disagreement, or a gold item).
CREATE TABLE task (
    id                    uuid PRIMARY KEY,
    decision_id           uuid NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('REVIEW', 'ADJUDICATION')),
    parent_task_id        uuid REFERENCES task (id),
    use_case              text NOT NULL,
    model_version         text,
    input                 json,
    output                json NOT NULL,
    raw_confidence        double precision,
    calibrated_confidence double precision,
    reasons               text[] NOT NULL DEFAULT '{}',
    required_reviews      integer NOT NULL CHECK (required_reviews BETWEEN 1 AND 10),
    blind_review          boolean NOT NULL DEFAULT false,
    senior_only           boolean NOT NULL DEFAULT false,
    priority              integer NOT NULL DEFAULT 0,
    escalation_level      integer NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL,
    due_at                timestamptz NOT NULL,
    hard_deadline_at      timestamptz NOT NULL,
    on_review_timeout     text NOT NULL CHECK (on_review_timeout IN ('HOLD', 'REJECT', 'RELEASE_FLAGGED')),
    status                text NOT NULL CHECK (status IN ('OPEN', 'IN_ADJUDICATION', 'DONE', 'EXPIRED')),
    lease_seq             bigint NOT NULL DEFAULT 0,
    gold_verdict          text CHECK (gold_verdict IN ('APPROVE', 'REJECT', 'CORRECT')),
    final_verdict         text,
    final_output          json,
    decided_at            timestamptz
);
-- Idempotent intake: one review task per decision (adjudications hang off their parent).
CREATE UNIQUE INDEX task_decision ON task (decision_id) WHERE kind = 'REVIEW';
CREATE INDEX task_queue ON task (status, priority DESC, due_at) WHERE status = 'OPEN';
CREATE INDEX task_use_case ON task (use_case, created_at);

-- A lease of a task to one reviewer; lease_token is the fencing token (grows with every claim of the task).
CREATE TABLE assignment (
    id               bigserial PRIMARY KEY,
    task_id          uuid NOT NULL REFERENCES task (id),
    reviewer         text NOT NULL,
    lease_token      bigint NOT NULL,
    claimed_at       timestamptz NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    status           text NOT NULL CHECK (status IN ('ACTIVE', 'RELEASED', 'DONE')),
    UNIQUE (task_id, lease_token)
);
CREATE INDEX assignment_active ON assignment (task_id) WHERE status = 'ACTIVE';

CREATE TABLE verdict (
    id               bigserial PRIMARY KEY,
    task_id          uuid NOT NULL REFERENCES task (id),
    reviewer         text NOT NULL,
    verdict          text NOT NULL CHECK (verdict IN ('APPROVE', 'REJECT', 'CORRECT')),
    corrected_output json,
    rationale        text,
    scores           jsonb,
    time_on_task_ms  bigint,
    gold_correct     boolean,
    created_at       timestamptz NOT NULL,
    UNIQUE (task_id, reviewer)
);
CREATE INDEX verdict_reviewer ON verdict (reviewer, created_at);

-- Reviewers an admin or the gold check has paused.
CREATE TABLE reviewer (
    name        text PRIMARY KEY,
    paused      boolean NOT NULL DEFAULT false,
    paused_why  text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
