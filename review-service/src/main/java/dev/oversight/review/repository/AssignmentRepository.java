package dev.oversight.review.repository;

import static dev.oversight.review.repository.Jdbc.ts;

import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.LeaseState;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Leases (the {@code assignment} table) in the caller's transaction. Expiry is compared with
 * {@code clock_timestamp()}, the time of the statement, never the start of a transaction that may have waited.
 */
@ApplicationScoped
public class AssignmentRepository {

    /** Verdicts plus unexpired active leases: how many of the task's reviewer slots are taken. */
    public int takenSlots(Connection c, UUID taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM verdict WHERE task_id = ?)"
                + " + (SELECT count(*) FROM assignment WHERE task_id = ? AND status = 'ACTIVE'"
                + " AND lease_expires_at > clock_timestamp())")) {
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
                + " claimed_at, lease_expires_at, status) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, taskId);
            ps.setString(2, reviewer);
            ps.setLong(3, token);
            ps.setTimestamp(4, ts(now));
            ps.setTimestamp(5, ts(expires));
            ps.setString(6, LeaseState.ACTIVE.name());
            ps.executeUpdate();
        }
        return new Lease(taskId, reviewer, token, now, expires);
    }

    /** The reviewer's unexpired lease with exactly this token, if there is one. */
    public Optional<Lease> leaseWithToken(Connection c, UUID taskId, String reviewer, long token) throws SQLException {
        return activeLease(c, taskId, reviewer).filter(l -> l.leaseToken() == token);
    }

    public void setState(Connection c, UUID taskId, long token, LeaseState state, Instant expires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE assignment SET status = ?,"
                + " lease_expires_at = coalesce(?, lease_expires_at) WHERE task_id = ? AND lease_token = ?")) {
            ps.setString(1, state.name());
            ps.setTimestamp(2, ts(expires));
            ps.setObject(3, taskId);
            ps.setLong(4, token);
            ps.executeUpdate();
        }
    }
}
