package dev.oversight.routing.domain;

import java.util.Map;

/**
 * What rules may look at. {@code attributes} must already hold CEL values: Long for integers, Double for other
 * numbers, String, Boolean, List, Map, and {@code NullValue} for JSON null.
 */
public record RuleInput(Map<String, Object> attributes, double confidence, double rawConfidence, String modelVersion,
                        ToolCall toolCall) {

    /** An output, not a tool call: rules see {@code toolCall} with a null name and no arguments. */
    public RuleInput(Map<String, Object> attributes, double confidence, double rawConfidence, String modelVersion) {
        this(attributes, confidence, rawConfidence, modelVersion, null);
    }

    Map<String, Object> asCelVariables() {
        Map<String, Object> call = new java.util.HashMap<>();
        call.put("name", toolCall == null ? com.google.protobuf.NullValue.NULL_VALUE : toolCall.name());
        call.put("arguments", toolCall == null ? Map.of() : toolCall.arguments());
        return Map.of("attributes", attributes, "confidence", confidence, "rawConfidence", rawConfidence,
                "modelVersion", modelVersion, "toolCall", call);
    }
}
