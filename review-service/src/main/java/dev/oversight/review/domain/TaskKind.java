package dev.oversight.review.domain;

/**
 * Review of a routed decision, a senior reviewer's adjudication of a disagreement about one, or a new judgement of an
 * item of a frozen benchmark (the router asks under a judgement id: to rejudge it under the current guidelines).
 */
public enum TaskKind {
    REVIEW, ADJUDICATION, JUDGE_ITEM
}
