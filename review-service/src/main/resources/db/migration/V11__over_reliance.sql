-- Limits a use case's policy sets on how its reviewers judge (over-reliance on the model): the floor of time from
-- claim to an approval, the share of approvals allowed below it, and the largest gap allowed between the approval
-- rate where routing details were shown and on blind and gold items. The router sends them with each task; the
-- newest win.
CREATE TABLE reliance_limits (
    use_case               text PRIMARY KEY,
    min_dwell_seconds      integer,
    max_fast_approval_rate double precision,
    max_approval_gap       double precision,
    updated_at             timestamptz NOT NULL
);
