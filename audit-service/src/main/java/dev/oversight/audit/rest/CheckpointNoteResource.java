package dev.oversight.audit.rest;

import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.audit.service.CheckpointService;
import dev.oversight.common.failure.Failure;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The newest checkpoint at the path transparency logs use, as a C2SP signed note (tlog-checkpoint): origin, tree
 * size and base64 root hash, signed with the log's Ed25519 note key. Open to anyone, like any transparency log's:
 * it holds no event, only the tree's size and root, and standard tools and monitors read it.
 */
@Path("/checkpoint")
public class CheckpointNoteResource {

    private final CheckpointService checkpoints;

    public CheckpointNoteResource(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @GET
    @PermitAll
    @Produces("text/plain; charset=utf-8")
    @Operation(summary = "The newest checkpoint as a C2SP signed note")
    public String checkpoint() {
        return checkpoints.latest().flatMap(checkpoints::note).map(SignedNote::format).orElseThrow(() ->
                new Failure.NotFound("No checkpoint has been signed with the current key yet"));
    }
}
