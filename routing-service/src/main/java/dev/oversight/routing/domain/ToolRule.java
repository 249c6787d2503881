package dev.oversight.routing.domain;

/**
 * One tool a policy lets an agent call, and how its calls route: {@link Route#AUTO} leaves them to confidence and
 * rules, {@link Route#REVIEW} always asks a person ({@code requiredReviews} of them, at least the policy's), and
 * {@link Route#BLOCK} never lets them run. With a list of tools, a tool not in it is blocked.
 */
public record ToolRule(String name, Route route, Integer requiredReviews) {

    /** How a listed tool's calls route, weakest first. */
    public enum Route {
        AUTO, REVIEW, BLOCK
    }

    public ToolRule {
        route = route == null ? Route.AUTO : route;
    }
}
