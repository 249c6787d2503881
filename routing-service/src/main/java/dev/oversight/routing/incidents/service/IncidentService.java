package dev.oversight.routing.incidents.service;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.incident.IncidentSeverity;
import dev.oversight.routing.domain.incident.IncidentStatus;
import dev.oversight.routing.incidents.repository.IncidentRepository;
import dev.oversight.routing.incidents.repository.IncidentRepository.Incident;
import dev.oversight.routing.incidents.repository.IncidentRepository.Step;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Serious incidents: opened by an admin with the decisions they concern, each with the deadline of its first report
 * (Article 73), moved forward step by step, every step in the audit trail (the summary and notes as keyed digests:
 * they are people's words). Deadlines still running are a gauge, {@code oversight_incident_report_due_timestamp_seconds},
 * so that an alert fires a day before.
 */
@ApplicationScoped
public class IncidentService {

    public static final int MAX_DECISIONS = 500;
    /** Clocks differ a little; an awareness further in the future than this is a mistake. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Logger LOG = Logger.getLogger(IncidentService.class);

    public record Opening(String useCase, IncidentSeverity severity, Instant awareAt, List<UUID> decisionIds,
                          String summary) {
    }

    public record View(Incident incident, List<UUID> decisions, List<Step> steps) {
    }

    private final IncidentRepository incidents;
    private final UseCaseRegistry registry;
    private final EventOutbox events;
    private final KeyedDigest digest;
    private final AgroalDataSource db;
    private final MultiGauge due;

    public IncidentService(IncidentRepository incidents, UseCaseRegistry registry, EventOutbox events,
                           KeyedDigest digest, AgroalDataSource db, MeterRegistry meters) {
        this.incidents = incidents;
        this.registry = registry;
        this.events = events;
        this.digest = digest;
        this.db = db;
        this.due = MultiGauge.builder("oversight.incident.report.due.timestamp").baseUnit("seconds")
                .description("When the first report of a serious incident still open is due (Unix time)")
                .register(meters);
    }

    @WithSpan
    public View open(Opening o, Actor actor) {
        Instant now = Instant.now();
        if (o.awareAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new Failure.Invalid("awareAt", "is in the future: give when the deployer became aware of the"
                    + " incident");
        }
        registry.current(o.useCase()).orElseThrow(() -> new UnknownUseCase(o.useCase()));
        List<UUID> decisions = List.copyOf(new LinkedHashSet<>(o.decisionIds()));
        UUID id = Ids.newId();
        Incident incident = new Incident(id, o.useCase(), o.severity(), o.awareAt(), o.severity().deadline(o.awareAt()),
                IncidentStatus.OPEN, o.summary(), now, actor.name(), null);
        transaction(c -> {
            Set<UUID> found = incidents.existing(c, o.useCase(), decisions);
            List<UUID> missing = decisions.stream().filter(d -> !found.contains(d)).limit(5).toList();
            if (!missing.isEmpty()) {
                throw new Failure.Invalid("decisionIds", "use case '" + o.useCase() + "' has no decision "
                        + missing.get(0) + (missing.size() > 1 ? " (nor " + missing.subList(1, missing.size()) + ")"
                        : ""));
            }
            incidents.insert(c, incident, decisions);
            incidents.addStep(c, id, new Step(1, IncidentStatus.OPEN, null, now, actor.name()));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("incidentId", id.toString());
            event.put("useCase", o.useCase());
            event.put("severity", o.severity().name());
            event.put("awareAt", o.awareAt().toString());
            event.put("deadline", incident.deadline().toString());
            event.put("decisionIds", decisions.stream().map(UUID::toString).toList());
            event.put("summaryHmac", digest.hex(o.summary()));
            events.record(c, EventOutbox.INCIDENT_OPENED, "incidents/" + id, o.useCase(), actor.name(), event);
            return null;
        });
        refreshGauge();
        return view(id);
    }

    /** Moves the incident forward; the first step past OPEN is the first report, on time or late. */
    @WithSpan
    public View step(UUID id, IncidentStatus next, String note, Actor actor) {
        transaction(c -> {
            Incident i = incidents.find(c, id, true).orElseThrow(() -> notFound(id));
            if (!i.status().canMoveTo(next)) {
                throw new Failure.Conflict("Incident " + id + " is " + i.status() + ": it only moves forward (OPEN,"
                        + " INITIAL_REPORT_SENT, FINAL_REPORT_SENT, CLOSED); open a new incident for a new event.");
            }
            Instant now = Instant.now();
            Instant reported = i.status().awaitsFirstReport() ? now : null;
            incidents.setStatus(c, id, next, reported);
            List<Step> steps = incidents.steps(c, id);
            incidents.addStep(c, id, new Step(steps.size() + 1, next, note, now, actor.name()));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("incidentId", id.toString());
            event.put("from", i.status().name());
            event.put("to", next.name());
            if (reported != null) {
                event.put("firstReportOnTime", !reported.isAfter(i.deadline()));
            }
            if (note != null) {
                event.put("noteHmac", digest.hex(note));
            }
            events.record(c, EventOutbox.INCIDENT_STEP, "incidents/" + id, i.useCase(), actor.name(), event);
            return null;
        });
        refreshGauge();
        return view(id);
    }

    public View view(UUID id) {
        return transaction(c -> {
            Incident i = incidents.find(c, id, false).orElseThrow(() -> notFound(id));
            return new View(i, incidents.decisions(c, id), incidents.steps(c, id));
        });
    }

    /** Newest first, {@code limit} of them after the page that ended with {@code before}. */
    public List<Incident> list(UUID before, IncidentStatus status, int limit) {
        return transaction(c -> incidents.list(c, before, status, limit));
    }

    @Scheduled(every = "${routing.incidents.refresh:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshGauge() {
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (Incident i : transaction(incidents::awaitingFirstReport)) {
                rows.add(MultiGauge.Row.of(Tags.of("incident", i.id().toString(), "use_case", i.useCase(),
                        "incident_severity", i.severity().name()), i.deadline().getEpochSecond()));
            }
            due.register(rows, true);
        } catch (RuntimeException e) {
            LOG.warnf("The incident deadlines could not be read for the gauge: %s", e.getMessage());
        }
    }

    private static Failure notFound(UUID id) {
        return new Failure.NotFound("No incident with id " + id);
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(db, "Incidents cannot be read or stored right now; retry.", work);
    }
}
