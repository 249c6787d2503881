package dev.oversight.routing.domain;

import java.util.Map;

/**
 * What rules may look at. {@code attributes} must already hold CEL values: Long for integers, Double for other
 * numbers, String, Boolean, List, Map, and {@code NullValue} for JSON null.
 */
public record RuleInput(Map<String, Object> attributes, double confidence, double rawConfidence, String modelVersion) {

    Map<String, Object> asCelVariables() {
        return Map.of("attributes", attributes, "confidence", confidence, "rawConfidence", rawConfidence,
                "modelVersion", modelVersion);
    }
}
