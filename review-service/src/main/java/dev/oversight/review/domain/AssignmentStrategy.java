package dev.oversight.review.domain;

/**
 * How a use case's tasks reach reviewers. PULL (the default): reviewers take work with claim-next. ROUND_ROBIN: each
 * task is offered to the qualified reviewer who was offered work longest ago. LEAST_LOADED: to the qualified reviewer
 * holding the fewest open tasks and offers. An offer not started within the policy's offerSeconds moves on.
 */
public enum AssignmentStrategy {
    PULL, ROUND_ROBIN, LEAST_LOADED
}
