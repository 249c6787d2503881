package dev.oversight.routing.domain;

/** What the review service does with a task past its hard deadline. */
public enum OnReviewTimeout {
    HOLD, REJECT, RELEASE_FLAGGED
}
