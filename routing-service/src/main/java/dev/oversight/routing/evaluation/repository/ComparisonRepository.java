package dev.oversight.routing.evaluation.repository;

import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.instant;
import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.setInstant;

import dev.oversight.routing.domain.evaluation.ComparedModel;
import dev.oversight.routing.domain.evaluation.ComparisonStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Blind side-by-side judgements of an evaluation's undecided items (the {@code comparison} tables), plain JDBC. */
@ApplicationScoped
public class ComparisonRepository {

    public record Comparison(UUID id, String useCase, UUID evaluationId, ComparisonStatus status, int sides,
                             Instant createdAt,
                             String createdBy) {
    }

    /** One side: the output of {@code model} on an item; {@code verdict} null until a person judged it. */
    public record Side(UUID sideId, UUID itemId, ComparedModel model, String verdict, Instant judgedAt) {
    }

    public void insert(Connection c, Comparison comparison, List<Side> sides) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO comparison (id, use_case, evaluation_id, status,"
                + " sides, created_at, created_by) VALUES (?, ?, ?, 'OPEN', ?, ?, ?)")) {
            ps.setObject(1, comparison.id());
            ps.setString(2, comparison.useCase());
            ps.setObject(3, comparison.evaluationId());
            ps.setInt(4, comparison.sides());
            setInstant(ps, 5, comparison.createdAt());
            ps.setString(6, comparison.createdBy());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO comparison_side (comparison_id, side_id, item_id,"
                + " model) VALUES (?, ?, ?, ?)")) {
            for (Side s : sides) {
                ps.setObject(1, comparison.id());
                ps.setObject(2, s.sideId());
                ps.setObject(3, s.itemId());
                ps.setString(4, s.model().name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The comparison; {@code lock}: held until the transaction ends (its sides' verdicts come one at a time). */
    public Optional<Comparison> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, use_case, evaluation_id, status, sides, created_at,"
                + " created_by FROM comparison WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            List<Comparison> rows = comparisons(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** The evaluation's comparisons, oldest first. */
    public List<Comparison> ofEvaluation(Connection c, UUID evaluationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, use_case, evaluation_id, status, sides, created_at,"
                + " created_by FROM comparison WHERE evaluation_id = ? ORDER BY created_at")) {
            ps.setObject(1, evaluationId);
            return comparisons(ps);
        }
    }

    public List<Side> sides(Connection c, UUID comparisonId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT side_id, item_id, model, verdict, judged_at"
                + " FROM comparison_side WHERE comparison_id = ?")) {
            ps.setObject(1, comparisonId);
            List<Side> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Side(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            ComparedModel.valueOf(rs.getString(3)), rs.getString(4), instant(rs, "judged_at")));
                }
            }
            return out;
        }
    }

    /** Records a side's verdict once; empty when it was recorded before or is no side of this comparison. */
    public Optional<Side> judge(Connection c, UUID comparisonId, UUID sideId, String verdict, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE comparison_side SET verdict = ?, judged_at = ?"
                + " WHERE comparison_id = ? AND side_id = ? AND verdict IS NULL"
                + " RETURNING side_id, item_id, model, verdict, judged_at")) {
            ps.setString(1, verdict);
            setInstant(ps, 2, at);
            ps.setObject(3, comparisonId);
            ps.setObject(4, sideId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Side(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        ComparedModel.valueOf(rs.getString(3)), rs.getString(4), instant(rs, "judged_at")))
                        : Optional.empty();
            }
        }
    }

    /** Fills a result's score that its rule left undecided; a score the rule decided is never overwritten. */
    public void score(Connection c, UUID evaluationId, UUID itemId, ComparedModel model, boolean right)
            throws SQLException {
        String column = model == ComparedModel.CANDIDATE ? "candidate_correct" : "reference_correct";
        try (PreparedStatement ps = c.prepareStatement("UPDATE evaluation_result SET " + column + " = ?"
                + " WHERE evaluation_id = ? AND item_id = ? AND " + column + " IS NULL")) {
            ps.setBoolean(1, right);
            ps.setObject(2, evaluationId);
            ps.setObject(3, itemId);
            ps.executeUpdate();
        }
    }

    public void done(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE comparison SET status = 'DONE' WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** How many sides of the evaluation people have judged, over all its comparisons. */
    public int judgedSides(Connection c, UUID evaluationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM comparison_side s JOIN comparison k"
                + " ON k.id = s.comparison_id WHERE k.evaluation_id = ? AND s.verdict IS NOT NULL")) {
            ps.setObject(1, evaluationId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<Comparison> comparisons(PreparedStatement ps) throws SQLException {
        List<Comparison> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Comparison(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        ComparisonStatus.valueOf(rs.getString(4)), rs.getInt(5), instant(rs, "created_at"),
                        rs.getString(7)));
            }
        }
        return out;
    }
}
