package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.Map;

/** One event of the audit trail as the search lists it; {@code payload} is the event's own fields. */
@TemplateData
public record AuditEvent(long index, String type, String occurredAt, String actor, String subjectId, String useCase,
                         Map<String, Object> payload) {
}
