package dev.oversight.routing.evaluation.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/** Frozen benchmarks and their items, and the decided decisions they are drawn from, through plain JDBC. */
@ApplicationScoped
public class BenchmarkRepository {

    /** A decision people decided, as a benchmark item is drawn from it. */
    public record Decided(UUID id, String modelVersion, String kind, String route, String status, List<String> reasons,
                          Double confidence, Double calibratedConfidence, String input, String attributes,
                          String output, String finalOutput, String verdicts, String trajectory, Instant decidedAt) {
    }

    /** A benchmark's row. */
    public record Benchmark(long id, String useCase, int version, String name, String spec, int size, String digest,
                            String strata, String guidelineVersions, Instant firstDecidedAt, Instant lastDecidedAt, Instant createdAt,
                            String createdBy, int erased) {
    }

    /** One item: its content is null once erased. */
    public record Item(int ordinal, UUID itemId, String stratum, String sha256, String content, Instant erasedAt) {
    }

    private static final String BENCHMARK_COLUMNS = "id, use_case, version, name, spec, size, digest, strata, guideline_versions,"
            + " first_decided_at, last_decided_at, created_at, created_by,"
            + " (SELECT count(*) FROM benchmark_item i WHERE i.benchmark_id = b.id AND i.erased_at IS NOT NULL) AS erased";

