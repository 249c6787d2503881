package dev.oversight.routing.decide.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.AppIdentity;
import dev.oversight.routing.client.AuditLogClient;
import dev.oversight.routing.decide.service.DecisionWaiters;
import dev.oversight.routing.decide.service.RoutingService;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import dev.oversight.routing.outcomes.service.AgentFeedback;
import dev.oversight.routing.outcomes.service.OverrideService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    static final int MAX_WAIT_SECONDS = 60;

    private final RoutingService routing;
    private final DecisionWaiters waiters;
    private final ManagedExecutor executor;
    private final SecurityIdentity caller;
    private final AppIdentity app;
    private final OverrideService overrides;
    private final AgentFeedback feedback;
    private final AuditLogClient receipts;

    public DecisionResource(RoutingService routing, DecisionWaiters waiters, ManagedExecutor executor,
                            SecurityIdentity caller, AppIdentity app, OverrideService overrides,
                            AgentFeedback feedback, AuditLogClient receipts) {
        this.routing = routing;
        this.receipts = receipts;
        this.overrides = overrides;
        this.feedback = feedback;
        this.waiters = waiters;
        this.executor = executor;
        this.caller = caller;
        this.app = app;
    }

    /**
     * Apps read the decisions they created; admins and auditors read any. With {@code waitSeconds} the answer waits
     * until the decision is final (a reviewer decided) or the time is up, then shows the decision as it stands.
     */
    @GET
    @Path("/{id}")
    @Blocking
    @RolesAllowed({Roles.APP, Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "A decision with its output, status and final outcome; waitSeconds long-polls until final")
    public CompletionStage<DecisionResponse> get(@PathParam("id") UUID id,
                                                 @QueryParam("waitSeconds") @DefaultValue("0") @Min(0)
                                                 @Max(MAX_WAIT_SECONDS) int waitSeconds) {
        boolean readsAll = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.AUDITOR);
        String name = readsAll ? caller.getPrincipal().getName() : app.name();
        DecisionRecord now = routing.decision(id, name, readsAll);
        if (waitSeconds == 0 || now.status() != DecisionStatus.PENDING_REVIEW) {
            return CompletableFuture.completedFuture(view(now));
        }
        return waiters.await(id, Duration.ofSeconds(waitSeconds))
                .thenApplyAsync(done -> view(routing.decision(id, name, readsAll)), executor);
    }

    /**
     * The decision's receipt to keep: its DECISION_MADE event (or, once a reviewer's outcome is final, its
     * OUTCOME_FINAL) as a C2SP tlog-proof with the audit log's signed, witnessed checkpoint, verifiable offline with
     * the log's vkey. Apps read their own decisions' receipts; admins and auditors any.
     */
    @GET
    @Path("/{id}/receipt")
    @Blocking
    @RolesAllowed({Roles.APP, Roles.ADMIN, Roles.AUDITOR})
    @Produces("text/plain; charset=utf-8")
    @Operation(summary = "The decision's receipt (C2SP tlog-proof) from the audit log: event=DECISION_MADE (default)"
            + " or OUTCOME_FINAL")
    public Response receipt(@PathParam("id") UUID id,
                            @QueryParam("event") @DefaultValue("DECISION_MADE")
                            @Pattern(regexp = "DECISION_MADE|OUTCOME_FINAL",
                                    message = "must be DECISION_MADE or OUTCOME_FINAL") String event) {
        boolean readsAll = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.AUDITOR);
        DecisionRecord d = routing.decision(id, readsAll ? caller.getPrincipal().getName() : app.name(), readsAll);
        ReceiptEvent which = ReceiptEvent.valueOf(event);
        if (which == ReceiptEvent.OUTCOME_FINAL && (d.route() != Route.REVIEW || !d.status().isFinal())) {
            throw new Failure.Conflict(d.route() != Route.REVIEW
                    ? "Decision " + id + " was not reviewed (" + d.status() + "): its receipt is DECISION_MADE's"
                    : "Decision " + id + " awaits its review: OUTCOME_FINAL has its receipt once a reviewer decides");
        }
        return Response.ok(receipts.receipt(id, which.name())).header("Content-Disposition",
                "attachment; filename=\"" + id + "-" + which.name() + ".tlog-proof\"").build();
    }

    /** The events of a decision that have a receipt. */
    public enum ReceiptEvent {
        DECISION_MADE, OUTCOME_FINAL
    }

    /**
     * Reverses a released output: the decision becomes OVERRIDDEN with the replacement output (if any), the app's
     * callback and long-poll see it, the audit trail records it, and it becomes a label (the output was wrong).
     */
    @POST
    @Path("/{id}/override")
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SENIOR_REVIEWER})
    @Operation(summary = "Reverse a RELEASED decision (reason required, optional replacement output): OVERRIDDEN")
    public DecisionResponse override(@PathParam("id") UUID id,
                                     @Valid @NotNull(message = "a JSON body {reason, output?} is required")
                                     OverrideRequest request) {
        return view(overrides.override(id, request.reason().strip(), request.output(),
                caller.getPrincipal().getName()));
    }

    /** Why a released output is reversed (required, kept with the decision; the audit trail holds its digest). */
    public record OverrideRequest(@NotBlank(message = "say why the released output is reversed")
                                  @Size(max = 2000) String reason,
                                  JsonNode output) {
    }

    private DecisionResponse view(DecisionRecord d) {
        return DecisionResponse.of(d, d.callbackUrl() == null ? null
                : DecisionResponse.Callback.of(d.callbackUrl(), routing.callbackDelivery(d.id())),
                d.status() == DecisionStatus.OVERRIDDEN ? overrides.overrideOf(d.id()).orElse(null) : null,
                feedback.of(d));
    }
}
