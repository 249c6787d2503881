package dev.oversight.console.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * What an erasure or a retention sweep deleted, as the router answers it: which parts of how many decisions, how
 * many an incident held back ({@code heldDecisionIds} and {@code complete} right after a request only).
 */
@TemplateData
public record Erasure(String id, String kind, String useCase, List<String> parts, int decisions, int held,
                      List<String> heldDecisionIds, Boolean complete, String requestedBy, String createdAt) {

    /** What an admin sends: the decisions, or the person's attribute; and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Request(List<String> decisionIds, Subject subjectAttribute, String reason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subject(String useCase, String path, String value) {
    }

    /** A use case's retention periods (ISO-8601) and the legal minimum below which a reason is due. */
    @TemplateData
    public record Retention(String useCase, String outputs, String inputs, String peopleText, String legalMinimum,
                            String reason, String setBy, String setAt) {
    }

    public record RetentionBody(String outputs, String inputs, String peopleText, String reason) {
    }
}
