package dev.oversight.routing.oversight.repository;

import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.oversight.OversightReport;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The routing data the oversight figures come from, read for one use case, model version and window. */
@ApplicationScoped
public class OversightRepository {

    /** Which decisions: a use case, optionally one model version, created in [from, to). */
    public record Window(String useCase, String modelVersion, Instant from, Instant to) {
    }

    /**
     * What one pass over the window's decisions counts: by route and by status; escalated by the router's judgment
     * and decided, and of those found wrong; reviews that broke their SLA; reviewed agent runs whose process people
     * judged, and of those judged FLAWED; the reasons given (a decision may give several), the most common first; the
     * reviewed tool calls by tool, those most often rejected or corrected first; and the largest segments' figures.
     */
    public record Tally(Map<Route, Long> byRoute, Map<DecisionStatus, Long> byStatus, long escalatedDecided,
                        long escalatedWrong, long slaBreaches, long processJudged, long processFlawed,
                        Map<String, Long> reasons, List<OversightReport.ToolVerdicts> tools,
                        List<SegmentTally> segments) {
    }

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

    /** Which grouping set a row of {@link #tally} counts: GROUPING(route, segment, reasons, tool), 1 = not grouped. */
    private static final int BY_ROUTE_AND_STATUS = 0b0111;
    private static final int BY_SEGMENT = 0b1011;
    private static final int BY_REASONS = 0b1101;
    private static final int BY_TOOL = 0b1110;

    /** A reviewed tool call's tool (null for any other decision). */
    private static final String TOOL = "CASE WHEN d.kind = 'TOOL_CALL' AND d.status IN ('APPROVED', 'REJECTED',"
            + " 'CORRECTED') THEN d.output->>'name' END";

    /**
     * Counts the window's decisions in one pass: the oversight gauges' refresh reads every decision of the window,
     * for every use case and model version, every minute, and seven of the twelve statements that did so are this
     * one (on the local stack, 1.1 s of PostgreSQL's time a refresh against 3.3 s for the seven, with 815,000 and
     * 929,000 decisions in the window). The decisions are grouped by route and status, by segment, by their reasons
     * (arrays, expanded here: there are few distinct ones) and by reviewed tool, each figure a filtered count, and
     * each grouping by model version. {@code now} decides which open reviews are past their SLA; at most
     * {@code segmentLimit} segments and {@code toolLimit} tools, the largest first.
     */
    public Tally tally(Window w, Instant now, int segmentLimit, int toolLimit) throws SQLException {
        Counts all = new Counts();
        counts(w, now).values().forEach(all::add);
        return all.tally(segmentLimit, toolLimit);
    }

    /** The same for each model version that made decisions in the window, in one pass over the use case's window. */
    public Map<String, Tally> tallies(String useCase, Instant from, Instant to, Instant now, int segmentLimit,
                                      int toolLimit) throws SQLException {
        Map<String, Tally> out = new LinkedHashMap<>();
        counts(new Window(useCase, null, from, to), now).forEach((model, counts) ->
                out.put(model, counts.tally(segmentLimit, toolLimit)));
        return out;
    }

