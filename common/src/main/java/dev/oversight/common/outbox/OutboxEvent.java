package dev.oversight.common.outbox;

import dev.oversight.common.id.Ids;
import dev.oversight.common.tracing.Traces;
import java.time.Instant;
import java.util.UUID;

/**
 * One message for one receiver, written in the transaction of the change it describes. {@code payload} is JSON
 * text; {@code targetUrl} overrides the destination's URL (an app's callback); {@code traceparent} is the W3C
 * context the change ran in, so the receiver's work joins the same trace.
 */
public record OutboxEvent(UUID eventId, String destination, String type, String subjectId, String useCase,
                          String actor, String traceparent, String targetUrl, Instant occurredAt, String payload) {

    /** An event of the current trace, now, with a new id. */
    public static OutboxEvent of(String destination, String type, String subjectId, String useCase, String actor,
                                 String payload) {
        return new OutboxEvent(Ids.newId(), destination, type, subjectId, useCase, actor, Traces.currentTraceparent(),
                null, Instant.now(), payload);
    }

    /** The same event for another receiver (same id, so each receiver de-duplicates it on its own). */
    public OutboxEvent to(String otherDestination, String otherPayload) {
        return new OutboxEvent(eventId, otherDestination, type, subjectId, useCase, actor, traceparent, targetUrl,
                occurredAt, otherPayload);
    }

    public OutboxEvent withTrace(String context) {
        return new OutboxEvent(eventId, destination, type, subjectId, useCase, actor, context, targetUrl, occurredAt,
                payload);
    }

    public OutboxEvent withTargetUrl(String url) {
        return new OutboxEvent(eventId, destination, type, subjectId, useCase, actor, traceparent, url, occurredAt,
                payload);
    }
}
