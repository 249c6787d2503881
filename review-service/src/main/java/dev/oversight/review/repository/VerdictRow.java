package dev.oversight.review.repository;

import java.time.Instant;
import java.util.UUID;

public record VerdictRow(UUID taskId, String reviewer, String verdict, String correctedOutput, String rationale,
                         String scores, Long timeOnTaskMs, Boolean goldCorrect, Instant createdAt) {
}
