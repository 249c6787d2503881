package dev.oversight.routing.calibration.service;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.command.OversightGate;
import dev.oversight.routing.domain.command.OversightGate.Judgement;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import dev.oversight.routing.policy.service.OversightSettings;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts calibrator versions in force: activation swaps the router's in-memory calibrator (and, with
 * {@code threshold: null} policies, its threshold) without a restart. Every activation (manual, scheduled, or back to
 * an older version) goes through the oversight gate: one that loosens oversight waits for a second person under four
 * eyes, and is never made by a machine. A version selected at a looser targetErrorRate or delta than the policy's is
 * refused.
 */
@ApplicationScoped
public class CalibratorActivation {

    private final CalibratorVersions versions;
    private final UseCaseRegistry registry;
    private final EventOutbox outbox;
    private final OversightSettings settings;

    public CalibratorActivation(CalibratorVersions versions, UseCaseRegistry registry, EventOutbox outbox,
                                OversightSettings settings) {
        this.versions = versions;
        this.registry = registry;
        this.outbox = outbox;
        this.settings = settings;
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
            CalibratorEntity row = versions.find(useCase, version);
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
            return new Activation(versions.get(useCase, version), Outcome.APPLY, List.of());
        }
        if (judged.outcome() == Outcome.APPLY) {
            registry.load(useCase);
        }
        return new Activation(versions.get(useCase, version), judged.outcome(), judged.loosensText());
    }

    /**
     * Four eyes on an activation: another person than the one who asked makes a pending version the active one, as
     * long as the version it was asked over is still in force.
     */
    @WithSpan
    public CalibrationVersion approve(String useCase, int version, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
            CalibratorEntity row = versions.find(useCase, version);
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
        return versions.get(useCase, version);
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
        Map<String, Object> report = versions.reportOf(row);
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
}
