package dev.oversight.routing.oversight.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.CelValues;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.SegmentedCalibrator;
import dev.oversight.routing.domain.Segments;
import dev.oversight.routing.domain.Route;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.UseCaseConfig;
import dev.oversight.routing.domain.calibration.Metrics;
import dev.oversight.routing.domain.oversight.OversightReport;
import dev.oversight.routing.domain.oversight.Percentiles;
import dev.oversight.routing.domain.oversight.Proportion;
import dev.oversight.routing.oversight.repository.OversightRepository;
import dev.oversight.routing.oversight.repository.OversightRepository.LabelRow;
import dev.oversight.routing.oversight.repository.OversightRepository.Tally;
import dev.oversight.routing.oversight.repository.OversightRepository.Window;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Computes the oversight figures of a use case over a window from the router's own decisions, verdicts and labels. */
@ApplicationScoped
public class OversightService {

    private static final int BOOTSTRAP_RESAMPLES = 500;
    /** The tools most often rejected or corrected that the report lists. */
    static final int TOOLS_LISTED = 10;

    private final OversightRepository repository;
    private final UseCaseRegistry registry;
    private final ObjectMapper json;

    public OversightService(OversightRepository repository, UseCaseRegistry registry, ObjectMapper json) {
        this.repository = repository;
        this.registry = registry;
        this.json = json;
    }

    public OversightReport report(String useCase, String modelVersion, Instant from, Instant to) {
        return measure(useCase, modelVersion, from, to, 0).report();
    }

    /**
     * The report of a period with its reliability diagram ({@code bins} equal-width bins of the active calibrator's
     * confidence against how often people found the output correct, on labels it was not fitted on; empty without
     * any), both from one read of those labels.
     */
    public record Measured(OversightReport report, List<Metrics.Bin> reliability) {
    }

