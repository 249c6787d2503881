package dev.oversight.audit.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One event to append. {@code eventId} makes the append idempotent. */
public record EventRequest(
        @NotNull UUID eventId,
        @NotNull @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}", message = "must be an event type such as DECISION_MADE")
        String type,
        @NotNull(message = "is required: an ISO-8601 timestamp with offset") OffsetDateTime occurredAt,
        @NotBlank @Size(max = 256) String actor,
        @NotBlank @Size(max = 256) String subjectId,
        @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 characters of a-z, 0-9 and '-'") String useCase,
        @Pattern(regexp = "[0-9a-f]{32}", message = "must be a W3C trace id: 32 lowercase hex digits") String traceId,
        @NotNull(message = "is required (a JSON object)") ObjectNode payload) {
}
