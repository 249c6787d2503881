package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A review task as the review service shows it to this reviewer. Under blind review the service leaves out what
 * routing derived (confidences, reasons, priority, the count of verdicts): those are null here. Input, output and
 * corrections stay JSON documents: the page shows them as they are. {@code toolCall}: the output is an agent's call
 * ({@code {name, arguments}}), and a correction must call one of {@code allowedTools} (null: any);
 * {@code trajectory}: the steps of the agent's run that led to the output or call (null: none); {@code guidelines}:
 * the review standard in force beside the task (null: the use case has none); {@code comparison}: on one side of a
 * blind comparison, {@code {reference?}} with what people settled on (null for any other task).
 */
@TemplateData
public record ReviewTask(String taskId, String kind, String useCase, String modelVersion, String status,
                         JsonNode input, JsonNode output, Double rawConfidence, Double calibratedConfidence,
                         List<String> reasons, Integer requiredReviews, Integer verdictsSubmitted, Integer priority,
                         String dueAt, String finalVerdict, JsonNode finalOutput, List<GivenVerdict> priorVerdicts,
                         Long leaseToken, String leaseExpiresAt, boolean toolCall, List<String> allowedTools,
                         JsonNode trajectory, Guidelines guidelines, JsonNode comparison) {

    /** Whether the task judges one output of a blind comparison (APPROVE or REJECT only). */
    public boolean compares() {
        return comparison != null && comparison.isObject();
    }

    /** Whether anything of the routing reached this reviewer (not under blind review, or after their verdict). */
    public boolean routingShown() {
        return calibratedConfidence != null || reasons != null;
    }

    /** A verdict in dispute, shown to the adjudicator, with the criteria it scored. */
    public record GivenVerdict(String reviewer, String verdict, JsonNode correctedOutput, String rationale,
                               String process, JsonNode steps, JsonNode scores, Integer guidelineVersion) {
    }

    /** A version of the use case's review standard: instructions (Markdown, shown as written) and its criteria. */
    @TemplateData
    public record Guidelines(int version, String instructions, List<Criterion> criteria) {
    }

    /** A criterion a verdict may score, on its scale of labels. */
    @TemplateData
    public record Criterion(String name, List<String> scale, String description) {
    }
}
