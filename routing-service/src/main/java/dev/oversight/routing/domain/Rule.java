package dev.oversight.routing.domain;

/**
 * A named CEL condition of a policy. {@code requiredReviews}, when set on a review rule, raises the number of
 * distinct reviewers a matching output needs.
 */
public record Rule(String name, String when, Integer requiredReviews) {
}
