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
import java.util.UUID;

/** The comment threads of tasks ({@code task_comment}); an erased comment keeps its row without its text. */
@ApplicationScoped
public class CommentRepository {

    /** One comment; {@code text} null once erased. */
    public record Comment(long id, UUID threadId, UUID taskId, String author, String text, Instant createdAt,
                          Instant erasedAt) {
    }

    public Comment insert(Connection c, UUID threadId, UUID taskId, String author, String text, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_comment (thread_id, task_id, author, text,"
                + " created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
            ps.setObject(1, threadId);
            ps.setObject(2, taskId);
            ps.setString(3, author);
            ps.setString(4, text);
            ps.setTimestamp(5, Timestamp.from(at));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Comment(rs.getLong(1), threadId, taskId, author, text, at, null);
            }
        }
    }

    /** The thread, oldest first. */
    public List<Comment> thread(Connection c, UUID threadId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, thread_id, task_id, author, text, created_at,"
                + " erased_at FROM task_comment WHERE thread_id = ? ORDER BY id")) {
            ps.setObject(1, threadId);
            List<Comment> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(comment(rs));
                }
            }
            return out;
        }
    }

    public Optional<Comment> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, thread_id, task_id, author, text, created_at,"
                + " erased_at FROM task_comment WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(comment(rs)) : Optional.empty();
            }
        }
    }

    public void erase(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE task_comment SET text = NULL, erased_at = ?"
                + " WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    private static Comment comment(ResultSet rs) throws SQLException {
        Timestamp erased = rs.getTimestamp(7);
        return new Comment(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getTimestamp(6).toInstant(), erased == null ? null : erased.toInstant());
    }
}
