package dev.oversight.review.domain;

import java.time.Instant;
import java.util.UUID;

/** An active claim: the fencing token and when it lapses. */
public record Lease(UUID taskId, String reviewer, long leaseToken, Instant claimedAt, Instant leaseExpiresAt) {
}
