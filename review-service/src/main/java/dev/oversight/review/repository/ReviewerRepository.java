package dev.oversight.review.repository;

import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Qualification;
import dev.oversight.review.domain.ReviewerProfile;
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

/**
 * Reviewers (the {@code reviewer} table: their profiles, who is paused and why; {@code reviewer_qualification})
 * and their statistics.
 */
@ApplicationScoped
public class ReviewerRepository {

    /**
     * SQL that holds when reviewer row {@code r} (a {@code reviewer} alias) has every skill, language and (valid today,
     * UTC) qualification that task {@code t} requires.
     */
    static final String HAS_REQUIREMENTS = "t.required_skills <@ r.skills AND t.required_languages <@ r.languages"
            + " AND t.required_qualifications <@ coalesce((SELECT array_agg(q.name) FROM reviewer_qualification q"
            + " WHERE q.reviewer = r.name AND q.valid_until >= (now() AT TIME ZONE 'UTC')::date), '{}')";

    /**
     * SQL that holds when the reviewer bound to its one parameter may take task {@code t} by what it requires: it
     * requires nothing (anyone with the reviewer role, described or not), or their profile has it all today.
     */
    public static final String QUALIFIED = "((t.required_skills = '{}' AND t.required_languages = '{}'"
            + " AND t.required_qualifications = '{}') OR EXISTS (SELECT 1 FROM reviewer r WHERE r.name = ? AND "
            + HAS_REQUIREMENTS + "))";

    private static final String PROFILE = "SELECT name, skills, languages, max_open_leases, active, paused,"
            + " paused_why, profiled, updated_at, updated_by, email, notify, senior FROM reviewer";

    /** The reviewer's profile; {@link ReviewerProfile#unknown} for one nobody described or paused. */
    public ReviewerProfile profile(Connection c, String name) throws SQLException {
        List<ReviewerProfile> found = profiles(c, PROFILE + " WHERE name = ?", name);
        return found.isEmpty() ? ReviewerProfile.unknown(name) : found.get(0);
    }

