-- Candidate outputs sent along with a routed output (POST /v1/route "shadow"): recorded, never acted on, never
-- shown to reviewers. A JSON array of {modelVersion, output, confidence, kind}, or NULL.
ALTER TABLE decision ADD COLUMN shadow json;

-- A shadow output scored when people decided its decision; reference_correct is the production output's score on
-- the same item, so the two compare item by item. NULL: the record cannot judge it.
CREATE TABLE shadow_score (
    decision_id       uuid NOT NULL REFERENCES decision (id),
    model_version     text NOT NULL,
    use_case          text NOT NULL REFERENCES use_case (name),
    confidence        double precision NOT NULL,
    candidate_correct boolean,
    reference_correct boolean,
    scored_at         timestamptz NOT NULL,
    PRIMARY KEY (decision_id, model_version)
);
CREATE INDEX shadow_score_use_case ON shadow_score (use_case, model_version, scored_at);

-- A frozen benchmark: a versioned, immutable set of items people decided. digest is the SHA-256 of its items'
-- lines ("itemId TAB item sha256 LF" in item order), so it stays verifiable after an item's content is erased.
-- guideline_versions: how many items were judged under each review-standard version ("none": before any).
CREATE TABLE benchmark (
    id                bigserial PRIMARY KEY,
    use_case          text NOT NULL REFERENCES use_case (name),
    version           integer NOT NULL CHECK (version > 0),
    name              text NOT NULL,
    spec              json NOT NULL,
    size              integer NOT NULL,
    digest            text NOT NULL,
    strata            json NOT NULL,
    guideline_versions json NOT NULL,
    first_decided_at  timestamptz,
    last_decided_at   timestamptz,
    created_at        timestamptz NOT NULL,
    created_by        text NOT NULL,
    UNIQUE (use_case, version)
);

CREATE TABLE benchmark_item (
    benchmark_id     bigint NOT NULL REFERENCES benchmark (id),
    ordinal          integer NOT NULL,
    item_id          uuid NOT NULL,
    stratum          text NOT NULL,
    sha256           text NOT NULL,
    content          json,
    erased_at        timestamptz,
    PRIMARY KEY (benchmark_id, ordinal),
    UNIQUE (benchmark_id, item_id)
);

-- Frozen means frozen: rows of a benchmark are never deleted, and an item changes only by erasure of its content
-- (a person's right), which keeps its id and digest.
CREATE FUNCTION benchmark_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'benchmarks are frozen: % rows are never deleted', TG_TABLE_NAME;
    END IF;
    IF TG_TABLE_NAME = 'benchmark' THEN
        RAISE EXCEPTION 'benchmarks are frozen: a benchmark never changes';
    END IF;
    IF NEW.benchmark_id <> OLD.benchmark_id OR NEW.ordinal <> OLD.ordinal OR NEW.item_id <> OLD.item_id
            OR NEW.stratum <> OLD.stratum OR NEW.sha256 <> OLD.sha256 OR NEW.content IS NOT NULL
            OR NEW.erased_at IS NULL THEN
        RAISE EXCEPTION 'benchmarks are frozen: an item changes only by the erasure of its content';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER benchmark_frozen BEFORE UPDATE OR DELETE ON benchmark
    FOR EACH ROW EXECUTE FUNCTION benchmark_frozen();
CREATE TRIGGER benchmark_item_frozen BEFORE UPDATE OR DELETE ON benchmark_item
    FOR EACH ROW EXECUTE FUNCTION benchmark_frozen();

-- A candidate model's outputs on a benchmark's items, scored as they arrive. A large benchmark's results may come in
-- several requests: the evaluation is OPEN until its last part completes it.
CREATE TABLE evaluation (
    id             uuid PRIMARY KEY,
    use_case       text NOT NULL REFERENCES use_case (name),
    benchmark_id   bigint NOT NULL REFERENCES benchmark (id),
    model_version  text NOT NULL,
    equivalence    text,
    status         text NOT NULL CHECK (status IN ('OPEN', 'COMPLETE')),
    created_at     timestamptz NOT NULL,
    created_by     text NOT NULL
);
CREATE INDEX evaluation_use_case ON evaluation (use_case, created_at);

CREATE TABLE evaluation_result (
    evaluation_id     uuid NOT NULL REFERENCES evaluation (id),
    item_id           uuid NOT NULL,
    output            json NOT NULL,
    confidence        double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    candidate_correct boolean,
    reference_correct boolean,
    PRIMARY KEY (evaluation_id, item_id)
);

-- A candidate version promoted into a policy's modelVersions.allowed, with the evaluation behind it.
CREATE TABLE promotion (
    id              uuid PRIMARY KEY,
    use_case        text NOT NULL REFERENCES use_case (name),
    model_version   text NOT NULL,
    evaluation_id   uuid NOT NULL REFERENCES evaluation (id),
    policy_version  integer NOT NULL,
    pending         boolean NOT NULL,
    override_reason text,
    labels          integer NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL
);
