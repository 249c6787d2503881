-- People judging a frozen benchmark's items again under the guideline version in force (a rejudge): the request,
-- one row per item sent back to people, and, once every item is judged, the next benchmark version it froze.
CREATE TABLE judgement (
    id                     uuid PRIMARY KEY,
    use_case               text NOT NULL REFERENCES use_case (name),
    benchmark_id           bigint NOT NULL REFERENCES benchmark (id),
    guideline_version      integer NOT NULL CHECK (guideline_version > 0),
    status                 text NOT NULL CHECK (status IN ('OPEN', 'DONE')),
    items                  integer NOT NULL,
    next_benchmark_version integer,
    created_at             timestamptz NOT NULL,
    created_by             text NOT NULL
);

CREATE TABLE judgement_item (
    judgement_id uuid NOT NULL REFERENCES judgement (id),
    item_id      uuid NOT NULL,
    verdict      text CHECK (verdict IN ('APPROVE', 'REJECT', 'CORRECT')),
    final_output json,
    verdicts     json,
    judged_at    timestamptz,
    PRIMARY KEY (judgement_id, item_id)
);