    private Map<String, Counts> counts(Window w, Instant now) throws SQLException {
        Map<String, Counts> byModel = new TreeMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT GROUPING(d.route, d.segment, d.reasons, " + TOOL + "), d.model_version, d.route, d.status,"
                        + " d.segment, d.reasons, " + TOOL + ", count(*),"
                        + " count(*) FILTER (WHERE d.route <> 'RELEASE'),"
                        + " count(*) FILTER (WHERE " + ESCALATED_DECIDED + "),"
                        + " count(*) FILTER (WHERE " + ESCALATED_DECIDED + " AND d.status IN ('REJECTED', 'CORRECTED')),"
                        + " count(*) FILTER (WHERE " + SLA_BROKEN + "),"
                        + " count(*) FILTER (WHERE " + PROCESS_JUDGED + "),"
                        + " count(*) FILTER (WHERE " + PROCESS_JUDGED + " AND EXISTS (SELECT 1"
                        + "   FROM jsonb_array_elements(d.verdicts) v WHERE v->>'process' = 'FLAWED')),"
                        + " count(*) FILTER (WHERE d.status = 'REJECTED'), count(*) FILTER (WHERE d.status = 'CORRECTED')"
                        + " FROM decision d LEFT JOIN policy p ON p.use_case = d.use_case AND p.version = d.policy_version"
                        + WHERE + " GROUP BY GROUPING SETS ((d.model_version, d.route, d.status),"
                        + " (d.model_version, d.segment), (d.model_version, d.reasons), (d.model_version, " + TOOL + "))")) {
            ps.setTimestamp(1, Timestamp.from(now));
            bind(ps, w, 2);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Counts counts = byModel.computeIfAbsent(rs.getString(2), m -> new Counts());
                    long n = rs.getLong(8);
                    switch (rs.getInt(1)) {
                        case BY_ROUTE_AND_STATUS -> {
                            counts.routes.merge(Route.valueOf(rs.getString(3)), n, Long::sum);
                            counts.statuses.merge(DecisionStatus.valueOf(rs.getString(4)), n, Long::sum);
                            for (int i = 0; i < counts.figures.length; i++) {
                                counts.figures[i] += rs.getLong(10 + i);
                            }
                        }
                        case BY_SEGMENT -> {
                            if (rs.getString(5) != null) { // decisions without one are not a segment
                                counts.segments.put(rs.getString(5),
                                        new long[] {n, rs.getLong(9), rs.getLong(10), rs.getLong(11)});
                            }
                        }
                        case BY_REASONS -> {
                            Array array = rs.getArray(6);
                            if (array != null) {
                                for (String reason : (String[]) array.getArray()) {
                                    counts.reasons.merge(reason, n, Long::sum);
                                }
                            }
                        }
                        case BY_TOOL -> {
                            if (rs.getString(7) != null) {
                                counts.tools.put(rs.getString(7), new long[] {n, rs.getLong(15), rs.getLong(16)});
                            }
                        }
                        default -> throw new IllegalStateException("unexpected grouping set " + rs.getInt(1));
                    }
                }
            }
        }
        return byModel;
    }

    /** One model version's counts (or several versions' added up), before the largest segments and tools are picked. */
    private static final class Counts {
        final Map<Route, Long> routes = new EnumMap<>(Route.class);
        final Map<DecisionStatus, Long> statuses = new EnumMap<>(DecisionStatus.class);
        /** Escalated and decided, of those wrong, SLA breaches, process judged, process flawed. */
        final long[] figures = new long[5];
        final Map<String, Long> reasons = new HashMap<>();
        /** By tool: reviewed, rejected, corrected. */
        final Map<String, long[]> tools = new HashMap<>();
        /** By segment: volume, intervened, escalated and decided, of those wrong. */
        final Map<String, long[]> segments = new HashMap<>();

        void add(Counts o) {
            o.routes.forEach((k, v) -> routes.merge(k, v, Long::sum));
            o.statuses.forEach((k, v) -> statuses.merge(k, v, Long::sum));
            for (int i = 0; i < figures.length; i++) {
                figures[i] += o.figures[i];
            }
            o.reasons.forEach((k, v) -> reasons.merge(k, v, Long::sum));
            o.tools.forEach((k, v) -> tools.merge(k, v.clone(), Counts::sum));
            o.segments.forEach((k, v) -> segments.merge(k, v.clone(), Counts::sum));
        }

        private static long[] sum(long[] a, long[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            return a;
        }

        Tally tally(int segmentLimit, int toolLimit) {
            Map<String, Long> byCount = new LinkedHashMap<>();
            reasons.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                    .thenComparing(Map.Entry.comparingByKey())).forEach(e -> byCount.put(e.getKey(), e.getValue()));
            List<OversightReport.ToolVerdicts> byOverrides = tools.entrySet().stream()
                    .map(e -> new OversightReport.ToolVerdicts(e.getKey(), e.getValue()[0], e.getValue()[1],
                            e.getValue()[2]))
                    .sorted(Comparator.comparingLong((OversightReport.ToolVerdicts t) -> t.rejected() + t.corrected())
                            .reversed().thenComparing(Comparator.comparingLong(OversightReport.ToolVerdicts::reviewed)
                                    .reversed()).thenComparing(OversightReport.ToolVerdicts::tool))
                    .limit(toolLimit).toList();
            List<SegmentTally> largest = segments.entrySet().stream()
                    .map(e -> new SegmentTally(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
                            e.getValue()[3]))
                    .sorted(Comparator.comparingLong(SegmentTally::volume).reversed()
                            .thenComparing(SegmentTally::segment))
                    .limit(segmentLimit).toList();
            return new Tally(routes, statuses, figures[0], figures[1], figures[2], figures[3], figures[4], byCount,
                    byOverrides, largest);
        }
    }

    /** Per segment (decisions with one): volume, intervened, escalated and decided, and of those found wrong. */
    public record SegmentTally(String segment, long volume, long intervened, long escalatedDecided,
                               long escalatedWrong) {
    }

    /**
     * A review that broke its SLA (the reviewSlaSeconds of the policy version it was routed under, a day without
     * one): decided after it, expired, or still open past it at the statement's first parameter ({@code now}).
     */
    private static final String SLA_BROKEN = "d.route = 'REVIEW' AND p.use_case IS NOT NULL AND (d.status = 'EXPIRED'"
            + " OR coalesce(d.decided_at, ?) - d.created_at"
            + " > make_interval(secs => coalesce((p.document->>'reviewSlaSeconds')::int, 86400)))";

    /**
     * A reviewed agent run whose process people judged (a run is FLAWED when any of its reviewers found it so, as
     * {@link dev.oversight.common.agents.ProcessJudgement#of} decides).
     */
    private static final String PROCESS_JUDGED = "d.trajectory IS NOT NULL AND EXISTS (SELECT 1"
            + " FROM jsonb_array_elements(d.verdicts) v WHERE v->>'process' IS NOT NULL)";

    /** Escalated by the router's judgment (low confidence or a review rule), and decided by reviewers. */
    private static final String ESCALATED_DECIDED = "d.status IN ('APPROVED', 'REJECTED', 'CORRECTED')"
            + " AND EXISTS (SELECT 1 FROM unnest(d.reasons) r WHERE r = 'LOW_CONFIDENCE' OR r LIKE 'RULE:%')";

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
     * Decisions waiting for reviewers now, whenever they were routed ({@link #bindQueueDepth}): read from the partial
     * index of pending decisions, not from all of the use case's (a plan test reads it too).
     */
    public static final String QUEUE_DEPTH = "SELECT count(*) FROM decision WHERE use_case = ?"
            + " AND status = 'PENDING_REVIEW' AND (?::text IS NULL OR model_version = ?)";

    /** The queue depth's parameters: the use case, and one model version or null for all of them. */
    public static void bindQueueDepth(PreparedStatement ps, String useCase, String modelVersion) throws SQLException {
        ps.setString(1, useCase);
        ps.setString(2, modelVersion);
        ps.setString(3, modelVersion);
    }

    /** Decisions waiting for reviewers now, whenever they were routed. */
    public long queueDepth(String useCase, String modelVersion) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(QUEUE_DEPTH)) {
            bindQueueDepth(ps, useCase, modelVersion);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
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
