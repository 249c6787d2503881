package dev.oversight.review.domain;

/** What happens at a task's hard deadline if no human has judged it (see {@link Task#onTimeout}). */
public enum OnReviewTimeout {
    HOLD, REJECT, RELEASE_FLAGGED
}
