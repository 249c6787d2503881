package dev.oversight.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.audit.domain.NewEvent;
import dev.oversight.audit.domain.Tiles;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Turns an accepted event into the exact bytes the log commits to: the RFC 8785 (JCS) form of
 * {eventId, type, occurredAt, actor, subjectId, useCase?, traceId?, payload}, with occurredAt in UTC at
 * microsecond precision (what PostgreSQL stores), so the canonical text and the columns always agree.
 */
@ApplicationScoped
public class CanonicalEvents {

    /** The largest canonical event, in bytes: one entry of the log's C2SP tlog-tiles entry bundles. */
    public static final int MAX_CANONICAL_BYTES = Tiles.MAX_ENTRY_BYTES;
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;

    public CanonicalEvents(ObjectMapper json) {
        this.json = json;
    }

    public NewEvent prepare(String at, UUID eventId, String type, OffsetDateTime occurredAt, String actor,
                            String subjectId, String useCase, String traceId, ObjectNode payload) {
        OffsetDateTime utc = occurredAt.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        ObjectNode doc = json.createObjectNode();
        doc.put("eventId", eventId.toString());
        doc.put("type", type);
        doc.put("occurredAt", TIMESTAMP.format(utc));
        doc.put("actor", actor);
        doc.put("subjectId", subjectId);
        if (useCase != null) {
            doc.put("useCase", useCase);
        }
        if (traceId != null) {
            doc.put("traceId", traceId);
        }
        doc.set("payload", payload);
        String canonical;
        try {
            canonical = CanonicalJson.of(doc);
        } catch (RuntimeException e) {
            throw new Failure.Invalid(at + ".payload", "cannot be put in canonical form: " + e.getMessage());
        }
        if (canonical.length() * 3L > MAX_CANONICAL_BYTES
                && canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CANONICAL_BYTES) {
            throw new Failure.TooLarge(at + ": the event is larger than " + MAX_CANONICAL_BYTES
                    + " bytes in canonical form (one entry of the log's tiles); store large content elsewhere and log"
                    + " its hash");
        }
        return new NewEvent(eventId, type, utc, actor, subjectId, useCase, traceId, decisionId(type, subjectId, payload),
                canonical);
    }

    /** The decision an event belongs to: its payload's decisionId, or the subject of a DECISION_MADE. */
    private static UUID decisionId(String type, String subjectId, ObjectNode payload) {
        JsonNode d = payload.get("decisionId");
        String candidate = d != null && d.isTextual() ? d.textValue() : "DECISION_MADE".equals(type) ? subjectId : null;
        if (candidate == null) {
            return null;
        }
        try {
            return UUID.fromString(candidate);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
