package dev.oversight.routing.oversight.repository;

import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.oversight.OversightReport;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The routing data the oversight figures come from, read for one use case, model version and window. */
@ApplicationScoped
public class OversightRepository {

    /** Which decisions: a use case, optionally one model version, created in [from, to). */
    public record Window(String useCase, String modelVersion, Instant from, Instant to) {
    }

    /** Decisions of the window by route and status. */
    public record Tally(Map<Route, Long> byRoute, Map<DecisionStatus, Long> byStatus, long escalatedDecided,
                        long escalatedWrong) {
    }

    /** A label: its raw confidence, whether the output was right, its weight. */
    /**
     * A label as the figures read it: its confidence (NaN when it carries only signals), outcome, weight, signals and
     * attributes as JSON text (or null), and its decision's segment (or null).
     */
    public record LabelRow(double confidence, boolean correct, double weight, String signals, String attributes,
                           String segment) {
    }

    private final AgroalDataSource db;

    public OversightRepository(AgroalDataSource db) {
        this.db = db;
    }

    private static final String WHERE = " WHERE d.use_case = ? AND d.created_at >= ? AND d.created_at < ?"
            + " AND (?::text IS NULL OR d.model_version = ?)";

    private static int bind(PreparedStatement ps, Window w, int from) throws SQLException {
        ps.setString(from, w.useCase());
        ps.setTimestamp(from + 1, Timestamp.from(w.from()));
        ps.setTimestamp(from + 2, Timestamp.from(w.to()));
        ps.setString(from + 3, w.modelVersion());
        ps.setString(from + 4, w.modelVersion());
        return from + 5;
    }

