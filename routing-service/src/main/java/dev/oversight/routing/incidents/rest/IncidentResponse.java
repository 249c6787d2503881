package dev.oversight.routing.incidents.rest;

import dev.oversight.routing.domain.incident.IncidentSeverity;
import dev.oversight.routing.domain.incident.IncidentStatus;
import dev.oversight.routing.incidents.repository.IncidentRepository.Incident;
import dev.oversight.routing.incidents.repository.IncidentRepository.Step;
import dev.oversight.routing.incidents.service.IncidentService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An incident as its readers see it: {@code deadline} of the first report, {@code secondsLeft} until it (negative
 * once passed) while the first report is due, and {@code firstReportOnTime} once it was sent.
 */
public record IncidentResponse(UUID id, String useCase, IncidentSeverity severity, Instant awareAt, Instant deadline,
                               IncidentStatus status, Long secondsLeft, Instant firstReportAt,
                               Boolean firstReportOnTime, String summary, Instant openedAt, String openedBy,
                               List<UUID> decisionIds, List<StepView> steps) {

    public record StepView(IncidentStatus status, String note, Instant at, String by) {
        static StepView of(Step s) {
            return new StepView(s.status(), s.note(), s.at(), s.actor());
        }
    }

    public static IncidentResponse of(IncidentService.View v) {
        return of(v.incident(), v.decisions(), v.steps().stream().map(StepView::of).toList());
    }

    /** In a list: without decisions and steps. */
    public static IncidentResponse of(Incident i) {
        return of(i, null, null);
    }

    private static IncidentResponse of(Incident i, List<UUID> decisions, List<StepView> steps) {
        Long left = i.status().awaitsFirstReport() ? i.deadline().getEpochSecond() - Instant.now().getEpochSecond()
                : null;
        Boolean onTime = i.reportedAt() == null ? null : !i.reportedAt().isAfter(i.deadline());
        return new IncidentResponse(i.id(), i.useCase(), i.severity(), i.awareAt(), i.deadline(), i.status(), left,
                i.reportedAt(), onTime, i.summary(), i.openedAt(), i.openedBy(), decisions, steps);
    }
}
