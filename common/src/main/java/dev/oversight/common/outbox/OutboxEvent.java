package dev.oversight.common.outbox;

import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.tracing.Traces;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One message for one receiver, written in the transaction of the change it describes. {@code payload} is JSON
 * text; {@code targetUrl} overrides the destination's URL (an app's callback); {@code traceparent} is the W3C
 * context the change ran in, so the receiver's work joins the same trace.
 */
public record OutboxEvent(UUID eventId, String destination, String type, String subjectId, String useCase,
                          String actor, String traceparent, String targetUrl, Instant occurredAt, String payload) {

    /** The audit service's destination name. */
    public static final String AUDIT = "audit";

    /**
     * The largest payload an audit event may carry, in UTF-8 bytes: with its envelope (ids, type, actor, subject,
     * times) it stays below the 65,535 bytes of one C2SP tlog-tiles entry, the most the audit log takes.
     */
    public static final int MAX_AUDIT_PAYLOAD_BYTES = 60_000;

    /**
     * Refuses, in the transaction of the change it describes, an audit event the log would refuse: the change fails
     * with 413 instead of committing an event that could never be delivered.
     */
    public void requireFitsTheLog() {
        if (AUDIT.equals(destination) && payload != null && payload.length() * 3L > MAX_AUDIT_PAYLOAD_BYTES) {
            int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_AUDIT_PAYLOAD_BYTES) {
                throw new Failure.TooLarge("This change's audit event " + type + " would carry " + bytes
                        + " bytes; an audit event carries at most " + MAX_AUDIT_PAYLOAD_BYTES + " (one entry of the"
                        + " log's tiles). Make the change smaller.");
            }
        }
    }

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
