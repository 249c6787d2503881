package dev.oversight.common.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.ToLongFunction;

/**
 * A statement's executed plan ({@code EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)}) and figures summed over its nodes, for
 * plan tests.
 */
public final class QueryPlans {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryPlans() {
    }

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binds {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** An executed plan; its text is what a failed assertion should show. */
    public record Plan(JsonNode json, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Runs {@code sql} with its parameters under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) on the connection. */
    public static Plan explain(Connection c, String sql, Binds binds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)) {
            binds.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String text = rs.getString(1);
                return new Plan(JSON.readTree(text), text);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN gave no JSON", e);
        }
    }

    /** {@code perNode} of every node of the plan, summed (nodes are the plan's JSON objects, at any depth). */
    public static long sum(JsonNode plan, ToLongFunction<JsonNode> perNode) {
        long n = plan.isObject() ? perNode.applyAsLong(plan) : 0;
        for (JsonNode child : plan) {
            if (child.isContainerNode()) {
                n += sum(child, perNode);
            }
        }
        return n;
    }

    /**
     * Blocks the whole plan touched, from the shared buffers or storage ({@code EXPLAIN (ANALYZE, BUFFERS, FORMAT
     * JSON)}): index entries an index scan steps over without returning them show here, not in rows removed.
     */
    public static long blocks(Plan plan) {
        JsonNode top = plan.json().path(0).path("Plan");
        return top.path("Shared Hit Blocks").asLong(0) + top.path("Shared Read Blocks").asLong(0);
    }

    /** Rows a node read and threw away: removed by its filter or by an index recheck. */
    public static long rowsRemoved(JsonNode node) {
        return node.path("Rows Removed by Filter").asLong(0) + node.path("Rows Removed by Index Recheck").asLong(0);
    }
}
