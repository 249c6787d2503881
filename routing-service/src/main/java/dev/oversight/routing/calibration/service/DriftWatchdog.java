package dev.oversight.routing.calibration.service;

import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.UseCaseConfig;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.oversight.ErrorRateMonitor;
import dev.oversight.routing.oversight.repository.OversightRepository;
import dev.oversight.routing.policy.service.ModeService;
import dev.oversight.routing.oversight.repository.OversightRepository.DriftPeriod;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Watches every use case for drift: the error rate among released outputs, seen through the audit samples since the
 * policy or calibrator in force took effect, tested sequentially against the policy's targetErrorRate at level δ
 * ({@link ErrorRateMonitor}). On an alarm it records the evidence once per period (a {@code DRIFT_DETECTED} audit
 * event), and with {@code onDrift: REVIEW_ALL} switches the use case to REVIEW_ALL as {@code system:drift}, in the
 * same transaction, through the oversight gate: as a machine it may only tighten, so it never lifts a HALT and never
 * switches a use case back: only a person does.
 *
 * <p>Under a policy with segments it also watches each segment on its own, at δ/K over the K segments that have audit
 * samples in the period (Bonferroni, so that a false alarm in any segment stays below δ): one group drifting trips an
 * alarm that names the group, even when the use case as a whole holds.
 */
@ApplicationScoped
public class DriftWatchdog {

    public static final String ACTOR = "system:drift";
    private static final Logger LOG = Logger.getLogger(DriftWatchdog.class);

    /** An alarm the watchdog raised now (not one it had raised before in the same period). */
    public record Alarm(String useCase, ErrorRateMonitor.Evidence evidence, OnDrift action, String segment) {

        public Alarm(String useCase, ErrorRateMonitor.Evidence evidence, OnDrift action) {
            this(useCase, evidence, action, null);
        }
    }

    private final OversightRepository repository;
    private final UseCaseRegistry registry;
    private final ModeService modes;
    private final EventOutbox events;
    private final EntityManager em;
    private final MultiGauge lowerBounds;
    private final MultiGauge alarms;
    private final MultiGauge segmentLowerBounds;
    private final MultiGauge segmentAlarms;

    public DriftWatchdog(OversightRepository repository, UseCaseRegistry registry, ModeService modes,
                         EventOutbox events, EntityManager em, MeterRegistry meters) {
        this.repository = repository;
        this.registry = registry;
        this.modes = modes;
        this.events = events;
        this.em = em;
        this.lowerBounds = MultiGauge.builder("oversight.drift.lower.bound")
                .description("Lower confidence bound of the error rate among released outputs (audit samples)")
                .register(meters);
        this.alarms = MultiGauge.builder("oversight.drift.alarm")
                .description("1 while the drift test rejects the target error rate in the current period")
                .register(meters);
        this.segmentLowerBounds = MultiGauge.builder("oversight.drift.segment.lower.bound")
                .description("Lower confidence bound of one segment's error rate among released outputs")
                .register(meters);
        this.segmentAlarms = MultiGauge.builder("oversight.drift.segment.alarm")
                .description("1 while the drift test rejects the target error rate in one segment (at delta/K)")
                .register(meters);
    }

