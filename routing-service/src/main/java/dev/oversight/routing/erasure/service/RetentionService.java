package dev.oversight.routing.erasure.service;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.erasure.DataPart;
import dev.oversight.routing.domain.erasure.ErasureKind;
import dev.oversight.routing.domain.erasure.RetentionPeriods;
import dev.oversight.routing.erasure.repository.ErasureRepository;
import dev.oversight.routing.erasure.repository.ErasureRepository.Erasure;
import dev.oversight.routing.erasure.repository.ErasureRepository.StoredRetention;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.Period;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How long each use case keeps its decisions' outputs, inputs and people's words, and the daily sweep that deletes
 * what is due, in this service and (by message, in the same transaction) in the review service. A decision an
 * incident holds is never swept. Each sweep that deleted something is an erasure of kind RETENTION with its counts,
 * and a RETENTION_APPLIED event in the audit trail; {@code oversight_retention_deleted_total{use_case, part}} counts the
 * decisions whose part was deleted. Instances sweep side by side safely: rows are taken with
 * SKIP LOCKED, so each part is deleted and counted once.
 */
@ApplicationScoped
public class RetentionService {

    public static final String RETENTION_CHANGED = "RETENTION_CHANGED";
    public static final String RETENTION_APPLIED = "RETENTION_APPLIED";
    /** Decisions per transaction of a sweep. */
    static final int BATCH = 1000;

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    /** A use case's periods: as set, or the defaults ({@code setBy} null). */
    public record Setting(String useCase, RetentionPeriods periods, Period minimum, String reason, String setBy,
                          Instant setAt) {
    }

    /** What one sweep deleted in one use case, part by part. */
    public record Swept(String useCase, Map<DataPart, Integer> decisions, List<UUID> erasureIds) {
    }

    private final ErasureRepository erasures;
    private final ErasureService erasureService;
    private final UseCaseRegistry registry;
    private final EventOutbox events;
    private final AgroalDataSource db;
    private final KeyedDigest digest;
    private final Period minimum;
    private final MeterRegistry meters;

    public RetentionService(ErasureRepository erasures, ErasureService erasureService, UseCaseRegistry registry,
                            EventOutbox events, AgroalDataSource db, KeyedDigest digest, RoutingConfig config,
                            MeterRegistry meters) {
        this.meters = meters;
        this.erasures = erasures;
        this.erasureService = erasureService;
        this.registry = registry;
        this.events = events;
        this.db = db;
        this.digest = digest;
        this.minimum = RetentionPeriods.parse(config.retention().minimum());
    }

    public Setting setting(String useCase) {
        registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase));
        return transaction(c -> erasures.retention(c, useCase)).map(s -> new Setting(useCase, s.periods(), minimum,
                s.reason(), s.updatedBy(), s.updatedAt()))
                .orElse(new Setting(useCase, RetentionPeriods.DEFAULTS, minimum, null, null, null));
    }

    /**
     * Sets a use case's periods. A period shorter than the legal minimum needs the admin's reason (the log keeps
     * its digest); a longer one needs none.
     */
    public Setting set(String useCase, RetentionPeriods periods, String reason, Actor actor) {
        registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase));
        boolean shorter = periods.anyShorterThan(minimum);
        if (shorter && (reason == null || reason.isBlank())) {
            throw new Failure.Invalid("reason", "is required: a period is shorter than the legal minimum " + minimum
                    + " (deployers keep logs at least six months, EU AI Act Art. 19 and 26(6)); say why");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String kept = reason == null || reason.isBlank() ? null : reason.strip();
        transaction(c -> {
            erasures.putRetention(c, useCase, new StoredRetention(periods, kept, actor.name(), now));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("useCase", useCase);
            event.put("outputs", periods.outputs().toString());
            event.put("inputs", periods.inputs().toString());
            event.put("peopleText", periods.peopleText().toString());
            event.put("belowMinimum", shorter);
            if (kept != null) {
                event.put("reasonHmac", digest.hex(kept));
            }
            events.record(c, RETENTION_CHANGED, "use-cases/" + useCase + "/retention", useCase, actor.name(), event);
            return null;
        });
        return setting(useCase);
    }

    @Scheduled(every = "${routing.retention.interval:24h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            for (Swept s : sweep(Instant.now(), "system:retention")) {
                if (!s.erasureIds().isEmpty()) {
                    LOG.infof("Retention deleted in %s: %s", s.useCase(), s.decisions());
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("The retention sweep failed (it runs again at its next interval): %s", e.getMessage());
        }
    }

    /** Deletes every part that is due at {@code now}, use case by use case. */
    public List<Swept> sweep(Instant now, String actor) {
        List<Swept> out = new ArrayList<>();
        for (String useCase : transaction(erasures::useCases)) {
            RetentionPeriods periods = transaction(c -> erasures.retention(c, useCase))
                    .map(StoredRetention::periods).orElse(RetentionPeriods.DEFAULTS);
            Map<DataPart, Integer> counts = new LinkedHashMap<>();
            List<UUID> ids = new ArrayList<>();
            for (DataPart part : DataPart.values()) {
                int total = 0;
                while (true) {
                    Instant cutoff = periods.cutoff(part, now);
                    Erasure done = transaction(c -> {
                        List<UUID> due = erasures.due(c, useCase, part, cutoff, BATCH);
                        if (due.isEmpty()) {
                            return null;
                        }
                        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                        Erasure e = new Erasure(Ids.newId(), ErasureKind.RETENTION, useCase, EnumSet.of(part),
                                due.size(), 0, actor, at);
                        erasures.delete(c, due, e.parts(), false, at);
                        erasures.insert(c, e);
                        erasureService.tellReview(c, e, due, false);
                        Map<String, Object> event = new LinkedHashMap<>();
                        event.put("erasureId", e.id().toString());
                        event.put("useCase", useCase);
                        event.put("part", part.name());
                        event.put("period", periods.of(part).toString());
                        event.put("createdBefore", cutoff.toString());
                        event.put("decisions", due.size());
                        events.record(c, RETENTION_APPLIED, "erasures/" + e.id(), useCase, actor, event);
                        return e;
                    });
                    if (done == null) {
                        break;
                    }
                    total += done.decisions();
                    ids.add(done.id());
                    Counter.builder("oversight.retention.deleted").description("Decisions whose part retention deleted")
                            .tags("use_case", useCase, "part", part.name()).register(meters)
                            .increment(done.decisions());
                }
                counts.put(part, total);
            }
            out.add(new Swept(useCase, counts, ids));
        }
        return out;
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.inTransaction(db, "Retention cannot be read or applied right now; retry.", work);
    }
}
