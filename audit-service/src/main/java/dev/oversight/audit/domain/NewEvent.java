package dev.oversight.audit.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An event ready to append: validated, with its canonical JSON. */
public record NewEvent(UUID eventId, String type, OffsetDateTime occurredAt, String actor, String subjectId,
                       String useCase, String traceId, UUID decisionId, String canonical) {
}
