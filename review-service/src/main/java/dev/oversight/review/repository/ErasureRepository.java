package dev.oversight.review.repository;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.outbox.OutboxStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Deleting parts of the review work on decisions (their tasks, verdicts and comments), the decisions' digest salts,
 * and the record of erased decisions that keeps a late task from bringing their data back.
 */
@ApplicationScoped
public class ErasureRepository {

    /** What to delete: outputs (outputs, final and corrected outputs), inputs (inputs, trajectories), people's words. */
    public record Parts(boolean outputs, boolean inputs, boolean peopleText) {
    }

    /** The decision's digest salt, made with its first digest; one round trip either way. */
    public byte[] saltOf(Connection c, UUID decisionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH made AS (INSERT INTO decision_salt (decision_id, salt)"
                + " VALUES (?, ?) ON CONFLICT (decision_id) DO NOTHING RETURNING salt) SELECT salt FROM made UNION ALL"
                + " SELECT salt FROM decision_salt WHERE decision_id = ? LIMIT 1")) {
            ps.setObject(1, decisionId);
            ps.setBytes(2, KeyedDigest.newSalt());
            ps.setObject(3, decisionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getBytes(1);
                }
            }
        }
        // Another transaction made it after this statement's snapshot was taken: a new statement sees it.
        try (PreparedStatement ps = c.prepareStatement("SELECT salt FROM decision_salt WHERE decision_id = ?")) {
            ps.setObject(1, decisionId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    /** Deletes the parts of every task of these decisions, with their verdicts and comments; answers the tasks changed. */
    public int delete(Connection c, List<UUID> decisions, Parts parts, boolean erase, Instant at) throws SQLException {
        Array ids = c.createArrayOf("uuid", decisions.toArray());
        Timestamp when = Timestamp.from(at);
        int changed;
        try (PreparedStatement ps = c.prepareStatement("UPDATE task SET"
                + " output = CASE WHEN ? THEN 'null'::json ELSE output END,"
                + " final_output = CASE WHEN ? THEN NULL ELSE final_output END,"
                + " comparison = CASE WHEN ? AND comparison IS NOT NULL THEN '{}'::json ELSE comparison END,"
                + " input = CASE WHEN ? THEN NULL ELSE input END,"
                + " trajectory = CASE WHEN ? THEN NULL ELSE trajectory END,"
                + " erased_at = CASE WHEN ? THEN COALESCE(erased_at, ?) ELSE erased_at END"
                + " WHERE decision_id = ANY(?)")) {
            ps.setBoolean(1, parts.outputs());
            ps.setBoolean(2, parts.outputs());
            ps.setBoolean(3, parts.outputs());
            ps.setBoolean(4, parts.inputs());
            ps.setBoolean(5, parts.inputs());
            ps.setBoolean(6, erase);
            ps.setTimestamp(7, when);
            ps.setArray(8, ids);
            changed = ps.executeUpdate();
        }
        if (parts.outputs() || parts.peopleText()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE verdict SET"
                    + " corrected_output = CASE WHEN ? THEN NULL ELSE corrected_output END,"
                    + " rationale = CASE WHEN ? THEN NULL ELSE rationale END,"
                    + " steps = CASE WHEN ? AND jsonb_typeof(steps) = 'array' THEN (SELECT COALESCE(jsonb_agg(s - 'note'"
                    + " ORDER BY i), '[]'::jsonb) FROM jsonb_array_elements(steps) WITH ORDINALITY AS t (s, i))"
                    + " ELSE steps END"
                    + " WHERE task_id IN (SELECT id FROM task WHERE decision_id = ANY(?))")) {
                ps.setBoolean(1, parts.outputs());
                ps.setBoolean(2, parts.peopleText());
                ps.setBoolean(3, parts.peopleText());
                ps.setArray(4, ids);
                ps.executeUpdate();
            }
        }
        if (parts.peopleText()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE task_comment SET text = NULL,"
                    + " erased_at = COALESCE(erased_at, ?) WHERE task_id IN (SELECT id FROM task WHERE"
                    + " decision_id = ANY(?)) AND text IS NOT NULL")) {
                ps.setTimestamp(1, when);
                ps.setArray(2, ids);
                ps.executeUpdate();
            }
        }
        if (erase) {
            // Delivered messages about these tasks (outcomes to the router carry outputs and words) go now.
            List<String> tasks = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id::text FROM task WHERE decision_id = ANY(?)")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(rs.getString(1));
                    }
                }
            }
            OutboxStore.forget(c, tasks);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM decision_salt WHERE decision_id = ANY(?)")) {
                ps.setArray(1, ids);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO erased_decision (decision_id, erased_at)"
                    + " SELECT unnest(?::uuid[]), ? ON CONFLICT (decision_id) DO NOTHING")) {
                ps.setArray(1, ids);
                ps.setTimestamp(2, when);
                ps.executeUpdate();
            }
        }
        return changed;
    }

    /** Of these decisions, those erased before their tasks arrived. */
    public List<UUID> erased(Connection c, List<UUID> decisions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT decision_id FROM erased_decision"
                + " WHERE decision_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", decisions.toArray()));
            List<UUID> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }
}
