package dev.oversight.routing.calibration.rest;

import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.calibration.service.Activation;
import dev.oversight.routing.calibration.service.CalibrationService;
import dev.oversight.routing.calibration.service.CalibratorActivation;
import dev.oversight.routing.calibration.service.CalibratorVersions;
import dev.oversight.routing.calibration.service.CalibrationView;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.policy.rest.UseCaseResource;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/use-cases/{useCase}/calibrations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CalibrationResource {

    private final CalibrationService calibrations;
    private final CalibratorVersions versions;
    private final CalibratorActivation activation;
    private final SecurityIdentity caller;

    public CalibrationResource(CalibrationService calibrations, CalibratorVersions versions,
                               CalibratorActivation activation, SecurityIdentity caller) {
        this.calibrations = calibrations;
        this.versions = versions;
        this.activation = activation;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Fit a calibrator from stored labels; the report is measured on labels the fit did not see")
    public Response fit(@PathParam("useCase") String useCase,
                        @Valid @NotNull(message = "a JSON body {method, ...} is required") CalibrationRequest request) {
        Activation a = calibrations.fit(useCase, request.toFitRequest(), Callers.actor(caller));
        // Stored (201); with activate under four eyes, an activation that loosens oversight waits (202).
        return Response.status(a.version().pending() ? 202 : 201).entity(CalibrationView.of(a.version())).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Calibrator versions, newest first")
    public Page<CalibrationView> list(@PathParam("useCase") String useCase,
                                                 @QueryParam("cursor") String cursor,
                                                 @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return versions.list(useCase, UseCaseResource.versionCursor(cursor), limit).map(CalibrationView::of);
    }

    @GET
    @Path("/{version}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "One calibrator version and its report")
    public CalibrationView get(@PathParam("useCase") String useCase, @PathParam("version") int version) {
        return CalibrationView.of(versions.get(useCase, version));
    }

    @POST
    @Path("/{version}/activate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Route with this calibrator from the next request on; under four eyes an activation that"
            + " loosens oversight waits for another admin (202, with what it loosens)")
    public Response activate(@PathParam("useCase") String useCase, @PathParam("version") int version) {
        Activation a = activation.activate(useCase, version, Callers.actor(caller));
        return Response.status(a.version().pending() ? 202 : 200).entity(CalibrationView.of(a.version())).build();
    }

    @POST
    @Path("/{version}/approve")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Four eyes: another admin than the one who asked puts a pending (loosening) activation in force")
    public CalibrationView approve(@PathParam("useCase") String useCase, @PathParam("version") int version) {
        return CalibrationView.of(activation.approve(useCase, version, Callers.actor(caller)));
    }
}
