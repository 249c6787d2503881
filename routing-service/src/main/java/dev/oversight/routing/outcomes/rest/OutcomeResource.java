package dev.oversight.routing.outcomes.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.outcomes.service.OutcomeService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Final outcomes of reviewed decisions, delivered by the review service's outbox (at least once). */
@Path("/v1/outcomes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OutcomeResource {

    static final int MAX_ITEMS = 500;

    /**
     * One OUTCOME_FINAL of the review service (its other fields are accepted and ignored), or with {@code judgementId}
     * one ITEM_JUDGED: a benchmark item judged again, not a decision's outcome.
     */
    public record OutcomeRequest(
            @NotNull UUID eventId,
            @NotNull UUID decisionId,
            UUID taskId,
            String useCase,
            @NotNull @Pattern(regexp = "APPROVE|REJECT|CORRECT", message = "must be APPROVE, REJECT or CORRECT") String verdict,
            Boolean correct,
            Boolean timedOut,
            @Size(max = 256) String decidedBy,
            @NotNull Instant decidedAt,
            JsonNode finalOutput,
            JsonNode verdicts,
            @Pattern(regexp = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}", message = "must be a W3C traceparent")
            String traceparent,
            UUID judgementId) {
    }

    private final OutcomeService outcomes;
    private final SecurityIdentity caller;
    private final RoutingConfig config;

    public OutcomeResource(OutcomeService outcomes, SecurityIdentity caller, RoutingConfig config) {
        this.outcomes = outcomes;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Apply final outcomes of reviews (idempotent: an outcome applies once)")
    public Applied apply(
            @NotNull(message = "a JSON array of outcomes is required")
            @Size(min = 1, max = MAX_ITEMS, message = "must hold 1 to " + MAX_ITEMS + " outcomes")
            List<@Valid @NotNull OutcomeRequest> body) {
        Producers.require(caller, config.intake().outcomeProducers(), "review outcomes",
                "routing.intake.outcome-producers");
        return new Applied(outcomes.apply(body.stream().map(o -> new OutcomeService.Outcome(o.eventId(),
                o.decisionId(), o.verdict(), Boolean.TRUE.equals(o.timedOut()), o.decidedAt(), o.finalOutput(),
                o.verdicts(), o.traceparent(), o.judgementId())).toList()));
    }

    /** What each outcome did, in the order sent. */
    public record Applied(List<OutcomeService.Applied> items) {
    }
}
