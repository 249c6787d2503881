package dev.oversight.review.rest;

import static dev.oversight.review.rest.GuidelineResource.USE_CASE;
import static dev.oversight.review.rest.GuidelineResource.USE_CASE_MESSAGE;

import dev.oversight.common.security.Roles;
import dev.oversight.review.service.Owners;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Who owns a use case's review work: told by mail when one of its tasks reaches an SLA step. */
@Path("/v1/use-cases/{useCase}/owners")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class OwnerResource {

    public record OwnersBody(@NotNull @Size(max = 20) List<@NotBlank @Email @Size(max = 320) String> emails) {
    }

    private final Owners owners;
    private final SecurityIdentity caller;

    public OwnerResource(Owners owners, SecurityIdentity caller) {
        this.owners = owners;
        this.caller = caller;
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set who is told when a task of the use case reaches an SLA step")
    public OwnersBody put(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
                          @Valid @NotNull(message = "a JSON body {emails} is required") OwnersBody body) {
        return new OwnersBody(owners.save(useCase, body.emails(), caller.getPrincipal().getName()));
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Who is told when a task of the use case reaches an SLA step")
    public OwnersBody get(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase) {
        return new OwnersBody(owners.of(useCase));
    }
}
