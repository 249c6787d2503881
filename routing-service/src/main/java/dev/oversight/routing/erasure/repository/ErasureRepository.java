package dev.oversight.routing.erasure.repository;

import dev.oversight.routing.domain.erasure.DataPart;
import dev.oversight.routing.domain.erasure.ErasureKind;
import dev.oversight.routing.domain.erasure.RetentionPeriods;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Deleting parts of decisions (the {@code decision} row, its override, and for an erasure its benchmark and
 * judgement copies), what was deleted ({@code erasure}) and each use case's retention ({@code retention}).
 */
@ApplicationScoped
public class ErasureRepository {

    public record Erasure(UUID id, ErasureKind kind, String useCase, Set<DataPart> parts, int decisions, int held,
                          String requestedBy, Instant createdAt) {
    }

    public record StoredRetention(RetentionPeriods periods, String reason, String updatedBy, Instant updatedAt) {
    }

    /** Of these decisions, those not erased yet, locked for the erasure (ids that do not exist are left out). */
    public List<UUID> lockUnerased(Connection c, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM decision WHERE id = ANY(?) AND erased_at IS NULL"
                + " ORDER BY id FOR UPDATE")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            return uuids(ps);
        }
    }

    /**
     * Up to {@code limit} decisions not erased yet whose attribute at {@code path} (keys from the top) is
     * {@code value} as text, in one use case or all; a scan of the decisions (an erasure is rare).
     */
    public List<UUID> lockSubject(Connection c, String useCase, List<String> path, String value, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM decision WHERE erased_at IS NULL"
                + " AND (?::text IS NULL OR use_case = ?::text) AND attributes #>> ? = ? ORDER BY id LIMIT ?"
                + " FOR UPDATE")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
            ps.setArray(3, c.createArrayOf("text", path.toArray()));
            ps.setString(4, value);
            ps.setInt(5, limit);
            return uuids(ps);
        }
    }

    /**
     * Erases the attributes of imported labels (a decision's label reads its decision's) whose attribute at {@code
     * path} is {@code value} as text, in one use case or all; how many.
     */
    public int eraseLabelAttributes(Connection c, String useCase, List<String> path, String value)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE label SET attributes = NULL WHERE attributes IS NOT NULL"
                + " AND (?::text IS NULL OR use_case = ?::text) AND attributes #>> ? = ?")) {
            ps.setString(1, useCase);
            ps.setString(2, useCase);
            ps.setArray(3, c.createArrayOf("text", path.toArray()));
            ps.setString(4, value);
            return ps.executeUpdate();
        }
    }

    /** Of these decisions, those an incident holds (their evidence is frozen). */
    public Set<UUID> held(Connection c, List<UUID> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT decision_id FROM incident_decision"
                + " WHERE decision_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            return new HashSet<>(uuids(ps));
        }
    }

    /**
     * Up to {@code limit} decisions of the use case created before {@code cutoff} whose {@code part} is still kept
     * and that no incident holds, oldest first, locked.
     */
    public List<UUID> due(Connection c, String useCase, DataPart part, Instant cutoff, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT d.id FROM decision d WHERE d.use_case = ?"
                + " AND d.created_at < ? AND d." + deletedAt(part) + " IS NULL AND NOT EXISTS (SELECT 1 FROM"
                + " incident_decision i WHERE i.decision_id = d.id) ORDER BY d.created_at LIMIT ?"
                + " FOR UPDATE OF d SKIP LOCKED")) {
            ps.setString(1, useCase);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setInt(3, limit);
            return uuids(ps);
        }
    }

    /**
     * Deletes {@code parts} of the decisions; with {@code erase} also their attributes, idempotency key, request
     * digest and digest salt, and their copies in benchmarks and judgements, and marks them erased.
     */
    public void delete(Connection c, List<UUID> ids, Set<DataPart> parts, boolean erase, Instant at)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        boolean outputs = parts.contains(DataPart.OUTPUTS);
        boolean inputs = parts.contains(DataPart.INPUTS);
        boolean people = parts.contains(DataPart.PEOPLE_TEXT);
        // Verdicts hold corrected outputs and people's words; deleting inputs alone leaves them as they are.
        StringBuilder set = new StringBuilder(outputs || people ? "verdicts = erase_verdicts(verdicts, ?, ?)"
                : "verdicts = verdicts");
        if (outputs) {
            set.append(", output = 'null'::json, final_output = NULL, shadow = NULL,"
                    + " outputs_deleted_at = COALESCE(outputs_deleted_at, ?)");
        }
        if (inputs) {
            set.append(", input = NULL, trajectory = NULL, inputs_deleted_at = COALESCE(inputs_deleted_at, ?)");
        }
        if (people) {
            set.append(", people_text_deleted_at = COALESCE(people_text_deleted_at, ?)");
        }
        if (erase) {
            // The segment is computed from the attributes, and an expression over an identifying one names the person.
            set.append(", attributes = NULL, segment = NULL, idempotency_key = NULL, request_hash = '\\x'::bytea,"
                    + " digest_salt = NULL, erased_at = ?");
        }
        Array array = c.createArrayOf("uuid", ids.toArray());
        try (PreparedStatement ps = c.prepareStatement("UPDATE decision SET " + set + " WHERE id = ANY(?)")) {
            int i = 0;
            if (outputs || people) {
                ps.setBoolean(++i, outputs);
                ps.setBoolean(++i, people);
            }
            int times = (outputs ? 1 : 0) + (inputs ? 1 : 0) + (people ? 1 : 0) + (erase ? 1 : 0);
            for (int k = 0; k < times; k++) {
                ps.setTimestamp(++i, Timestamp.from(at));
            }
            ps.setArray(++i, array);
            ps.executeUpdate();
        }
        if (outputs || people) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE decision_override SET"
                    + " output = CASE WHEN ? THEN NULL ELSE output END, reason = CASE WHEN ? THEN NULL ELSE reason END"
                    + " WHERE decision_id = ANY(?)")) {
                ps.setBoolean(1, outputs);
                ps.setBoolean(2, people);
                ps.setArray(3, array);
                ps.executeUpdate();
            }
        }
        if (erase) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE benchmark_item SET content = NULL, erased_at = ?"
                    + " WHERE item_id = ANY(?) AND erased_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setArray(2, array);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE judgement_item SET final_output = NULL,"
                    + " verdicts = NULL WHERE item_id = ANY(?)")) {
                ps.setArray(1, array);
                ps.executeUpdate();
            }
        }
    }

    public void insert(Connection c, Erasure e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO erasure (id, kind, use_case, parts, decisions, held,"
                + " requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, e.id());
            ps.setString(2, e.kind().name());
            ps.setString(3, e.useCase());
            ps.setArray(4, c.createArrayOf("text", e.parts().stream().map(Enum::name).sorted().toArray()));
            ps.setInt(5, e.decisions());
            ps.setInt(6, e.held());
            ps.setString(7, e.requestedBy());
            ps.setTimestamp(8, Timestamp.from(e.createdAt()));
            ps.executeUpdate();
        }
    }

    public Optional<Erasure> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ERASURE + " FROM erasure WHERE id = ?")) {
            ps.setObject(1, id);
            List<Erasure> rows = erasures(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** Newest first; {@code before}: the id the previous page ended with (ids grow with time). */
    public List<Erasure> list(Connection c, UUID before, ErasureKind kind, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ERASURE + " FROM erasure WHERE (?::uuid IS NULL"
                + " OR id < ?::uuid) AND (?::text IS NULL OR kind = ?::text) ORDER BY id DESC LIMIT ?")) {
            ps.setObject(1, before);
            ps.setObject(2, before);
            ps.setString(3, kind == null ? null : kind.name());
            ps.setString(4, kind == null ? null : kind.name());
            ps.setInt(5, limit);
            return erasures(ps);
        }
    }

    public Optional<StoredRetention> retention(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT outputs, inputs, people_text, reason, updated_by,"
                + " updated_at FROM retention WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredRetention(new RetentionPeriods(Period.parse(rs.getString(1)),
                        Period.parse(rs.getString(2)), Period.parse(rs.getString(3))), rs.getString(4),
                        rs.getString(5), rs.getTimestamp(6).toInstant()));
            }
        }
    }

    public void putRetention(Connection c, String useCase, StoredRetention r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO retention (use_case, outputs, inputs, people_text,"
                + " reason, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (use_case) DO UPDATE SET"
                + " outputs = EXCLUDED.outputs, inputs = EXCLUDED.inputs, people_text = EXCLUDED.people_text,"
                + " reason = EXCLUDED.reason, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at")) {
            ps.setString(1, useCase);
            ps.setString(2, r.periods().outputs().toString());
            ps.setString(3, r.periods().inputs().toString());
            ps.setString(4, r.periods().peopleText().toString());
            ps.setString(5, r.reason());
            ps.setString(6, r.updatedBy());
            ps.setTimestamp(7, Timestamp.from(r.updatedAt()));
            ps.executeUpdate();
        }
    }

    /** Every use case's name, for the retention sweep. */
    public List<String> useCases(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name FROM use_case ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static final String ERASURE = "id, kind, use_case, parts, decisions, held, requested_by, created_at";

    private static List<Erasure> erasures(PreparedStatement ps) throws SQLException {
        List<Erasure> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Set<DataPart> parts = EnumSet.noneOf(DataPart.class);
                Arrays.stream((String[]) rs.getArray("parts").getArray()).map(DataPart::valueOf).forEach(parts::add);
                out.add(new Erasure(rs.getObject("id", UUID.class), ErasureKind.valueOf(rs.getString("kind")),
                        rs.getString("use_case"), parts, rs.getInt("decisions"), rs.getInt("held"),
                        rs.getString("requested_by"), rs.getTimestamp("created_at").toInstant()));
            }
        }
        return out;
    }

    private static String deletedAt(DataPart part) {
        return switch (part) {
            case OUTPUTS -> "outputs_deleted_at";
            case INPUTS -> "inputs_deleted_at";
            case PEOPLE_TEXT -> "people_text_deleted_at";
        };
    }

    private static List<UUID> uuids(PreparedStatement ps) throws SQLException {
        List<UUID> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1, UUID.class));
            }
        }
        return out;
    }
}
