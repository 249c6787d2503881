-- Retention and erasure (README "Retention and erasure").
-- Each decision's keyed digests in the audit trail take its own random salt; an erasure deletes the salt with the data,
-- so the trail's digests no longer confirm a guess of the text. Decisions written before this migration have none.
ALTER TABLE decision ADD COLUMN digest_salt bytea;
-- When a person's data in the decision was erased (output, input, trajectory, attributes, shadow outputs, people's
-- words), and when retention deleted each part of it. The routing facts stay; a deleted output is the JSON null.
ALTER TABLE decision ADD COLUMN erased_at timestamptz;
ALTER TABLE decision ADD COLUMN outputs_deleted_at timestamptz;
ALTER TABLE decision ADD COLUMN inputs_deleted_at timestamptz;
ALTER TABLE decision ADD COLUMN people_text_deleted_at timestamptz;
ALTER TABLE decision_override ALTER COLUMN reason DROP NOT NULL;

-- How long a use case keeps each part of its decisions (ISO-8601 periods: P180D, P1Y). No row: the default.
-- reason: why an admin set a period shorter than the legal minimum (the deployment's routing.retention.minimum).
CREATE TABLE retention (
    use_case    text PRIMARY KEY REFERENCES use_case (name),
    outputs     text NOT NULL,
    inputs      text NOT NULL,
    people_text text NOT NULL,
    reason      text,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- What each erasure and each retention sweep deleted: what kind and how many, never what.
CREATE TABLE erasure (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('DECISIONS', 'SUBJECT_ATTRIBUTE', 'RETENTION')),
    use_case     text,
    parts        text[] NOT NULL,
    decisions    integer NOT NULL,
    held         integer NOT NULL,
    requested_by text NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX erasure_created ON erasure (created_at DESC, id);
-- Retention finds what is due by age with decision_use_case_created (no index of its own on the route path).

-- A decision's verdicts (as the review service sent them) without the parts being deleted: correctedOutput for
-- outputs; the rationale and every step's note for people's words. Order and everything else stay.
CREATE FUNCTION erase_verdicts(verdicts jsonb, outputs boolean, people_text boolean) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(jsonb_agg(
               CASE WHEN people_text AND jsonb_typeof(v -> 'steps') = 'array'
                    THEN jsonb_set(v, '{steps}', (SELECT COALESCE(jsonb_agg(s - 'note' ORDER BY i), '[]'::jsonb)
                                                  FROM jsonb_array_elements(v -> 'steps') WITH ORDINALITY AS t (s, i)))
                    ELSE v END
               - CASE WHEN people_text THEN 'rationale' ELSE '' END
               - CASE WHEN outputs THEN 'correctedOutput' ELSE '' END
               ORDER BY n), '[]'::jsonb)
    FROM jsonb_array_elements(verdicts) WITH ORDINALITY AS e (v, n)
$$;
