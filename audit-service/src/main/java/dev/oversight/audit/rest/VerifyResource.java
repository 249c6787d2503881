package dev.oversight.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.WitnessPolicy;
import dev.oversight.audit.service.AuditLog;
import dev.oversight.audit.service.AuditQueries;
import dev.oversight.audit.service.CheckpointService;
import dev.oversight.audit.service.EventQueries;
import dev.oversight.audit.service.VerificationService;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Verification and export: what an auditor needs to check the log, online or with the offline verifier. */
@Path("/v1")
public class VerifyResource {

    private final VerificationService verification;
    private final AuditLog log;
    private final EventQueries events;
    private final AuditQueries queries;
    private final ObjectMapper json;
    private final SecurityIdentity caller;
    private final CheckpointService checkpoints;

    public VerifyResource(VerificationService verification, AuditLog log, EventQueries events,
                          AuditQueries queries, ObjectMapper json, SecurityIdentity caller,
                          CheckpointService checkpoints) {
        this.caller = caller;
        this.checkpoints = checkpoints;
        this.verification = verification;
        this.log = log;
        this.events = events;
        this.queries = queries;
        this.json = json;
    }

    @POST
    @Path("/verify")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Recompute leaves and roots from storage; names the first index that does not match. From the"
            + " last verified checkpoint on, unless full=true (every event) or a from/to range is given")
    public VerificationService.Result verify(@QueryParam("from") Long from, @QueryParam("to") Long to,
                                             @QueryParam("full") @DefaultValue("false") boolean full,
                                             @QueryParam("witness") List<String> witnessVkeys,
                                             @QueryParam("witnessesRequired") Integer witnessesRequired) {
        WitnessPolicy policy = policy(witnessVkeys, witnessesRequired);
        long[] range = range(from, to);
        String actor = caller.getPrincipal().getName();
        VerificationService.Result result;
        if (from != null || to != null) {
            queries.record(actor, "POST /v1/verify", Map.of("from", range[0], "to", range[1]));
            result = verification.verify(range[0], range[1]);
        } else {
            queries.record(actor, "POST /v1/verify", Map.of("to", range[1], "full", full));
            result = verification.verify(range[1], full, actor);
        }
        return policy == null ? result : witnessed(result, policy);
    }

    /**
     * Under a witness policy the checkpoint this pass verified (the newest one at most as large as the tree it checked)
     * must carry enough valid cosignatures of the given witnesses; a log rewritten and re-signed by its operator has
     * none, however well its own signatures check out. A newer checkpoint that happens to be cosigned says nothing
     * about the tree this pass checked.
     */
    private VerificationService.Result witnessed(VerificationService.Result r, WitnessPolicy policy) {
        var verified = checkpoints.latestUpTo(r.checkedUpTo());
        int cosigners = verified.flatMap(checkpoints::note).map(policy::cosigners).orElse(0);
        if (cosigners >= policy.required()) {
            return r;
        }
        String detail = "the verified checkpoint" + verified.map(c -> " (tree size " + c.treeSize() + ")").orElse("")
                + " is not witnessed: " + cosigners + " of the " + policy.required()
                + " required witness cosignatures are present";
        return new VerificationService.Result(false, r.mode(), r.checkedFrom(), r.checkedUpTo(), r.firstMismatch(),
                r.detail() == null ? detail : r.detail() + "; " + detail, r.checkpointsVerified());
    }

    private static WitnessPolicy policy(List<String> vkeys, Integer required) {
        if (vkeys == null || vkeys.isEmpty()) {
            if (required != null) {
                throw new Failure.Invalid("witnessesRequired", "give the witnesses' vkeys in witness=");
            }
            return null;
        }
        try {
            List<NoteKey> keys = vkeys.stream().map(NoteKey::parse).toList();
            return new WitnessPolicy(keys, required == null ? keys.size() : required);
        } catch (IllegalArgumentException e) {
            throw new Failure.Invalid("witness", e.getMessage());
        }
    }

    @GET
    @Path("/export")
    @RolesAllowed({Roles.AUDITOR, Roles.ADMIN})
    @Produces("application/x-ndjson")
    @Operation(summary = "Events [from, to) as NDJSON, each with its canonical JSON and leaf hash")
    public StreamingOutput export(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        long[] range = range(from, to);
        queries.record(caller.getPrincipal().getName(), "GET /v1/export", Map.of("from", range[0], "to", range[1]));
        return out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            events.scan(range[0], range[1], row -> {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("index", row.index());
                line.put("eventId", row.event().eventId());
                line.put("type", row.event().type());
                line.put("canonical", row.canonical());
                // The leaf the tree committed to at this index: a row moved to another index no longer matches it.
                line.put("leafHash", HexFormat.of().formatHex(
                        row.storedLeafNode() != null ? row.storedLeafNode() : row.leafHash()));
                try {
                    w.write(json.writeValueAsString(line));
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            w.flush();
        };
    }

    private long[] range(Long from, Long to) {
        long size = log.size();
        long f = from == null ? 0 : from;
        long t = to == null ? size : to;
        if (f < 0 || t > size || f > t) {
            throw new Failure.Invalid("from", "need 0 ≤ from ≤ to ≤ " + size + " (the log's size)");
        }
        return new long[] {f, t};
    }
}
