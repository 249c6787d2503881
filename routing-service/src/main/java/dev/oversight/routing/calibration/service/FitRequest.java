package dev.oversight.routing.calibration.service;

/**
 * A fit request; null fields default to the active policy's α and δ, all model versions, no cost rule.
 * {@code since}: fit on the labels that arrived since then only (null: every label).
 */
public record FitRequest(String method, Double targetErrorRate, Double delta, boolean activate,
                         String modelVersion, Double costReview, Double costError, java.time.Instant since) {
}
