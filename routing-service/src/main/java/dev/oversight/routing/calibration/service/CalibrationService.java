package dev.oversight.routing.calibration.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.Policy;
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
        LabelRepository.Provenance provenance;
        try {
            data = labels.load(useCase, request.modelVersion(), request.since(), MAX_LABELS, policy.signalNames());
            provenance = labels.provenance(useCase, request.modelVersion(), request.since());
        } catch (SQLException e) {
            throw new Failure.Unavailable("Labels cannot be read right now; retry.");
        }
        int version = nextVersion(useCase);
        CalibrationFitter.Report report;
        try {
            report = CalibrationFitter.fit(data, request.method(),
                    new CalibrationFitter.Options(alpha, delta, request.costReview(), request.costError(), version,
                            policy.signals()));
        } catch (CalibrationException e) {
            throw new Failure.Unprocessable("calibration-failed", "Calibration failed", e.getMessage());
        }
        Map<String, Object> stored = reportMap(version, report, alpha, delta, request);
        stored.put("labels", Map.of("fromVerdicts", provenance.fromVerdicts(), "imported", provenance.imported(),
                "bySource", provenance.bySource()));
        String params = write(report.calibrator().params());
        String reportJson = write(stored);
        QuarkusTransaction.requiringNew().run(() -> {
            CalibratorEntity row = new CalibratorEntity();
            row.useCase = useCase;
            row.version = nextVersion(useCase);
            if (row.version != version) {
                throw new Failure.Conflict("Another calibration of " + useCase + " was stored meanwhile; retry.");
            }
            row.method = report.calibrator().method();
            row.params = params;
            row.selectedThreshold = report.selectedThreshold();
            row.selectedRawCut = report.selectedRawCut();
            row.report = reportJson;
            row.errorRateUpperBound = report.errorRateUpperBound();
            row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            row.createdBy = actor.name();
            row.persist();
        });
        if (request.activate()) {
            return activation.activate(useCase, version, actor);
        }
        return new Activation(versions.get(useCase, version), null, List.of());
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
