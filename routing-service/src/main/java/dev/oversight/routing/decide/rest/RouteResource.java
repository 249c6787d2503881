package dev.oversight.routing.decide.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.AppIdentity;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.decide.service.RoutingService;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/route")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RouteResource {

    /** The benchmark baseline's constant answer. */
    public record NoopAnswer(String route, String status, List<String> reasons) {
    }

    private static final NoopAnswer NOOP_ANSWER = new NoopAnswer("RELEASE", "RELEASED", List.of());

    private final RoutingService routing;
    private final boolean noopEnabled;
    private final AppIdentity app;

    public RouteResource(RoutingService routing, RoutingConfig config, AppIdentity app) {
        this.routing = routing;
        this.noopEnabled = config.benchmarkNoopEndpoint();
        this.app = app;
    }

    /** Runs on the event loop: the decision is computed from memory and the response resumes after the commit. */
    @POST
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Route one model output: RELEASE, REVIEW or BLOCK, durably recorded before the answer")
    public CompletionStage<Response> route(@Valid @NotNull(message = "a JSON body is required") RouteRequest request) {
        // The app's identity owns the decision: it reads it back, keys idempotency and receives its callback.
        String name = app.name();
        return routing.route(request.toCommand(name, name)).thenApply(stored -> Response.ok(RouteResponse.of(stored.record()))
                .header("Idempotent-Replayed", String.valueOf(stored.replayed()))
                .build());
    }

    /**
     * The benchmark's baseline: the same authentication, JSON parsing and validation as {@link #route}, then a
     * constant answer with nothing computed or stored. Off unless routing.benchmark-noop-endpoint is true. It runs on
     * the event loop, as {@link #route} does (a plain return type would otherwise be dispatched to a worker thread).
     */
    @POST
    @Path("/noop")
    @NonBlocking
    @RolesAllowed(Roles.APP)
    @Operation(summary = "Benchmark baseline (disabled by default): parses a route request, answers a constant")
    public NoopAnswer noop(@Valid @NotNull(message = "a JSON body is required") RouteRequest request) {
        if (!noopEnabled) {
            throw new Failure.NotFound("The benchmark endpoint is disabled (routing.benchmark-noop-endpoint)");
        }
        return NOOP_ANSWER;
    }
}
