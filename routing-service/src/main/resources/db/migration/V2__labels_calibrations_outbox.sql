-- Labels: whether an output was correct. Decision labels come from reviews (one per decision, the latest
-- verdict wins); imported labels come from evaluation sets. weight = 1/propensity of having been labelled.
CREATE TABLE label (
    id            bigserial PRIMARY KEY,
    use_case      text NOT NULL REFERENCES use_case (name),
    model_version text NOT NULL,
    decision_id   uuid UNIQUE REFERENCES decision (id),
    confidence    double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    correct       boolean NOT NULL,
    weight        double precision NOT NULL CHECK (weight > 0),
    source        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX label_use_case ON label (use_case, model_version);

ALTER TABLE calibrator ADD COLUMN created_by text;
-- Reports are shown as written (json keeps key order; jsonb would sort keys).
ALTER TABLE calibrator ALTER COLUMN report TYPE json;
ALTER TABLE calibrator ADD COLUMN activated_at timestamptz;
