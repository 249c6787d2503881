-- The transactional outbox, owned here and shared by every service that produces messages (routing, review): each
-- service lists db/outbox beside its own db/migration, so this table has one definition. Versions in this folder
-- are 0.x, below every service's own, and the services migrate out of order, so a later outbox change (V0_2, ...)
-- still reaches databases that already have newer migrations of their own.
--
-- One row per (event, destination): written in the transaction of the change it describes, delivered by a relay at
-- least once and acknowledged on its own (receivers de-duplicate on event_id). traceparent continues the change's
-- trace in the receiver; target_url is an app's callback address; attempts, last_error and next_attempt_at record
-- delivery (a callback being sent is leased by moving next_attempt_at); dead_at marks a row a receiver refused for
-- good (kept, never deleted).
CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    event_id        uuid NOT NULL,
    destination     text NOT NULL,
    type            text NOT NULL,
    subject_id      text NOT NULL,
    use_case        text,
    actor           text,
    traceparent     text,
    target_url      text,
    occurred_at     timestamptz NOT NULL,
    payload         jsonb NOT NULL,
    delivered_at    timestamptz,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      text,
    next_attempt_at timestamptz,
    dead_at         timestamptz
);
-- Every index costs the hot path a write per event, so only these: the relays' queue of pending rows, the lookup of
-- an app's callback state, and the count of dead rows for the gauge.
CREATE INDEX outbox_pending ON outbox (destination, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_callback ON outbox (subject_id) WHERE destination = 'callback';
CREATE INDEX outbox_dead ON outbox (destination) WHERE dead_at IS NOT NULL;
