package dev.oversight.audit.repository;

import dev.oversight.audit.domain.StoredCheckpoint;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Signed checkpoints of the log and the verification passes that checked them, through JDBC. */
@ApplicationScoped
public class CheckpointRepository {

    private final AgroalDataSource dataSource;

    public CheckpointRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    private Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    public boolean insertCheckpoint(StoredCheckpoint cp) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO checkpoint"
                + " (tree_size, root_hash, created_at, key_id, signature, note_signature) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (tree_size) DO NOTHING")) {
            ps.setLong(1, cp.treeSize());
            ps.setBytes(2, cp.rootHash());
            ps.setObject(3, cp.createdAt());
            ps.setString(4, cp.keyId());
            ps.setBytes(5, cp.signature());
            ps.setBytes(6, cp.noteSignature());
            return ps.executeUpdate() == 1;
        }
    }

    /** The checkpoint of exactly this tree size, if one was signed. */
    public Optional<StoredCheckpoint> checkpoint(long treeSize) throws SQLException {
        List<StoredCheckpoint> l = checkpoints(treeSize + 1, 1);
        return l.isEmpty() || l.get(0).treeSize() != treeSize ? Optional.empty() : Optional.of(l.get(0));
    }

    /** A verification pass that ended well, at the last checkpoint it checked. */
    public record Verified(long treeSize, byte[] rootHash) {
    }

    public Optional<Verified> lastVerified() throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash"
                + " FROM verification ORDER BY tree_size DESC, id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Verified(rs.getLong(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    public void insertVerified(Verified v, boolean fullPass, String by) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO verification"
                + " (tree_size, root_hash, full_pass, verified_by) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, v.treeSize());
            ps.setBytes(2, v.rootHash());
            ps.setBoolean(3, fullPass);
            ps.setString(4, by);
            ps.executeUpdate();
        }
    }

    public Optional<StoredCheckpoint> latestCheckpoint() throws SQLException {
        List<StoredCheckpoint> l = checkpoints(Long.MAX_VALUE, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    /** Checkpoints with after &lt; tree size ≤ upTo, oldest first. */
    public List<StoredCheckpoint> checkpointsBetween(long after, long upTo) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash,"
                + " created_at, key_id, signature, note_signature FROM checkpoint WHERE tree_size > ? AND tree_size <= ?"
                + " ORDER BY tree_size")) {
            ps.setLong(1, after);
            ps.setLong(2, upTo);
            return checkpointList(ps);
        }
    }

    /** Checkpoints below a tree size, newest first. */
    public List<StoredCheckpoint> checkpoints(long belowSize, int limit) throws SQLException {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash,"
                + " created_at, key_id, signature, note_signature FROM checkpoint WHERE tree_size < ? ORDER BY tree_size DESC"
                + " LIMIT ?")) {
            ps.setLong(1, belowSize);
            ps.setInt(2, limit);
            return checkpointList(ps);
        }
    }

    private static List<StoredCheckpoint> checkpointList(PreparedStatement ps) throws SQLException {
        List<StoredCheckpoint> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getString(4), rs.getBytes(5), rs.getBytes(6)));
            }
        }
        return out;
    }
}
