package dev.oversight.routing.calibration.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.UnknownUseCase;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.calibration.CalibrationException;
import dev.oversight.routing.domain.calibration.CalibrationFitter;
import dev.oversight.routing.domain.calibration.Labels;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.command.OversightGate.Judgement;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import dev.oversight.routing.domain.command.OversightGate;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import dev.oversight.routing.policy.service.OversightSettings;
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
 * Fits calibrators from stored labels into immutable versions, and activates them: activation swaps the router's
 * in-memory calibrator (and, with {@code threshold: null} policies, its threshold) without a restart. Every
 * activation (manual, scheduled, or back to an older version) goes through the oversight gate: one that loosens
 * oversight waits for a second person under four eyes, and is never made by a machine. A fit's request-level
 * targetErrorRate and delta never replace the policy's for an activation: a version selected at a looser one than the
 * policy's is refused.
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

    /**
     * A stored calibrator version: its report (as stored), whether it is the active one, and its activation's approval
     * (null unless an activation waited for a second person).
     */
    public record CalibrationVersion(String useCase, int version, String method, Map<String, Object> report,
                                     boolean active, OffsetDateTime createdAt, OffsetDateTime activatedAt,
                                     Approval approval) {

        public boolean pending() {
            return approval != null && "PENDING".equals(approval.status());
        }
    }

    /** Four eyes on an activation: who asked, why it waits (how it loosens oversight), who approved. */
    public record Approval(String status, List<String> loosens, String requestedBy, OffsetDateTime requestedAt,
                           String approvedBy, OffsetDateTime approvedAt) {
    }

    /** What an activation did: the version, the gate's outcome and how it loosens oversight, if it does. */
    public record Activation(CalibrationVersion version, Outcome outcome, List<String> loosens) {
    }

    private final LabelRepository labels;
    private final UseCaseRegistry registry;
    private final EventOutbox outbox;
    private final EntityManager em;
    private final ObjectMapper json;
    private final OversightSettings settings;

    public CalibrationService(LabelRepository labels, UseCaseRegistry registry, EventOutbox outbox, EntityManager em,
                              ObjectMapper json, OversightSettings settings) {
        this.labels = labels;
        this.registry = registry;
        this.outbox = outbox;
        this.em = em;
        this.json = json;
        this.settings = settings;
    }

    /** Fits a new version; with {@code activate}, activates it through the gate ({@link #activate}). */
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
            data = labels.load(useCase, request.modelVersion(), request.since(), MAX_LABELS);
            provenance = labels.provenance(useCase, request.modelVersion(), request.since());
        } catch (SQLException e) {
            throw new Failure.Unavailable("Labels cannot be read right now; retry.");
        }
        int version = nextVersion(useCase);
        CalibrationFitter.Report report;
        try {
            report = CalibrationFitter.fit(data, request.method(),
                    new CalibrationFitter.Options(alpha, delta, request.costReview(), request.costError(), version));
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
            return activate(useCase, version, actor);
        }
        return new Activation(get(useCase, version), null, List.of());
    }

    /**
     * Asks for a version to be the active calibrator, through the oversight gate: a tightening (or, without four eyes,
     * a person's) activation applies at once; under four eyes a loosening one waits for a second person
     * ({@link #approve}); a machine's loosening one is not made. Activating the active one changes nothing.
     */
    @WithSpan
    public Activation activate(String useCase, int version, Actor actor) {
        // The gate's judgement, or null when the version is already the active one (nothing changes, nothing reloads).
        Judgement judged = QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
            CalibratorEntity row = find(useCase, version);
            if (uc.activeCalibratorVersion == version) {
                return null;
            }
            OversightSetting inForce = settings.inForce(uc);
            checkFittedFor(row, inForce.policy());
            Judgement judgement = OversightGate.judge(inForce, inForce.withCalibrator(settings.calibrator(row)), actor);
            switch (judgement.outcome()) {
                case APPLY -> apply(uc, row, actor.name(), null);
                case AWAIT_SECOND_PERSON -> {
                    row.approval = "PENDING";
                    row.loosens = judgement.loosensText().toArray(String[]::new);
                    row.requestedBy = actor.name();
                    row.requestedByIssuer = actor.issuer();
                    row.requestedBySubject = actor.subject();
                    row.requestedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    row.requestedOver = uc.activeCalibratorVersion;
                    row.approvedBy = null;
                    row.approvedAt = null;
                    outbox.record(EventOutbox.CALIBRATOR_ACTIVATION_REQUESTED, useCase + "/calibrator/" + version,
                            useCase, actor.name(),
                            Map.of("useCase", useCase, "version", version, "inForce", uc.activeCalibratorVersion,
                                    "loosens", judgement.loosensText()));
                }
                case REFUSED_TO_MACHINE -> {
                }
            }
            return judgement;
        });
        if (judged == null) {
            return new Activation(get(useCase, version), Outcome.APPLY, List.of());
        }
        if (judged.outcome() == Outcome.APPLY) {
            registry.load(useCase);
        }
        return new Activation(get(useCase, version), judged.outcome(), judged.loosensText());
    }

    /**
     * Four eyes on an activation: another person than the one who asked makes a pending version the active one, as
     * long as the version it was asked over is still in force.
     */
    @WithSpan
    public CalibrationVersion approve(String useCase, int version, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
            CalibratorEntity row = find(useCase, version);
            if (!"PENDING".equals(row.approval)) {
                throw new Failure.Conflict("Calibrator version " + version + " is not waiting for approval");
            }
            if (actor.isMachine() || actor.samePersonAs(row.requestedBy, row.requestedByIssuer,
                    row.requestedBySubject)) {
                throw new Failure.NotAllowed("Four eyes: " + actor.name() + " asked for this activation and cannot"
                        + " approve it; another admin must.");
            }
            if (row.requestedOver == null || row.requestedOver != uc.activeCalibratorVersion) {
                throw new Failure.Conflict("The activation of version " + version + " was asked over version "
                        + row.requestedOver + ", but version " + uc.activeCalibratorVersion + " is in force now;"
                        + " ask for it again.");
            }
            checkFittedFor(row, settings.inForce(uc).policy());
            row.approval = "APPROVED";
            row.approvedBy = actor.name();
            row.approvedAt = OffsetDateTime.now(ZoneOffset.UTC);
            apply(uc, row, row.requestedBy, actor.name());
        });
        registry.load(useCase);
        return get(useCase, version);
    }

    /** Puts a version in force in the caller's transaction (which holds the use case's row lock), with its event. */
    private void apply(UseCaseEntity uc, CalibratorEntity row, String actor, String approvedBy) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("useCase", uc.name);
        payload.put("version", row.version);
        payload.put("method", row.method);
        payload.put("selectedThreshold", row.selectedThreshold);
        payload.put("selectedRawCut", row.selectedRawCut);
        payload.put("previousVersion", uc.activeCalibratorVersion);
        if (approvedBy != null) {
            payload.put("approvedBy", approvedBy);
        }
        if (approvedBy == null && "PENDING".equals(row.approval)) {
            // Asked for again where it needs no second person (four eyes turned off meanwhile): it applies now.
            row.approval = null;
            row.loosens = null;
        }
        uc.activeCalibratorVersion = row.version;
        uc.touch(now);
        row.activatedAt = now;
        outbox.record(EventOutbox.CALIBRATOR_ACTIVATED, uc.name + "/calibrator/" + row.version, uc.name, actor,
                payload);
    }

    /** A version whose cut was selected at a looser targetErrorRate or delta than the policy's is not activated. */
    private void checkFittedFor(CalibratorEntity row, Policy policy) {
        Map<String, Object> report = reportOf(row);
        if (number(report, "targetErrorRate") > policy.targetErrorRate() || number(report, "delta") > policy.delta()) {
            throw new Failure.Conflict("Calibrator version " + row.version + " selected its cut at targetErrorRate "
                    + report.get("targetErrorRate") + " and delta " + report.get("delta") + "; the policy asks for "
                    + policy.targetErrorRate() + " and " + policy.delta() + ". Fit again without targetErrorRate and"
                    + " delta to activate.");
        }
    }

    private static double number(Map<String, Object> report, String key) {
        return report.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> reportOf(CalibratorEntity row) {
        try {
            return row.report == null ? Map.of() : json.readValue(row.report, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored calibration report is unreadable", e);
        }
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
        return UseCaseEntity.named(useCase).activeCalibratorVersion;
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
            throw new Failure.NotFound("Use case " + useCase + " has no calibrator version " + version);
        }
        return row;
    }

    private CalibrationVersion view(CalibratorEntity row, int activeVersion) {
        Map<String, Object> report = row.report == null ? Map.of("version", row.version, "method", row.method)
                : reportOf(row);
        Approval approval = row.approval == null ? null : new Approval(row.approval,
                row.loosens == null ? List.of() : List.of(row.loosens), row.requestedBy, row.requestedAt,
                row.approvedBy, row.approvedAt);
        return new CalibrationVersion(row.useCase, row.version, row.method, report, row.version == activeVersion,
                row.createdAt, row.activatedAt, approval);
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
