package dev.oversight.common.outbox;

import dev.oversight.common.jdbc.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The {@code outbox} table through plain JDBC (every producing service has the same table in its own database).
 * Writes join the caller's transaction; the relay's reads and marks run in the relay's.
 */
public final class OutboxStore {

    /** A stored event waiting for delivery; {@code txid} is the transaction that wrote it (0 for callbacks). */
    public record Row(long id, long txid, OutboxEvent event, int attempts) {

        public Position position() {
            return new Position(txid, id);
        }
    }

    /** Pending (undelivered, not given up) events of one destination and the age of the oldest. */
    public record Backlog(long pending, double oldestAgeSeconds, long dead) {
    }

    private static final String COLUMNS = "event_id, destination, type, subject_id, use_case, actor, traceparent,"
            + " target_url, occurred_at, payload";

    private OutboxStore() {
    }

    public static void insert(Connection c, List<OutboxEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        events.forEach(OutboxEvent::requireFitsTheLog);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json)")) {
            for (OutboxEvent e : events) {
                int i = 0;
                ps.setObject(++i, e.eventId());
                ps.setString(++i, e.destination());
                ps.setString(++i, e.type());
                ps.setString(++i, e.subjectId());
                ps.setString(++i, e.useCase());
                ps.setString(++i, e.actor());
                ps.setString(++i, e.traceparent());
                ps.setString(++i, e.targetUrl());
                ps.setTimestamp(++i, Timestamp.from(e.occurredAt()));
                ps.setString(++i, e.payload());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static void insert(Connection c, OutboxEvent event) throws SQLException {
        insert(c, List.of(event));
    }

    /**
     * Where an ordered destination's delivery stands: every row at or before ({@code txid}, {@code id}) has been
     * delivered or set aside as dead (V0_3 explains why rows are ordered by their writing transaction first).
     */
    public record Position(long txid, long id) {
        public static final Position START = new Position(0, 0);
    }

    /**
     * The due rows of an ordered destination after its position (parameters: destination, txid, id, destination,
     * limit). Only rows whose transaction is older than every transaction still running are read, so no row can
     * commit later at a place before them. Both bounds are comparisons of rows over the index's columns, so the index
     * scan starts at the position and stops at the horizon: with {@code destination = ?} beside them, PostgreSQL 17
     * starts at the destination's first entry and steps over every delivered row's. Rows delivered before V0_3
     * (marked, txid 0) are passed over.
     */
    static final String DUE = "SELECT o.id, o.txid::text AS written_by, o.attempts, " + COLUMNS + " FROM outbox o"
            + " WHERE (o.destination, o.txid, o.id) > (?, ?::xid8, ?)"
            + " AND (o.destination, o.txid) < (?, pg_snapshot_xmin(pg_current_snapshot()))"
            + " AND o.delivered_at IS NULL AND o.dead_at IS NULL ORDER BY o.destination, o.txid, o.id LIMIT ?";

    /** The oldest due events of an ordered destination after its position, in the order they were written. */
    public static List<Row> due(Connection c, String destination, Position after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DUE)) {
            bindDue(ps, destination, after, limit);
            return rows(ps);
        }
    }

    static void bindDue(PreparedStatement ps, String destination, Position after, int limit) throws SQLException {
        ps.setString(1, destination);
        ps.setString(2, Long.toString(after.txid()));
        ps.setLong(3, after.id());
        ps.setString(4, destination);
        ps.setInt(5, limit);
    }

    /**
     * The due callbacks of a destination (unordered, each marked on its own), oldest first, from the callbacks'
     * partial index of pending rows (the destination is written into the statement so that the planner can use it).
     */
    public static List<Row> dueCallbacks(Connection c, String destination, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, 0 AS written_by, attempts, " + COLUMNS + " FROM outbox"
                + " WHERE destination = '" + literal(destination) + "' AND delivered_at IS NULL AND dead_at IS NULL"
                + " AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY id LIMIT ?")) {
            ps.setInt(1, limit);
            return rows(ps);
        }
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getLong("id"), Long.parseLong(rs.getString("written_by")), new OutboxEvent(
                        rs.getObject("event_id", UUID.class), rs.getString("destination"), rs.getString("type"),
                        rs.getString("subject_id"), rs.getString("use_case"), rs.getString("actor"),
                        rs.getString("traceparent"), rs.getString("target_url"),
                        rs.getTimestamp("occurred_at").toInstant(), rs.getString("payload")), rs.getInt("attempts")));
            }
        }
        return rows;
    }

    /** An ordered destination's position ({@link Position#START} before its first delivery). */
    public static Position position(Connection c, String destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT txid::text, id FROM outbox_cursor WHERE destination = ?")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Position(Long.parseLong(rs.getString(1)), rs.getLong(2)) : Position.START;
            }
        }
    }

    /** Moves an ordered destination's position past rows delivered (or set aside) in the caller's transaction. */
    public static void advance(Connection c, String destination, Position to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_cursor (destination, txid, id)"
                + " VALUES (?, ?::xid8, ?) ON CONFLICT (destination) DO UPDATE SET txid = excluded.txid, id = excluded.id")) {
            ps.setString(1, destination);
            ps.setString(2, Long.toString(to.txid()));
            ps.setLong(3, to.id());
            ps.executeUpdate();
        }
    }

    /** Marks callbacks delivered, one by one as their receivers answer (ordered destinations advance instead). */
    public static void markDelivered(Connection c, List<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET delivered_at = now(),"
                + " attempts = attempts + 1, last_error = NULL WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * Takes, for the caller's transaction, the advisory lock that makes this instance the only relay of the
     * destination until the transaction ends; false when another instance holds it.
     */
    public static boolean relayLock(Connection c, String destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, ("oversight-outbox:" + destination).hashCode() | 0x4F56_0000_0000_0000L);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Leaves these rows alone until {@code until} (a callback being delivered, or deferred), counting no attempt. */
    public static void leaseUntil(Connection c, List<Long> ids, Instant until) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ? WHERE id = ANY(?)")) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.setArray(2, c.createArrayOf("bigint", ids.toArray()));
            ps.executeUpdate();
        }
    }

    /** Records a failed attempt; {@code retryAt} null gives the event up (dead letter, kept for operators). */
    public static void markFailed(Connection c, long id, String error, Instant retryAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                + " next_attempt_at = ?, dead_at = CASE WHEN ? THEN now() END WHERE id = ?")) {
            ps.setString(1, error.length() > 500 ? error.substring(0, 500) : error);
            ps.setTimestamp(2, retryAt == null ? null : Timestamp.from(retryAt));
            ps.setBoolean(3, retryAt == null);
            ps.setLong(4, id);
            ps.executeUpdate();
        }
    }

    /** A row's place at or before its destination's position (delivered or set aside; no position: neither). */
    private static final String PASSED = "EXISTS (SELECT 1 FROM outbox_cursor k WHERE k.destination = o.destination"
            + " AND (o.txid, o.id) <= (k.txid, k.id))";

    /**
     * For an erasure: what delivered messages about these subjects carried is forgotten now instead of at pruning.
     * Rows delivered to receivers other than the audit log (whose rows hold keyed digests only) are deleted; rows a
     * receiver refused for good, kept for operators, keep their place but lose their payload. Rows still on their way
     * are left to be delivered.
     */
    public static void forget(Connection c, List<String> subjectIds) throws SQLException {
        if (subjectIds.isEmpty()) {
            return;
        }
        java.sql.Array subjects = c.createArrayOf("text", subjectIds.toArray());
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox o WHERE subject_id = ANY(?)"
                + " AND destination <> ? AND dead_at IS NULL AND (delivered_at IS NOT NULL OR " + PASSED + ")")) {
            ps.setArray(1, subjects);
            ps.setString(2, OutboxEvent.AUDIT);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET payload = '{\"erased\":true}'::json"
                + " WHERE subject_id = ANY(?) AND destination <> ? AND dead_at IS NOT NULL")) {
            ps.setArray(1, subjects);
            ps.setString(2, OutboxEvent.AUDIT);
            ps.executeUpdate();
        }
    }

    /** What one pruning round did: rows deleted, and whether it stopped at its limit with more to walk. */
    public record Pruned(long deleted, boolean more) {
    }

    /**
     * Deletes the rows delivered longer ago than the retention (an ordered destination's rows, which are not marked
     * one by one: written longer ago than the retention and passed by its position), oldest first, walking the table in id order in batches
     * of {@code batch} rows, each in its own short transaction, at most {@code maxBatches} of them; pending and dead
     * rows are passed over, never deleted. Ids grow with time (a row's id and its occurred_at are taken in the
     * transaction that writes it), so the walk ends at the first batch that deletes nothing and holds a row that
     * occurred after the cutoff: the young part of the table, which it does not read further. (It used to delete at
     * most 10,000 rows per relay every 10 minutes, 50 rows a second for the router's three relays, fewer than a
     * router writes at 25 decisions a second; and when nothing was old enough it read the whole table to find out.)
     */
    public static Pruned prune(DataSource db, Duration retention, int batch, int maxBatches) throws SQLException {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(retention));
        long after = 0;
        long deleted = 0;
        for (int round = 0; round < maxBatches; round++) {
            long from = after;
            Walked walked = Transactions.inTransaction(db, c -> {
                try (PreparedStatement ps = c.prepareStatement("WITH walked AS (SELECT id, delivered_at, occurred_at,"
                        + " dead_at IS NULL AND " + PASSED + " AS passed FROM outbox o WHERE id > ? ORDER BY id LIMIT ?),"
                        + " gone AS (DELETE FROM outbox o USING walked w WHERE o.id = w.id AND (w.delivered_at < ?"
                        + " OR (w.passed AND w.occurred_at < ?)) RETURNING o.id) SELECT (SELECT count(*) FROM gone),"
                        + " (SELECT count(*) FROM walked), (SELECT coalesce(max(id), 0) FROM walked),"
                        + " (SELECT count(*) FROM walked WHERE occurred_at >= ?)")) {
                    ps.setLong(1, from);
                    ps.setInt(2, batch);
                    ps.setTimestamp(3, cutoff);
                    ps.setTimestamp(4, cutoff);
                    ps.setTimestamp(5, cutoff);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new Walked(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                    }
                }
            });
            deleted += walked.deleted();
            boolean end = walked.rows() < batch || (walked.deleted() == 0 && walked.young() > 0);
            if (end) {
                return new Pruned(deleted, false);
            }
            after = walked.lastId();
        }
        return new Pruned(deleted, true);
    }

    /** One batch of the pruning walk: rows deleted, rows walked, the last id walked, rows younger than the cutoff. */
    private record Walked(long deleted, long rows, long lastId, long young) {
    }

    /**
     * Counts above this are reported as this: the gauge says "large" (and {@code _oldest_age_seconds} how far behind),
     * and counting stays cheap. Every instance counts every destination every 15 s; with a destination's receiver down
     * (or the benchmark's paused relays) a cap of 100,000 cost PostgreSQL ~150 ms a destination each time.
     */
    public static final int BACKLOG_COUNT_CAP = 10_000;

    /**
     * The backlog of an ordered destination: the rows after its position, read forward from it through the order
     * index (a full count of a large outbox every few seconds would compete with the service's own queries).
     */
    public static Backlog backlog(Connection c, String destination) throws SQLException {
        Position p = position(c, destination);
        // Bounded as the due rows are (see DUE), up to the first transaction not yet begun: past every visible row.
        return backlog(c, destination, "(destination, txid, id) > (?, ?::xid8, ?)"
                + " AND (destination, txid) < (?, pg_snapshot_xmax(pg_current_snapshot()))", "destination, txid, id",
                destination, Long.toString(p.txid()), p.id(), destination);
    }

    /** The backlog of a callback destination, read through the callbacks' partial index of pending rows. */
    public static Backlog callbackBacklog(Connection c, String destination) throws SQLException {
        return backlog(c, destination, "destination = '" + literal(destination) + "'", "id");
    }

    private static Backlog backlog(Connection c, String destination, String after, String order, Object... args)
            throws SQLException {
        String pending = "FROM outbox WHERE " + after + " AND delivered_at IS NULL AND dead_at IS NULL";
        long count;
        double age = 0;
        long dead;
        // Read in the index's order, so that every plan walks the index from the position and stops at the cap.
        // Unordered, the planner estimated a row comparison from its first column alone: for a destination whose
        // name sorts between two busy ones (erasure, between audit and review) it expected a quarter of the table
        // and chose a sequential scan "stopping after the cap's rows", which read the whole outbox for none (on the
        // local stack with 1.27 million rows, 667 ms a count, every 15 s). A generic plan did the same for any name.
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 " + pending + " ORDER BY "
                + order + " LIMIT " + BACKLOG_COUNT_CAP + ") p")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                count = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM now() - occurred_at) " + pending
                + " ORDER BY " + order + " LIMIT 1")) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    age = rs.getDouble(1);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM outbox WHERE destination = ?"
                + " AND dead_at IS NOT NULL")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                dead = rs.getLong(1);
            }
        }
        return new Backlog(count, age, dead);
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * A destination's name written into a statement, so that the planner can use a partial index on it (a
     * parameter would leave a generic plan without it); only names that cannot break out of the literal.
     */
    private static String literal(String destination) {
        if (!destination.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("destination names are [a-z0-9-]{1,64}: " + destination);
        }
        return destination;
    }

    /** The delivery state of one subject's events to a destination (an app's callback, for instance). */
    public record Delivery(int attempts, String lastError, Instant deliveredAt, Instant gaveUpAt) {
    }

    public static List<Delivery> deliveries(Connection c, String destination, String subjectId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT attempts, last_error, delivered_at, dead_at FROM outbox"
                + " WHERE destination = '" + literal(destination) + "' AND subject_id = ? ORDER BY id")) {
            ps.setString(1, subjectId);
            List<Delivery> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp delivered = rs.getTimestamp(3);
                    Timestamp dead = rs.getTimestamp(4);
                    out.add(new Delivery(rs.getInt(1), rs.getString(2), delivered == null ? null : delivered.toInstant(),
                            dead == null ? null : dead.toInstant()));
                }
            }
            return out;
        }
    }
}
