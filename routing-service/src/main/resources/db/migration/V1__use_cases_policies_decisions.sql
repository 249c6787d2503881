-- A use case: one deployment of a model for one task. Its mode is the human-in-command switch; revision grows
-- with every configuration change so that every router instance can tell when its cached copy is stale.
CREATE TABLE use_case (
    name                      text PRIMARY KEY CHECK (name ~ '^[a-z0-9-]{1,64}$'),
    mode                      text NOT NULL DEFAULT 'AUTO' CHECK (mode IN ('AUTO', 'REVIEW_ALL', 'HALT')),
    mode_reason               text,
    mode_changed_at           timestamptz,
    mode_changed_by           text,
    active_policy_version     integer NOT NULL,
    active_calibrator_version integer NOT NULL,
    revision                  bigint NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Policy versions are immutable: a change is a new row.
CREATE TABLE policy (
    id         bigserial PRIMARY KEY,
    use_case   text NOT NULL REFERENCES use_case (name),
    version    integer NOT NULL CHECK (version > 0),
    document   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text,
    UNIQUE (use_case, version)
);

-- Calibrator versions are immutable too; version 1 of every use case is the identity.
CREATE TABLE calibrator (
    id                 bigserial PRIMARY KEY,
    use_case           text NOT NULL REFERENCES use_case (name),
    version            integer NOT NULL CHECK (version > 0),
    method             text NOT NULL,
    params             jsonb NOT NULL DEFAULT '{}',
    selected_threshold double precision,
    report             jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (use_case, version)
);

CREATE TABLE mode_change (
    id         bigserial PRIMARY KEY,
    use_case   text NOT NULL REFERENCES use_case (name),
    mode       text NOT NULL,
    reason     text,
    changed_by text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mode_change_use_case ON mode_change (use_case, id);

-- One routed output. output and input keep the app's JSON text exactly (json, not jsonb).
CREATE TABLE decision (
    id                    uuid PRIMARY KEY,
    use_case              text NOT NULL REFERENCES use_case (name),
    model_version         text NOT NULL,
    idempotency_key       text,
    request_hash          bytea NOT NULL,
    route                 text NOT NULL CHECK (route IN ('RELEASE', 'REVIEW', 'BLOCK')),
    status                text NOT NULL CHECK (status IN ('RELEASED', 'PENDING_REVIEW', 'BLOCKED', 'APPROVED',
                                                          'REJECTED', 'CORRECTED', 'EXPIRED')),
    raw_confidence        double precision NOT NULL CHECK (raw_confidence >= 0 AND raw_confidence <= 1),
    calibrated_confidence double precision,
    threshold             double precision,
    reasons               text[] NOT NULL,
    policy_version        integer NOT NULL,
    calibrator_version    integer NOT NULL,
    required_reviews      integer NOT NULL,
    review_task_id        uuid,
    output                json NOT NULL,
    input                 json,
    attributes            jsonb,
    probabilities         jsonb,
    callback_url          text,
    final_output          json,
    verdicts              jsonb NOT NULL DEFAULT '[]',
    created_at            timestamptz NOT NULL,
    decided_at            timestamptz,
    CONSTRAINT decision_idempotency UNIQUE (use_case, idempotency_key)
);
CREATE INDEX decision_use_case_created ON decision (use_case, created_at);
