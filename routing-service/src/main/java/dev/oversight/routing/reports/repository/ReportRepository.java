package dev.oversight.routing.reports.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Issued reports (the {@code report} table) and what a report states about its period, read as JSON. */
@ApplicationScoped
public class ReportRepository {

    private static final String COLUMNS = "id, use_case, period_from, period_to, data, sha256, event_id, issued_at,"
            + " issued_by";

    public record Report(UUID id, String useCase, Instant from, Instant to, String data, String sha256, UUID eventId,
                         Instant issuedAt, String issuedBy) {
    }

    public void insert(Connection c, Report r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO report (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, r.id());
            ps.setString(2, r.useCase());
            ps.setTimestamp(3, Timestamp.from(r.from()));
            ps.setTimestamp(4, Timestamp.from(r.to()));
            ps.setString(5, r.data());
            ps.setString(6, r.sha256());
            ps.setObject(7, r.eventId());
            ps.setTimestamp(8, Timestamp.from(r.issuedAt()));
            ps.setString(9, r.issuedBy());
            ps.executeUpdate();
        }
    }

    public Optional<Report> find(Connection c, String useCase, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM report WHERE use_case = ?"
                + " AND id = ?")) {
            ps.setString(1, useCase);
            ps.setObject(2, id);
            List<Report> rows = reports(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** Newest first, after the page that ended with {@code before}. */
    public List<Report> list(Connection c, String useCase, UUID before, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM report WHERE use_case = ?"
                + " AND (?::uuid IS NULL OR id < ?::uuid) ORDER BY id DESC LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setObject(2, before);
            ps.setObject(3, before);
            ps.setInt(4, limit);
            return reports(ps);
        }
    }

    /** Decisions per UTC day and route: {"day", "RELEASE", "REVIEW", "BLOCK"} objects, oldest day first. */
    public String dailyRoutes(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'RELEASE',"
                + " release, 'REVIEW', review, 'BLOCK', block) ORDER BY day), '[]')::text FROM (SELECT"
                + " date_trunc('day', created_at AT TIME ZONE 'UTC') AS day, count(*) FILTER (WHERE route = 'RELEASE')"
                + " AS release, count(*) FILTER (WHERE route = 'REVIEW') AS review, count(*) FILTER (WHERE route ="
                + " 'BLOCK') AS block FROM decision WHERE use_case = ? AND created_at >= ? AND created_at < ?"
                + " GROUP BY 1) d", useCase, from, to);
    }

    /**
     * Oversight per UTC day, as exact counts: decisions made and how many went to people or were blocked
     * ({@code interventions}); reviews decided and how many found the output wrong (rejected or corrected); the
     * review latency's median and 95th percentile (seconds from decision to outcome); decisions people judged more
     * than once and how many of those every person judged alike ({@code agreed}); releases reversed. Oldest day first.
     */
    public String dailyOversight(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "WITH made AS (SELECT date_trunc('day', created_at AT TIME ZONE 'UTC') AS day, count(*) AS"
                + " decisions, count(*) FILTER (WHERE route <> 'RELEASE') AS interventions FROM decision WHERE use_case"
                + " = ? AND created_at >= ? AND created_at < ? GROUP BY 1), reviewed AS (SELECT date_trunc('day',"
                + " decided_at AT TIME ZONE 'UTC') AS day, count(*) AS decided, count(*) FILTER (WHERE status IN"
                + " ('REJECTED', 'CORRECTED')) AS wrong, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM"
                + " decided_at - created_at)) AS p50, percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM"
                + " decided_at - created_at)) AS p95, count(*) FILTER (WHERE people > 1) AS multi, count(*) FILTER"
                + " (WHERE people > 1 AND kinds = 1) AS agreed FROM (SELECT created_at, decided_at, status, (SELECT"
                + " count(*) FROM jsonb_array_elements(verdicts) v WHERE v ->> 'reviewer' NOT LIKE 'system:%') AS people,"
                + " (SELECT count(DISTINCT v ->> 'verdict') FROM jsonb_array_elements(verdicts) v WHERE v ->> 'reviewer'"
                + " NOT LIKE 'system:%') AS kinds FROM decision WHERE use_case = ? AND route = 'REVIEW' AND status IN"
                + " ('APPROVED', 'REJECTED', 'CORRECTED') AND decided_at >= ? AND decided_at < ?) r GROUP BY 1),"
                + " reversed AS (SELECT date_trunc('day', o.overridden_at AT TIME ZONE 'UTC') AS day, count(*) AS n FROM"
                + " decision_override o JOIN decision d ON d.id = o.decision_id WHERE d.use_case = ? AND"
                + " o.overridden_at >= ? AND o.overridden_at < ? GROUP BY 1)"
                + " SELECT coalesce(json_agg(json_build_object('day', to_char(day, 'YYYY-MM-DD'), 'decisions',"
                + " coalesce(decisions, 0), 'interventions', coalesce(interventions, 0), 'reviewsDecided',"
                + " coalesce(decided, 0), 'foundWrong', coalesce(wrong, 0), 'latencySecondsP50', p50,"
                + " 'latencySecondsP95', p95, 'judgedByMoreThanOne', coalesce(multi, 0), 'agreed', coalesce(agreed, 0),"
                + " 'overrides', coalesce(n, 0)) ORDER BY day), '[]')::text FROM made FULL JOIN reviewed USING (day)"
                + " FULL JOIN reversed USING (day)", useCase, from, to, useCase, from, to, useCase, from, to);
    }

    /** The policy versions in force at some moment of the period (the one in force at its start, and later ones). */
    public String policies(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('version', version, 'createdAt', created_at,"
                + " 'createdBy', created_by, 'approval', approval, 'approvedBy', approved_by, 'document', document)"
                + " ORDER BY version), '[]')::text FROM policy WHERE use_case = ? AND created_at < ? AND version >="
                + " coalesce((SELECT max(version) FROM policy WHERE use_case = ? AND created_at <= ?), 1)",
                useCase, to, useCase, from);
    }

    /** The calibrators in force at some moment of the period. */
    public String calibrators(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('version', version, 'method', method,"
                + " 'createdAt', created_at, 'activatedAt', activated_at, 'selectedThreshold', selected_threshold,"
                + " 'errorRateUpperBound', error_rate_upper_bound, 'approvedBy', approved_by) ORDER BY version), '[]')"
                + "::text FROM calibrator WHERE use_case = ? AND (version = 1 OR activated_at IS NOT NULL) AND"
                + " coalesce(activated_at, created_at) < ? AND version >= coalesce((SELECT max(version) FROM calibrator"
                + " WHERE use_case = ? AND (version = 1 OR activated_at <= ?)), 1)", useCase, to, useCase, from);
    }

    /** Mode changes of the period, who asked for them, why, and who approved them. */
    public String modeChanges(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('mode', mode, 'reason', reason, 'changedBy',"
                + " changed_by, 'changedAt', changed_at, 'approval', approval, 'approvedBy', approved_by)"
                + " ORDER BY id), '[]')::text FROM mode_change WHERE use_case = ? AND changed_at >= ?"
                + " AND changed_at < ?", useCase, from, to);
    }

    /** Released outputs reversed in the period, with who did it. */
    public String overrides(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('decisionId', o.decision_id, 'overriddenBy',"
                + " o.overridden_by, 'overriddenAt', o.overridden_at) ORDER BY o.overridden_at), '[]')::text FROM"
                + " decision_override o JOIN decision d ON d.id = o.decision_id WHERE d.use_case = ? AND"
                + " o.overridden_at >= ? AND o.overridden_at < ?", useCase, from, to);
    }

    /** Drift alarms raised in the period. */
    public String driftAlarms(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('detectedAt', detected_at, 'samples', samples,"
                + " 'errors', errors, 'lowerBound', lower_bound, 'targetErrorRate', target_error_rate, 'action',"
                + " action) ORDER BY detected_at), '[]')::text FROM drift_alert WHERE use_case = ? AND"
                + " detected_at >= ? AND detected_at < ?", useCase, from, to);
    }

    /** Serious incidents the deployer became aware of in the period. */
    public String incidents(Connection c, String useCase, Instant from, Instant to) throws SQLException {
        return json(c, "SELECT coalesce(json_agg(json_build_object('id', id, 'severity', severity, 'awareAt',"
                + " aware_at, 'deadline', deadline, 'status', status, 'firstReportAt', reported_at) ORDER BY"
                + " aware_at), '[]')::text FROM incident WHERE use_case = ? AND aware_at >= ? AND aware_at < ?",
                useCase, from, to);
    }

    private static String json(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof Instant t) {
                    ps.setTimestamp(i + 1, Timestamp.from(t));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static List<Report> reports(PreparedStatement ps) throws SQLException {
        List<Report> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Report(rs.getObject("id", UUID.class), rs.getString("use_case"),
                        rs.getTimestamp("period_from").toInstant(), rs.getTimestamp("period_to").toInstant(),
                        rs.getString("data"), rs.getString("sha256"), rs.getObject("event_id", UUID.class),
                        rs.getTimestamp("issued_at").toInstant(), rs.getString("issued_by")));
            }
        }
        return out;
    }
}