    /** The addresses of described, active senior reviewers who want notifications. */
    public List<String> seniorAddresses(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT email FROM reviewer WHERE profiled AND senior AND active"
                + " AND notify AND email IS NOT NULL ORDER BY name")) {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    /** Every reviewer an admin described, by name. */
    public List<ReviewerProfile> described(Connection c) throws SQLException {
        return profiles(c, PROFILE + " WHERE profiled ORDER BY name", null);
    }

    /** Saves an admin's description of the reviewer (keeping whether gold items paused them). */
    public void save(Connection c, ReviewerProfile p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reviewer (name, skills, languages, max_open_leases,"
                + " active, profiled, updated_at, updated_by, email, notify, senior) VALUES (?, ?, ?, ?, ?, true, ?, ?,"
                + " ?, ?, ?) ON CONFLICT (name)"
                + " DO UPDATE SET skills = EXCLUDED.skills, languages = EXCLUDED.languages,"
                + " max_open_leases = EXCLUDED.max_open_leases, active = EXCLUDED.active, profiled = true,"
                + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, email = EXCLUDED.email,"
                + " notify = EXCLUDED.notify, senior = EXCLUDED.senior")) {
            ps.setString(1, p.name());
            ps.setArray(2, c.createArrayOf("text", p.skills().toArray()));
            ps.setArray(3, c.createArrayOf("text", p.languages().toArray()));
            if (p.maxOpenLeases() == null) {
                ps.setNull(4, java.sql.Types.INTEGER);
            } else {
                ps.setInt(4, p.maxOpenLeases());
            }
            ps.setBoolean(5, p.active());
            ps.setTimestamp(6, java.sql.Timestamp.from(p.updatedAt()));
            ps.setString(7, p.updatedBy());
            ps.setString(8, p.email());
            ps.setBoolean(9, p.notifications());
            ps.setBoolean(10, p.senior());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM reviewer_qualification WHERE reviewer = ?")) {
            ps.setString(1, p.name());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO reviewer_qualification (reviewer, name,"
                + " valid_until, evidence) VALUES (?, ?, ?, ?)")) {
            for (Qualification q : p.qualifications()) {
                ps.setString(1, p.name());
                ps.setString(2, q.name());
                ps.setObject(3, q.validUntil());
                ps.setString(4, q.evidence());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * One reviewer's progress: open tasks assigned or offered to them and not started, tasks they hold a live lease
     * on, verdicts given, open tasks of theirs (assigned or started) past due, and the median time per verdict.
     */
    public record Progress(String reviewer, long assigned, long started, long done, long overdue,
                           Double medianSecondsPerTask) {
    }

    /** Every reviewer with assigned, started or judged work, in the use case (null: all), by name. */
    public List<Progress> progress(Connection c, String useCase) throws SQLException {
        String uc = " AND (?::text IS NULL OR t.use_case = ?)";
        String live = "a.status = 'ACTIVE' AND a.lease_expires_at > clock_timestamp()";
        try (PreparedStatement ps = c.prepareStatement("WITH people AS ("
                + " SELECT t.assigned_to AS name FROM task t WHERE t.status = 'OPEN' AND t.assigned_to IS NOT NULL" + uc
                + " UNION SELECT a.reviewer FROM assignment a JOIN task t ON t.id = a.task_id WHERE " + live + uc
                + " UNION SELECT v.reviewer FROM verdict v JOIN task t ON t.id = v.task_id WHERE v.reviewer NOT LIKE ?"
                + uc + ")"
                + " SELECT p.name,"
                + " (SELECT count(*) FROM task t WHERE t.status = 'OPEN' AND t.assigned_to = p.name" + uc
                + " AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id AND a.reviewer = p.name AND "
                + live + ")),"
                + " (SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id WHERE a.reviewer = p.name AND "
                + live + uc + "),"
                + " (SELECT count(*) FROM verdict v JOIN task t ON t.id = v.task_id WHERE v.reviewer = p.name" + uc + "),"
                + " (SELECT count(*) FROM task t WHERE t.status = 'OPEN' AND t.due_at < clock_timestamp()" + uc
                + " AND (t.assigned_to = p.name OR EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id"
                + " AND a.reviewer = p.name AND " + live + "))),"
                + " (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v.time_on_task_ms) / 1000.0 FROM verdict v"
                + " JOIN task t ON t.id = v.task_id WHERE v.reviewer = p.name" + uc + ")"
                + " FROM people p ORDER BY p.name")) {
            int i = 0;
            ps.setString(++i, useCase);
            ps.setString(++i, useCase);
            ps.setString(++i, useCase);
            ps.setString(++i, useCase);
            ps.setString(++i, GivenVerdict.SYSTEM_PREFIX + "%");
            ps.setString(++i, useCase);
            ps.setString(++i, useCase);
            for (int k = 0; k < 5; k++) {
                ps.setString(++i, useCase);
                ps.setString(++i, useCase);
            }
            List<Progress> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double median = rs.getDouble(6);
                    out.add(new Progress(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                            rs.wasNull() ? null : median));
                }
            }
            return out;
        }
    }

    /** How many tasks the reviewer holds a live lease on. */
    public int openLeases(Connection c, String reviewer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM assignment WHERE reviewer = ?"
                + " AND status = 'ACTIVE' AND lease_expires_at > clock_timestamp()")) {
            ps.setString(1, reviewer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private List<ReviewerProfile> profiles(Connection c, String sql, String name) throws SQLException {
        List<ReviewerProfile> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (name != null) {
                ps.setString(1, name);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int max = rs.getInt("max_open_leases");
                    Integer maxOpen = rs.wasNull() ? null : max;
                    java.sql.Timestamp at = rs.getTimestamp("updated_at");
                    out.add(new ReviewerProfile(rs.getString("name"), List.of((String[]) rs.getArray("skills").getArray()),
                            List.of((String[]) rs.getArray("languages").getArray()), List.of(), maxOpen,
                            rs.getBoolean("active"), rs.getBoolean("paused"), rs.getString("paused_why"),
                            rs.getBoolean("profiled"), at == null ? null : at.toInstant(), rs.getString("updated_by"),
                            rs.getString("email"), rs.getBoolean("notify"), rs.getBoolean("senior")));
                }
            }
        }
        List<ReviewerProfile> withQualifications = new ArrayList<>(out.size());
        for (ReviewerProfile p : out) {
            withQualifications.add(new ReviewerProfile(p.name(), p.skills(), p.languages(), qualifications(c, p.name()),
                    p.maxOpenLeases(), p.active(), p.paused(), p.pausedWhy(), p.described(), p.updatedAt(),
                    p.updatedBy(), p.email(), p.notifications(), p.senior()));
        }
        return withQualifications;
    }

    private static List<Qualification> qualifications(Connection c, String reviewer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, valid_until, evidence FROM reviewer_qualification"
                + " WHERE reviewer = ? ORDER BY name")) {
            ps.setString(1, reviewer);
            List<Qualification> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Qualification(rs.getString(1), rs.getObject(2, java.time.LocalDate.class),
                            rs.getString(3)));
                }
            }
            return out;
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
