package dev.oversight.audit.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

/** Filters of the event list; null means "any". */
public record EventFilter(String type, String subjectId, String actor, String useCase, UUID decisionId,
                          OffsetDateTime from, OffsetDateTime to) {
}
