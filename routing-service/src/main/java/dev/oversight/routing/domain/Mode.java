package dev.oversight.routing.domain;

/** The human-in-command switch of a use case. */
public enum Mode {
    /** Route by policy and calibrated confidence. */
    AUTO,
    /** Send every output to human review. */
    REVIEW_ALL,
    /** Block every output. */
    HALT
}
