package dev.oversight.audit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.domain.StoredCheckpoint;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed checkpoint: the signature is Ed25519 over the text form documented in the README, base64-encoded;
 * {@code note} is the same checkpoint as a C2SP signed note (tlog-checkpoint), when the current key signed it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointView(long treeSize, String rootHash, String timestamp, String keyId, String signature,
                             String note) {

    static CheckpointView of(StoredCheckpoint c) {
        return of(c, null);
    }

    static CheckpointView of(StoredCheckpoint c, String note) {
        return new CheckpointView(c.treeSize(), HexFormat.of().formatHex(c.rootHash()),
                Checkpoint.TIMESTAMP.format(c.createdAt()), c.keyId(), Base64.getEncoder().encodeToString(c.signature()),
                note);
    }
}
