package dev.oversight.routing.outcomes.repository;

import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.domain.calibration.Labels;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Labels through JDBC: bulk imports are batched, and fits stream millions of rows into primitive arrays. */
@ApplicationScoped
public class LabelRepository {

    /**
     * One label to store; {@code decisionId} null for an imported one; {@code confidence} null when it carries only
     * signals; {@code probabilities}, {@code signals} and {@code attributes} (an import's only: a decision label reads
     * its decision's) JSON text or null; {@code actor} who stored it (a reviewer's verdict: {@link #VERDICT_ACTOR}).
     */
    public record NewLabel(String useCase, String modelVersion, UUID decisionId, Double confidence, boolean correct,
                           double weight, String source, String probabilities, String actor, String signals,
                           String attributes) {

        public NewLabel(String useCase, String modelVersion, UUID decisionId, Double confidence, boolean correct,
                        double weight, String source, String probabilities, String actor) {
            this(useCase, modelVersion, decisionId, confidence, correct, weight, source, probabilities, actor, null,
                    null);
        }
    }

    /** The actor of labels that reviewers' final verdicts made (delivered by the review service as outcomes). */
    public static final String VERDICT_ACTOR = "review-verdict";

    /** How many labels a fit reads, told apart by where they come from. */
    public record Provenance(long fromVerdicts, long imported, Map<String, Long> bySource) {
    }

    /** What a decision label needs from its decision. */
    public record DecisionFacts(UUID id, String useCase, String modelVersion, Double rawConfidence,
                                List<String> reasons, int policyVersion, String probabilities, String signals) {
    }

    private static final String INSERT = "INSERT INTO label (use_case, model_version, decision_id, confidence, correct,"
            + " weight, source, probabilities, actor, signals, attributes)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb)"
            + " ON CONFLICT (decision_id) DO UPDATE SET correct = EXCLUDED.correct, weight = EXCLUDED.weight,"
            + " source = EXCLUDED.source, probabilities = EXCLUDED.probabilities, actor = EXCLUDED.actor,"
            + " created_at = now()";

    private final AgroalDataSource dataSource;

    public LabelRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores all labels in one transaction; a label for an already-labelled decision replaces it. */
    public void insertAll(List<NewLabel> labels) throws SQLException {
        Transactions.inTransaction(dataSource, c -> {
            insertAll(c, labels);
            return null;
        });
    }

