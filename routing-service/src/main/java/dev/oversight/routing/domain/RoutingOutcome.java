package dev.oversight.routing.domain;

import java.util.List;

/**
 * The router's answer for one output. {@code calibratedConfidence} is null when calibration failed;
 * {@code threshold} is null when no threshold is in force. {@code segment}: the output's segment when the policy sets
 * segments, else null.
 */
public record RoutingOutcome(
        Route route,
        List<String> reasons,
        Double calibratedConfidence,
        Double threshold,
        int requiredReviews,
        String segment) {
}
