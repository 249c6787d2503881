package dev.oversight.routing.rest;

import dev.oversight.routing.service.RoutingService;
import dev.oversight.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
    private final SecurityIdentity caller;

    public DecisionResource(RoutingService routing, SecurityIdentity caller) {
        this.routing = routing;
        this.caller = caller;
    }

    /** Apps read the decisions they created; admins and auditors read any. */
    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.APP, Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "A decision with its output, status and final outcome")
    public DecisionResponse get(@PathParam("id") UUID id) {
        boolean readsAll = caller.hasRole(Roles.ADMIN) || caller.hasRole(Roles.AUDITOR);
        return DecisionResponse.of(routing.decision(id, caller.getPrincipal().getName(), readsAll));
    }
}