    /**
     * Decisions of the use case that people decided (approved, rejected, corrected, or a released output
     * overridden) whose outputs are still kept (not erased, not past retention), newest first, at most {@code cap}.
     */
    public List<Decided> decided(Connection c, String useCase, Instant from, Instant to, List<String> modelVersions,
                                 int cap) throws SQLException {
        String sql = "SELECT id, model_version, kind, route, status, reasons, raw_confidence, calibrated_confidence,"
                + " input, attributes, output, final_output, verdicts, trajectory, decided_at FROM decision"
                + " WHERE use_case = ? AND status IN ('APPROVED', 'REJECTED', 'CORRECTED', 'OVERRIDDEN')"
                + " AND decided_at IS NOT NULL AND decided_at >= ? AND decided_at < ? AND outputs_deleted_at IS NULL"
                + (modelVersions == null ? "" : " AND model_version = ANY (?)")
                + " ORDER BY decided_at DESC, id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 0;
            ps.setString(++i, useCase);
            ps.setTimestamp(++i, Timestamp.from(from));
            ps.setTimestamp(++i, Timestamp.from(to));
            if (modelVersions != null) {
                ps.setArray(++i, c.createArrayOf("text", modelVersions.toArray()));
            }
            ps.setInt(++i, cap);
            List<Decided> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array reasons = rs.getArray("reasons");
                    double calibrated = rs.getDouble("calibrated_confidence");
                    Double cal = rs.wasNull() ? null : calibrated;
                    out.add(new Decided(rs.getObject("id", UUID.class), rs.getString("model_version"),
                            rs.getString("kind"), rs.getString("route"), rs.getString("status"),
                            List.copyOf(Arrays.asList((String[]) reasons.getArray())), (Double) rs.getObject("raw_confidence"),
                            cal, rs.getString("input"), rs.getString("attributes"), rs.getString("output"),
                            rs.getString("final_output"), rs.getString("verdicts"), rs.getString("trajectory"),
                            rs.getTimestamp("decided_at").toInstant()));
                }
            }
            return out;
        }
    }

    /** Takes the use case's row lock (versions are numbered one at a time) and answers the next version. */
    public int nextVersion(Connection c, String useCase) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT name FROM use_case WHERE name = ? FOR UPDATE")) {
            lock.setString(1, useCase);
            lock.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(version), 0) + 1 FROM benchmark WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public long insert(Connection c, Benchmark b, List<Item> items) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO benchmark (use_case, version, name, spec, size,"
                + " digest, strata, guideline_versions, first_decided_at, last_decided_at, created_at, created_by)"
                + " VALUES (?, ?, ?, ?::json, ?, ?, ?::json, ?::json, ?, ?, ?, ?) RETURNING id")) {
            int i = 0;
            ps.setString(++i, b.useCase());
            ps.setInt(++i, b.version());
            ps.setString(++i, b.name());
            ps.setString(++i, b.spec());
            ps.setInt(++i, b.size());
            ps.setString(++i, b.digest());
            ps.setString(++i, b.strata());
            ps.setString(++i, b.guidelineVersions());
            setInstant(ps, ++i, b.firstDecidedAt());
            setInstant(ps, ++i, b.lastDecidedAt());
            setInstant(ps, ++i, b.createdAt());
            ps.setString(++i, b.createdBy());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO benchmark_item (benchmark_id, ordinal, item_id,"
                + " stratum, sha256, content) VALUES (?, ?, ?, ?, ?, ?::json)")) {
            for (Item item : items) {
                ps.setLong(1, id);
                ps.setInt(2, item.ordinal());
                ps.setObject(3, item.itemId());
                ps.setString(4, item.stratum());
                ps.setString(5, item.sha256());
                ps.setString(6, item.content());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return id;
    }

    public Optional<Benchmark> find(Connection c, String useCase, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BENCHMARK_COLUMNS
                + " FROM benchmark b WHERE use_case = ? AND version = ?")) {
            ps.setString(1, useCase);
            ps.setInt(2, version);
            List<Benchmark> rows = benchmarks(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** A benchmark by its row id (a rejudge or an evaluation names it so). */
    public Benchmark byId(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BENCHMARK_COLUMNS + " FROM benchmark b WHERE id = ?")) {
            ps.setLong(1, id);
            return benchmarks(ps).get(0);
        }
    }

    public boolean useCaseExists(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM use_case WHERE name = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Newest first, below {@code below}, at most limit + 1 (for the next page's cursor). */
    public List<Benchmark> list(Connection c, String useCase, int below, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BENCHMARK_COLUMNS
                + " FROM benchmark b WHERE use_case = ? AND version < ? ORDER BY version DESC LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setInt(2, below);
            ps.setInt(3, limit + 1);
            return benchmarks(ps);
        }
    }

    /** Items after {@code afterOrdinal}, in order, at most {@code limit} (all when limit is 0 or less). */
    public List<Item> items(Connection c, long benchmarkId, int afterOrdinal, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ordinal, item_id, stratum, sha256, content, erased_at"
                + " FROM benchmark_item WHERE benchmark_id = ? AND ordinal > ? ORDER BY ordinal"
                + (limit > 0 ? " LIMIT " + limit : ""))) {
            ps.setLong(1, benchmarkId);
            ps.setInt(2, afterOrdinal);
            List<Item> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp erased = rs.getTimestamp("erased_at");
                    out.add(new Item(rs.getInt("ordinal"), rs.getObject("item_id", UUID.class),
                            rs.getString("stratum"), rs.getString("sha256"), rs.getString("content"),
                            erased == null ? null : erased.toInstant()));
                }
            }
            return out;
        }
    }

    /** Removes the item's content from every benchmark of the use case holding it; answers how many. */
    public int erase(Connection c, String useCase, UUID itemId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE benchmark_item SET content = NULL, erased_at = ?"
                + " WHERE item_id = ? AND erased_at IS NULL"
                + " AND benchmark_id IN (SELECT id FROM benchmark WHERE use_case = ?)")) {
            setInstant(ps, 1, at);
            ps.setObject(2, itemId);
            ps.setString(3, useCase);
            return ps.executeUpdate();
        }
    }

    private static List<Benchmark> benchmarks(PreparedStatement ps) throws SQLException {
        List<Benchmark> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Benchmark(rs.getLong("id"), rs.getString("use_case"), rs.getInt("version"),
                        rs.getString("name"), rs.getString("spec"), rs.getInt("size"), rs.getString("digest"),
                        rs.getString("strata"), rs.getString("guideline_versions"), instant(rs, "first_decided_at"), instant(rs, "last_decided_at"),
                        instant(rs, "created_at"), rs.getString("created_by"), rs.getInt("erased")));
            }
        }
        return out;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(index, Timestamp.from(value));
        }
    }
}
