package dev.oversight.review.repository;

import static dev.oversight.review.repository.Jdbc.instant;
import static dev.oversight.review.repository.Jdbc.name;
import static dev.oversight.review.repository.Jdbc.setDouble;
import static dev.oversight.review.repository.Jdbc.ts;

import dev.oversight.common.jdbc.InsertedRows;
import dev.oversight.review.domain.AssignmentStrategy;
import dev.oversight.review.domain.QueueSummary;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Tasks (the {@code task} table) in the caller's transaction. */
@ApplicationScoped
public class TaskRepository {

    private static final String OPEN = "'" + TaskStatus.OPEN + "'";
    private static final String INSERT = "INSERT INTO task (" + TaskRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?,"
            + " ?, ?::json, ?::json, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::json, ?, ?, ?, ?, ?::json, ?, ?::json, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";

    /** Inserts unless a review task for the decision exists; returns whether it inserted. */
    public boolean insert(Connection c, Task t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(c, ps, t);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Inserts each task unless a review task for its decision exists, in one JDBC batch; returns, for each, whether it
     * inserted.
     */
    public boolean[] insertAll(Connection c, List<Task> batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Task t : batch) {
                bind(c, ps, t);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Set<UUID> created = InsertedRows.byThisTransaction(c, "task", batch.stream().map(Task::id).toList());
        boolean[] inserted = new boolean[batch.size()];
        for (int k = 0; k < inserted.length; k++) {
            inserted[k] = created.contains(batch.get(k).id());
        }
        return inserted;
    }

    private static void bind(Connection c, PreparedStatement ps, Task t) throws SQLException {
        int i = 0;
        ps.setObject(++i, t.id());
        ps.setObject(++i, t.decisionId());
        ps.setString(++i, t.kind().name());
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
        ps.setString(++i, t.onReviewTimeout().name());
        ps.setString(++i, t.status().name());
        ps.setString(++i, name(t.goldVerdict()));
        ps.setString(++i, name(t.finalVerdict()));
        ps.setString(++i, t.finalOutput());
        ps.setTimestamp(++i, ts(t.decidedAt()));
        ps.setString(++i, t.traceparent());
        ps.setBoolean(++i, t.toolCall());
        ps.setArray(++i, t.allowedTools() == null ? null : c.createArrayOf("text", t.allowedTools().toArray()));
        ps.setString(++i, t.trajectory());
        ps.setObject(++i, t.judgementId());
        ps.setString(++i, t.comparison());
        ps.setArray(++i, c.createArrayOf("text", t.requires().skills().toArray()));
        ps.setArray(++i, c.createArrayOf("text", t.requires().languages().toArray()));
        ps.setArray(++i, c.createArrayOf("text", t.requires().qualifications().toArray()));
        ps.setString(++i, t.assignedTo());
        ps.setString(++i, t.assignment().name());
        ps.setInt(++i, t.offerSeconds());
    }

    public Optional<Task> find(Connection c, UUID id, boolean lock) throws SQLException {
        return one(c, "SELECT " + TaskRows.COLUMNS + " FROM task WHERE id = ?" + (lock ? " FOR UPDATE" : ""), id);
    }

    /** The task judging this decision's benchmark item under this judgement. */
    public Optional<Task> findJudgementOf(Connection c, UUID judgementId, UUID decisionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM task WHERE judgement_id = ?"
                + " AND decision_id = ? AND kind = 'JUDGE_ITEM'")) {
            ps.setObject(1, judgementId);
            ps.setObject(2, decisionId);
            List<Task> rows = TaskRows.all(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    public Optional<Task> findReviewOf(Connection c, UUID decisionId) throws SQLException {
        return one(c, "SELECT " + TaskRows.COLUMNS + " FROM task WHERE decision_id = ? AND kind = 'REVIEW'", decisionId);
    }

    /**
     * The open tasks this reviewer could take (a free reviewer slot, no verdict or live lease of theirs, and no
     * verdict on the task an adjudication settles), best first, each locked. With {@code skipLocked} rows another
     * claimer holds are passed over; without it the call waits for them. The caller re-checks under the lock.
     */
    public List<Task> lockCandidates(Connection c, String reviewer, boolean senior, String useCase, int limit,
                                     boolean skipLocked) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + TaskRows.COLUMNS + " FROM task t WHERE t.status = " + OPEN);
        List<Object> args = new ArrayList<>();
        if (!senior) {
            sql.append(" AND NOT t.senior_only");
        }
        if (useCase != null) {
            sql.append(" AND t.use_case = ?");
            args.add(useCase);
        }
        sql.append(" AND NOT EXISTS (SELECT 1 FROM verdict v WHERE v.task_id IN (t.id, t.parent_task_id)")
                .append(" AND v.reviewer = ?)");
        args.add(reviewer);
        sql.append(" AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.reviewer = ?")
                .append(" AND a.status = 'ACTIVE' AND a.lease_expires_at > clock_timestamp())");
        args.add(reviewer);
        sql.append(" AND (SELECT count(*) FROM verdict v WHERE v.task_id = t.id)")
                .append(" + (SELECT count(*) FROM assignment a WHERE a.task_id = t.id AND a.status = 'ACTIVE'")
                .append(" AND a.lease_expires_at > clock_timestamp()) < t.required_reviews");
        // Only what the reviewer is qualified for today, and nothing assigned to someone else; their own first.
        sql.append(" AND ").append(ReviewerRepository.QUALIFIED)
                .append(" AND (t.assigned_to IS NULL OR t.assigned_to = ?)");
        args.add(reviewer);
        args.add(reviewer);
        sql.append(" ORDER BY coalesce(t.assigned_to = ?, false) DESC, t.priority DESC, t.due_at, t.id LIMIT ? FOR UPDATE");
        args.add(reviewer);
        args.add(limit);
        if (skipLocked) {
            sql.append(" SKIP LOCKED");
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return TaskRows.all(ps);
        }
    }