    public Tally tally(Window w) throws SQLException {
        Map<Route, Long> routes = new EnumMap<>(Route.class);
        Map<DecisionStatus, Long> statuses = new EnumMap<>(DecisionStatus.class);
        long escalated = 0;
        long wrong = 0;
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.route, d.status, count(*) FROM decision d" + WHERE
                    + " GROUP BY d.route, d.status")) {
                bind(ps, w, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        routes.merge(Route.valueOf(rs.getString(1)), rs.getLong(3), Long::sum);
                        statuses.merge(DecisionStatus.valueOf(rs.getString(2)), rs.getLong(3), Long::sum);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*),"
                    + " count(*) FILTER (WHERE d.status IN ('REJECTED', 'CORRECTED')) FROM decision d" + WHERE
                    + " AND " + ESCALATED_DECIDED)) {
                bind(ps, w, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    escalated = rs.getLong(1);
                    wrong = rs.getLong(2);
                }
            }
        }
        return new Tally(routes, statuses, escalated, wrong);
    }

    /** Per segment (decisions with one): volume, intervened, escalated and decided, and of those found wrong. */
    public record SegmentTally(String segment, long volume, long intervened, long escalatedDecided,
                               long escalatedWrong) {
    }

    /** The window's decisions by segment, at most {@code limit} segments, the largest first. */
    public List<SegmentTally> segmentTallies(Window w, int limit) throws SQLException {
        List<SegmentTally> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.segment, count(*), count(*) FILTER (WHERE d.route <> 'RELEASE'),"
                        + " count(*) FILTER (WHERE " + ESCALATED_DECIDED + "),"
                        + " count(*) FILTER (WHERE " + ESCALATED_DECIDED + " AND d.status IN ('REJECTED', 'CORRECTED'))"
                        + " FROM decision d" + WHERE + " AND d.segment IS NOT NULL"
                        + " GROUP BY d.segment ORDER BY count(*) DESC, d.segment LIMIT ?")) {
            int next = bind(ps, w, 1);
            ps.setInt(next, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SegmentTally(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /** Escalated by the router's judgment (low confidence or a review rule), and decided by reviewers. */
    private static final String ESCALATED_DECIDED = "d.status IN ('APPROVED', 'REJECTED', 'CORRECTED')"
            + " AND EXISTS (SELECT 1 FROM unnest(d.reasons) r WHERE r = 'LOW_CONFIDENCE' OR r LIKE 'RULE:%')";

    public Map<String, Long> reasons(Window w) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT r, count(*) FROM decision d CROSS JOIN LATERAL unnest(d.reasons) r" + WHERE
                        + " GROUP BY r ORDER BY count(*) DESC, r")) {
            bind(ps, w, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Labels of audit-sampled decisions of the window: outputs that would have been released, checked by people. */
    public List<LabelRow> auditSampleLabels(Window w) throws SQLException {
        return labels("SELECT l.confidence, l.correct, l.weight, NULL, NULL, d.segment FROM label l"
                + " JOIN decision d ON d.id = l.decision_id"
                + WHERE + " AND 'AUDIT_SAMPLE' = ANY(d.reasons) AND l.source = 'review'", w, null);
    }

    /** Labels of the use case that arrived in the window and after {@code after} (a calibrator's fitting time). */
    public List<LabelRow> labelsSince(Window w, Instant after) throws SQLException {
        return labels("SELECT l.confidence, l.correct, l.weight, l.signals::text, COALESCE(l.attributes::text,"
                + " (SELECT d.attributes::text FROM decision d WHERE d.id = l.decision_id)), NULL"
                + " FROM label l WHERE l.use_case = ? AND l.created_at >= ?"
                + " AND l.created_at < ? AND (?::text IS NULL OR l.model_version = ?) AND l.created_at > ?", w, after);
    }

    private List<LabelRow> labels(String sql, Window w, Instant after) throws SQLException {
        List<LabelRow> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int next = bind(ps, w, 1);
            if (after != null) {
                ps.setTimestamp(next, Timestamp.from(after));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double confidence = rs.getDouble(1);
                    if (rs.wasNull()) {
                        confidence = Double.NaN;
                    }
                    out.add(new LabelRow(confidence, rs.getBoolean(2), rs.getDouble(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)));
                }
            }
        }
        return out;
    }

    /** Seconds from routing to the reviewers' final verdict, for reviewed decisions of the window. */
    public double[] reviewLatencies(Window w) throws SQLException {
        List<Double> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT extract(epoch FROM d.decided_at - d.created_at) FROM decision d" + WHERE
                        + " AND d.route = 'REVIEW' AND d.status IN ('APPROVED', 'REJECTED', 'CORRECTED')")) {
            bind(ps, w, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getDouble(1));
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Reviews that broke their SLA (the reviewSlaSeconds of the policy version they were routed under): decided
     * after it, expired, or still open past it.
     */
    public long slaBreaches(Window w, Instant now) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM decision d JOIN policy p ON p.use_case = d.use_case AND p.version = d.policy_version"
                        + WHERE + " AND d.route = 'REVIEW' AND (d.status = 'EXPIRED' OR coalesce(d.decided_at, ?)"
                        + " - d.created_at > make_interval(secs => coalesce((p.document->>'reviewSlaSeconds')::int, 86400)))")) {
            int next = bind(ps, w, 1);
            ps.setTimestamp(next, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Decisions waiting for reviewers now, whenever they were routed. */
    public long queueDepth(String useCase, String modelVersion) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM decision WHERE use_case = ? AND status = 'PENDING_REVIEW'"
                        + " AND (?::text IS NULL OR model_version = ?)")) {
            ps.setString(1, useCase);
            ps.setString(2, modelVersion);
            ps.setString(3, modelVersion);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Reviewed agent runs of the window whose process people judged: [judged FLAWED, judged]. A run is FLAWED when
     * any of its reviewers found it so ({@link dev.oversight.common.agents.ProcessJudgement#of}).
     */
    public long[] processJudgements(Window w) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(d.verdicts) v"
                        + "   WHERE v->>'process' = 'FLAWED')), count(*) FROM decision d" + WHERE
                        + " AND d.trajectory IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements(d.verdicts) v"
                        + "   WHERE v->>'process' IS NOT NULL)")) {
            bind(ps, w, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Reviewed tool calls of the window by tool, those most often rejected or corrected first, at most {@code limit}. */
    public List<OversightReport.ToolVerdicts> toolVerdicts(Window w, int limit) throws SQLException {
        List<OversightReport.ToolVerdicts> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT d.output->>'name', count(*), count(*) FILTER (WHERE d.status = 'REJECTED'),"
                        + " count(*) FILTER (WHERE d.status = 'CORRECTED') FROM decision d" + WHERE
                        + " AND d.kind = 'TOOL_CALL' AND d.status IN ('APPROVED', 'REJECTED', 'CORRECTED')"
                        + " GROUP BY 1 ORDER BY count(*) FILTER (WHERE d.status <> 'APPROVED') DESC, count(*) DESC, 1"
                        + " LIMIT ?")) {
            int next = bind(ps, w, 1);
            ps.setInt(next, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new OversightReport.ToolVerdicts(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4)));
                }
            }
        }
        return out;
    }

    public Map<String, Long> reviewerLoad(Window w) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT v->>'reviewer', count(*) FROM decision d CROSS JOIN LATERAL jsonb_array_elements(d.verdicts) v"
                        + WHERE + " GROUP BY 1 ORDER BY count(*) DESC, 1")) {
            bind(ps, w, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Every use case with its mode (the human-in-command switch). */
    public Map<String, String> modes() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name, mode FROM use_case ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Every use case with the model versions that made decisions since {@code since}. */
    public Map<String, List<String>> activeModelVersions(Instant since) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT u.name, m.model_version FROM use_case u CROSS JOIN LATERAL (SELECT DISTINCT d.model_version"
                        + " FROM decision d WHERE d.use_case = u.name AND d.created_at >= ?) m ORDER BY 1, 2")) {
            ps.setTimestamp(1, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * A use case's drift-monitoring period: it starts when the policy version or the calibrator in force took effect,
     * whichever is later; the audit samples routed since then, and how many were wrong. {@code segment} null for the
     * use case as a whole, else one segment's share ({@code segments}: how many segments the period's samples fall
     * into).
     */
    public record DriftPeriod(String useCase, Instant since, int policyVersion, int calibratorVersion, long samples,
                              long errors, String segment, int segments) {

        public DriftPeriod(String useCase, Instant since, int policyVersion, int calibratorVersion, long samples,
                           long errors) {
            this(useCase, since, policyVersion, calibratorVersion, samples, errors, null, 0);
        }
    }

    /** Every use case with its monitoring period's start ({@code s.since}), for the drift queries. */
    private static final String PERIODS = " FROM use_case u"
            + " JOIN policy p ON p.use_case = u.name AND p.version = u.active_policy_version"
            + " JOIN calibrator k ON k.use_case = u.name AND k.version = u.active_calibrator_version"
            + " CROSS JOIN LATERAL (SELECT greatest(p.created_at, coalesce(k.activated_at, k.created_at)) AS since) s";

    /** Each segment's audit samples and errors in its use case's current period (decisions with a segment only). */
    public List<DriftPeriod> segmentDriftPeriods() throws SQLException {
        List<DriftPeriod> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT u.name, s.since, u.active_policy_version, u.active_calibrator_version, d.segment, count(*),"
                        + " count(*) FILTER (WHERE NOT l.correct), count(*) OVER (PARTITION BY u.name)"
                        + PERIODS
                        + " JOIN decision d ON d.use_case = u.name AND d.created_at >= s.since"
                        + "   AND 'AUDIT_SAMPLE' = ANY(d.reasons) AND d.segment IS NOT NULL"
                        + " JOIN label l ON l.decision_id = d.id AND l.source = 'review'"
                        + " GROUP BY u.name, s.since, u.active_policy_version, u.active_calibrator_version, d.segment"
                        + " ORDER BY u.name, d.segment")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DriftPeriod(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getInt(3), rs.getInt(4),
                            rs.getLong(6), rs.getLong(7), rs.getString(5), rs.getInt(8)));
                }
            }
        }
        return out;
    }

    public List<DriftPeriod> driftPeriods() throws SQLException {
        List<DriftPeriod> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT u.name, s.since, u.active_policy_version, u.active_calibrator_version,"
                        + " (SELECT count(*) FROM label l JOIN decision d ON d.id = l.decision_id WHERE d.use_case = u.name"
                        + "   AND d.created_at >= s.since AND 'AUDIT_SAMPLE' = ANY(d.reasons) AND l.source = 'review'),"
                        + " (SELECT count(*) FROM label l JOIN decision d ON d.id = l.decision_id WHERE d.use_case = u.name"
                        + "   AND d.created_at >= s.since AND 'AUDIT_SAMPLE' = ANY(d.reasons) AND l.source = 'review'"
                        + "   AND NOT l.correct)"
                        + PERIODS + " ORDER BY u.name")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DriftPeriod(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getInt(3), rs.getInt(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
        }
        return out;
    }

    /** The active calibrator's version, method, fitting time and the out-of-fold ECE of its report. */
    public record ActiveCalibration(int version, String method, Instant fittedAt, Double reportedEce) {
    }

    public ActiveCalibration activeCalibration(String useCase) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT k.version, k.method, k.created_at, (k.report::jsonb->>'ece')::double precision FROM use_case u"
                        + " JOIN calibrator k ON k.use_case = u.name AND k.version = u.active_calibrator_version"
                        + " WHERE u.name = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                double ece = rs.getDouble(4);
                return new ActiveCalibration(rs.getInt(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.wasNull() ? null : ece);
            }
        }
    }
}
