package dev.oversight.routing.rest;

import dev.oversight.common.security.Roles;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.service.DecisionWaiters;
import dev.oversight.routing.service.RoutingService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
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

    public DecisionResource(RoutingService routing, DecisionWaiters waiters, ManagedExecutor executor,
                            SecurityIdentity caller, AppIdentity app) {
        this.routing = routing;
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
        if (waitSeconds == 0 || !"PENDING_REVIEW".equals(now.status())) {
            return CompletableFuture.completedFuture(view(now));
        }
        return waiters.await(id, Duration.ofSeconds(waitSeconds))
                .thenApplyAsync(done -> view(routing.decision(id, name, readsAll)), executor);
    }

    private DecisionResponse view(DecisionRecord d) {
        return DecisionResponse.of(d, d.callbackUrl() == null ? null
                : DecisionResponse.Callback.of(d.callbackUrl(), routing.callbackDelivery(d.id())));
    }
}