    public Measured measure(String useCase, String modelVersion, Instant from, Instant to, int bins) {
        UseCaseConfig config = registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase));
        Window w = new Window(useCase, modelVersion, from, to);
        try {
            return measure(config, w, repository.tally(w, Instant.now(), Segments.MAX, TOOLS_LISTED), bins);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The oversight figures cannot be read right now; retry.");
        }
    }

    /**
     * The report of each model version that made decisions in the period, from one pass over the use case's
     * decisions for the counts (the gauges' refresh; none when there were no decisions).
     */
    public Map<String, OversightReport> reports(String useCase, Instant from, Instant to) {
        UseCaseConfig config = registry.current(useCase).orElseThrow(() -> new UnknownUseCase(useCase));
        try {
            Map<String, OversightReport> out = new LinkedHashMap<>();
            for (Map.Entry<String, Tally> t : repository.tallies(useCase, from, to, Instant.now(), Segments.MAX,
                    TOOLS_LISTED).entrySet()) {
                out.put(t.getKey(), measure(config, new Window(useCase, t.getKey(), from, to), t.getValue(), 0)
                        .report());
            }
            return out;
        } catch (SQLException e) {
            throw new Failure.Unavailable("The oversight figures cannot be read right now; retry.");
        }
    }

    /** A window's report from its counts; the rest (labels, latencies, reviewers, the queue) is read here. */
    private Measured measure(UseCaseConfig config, Window w, Tally t, int bins) throws SQLException {
        Recent recent = recent(w, config);
        long volume = t.byRoute().values().stream().mapToLong(Long::longValue).sum();
        Map<String, Proportion> routes = new LinkedHashMap<>();
        for (Route r : Route.values()) {
            routes.put(r.name(), Proportion.of(t.byRoute().getOrDefault(r, 0L), volume));
        }
        long intervened = t.byRoute().getOrDefault(Route.REVIEW, 0L) + t.byRoute().getOrDefault(Route.BLOCK, 0L);

        List<OversightReport.ReasonShare> reasons = new ArrayList<>();
        t.reasons().forEach((reason, n) ->
                reasons.add(new OversightReport.ReasonShare(reason, n, volume == 0 ? 0 : (double) n / volume)));

        long approved = t.byStatus().getOrDefault(DecisionStatus.APPROVED, 0L);
        long rejected = t.byStatus().getOrDefault(DecisionStatus.REJECTED, 0L);
        long corrected = t.byStatus().getOrDefault(DecisionStatus.CORRECTED, 0L);
        long overridden = t.byStatus().getOrDefault(DecisionStatus.OVERRIDDEN, 0L);
        long released = t.byStatus().getOrDefault(DecisionStatus.RELEASED, 0L) + overridden;

        List<LabelRow> sampled = repository.auditSampleLabels(w);
        double[] wrong = new double[sampled.size()];
        double[] weight = new double[sampled.size()];
        for (int i = 0; i < sampled.size(); i++) {
            wrong[i] = sampled.get(i).correct() ? 0 : 1;
            weight[i] = sampled.get(i).weight();
        }

        double[] latencies = repository.reviewLatencies(w);
        OversightReport.Review review = new OversightReport.Review(latencies.length,
                Percentiles.of(latencies, 0.5), Percentiles.of(latencies, 0.95),
                t.slaBreaches(), t.byStatus().getOrDefault(DecisionStatus.EXPIRED, 0L),
                repository.queueDepth(w.useCase(), w.modelVersion()));

        List<OversightReport.ReviewerLoad> load = new ArrayList<>();
        repository.reviewerLoad(w).forEach((reviewer, n) -> load.add(new OversightReport.ReviewerLoad(reviewer, n)));

        OversightReport report = new OversightReport(w.useCase(), w.modelVersion(), w.from(), w.to(), volume, routes,
                Proportion.of(intervened, volume), reasons,
                Proportion.of(rejected + corrected, approved + rejected + corrected),
                Proportion.of(overridden, released),
                Proportion.of(t.escalatedWrong(), t.escalatedDecided()),
                Proportion.weighted(wrong, weight), review, load, calibrationHealth(recent),
                Proportion.of(t.processFlawed(), t.processJudged()), t.tools(),
                segments(t, sampled));
        return new Measured(report, bins == 0 || recent == null || recent.p().length == 0 ? List.of()
                : Metrics.reliability(recent.p(), recent.y(), recent.w(), bins));
    }

    /** The figures per segment: tallies from the decisions, under-escalation from each segment's audit samples. */
    private static List<OversightReport.SegmentFigures> segments(Tally tally, List<LabelRow> sampled) {
        List<OversightReport.SegmentFigures> out = new ArrayList<>();
        for (OversightRepository.SegmentTally t : tally.segments()) {
            List<LabelRow> own = sampled.stream().filter(l -> t.segment().equals(l.segment())).toList();
            double[] wrong = new double[own.size()];
            double[] weight = new double[own.size()];
            for (int i = 0; i < own.size(); i++) {
                wrong[i] = own.get(i).correct() ? 0 : 1;
                weight[i] = own.get(i).weight();
            }
            out.add(new OversightReport.SegmentFigures(t.segment(), t.volume(), Proportion.of(t.intervened(),
                    t.volume()), Proportion.of(t.escalatedWrong(), t.escalatedDecided()),
                    Proportion.weighted(wrong, weight)));
        }
        return out;
    }

    /** Labels of the window that arrived after the active calibrator was fitted, as (calibrated p, correct, weight). */
    private record Recent(OversightRepository.ActiveCalibration active, double[] p, double[] y, double[] w) {
    }

    private Recent recent(Window w, UseCaseConfig config) throws SQLException {
        OversightRepository.ActiveCalibration active = repository.activeCalibration(w.useCase());
        if (active == null) {
            return null;
        }
        List<LabelRow> recent = repository.labelsSince(w, active.fittedAt());
        double[] p = new double[recent.size()];
        double[] y = new double[recent.size()];
        double[] wt = new double[recent.size()];
        int n = 0;
        for (LabelRow row : recent) {
            double q = calibrated(config.calibrator().calibrator(), row);
            if (!Double.isFinite(q)) {
                continue; // a label the calibrator cannot read (a segment it has no part for, a signal missing)
            }
            p[n] = Math.min(1, Math.max(0, q));
            y[n] = row.correct() ? 1 : 0;
            wt[n] = row.weight();
            n++;
        }
        return new Recent(active, Arrays.copyOf(p, n), Arrays.copyOf(y, n), Arrays.copyOf(wt, n));
    }

    /** A label's calibrated confidence as the router would compute it: from its confidence, signals and segment. */
    private double calibrated(Calibrator calibrator, LabelRow row) {
        Map<String, Double> signals = row.signals() == null ? null : readSignals(row.signals());
        if (calibrator instanceof SegmentedCalibrator segmented) {
            JsonNode attributes = row.attributes() == null ? null : read(row.attributes());
            return segmented.calibrate(row.confidence(), null, signals,
                    attributes == null || !attributes.isObject() ? Map.of() : CelValues.of(attributes));
        }
        return calibrator.calibrate(row.confidence(), null, signals);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Double>> SIGNALS =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private Map<String, Double> readSignals(String text) {
        try {
            return json.readValue(text, SIGNALS);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored JSON column is unreadable", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A stored JSON column is unreadable", e);
        }
    }

    private OversightReport.CalibrationHealth calibrationHealth(Recent r) {
        if (r == null) {
            return null;
        }
        boolean none = r.p().length == 0;
        Double ece = none ? null : Metrics.ece(r.p(), r.y(), r.w());
        double[] interval = none ? null
                : Metrics.bootstrap95(r.p(), r.y(), r.w(), Metrics::ece, BOOTSTRAP_RESAMPLES, 1L);
        return new OversightReport.CalibrationHealth(r.active().version(), r.active().method(), r.p().length, ece,
                interval, r.active().reportedEce());
    }
}
