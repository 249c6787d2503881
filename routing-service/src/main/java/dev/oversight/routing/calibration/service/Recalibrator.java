package dev.oversight.routing.calibration.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.Recalibration;
import dev.oversight.routing.domain.UseCaseConfig;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.command.OversightGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Refits each use case's calibrator on the schedule its policy sets ({@code recalibration}), on the labels of the
 * rolling window. The refit takes effect only if the policy allows it ({@code autoActivate}), its certified bound
 * holds (a selected threshold whose error-rate upper bound is at most the policy's targetErrorRate) and it tightens
 * oversight (the gate: as a machine, a scheduled refit never loosens); otherwise it waits as a proposal for people,
 * visible on the use case and in the metrics, and a person's activation of it goes through four eyes where the
 * policy has them. One instance refits at a time: a run
 * is claimed by moving the use case's last run forward in the database.
 */
@ApplicationScoped
public class Recalibrator {

    public static final String ACTOR = "system:recalibration";
    private static final Actor MACHINE = Actor.machine(ACTOR);
    private static final Logger LOG = Logger.getLogger(Recalibrator.class);

    /** What one scheduled run did. */
    public record Run(String useCase, Integer version, boolean activated, String outcome) {
    }

    private final UseCaseRegistry registry;
    private final CalibrationService calibrations;
    private final CalibratorActivation activation;
    private final EntityManager em;
    private final MultiGauge pending;

    public Recalibrator(UseCaseRegistry registry, CalibrationService calibrations, CalibratorActivation activation,
                        EntityManager em, MeterRegistry meters) {
        this.registry = registry;
        this.calibrations = calibrations;
        this.activation = activation;
        this.em = em;
        this.pending = MultiGauge.builder("oversight.recalibration.pending")
                .description("1 while a scheduled refit waits for an admin to activate it").register(meters);
    }

    @Scheduled(every = "${routing.recalibration.interval:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            runDue(Instant.now());
        } catch (RuntimeException e) {
            LOG.warnf("Scheduled recalibration failed: %s", e.getMessage());
        }
    }

    /** Refits every use case whose schedule is due at {@code now}; answers what each run did. */
    public synchronized List<Run> runDue(Instant now) {
        List<Run> runs = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<String> useCases = QuarkusTransaction.requiringNew().call(() ->
                em.createNativeQuery("SELECT name FROM use_case ORDER BY name").getResultList());
        for (String useCase : useCases) {
            UseCaseConfig config = registry.current(useCase).orElse(null);
            Recalibration schedule = config == null ? null : config.policy().recalibration();
            if (schedule == null || !claim(useCase, now, schedule)) {
                continue;
            }
            Run run = refit(useCase, config.policy(), schedule, now);
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "UPDATE recalibration_run SET outcome = ?1 WHERE use_case = ?2")
                    .setParameter(1, run.outcome()).setParameter(2, useCase).executeUpdate());
            runs.add(run);
        }
        updatePendingGauge();
        return runs;
    }

    private boolean claim(String useCase, Instant now, Recalibration schedule) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "INSERT INTO recalibration_run (use_case, last_run_at) VALUES (?1, ?2)"
                                + " ON CONFLICT (use_case) DO UPDATE SET last_run_at = EXCLUDED.last_run_at"
                                + " WHERE recalibration_run.last_run_at <= ?3")
                .setParameter(1, useCase).setParameter(2, Timestamp.from(now))
                .setParameter(3, Timestamp.from(now.minus(schedule.every()))).executeUpdate() == 1);
    }

    private Run refit(String useCase, Policy policy, Recalibration schedule, Instant now) {
        CalibrationVersion fitted;
        try {
            fitted = calibrations.fit(useCase, new FitRequest(schedule.method(), null, null, false,
                    null, null, null, now.minus(schedule.window())), MACHINE).version();
        } catch (Failure e) {
            return new Run(useCase, null, false, "not refitted: " + e.detail());
        }
        Object bound = fitted.report().get("errorRateUpperBound");
        boolean certified = bound instanceof Number b && b.doubleValue() <= policy.targetErrorRate()
                && fitted.report().get("selectedThreshold") != null;
        if (schedule.autoActivate() && certified) {
            Activation a = activation.activate(useCase, fitted.version(), MACHINE);
            if (a.outcome() == OversightGate.Outcome.APPLY) {
                return new Run(useCase, fitted.version(), true, "version " + fitted.version() + " fitted and activated");
            }
            return new Run(useCase, fitted.version(), false, "version " + fitted.version() + " fitted; waits for people"
                    + " (it loosens oversight: " + String.join("; ", a.loosens()) + ")");
        }
        return new Run(useCase, fitted.version(), false, "version " + fitted.version() + " fitted; waits for an admin ("
                + (schedule.autoActivate() ? "its certified bound does not hold" : "autoActivate is off") + ")");
    }

    /** A scheduled refit newer than the calibrator in force, never activated: a proposal waiting for an admin. */
    private void updatePendingGauge() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT u.name, EXISTS (SELECT 1 FROM calibrator k WHERE k.use_case = u.name AND k.created_by = ?1"
                        + " AND k.version > u.active_calibrator_version AND k.activated_at IS NULL) FROM use_case u")
                .setParameter(1, ACTOR).getResultList());
        List<MultiGauge.Row<?>> gauge = new ArrayList<>();
        for (Object[] r : rows) {
            gauge.add(MultiGauge.Row.of(Tags.of("use_case", (String) r[0]), Boolean.TRUE.equals(r[1]) ? 1 : 0));
        }
        pending.register(gauge, true);
    }
}
