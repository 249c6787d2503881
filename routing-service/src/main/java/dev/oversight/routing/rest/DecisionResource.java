package dev.oversight.routing.rest;

import dev.oversight.routing.service.RoutingService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    private final RoutingService routing;

    public DecisionResource(RoutingService routing) {
        this.routing = routing;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A decision with its output, status and final outcome")
    public DecisionResponse get(@PathParam("id") UUID id) {
        return DecisionResponse.of(routing.decision(id));
    }
}
