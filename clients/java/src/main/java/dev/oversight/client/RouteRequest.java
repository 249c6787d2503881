package dev.oversight.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What to route: a model's output ({@link #output}) or an agent's next action ({@link #toolCall}), with the
 * optional fields as chained setters. Values are any Jackson-serializable objects (maps, lists, records, JSON nodes).
 */
public final class RouteRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode body = JSON.createObjectNode();

    private RouteRequest(String useCase, String modelVersion) {
        body.put("useCase", useCase).put("modelVersion", modelVersion);
    }

    /** A model's output to route. */
    public static RouteRequest output(String useCase, String modelVersion, Object output) {
        RouteRequest r = new RouteRequest(useCase, modelVersion);
        r.body.set("output", JSON.valueToTree(output));
        return r;
    }

    /** An agent's tool call to gate before it runs: the tool and its arguments (a JSON object). */
    public static RouteRequest toolCall(String useCase, String modelVersion, String name, Map<String, ?> arguments) {
        RouteRequest r = new RouteRequest(useCase, modelVersion);
        r.body.putObject("toolCall").put("name", name).set("arguments", JSON.valueToTree(arguments));
        return r;
    }

    public RouteRequest confidence(double confidence) {
        body.put("confidence", confidence);
        return this;
    }

    public RouteRequest probabilities(Map<String, Double> probabilities) {
        return set("probabilities", probabilities);
    }

    /** Several confidence signals (at most 16), as the use case's policy names them; beside or instead of confidence. */
    public RouteRequest signals(Map<String, Double> signals) {
        return set("signals", signals);
    }

    public RouteRequest input(Object input) {
        return set("input", input);
    }

    public RouteRequest attributes(Map<String, ?> attributes) {
        return set("attributes", attributes);
    }

    /** The same key of the same app returns the same decision; {@link Oversight} generates one when none is set. */
    public RouteRequest idempotencyKey(String key) {
        body.put("idempotencyKey", key);
        return this;
    }

    public RouteRequest callbackUrl(String url) {
        body.put("callbackUrl", url);
        return this;
    }

    /** The steps of the agent's run: {@code [{kind: message | reasoning | tool_call | tool_result, name?, content}]}. */
    public RouteRequest trajectory(List<? extends Map<String, ?>> steps) {
        return set("trajectory", steps);
    }

    /**
     * What up to 4 candidate model versions answered on the same input:
     * {@code [{modelVersion, output | toolCall, confidence}]}, recorded and scored when people decide, never acted on.
     */
    public RouteRequest shadow(List<? extends Map<String, ?>> candidates) {
        return set("shadow", candidates);
    }

    /** Sets any other field of the route request as given. */
    public RouteRequest set(String field, Object value) {
        body.set(field, JSON.valueToTree(value));
        return this;
    }

    ObjectNode body() {
        return body.deepCopy();
    }

    JsonNode field(String name) {
        return body.get(name);
    }
}
