package dev.oversight.routing.evaluation.repository;

import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.instant;
import static dev.oversight.routing.evaluation.repository.BenchmarkRepository.setInstant;

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

/** Rejudges of benchmark items (the {@code judgement} tables), through plain JDBC. */
@ApplicationScoped
public class JudgementRepository {

    public record Judgement(UUID id, String useCase, long benchmarkId, int guidelineVersion, String status, int items,
                            Integer nextBenchmarkVersion, Instant createdAt, String createdBy) {
    }

    /** An item's new judgement; {@code verdict} null while people have not judged it yet. */
    public record Judged(UUID itemId, String verdict, String finalOutput, String verdicts, Instant judgedAt) {
    }

    public void insert(Connection c, Judgement j, List<UUID> items) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO judgement (id, use_case, benchmark_id,"
                + " guideline_version, status, items, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, j.id());
            ps.setString(2, j.useCase());
            ps.setLong(3, j.benchmarkId());
            ps.setInt(4, j.guidelineVersion());
            ps.setString(5, j.status());
            ps.setInt(6, j.items());
            setInstant(ps, 7, j.createdAt());
            ps.setString(8, j.createdBy());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO judgement_item (judgement_id, item_id)"
                + " VALUES (?, ?)")) {
            for (UUID item : items) {
                ps.setObject(1, j.id());
                ps.setObject(2, item);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public Optional<Judgement> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, use_case, benchmark_id, guideline_version, status,"
                + " items, next_benchmark_version, created_at, created_by FROM judgement WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int next = rs.getInt("next_benchmark_version");
                return Optional.of(new Judgement(rs.getObject("id", UUID.class), rs.getString("use_case"),
                        rs.getLong("benchmark_id"), rs.getInt("guideline_version"), rs.getString("status"),
                        rs.getInt("items"), rs.wasNull() ? null : next, instant(rs, "created_at"),
                        rs.getString("created_by")));
            }
        }
    }

    /** Records an item's new judgement once; false when it was recorded before or is not part of the judgement. */
    public boolean judge(Connection c, UUID judgementId, Judged j) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE judgement_item SET verdict = ?, final_output = ?::json,"
                + " verdicts = ?::json, judged_at = ? WHERE judgement_id = ? AND item_id = ? AND verdict IS NULL")) {
            ps.setString(1, j.verdict());
            ps.setString(2, j.finalOutput());
            ps.setString(3, j.verdicts());
            setInstant(ps, 4, j.judgedAt());
            ps.setObject(5, judgementId);
            ps.setObject(6, j.itemId());
            return ps.executeUpdate() == 1;
        }
    }

    public List<Judged> items(Connection c, UUID judgementId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT item_id, verdict, final_output, verdicts, judged_at"
                + " FROM judgement_item WHERE judgement_id = ?")) {
            ps.setObject(1, judgementId);
            List<Judged> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Judged(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getString(4), instant(rs, "judged_at")));
                }
            }
            return out;
        }
    }

    public void done(Connection c, UUID id, int nextVersion) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE judgement SET status = 'DONE',"
                + " next_benchmark_version = ? WHERE id = ?")) {
            ps.setInt(1, nextVersion);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }
}
