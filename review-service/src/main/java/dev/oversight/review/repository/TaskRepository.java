package dev.oversight.review.repository;

import java.util.Map;
import java.util.HashMap;
import java.sql.Array;
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
import java.util.UUID;
import jakarta.enterprise.context.ApplicationScoped;

/** Tasks, leases and verdicts through JDBC; every method runs inside the caller's transaction. */
@ApplicationScoped
public class TaskRepository {

    private static final String TASK_COLUMNS = "id, decision_id, kind, parent_task_id, use_case, model_version, input,"
            + " output, raw_confidence, calibrated_confidence, reasons, required_reviews, blind_review, senior_only,"
            + " priority, escalation_level, created_at, due_at, hard_deadline_at, on_review_timeout, status,"
            + " gold_verdict, final_verdict, final_output, decided_at, traceparent";

    private static final String VERDICTS_JOIN_TASK = "SELECT v.task_id, v.reviewer, v.verdict, v.corrected_output,"
            + " v.rationale, v.scores, v.time_on_task_ms, v.gold_correct, v.created_at FROM verdict v"
            + " JOIN task t ON t.id = v.task_id";

    /** Inserts unless a review task for the decision exists; returns whether it inserted. */
    public boolean insert(Connection c, TaskRow t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task (" + TASK_COLUMNS + ") VALUES (?, ?, ?, ?, ?,"
                + " ?, ?::json, ?::json, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?)"
                + " ON CONFLICT (decision_id) WHERE kind = 'REVIEW' DO NOTHING")) {
            int i = 0;
            ps.setObject(++i, t.id());
            ps.setObject(++i, t.decisionId());
            ps.setString(++i, t.kind());
            ps.setObject(++i, t.parentTaskId());
            ps.setString(++i, t.useCase());
            ps.setString(++i, t.modelVersion());
            ps.setString(++i, t.input());
            ps.setString(++i, t.output());
            setDouble(ps, ++i, t.rawConfidence());
            setDouble(ps, ++i, t.calibratedConfidence());
            ps.setArray(++i, c.createArrayOf("text", t.reasons().toArray()));
            ps.setInt(++i, t.requiredReviews());
            ps.setBoolean(++i, t.blindReview());
            ps.setBoolean(++i, t.seniorOnly());
            ps.setInt(++i, t.priority());
            ps.setInt(++i, t.escalationLevel());
            ps.setTimestamp(++i, ts(t.createdAt()));
            ps.setTimestamp(++i, ts(t.dueAt()));
            ps.setTimestamp(++i, ts(t.hardDeadlineAt()));
            ps.setString(++i, t.onReviewTimeout());
            ps.setString(++i, t.status());
            ps.setString(++i, t.goldVerdict());
            ps.setString(++i, t.finalVerdict());
            ps.setString(++i, t.finalOutput());
            ps.setTimestamp(++i, ts(t.decidedAt()));
            ps.setString(++i, t.traceparent());
            return ps.executeUpdate() == 1;
        }
    }

    public Optional<TaskRow> find(Connection c, UUID id, boolean lock) throws SQLException {
        return one(c, "SELECT " + TASK_COLUMNS + " FROM task WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id);
    }

    public Optional<TaskRow> findByDecision(Connection c, UUID decisionId) throws SQLException {
        return one(c, "SELECT " + TASK_COLUMNS + " FROM task WHERE decision_id = ? AND kind = 'REVIEW'", decisionId);
    }

    /**
     * The open tasks this reviewer could take (a free reviewer slot, no verdict or live lease of theirs), best first,
     * each locked. With {@code skipLocked} rows another claimer holds are passed over; without it the call waits
     * for them. The caller re-checks capacity under the lock with fresh reads.
     */
    public List<TaskRow> lockCandidates(Connection c, String reviewer, boolean senior, String useCase, int limit,
                                        boolean skipLocked) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM task t WHERE t.status = 'OPEN'");
        List<Object> args = new ArrayList<>();
        if (!senior) {
            sql.append(" AND NOT t.senior_only");
        }
        if (useCase != null) {
            sql.append(" AND t.use_case = ?");
            args.add(useCase);
        }
        // Nobody adjudicates a disagreement they are part of: their verdict on the parent task counts too.
        sql.append(" AND NOT EXISTS (SELECT 1 FROM verdict v WHERE v.task_id IN (t.id, t.parent_task_id)")
                .append(" AND v.reviewer = ?)");
        args.add(reviewer);
        sql.append(" AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.reviewer = ?")
                .append(" AND a.status = 'ACTIVE' AND a.lease_expires_at > clock_timestamp())");
        args.add(reviewer);
        sql.append(" AND (SELECT count(*) FROM verdict v WHERE v.task_id = t.id)")
                .append(" + (SELECT count(*) FROM assignment a WHERE a.task_id = t.id AND a.status = 'ACTIVE'")
                .append(" AND a.lease_expires_at > clock_timestamp()) < t.required_reviews");
        sql.append(" ORDER BY t.priority DESC, t.due_at, t.id LIMIT ? FOR UPDATE");
        args.add(limit);
        if (skipLocked) {
            sql.append(" SKIP LOCKED");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return all(ps);
        }
    }

    /** Verdicts plus unexpired active leases: how many of the task's reviewer slots are taken. */
    public int takenSlots(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM verdict WHERE task_id = ?)"
                + " + (SELECT count(*) FROM assignment WHERE task_id = ? AND status = 'ACTIVE' AND lease_expires_at > clock_timestamp())")) {
            ps.setObject(1, taskId);
            ps.setObject(2, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public Optional<Lease> activeLease(Connection c, UUID taskId, String reviewer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lease_token, claimed_at, lease_expires_at FROM assignment"
                + " WHERE task_id = ? AND reviewer = ? AND status = 'ACTIVE' AND lease_expires_at > clock_timestamp()"
                + " ORDER BY lease_token DESC LIMIT 1")) {
            ps.setObject(1, taskId);
            ps.setString(2, reviewer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Lease(taskId, reviewer, rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant())) : Optional.empty();
            }
        }
    }

    /** Takes the next fencing token of the task and records the lease. */
    public Lease lease(Connection c, UUID taskId, String reviewer, Instant now, Instant expires) throws SQLException {
        long token;
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE task SET lease_seq = lease_seq + 1 WHERE id = ? RETURNING lease_seq")) {
            ps.setObject(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                token = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assignment (task_id, reviewer, lease_token,"
                + " claimed_at, lease_expires_at, status) VALUES (?, ?, ?, ?, ?, 'ACTIVE')")) {
            ps.setObject(1, taskId);
            ps.setString(2, reviewer);
            ps.setLong(3, token);
            ps.setTimestamp(4, ts(now));
            ps.setTimestamp(5, ts(expires));
            ps.executeUpdate();
        }
        return new Lease(taskId, reviewer, token, now, expires);
    }

    /** The reviewer's unexpired lease with exactly this token, if there is one. */
    public Optional<Lease> leaseWithToken(Connection c, UUID taskId, String reviewer, long token) throws SQLException {
        return activeLease(c, taskId, reviewer).filter(l -> l.leaseToken() == token);
    }

    public void setLeaseStatus(Connection c, UUID taskId, long token, String status, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assignment SET status = ?,"
                + " lease_expires_at = coalesce(?, lease_expires_at) WHERE task_id = ? AND lease_token = ?")) {
            ps.setString(1, status);
            ps.setTimestamp(2, ts(expires));
            ps.setObject(3, taskId);
            ps.setLong(4, token);
            ps.executeUpdate();
        }
    }

    public void insertVerdict(Connection c, VerdictRow v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO verdict (task_id, reviewer, verdict, corrected_output,"
                + " rationale, scores, time_on_task_ms, gold_correct, created_at) VALUES (?, ?, ?, ?::json, ?, ?::jsonb, ?, ?, ?)")) {
            ps.setObject(1, v.taskId());
            ps.setString(2, v.reviewer());
            ps.setString(3, v.verdict());
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
            ps.executeUpdate();
        }
    }

    /** Every verdict on a decision (its review task and any adjudication), in the order they were given. */
    public List<VerdictRow> verdictsOfDecision(Connection c, UUID decisionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VERDICTS_JOIN_TASK + " WHERE t.decision_id = ? ORDER BY v.id")) {
            ps.setObject(1, decisionId);
            return verdictList(ps);
        }
    }

    public List<VerdictRow> verdicts(Connection c, UUID taskId) throws SQLException {
        return verdictsOf(c, List.of(taskId)).getOrDefault(taskId, List.of());
    }

    /** The verdicts of several tasks in one query, by task, each list in the order they were given. */
    public Map<UUID, List<VerdictRow>> verdictsOf(Connection c, List<UUID> taskIds) throws SQLException {
        Map<UUID, List<VerdictRow>> out = new HashMap<>();
        if (taskIds.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT task_id, reviewer, verdict, corrected_output, rationale,"
                + " scores, time_on_task_ms, gold_correct, created_at FROM verdict WHERE task_id = ANY(?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("uuid", taskIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    VerdictRow v = verdict(rs);
                    out.computeIfAbsent(v.taskId(), k -> new ArrayList<>()).add(v);
                }
            }
        }
        return out;
    }

    public void finish(Connection c, UUID taskId, String status, String verdict, String finalOutput, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET status = ?, final_verdict = ?,"
                + " final_output = ?::json, decided_at = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setString(2, verdict);
            ps.setString(3, finalOutput);
            ps.setTimestamp(4, ts(at));
            ps.setObject(5, taskId);
            ps.executeUpdate();
        }
    }

    public void setStatus(Connection c, UUID taskId, String status) throws SQLException {
        exec(c, "UPDATE task SET status = ? WHERE id = ?", status, taskId);
    }

    public void escalate(Connection c, UUID taskId, int level, int priorityBonus, boolean seniorOnly) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET escalation_level = ?, priority = priority + ?,"
                + " senior_only = senior_only OR ? WHERE id = ?")) {
            ps.setInt(1, level);
            ps.setInt(2, priorityBonus);
            ps.setBoolean(3, seniorOnly);
            ps.setObject(4, taskId);
            ps.executeUpdate();
        }
    }

    /**
     * Open tasks that have an SLA step due at {@code now} (see Sla), locked for the sweep, skipping rows being worked
     * on. Tasks already as far escalated as their clock asks (held ones included) are not returned, so a batch
     * never fills up with rows the sweep would pass over.
     */
    public List<TaskRow> lockOverdue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM task WHERE status = 'OPEN'"
                + " AND ((escalation_level < 3 AND hard_deadline_at <= ?)"
                + " OR (escalation_level < 2 AND due_at + (hard_deadline_at - due_at) / 2 <= ?)"
                + " OR (escalation_level < 1 AND due_at <= ?))"
                + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, ts(now));
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setInt(4, limit);
            return all(ps);
        }
    }

    public List<TaskRow> page(Connection c, String status, String useCase, UUID after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + TASK_COLUMNS + " FROM task WHERE id > ?");
        List<Object> args = new ArrayList<>();
        args.add(after == null ? new UUID(0, 0) : after);
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (useCase != null) {
            sql.append(" AND use_case = ?");
            args.add(useCase);
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(limit);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return all(ps);
        }
    }

    /** Verdicts of finished, non-gold tasks, for agreement and reviewer statistics. */
    public List<VerdictRow> finishedVerdicts(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(VERDICTS_JOIN_TASK
                + " WHERE t.kind = 'REVIEW' AND t.gold_verdict IS NULL AND (?::text IS NULL OR t.use_case = ?)"
                + " AND v.reviewer NOT LIKE 'system:%' ORDER BY v.id")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
            return verdictList(ps);
        }
    }

    private static List<VerdictRow> verdictList(PreparedStatement ps) throws SQLException {
        List<VerdictRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(verdict(rs));
            }
        }
        return out;
    }

    /** Tasks whose final verdict is CORRECT, for the corrections export. */
    public List<TaskRow> corrected(Connection c, String useCase, UUID after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TASK_COLUMNS + " FROM task WHERE kind = 'REVIEW'"
                + " AND gold_verdict IS NULL AND final_verdict = 'CORRECT' AND (?::text IS NULL OR use_case = ?)"
                + " AND id > ? ORDER BY id LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
            ps.setObject(3, after == null ? new UUID(0, 0) : after);
            ps.setInt(4, limit);
            return all(ps);
        }
    }

    /** Gold answers of a reviewer: [correct, total]. */
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

    /** Per reviewer: volume, mean time on task, decided and overturned verdicts, gold score, paused. */
    public record ReviewerStats(String reviewer, long volume, Double meanTimeOnTaskMs, long decided, long overturned,
                                long goldCorrect, long goldTotal, boolean paused) {
    }

    public List<ReviewerStats> reviewerStats(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v.reviewer, count(*), avg(v.time_on_task_ms),"
                + " count(*) FILTER (WHERE t.status = 'DONE' AND t.gold_verdict IS NULL AND t.kind = 'REVIEW'),"
                + " count(*) FILTER (WHERE t.status = 'DONE' AND t.gold_verdict IS NULL AND t.kind = 'REVIEW'"
                + "   AND t.final_verdict <> v.verdict),"
                + " count(*) FILTER (WHERE v.gold_correct), count(v.gold_correct), coalesce(bool_or(r.paused), false)"
                + " FROM verdict v JOIN task t ON t.id = v.task_id LEFT JOIN reviewer r ON r.name = v.reviewer"
                + " WHERE v.reviewer NOT LIKE 'system:%' AND (?::text IS NULL OR t.use_case = ?)"
                + " GROUP BY v.reviewer ORDER BY v.reviewer")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
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

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static Optional<TaskRow> one(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            List<TaskRow> rows = all(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    private static List<TaskRow> all(PreparedStatement ps) throws SQLException {
        List<TaskRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array reasons = rs.getArray("reasons");
                out.add(new TaskRow(rs.getObject("id", UUID.class), rs.getObject("decision_id", UUID.class),
                        rs.getString("kind"), rs.getObject("parent_task_id", UUID.class), rs.getString("use_case"),
                        rs.getString("model_version"), rs.getString("input"), rs.getString("output"),
                        getDouble(rs, "raw_confidence"), getDouble(rs, "calibrated_confidence"),
                        List.of((String[]) reasons.getArray()), rs.getInt("required_reviews"),
                        rs.getBoolean("blind_review"), rs.getBoolean("senior_only"), rs.getInt("priority"),
                        rs.getInt("escalation_level"), instant(rs, "created_at"), instant(rs, "due_at"),
                        instant(rs, "hard_deadline_at"), rs.getString("on_review_timeout"), rs.getString("status"),
                        rs.getString("gold_verdict"), rs.getString("final_verdict"), rs.getString("final_output"),
                        instant(rs, "decided_at"), rs.getString("traceparent")));
            }
        }
        return out;
    }

    private static VerdictRow verdict(ResultSet rs) throws SQLException {
        long t = rs.getLong("time_on_task_ms");
        Long time = rs.wasNull() ? null : t;
        boolean g = rs.getBoolean("gold_correct");
        Boolean gold = rs.wasNull() ? null : g;
        return new VerdictRow(rs.getObject("task_id", UUID.class), rs.getString("reviewer"), rs.getString("verdict"),
                rs.getString("corrected_output"), rs.getString("rationale"), rs.getString("scores"), time, gold,
                instant(rs, "created_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static void setDouble(PreparedStatement ps, int index, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, v);
        }
    }

    private static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
