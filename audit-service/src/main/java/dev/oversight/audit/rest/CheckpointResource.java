package dev.oversight.audit.rest;

import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.common.http.Page;
import dev.oversight.audit.service.CheckpointService;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.security.Roles;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/checkpoints")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

    private final CheckpointService checkpoints;

    public CheckpointResource(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @GET
    @Path("/latest")
    @Authenticated
    @Operation(summary = "The newest signed checkpoint")
    public CheckpointView latest() {
        return checkpoints.latest().map(this::view)
                .orElseThrow(() -> new Failure.NotFound("No checkpoint has been signed yet; POST /v1/checkpoints"));
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.SERVICE})
    @Operation(summary = "Sign a checkpoint of the current log now (or return the latest if the log has not grown)")
    public CheckpointView create() {
        return view(checkpoints.checkpoint());
    }

    @GET
    @Authenticated
    @Operation(summary = "Every signed checkpoint, newest first")
    public Page<CheckpointView> list(@QueryParam("cursor") String cursor,
                                      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
        Page<StoredCheckpoint> page = Page.of(checkpoints.list(Cursors.number(cursor, Long.MAX_VALUE), limit + 1), limit,
                c -> String.valueOf(c.treeSize()));
        Map<Long, SignedNote> notes = checkpoints.notes(page.items());
        return page.map(c -> CheckpointView.of(c, notes.containsKey(c.treeSize())
                ? notes.get(c.treeSize()).format() : null));
    }

    @GET
    @Path("/public-key")
    @Authenticated
    @Operation(summary = "The Ed25519 key checkpoints are signed with; with keyId, a trusted earlier key")
    public PublicKeyView publicKey(@QueryParam("keyId") String keyId) {
        String id = keyId == null ? checkpoints.keyId() : keyId;
        byte[] der = checkpoints.trustedKey(id)
                .orElseThrow(() -> new Failure.NotFound("No trusted checkpoint key with id " + id)).getEncoded();
        return new PublicKeyView(id, "Ed25519", Base64.getEncoder().encodeToString(der),
                CheckpointService.pem("PUBLIC KEY", der),
                NoteKey.of(checkpoints.origin(), NoteKey.ED25519, checkpoints.trustedKey(id).orElseThrow()).vkey());
    }

    private CheckpointView view(StoredCheckpoint c) {
        return CheckpointView.of(c, checkpoints.note(c).map(SignedNote::format).orElse(null));
    }

    /**
     * A checkpoint verification key: its id, algorithm, base64 X.509 encoding and PEM form, and the same key as a
     * C2SP note verifier key ({@code origin+keyid+base64(0x01||key)}) for the checkpoints' signed-note form.
     */
    public record PublicKeyView(String keyId, String algorithm, String publicKey, String pem, String vkey) {
    }
}
