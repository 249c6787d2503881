package dev.oversight.routing.rest;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.oversight.routing.repository.DecisionRecord;
import java.time.Instant;

/** A decision as {@code GET /v1/decisions/{id}} shows it: the routing answer plus what the app sent and the outcome. */
public record DecisionResponse(
        @JsonUnwrapped RouteResponse decision,
        @JsonRawValue String output,
        @JsonRawValue String input,
        @JsonRawValue String attributes,
        @JsonRawValue String probabilities,
        @JsonRawValue String finalOutput,
        @JsonRawValue String verdicts,
        Instant decidedAt) {

    static DecisionResponse of(DecisionRecord d) {
        return new DecisionResponse(RouteResponse.of(d), d.output(), d.input(), d.attributes(), d.probabilities(),
                d.finalOutput(), d.verdicts(), d.decidedAt());
    }
}
