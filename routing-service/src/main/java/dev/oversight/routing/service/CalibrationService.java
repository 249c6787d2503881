package dev.oversight.routing.service;

import dev.oversight.common.http.Page;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.problem.Problem;
import dev.oversight.common.problem.ProblemException;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.calibration.CalibrationException;
import dev.oversight.routing.domain.calibration.CalibrationFitter;
import dev.oversight.routing.domain.calibration.Labels;
import dev.oversight.routing.repository.CalibratorEntity;
import dev.oversight.routing.repository.LabelRepository;
import dev.oversight.routing.repository.UseCaseEntity;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits calibrators from stored labels into immutable versions, and activates them: activation swaps the router's
 * in-memory calibrator (and, with {@code threshold: null} policies, its threshold) without a restart.
 */
@ApplicationScoped
public class CalibrationService {

    /** The most labels one fit reads. */
    static final int MAX_LABELS = 5_000_000;

    /** A fit request; null fields default to the active policy's α and δ, all model versions, no cost rule. */
    /** {@code since}: fit on the labels that arrived since then only (null: every label). */
    public record FitRequest(String method, Double targetErrorRate, Double delta, boolean activate,
                             String modelVersion, Double costReview, Double costError, java.time.Instant since) {
    }

    /** A stored calibrator version: its report (as stored) and whether it is the active one. */
    public record CalibrationVersion(String useCase, int version, String method, Map<String, Object> report,
                                     boolean active, OffsetDateTime createdAt, OffsetDateTime activatedAt) {
    }

    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final EventOutbox outbox;
    private final EntityManager em;
    private final ObjectMapper json;

    public CalibrationService(LabelRepository labels, UseCaseRegistry registry, EventOutbox outbox, EntityManager em,
                              ObjectMapper json) {
        this.labels = labels;
        this.registry = registry;
        this.outbox = outbox;
        this.em = em;
        this.json = json;
    }

    @WithSpan
    public CalibrationVersion fit(String useCase, FitRequest request, String actor) {
        Policy policy = registry.current(useCase)
                .orElseThrow(() -> PolicyService.unknown(useCase)).policy();
        double alpha = request.targetErrorRate() != null ? request.targetErrorRate() : policy.targetErrorRate();
        double delta = request.delta() != null ? request.delta() : policy.delta();
        if ((request.costReview() == null) != (request.costError() == null)) {
            throw ProblemException.invalidField("costReview", "give costReview and costError together, or neither");
        }
        if (request.costReview() != null && !(request.costReview() < request.costError())) {
            throw ProblemException.invalidField("costReview", "must be less than costError");
        }
        Labels data;
        try {
            data = labels.load(useCase, request.modelVersion(), request.since(), MAX_LABELS);
        } catch (SQLException e) {
            throw ProblemException.unavailable("Labels cannot be read right now; retry.");
        }
        int version = nextVersion(useCase);
        CalibrationFitter.Report report;
        try {
            report = CalibrationFitter.fit(data, request.method(),
                    new CalibrationFitter.Options(alpha, delta, request.costReview(), request.costError(), version));
        } catch (CalibrationException e) {
            throw new ProblemException(Problem.of(422, "calibration-failed", "Calibration failed", e.getMessage()));
        }
        Map<String, Object> stored = reportMap(version, report, alpha, delta, request);
        String params = write(report.calibrator().params());
        String reportJson = write(stored);
        QuarkusTransaction.requiringNew().run(() -> {
            CalibratorEntity row = new CalibratorEntity();
            row.useCase = useCase;
            row.version = nextVersion(useCase);
            if (row.version != version) {
                throw ProblemException.conflict("Another calibration of " + useCase + " was stored meanwhile; retry.");
            }
            row.method = report.calibrator().method();
            row.params = params;
            row.selectedThreshold = report.selectedThreshold();
            row.selectedRawCut = report.selectedRawCut();
            row.report = reportJson;
            row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            row.createdBy = actor;
            row.persist();
        });
        if (request.activate()) {
            return activate(useCase, version, actor);
        }
        return get(useCase, version);
    }

    /** Makes a version the active calibrator; activating the active one changes nothing. */
    @WithSpan
    public CalibrationVersion activate(String useCase, int version, String actor) {
        boolean changed = QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            if (uc == null) {
                throw PolicyService.unknown(useCase);
            }
            CalibratorEntity row = find(useCase, version);
            if (uc.activeCalibratorVersion == version) {
                return false;
            }
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            uc.activeCalibratorVersion = version;
            uc.revision++;
            uc.updatedAt = now;
            row.activatedAt = now;
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("useCase", useCase);
            payload.put("version", version);
            payload.put("method", row.method);
            payload.put("selectedThreshold", row.selectedThreshold);
            payload.put("selectedRawCut", row.selectedRawCut);
            outbox.record(EventOutbox.CALIBRATOR_ACTIVATED, useCase + "/calibrator/" + version, useCase, actor, payload);
            return true;
        });
        if (changed) {
            registry.load(useCase);
        }
        return get(useCase, version);
    }

    public CalibrationVersion get(String useCase, int version) {
        return QuarkusTransaction.requiringNew().call(() -> view(find(useCase, version), activeVersion(useCase)));
    }

    /** Versions newest first; the cursor is the version to continue below. */
    public Page<CalibrationVersion> list(String useCase, Integer below, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            int active = activeVersion(useCase);
            List<CalibratorEntity> rows = em.createQuery("from CalibratorEntity c where c.useCase = :u and c.version < :b"
                            + " order by c.version desc", CalibratorEntity.class)
                    .setParameter("u", useCase).setParameter("b", below == null ? Integer.MAX_VALUE : below)
                    .setMaxResults(limit + 1).getResultList();
            return Page.of(rows, limit, r -> String.valueOf(r.version)).map(r -> view(r, active));
        });
    }

    private int activeVersion(String useCase) {
        UseCaseEntity uc = UseCaseEntity.findById(useCase);
        if (uc == null) {
            throw PolicyService.unknown(useCase);
        }
        return uc.activeCalibratorVersion;
    }

    private int nextVersion(String useCase) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Integer max = em.createQuery("select max(c.version) from CalibratorEntity c where c.useCase = :u", Integer.class)
                    .setParameter("u", useCase).getSingleResult();
            return max == null ? 1 : max + 1;
        });
    }

    private CalibratorEntity find(String useCase, int version) {
        activeVersion(useCase);
        CalibratorEntity row = CalibratorEntity.find("useCase = ?1 and version = ?2", useCase, version).firstResult();
        if (row == null) {
            throw ProblemException.notFound("Use case " + useCase + " has no calibrator version " + version);
        }
        return row;
    }

    @SuppressWarnings("unchecked")
    private CalibrationVersion view(CalibratorEntity row, int activeVersion) {
        Map<String, Object> report;
        try {
            report = row.report == null ? Map.of("version", row.version, "method", row.method)
                    : json.readValue(row.report, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored calibration report is unreadable", e);
        }
        return new CalibrationVersion(row.useCase, row.version, row.method, report, row.version == activeVersion,
                row.createdAt, row.activatedAt);
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
