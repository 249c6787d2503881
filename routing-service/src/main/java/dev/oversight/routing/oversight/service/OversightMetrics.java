package dev.oversight.routing.oversight.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.domain.oversight.OversightReport;
import dev.oversight.routing.domain.oversight.Proportion;
import dev.oversight.routing.oversight.repository.OversightRepository;
import dev.oversight.routing.oversight.repository.PeriodicClaims;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The oversight figures as Prometheus gauges, per use case and model version, over a trailing window
 * ({@code routing.oversight.metrics-window}), refreshed every {@code routing.oversight.metrics-interval}.
 *
 * <p>One router instance computes them for all ({@link PeriodicClaims}): a refresh reads every decision of the window
 * a few times (the counts of all of a use case's model versions in one pass, then each version's latencies, reviewers
 * and labels), so its cost grows with traffic times the window, and every instance repeating it multiplied
 * that by the number of instances. The instance that refreshed last keeps the job; another takes over when it has not
 * refreshed for two intervals. The others export none of these gauges (they drop what they exported when the job was
 * theirs), so the figures are never stale; alerting rules take the maximum over instances, which is the one exporting.
 */
@ApplicationScoped
public class OversightMetrics {

    private static final Logger LOG = Logger.getLogger(OversightMetrics.class);
    /** The job's name in {@code periodic_claim}. */
    static final String JOB = "oversight-metrics";

    private final OversightRepository repository;
    private final OversightService oversight;
    private final Duration window;
    private final Map<String, MultiGauge> gauges = new HashMap<>();
    private final MeterRegistry registry;
    private final PeriodicClaims claims;
    /** This instance, as the claim on the job names it: its host (the pod, in Kubernetes) and a random part. */
    private final String instance = System.getenv().getOrDefault("HOSTNAME", "router") + "/" + UUID.randomUUID();
    private final Duration takeover;

    public OversightMetrics(OversightRepository repository, OversightService oversight, MeterRegistry registry,
                            RoutingConfig config, PeriodicClaims claims) {
        this.repository = repository;
        this.oversight = oversight;
        this.registry = registry;
        this.window = config.oversight().metricsWindow();
        this.claims = claims;
        this.takeover = every(config.oversight().metricsInterval()).multipliedBy(2);
    }

    @Scheduled(every = "${routing.oversight.metrics-interval:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            refreshIfMine();
        } catch (RuntimeException | SQLException e) {
            LOG.warnf("Oversight metrics not refreshed: %s", e.getMessage());
        }
    }

    /** Refreshes the gauges when the job is this instance's; otherwise exports none. True when it refreshed. */
    public synchronized boolean refreshIfMine() throws SQLException {
        if (!claims.claim(JOB, instance, takeover)) {
            gauges.values().forEach(g -> g.register(List.of(), true));
            return false;
        }
        refresh();
        return true;
    }

    /** A schedule's period, read by Quarkus's duration converter ("60s", "5m", "1h", ISO-8601); a minute when "off". */
    static Duration every(String interval) {
        String s = interval.trim().toLowerCase(Locale.ROOT);
        return "off".equals(s) || "disabled".equals(s) ? Duration.ofMinutes(1) : DurationConverter.parseDuration(s);
    }

    /** Recomputes every gauge now. */
    public synchronized void refresh() throws SQLException {
        Instant to = Instant.now();
        Instant from = to.minus(window);
        List<Sample> samples = new ArrayList<>();
        Map<String, String> useCases = repository.modes();
        // Each use case's model versions with decisions in the window, counted in one pass over its decisions.
        for (String useCase : useCases.keySet()) {
            try {
                oversight.reports(useCase, from, to).forEach((model, report) ->
                        samples.add(new Sample(Tags.of("use_case", useCase, "model_version", model), report)));
            } catch (Failure e) {
                LOG.debugf("No oversight figures for %s: %s", useCase, e.getMessage());
            }
        }
        List<MultiGauge.Row<?>> modes = new ArrayList<>();
        useCases.forEach((useCase, mode) -> modes.add(MultiGauge.Row.of(Tags.of("use_case", useCase, "mode", mode), 1)));
        gauges.computeIfAbsent("oversight.use.case.mode", n -> MultiGauge.builder(n)
                .description("1 for each use case's current mode (AUTO, REVIEW_ALL, HALT)").register(registry))
                .register(modes, true);
        gauge("oversight.decisions", "Decisions in the window", samples, r -> (double) r.volume());
        gauge("oversight.intervention.rate", "Share of decisions sent to review or blocked", samples,
                r -> estimate(r.interventionRate()));
        gauge("oversight.override.rate", "Share of reviewed outputs that reviewers rejected or corrected", samples,
                r -> estimate(r.overrideRate()));
        gauge("oversight.releases.reversed.rate", "Share of released outputs later overridden", samples,
                r -> estimate(r.releasesReversed()));
        gauge("oversight.escalation.precision", "Share of escalated outputs that were wrong", samples,
                r -> estimate(r.escalationPrecision()));
        gauge("oversight.under.escalation.rate", "Estimated error rate among released outputs (audit samples)",
                samples, r -> estimate(r.underEscalation()));
        gauge("oversight.under.escalation.upper", "95% upper bound of the error rate among released outputs",
                samples, r -> r.underEscalation().n() == 0 ? Double.NaN : r.underEscalation().upper());
        gauge("oversight.review.latency.p95.seconds", "95th percentile of review latency", samples,
                r -> r.review().latencySecondsP95() == null ? Double.NaN : r.review().latencySecondsP95());
        gauge("oversight.sla.breaches", "Reviews that broke their SLA in the window", samples,
                r -> (double) r.review().slaBreaches());
        gauge("oversight.queue.depth", "Decisions waiting for reviewers", samples,
                r -> (double) r.review().queueDepth());
        gauge("oversight.calibration.ece", "ECE of the active calibrator on labels newer than it", samples,
                r -> r.calibration() == null || r.calibration().ece() == null ? Double.NaN : r.calibration().ece());
        List<MultiGauge.Row<?>> load = new ArrayList<>();
        for (Sample sample : samples) {
            for (OversightReport.ReviewerLoad l : sample.report().reviewerLoad()) {
                load.add(MultiGauge.Row.of(sample.tags().and("reviewer", l.reviewer()), l.verdicts()));
            }
        }
        gauges.computeIfAbsent("oversight.reviewer.verdicts", n -> MultiGauge.builder(n)
                .description("Verdicts per reviewer in the window (reviewer load)").register(registry))
                .register(load, true);
    }

    private record Sample(Tags tags, OversightReport report) {
    }

    private static double estimate(Proportion p) {
        return p.n() == 0 ? Double.NaN : p.estimate();
    }

    private void gauge(String name, String help, List<Sample> samples, Function<OversightReport, Double> value) {
        MultiGauge g = gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(help).register(registry));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Sample s : samples) {
            rows.add(MultiGauge.Row.of(s.tags(), value.apply(s.report())));
        }
        g.register(rows, true);
    }
}
