package dev.oversight.audit.rest;

import dev.oversight.audit.service.AuditQueries;
import dev.oversight.audit.service.EventQueries;
import dev.oversight.audit.service.Receipts;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * An event's receipt by the id its producer gave it: how a service hands out the receipt of an event it wrote (a
 * report's REPORT_ISSUED) without knowing where the log put it.
 */
@Path("/v1/receipts")
public class ReceiptResource {

    private final EventQueries events;
    private final Receipts receipts;
    private final AuditQueries queries;
    private final SecurityIdentity caller;

    public ReceiptResource(EventQueries events, Receipts receipts, AuditQueries queries, SecurityIdentity caller) {
        this.events = events;
        this.receipts = receipts;
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    @Path("/{eventId}")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN, Roles.SERVICE})
    @Produces("text/plain; charset=utf-8")
    @Operation(summary = "The receipt (C2SP tlog-proof) of the event with this eventId")
    public Response receipt(@PathParam("eventId") UUID eventId) {
        queries.record(caller.getPrincipal().getName(), "GET /v1/receipts/{eventId}",
                Map.of("eventId", eventId.toString()));
        long index = events.indexOf(eventId).orElseThrow(() -> new Failure.NotFound("The log has no event "
                + eventId));
        return Response.ok(receipts.of(index).format()).header("Content-Disposition",
                "attachment; filename=\"" + eventId + ".tlog-proof\"").build();
    }
}
