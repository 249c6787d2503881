package dev.oversight.routing.incidents.rest;

import dev.oversight.routing.domain.incident.IncidentSeverity;
import dev.oversight.routing.incidents.service.IncidentService;
import dev.oversight.routing.policy.rest.UseCaseResource;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A serious incident to open: what happened to whom is in {@code summary}, which decisions it concerns. */
public record IncidentRequest(
        @NotNull @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE) String useCase,
        @NotNull(message = "is required: DEATH, WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE or SERIOUS")
        IncidentSeverity severity,
        @NotNull(message = "is required: when the deployer became aware of the incident (ISO-8601 with offset)")
        OffsetDateTime awareAt,
        @NotNull(message = "is required (it may be empty)")
        @Size(max = IncidentService.MAX_DECISIONS, message = "holds at most " + IncidentService.MAX_DECISIONS
                + " decisions") List<@NotNull UUID> decisionIds,
        @NotBlank(message = "say what happened") @Size(max = 10_000) String summary) {

    /** A step forward: the new status and, optionally, what was sent to whom. */
    public record StepRequest(@NotNull(message = "is required: INITIAL_REPORT_SENT, FINAL_REPORT_SENT or CLOSED")
                              dev.oversight.routing.domain.incident.IncidentStatus status,
                              @Size(max = 2000) String note) {
    }
}
