package dev.oversight.routing.domain;

/**
 * A named CEL condition of a policy. {@code requiredReviews}, when set on a review rule, raises the number of
 * distinct reviewers a matching output needs; {@code requires}, on a review rule, what those reviewers must have
 * (beside the policy's own {@code reviewers} requirements), or null.
 */
public record Rule(String name, String when, Integer requiredReviews, ReviewerRequirements requires) {

    public Rule(String name, String when, Integer requiredReviews) {
        this(name, when, requiredReviews, null);
    }
}
