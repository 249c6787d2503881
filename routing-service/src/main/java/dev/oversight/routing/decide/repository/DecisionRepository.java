package dev.oversight.routing.decide.repository;

import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.common.jdbc.InsertedRows;
import dev.oversight.routing.domain.DecisionOverride;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.DecisionRecord;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decisions through plain JDBC: the router writes them in batches, one transaction per batch, which an ORM
 * session per request cannot do. Idempotency is the unique (use_case, idempotency_key) constraint.
 */
@ApplicationScoped
public class DecisionRepository {

    private static final String COLUMNS = "id, use_case, owner, model_version, idempotency_key, request_hash, route, status,"
            + " raw_confidence, calibrated_confidence, threshold, reasons, policy_version, calibrator_version,"
            + " required_reviews, review_task_id, output, input, attributes, probabilities, callback_url,"
            + " final_output, verdicts, created_at, decided_at, kind, trajectory, shadow, digest_salt, signals,"
            + " segment";
    private static final String INSERT = "INSERT INTO decision (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            + " ?, ?, ?, ?, ?, ?, ?::json, ?::json, ?::jsonb, ?::jsonb, ?, ?::json, ?::jsonb, ?, ?, ?, ?::json, ?::json, ?, ?::jsonb, ?)"
            + " ON CONFLICT (use_case, owner, idempotency_key) DO NOTHING";
    /** What is read back: the written columns and when the decision's personal data was erased. */
    private static final String READ = COLUMNS + ", erased_at";
    private static final String SELECT = "SELECT " + READ + " FROM decision";

    private final AgroalDataSource dataSource;

    public DecisionRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Inserts the records in one JDBC batch. Returns, per record, whether it was inserted (false: its
     * idempotency key was already taken, by an earlier decision or an earlier record of this batch).
     */
    public boolean[] insertAll(Connection c, List<DecisionRecord> records) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (DecisionRecord r : records) {
                int i = 0;
                ps.setObject(++i, r.id());
                ps.setString(++i, r.useCase());
                ps.setString(++i, r.owner());
                ps.setString(++i, r.modelVersion());
                ps.setString(++i, r.idempotencyKey());
                ps.setBytes(++i, r.requestHash());
                ps.setString(++i, r.route().name());
                ps.setString(++i, r.status().name());
                setDouble(ps, ++i, r.rawConfidence());
                setDouble(ps, ++i, r.calibratedConfidence());
                setDouble(ps, ++i, r.threshold());
                ps.setArray(++i, c.createArrayOf("text", r.reasons().toArray()));
                ps.setInt(++i, r.policyVersion());
                ps.setInt(++i, r.calibratorVersion());
                ps.setInt(++i, r.requiredReviews());
                ps.setObject(++i, r.reviewTaskId());
                ps.setString(++i, r.output());
                ps.setString(++i, r.input());
                ps.setString(++i, r.attributes());
                ps.setString(++i, r.probabilities());
                ps.setString(++i, r.callbackUrl());
                ps.setString(++i, r.finalOutput());
                ps.setString(++i, r.verdicts());
                ps.setTimestamp(++i, Timestamp.from(r.createdAt()));
                ps.setTimestamp(++i, r.decidedAt() == null ? null : Timestamp.from(r.decidedAt()));
                ps.setString(++i, r.kind().name());
                ps.setString(++i, r.trajectory());
                ps.setString(++i, r.shadow());
                ps.setBytes(++i, r.digestSalt());
                ps.setString(++i, r.signals());
                ps.setString(++i, r.segment());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        boolean[] inserted = new boolean[records.size()];
        // Only an idempotency key can conflict (ids are new): a batch without keys needs no second round trip.
        if (records.stream().allMatch(r -> r.idempotencyKey() == null)) {
            Arrays.fill(inserted, true);
            return inserted;
        }
        Set<UUID> created = InsertedRows.byThisTransaction(c, "decision",
                records.stream().map(DecisionRecord::id).toList());
        for (int k = 0; k < inserted.length; k++) {
            inserted[k] = created.contains(records.get(k).id());
        }
        return inserted;
    }

    public Optional<DecisionRecord> findByKey(Connection c, String useCase, String owner, String idempotencyKey)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT
                + " WHERE use_case = ? AND owner = ? AND idempotency_key = ?")) {
            ps.setString(1, useCase);
            ps.setString(2, owner);
            ps.setString(3, idempotencyKey);
            return one(ps);
        }
    }

    public Optional<DecisionRecord> findById(UUID id) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
            ps.setObject(1, id);
            return one(ps);
        }
    }

    /**
     * Records the final outcome of a decision under review; returns the decision as it now stands, or empty when it
     * was no longer pending (the outcome was applied before) or does not exist.
     */
    public Optional<DecisionRecord> finish(Connection c, UUID id, String status, String finalOutput, String verdicts,
                                           java.time.Instant decidedAt) throws SQLException {
        // An outcome that arrives after an erasure (or after retention deleted a part) does not bring the data back.
        try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET status = ?, final_output = CASE WHEN"
                + " outputs_deleted_at IS NULL THEN ?::json END, verdicts = CASE WHEN outputs_deleted_at IS NULL AND"
                + " people_text_deleted_at IS NULL THEN ?::jsonb ELSE erase_verdicts(?::jsonb, outputs_deleted_at IS NOT"
                + " NULL, people_text_deleted_at IS NOT NULL) END, decided_at = ? WHERE id = ? AND status = 'PENDING_REVIEW'"
                + " RETURNING " + READ)) {
            ps.setString(1, status);
            ps.setString(2, finalOutput);
            ps.setString(3, verdicts);
            ps.setString(4, verdicts);
            ps.setTimestamp(5, Timestamp.from(decidedAt));
            ps.setObject(6, id);
            return one(ps);
        }
    }

    /** Of the given decisions, those that are final. */
    /** A released decision becomes OVERRIDDEN with its replacement output; empty unless it was RELEASED. */
    public Optional<DecisionRecord> override(Connection c, UUID id, String finalOutput, DecisionOverride o) throws SQLException {
        Optional<DecisionRecord> d;
        // The reversal of an erased decision counts, but brings no output back (its reason is not kept either).
        try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET status = 'OVERRIDDEN', final_output = CASE"
                + " WHEN outputs_deleted_at IS NULL THEN ?::json END WHERE id = ? AND status = 'RELEASED' RETURNING "
                + READ)) {
            ps.setString(1, finalOutput);
            ps.setObject(2, id);
            d = one(ps);
        }
        if (d.isPresent()) {
            boolean erased = d.get().erased();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_override (decision_id, reason, output,"
                    + " overridden_by, overridden_at) VALUES (?, ?, ?::json, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, erased ? null : o.reason());
                ps.setString(3, erased ? null : o.output());
                ps.setString(4, o.by());
                ps.setTimestamp(5, Timestamp.from(o.at()));
                ps.executeUpdate();
            }
        }
        return d;
    }

    public Optional<DecisionOverride> overrideOf(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT reason, output, overridden_by, overridden_at FROM decision_override WHERE decision_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new DecisionOverride(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant())) : Optional.empty();
            }
        }
    }

    public List<UUID> finalAmong(List<UUID> ids) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM decision WHERE id = ANY(?) AND status <> 'PENDING_REVIEW'")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            List<UUID> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    private static Optional<DecisionRecord> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
        }
    }

    private static DecisionRecord map(ResultSet rs) throws SQLException {
        Array reasons = rs.getArray("reasons");
        Timestamp decidedAt = rs.getTimestamp("decided_at");
        Timestamp erasedAt = rs.getTimestamp("erased_at");
        return new DecisionRecord(
                rs.getObject("id", UUID.class),
                rs.getString("use_case"),
                rs.getString("owner"),
                rs.getString("model_version"),
                rs.getString("idempotency_key"),
                rs.getBytes("request_hash"),
                Route.valueOf(rs.getString("route")),
                DecisionStatus.valueOf(rs.getString("status")),
                getDouble(rs, "raw_confidence"),
                getDouble(rs, "calibrated_confidence"),
                getDouble(rs, "threshold"),
                List.copyOf(Arrays.asList((String[]) reasons.getArray())),
                rs.getInt("policy_version"),
                rs.getInt("calibrator_version"),
                rs.getInt("required_reviews"),
                rs.getObject("review_task_id", UUID.class),
                rs.getString("output"),
                rs.getString("input"),
                rs.getString("attributes"),
                rs.getString("probabilities"),
                rs.getString("callback_url"),
                rs.getString("final_output"),
                rs.getString("verdicts"),
                rs.getTimestamp("created_at").toInstant(),
                decidedAt == null ? null : decidedAt.toInstant(),
                DecisionKind.valueOf(rs.getString("kind")),
                rs.getString("trajectory"),
                rs.getString("shadow"),
                rs.getBytes("digest_salt"),
                erasedAt == null ? null : erasedAt.toInstant(),
                rs.getString("signals"),
                rs.getString("segment"));
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    private static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
