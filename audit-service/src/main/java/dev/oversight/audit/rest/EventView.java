package dev.oversight.audit.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.audit.domain.StoredEvent;
import dev.oversight.audit.service.CanonicalEvents;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.UUID;

/** An event as auditors see it: its fields, payload, leaf hash and (when asked) its canonical text. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventView(long index, UUID eventId, String type, String occurredAt, String actor, String subjectId,
                        String useCase, String traceId, JsonNode payload, String leafHash, String canonical,
                        ProofView inclusionProof) {

    static EventView of(StoredEvent e, ObjectMapper json, boolean withCanonical, ProofView proof) {
        JsonNode payload;
        try {
            payload = json.readTree(e.canonical()).get("payload");
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
        return new EventView(e.index(), e.eventId(), e.type(), CanonicalEvents.TIMESTAMP.format(e.occurredAt()),
                e.actor(), e.subjectId(), e.useCase(), e.traceId(), payload, HexFormat.of().formatHex(e.leafHash()),
                withCanonical ? e.canonical() : null, proof);
    }
}
