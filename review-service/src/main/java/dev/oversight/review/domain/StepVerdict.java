package dev.oversight.review.domain;

/** A reviewer's judgement of one step of an agent's run. */
public enum StepVerdict {
    OK,
    WRONG
}
