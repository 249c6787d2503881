package dev.oversight.audit.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One row of the log. */
public record StoredEvent(long index, UUID eventId, String type, OffsetDateTime occurredAt, String actor,
                          String subjectId, String useCase, String traceId, String canonical, byte[] leafHash) {
}
