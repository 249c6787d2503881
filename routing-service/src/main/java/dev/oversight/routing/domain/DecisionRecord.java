package dev.oversight.routing.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One decision row. JSON columns are kept as the JSON text they were written with, so the hot path never
 * re-parses an output it only stores and returns. {@code trajectory}: the steps of the agent run that led to the
 * output or tool call (a JSON array), or null. {@code shadow}: candidate models' outputs sent along (a JSON array of
 * {modelVersion, output, confidence}), recorded and scored when people decide, never acted on; or null.
 * {@code digestSalt}: the random salt of this decision's keyed digests in the audit trail (null once erased, or for a
 * decision written before salts existed). {@code erasedAt}: when a person's data in it was erased (its output, input,
 * trajectory, attributes and people's words are then gone; its routing facts stay), or null. {@code rawConfidence}
 * is null when the request carried signals instead of a confidence; {@code signals}: those signals as a JSON object
 * of numbers, or null. {@code segment}: the output's segment under the policy's segments, or null.
 */
public record DecisionRecord(
        UUID id,
        String useCase,
        String owner,
        String modelVersion,
        String idempotencyKey,
        byte[] requestHash,
        Route route,
        DecisionStatus status,
        Double rawConfidence,
        Double calibratedConfidence,
        Double threshold,
        List<String> reasons,
        int policyVersion,
        int calibratorVersion,
        int requiredReviews,
        UUID reviewTaskId,
        String output,
        String input,
        String attributes,
        String probabilities,
        String callbackUrl,
        String finalOutput,
        String verdicts,
        Instant createdAt,
        Instant decidedAt,
        DecisionKind kind,
        String trajectory,
        String shadow,
        byte[] digestSalt,
        Instant erasedAt,
        String signals,
        String segment) {

    public boolean erased() {
        return erasedAt != null;
    }
}
