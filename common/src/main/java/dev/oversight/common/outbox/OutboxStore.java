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

    /** A stored event waiting for delivery. */
    public record Row(long id, OutboxEvent event, int attempts) {
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
     * The first undelivered row of a destination, from the pending index. Delivered rows stay in the table (until
     * {@link #prune}) ahead of the pending ones in id order, and PostgreSQL may estimate that walking the primary key
     * from its start finds pending rows soon; it then reads and drops every delivered row on each cycle (350 ms per
     * cycle with 290,000 of them in the benchmark). Ordered by (destination, id) under {@code = ANY}, only the pending
     * index gives this order (an equality would make the primary key's order qualify too), and starting the due
     * rows at this id makes either index path begin at the backlog.
     */
    private static final String FIRST_PENDING = "(SELECT id FROM outbox WHERE destination = ANY(ARRAY[?::text])"
            + " AND delivered_at IS NULL AND dead_at IS NULL ORDER BY destination, id LIMIT 1)";

    /** The due rows of a destination, oldest first (parameters: destination, destination, limit). */
    static final String DUE = "SELECT id, attempts, " + COLUMNS + " FROM outbox"
            + " WHERE destination = ? AND delivered_at IS NULL AND dead_at IS NULL"
            + " AND (next_attempt_at IS NULL OR next_attempt_at <= now()) AND id >= " + FIRST_PENDING
            + " ORDER BY id LIMIT ?";

    /** The oldest due events of a destination, in the order they were written. */
    public static List<Row> due(Connection c, String destination, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DUE)) {
            ps.setString(1, destination);
            ps.setString(2, destination);
            ps.setInt(3, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong("id"), new OutboxEvent(rs.getObject("event_id", UUID.class),
                            rs.getString("destination"), rs.getString("type"), rs.getString("subject_id"),
                            rs.getString("use_case"), rs.getString("actor"), rs.getString("traceparent"),
                            rs.getString("target_url"), rs.getTimestamp("occurred_at").toInstant(),
                            rs.getString("payload")), rs.getInt("attempts")));
                }
            }
            return rows;
        }
    }

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
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM outbox WHERE subject_id = ANY(?)"
                + " AND destination <> ? AND delivered_at IS NOT NULL")) {
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
     * Deletes the rows delivered longer ago than the retention, oldest first, walking the table in id order in batches
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
                try (PreparedStatement ps = c.prepareStatement("WITH walked AS (SELECT id, delivered_at, occurred_at"
                        + " FROM outbox WHERE id > ? ORDER BY id LIMIT ?), gone AS (DELETE FROM outbox o USING walked w"
                        + " WHERE o.id = w.id AND w.delivered_at < ? RETURNING o.id) SELECT (SELECT count(*) FROM gone),"
                        + " (SELECT count(*) FROM walked), (SELECT coalesce(max(id), 0) FROM walked),"
                        + " (SELECT count(*) FROM walked WHERE occurred_at >= ?)")) {
                    ps.setLong(1, from);
                    ps.setInt(2, batch);
                    ps.setTimestamp(3, cutoff);
                    ps.setTimestamp(4, cutoff);
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

    /** Counts above this are reported as this: the gauge says "large", and counting stays cheap. */
    public static final int BACKLOG_COUNT_CAP = 100_000;

    /**
     * The backlog of one destination, read through the pending-row and dead-row partial indexes (a full count of a
     * large outbox every few seconds would compete with the service's own queries).
     */
    public static Backlog backlog(Connection c, String destination) throws SQLException {
        long pending;
        double age = 0;
        long dead;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM outbox WHERE destination = ?"
                + " AND delivered_at IS NULL AND dead_at IS NULL LIMIT " + BACKLOG_COUNT_CAP + ") p")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                pending = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM now() - occurred_at) FROM outbox"
                + " WHERE id = " + FIRST_PENDING)) {
            ps.setString(1, destination);
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
        return new Backlog(pending, age, dead);
    }

    /** The delivery state of one subject's events to a destination (an app's callback, for instance). */
    public record Delivery(int attempts, String lastError, Instant deliveredAt, Instant gaveUpAt) {
    }

    public static List<Delivery> deliveries(Connection c, String destination, String subjectId) throws SQLException {
        if (!destination.matches("[a-z-]{1,32}")) {
            throw new IllegalArgumentException("destination names are [a-z-]{1,32}: " + destination);
        }
        // The destination is written into the statement so that the planner can use a partial index on it.
        try (PreparedStatement ps = c.prepareStatement("SELECT attempts, last_error, delivered_at, dead_at FROM outbox"
                + " WHERE destination = '" + destination + "' AND subject_id = ? ORDER BY id")) {
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
