package dev.oversight.console.domain;

/** The human-in-command switch of a use case, as the routing service names it. */
public enum Mode {
    AUTO, REVIEW_ALL, HALT
}
