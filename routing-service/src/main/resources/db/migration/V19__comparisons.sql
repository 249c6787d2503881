-- Items of an evaluation its scoring rule could not decide, sent to people as blind side-by-side judgements: each
-- side is one output (the candidate's or the production model's) judged beside what people settled on, as a review
-- task whose decision id is the side's own id, so that a reviewer cannot tell which model made it. A person's verdict
-- fills the evaluation result's score that was NULL; the comparison is DONE when every side is judged.
CREATE TABLE comparison (
    id            uuid PRIMARY KEY,
    use_case      text NOT NULL REFERENCES use_case (name),
    evaluation_id uuid NOT NULL REFERENCES evaluation (id),
    status        text NOT NULL CHECK (status IN ('OPEN', 'DONE')),
    sides         integer NOT NULL CHECK (sides > 0),
    created_at    timestamptz NOT NULL,
    created_by    text NOT NULL
);
CREATE INDEX comparison_evaluation ON comparison (evaluation_id, created_at);
-- At most one comparison of an evaluation is open at a time.
CREATE UNIQUE INDEX comparison_open ON comparison (evaluation_id) WHERE status = 'OPEN';

CREATE TABLE comparison_side (
    comparison_id uuid NOT NULL REFERENCES comparison (id),
    side_id       uuid NOT NULL,
    item_id       uuid NOT NULL,
    model         text NOT NULL CHECK (model IN ('CANDIDATE', 'PRODUCTION')),
    verdict       text CHECK (verdict IN ('APPROVE', 'REJECT')),
    judged_at     timestamptz,
    PRIMARY KEY (comparison_id, side_id),
    UNIQUE (comparison_id, item_id, model)
);
