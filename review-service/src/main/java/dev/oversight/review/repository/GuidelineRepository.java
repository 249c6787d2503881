package dev.oversight.review.repository;

import static dev.oversight.review.repository.Jdbc.instant;
import static dev.oversight.review.repository.Jdbc.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.review.domain.Guideline;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Guideline versions (the {@code guideline} table) in the caller's transaction. */
@ApplicationScoped
public class GuidelineRepository {

    private static final TypeReference<List<Guideline.Criterion>> CRITERIA = new TypeReference<>() { };
    private static final String COLUMNS = "use_case, version, instructions, criteria, sha256, created_at, created_by";

    private final ObjectMapper json;

    public GuidelineRepository(ObjectMapper json) {
        this.json = json;
    }

    /** The version in force: the newest. */
    public Optional<Guideline> current(Connection c, String useCase) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM guideline WHERE use_case = ?"
                + " ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, useCase);
            List<Guideline> rows = list(ps);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }
    }

    /** Newest first, below {@code below}, at most {@code limit} + 1. */
    public List<Guideline> versions(Connection c, String useCase, int below, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM guideline WHERE use_case = ?"
                + " AND version < ? ORDER BY version DESC LIMIT ?")) {
            ps.setString(1, useCase);
            ps.setInt(2, below);
            ps.setInt(3, limit + 1);
            return list(ps);
        }
    }

    /** Locks the use case's versions (one writer at a time) and answers the next version number. */
    public int nextVersion(Connection c, String useCase) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('guideline:' || ?))")) {
            lock.setString(1, useCase);
            lock.executeQuery().close();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(version), 0) + 1 FROM guideline WHERE use_case = ?")) {
            ps.setString(1, useCase);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    public void insert(Connection c, Guideline g) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO guideline (" + COLUMNS + ")"
                + " VALUES (?, ?, ?, ?::json, ?, ?, ?)")) {
            ps.setString(1, g.useCase());
            ps.setInt(2, g.version());
            ps.setString(3, g.instructions());
            ps.setString(4, json.writeValueAsString(g.criteria()));
            ps.setString(5, g.sha256());
            ps.setTimestamp(6, ts(g.createdAt()));
            ps.setString(7, g.createdBy());
            ps.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Criteria always serialize", e);
        }
    }

    private List<Guideline> list(PreparedStatement ps) throws SQLException {
        List<Guideline> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                try {
                    out.add(new Guideline(rs.getString("use_case"), rs.getInt("version"), rs.getString("instructions"),
                            json.readValue(rs.getString("criteria"), CRITERIA), rs.getString("sha256"),
                            instant(rs, "created_at"), rs.getString("created_by")));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("Stored criteria always parse", e);
                }
            }
        }
        return out;
    }
}
