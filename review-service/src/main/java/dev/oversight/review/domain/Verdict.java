package dev.oversight.review.domain;

/** A reviewer's judgement of a model output. APPROVE means correct; REJECT and CORRECT mean incorrect. */
public enum Verdict {
    APPROVE, REJECT, CORRECT
}
