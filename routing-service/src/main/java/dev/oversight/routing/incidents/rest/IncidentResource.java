package dev.oversight.routing.incidents.rest;

import dev.oversight.common.http.Page;
import dev.oversight.common.security.Roles;
import dev.oversight.routing.config.rest.Callers;
import dev.oversight.routing.config.rest.Cursors;
import dev.oversight.routing.domain.incident.IncidentStatus;
import dev.oversight.routing.incidents.service.IncidentEvidence;
import dev.oversight.routing.incidents.service.IncidentService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
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
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Serious incidents (EU AI Act Art. 73): admins open them and record each report sent; admins and auditors read
 * them and take their evidence away as a ZIP that verifies offline.
 */
@Path("/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class IncidentResource {

    private final IncidentService incidents;
    private final IncidentEvidence evidence;
    private final SecurityIdentity caller;

    public IncidentResource(IncidentService incidents, IncidentEvidence evidence, SecurityIdentity caller) {
        this.incidents = incidents;
        this.evidence = evidence;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Open a serious incident: its first report is due 2, 10 or 15 days after awareAt by severity")
    public Response open(@Valid @NotNull(message = "a JSON body {useCase, severity, awareAt, decisionIds, summary}"
            + " is required") IncidentRequest request) {
        IncidentService.View v = incidents.open(new IncidentService.Opening(request.useCase(), request.severity(),
                request.awareAt().toInstant(), request.decisionIds(), request.summary().strip()),
                Callers.actor(caller));
        return Response.created(URI.create("/v1/incidents/" + v.incident().id())).entity(IncidentResponse.of(v))
                .build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "Incidents, newest first (status= filters)")
    public Page<IncidentResponse> list(@QueryParam("status")
                                       @Pattern(regexp = "OPEN|INITIAL_REPORT_SENT|FINAL_REPORT_SENT|CLOSED",
                                               message = "must be OPEN, INITIAL_REPORT_SENT, FINAL_REPORT_SENT or"
                                                       + " CLOSED") String status,
                                       @QueryParam("cursor") String cursor,
                                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        UUID before = Cursors.uuid(cursor);
        return Page.of(incidents.list(before, status == null ? null : IncidentStatus.valueOf(status), limit + 1),
                limit, i -> i.id().toString()).map(IncidentResponse::of);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "An incident with its decisions, steps and the time left for its first report")
    public IncidentResponse get(@PathParam("id") UUID id) {
        return IncidentResponse.of(incidents.view(id));
    }

    @POST
    @Path("/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Record a step forward: INITIAL_REPORT_SENT, FINAL_REPORT_SENT or CLOSED")
    public IncidentResponse step(@PathParam("id") UUID id,
                                 @Valid @NotNull(message = "a JSON body {status, note?} is required")
                                 IncidentRequest.StepRequest request) {
        return IncidentResponse.of(incidents.step(id, request.status(),
                request.note() == null || request.note().isBlank() ? null : request.note().strip(),
                Callers.actor(caller)));
    }

    @GET
    @Path("/{id}/evidence")
    @Produces("application/zip")
    @RolesAllowed({Roles.ADMIN, Roles.AUDITOR})
    @Operation(summary = "The incident's evidence as a ZIP: decisions, their audit receipts, policies, calibrators,"
            + " mode history, a witnessed checkpoint and a manifest; verify --evidence checks it offline")
    public Response evidence(@PathParam("id") UUID id) {
        IncidentEvidence.Prepared prepared = evidence.prepare(id);
        StreamingOutput body = prepared::write;
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + prepared.fileName() + "\"")
                .build();
    }
}
