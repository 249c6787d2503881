package dev.oversight.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.EventFilter;
import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.StoredEvent;
import dev.oversight.audit.service.AuditLog;
import dev.oversight.audit.service.AuditQueries;
import dev.oversight.audit.service.EventQueries;
import dev.oversight.audit.service.CheckpointService;
import dev.oversight.audit.service.Receipts;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/trails")
@Produces(MediaType.APPLICATION_JSON)
public class TrailResource {

    static final int MAX_TRAIL = 1000;

    private final EventQueries events;
    private final AuditLog log;
    private final CheckpointService checkpoints;
    private final AuditQueries queries;
    private final ObjectMapper json;
    private final SecurityIdentity caller;
    private final Receipts receipts;

    public TrailResource(EventQueries events, AuditLog log, CheckpointService checkpoints, AuditQueries queries,
                         ObjectMapper json, SecurityIdentity caller, Receipts receipts) {
        this.receipts = receipts;
        this.caller = caller;
        this.events = events;
        this.log = log;
        this.checkpoints = checkpoints;
        this.queries = queries;
        this.json = json;
    }

    /** {@code checkpoint} is set when the proofs lead to its signed root; otherwise they lead to {@code rootHash}. */
    public record Trail(UUID decisionId, long treeSize, String rootHash, CheckpointView checkpoint,
                        List<EventView> items) {
    }

    @GET
    @Path("/{decisionId}")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Operation(summary = "Every event of one decision, in order, each with an inclusion proof")
    public Trail trail(@PathParam("decisionId") UUID decisionId) {
        queries.record(caller.getPrincipal().getName(), "GET /v1/trails/{decisionId}", Map.of("decisionId", decisionId.toString()));
        List<StoredEvent> trail = events.events(new EventFilter(null, null, null, null, decisionId, null, null), -1,
                false, MAX_TRAIL);
        if (trail.isEmpty()) {
            throw new Failure.NotFound("The log has no event of decision " + decisionId);
        }
        long last = trail.get(trail.size() - 1).index();
        Optional<StoredCheckpoint> cp = checkpoints.latest().filter(c -> c.treeSize() > last);
        long size = cp.map(StoredCheckpoint::treeSize).orElseGet(log::size);
        String root = HexFormat.of().formatHex(cp.map(StoredCheckpoint::rootHash).orElseGet(() -> log.root(size)));
        List<EventView> items = trail.stream().map(e -> EventView.of(e, json, true,
                new ProofView(e.index(), size, ProofView.hex(log.inclusionProof(e.index(), size)), root))).toList();
        return new Trail(decisionId, size, root, cp.map(CheckpointView::of).orElse(null), items);
    }

    /**
     * The receipt (C2SP tlog-proof) of one decision's first event of a type: what the router hands the app that owns
     * the decision, and what an auditor keeps.
     */
    @GET
    @Path("/{decisionId}/receipt")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN, Roles.SERVICE})
    @Produces("text/plain; charset=utf-8")
    @Operation(summary = "The receipt of a decision's event of one type (DECISION_MADE unless type says otherwise)")
    public Response receipt(@PathParam("decisionId") UUID decisionId,
                            @QueryParam("type") @DefaultValue("DECISION_MADE")
                            @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}", message = "must be an event type such as"
                                    + " DECISION_MADE") String type) {
        queries.record(caller.getPrincipal().getName(), "GET /v1/trails/{decisionId}/receipt",
                Map.of("decisionId", decisionId.toString(), "type", type));
        StoredEvent event = events.events(new EventFilter(type, null, null, null, decisionId, null, null), -1, false, 1)
                .stream().findFirst().orElseThrow(() -> new Failure.NotFound("The log has no " + type
                        + " event of decision " + decisionId));
        return Response.ok(receipts.of(event.index()).format()).header("Content-Disposition",
                "attachment; filename=\"" + decisionId + "-" + type + ".tlog-proof\"").build();
    }
}
