package dev.oversight.routing.policy.rest;

import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.policy.service.UseCaseService;
import dev.oversight.routing.policy.service.UseCaseSummary;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/use-cases")
@Produces(MediaType.APPLICATION_JSON)
public class UseCaseListResource {

    private final UseCaseService useCases;

    public UseCaseListResource(UseCaseService useCases) {
        this.useCases = useCases;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Every use case by name, with its mode and the policy and calibrator versions in force")
    public Page<UseCaseSummary> list(@QueryParam("cursor") @Size(max = 64) String cursor,
                                     @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        return useCases.useCases(cursor, limit);
    }
}
