package dev.oversight.audit.rest;

import dev.oversight.audit.service.AuditLog;
import dev.oversight.common.failure.Failure;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.HexFormat;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Proofs are verification material: any authenticated caller may fetch them. */
@Path("/v1/proofs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class ProofResource {

    private final AuditLog log;

    public ProofResource(AuditLog log) {
        this.log = log;
    }

    @GET
    @Path("/inclusion")
    @Operation(summary = "RFC 6962 audit path of one event in the tree of a given size")
    public ProofView inclusion(@QueryParam("index") Long index, @QueryParam("treeSize") Long treeSize) {
        long size = within("treeSize", required("treeSize", treeSize), 1);
        long i = required("index", index);
        if (i < 0 || i >= size) {
            throw new Failure.Invalid("index", "must be in [0, treeSize): " + i + " is not below " + size);
        }
        AuditLog.ProofWithRoot p = log.inclusionProofWithRoot(i, size);
        return new ProofView(i, size, ProofView.hex(p.proof()), HexFormat.of().formatHex(p.root()));
    }

    @GET
    @Path("/consistency")
    @Operation(summary = "RFC 6962 proof that the tree of size first is a prefix of the tree of size second")
    public ConsistencyView consistency(@QueryParam("first") Long first, @QueryParam("second") Long second) {
        long s = within("second", required("second", second), 0);
        long f = required("first", first);
        if (f < 0 || f > s) {
            throw new Failure.Invalid("first", "must be between 0 and second (" + s + ")");
        }
        List<String> hashes = ProofView.hex(log.consistencyProof(f, s));
        return new ConsistencyView(f, s, hashes, HexFormat.of().formatHex(log.root(f)),
                HexFormat.of().formatHex(log.root(s)));
    }

    /** RFC 6962 consistency proof between two tree sizes, with both roots (hashes in lowercase hex). */
    public record ConsistencyView(long first, long second, List<String> hashes, String firstRootHash,
                                  String secondRootHash) {
    }

    private long within(String name, long treeSize, long min) {
        long size = log.sizeAtLeast(treeSize);
        if (treeSize < min || treeSize > size) {
            throw new Failure.Invalid(name, "must be between " + min + " and the log's size, " + size);
        }
        return treeSize;
    }

    private static long required(String name, Long value) {
        if (value == null) {
            throw new Failure.Invalid(name, "is required");
        }
        return value;
    }
}
