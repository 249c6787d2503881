package dev.oversight.audit.repository;

import dev.oversight.audit.domain.NewEvent;
import dev.oversight.audit.domain.EventFilter;
import dev.oversight.audit.domain.ScanRow;
import dev.oversight.audit.domain.StoredEvent;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.audit.domain.Frontier;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** The log's event and node tables through JDBC: appends are batched, reads of whole ranges are streamed. */
@ApplicationScoped
public class LogRepository {

    /** Serializes appends across every instance of the service: one sequencer at a time holds it. */
    private static final long SEQUENCER_LOCK = 0x4f56455253494748L;
    private static final String EVENT_COLUMNS = "idx, event_id, type, occurred_at, actor, subject_id, use_case,"
            + " trace_id, canonical, leaf_hash";

    private final AgroalDataSource dataSource;

    public LogRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public void lockSequencer(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, SEQUENCER_LOCK);
            ps.execute();
        }
    }

    public long size(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(idx) + 1, 0) FROM event");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public long size() throws SQLException {
        try (Connection c = connection()) {
            return size(c);
        }
    }

    /** Where an event already stands, with the leaf hash of what was stored for it. */
    public record Known(long index, byte[] leafHash) {
    }

    public Map<UUID, Known> knownEvents(Connection c, List<UUID> eventIds) throws SQLException {
        Map<UUID, Known> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id, idx, leaf_hash FROM event WHERE event_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getObject(1, UUID.class), new Known(rs.getLong(2), rs.getBytes(3)));
                }
            }
        }
        return found;
    }

    public void insertEvents(Connection c, long firstIndex, List<NewEvent> events, List<byte[]> leafHashes)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO event (idx, event_id, type, occurred_at, actor,"
                + " subject_id, use_case, trace_id, decision_id, canonical, leaf_hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < events.size(); i++) {
                NewEvent e = events.get(i);
                ps.setLong(1, firstIndex + i);
                ps.setObject(2, e.eventId());
                ps.setString(3, e.type());
                ps.setObject(4, e.occurredAt());
                ps.setString(5, e.actor());
                ps.setString(6, e.subjectId());
                ps.setString(7, e.useCase());
                ps.setString(8, e.traceId());
                ps.setObject(9, e.decisionId());
                ps.setString(10, e.canonical());
                ps.setBytes(11, leafHashes.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The canonical text of events [from, to) as stored. */
    public List<String> canonicals(Connection c, long from, long to) throws SQLException {
        List<String> out = new ArrayList<>((int) (to - from));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT canonical FROM event WHERE idx >= ? AND idx < ? ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public void insertNodes(Connection c, List<Frontier.Node> nodes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO tree_node (level, idx, hash) VALUES (?, ?, ?)")) {
            for (Frontier.Node n : nodes) {
                ps.setInt(1, n.level());
                ps.setLong(2, n.index());
                ps.setBytes(3, n.hash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The hashes of nodes [from, to) of one tree level, in index order (fewer when the tree has fewer). */
    public List<byte[]> nodeRange(Connection c, int level, long from, long to) throws SQLException {
        List<byte[]> out = new ArrayList<>((int) (to - from));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT hash FROM tree_node WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx")) {
            ps.setInt(1, level);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
        }
        return out;
    }

    /** Node hashes by "level/index" for the given coordinates, in one query. */
    public Map<String, byte[]> nodes(Connection c, List<long[]> coordinates) throws SQLException {
        Map<String, byte[]> out = new HashMap<>();
        if (coordinates.isEmpty()) {
            return out;
        }
        Integer[] levels = new Integer[coordinates.size()];
        Long[] idx = new Long[coordinates.size()];
        for (int i = 0; i < coordinates.size(); i++) {
            levels[i] = (int) coordinates.get(i)[0];
            idx[i] = coordinates.get(i)[1];
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT n.level, n.idx, n.hash FROM tree_node n"
                + " JOIN unnest(?::smallint[], ?::bigint[]) AS q(level, idx) ON n.level = q.level AND n.idx = q.idx")) {
            ps.setArray(1, c.createArrayOf("smallint", levels));
            ps.setArray(2, c.createArrayOf("bigint", idx));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1) + "/" + rs.getLong(2), rs.getBytes(3));
                }
            }
        }
        return out;
    }

    public Optional<StoredEvent> event(long index) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM event WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /**
     * A filtered page: events after {@code cursor} in index order, or, {@code newestFirst}, events below it from the
     * newest down.
     */
    public List<StoredEvent> events(EventFilter f, long cursor, boolean newestFirst, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM event WHERE idx " + (newestFirst ? "<" : ">")
                + " ?");
        List<Object> args = new ArrayList<>();
        args.add(cursor);
        if (f.type() != null) {
            sql.append(" AND type = ?");
            args.add(f.type());
        }
        if (f.subjectId() != null) {
            sql.append(" AND subject_id = ?");
            args.add(f.subjectId());
        }
        if (f.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(f.actor());
        }
        if (f.useCase() != null) {
            sql.append(" AND use_case = ?");
            args.add(f.useCase());
        }
        if (f.decisionId() != null) {
            sql.append(" AND decision_id = ?");
            args.add(f.decisionId());
        }
        if (f.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(f.to());
        }
        sql.append(newestFirst ? " ORDER BY idx DESC LIMIT ?" : " ORDER BY idx LIMIT ?");
        args.add(limit);
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<StoredEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
            return out;
        }
    }

    /** Streams events [from, to) in index order, each with the leaf node stored for its index. */
    public void scan(long from, long to, Consumer<ScanRow> sink) throws SQLException {
        // In a transaction, so that the driver streams with a fetch size.
        Transactions.inTransaction(this::connection, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT e.idx, e.event_id, e.type, e.occurred_at, e.actor,"
                    + " e.subject_id, e.use_case, e.trace_id, e.canonical, e.leaf_hash, n.hash FROM event e"
                    + " LEFT JOIN tree_node n ON n.level = 0 AND n.idx = e.idx"
                    + " WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx")) {
                ps.setFetchSize(2000);
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredEvent e = map(rs);
                        sink.accept(new ScanRow(e.index(), e.canonical(), e.leafHash(), rs.getBytes(11), e));
                    }
                }
            }
            return null;
        });
    }

    private static StoredEvent map(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getLong("idx"), rs.getObject("event_id", UUID.class), rs.getString("type"),
                rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("actor"), rs.getString("subject_id"),
                rs.getString("use_case"), rs.getString("trace_id"), rs.getString("canonical"), rs.getBytes("leaf_hash"));
    }

}
