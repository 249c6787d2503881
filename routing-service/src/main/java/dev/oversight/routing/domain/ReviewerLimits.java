package dev.oversight.routing.domain;

/**
 * Limits on how the use case's reviewers rely on the model, watched by the review service: approvals faster than
 * {@code minDwellSeconds} (claim to verdict) may be at most {@code maxFastApprovalRate} of a reviewer's approvals, and
 * their approval rate where routing details are shown may exceed the one on blind and gold items by at most
 * {@code maxApprovalGap}. A reviewer above them is flagged for people to look at, never paused by a machine.
 */
public record ReviewerLimits(Integer minDwellSeconds, Double maxFastApprovalRate, Double maxApprovalGap) {
}
