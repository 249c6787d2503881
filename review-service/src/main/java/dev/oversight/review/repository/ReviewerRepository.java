package dev.oversight.review.repository;

import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.ReviewerStats;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reviewers (the {@code reviewer} table: who is paused and why) and their statistics. */
@ApplicationScoped
public class ReviewerRepository {

    public Optional<String> pausedWhy(Connection c, String reviewer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT paused_why FROM reviewer WHERE name = ? AND paused")) {
            ps.setString(1, reviewer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public void setPaused(Connection c, String reviewer, boolean paused, String why) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reviewer (name, paused, paused_why, updated_at)"
                + " VALUES (?, ?, ?, now()) ON CONFLICT (name) DO UPDATE SET paused = EXCLUDED.paused,"
                + " paused_why = EXCLUDED.paused_why, updated_at = now()")) {
            ps.setString(1, reviewer);
            ps.setBoolean(2, paused);
            ps.setString(3, why);
            ps.executeUpdate();
        }
    }

    public List<ReviewerStats> stats(Connection c, String useCase) throws SQLException {
        String decided = "t.status = '" + TaskStatus.DONE + "' AND t.gold_verdict IS NULL AND t.kind = '"
                + TaskKind.REVIEW + "'";
        try (PreparedStatement ps = c.prepareStatement("SELECT v.reviewer, count(*), avg(v.time_on_task_ms),"
                + " count(*) FILTER (WHERE " + decided + "),"
                + " count(*) FILTER (WHERE " + decided + " AND t.final_verdict <> v.verdict),"
                + " count(*) FILTER (WHERE v.gold_correct), count(v.gold_correct), coalesce(bool_or(r.paused), false)"
                + " FROM verdict v JOIN task t ON t.id = v.task_id LEFT JOIN reviewer r ON r.name = v.reviewer"
                + " WHERE v.reviewer NOT LIKE ? AND (?::text IS NULL OR t.use_case = ?)"
                + " GROUP BY v.reviewer ORDER BY v.reviewer")) {
            ps.setString(1, GivenVerdict.SYSTEM_PREFIX + "%");
            ps.setString(2, useCase);
            ps.setString(3, useCase);
            List<ReviewerStats> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double mean = rs.getDouble(3);
                    Double meanMs = rs.wasNull() ? null : mean;
                    out.add(new ReviewerStats(rs.getString(1), rs.getLong(2), meanMs, rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getBoolean(8)));
                }
            }
            return out;
        }
    }
}
