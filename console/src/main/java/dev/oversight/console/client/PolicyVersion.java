package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * One version of a use case's policy. The policy itself stays the JSON document the service stored: the console
 * shows it, diffs it and edits it as text, and never reads a rule out of it.
 */
@TemplateData
public record PolicyVersion(String useCase, int version, String createdAt, String createdBy, JsonNode policy,
                            Approval approval) {

    /** Whether this version waits for a second admin (four eyes). */
    public boolean pending() {
        return approval != null && "PENDING".equals(approval.status());
    }

    /** Four eyes: PENDING (and how the version loosens oversight) until another admin approves it. */
    @TemplateData
    public record Approval(String status, List<String> loosens, String approvedBy, String approvedAt) {

        public Approval {
            loosens = loosens == null ? List.of() : List.copyOf(loosens);
        }
    }
}
