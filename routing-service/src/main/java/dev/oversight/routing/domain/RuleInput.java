package dev.oversight.routing.domain;

import com.google.protobuf.NullValue;
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

    /** What an output shows rules as {@code toolCall}: built once, not per evaluation on the route path. */
    private static final Map<String, Object> NO_TOOL_CALL = Map.of("name", NullValue.NULL_VALUE, "arguments", Map.of());

    Map<String, Object> asCelVariables() {
        Map<String, Object> call = toolCall == null ? NO_TOOL_CALL
                : Map.of("name", toolCall.name(), "arguments", toolCall.arguments());
        return Map.of("attributes", attributes, "confidence", confidence, "rawConfidence", rawConfidence,
                "modelVersion", modelVersion, "toolCall", call);
    }
}
