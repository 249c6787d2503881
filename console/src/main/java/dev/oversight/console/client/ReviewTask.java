package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A review task as the review service shows it to this reviewer. Under blind review the service leaves out what
 * routing derived (confidences, reasons, priority, the count of verdicts): those are null here. Input, output and
 * corrections stay JSON documents: the page shows them as they are. {@code toolCall}: the output is an agent's call
 * ({@code {name, arguments}}), and a correction must call one of {@code allowedTools} (null: any);
 * {@code trajectory}: the steps of the agent's run that led to the output or call (null: none).
 */
@TemplateData
public record ReviewTask(String taskId, String kind, String useCase, String modelVersion, String status,
                         JsonNode input, JsonNode output, Double rawConfidence, Double calibratedConfidence,
                         List<String> reasons, Integer requiredReviews, Integer verdictsSubmitted, Integer priority,
                         String dueAt, String finalVerdict, JsonNode finalOutput, List<GivenVerdict> priorVerdicts,
                         Long leaseToken, String leaseExpiresAt, boolean toolCall, List<String> allowedTools,
                         JsonNode trajectory) {

    /** Whether anything of the routing reached this reviewer (not under blind review, or after their verdict). */
    public boolean routingShown() {
        return calibratedConfidence != null || reasons != null;
    }

    /** A verdict in dispute, shown to the adjudicator. */
    public record GivenVerdict(String reviewer, String verdict, JsonNode correctedOutput, String rationale,
                               String process, JsonNode steps) {
    }
}
