package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/**
 * A decision as an auditor's trail page shows it: route and reasons, confidence against threshold, the versions in
 * force, the review task and its verdicts, the outcome, and a person's override if there was one. Outputs and inputs
 * are not read: the trail shows the log's events.
 */
@TemplateData
public record Decision(String decisionId, String route, String status, List<String> reasons,
                       Double calibratedConfidence, Double threshold, int policyVersion, int calibratorVersion,
                       String reviewTaskId, List<Verdict> verdicts, String createdAt, String decidedAt,
                       Override override, boolean erased) {

    /** A reviewer's verdict on the decision: who and which. */
    @TemplateData
    public record Verdict(String reviewer, String verdict) {
    }

    /** A released decision a person reversed: why, who and when. */
    @TemplateData
    public record Override(String reason, String overriddenBy, String overriddenAt) {
    }
}
