package dev.oversight.audit.rest;

import dev.oversight.common.http.Page;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.EventFilter;
import dev.oversight.audit.domain.NewEvent;
import dev.oversight.audit.service.AuditLog;
import dev.oversight.audit.service.AuditQueries;
import dev.oversight.audit.service.CanonicalEvents;
import dev.oversight.audit.service.EventQueries;
import dev.oversight.audit.service.Receipts;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Producers;
import dev.oversight.common.security.Roles;
import dev.oversight.audit.service.AuditConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final AuditLog log;
    private final CanonicalEvents canonical;
    private final EventQueries events;
    private final AuditQueries queries;
    private final ObjectMapper json;
    private final SecurityIdentity caller;
    private final AuditConfig config;
    private final Receipts receipts;

    public EventResource(AuditLog log, CanonicalEvents canonical, EventQueries events, AuditQueries queries,
                         ObjectMapper json, SecurityIdentity caller, AuditConfig config, Receipts receipts) {
        this.receipts = receipts;
        this.caller = caller;
        this.config = config;
        this.log = log;
        this.canonical = canonical;
        this.events = events;
        this.queries = queries;
        this.json = json;
    }

    public record Appended(List<AuditLog.Appended> items) {
    }

    @POST
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Append events (idempotent on eventId); answered once they are durably in the log")
    public CompletionStage<Appended> append(
            @NotNull(message = "a JSON array of events is required")
            @Size(min = 1, max = 1000, message = "must hold 1 to 1000 events") List<@NotNull @Valid EventRequest> events) {
        Producers.require(caller, config.eventProducers(), "audit events", "audit.event-producers");
        List<NewEvent> prepared = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            EventRequest e = events.get(i);
            prepared.add(canonical.prepare("[" + i + "]", e.eventId(), e.type(), e.occurredAt(), e.actor(),
                    e.subjectId(), e.useCase(), e.traceId(), e.payload()));
        }
        return log.append(prepared).thenApply(Appended::new);
    }

    @GET
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "Events in log order (order=desc: newest first), filtered; each query is itself recorded as"
            + " an AUDIT_QUERY event")
    public Page<EventView> list(@QueryParam("type") String type, @QueryParam("subjectId") String subjectId,
                                 @QueryParam("actor") String actor, @QueryParam("useCase") String useCase,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("cursor") String cursor,
                                 @QueryParam("order") @DefaultValue("asc")
                                 @jakarta.validation.constraints.Pattern(regexp = "asc|desc",
                                         message = "must be asc (log order) or desc (newest first)") String order,
                                 @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        EventFilter filter = new EventFilter(type, subjectId, actor, useCase, null, time("from", from), time("to", to));
        Map<String, Object> asked = new LinkedHashMap<>();
        put(asked, "type", type);
        put(asked, "subjectId", subjectId);
        put(asked, "actor", actor);
        put(asked, "useCase", useCase);
        put(asked, "from", from);
        put(asked, "to", to);
        put(asked, "cursor", cursor);
        boolean newestFirst = order.equals("desc");
        if (newestFirst) {
            put(asked, "order", order);
        }
        queries.record(caller.getPrincipal().getName(), "GET /v1/events", asked);
        return Page.of(events.events(filter, Cursors.number(cursor, newestFirst ? Long.MAX_VALUE : -1), newestFirst,
                        limit + 1), limit,
                e -> String.valueOf(e.index())).map(e -> EventView.of(e, json, false, null));
    }

    @GET
    @Path("/{index}")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "One event with its canonical JSON and leaf hash")
    public EventView get(@PathParam("index") long index) {
        queries.record(caller.getPrincipal().getName(), "GET /v1/events/{index}", Map.of("index", index));
        return events.event(index).map(e -> EventView.of(e, json, true, null))
                .orElseThrow(() -> new Failure.NotFound("The log has no event at index " + index));
    }

    @GET
    @Path("/{index}/receipt")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Produces("text/plain; charset=utf-8")
    @Operation(summary = "The event's receipt: a C2SP tlog-proof (its canonical text, index, inclusion proof and the"
            + " signed, cosigned checkpoint) to keep and verify offline")
    public Response receipt(@PathParam("index") long index) {
        queries.record(caller.getPrincipal().getName(), "GET /v1/events/{index}/receipt", Map.of("index", index));
        return Response.ok(receipts.of(index).format())
                .header("Content-Disposition", "attachment; filename=\"event-" + index + ".tlog-proof\"").build();
    }

    static OffsetDateTime time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new Failure.Invalid(name, "must be an ISO-8601 timestamp with offset, e.g. 2026-11-23T00:00:00Z");
        }
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }
}
