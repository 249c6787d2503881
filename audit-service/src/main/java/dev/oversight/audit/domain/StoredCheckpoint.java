package dev.oversight.audit.domain;

import java.time.OffsetDateTime;

public record StoredCheckpoint(long treeSize, byte[] rootHash, OffsetDateTime createdAt, String keyId,
                               byte[] signature) {
}
