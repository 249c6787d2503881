package dev.oversight.routing.decide.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A validated request to route one model output. */
public record RouteCommand(
        String owner,
        String app,
        String useCase,
        String modelVersion,
        JsonNode output,
        Double confidence,
        Map<String, Double> probabilities,
        JsonNode input,
        ObjectNode attributes,
        String idempotencyKey,
        String callbackUrl) {
}
