package dev.oversight.routing.evaluation.repository;

import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.instant;
import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.setInstant;

import dev.oversight.routing.domain.evaluation.EvaluationStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Evaluations of candidate models, their scored results, shadow scores and promotions, through plain JDBC. */
@ApplicationScoped
public class EvaluationRepository {

    public record Evaluation(UUID id, String useCase, long benchmarkId, int benchmarkVersion, String modelVersion,
                             String equivalence, EvaluationStatus status, Instant createdAt, String createdBy) {
    }

    /** One scored output: null verdicts are undecided. */
    public record Result(UUID itemId, String output, double confidence, Boolean candidateCorrect,
                         Boolean referenceCorrect) {
    }

    /** A shadow output scored on a decided decision. */
    public record ShadowScore(UUID decisionId, String modelVersion, String useCase, double confidence,
                              Boolean candidateCorrect, Boolean referenceCorrect, Instant scoredAt) {
    }

    public record Promotion(UUID id, String useCase, String modelVersion, UUID evaluationId, int policyVersion,
                            boolean pending, String overrideReason, int labels, Instant createdAt, String createdBy) {
    }

    public void insert(Connection c, Evaluation e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO evaluation (id, use_case, benchmark_id,"
                + " model_version, equivalence, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, e.id());
            ps.setString(2, e.useCase());
            ps.setLong(3, e.benchmarkId());
            ps.setString(4, e.modelVersion());
            ps.setString(5, e.equivalence());
            ps.setString(6, e.status().name());
            setInstant(ps, 7, e.createdAt());
            ps.setString(8, e.createdBy());
            ps.executeUpdate();
        }
    }

    /** Marks the evaluation COMPLETE: it takes no more results. */
    public void complete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE evaluation SET status = 'COMPLETE' WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** The items an evaluation has results for. */
    public java.util.Set<UUID> resultItems(Connection c, UUID evaluationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id FROM evaluation_result WHERE evaluation_id = ?")) {
            ps.setObject(1, evaluationId);
            java.util.Set<UUID> out = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    public void insertResults(Connection c, UUID evaluationId, List<Result> results) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO evaluation_result (evaluation_id, item_id, output,"
                + " confidence, candidate_correct, reference_correct) VALUES (?, ?, ?::json, ?, ?, ?)")) {
            for (Result r : results) {
                ps.setObject(1, evaluationId);
                ps.setObject(2, r.itemId());
                ps.setString(3, r.output());
                ps.setDouble(4, r.confidence());
                setBoolean(ps, 5, r.candidateCorrect());
                setBoolean(ps, 6, r.referenceCorrect());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The evaluation; {@code lock}: held until the transaction ends (parts of one evaluation arrive one at a time). */
    public Optional<Evaluation> find(Connection c, String useCase, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.use_case, e.benchmark_id, b.version,"
                + " e.model_version, e.equivalence, e.status, e.created_at, e.created_by FROM evaluation e"
                + " JOIN benchmark b ON b.id = e.benchmark_id WHERE e.use_case = ? AND e.id = ?"
                + (lock ? " FOR UPDATE OF e" : ""))) {
            ps.setString(1, useCase);
            ps.setObject(2, id);
            List<Evaluation> rows = evaluations(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** Newest first; {@code before} is the creation time to continue below (null: from the newest). */
    public List<Evaluation> list(Connection c, String useCase, Instant before, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT e.id, e.use_case, e.benchmark_id, b.version,"
                + " e.model_version, e.equivalence, e.status, e.created_at, e.created_by FROM evaluation e"
                + " JOIN benchmark b ON b.id = e.benchmark_id WHERE e.use_case = ? AND e.created_at < ?"
                + " ORDER BY e.created_at DESC LIMIT ?")) {
            ps.setString(1, useCase);
            setInstant(ps, 2, before == null ? Instant.parse("9999-12-31T00:00:00Z") : before);
            ps.setInt(3, limit + 1);
            return evaluations(ps);
        }
    }

    public List<Result> results(Connection c, UUID evaluationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id, output, confidence, candidate_correct,"
                + " reference_correct FROM evaluation_result WHERE evaluation_id = ?")) {
            ps.setObject(1, evaluationId);
            List<Result> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Result(rs.getObject(1, UUID.class), rs.getString(2), rs.getDouble(3),
                            bool(rs, 4), bool(rs, 5)));
                }
            }
            return out;
        }
    }

    public void insertShadowScores(Connection c, List<ShadowScore> scores) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO shadow_score (decision_id, model_version,"
                + " use_case, confidence, candidate_correct, reference_correct, scored_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (decision_id, model_version) DO NOTHING")) {
            for (ShadowScore s : scores) {
                ps.setObject(1, s.decisionId());
                ps.setString(2, s.modelVersion());
                ps.setString(3, s.useCase());
                ps.setDouble(4, s.confidence());
                setBoolean(ps, 5, s.candidateCorrect());
                setBoolean(ps, 6, s.referenceCorrect());
                setInstant(ps, 7, s.scoredAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The newest {@code cap} shadow scores of one candidate version in a use case, oldest first. */
    public List<ShadowScore> shadowScores(Connection c, String useCase, String modelVersion, int cap)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT decision_id, model_version, use_case, confidence,"
                + " candidate_correct, reference_correct, scored_at FROM shadow_score"
                + " WHERE use_case = ? AND model_version = ? ORDER BY scored_at DESC LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setString(2, modelVersion);
            ps.setInt(3, cap);
            List<ShadowScore> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ShadowScore(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getDouble(4), bool(rs, 5), bool(rs, 6), instant(rs, "scored_at")));
                }
            }
            java.util.Collections.reverse(out);
            return out;
        }
    }

    public void insert(Connection c, Promotion p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO promotion (id, use_case, model_version,"
                + " evaluation_id, policy_version, pending, override_reason, labels, created_at, created_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, p.id());
            ps.setString(2, p.useCase());
            ps.setString(3, p.modelVersion());
            ps.setObject(4, p.evaluationId());
            ps.setInt(5, p.policyVersion());
            ps.setBoolean(6, p.pending());
            ps.setString(7, p.overrideReason());
            ps.setInt(8, p.labels());
            setInstant(ps, 9, p.createdAt());
            ps.setString(10, p.createdBy());
            ps.executeUpdate();
        }
    }

    private static List<Evaluation> evaluations(PreparedStatement ps) throws SQLException {
        List<Evaluation> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Evaluation(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getInt(4),
                        rs.getString(5), rs.getString(6), EvaluationStatus.valueOf(rs.getString(7)),
                        instant(rs, "created_at"), rs.getString(9)));
            }
        }
        return out;
    }

    private static Boolean bool(ResultSet rs, int column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    private static void setBoolean(PreparedStatement ps, int index, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BOOLEAN);
        } else {
            ps.setBoolean(index, value);
        }
    }
}
