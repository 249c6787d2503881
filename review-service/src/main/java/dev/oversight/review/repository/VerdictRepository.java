package dev.oversight.review.repository;

import static dev.oversight.review.repository.Jdbc.instant;
import static dev.oversight.review.repository.Jdbc.ts;
import static dev.oversight.review.repository.Jdbc.value;

import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.common.agents.ProcessJudgement;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Verdicts (the {@code verdict} table) in the caller's transaction. */
@ApplicationScoped
public class VerdictRepository {

    private static final String COLUMNS = "v.task_id, v.reviewer, v.verdict, v.corrected_output, v.rationale, v.scores,"
            + " v.time_on_task_ms, v.gold_correct, v.created_at, v.process, v.steps, v.guideline_version";

    public void insert(Connection c, GivenVerdict v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO verdict (task_id, reviewer, verdict, corrected_output,"
                + " rationale, scores, time_on_task_ms, gold_correct, created_at, process, steps, guideline_version)"
                + " VALUES (?, ?, ?, ?::json, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?)")) {
            ps.setObject(1, v.taskId());
            ps.setString(2, v.reviewer());
            ps.setString(3, v.verdict().name());
            ps.setString(4, v.correctedOutput());
            ps.setString(5, v.rationale());
            ps.setString(6, v.scores());
            if (v.timeOnTaskMs() == null) {
                ps.setNull(7, Types.BIGINT);
            } else {
                ps.setLong(7, v.timeOnTaskMs());
            }
            if (v.goldCorrect() == null) {
                ps.setNull(8, Types.BOOLEAN);
            } else {
                ps.setBoolean(8, v.goldCorrect());
            }
            ps.setTimestamp(9, ts(v.createdAt()));
            ps.setString(10, v.process() == null ? null : v.process().name());
            ps.setString(11, v.steps());
            if (v.guidelineVersion() == null) {
                ps.setNull(12, Types.INTEGER);
            } else {
                ps.setInt(12, v.guidelineVersion());
            }
            ps.executeUpdate();
        }
    }

    /** Every verdict on a decision (its review task and any adjudication), in the order they were given. */
    public List<GivenVerdict> ofDecision(Connection c, UUID decisionId) throws SQLException {
        return ofDecision(c, decisionId, null);
    }

    /**
     * The verdicts of one judgement of a decision: its review and adjudication ({@code judgementId} null), or one
     * rejudge of its benchmark item (the JUDGE_ITEM task and its adjudication), never mixed.
     */
    public List<GivenVerdict> ofDecision(Connection c, UUID decisionId, UUID judgementId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM verdict v JOIN task t"
                + " ON t.id = v.task_id WHERE t.decision_id = ? AND t.judgement_id IS NOT DISTINCT FROM ?"
                + " ORDER BY v.id")) {
            ps.setObject(1, decisionId);
            ps.setObject(2, judgementId);
            return list(ps);
        }
    }

    public List<GivenVerdict> of(Connection c, UUID taskId) throws SQLException {
        return ofTasks(c, List.of(taskId)).getOrDefault(taskId, List.of());
    }

    /** The verdicts of several tasks in one query, by task, each list in the order they were given. */
    public Map<UUID, List<GivenVerdict>> ofTasks(Connection c, List<UUID> taskIds) throws SQLException {
        Map<UUID, List<GivenVerdict>> out = new HashMap<>();
        if (taskIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM verdict v WHERE v.task_id = ANY(?)"
                + " ORDER BY v.id")) {
            ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
            for (GivenVerdict v : list(ps)) {
                out.computeIfAbsent(v.taskId(), k -> new ArrayList<>()).add(v);
            }
        }
        return out;
    }

    /** Human verdicts of review tasks that are not gold, for agreement statistics. */
    public List<GivenVerdict> humanOnRealTasks(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM verdict v JOIN task t"
                + " ON t.id = v.task_id WHERE t.kind = ? AND t.gold_verdict IS NULL"
                + " AND (?::text IS NULL OR t.use_case = ?) AND v.reviewer NOT LIKE ? ORDER BY v.id")) {
            ps.setString(1, TaskKind.REVIEW.name());
            ps.setString(2, useCase);
            ps.setString(3, useCase);
            ps.setString(4, GivenVerdict.SYSTEM_PREFIX + "%");
            return list(ps);
        }
    }

    /** A reviewer's gold answers: [correct, total]. */
    public int[] goldScore(Connection c, String reviewer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE gold_correct), count(*)"
                + " FROM verdict WHERE reviewer = ? AND gold_correct IS NOT NULL")) {
            ps.setString(1, reviewer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new int[] {rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static Integer guideline(ResultSet rs) throws SQLException {
        int v = rs.getInt("guideline_version");
        return rs.wasNull() ? null : v;
    }

    private static List<GivenVerdict> list(PreparedStatement ps) throws SQLException {
        List<GivenVerdict> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long t = rs.getLong("time_on_task_ms");
                Long time = rs.wasNull() ? null : t;
                boolean g = rs.getBoolean("gold_correct");
                Boolean gold = rs.wasNull() ? null : g;
                out.add(new GivenVerdict(rs.getObject("task_id", UUID.class), rs.getString("reviewer"),
                        Verdict.valueOf(rs.getString("verdict")), rs.getString("corrected_output"),
                        rs.getString("rationale"), rs.getString("scores"), time, gold, instant(rs, "created_at"),
                        value(ProcessJudgement.class, rs.getString("process")), rs.getString("steps"),
                        guideline(rs)));
            }
        }
        return out;
    }
}
