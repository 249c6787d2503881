package dev.oversight.routing.decide.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.routing.domain.DecisionOverride;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.common.agents.ProcessJudgement;
import dev.oversight.routing.outcomes.service.AgentFeedback;
import java.time.Instant;

/**
 * A decision as {@code GET /v1/decisions/{id}} shows it: the routing answer plus what the app sent and the outcome.
 * {@code erased}: a person's data in it was erased (output, input, attributes, trajectory and people's words are null;
 * the routing facts stay). A part that retention deleted is null as well.
 */
public record DecisionResponse(
        @JsonUnwrapped RouteResponse decision,
        @JsonRawValue String output,
        @JsonRawValue String input,
        @JsonRawValue String attributes,
        @JsonRawValue String probabilities,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String signals,
        @JsonRawValue String finalOutput,
        @JsonRawValue String verdicts,
        Instant decidedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Callback callback,
        @JsonInclude(JsonInclude.Include.NON_NULL) Override override,
        @JsonInclude(JsonInclude.Include.NON_NULL) String feedback,
        @JsonInclude(JsonInclude.Include.NON_NULL) ProcessJudgement process,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String trajectory,
        boolean erased) {

    /** A released decision that a person reversed: why, the replacement output (if any), who and when. */
    public record Override(String reason, @JsonRawValue String output, String overriddenBy, Instant overriddenAt) {
        static Override of(DecisionOverride o) {
            return new Override(o.reason(), o.output(), o.by(), o.at());
        }
    }

    /**
     * Delivery of the final outcome to the app's callbackUrl: PENDING (no outcome yet, or retrying), DELIVERED, or
     * FAILED (given up after the configured attempts).
     */
    public record Callback(String url, String status, int attempts, String lastError, Instant deliveredAt) {

        static Callback of(String url, java.util.Optional<OutboxStore.Delivery> delivery) {
            if (delivery.isEmpty()) {
                return new Callback(url, "PENDING", 0, null, null);
            }
            OutboxStore.Delivery d = delivery.get();
            String status = d.deliveredAt() != null ? "DELIVERED" : d.gaveUpAt() != null ? "FAILED" : "PENDING";
            return new Callback(url, status, d.attempts(), d.lastError(), d.deliveredAt());
        }
    }

    static DecisionResponse of(DecisionRecord d, Callback callback, DecisionOverride override,
                               AgentFeedback.ForAgent told) {
        return new DecisionResponse(RouteResponse.of(d), d.output(), d.input(), d.attributes(), d.probabilities(),
                d.signals(), d.finalOutput(), d.verdicts(), d.decidedAt(), callback, override == null ? null : Override.of(override),
                told.feedback(), told.process(), d.trajectory(), d.erased());
    }
}
