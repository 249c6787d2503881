package dev.oversight.routing.calibration.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.CelValues;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.SegmentKey;
import dev.oversight.routing.domain.SegmentedCalibrator;
import dev.oversight.routing.domain.Segments;
import dev.oversight.routing.domain.calibration.CalibrationException;
import dev.oversight.routing.domain.calibration.CalibrationFitter;
import dev.oversight.routing.domain.calibration.Labels;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits calibrators from stored labels into immutable versions; with {@code activate}, asks for the new version to be
 * put in force ({@link CalibratorActivation}). A fit's request-level targetErrorRate and delta never replace the
 * policy's for an activation: a version selected at a looser one than the policy's is refused.
 */
@ApplicationScoped
public class CalibrationService {

    /** The most labels one fit reads. */
    static final int MAX_LABELS = 5_000_000;

    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final CalibratorVersions versions;
    private final CalibratorActivation activation;
    private final EntityManager em;
    private final ObjectMapper json;

    public CalibrationService(LabelRepository labels, UseCaseRegistry registry, CalibratorVersions versions,
                              CalibratorActivation activation, EntityManager em, ObjectMapper json) {
        this.labels = labels;
        this.registry = registry;
        this.versions = versions;
        this.activation = activation;
        this.em = em;
        this.json = json;
    }

    /** Fits a new version; with {@code activate}, activates it through the gate ({@link CalibratorActivation#activate}). */
    @WithSpan
    public Activation fit(String useCase, FitRequest request, Actor actor) {
        Policy policy = registry.current(useCase)
                .orElseThrow(() -> new UnknownUseCase(useCase)).policy();
        double alpha = request.targetErrorRate() != null ? request.targetErrorRate() : policy.targetErrorRate();
        double delta = request.delta() != null ? request.delta() : policy.delta();
        if (request.activate() && alpha > policy.targetErrorRate()) {
            throw new Failure.Invalid("targetErrorRate", "an activated fit selects its cut at the policy's"
                    + " targetErrorRate (" + policy.targetErrorRate() + ") or lower; leave it out, or fit without"
                    + " activate");
        }
        if (request.activate() && delta > policy.delta()) {
            throw new Failure.Invalid("delta", "an activated fit selects its cut at the policy's delta ("
                    + policy.delta() + ") or lower; leave it out, or fit without activate");
        }
        if ((request.costReview() == null) != (request.costError() == null)) {
            throw new Failure.Invalid("costReview", "give costReview and costError together, or neither");
        }
        if (request.costReview() != null && !(request.costReview() < request.costError())) {
            throw new Failure.Invalid("costReview", "must be less than costError");
        }
        Labels data;
        String[] segments = null;
        LabelRepository.Provenance provenance;
        try {
            if (policy.segments() == null) {
                data = labels.load(useCase, request.modelVersion(), request.since(), MAX_LABELS, policy.signalNames());
            } else {
                LabelRepository.Attributed attributed = labels.loadAttributed(useCase, request.modelVersion(),
                        request.since(), MAX_LABELS, policy.signalNames());
                data = attributed.labels();
                segments = segmentsOf(policy.segments().by(), attributed.attributes());
            }
            provenance = labels.provenance(useCase, request.modelVersion(), request.since());
        } catch (SQLException e) {
            throw new Failure.Unavailable("Labels cannot be read right now; retry.");
        }
        if (policy.signals() != null && data.size() < CalibrationFitter.MIN_LABELS) {
            throw new Failure.Unprocessable("calibration-failed", "Calibration failed", "calibration needs at least "
                    + CalibrationFitter.MIN_LABELS + " labels that carry every signal the policy names ("
                    + String.join(", ", policy.signalNames()) + "); there are " + data.size());
        }
        int version = nextVersion(useCase);
        CalibrationFitter.Options options = new CalibrationFitter.Options(alpha, delta, request.costReview(),
                request.costError(), version, policy.signals());
        Calibrator calibrator;
        Double selectedThreshold;
        Double selectedRawCut;
        Double errorRateUpperBound;
        Map<String, Object> stored;
        try {
            if (segments == null) {
                CalibrationFitter.Report report = CalibrationFitter.fit(data, request.method(), options);
                stored = reportMap(version, report, alpha, delta, request);
                calibrator = report.calibrator();
                selectedThreshold = report.selectedThreshold();
                selectedRawCut = report.selectedRawCut();
                errorRateUpperBound = report.errorRateUpperBound();
            } else {
                CalibrationFitter.SegmentedReport report = CalibrationFitter.fitSegments(data, segments,
                        request.method(), options, policy.segments().by(), policy.segments().minLabels());
                stored = segmentedReportMap(version, report, alpha, delta, request, policy.segments(), data.size());
                calibrator = report.calibrator();
                selectedThreshold = null;
                selectedRawCut = null;
                errorRateUpperBound = report.calibrator().worstErrorRateUpperBound();
            }
        } catch (CalibrationException e) {
            throw new Failure.Unprocessable("calibration-failed", "Calibration failed", e.getMessage());
        }
        stored.put("labels", Map.of("fromVerdicts", provenance.fromVerdicts(), "imported", provenance.imported(),
                "bySource", provenance.bySource()));
        String params = write(calibrator.params());
        String reportJson = write(stored);
        QuarkusTransaction.requiringNew().run(() -> {
            CalibratorEntity row = new CalibratorEntity();
            row.useCase = useCase;
            row.version = nextVersion(useCase);
            if (row.version != version) {
                throw new Failure.Conflict("Another calibration of " + useCase + " was stored meanwhile; retry.");
            }
            row.method = calibrator.method();
            row.params = params;
            row.selectedThreshold = selectedThreshold;
            row.selectedRawCut = selectedRawCut;
            row.report = reportJson;
            row.errorRateUpperBound = errorRateUpperBound;
            row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            row.createdBy = actor.name();
            row.persist();
        });
        if (request.activate()) {
            return activation.activate(useCase, version, actor);
        }
        return new Activation(versions.get(useCase, version), null, List.of());
    }

