package dev.oversight.routing.config.rest;

import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.service.WebhookSecrets;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Per-app settings: the secret the app's callbacks are signed with. */
@Path("/v1/apps/{app}")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {

    private final WebhookSecrets secrets;
    private final SecurityIdentity caller;

    public AppResource(WebhookSecrets secrets, SecurityIdentity caller) {
        this.secrets = secrets;
        this.caller = caller;
    }

    @POST
    @Path("/webhook-secret")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create or rotate the app's Standard Webhooks secret; shown once. During the grace period"
            + " callbacks carry signatures under the old and the new secret")
    public Response rotate(@PathParam("app") @Pattern(regexp = "[^\\p{Cntrl}]{1,256}",
            message = "must be 1-256 characters without control characters") String app) {
        WebhookSecrets.Created created = secrets.rotate(app, caller.getPrincipal().getName());
        return Response.status(201).header("Cache-Control", "no-store").entity(created).build();
    }
}
