package dev.oversight.routing.oversight.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.domain.oversight.OversightReport;
import dev.oversight.routing.oversight.service.OversightService;
import dev.oversight.routing.policy.rest.UseCaseResource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/use-cases/{useCase}/oversight")
@Produces(MediaType.APPLICATION_JSON)
public class OversightResource {

    private final OversightService oversight;

    public OversightResource(OversightService oversight) {
        this.oversight = oversight;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Whether oversight works: intervention, override and escalation figures, under-escalation"
            + " estimated from audit samples, review latency and SLA breaches, reviewer load, calibration health")
    public OversightReport oversight(
            @PathParam("useCase") @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE)
            String useCase,
            @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("modelVersion") @Size(max = 128) String modelVersion) {
        Instant end = to == null || to.isBlank() ? Instant.now() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(Duration.ofDays(7)) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new Failure.Invalid("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(Duration.ofDays(366)) > 0) {
            throw new Failure.Invalid("from", "the window may span at most 366 days");
        }
        return oversight.report(useCase, modelVersion == null || modelVersion.isBlank() ? null : modelVersion, start,
                end);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Failure.Invalid(field, "must be an ISO-8601 instant such as 2026-11-25T00:00:00Z");
        }
    }
}