    /** Each label's segment by the policy's expression over its attributes (none: {@link Segments#NONE}). */
    private String[] segmentsOf(String by, String[] attributes) {
        SegmentKey key;
        try {
            key = SegmentKey.compile(by);
        } catch (RuleCompilationException e) {
            throw new IllegalStateException("A saved policy's segments.by compiles", e);
        }
        String[] out = new String[attributes.length];
        for (int i = 0; i < attributes.length; i++) {
            Map<String, Object> values = Map.of();
            if (attributes[i] != null) {
                try {
                    values = CelValues.of(json.readTree(attributes[i]));
                } catch (JsonProcessingException e) {
                    values = Map.of();
                }
            }
            out[i] = key.of(values);
        }
        return out;
    }

    /**
     * A fit per segment as stored and shown: the segments tested (K) and the δ each was certified at, and per segment
     * its labels, method, certified cut and bound, expected automation and out-of-fold figures (or why it has none).
     */
    private static Map<String, Object> segmentedReportMap(int version, CalibrationFitter.SegmentedReport r,
                                                          double alpha, double delta, FitRequest request,
                                                          Segments spec, int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("method", SegmentedCalibrator.METHOD);
        m.put("requestedMethod", request.method());
        m.put("n", n);
        m.put("segmentsBy", spec.by());
        m.put("minLabels", spec.minLabels());
        m.put("segmentsTested", r.tested());
        m.put("deltaPerSegment", r.deltaEach());
        m.put("targetErrorRate", alpha);
        m.put("delta", delta);
        m.put("selectedThreshold", null);
        m.put("selectedRawCut", null);
        m.put("errorRateUpperBound", r.calibrator().worstErrorRateUpperBound());
        List<Map<String, Object>> segments = new java.util.ArrayList<>();
        for (CalibrationFitter.SegmentFit f : r.segments()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("segment", f.segment());
            s.put("labels", f.labels());
            s.put("tested", f.report() != null);
            if (f.report() == null) {
                s.put("why", f.why());
            } else {
                CalibrationFitter.Report p = f.report();
                s.put("method", p.calibrator().method());
                s.put("selectedThreshold", p.selectedThreshold());
                s.put("selectedRawCut", p.selectedRawCut());
                s.put("errorRateUpperBound", p.errorRateUpperBound());
                s.put("expectedAutomationRate", p.expectedAutomationRate());
                s.put("ece", p.ece());
                s.put("brier", p.brier());
                s.put("logLoss", p.logLoss());
                if (p.weights() != null) {
                    s.put("weights", p.weights());
                }
            }
            segments.add(s);
        }
        m.put("segments", segments);
        if (request.modelVersion() != null) {
            m.put("modelVersion", request.modelVersion());
        }
        return m;
    }

    private int nextVersion(String useCase) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Integer max = em.createQuery("select max(c.version) from CalibratorEntity c where c.useCase = :u", Integer.class)
                    .setParameter("u", useCase).getSingleResult();
            return max == null ? 1 : max + 1;
        });
    }

    private static Map<String, Object> reportMap(int version, CalibrationFitter.Report r, double alpha, double delta,
                                                 FitRequest request) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("method", r.calibrator().method());
        m.put("requestedMethod", request.method());
        m.put("params", r.calibrator().params());
        m.put("n", r.n());
        m.put("folds", r.folds());
        m.put("ece", r.ece());
        m.put("eceInterval", r.eceInterval());
        m.put("eceEqualMass", r.eceEqualMass());
        m.put("eceEqualMassInterval", r.eceEqualMassInterval());
        m.put("mce", r.mce());
        m.put("brier", r.brier());
        m.put("brierInterval", r.brierInterval());
        m.put("logLoss", r.logLoss());
        m.put("aurc", r.aurc());
        m.put("reliability", r.reliability());
        m.put("riskCoverage", r.riskCoverage());
        m.put("targetErrorRate", alpha);
        m.put("delta", delta);
        m.put("selectedThreshold", r.selectedThreshold());
        m.put("selectedRawCut", r.selectedRawCut());
        m.put("errorRateUpperBound", r.errorRateUpperBound());
        m.put("expectedAutomationRate", r.expectedAutomationRate());
        m.put("thresholds", r.thresholds());
        if (request.costReview() != null) {
            m.put("costReview", request.costReview());
            m.put("costError", request.costError());
        }
        if (request.modelVersion() != null) {
            m.put("modelVersion", request.modelVersion());
        }
        if (!r.crossValidatedLogLoss().isEmpty()) {
            m.put("crossValidatedLogLoss", r.crossValidatedLogLoss());
        }
        if (r.weights() != null) {
            m.put("weights", r.weights());
        }
        if (r.signalComparison() != null) {
            // Out of fold on the same folds: the combination of every signal against each signal alone.
            m.put("signals", r.signalComparison());
        }
        m.put("certifiedOn", r.certifiedOn());
        return m;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Calibration data always serializes", e);
        }
    }
}
