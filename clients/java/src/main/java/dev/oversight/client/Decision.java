package dev.oversight.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A routing decision: the inline answer of a route, or the full decision as {@link Oversight#decision} reads it.
 * {@code route} is RELEASE, REVIEW or BLOCK; {@code status} says where it stands (PENDING_REVIEW until people decide);
 * {@code finalOutput} is what the app may use (for a tool call, the call to execute; null when rejected or blocked).
 * JSON values stay JSON ({@link JsonNode}); {@code raw} is the whole answer.
 */
public record Decision(String decisionId, String useCase, String modelVersion, String route, String status,
                       String kind, Double rawConfidence, Double calibratedConfidence, Double threshold,
                       List<String> reasons, Integer policyVersion, Integer calibratorVersion, Integer requiredReviews,
                       String reviewTaskId, JsonNode output, JsonNode finalOutput, JsonNode verdicts,
                       String decidedAt, String feedback, String process, boolean replayed, JsonNode raw) {

    private static final Set<String> FINAL = Set.of("RELEASED", "BLOCKED", "APPROVED", "REJECTED", "CORRECTED",
            "EXPIRED", "OVERRIDDEN");

    /** Whether the outcome is final (no more people to wait for). */
    public boolean isFinal() {
        return FINAL.contains(status);
    }

    static Decision of(JsonNode d, boolean replayed) {
        List<String> reasons = new ArrayList<>();
        d.path("reasons").forEach(r -> reasons.add(r.asText()));
        return new Decision(text(d, "decisionId"), text(d, "useCase"), text(d, "modelVersion"), text(d, "route"),
                text(d, "status"), text(d, "kind"), number(d, "rawConfidence"), number(d, "calibratedConfidence"),
                number(d, "threshold"), List.copyOf(reasons), integer(d, "policyVersion"),
                integer(d, "calibratorVersion"), integer(d, "requiredReviews"), text(d, "reviewTaskId"),
                value(d, "output"), value(d, "finalOutput"), value(d, "verdicts"), text(d, "decidedAt"),
                text(d, "feedback"), text(d, "process"), replayed, d);
    }

    private static String text(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Double number(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || !v.isNumber() ? null : v.doubleValue();
    }

    private static Integer integer(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || !v.isNumber() ? null : v.intValue();
    }

    private static JsonNode value(JsonNode d, String field) {
        JsonNode v = d.get(field);
        return v == null || v.isNull() ? null : v;
    }
}
