package dev.oversight.review.repository;

import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Reliance;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The use cases' limits on reliance and the verdict counts the figures come from. */
@ApplicationScoped
public class RelianceRepository {

    public void saveLimits(Connection c, String useCase, Reliance.Limits l, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reliance_limits (use_case, min_dwell_seconds,"
                + " max_fast_approval_rate, max_approval_gap, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (use_case)"
                + " DO UPDATE SET min_dwell_seconds = EXCLUDED.min_dwell_seconds, max_fast_approval_rate ="
                + " EXCLUDED.max_fast_approval_rate, max_approval_gap = EXCLUDED.max_approval_gap,"
                + " updated_at = EXCLUDED.updated_at WHERE reliance_limits.updated_at <= EXCLUDED.updated_at")) {
            ps.setString(1, useCase);
            setNullable(ps, 2, l.minDwellSeconds() == null ? null : l.minDwellSeconds().doubleValue(), true);
            setNullable(ps, 3, l.maxFastApprovalRate(), false);
            setNullable(ps, 4, l.maxApprovalGap(), false);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    public Optional<Reliance.Limits> limits(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min_dwell_seconds, max_fast_approval_rate,"
                + " max_approval_gap FROM reliance_limits WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int dwell = rs.getInt(1);
                Integer d = rs.wasNull() ? null : dwell;
                double fast = rs.getDouble(2);
                Double f = rs.wasNull() ? null : fast;
                double gap = rs.getDouble(3);
                Double g = rs.wasNull() ? null : gap;
                return Optional.of(new Reliance.Limits(d, f, g));
            }
        }
    }

    /**
     * Per reviewer in the use case and period, the counts behind {@link Reliance}: verdicts and approvals where the
     * routing details were shown (real tasks not under blind review) and where they were not (blind tasks, and gold
     * items when {@code withGold}), approvals faster than {@code dwellSeconds}, and approvals of outputs overturned
     * (the task's final verdict was not an approval; for gold items, with {@code withGold}, the expected one).
     */
    public List<Reliance> figures(Connection c, String useCase, String reviewer, Instant from, Instant to,
                                  boolean withGold, Reliance.Limits limits) throws SQLException {
        String gold = withGold ? "t.gold_verdict IS NOT NULL" : "false";
        String approve = "v.verdict = 'APPROVE'";
        String shown = "t.gold_verdict IS NULL AND NOT t.blind_review";
        String blind = "((t.gold_verdict IS NULL AND t.blind_review) OR " + gold + ")";
        try (PreparedStatement ps = c.prepareStatement("SELECT v.reviewer,"
                + " count(*) FILTER (WHERE " + shown + "), count(*) FILTER (WHERE " + shown + " AND " + approve + "),"
                + " count(*) FILTER (WHERE " + blind + "), count(*) FILTER (WHERE " + blind + " AND " + approve + "),"
                + " count(*) FILTER (WHERE " + approve + " AND v.time_on_task_ms < ? AND (" + shown + " OR " + blind
                + ")),"
                + " count(*) FILTER (WHERE " + approve + " AND ((t.gold_verdict IS NULL AND t.status = 'DONE'"
                + " AND t.final_verdict <> 'APPROVE') OR (" + gold + " AND t.gold_verdict <> 'APPROVE')))"
                + " FROM verdict v JOIN task t ON t.id = v.task_id WHERE v.reviewer NOT LIKE ?"
                + " AND t.use_case = ? AND (?::text IS NULL OR v.reviewer = ?) AND v.created_at >= ?"
                + " AND v.created_at < ? GROUP BY v.reviewer ORDER BY v.reviewer")) {
            ps.setLong(1, limits.dwellSeconds() * 1000L);
            ps.setString(2, GivenVerdict.SYSTEM_PREFIX + "%");
            ps.setString(3, useCase);
            ps.setString(4, reviewer);
            ps.setString(5, reviewer);
            ps.setTimestamp(6, Timestamp.from(from));
            ps.setTimestamp(7, Timestamp.from(to));
            List<Reliance> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Reliance.of(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), limits));
                }
            }
            return out;
        }
    }

    private static void setNullable(PreparedStatement ps, int i, Double v, boolean integer) throws SQLException {
        if (v == null) {
            ps.setNull(i, integer ? Types.INTEGER : Types.DOUBLE);
        } else if (integer) {
            ps.setInt(i, v.intValue());
        } else {
            ps.setDouble(i, v);
        }
    }
}