    @Scheduled(every = "${routing.drift.interval:30s}", delayed = "15s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            checkAll();
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("Drift check failed: %s", e.getMessage());
        }
    }

    /** Tests every use case now; answers the alarms raised by this call. */
    public synchronized List<Alarm> checkAll() throws SQLException {
        List<Alarm> raised = new ArrayList<>();
        List<MultiGauge.Row<?>> bounds = new ArrayList<>();
        List<MultiGauge.Row<?>> flags = new ArrayList<>();
        List<MultiGauge.Row<?>> segmentBounds = new ArrayList<>();
        List<MultiGauge.Row<?>> segmentFlags = new ArrayList<>();
        List<DriftPeriod> periods = new ArrayList<>(repository.driftPeriods());
        periods.addAll(repository.segmentDriftPeriods());
        for (DriftPeriod p : periods) {
            Optional<UseCaseConfig> config = registry.current(p.useCase());
            if (config.isEmpty() || (p.segment() != null && config.get().policy().segments() == null)) {
                continue;
            }
            Policy policy = config.get().policy();
            double delta = p.segment() == null ? policy.delta() : policy.delta() / Math.max(1, p.segments());
            ErrorRateMonitor.Evidence e = ErrorRateMonitor.check(p.samples(), p.errors(), policy.targetErrorRate(),
                    delta);
            if (p.segment() == null) {
                Tags tags = Tags.of("use_case", p.useCase());
                bounds.add(MultiGauge.Row.of(tags, e.lowerBound()));
                flags.add(MultiGauge.Row.of(tags, e.alarm() ? 1 : 0));
            } else {
                Tags tags = Tags.of("use_case", p.useCase(), "segment", p.segment());
                segmentBounds.add(MultiGauge.Row.of(tags, e.lowerBound()));
                segmentFlags.add(MultiGauge.Row.of(tags, e.alarm() ? 1 : 0));
            }
            if (e.alarm() && record(p, e, policy.onDrift())) {
                raised.add(new Alarm(p.useCase(), e, policy.onDrift(), p.segment()));
            }
        }
        lowerBounds.register(bounds, true);
        alarms.register(flags, true);
        segmentLowerBounds.register(segmentBounds, true);
        segmentAlarms.register(segmentFlags, true);
        return raised;
    }

    /** Stores the alarm once per period, with its audit event and, if the policy says so, the switch. */
    private boolean record(DriftPeriod p, ErrorRateMonitor.Evidence e, OnDrift action) {
        boolean inserted = QuarkusTransaction.requiringNew().call(() -> {
            int rows = em.createNativeQuery("INSERT INTO drift_alert (use_case, since, policy_version,"
                            + " calibrator_version, samples, errors, lower_bound, target_error_rate, action, segment)"
                            + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                            + " ON CONFLICT (use_case, since, segment) DO NOTHING")
                    .setParameter(1, p.useCase()).setParameter(2, Timestamp.from(p.since()))
                    .setParameter(3, p.policyVersion()).setParameter(4, p.calibratorVersion())
                    .setParameter(5, e.n()).setParameter(6, e.errors()).setParameter(7, e.lowerBound())
                    .setParameter(8, e.alpha()).setParameter(9, action.name())
                    .setParameter(10, p.segment() == null ? "" : p.segment()).executeUpdate();
            if (rows == 0) {
                return false;
            }
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("useCase", p.useCase());
            evidence.put("since", p.since().toString());
            if (p.segment() != null) {
                evidence.put("segment", p.segment());
            }
            evidence.put("policyVersion", p.policyVersion());
            evidence.put("calibratorVersion", p.calibratorVersion());
            evidence.put("samples", e.n());
            evidence.put("errors", e.errors());
            evidence.put("lowerBound", e.lowerBound());
            evidence.put("targetErrorRate", e.alpha());
            evidence.put("delta", e.delta());
            evidence.put("action", action.name());
            events.record(EventOutbox.DRIFT_DETECTED, p.useCase() + "/drift/" + p.since().toEpochMilli()
                    + (p.segment() == null ? "" : "/" + p.segment()), p.useCase(), ACTOR, evidence);
            if (action == OnDrift.REVIEW_ALL) {
                modes.tightenMode(p.useCase(), Mode.REVIEW_ALL, reason(p, e), Actor.machine(ACTOR));
            }
            return true;
        });
        if (inserted) {
            LOG.warnf("Drift detected in %s: %s", p.useCase(), reason(p, e));
            registry.load(p.useCase());
        }
        return inserted;
    }

    static String reason(DriftPeriod p, ErrorRateMonitor.Evidence e) {
        return String.format(Locale.ROOT, "drift%s: %d of %d audit samples wrong since %s; the error rate among released"
                        + " outputs is above %.4f with confidence %.0f%%, over the target %.4f",
                p.segment() == null ? "" : " in segment '" + p.segment() + "'", e.errors(), e.n(), p.since(),
                e.lowerBound(), 100 * (1 - e.delta()), e.alpha());
    }
}
