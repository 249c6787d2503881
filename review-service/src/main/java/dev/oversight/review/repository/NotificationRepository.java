package dev.oversight.review.repository;

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

/** Mails to send ({@code notification}) and the use cases' owners to tell ({@code use_case_owner}). */
@ApplicationScoped
public class NotificationRepository {

    /** A mail waiting to be sent, or sent. */
    public record Mail(long id, String recipient, String subject, String body, int attempts) {
    }

    public void queue(Connection c, String recipient, String subject, String body, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notification (recipient, subject, body, created_at)"
                + " VALUES (?, ?, ?, ?)")) {
            ps.setString(1, recipient);
            ps.setString(2, subject);
            ps.setString(3, body);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    /** Unsent mails, oldest first, locked for this sender (others skip them). */
    public List<Mail> lockPending(Connection c, int maxAttempts, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, recipient, subject, body, attempts FROM notification"
                + " WHERE sent_at IS NULL AND attempts < ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            ps.setInt(1, maxAttempts);
            ps.setInt(2, limit);
            List<Mail> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Mail(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
                }
            }
            return out;
        }
    }

    public void sent(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET sent_at = ?, attempts = attempts + 1"
                + " WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    public void failed(Connection c, long id, String error) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notification SET attempts = attempts + 1,"
                + " last_error = ? WHERE id = ?")) {
            ps.setString(1, error);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    public void saveOwners(Connection c, String useCase, List<String> emails, String by, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO use_case_owner (use_case, emails, updated_at,"
                + " updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (use_case) DO UPDATE SET emails = EXCLUDED.emails,"
                + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")) {
            ps.setString(1, useCase);
            ps.setArray(2, c.createArrayOf("text", emails.toArray()));
            ps.setTimestamp(3, Timestamp.from(at));
            ps.setString(4, by);
            ps.executeUpdate();
        }
    }

    public Optional<List<String>> owners(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT emails FROM use_case_owner WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(List.of((String[]) rs.getArray(1).getArray())) : Optional.empty();
            }
        }
    }
}