    /**
     * Open tasks per use case, with the ones this reviewer could claim now (the claim-next conditions, not locking
     * anything) and those past their due time.
     */
    public List<QueueSummary.UseCaseQueue> queue(Connection c, String reviewer, boolean senior) throws SQLException {
        String claimable = "(" + (senior ? "true" : "NOT t.senior_only")
                + " AND NOT EXISTS (SELECT 1 FROM verdict v WHERE v.task_id IN (t.id, t.parent_task_id) AND v.reviewer = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.reviewer = ?"
                + " AND a.status = 'ACTIVE' AND a.lease_expires_at > clock_timestamp())"
                + " AND (SELECT count(*) FROM verdict v WHERE v.task_id = t.id)"
                + " + (SELECT count(*) FROM assignment a WHERE a.task_id = t.id AND a.status = 'ACTIVE'"
                + " AND a.lease_expires_at > clock_timestamp()) < t.required_reviews"
                + " AND " + ReviewerRepository.QUALIFIED + " AND (t.assigned_to IS NULL OR t.assigned_to = ?))";
        try (PreparedStatement ps = c.prepareStatement("SELECT t.use_case, count(*),"
                + " count(*) FILTER (WHERE t.kind = '" + TaskKind.ADJUDICATION + "'),"
                + " count(*) FILTER (WHERE " + claimable + "),"
                + " count(*) FILTER (WHERE t.due_at < clock_timestamp()), min(t.due_at) AS next_due,"
                + " count(*) FILTER (WHERE t.assigned_to = ?)"
                + " FROM task t WHERE t.status = " + OPEN + " GROUP BY t.use_case ORDER BY t.use_case")) {
            for (int i = 1; i <= 5; i++) {
                ps.setString(i, reviewer);
            }
            List<QueueSummary.UseCaseQueue> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new QueueSummary.UseCaseQueue(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), instant(rs, "next_due"), rs.getLong(7)));
                }
            }
            return out;
        }
    }

    /** Assigns the task to the reviewer (null: to nobody), with no expiry. */
    public void assign(Connection c, UUID taskId, String reviewer, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET assigned_to = ?, assigned_at = ?,"
                + " offer_expires_at = NULL WHERE id = ?")) {
            ps.setString(1, reviewer);
            ps.setTimestamp(2, reviewer == null ? null : ts(at));
            ps.setObject(3, taskId);
            ps.executeUpdate();
        }
    }

    /** Offers the task to the reviewer until {@code expires}, and notes when the reviewer was last offered work. */
    public void offer(Connection c, UUID taskId, String reviewer, Instant at, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET assigned_to = ?, assigned_at = ?,"
                + " offer_expires_at = ? WHERE id = ?")) {
            ps.setString(1, reviewer);
            ps.setTimestamp(2, ts(at));
            ps.setTimestamp(3, ts(expires));
            ps.setObject(4, taskId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE reviewer SET last_offered_at = ? WHERE name = ?")) {
            ps.setTimestamp(1, ts(at));
            ps.setString(2, reviewer);
            ps.executeUpdate();
        }
    }

    /**
     * Pushed open tasks, locked, that need an offer at {@code now}: never offered, offered to someone who let the
     * offer expire without starting, or offered to someone who has since judged it while it needs more reviewers.
     */
    public List<Task> lockUnoffered(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM task t WHERE t.status = " + OPEN
                + " AND t.assignment <> 'PULL' AND NOT t.senior_only"
                + " AND (SELECT count(*) FROM verdict v WHERE v.task_id = t.id)"
                + " + (SELECT count(*) FROM assignment a WHERE a.task_id = t.id AND a.status = 'ACTIVE'"
                + " AND a.lease_expires_at > ?) < t.required_reviews"
                + " AND (t.assigned_to IS NULL"
                + " OR (t.offer_expires_at IS NOT NULL AND t.offer_expires_at <= ? AND NOT EXISTS (SELECT 1 FROM"
                + " assignment a WHERE a.task_id = t.id AND a.reviewer = t.assigned_to AND a.status = 'ACTIVE'"
                + " AND a.lease_expires_at > ?))"
                + " OR EXISTS (SELECT 1 FROM verdict v WHERE v.task_id = t.id AND v.reviewer = t.assigned_to))"
                + " ORDER BY t.created_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, ts(now));
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setInt(4, limit);
            return TaskRows.all(ps);
        }
    }

    /**
     * The reviewer a pushed task goes to next, other than {@code except}: described, active, unpaused, qualified for
     * it today, below their limit of open tasks, not among its judges; by strategy, the one offered work longest ago
     * (ROUND_ROBIN) or the one holding the fewest open tasks and offers (LEAST_LOADED), then by name.
     */
    public Optional<String> nextReviewer(Connection c, UUID taskId, AssignmentStrategy strategy, String except)
            throws SQLException {
        String load = "(SELECT count(*) FROM assignment a WHERE a.reviewer = r.name AND a.status = 'ACTIVE'"
                + " AND a.lease_expires_at > clock_timestamp())";
        String offered = "(SELECT count(*) FROM task o WHERE o.assigned_to = r.name AND o.status = " + OPEN
                + " AND o.id <> t.id AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = o.id"
                + " AND a.reviewer = r.name AND a.status = 'ACTIVE'))";
        String order = strategy == AssignmentStrategy.LEAST_LOADED
                ? load + " + " + offered + ", r.last_offered_at NULLS FIRST, r.name"
                : "r.last_offered_at NULLS FIRST, r.name";
        try (PreparedStatement ps = c.prepareStatement("SELECT r.name FROM task t, reviewer r WHERE t.id = ?"
                + " AND r.profiled AND r.active AND NOT r.paused AND r.name IS DISTINCT FROM ?"
                + " AND " + ReviewerRepository.HAS_REQUIREMENTS
                + " AND NOT EXISTS (SELECT 1 FROM verdict v WHERE v.task_id IN (t.id, t.parent_task_id)"
                + " AND v.reviewer = r.name)"
                + " AND (r.max_open_leases IS NULL OR " + load + " < r.max_open_leases)"
                + " ORDER BY " + order + " LIMIT 1")) {
            ps.setObject(1, taskId);
            ps.setString(2, except);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Its first two conditions are the predicate of the partial index {@code task_open_required} (V13). */
    static final String UNCOVERED = "SELECT t.use_case, count(*) FROM task t WHERE t.status = " + OPEN
            + " AND cardinality(t.required_skills) + cardinality(t.required_languages)"
            + " + cardinality(t.required_qualifications) > 0 AND NOT EXISTS (SELECT 1 FROM reviewer r"
            + " WHERE r.profiled AND r.active AND NOT r.paused AND " + ReviewerRepository.HAS_REQUIREMENTS
            + ") GROUP BY t.use_case";

    /**
     * Open tasks per use case that require something of their reviewers that no active, unpaused reviewer has on
     * record today: nobody can take them, so they would wait silently.
     */
    public java.util.Map<String, Long> uncovered(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UNCOVERED)) {
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        }
    }

    public void finish(Connection c, UUID taskId, TaskStatus status, Verdict verdict, String finalOutput, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET status = ?, final_verdict = ?,"
                + " final_output = ?::json, decided_at = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, name(verdict));
            ps.setString(3, finalOutput);
            ps.setTimestamp(4, ts(at));
            ps.setObject(5, taskId);
            ps.executeUpdate();
        }
    }

    public void setStatus(Connection c, UUID taskId, TaskStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET status = ? WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setObject(2, taskId);
            ps.executeUpdate();
        }
    }

    public void escalate(Connection c, UUID taskId, int level, int priorityBonus, boolean seniorOnly) throws SQLException {
        // Going to seniors ends any assignment or offer: a senior must be able to take it.
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET escalation_level = ?, priority = priority + ?,"
                + " senior_only = senior_only OR ?, assigned_to = CASE WHEN ? THEN NULL ELSE assigned_to END,"
                + " offer_expires_at = CASE WHEN ? THEN NULL ELSE offer_expires_at END WHERE id = ?")) {
            ps.setInt(1, level);
            ps.setInt(2, priorityBonus);
            ps.setBoolean(3, seniorOnly);
            ps.setBoolean(4, seniorOnly);
            ps.setBoolean(5, seniorOnly);
            ps.setObject(6, taskId);
            ps.executeUpdate();
        }
    }

    /**
     * Open tasks that have an SLA step due at {@code now} (see Sla), locked for the sweep, skipping rows being worked
     * on. Tasks already as far escalated as their clock asks (held ones included) are not returned, so a batch
     * never fills up with rows the sweep would pass over.
     */
    public List<Task> lockOverdue(Connection c, Instant now, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM task WHERE status = " + OPEN
                + " AND ((escalation_level < " + Task.HELD + " AND hard_deadline_at <= ?)"
                + " OR (escalation_level < 2 AND due_at + (hard_deadline_at - due_at) / 2 <= ?)"
                + " OR (escalation_level < 1 AND due_at <= ?))"
                + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setTimestamp(1, ts(now));
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(now));
            ps.setInt(4, limit);
            return TaskRows.all(ps);
        }
    }

    public List<Task> page(Connection c, TaskStatus status, String useCase, UUID after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + TaskRows.COLUMNS + " FROM task WHERE id > ?");
        List<Object> args = new ArrayList<>();
        args.add(after == null ? new UUID(0, 0) : after);
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
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
            return TaskRows.all(ps);
        }
    }

    /**
     * The newest real review tasks of a use case that were never escalated (as they looked when created), for gold
     * items to look like them.
     */
    public List<Task> recentReal(Connection c, String useCase, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM task WHERE kind = 'REVIEW'"
                + " AND gold_verdict IS NULL AND escalation_level = 0 AND use_case = ?"
                + " ORDER BY created_at DESC LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setInt(2, limit);
            return TaskRows.all(ps);
        }
    }

    /** Real review tasks decided with a correction, for the corrections export. */
    public List<Task> corrected(Connection c, String useCase, UUID after, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM task WHERE kind = 'REVIEW'"
                + " AND gold_verdict IS NULL AND final_verdict = '" + Verdict.CORRECT + "'"
                + " AND (?::text IS NULL OR use_case = ?) AND id > ? ORDER BY id LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
            ps.setObject(3, after == null ? new UUID(0, 0) : after);
            ps.setInt(4, limit);
            return TaskRows.all(ps);
        }
    }

    private static Optional<Task> one(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            List<Task> rows = TaskRows.all(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }
}
