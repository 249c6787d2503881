package dev.oversight.audit.repository;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Witnesses' cosignatures and refusals (tables that only grow). */
@ApplicationScoped
public class WitnessRepository {

    private final AgroalDataSource db;

    public WitnessRepository(AgroalDataSource db) {
        this.db = db;
    }

    /** The largest tree size this witness cosigned (0: none yet). */
    public long cosignedSize(String witness) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(tree_size), 0) FROM witness_cosignature WHERE witness = ?")) {
            ps.setString(1, witness);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void saveCosignature(String witness, long treeSize, String line) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO witness_cosignature (witness, tree_size, line) VALUES (?, ?, ?)"
                        + " ON CONFLICT (witness, tree_size) DO NOTHING")) {
            ps.setString(1, witness);
            ps.setLong(2, treeSize);
            ps.setString(3, line);
            ps.executeUpdate();
        }
    }

    /** The cosignature lines of these checkpoints, by tree size, in one query. */
    public Map<Long, List<String>> cosignatures(List<Long> treeSizes) throws SQLException {
        Map<Long, List<String>> out = new HashMap<>();
        if (treeSizes.isEmpty()) {
            return out;
        }
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT tree_size, line FROM witness_cosignature WHERE tree_size = ANY (?) ORDER BY tree_size, witness")) {
            ps.setArray(1, c.createArrayOf("bigint", treeSizes.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    public void saveRefusal(String witness, long treeSize, int status, String detail) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO witness_refusal (witness, tree_size, status, detail) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, witness);
            ps.setLong(2, treeSize);
            ps.setInt(3, status);
            ps.setString(4, detail == null ? null : detail.substring(0, Math.min(detail.length(), 2000)));
            ps.executeUpdate();
        }
    }
}
