package dev.oversight.routing.decide.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.agents.Step;
import java.util.List;
import java.util.Map;

/**
 * A validated request to route one model output, or one tool call ({@code output} then holds the call), with the
 * steps of the agent run that led to it ({@code trajectory}, or null) and candidate outputs to measure ({@code shadow}:
 * an array of {modelVersion, output, confidence}, or null).
 */
public record RouteCommand(
        String owner,
        String app,
        String useCase,
        String modelVersion,
        JsonNode output,
        boolean toolCall,
        Double confidence,
        Map<String, Double> probabilities,
        JsonNode input,
        ObjectNode attributes,
        String idempotencyKey,
        String callbackUrl,
        List<Step> trajectory,
        ArrayNode shadow,
        Map<String, Double> signals) {

    public RouteCommand(String owner, String app, String useCase, String modelVersion, JsonNode output,
                        boolean toolCall, Double confidence, Map<String, Double> probabilities, JsonNode input,
                        ObjectNode attributes, String idempotencyKey, String callbackUrl, List<Step> trajectory,
                        ArrayNode shadow) {
        this(owner, app, useCase, modelVersion, output, toolCall, confidence, probabilities, input, attributes,
                idempotencyKey, callbackUrl, trajectory, shadow, null);
    }

    /** A model's output to route. */
    public RouteCommand(String owner, String app, String useCase, String modelVersion, JsonNode output,
                        Double confidence, Map<String, Double> probabilities, JsonNode input, ObjectNode attributes,
                        String idempotencyKey, String callbackUrl) {
        this(owner, app, useCase, modelVersion, output, false, confidence, probabilities, input, attributes,
                idempotencyKey, callbackUrl, null, null, null);
    }
}
