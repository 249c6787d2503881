package dev.oversight.review.domain;

/** Review of a routed decision, or a senior reviewer's adjudication of a disagreement about one. */
public enum TaskKind {
    REVIEW, ADJUDICATION
}
