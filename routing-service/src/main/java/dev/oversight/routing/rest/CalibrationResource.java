package dev.oversight.routing.rest;

import dev.oversight.common.http.Page;
import dev.oversight.routing.service.CalibrationService;
import dev.oversight.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import dev.oversight.routing.service.CalibrationService.CalibrationVersion;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/use-cases/{useCase}/calibrations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CalibrationResource {

    private final CalibrationService calibrations;
    private final SecurityIdentity caller;

    public CalibrationResource(CalibrationService calibrations, SecurityIdentity caller) {
        this.calibrations = calibrations;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Fit a calibrator from stored labels; the report is measured on labels the fit did not see")
    public Response fit(@PathParam("useCase") String useCase,
                        @Valid @NotNull(message = "a JSON body {method, ...} is required") CalibrationRequest request) {
        CalibrationVersion v = calibrations.fit(useCase, request.toFitRequest(), caller.getPrincipal().getName());
        return Response.status(201).entity(body(v)).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Calibrator versions, newest first")
    public Page<Map<String, Object>> list(@PathParam("useCase") String useCase,
                                                 @QueryParam("cursor") String cursor,
                                                 @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return calibrations.list(useCase, UseCaseResource.versionCursor(cursor), limit).map(CalibrationResource::body);
    }

    @GET
    @Path("/{version}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "One calibrator version and its report")
    public Map<String, Object> get(@PathParam("useCase") String useCase, @PathParam("version") int version) {
        return body(calibrations.get(useCase, version));
    }

    @POST
    @Path("/{version}/activate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Route with this calibrator from the next request on")
    public Map<String, Object> activate(@PathParam("useCase") String useCase, @PathParam("version") int version) {
        return body(calibrations.activate(useCase, version, caller.getPrincipal().getName()));
    }

    private static Map<String, Object> body(CalibrationVersion v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("useCase", v.useCase());
        m.putAll(v.report());
        m.put("version", v.version());
        m.put("method", v.method());
        m.put("active", v.active());
        m.put("createdAt", v.createdAt());
        m.put("activatedAt", v.activatedAt());
        return m;
    }
}
