package dev.oversight.audit.domain;

import java.time.OffsetDateTime;

/**
 * A signed checkpoint as stored: {@code signature} over {@link Checkpoint#signedText()}, and {@code noteSignature}, the
 * Ed25519 signature of its C2SP note text made at the same time (null for checkpoints signed before notes were stored).
 */
public record StoredCheckpoint(long treeSize, byte[] rootHash, OffsetDateTime createdAt, String keyId,
                               byte[] signature, byte[] noteSignature) {

    public StoredCheckpoint(long treeSize, byte[] rootHash, OffsetDateTime createdAt, String keyId, byte[] signature) {
        this(treeSize, rootHash, createdAt, keyId, signature, null);
    }
}
