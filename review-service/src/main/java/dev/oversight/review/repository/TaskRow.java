package dev.oversight.review.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One task row; JSON columns as their JSON text. */
public record TaskRow(
        UUID id,
        UUID decisionId,
        String kind,
        UUID parentTaskId,
        String useCase,
        String modelVersion,
        String input,
        String output,
        Double rawConfidence,
        Double calibratedConfidence,
        List<String> reasons,
        int requiredReviews,
        boolean blindReview,
        boolean seniorOnly,
        int priority,
        int escalationLevel,
        Instant createdAt,
        Instant dueAt,
        Instant hardDeadlineAt,
        String onReviewTimeout,
        String status,
        String goldVerdict,
        String finalVerdict,
        String finalOutput,
        Instant decidedAt,
        String traceparent) {
}
