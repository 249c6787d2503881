-- The decisions waiting for reviewers, by use case and model version: the oversight figures' queue depth counts them
-- whenever they were routed, and without this index it read every decision the use case ever had (every minute, for
-- the gauges). Only reviewed decisions enter it, and each leaves it when its verdict lands. Building it holds the
-- decision table's writes (and so routing) until it is built, in time proportional to the decisions kept; an operator
-- with many builds it first, without holding writes, with CREATE INDEX CONCURRENTLY decision_pending_review ON decision
-- (use_case, model_version) WHERE status = 'PENDING_REVIEW', and this finds it built.
CREATE INDEX IF NOT EXISTS decision_pending_review ON decision (use_case, model_version)
    WHERE status = 'PENDING_REVIEW';
