package dev.oversight.routing.erasure.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.domain.erasure.RetentionPeriods;
import dev.oversight.routing.erasure.service.RetentionService;
import dev.oversight.routing.policy.rest.UseCaseResource;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import java.time.Period;

/** How long a use case keeps its decisions' outputs, inputs and people's words (ISO-8601 periods). */
@Path("/v1/use-cases/{useCase}/retention")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class RetentionResource {

    /** The periods to set; {@code reason} is required when one is shorter than the legal minimum. */
    public record RetentionRequest(@NotNull(message = "is required: an ISO-8601 period such as P180D") String outputs,
                                   @NotNull(message = "is required: an ISO-8601 period such as P180D") String inputs,
                                   @NotNull(message = "is required: an ISO-8601 period such as P180D") String peopleText,
                                   @Size(max = 2000) String reason) {
    }

    /** The periods in force ({@code setBy} null: the defaults) and the legal minimum below which a reason is due. */
    public record RetentionView(String useCase, String outputs, String inputs, String peopleText, String legalMinimum,
                                String reason, String setBy, Instant setAt) {
        static RetentionView of(RetentionService.Setting s) {
            return new RetentionView(s.useCase(), s.periods().outputs().toString(), s.periods().inputs().toString(),
                    s.periods().peopleText().toString(), s.minimum().toString(), s.reason(), s.setBy(), s.setAt());
        }
    }

    private final RetentionService retention;
    private final SecurityIdentity caller;

    public RetentionResource(RetentionService retention, SecurityIdentity caller) {
        this.retention = retention;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The use case's retention periods (180 days each unless set)")
    public RetentionView get(@PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE,
            message = UseCaseResource.USE_CASE_MESSAGE) String useCase) {
        return RetentionView.of(retention.setting(useCase));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Set the use case's retention periods; one shorter than the legal minimum needs a reason")
    public RetentionView put(@PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE,
                                     message = UseCaseResource.USE_CASE_MESSAGE) String useCase,
                             @Valid @NotNull(message = "a JSON body {outputs, inputs, peopleText, reason?} is required")
                             RetentionRequest request) {
        RetentionPeriods periods = new RetentionPeriods(period("outputs", request.outputs()),
                period("inputs", request.inputs()), period("peopleText", request.peopleText()));
        return RetentionView.of(retention.set(useCase, periods, request.reason(), Callers.actor(caller)));
    }

    private static Period period(String field, String text) {
        try {
            return RetentionPeriods.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Failure.Invalid(field, e.getMessage());
        }
    }
}
