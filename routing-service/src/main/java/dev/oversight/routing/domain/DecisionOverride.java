package dev.oversight.routing.domain;

import java.time.Instant;

/** A person's reversal of a released decision: why, the replacement output (JSON text, or null), who and when. */
public record DecisionOverride(String reason, String output, String by, Instant at) {
}
