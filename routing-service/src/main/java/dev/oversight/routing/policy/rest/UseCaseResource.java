package dev.oversight.routing.policy.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.policy.service.ModeService;
import dev.oversight.routing.policy.service.PolicyService;
import dev.oversight.routing.policy.service.PolicyVersion;
import dev.oversight.routing.policy.service.UseCaseService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/use-cases/{useCase}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UseCaseResource {

    public static final String USE_CASE = "[a-z0-9-]{1,64}";
    public static final String USE_CASE_MESSAGE = "must be 1-64 characters of a-z, 0-9 and '-'";
    private final PolicyService policies;
    private final ModeService modes;
    private final UseCaseService useCases;
    private final SecurityIdentity caller;

    public UseCaseResource(PolicyService policies, ModeService modes, UseCaseService useCases,
                           SecurityIdentity caller) {
        this.policies = policies;
        this.modes = modes;
        this.useCases = useCases;
        this.caller = caller;
    }

    @PUT
    @Path("/policy")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Make this policy the active version (creates the use case on its first policy)")
    public Response putPolicy(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
                              @Valid @NotNull(message = "a JSON policy body is required") PolicyRequest request) {
        PolicyVersion saved = policies.putPolicy(useCase, request.toPolicy(), Callers.actor(caller));
        int status = saved.pending() ? 202 : saved.created() && saved.version() == 1 ? 201 : 200;
        return Response.status(status).entity(PolicyResponse.of(saved)).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The use case: its mode, active policy and active calibrator")
    public UseCaseResponse get(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase) {
        return UseCaseResponse.of(useCases.useCase(useCase));
    }

    @GET
    @Path("/policies")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Policy history, newest first")
    public Page<PolicyResponse> history(
            @PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return policies.policies(useCase, versionCursor(cursor), limit).map(PolicyResponse::of);
    }

    @POST
    @Path("/policies/{version}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Four eyes: another admin than its author puts a pending (loosening) policy version in force")
    public PolicyResponse approve(
            @PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
            @PathParam("version") @Min(1) int version) {
        return PolicyResponse.of(policies.approve(useCase, version, Callers.actor(caller)));
    }

    @POST
    @Path("/mode")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "The human-in-command switch: AUTO, REVIEW_ALL or HALT, effective on the next request")
    public Response mode(@PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
                         @Valid @NotNull(message = "a JSON body {mode, reason} is required") ModeRequest request) {
        UseCaseResponse r = UseCaseResponse.of(modes.setMode(useCase, request.mode(), request.reason(),
                Callers.actor(caller)));
        // Under four eyes a loosening switch (out of HALT, or to AUTO) waits for a second admin: 202 with the change.
        boolean waiting = r.mode() != request.mode() && r.pendingModeChange() != null;
        return Response.status(waiting ? 202 : 200).entity(r).build();
    }

    @POST
    @Path("/mode-changes/{id}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Four eyes: another admin than the one who asked puts a pending (loosening) switch in effect")
    public UseCaseResponse approveModeChange(
            @PathParam("useCase") @Pattern(regexp = USE_CASE, message = USE_CASE_MESSAGE) String useCase,
            @PathParam("id") long id) {
        return UseCaseResponse.of(modes.approveModeChange(useCase, id, Callers.actor(caller)));
    }

    /** List cursors here are version numbers to continue below. */
    public static Integer versionCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            throw new Failure.Invalid("cursor", "is not a cursor this list returned");
        }
    }
}
