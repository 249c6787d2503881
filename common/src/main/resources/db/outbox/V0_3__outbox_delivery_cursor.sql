-- Delivery without rewriting rows. An ordered destination's relay (review tasks, audit events, outcomes, erasures)
-- used to mark every row it delivered with an UPDATE: a new version of the row, its index entries and its WAL, and a
-- dead version for vacuum, about 1.7 times per decision. It now keeps one position per destination in outbox_cursor:
-- the rows at or before it are delivered, and the relay advances it once per batch.
--
-- A position by id alone would lose rows: ids are taken when a row is inserted but become visible when its
-- transaction commits, so a relay that delivered id 101 may later see id 100 commit. Each row therefore records the
-- transaction that wrote it (txid, xid8), and a relay delivers in (txid, id) order only the rows whose transaction
-- is older than every transaction still running (txid < pg_snapshot_xmin(pg_current_snapshot())): such a transaction
-- has committed or rolled back, so no row will ever appear before the position again. A transaction that runs long
-- delays the delivery of the rows written after it began; it never causes one to be skipped.
--
-- Rows written before this migration get txid 0 (a constant default: no rewrite of the table); each destination's
-- position starts just before its first undelivered row. Apps' callbacks are delivered one by one, out of order, and
-- keep marking each row (delivered_at); they have no position. During a rolling upgrade an instance still on the
-- previous version relays by marking rows: the new relays pass over what it marked, and it may send again what they
-- delivered (receivers de-duplicate on the event id).
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT '0';
ALTER TABLE outbox ALTER COLUMN txid SET DEFAULT pg_current_xact_id();

CREATE TABLE outbox_cursor (
    destination text PRIMARY KEY,
    txid        xid8 NOT NULL,
    id          bigint NOT NULL
);
INSERT INTO outbox_cursor (destination, txid, id)
SELECT destination, '0', coalesce(min(id) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL) - 1, max(id))
FROM outbox WHERE destination <> 'callback' GROUP BY destination;

-- The relays read forward from their position in this order; the callbacks' queue of pending rows keeps a partial
-- index of its own (the old one held every pending row of every destination, and now nothing clears an ordered
-- destination's rows from it). Building the index holds the outbox's writes (and so the service's) until it is
-- built, in time proportional to the rows kept for the retention; an operator with a large outbox builds it first,
-- without holding writes, with CREATE INDEX CONCURRENTLY outbox_order ON outbox (destination, txid, id), after the
-- column exists (ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT '0', as below), and this finds it built.
CREATE INDEX IF NOT EXISTS outbox_order ON outbox (destination, txid, id);
DROP INDEX outbox_pending;
CREATE INDEX outbox_callback_pending ON outbox (id) WHERE destination = 'callback' AND delivered_at IS NULL
    AND dead_at IS NULL;
