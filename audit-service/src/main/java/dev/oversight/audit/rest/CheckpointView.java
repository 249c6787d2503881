package dev.oversight.audit.rest;

import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.domain.StoredCheckpoint;
import java.util.Base64;
import java.util.HexFormat;

/** A signed checkpoint: the signature is Ed25519 over the text form documented in the README, base64-encoded. */
public record CheckpointView(long treeSize, String rootHash, String timestamp, String keyId, String signature) {

    static CheckpointView of(StoredCheckpoint c) {
        return new CheckpointView(c.treeSize(), HexFormat.of().formatHex(c.rootHash()),
                Checkpoint.TIMESTAMP.format(c.createdAt()), c.keyId(), Base64.getEncoder().encodeToString(c.signature()));
    }
}
