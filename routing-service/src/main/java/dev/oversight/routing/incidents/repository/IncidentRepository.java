package dev.oversight.routing.incidents.repository;

import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.domain.incident.IncidentSeverity;
import dev.oversight.routing.domain.incident.IncidentStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Serious incidents, their decisions and steps (the {@code incident} tables), and the evidence they freeze. */
@ApplicationScoped
public class IncidentRepository {

    private static final String COLUMNS = "id, use_case, severity, aware_at, deadline, status, summary, opened_at,"
            + " opened_by, reported_at";

    public record Incident(UUID id, String useCase, IncidentSeverity severity, Instant awareAt, Instant deadline,
                           IncidentStatus status, String summary, Instant openedAt, String openedBy,
                           Instant reportedAt) {
    }

    public record Step(int seq, IncidentStatus status, String note, Instant at, String actor) {
    }

    public void insert(Connection c, Incident i, List<UUID> decisions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, i.id());
            ps.setString(2, i.useCase());
            ps.setString(3, i.severity().name());
            ps.setTimestamp(4, Timestamp.from(i.awareAt()));
            ps.setTimestamp(5, Timestamp.from(i.deadline()));
            ps.setString(6, i.status().name());
            ps.setString(7, i.summary());
            ps.setTimestamp(8, Timestamp.from(i.openedAt()));
            ps.setString(9, i.openedBy());
            ps.setTimestamp(10, i.reportedAt() == null ? null : Timestamp.from(i.reportedAt()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident_decision (incident_id, decision_id) VALUES (?, ?)")) {
            for (UUID d : decisions) {
                ps.setObject(1, i.id());
                ps.setObject(2, d);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The incident; {@code lock}: held until the transaction ends (steps are taken one at a time). */
    public Optional<Incident> find(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incident WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            List<Incident> rows = incidents(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** Newest first; {@code before}: the id the previous page ended with (ids grow with time). */
    public List<Incident> list(Connection c, UUID before, IncidentStatus status, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incident WHERE (?::uuid IS NULL"
                + " OR id < ?::uuid) AND (?::text IS NULL OR status = ?::text) ORDER BY id DESC LIMIT ?")) {
            ps.setObject(1, before);
            ps.setObject(2, before);
            ps.setString(3, status == null ? null : status.name());
            ps.setString(4, status == null ? null : status.name());
            ps.setInt(5, limit);
            return incidents(ps);
        }
    }

    /** Incidents whose first report is still due, soonest first. */
    public List<Incident> awaitingFirstReport(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM incident WHERE status = 'OPEN'"
                + " ORDER BY deadline")) {
            return incidents(ps);
        }
    }

    public void setStatus(Connection c, UUID id, IncidentStatus status, Instant reportedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE incident SET status = ?, reported_at = coalesce(reported_at, ?) WHERE id = ?")) {
            ps.setString(1, status.name());
            ps.setTimestamp(2, reportedAt == null ? null : Timestamp.from(reportedAt));
            ps.setObject(3, id);
            ps.executeUpdate();
        }
    }

    public void addStep(Connection c, UUID incident, Step step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_step (incident_id, seq, status, note, at,"
                + " actor) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, incident);
            ps.setInt(2, step.seq());
            ps.setString(3, step.status().name());
            ps.setString(4, step.note());
            ps.setTimestamp(5, Timestamp.from(step.at()));
            ps.setString(6, step.actor());
            ps.executeUpdate();
        }
    }

    public List<Step> steps(Connection c, UUID incident) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, status, note, at, actor FROM incident_step"
                + " WHERE incident_id = ? ORDER BY seq")) {
            ps.setObject(1, incident);
            List<Step> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Step(rs.getInt(1), IncidentStatus.valueOf(rs.getString(2)), rs.getString(3),
                            rs.getTimestamp(4).toInstant(), rs.getString(5)));
                }
            }
            return out;
        }
    }

    /** The incident's decisions in id order. */
    public List<UUID> decisions(Connection c, UUID incident) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT decision_id FROM incident_decision"
                + " WHERE incident_id = ? ORDER BY decision_id")) {
            ps.setObject(1, incident);
            List<UUID> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    /** Which of these decisions exist in the use case. */
    public Set<UUID> existing(Connection c, String useCase, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM decision WHERE use_case = ? AND id = ANY(?)")) {
            ps.setString(1, useCase);
            ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
            Set<UUID> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
            return out;
        }
    }

    /** What the evidence of a decision needs to know before it is written. */
    public record Facts(UUID id, Route route, DecisionStatus status, int policyVersion, int calibratorVersion) {
    }

    public List<Facts> facts(Connection c, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, route, status, policy_version, calibrator_version"
                + " FROM decision WHERE id = ANY(?) ORDER BY id")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            List<Facts> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Facts(rs.getObject(1, UUID.class), Route.valueOf(rs.getString(2)),
                            DecisionStatus.valueOf(rs.getString(3)), rs.getInt(4), rs.getInt(5)));
                }
            }
            return out;
        }
    }

    /** What the router holds of one decision, as a JSON object of its columns. */
    public Optional<String> decisionJson(Connection c, UUID id) throws SQLException {
        return json(c, "SELECT row_to_json(d)::text FROM decision d WHERE d.id = ?", ps -> ps.setObject(1, id))
                .stream().findFirst();
    }

    /** Who reversed a released decision, when, why and with what, as a JSON object, if anyone did. */
    public Optional<String> overrideJson(Connection c, UUID decision) throws SQLException {
        return json(c, "SELECT row_to_json(o)::text FROM decision_override o WHERE o.decision_id = ?",
                ps -> ps.setObject(1, decision)).stream().findFirst();
    }

    /** Each policy version (its document and who made it) as a JSON object. */
    public List<String> policies(Connection c, String useCase, List<Integer> versions) throws SQLException {
        return json(c, "SELECT json_build_object('useCase', use_case, 'version', version, 'createdAt', created_at,"
                + " 'createdBy', created_by, 'approval', approval, 'approvedBy', approved_by, 'document', document)::text"
                + " FROM policy WHERE use_case = ? AND version = ANY(?) ORDER BY version", ps -> {
                    ps.setString(1, useCase);
                    ps.setArray(2, c.createArrayOf("integer", versions.toArray()));
                });
    }

    /** Each calibrator version with its parameters, report and who activated it, as a JSON object. */
    public List<String> calibrators(Connection c, String useCase, List<Integer> versions) throws SQLException {
        return json(c, "SELECT row_to_json(k)::text FROM calibrator k WHERE use_case = ? AND version = ANY(?)"
                + " ORDER BY version", ps -> {
                    ps.setString(1, useCase);
                    ps.setArray(2, c.createArrayOf("integer", versions.toArray()));
                });
    }

    /** The use case's mode changes, oldest first, as JSON objects. */
    public List<String> modeHistory(Connection c, String useCase) throws SQLException {
        return json(c, "SELECT row_to_json(m)::text FROM mode_change m WHERE use_case = ? ORDER BY id",
                ps -> ps.setString(1, useCase));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<String> json(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static List<Incident> incidents(PreparedStatement ps) throws SQLException {
        List<Incident> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp reported = rs.getTimestamp("reported_at");
                out.add(new Incident(rs.getObject("id", UUID.class), rs.getString("use_case"),
                        IncidentSeverity.valueOf(rs.getString("severity")), rs.getTimestamp("aware_at").toInstant(),
                        rs.getTimestamp("deadline").toInstant(), IncidentStatus.valueOf(rs.getString("status")),
                        rs.getString("summary"), rs.getTimestamp("opened_at").toInstant(), rs.getString("opened_by"),
                        reported == null ? null : reported.toInstant()));
            }
        }
        return out;
    }
}
