package dev.oversight.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToLongFunction;

/** Figures summed over the nodes of a PostgreSQL plan ({@code EXPLAIN (ANALYZE, FORMAT JSON)}), for plan tests. */
public final class QueryPlans {

    private QueryPlans() {
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
    public static long blocks(JsonNode explained) {
        JsonNode top = explained.path(0).path("Plan");
        return top.path("Shared Hit Blocks").asLong(0) + top.path("Shared Read Blocks").asLong(0);
    }

    /** Rows a node read and threw away: removed by its filter or by an index recheck. */
    public static long rowsRemoved(JsonNode node) {
        return node.path("Rows Removed by Filter").asLong(0) + node.path("Rows Removed by Index Recheck").asLong(0);
    }
}
