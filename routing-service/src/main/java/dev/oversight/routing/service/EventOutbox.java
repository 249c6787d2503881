package dev.oversight.routing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.id.Ids;
import dev.oversight.routing.repository.OutboxEntity;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Records an event for the audit trail in the caller's transaction, so the event exists exactly when the change
 * it describes does. Delivery to the audit service is the relay's job.
 */
@ApplicationScoped
public class EventOutbox {

    public static final String POLICY_CHANGED = "POLICY_CHANGED";
    public static final String MODE_CHANGED = "MODE_CHANGED";
    public static final String CALIBRATOR_ACTIVATED = "CALIBRATOR_ACTIVATED";

    private final ObjectMapper json;

    public EventOutbox(ObjectMapper json) {
        this.json = json;
    }

    /** Must run inside a transaction. */
    public void record(String type, String subjectId, String useCase, String actor, Map<String, Object> payload) {
        OutboxEntity e = new OutboxEntity();
        e.eventId = Ids.newId();
        e.type = type;
        e.subjectId = subjectId;
        e.useCase = useCase;
        e.actor = actor;
        String traceId = Span.current().getSpanContext().getTraceId();
        e.traceId = Span.current().getSpanContext().isValid() ? traceId : null;
        e.occurredAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            e.payload = json.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("An event payload always serializes", ex);
        }
        e.persist();
    }
}
