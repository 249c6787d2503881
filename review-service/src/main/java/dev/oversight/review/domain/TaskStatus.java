package dev.oversight.review.domain;

/** Where a task stands: open for verdicts, waiting for an adjudication, or finished (decided, or timed out). */
public enum TaskStatus {
    OPEN, IN_ADJUDICATION, DONE, EXPIRED
}