    /**
     * Stores labels in the caller's transaction; of several labels for one decision the last counts. (The driver
     * sends the batch as multi-row statements, in which PostgreSQL refuses to update one row twice.)
     */
    public void insertAll(Connection c, List<NewLabel> labels) throws SQLException {
        // Imported labels have no decision and never conflict; of a decision's labels the last one stays.
        Map<UUID, NewLabel> lastOfDecision = new HashMap<>();
        labels.stream().filter(l -> l.decisionId() != null).forEach(l -> lastOfDecision.put(l.decisionId(), l));
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (NewLabel l : labels) {
                if (l.decisionId() != null && lastOfDecision.get(l.decisionId()) != l) {
                    continue;
                }
                ps.setString(1, l.useCase());
                ps.setString(2, l.modelVersion());
                ps.setObject(3, l.decisionId());
                if (l.confidence() == null) {
                    ps.setNull(4, java.sql.Types.DOUBLE);
                } else {
                    ps.setDouble(4, l.confidence());
                }
                ps.setBoolean(5, l.correct());
                ps.setDouble(6, l.weight());
                ps.setString(7, l.source());
                ps.setString(8, l.probabilities());
                ps.setString(9, l.actor());
                ps.setString(10, l.signals());
                ps.setString(11, l.attributes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public java.util.Optional<DecisionFacts> decision(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, use_case, model_version, raw_confidence, reasons,"
                     + " policy_version, probabilities, signals FROM decision WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new DecisionFacts(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), (Double) rs.getObject(4), List.of((String[]) rs.getArray(5).getArray()),
                        rs.getInt(6), rs.getString(7), rs.getString(8)));
            }
        }
    }

    /** Where the labels a fit reads (same filter as {@link #load}) come from. */
    public Provenance provenance(String useCase, String modelVersion, java.time.Instant since) throws SQLException {
        String sql = "SELECT source, actor = ? AS verdict, count(*) FROM label WHERE use_case = ?"
                + (modelVersion == null ? "" : " AND model_version = ?")
                + (since == null ? "" : " AND created_at >= ?") + " GROUP BY 1, 2 ORDER BY 1";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, VERDICT_ACTOR);
            ps.setString(i++, useCase);
            if (modelVersion != null) {
                ps.setString(i++, modelVersion);
            }
            if (since != null) {
                ps.setTimestamp(i, java.sql.Timestamp.from(since));
            }
            long verdicts = 0;
            long imported = 0;
            Map<String, Long> bySource = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(3);
                    if (rs.getBoolean(2)) {
                        verdicts += n;
                    } else {
                        imported += n;
                    }
                    bySource.merge(rs.getString(1), n, Long::sum);
                }
            }
            return new Provenance(verdicts, imported, bySource);
        }
    }

    /** Every label of a use case with a confidence (optionally one model version), in insertion order. */
    public Labels load(String useCase, String modelVersion, java.time.Instant since, int max) throws SQLException {
        return load(useCase, modelVersion, since, max, List.of());
    }

    /**
     * The labels of a use case (optionally one model version), in insertion order: with {@code signals} named, those
     * that carry every one of them (their confidence NaN where they carry none), else those with a confidence.
     */
    public Labels load(String useCase, String modelVersion, java.time.Instant since, int max, List<String> signals)
            throws SQLException {
        return load(useCase, modelVersion, since, max, signals, false).labels();
    }

    /** Labels with each one's attributes as JSON text (an import's own, else its decision's; null when none). */
    public record Attributed(Labels labels, String[] attributes) {
    }

    /** As {@link #load(String, String, java.time.Instant, int, List)}, with each label's attributes. */
    public Attributed loadAttributed(String useCase, String modelVersion, java.time.Instant since, int max,
                                     List<String> signals) throws SQLException {
        return load(useCase, modelVersion, since, max, signals, true);
    }

    private Attributed load(String useCase, String modelVersion, java.time.Instant since, int max,
                            List<String> signals, boolean withAttributes) throws SQLException {
        int k = signals.size();
        StringBuilder columns = new StringBuilder();
        for (int a = 0; a < k; a++) {
            columns.append(", (signals ->> ?)::float8");
        }
        if (withAttributes) {
            // A decision label reads its decision's attributes, so erasing them there leaves no copy behind.
            columns.append(", COALESCE(attributes::text,"
                    + " (SELECT d.attributes::text FROM decision d WHERE d.id = label.decision_id))");
        }
        String sql = "SELECT confidence, correct, weight,"
                + " (SELECT array_agg(value::float8) FROM jsonb_each_text(probabilities))" + columns
                + " FROM label WHERE use_case = ?"
                + (k == 0 ? " AND confidence IS NOT NULL" : " AND jsonb_exists_all(signals, ?::text[])")
                + (modelVersion == null ? "" : " AND model_version = ?")
                + (since == null ? "" : " AND created_at >= ?") + " ORDER BY id LIMIT ?";
        // In a transaction, so that the driver streams with a fetch size.
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(10_000);
                int i = 1;
                for (String name : signals) {
                    ps.setString(i++, name);
                }
                ps.setString(i++, useCase);
                if (k > 0) {
                    ps.setArray(i++, c.createArrayOf("text", signals.toArray()));
                }
                if (modelVersion != null) {
                    ps.setString(i++, modelVersion);
                }
                if (since != null) {
                    ps.setTimestamp(i++, java.sql.Timestamp.from(since));
                }
                ps.setInt(i, max);
                double[][] sig = new double[k][1024];
                String[] attrs = new String[withAttributes ? 1024 : 0];
                double[] s = new double[1024];
                double[] y = new double[1024];
                double[] w = new double[1024];
                double[][] d = new double[1024][];
                boolean anyDistribution = false;
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == s.length) {
                            s = Arrays.copyOf(s, n * 2);
                            y = Arrays.copyOf(y, n * 2);
                            w = Arrays.copyOf(w, n * 2);
                            d = Arrays.copyOf(d, n * 2);
                            for (int a = 0; a < k; a++) {
                                sig[a] = Arrays.copyOf(sig[a], n * 2);
                            }
                            if (withAttributes) {
                                attrs = Arrays.copyOf(attrs, n * 2);
                            }
                        }
                        s[n] = rs.getDouble(1);
                        if (rs.wasNull()) {
                            s[n] = Double.NaN;
                        }
                        for (int a = 0; a < k; a++) {
                            sig[a][n] = rs.getDouble(5 + a);
                        }
                        if (withAttributes) {
                            attrs[n] = rs.getString(5 + k);
                        }
                        y[n] = rs.getBoolean(2) ? 1 : 0;
                        w[n] = rs.getDouble(3);
                        java.sql.Array probabilities = rs.getArray(4);
                        if (probabilities != null) {
                            Double[] values = (Double[]) probabilities.getArray();
                            d[n] = Arrays.stream(values).mapToDouble(Double::doubleValue).toArray();
                            anyDistribution = true;
                        }
                        n++;
                    }
                }
                double[][] columnsOut = null;
                if (k > 0) {
                    columnsOut = new double[k][];
                    for (int a = 0; a < k; a++) {
                        columnsOut[a] = Arrays.copyOf(sig[a], n);
                    }
                }
                return new Attributed(new Labels(Arrays.copyOf(s, n), Arrays.copyOf(y, n), Arrays.copyOf(w, n),
                        anyDistribution ? Arrays.copyOf(d, n) : null, columnsOut),
                        withAttributes ? Arrays.copyOf(attrs, n) : null);
            }
        });
    }
}
