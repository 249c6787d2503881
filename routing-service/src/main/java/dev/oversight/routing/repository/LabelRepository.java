package dev.oversight.routing.repository;

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

    /** One label to store; {@code decisionId} null for an imported one; {@code probabilities} JSON text or null. */
    public record NewLabel(String useCase, String modelVersion, UUID decisionId, double confidence, boolean correct,
                           double weight, String source, String probabilities) {
    }

    /** What a decision label needs from its decision. */
    public record DecisionFacts(UUID id, String useCase, String modelVersion, double rawConfidence,
                                List<String> reasons, int policyVersion, String probabilities) {
    }

    private static final String INSERT = "INSERT INTO label (use_case, model_version, decision_id, confidence, correct,"
            + " weight, source, probabilities) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
            + " ON CONFLICT (decision_id) DO UPDATE SET correct = EXCLUDED.correct, weight = EXCLUDED.weight,"
            + " source = EXCLUDED.source, probabilities = EXCLUDED.probabilities, created_at = now()";

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
                ps.setDouble(4, l.confidence());
                ps.setBoolean(5, l.correct());
                ps.setDouble(6, l.weight());
                ps.setString(7, l.source());
                ps.setString(8, l.probabilities());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public java.util.Optional<DecisionFacts> decision(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, use_case, model_version, raw_confidence, reasons,"
                     + " policy_version, probabilities FROM decision WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                return java.util.Optional.of(new DecisionFacts(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getDouble(4), List.of((String[]) rs.getArray(5).getArray()), rs.getInt(6),
                        rs.getString(7)));
            }
        }
    }

    /** Every label of a use case (optionally one model version), in insertion order. */
    public Labels load(String useCase, String modelVersion, java.time.Instant since, int max) throws SQLException {
        String sql = "SELECT confidence, correct, weight,"
                + " (SELECT array_agg(value::float8) FROM jsonb_each_text(probabilities)) FROM label WHERE use_case = ?"
                + (modelVersion == null ? "" : " AND model_version = ?")
                + (since == null ? "" : " AND created_at >= ?") + " ORDER BY id LIMIT ?";
        // In a transaction, so that the driver streams with a fetch size.
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(10_000);
                int i = 1;
                ps.setString(i++, useCase);
                if (modelVersion != null) {
                    ps.setString(i++, modelVersion);
                }
                if (since != null) {
                    ps.setTimestamp(i++, java.sql.Timestamp.from(since));
                }
                ps.setInt(i, max);
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
                        }
                        s[n] = rs.getDouble(1);
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
                return new Labels(Arrays.copyOf(s, n), Arrays.copyOf(y, n), Arrays.copyOf(w, n),
                        anyDistribution ? Arrays.copyOf(d, n) : null);
            }
        });
    }
}
