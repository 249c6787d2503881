package dev.oversight.routing.domain;

/**
 * How review tasks reach reviewers: PULL (reviewers take work; the default), or pushed to one qualified reviewer at a
 * time, ROUND_ROBIN (whoever was offered work longest ago) or LEAST_LOADED (whoever holds the fewest open tasks),
 * moving on when an offer is not started within the policy's {@code offerSeconds}.
 */
public enum AssignmentStrategy {
    PULL, ROUND_ROBIN, LEAST_LOADED;

    public static final int DEFAULT_OFFER_SECONDS = 600;
}
