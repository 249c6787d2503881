-- The outbox now feeds several receivers: one row per (event, destination), each delivered and acknowledged on its
-- own. traceparent continues the trace of the change in the receiver; target_url is an app callback address.
-- attempts/last_error/next_attempt_at record delivery; dead_at marks an event a receiver refused for good (kept).
ALTER TABLE outbox
    ADD COLUMN destination     text NOT NULL DEFAULT 'audit',
    ADD COLUMN traceparent     text,
    ADD COLUMN target_url      text,
    ADD COLUMN attempts        integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error      text,
    ADD COLUMN next_attempt_at timestamptz,
    ADD COLUMN dead_at         timestamptz;
ALTER TABLE outbox ALTER COLUMN destination DROP DEFAULT;
-- trace_id becomes a full traceparent (the original span id is unknown; any valid one joins the trace).
UPDATE outbox SET traceparent = '00-' || trace_id || '-0000000000000001-01' WHERE trace_id ~ '^[0-9a-f]{32}$';
ALTER TABLE outbox DROP COLUMN trace_id;
-- One event may now go to several receivers. Every index costs the hot path a write per event, so only these stay:
-- the relay's queue of pending rows and the lookup of an app's callback state.
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (destination, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
CREATE INDEX outbox_callback ON outbox (subject_id) WHERE destination = 'callback';
-- Rows a receiver refused for good are rare; this keeps counting them cheap for the gauge.
CREATE INDEX outbox_dead ON outbox (destination) WHERE dead_at IS NOT NULL;
