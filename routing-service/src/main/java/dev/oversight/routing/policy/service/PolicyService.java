package dev.oversight.routing.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.calibration.service.Recalibrator;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.Rule;
import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.RuleSet;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.command.OversightGate.Judgement;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import dev.oversight.routing.domain.command.OversightGate;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.policy.repository.ModeChangeEntity;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Use cases, their versioned policies and their mode switch. */
@ApplicationScoped
public class PolicyService {

    private final EntityManager em;
    private final ObjectMapper json;
    private final UseCaseRegistry registry;
    private final EventOutbox outbox;
    private final OversightSettings settings;
    private final KeyedDigest digest;

    public PolicyService(EntityManager em, ObjectMapper json, UseCaseRegistry registry, EventOutbox outbox,
                         OversightSettings settings, KeyedDigest digest) {
        this.digest = digest;
        this.em = em;
        this.json = json;
        this.registry = registry;
        this.outbox = outbox;
        this.settings = settings;
    }

    /**
     * Makes {@code policy} the active version, creating the use case on its first policy. Saving the active policy
     * again changes nothing. Rules are compiled first: a policy whose rules do not compile is never stored. The
     * version goes through the oversight gate: under four eyes (the policy in force has {@code fourEyes}) a version
     * that loosens oversight is stored PENDING and takes effect only when another person approves it.
     */
    @WithSpan
    public PolicyVersion putPolicy(String useCase, Policy policy, Actor actor) {
        checkRules("reviewRules", policy.reviewRules());
        checkRules("blockRules", policy.blockRules());
        String document = write(policy);
        PolicyVersion saved = QuarkusTransaction.requiringNew().call(() -> {
            OffsetDateTime now = now();
            UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            if (uc == null && createUseCase(useCase)) {
                return storePolicy(useCase, 1, document, policy, actor, now, List.of());
            }
            if (uc == null) {
                uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            }
            OversightSetting inForce = settings.inForce(uc);
            if (inForce.policy().equals(policy)) {
                return view(policyRow(useCase, uc.activePolicyVersion), policy, false);
            }
            Integer latest = em.createQuery("select max(p.version) from PolicyEntity p where p.useCase = :u", Integer.class)
                    .setParameter("u", useCase).getSingleResult();
            Judgement judgement = OversightGate.judge(inForce, inForce.withPolicy(policy), actor);
            if (judgement.outcome() == Outcome.REFUSED_TO_MACHINE) {
                throw new Failure.NotAllowed(actor.name() + " may only tighten oversight; this policy loosens it: "
                        + judgement.loosensText());
            }
            List<String> loosens = judgement.outcome() == Outcome.AWAIT_SECOND_PERSON ? judgement.loosensText()
                    : List.of();
            if (loosens.isEmpty()) {
                uc.activePolicyVersion = latest + 1;
                touch(uc, now);
            }
            return storePolicy(useCase, latest + 1, document, policy, actor, now, loosens);
        });
        registry.load(useCase);
        return saved;
    }

    /**
     * The second pair of eyes: another admin than its author makes a PENDING version the one in force. A version
     * older than the one in force can no longer be approved (it would undo later changes).
     */
    @WithSpan
    public PolicyVersion approve(String useCase, int version, Actor actor) {
        PolicyVersion approved = QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            if (uc == null) {
                throw unknown(useCase);
            }
            PolicyEntity row = policyRow(useCase, version);
            if (row == null) {
                throw new Failure.NotFound("Use case '" + useCase + "' has no policy version " + version);
            }
            if (!"PENDING".equals(row.approval)) {
                throw new Failure.Conflict("Policy version " + version + " is not waiting for approval"
                        + (row.approval == null ? " (it took effect when it was saved)" : " (it is approved)"));
            }
            if (actor.isMachine() || actor.samePersonAs(row.createdBy, row.createdByIssuer, row.createdBySubject)) {
                throw new Failure.NotAllowed("Four eyes: " + actor.name() + " wrote version " + version
                        + " and cannot approve it; another admin must.");
            }
            if (version < uc.activePolicyVersion) {
                throw new Failure.Conflict("Policy version " + version + " is older than version "
                        + uc.activePolicyVersion + " in force; save it again to propose it anew.");
            }
            OffsetDateTime now = now();
            row.approval = "APPROVED";
            row.approvedBy = actor.name();
            row.approvedAt = now;
            uc.activePolicyVersion = version;
            touch(uc, now);
            outbox.record(EventOutbox.POLICY_APPROVED, useCase + "/policy/" + version + "/approval", useCase,
                    actor.name(), Map.of("useCase", useCase, "version", version, "author", row.createdBy,
                            "approvedBy", actor.name()));
            return view(row, registry.readPolicy(row.document), false);
        });
        registry.load(useCase);
        return approved;
    }

    @WithSpan
    public UseCaseView useCase(String useCase) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity uc = find(useCase);
            PolicyEntity p = policyRow(useCase, uc.activePolicyVersion);
            CalibratorEntity c = CalibratorEntity.find("useCase = ?1 and version = ?2", useCase,
                    uc.activeCalibratorVersion).firstResult();
            ModeChangeEntity pending = pendingModeChange(uc);
            CalibratorEntity proposal = CalibratorEntity.find("useCase = ?1 and createdBy = ?2 and version > ?3"
                    + " and activatedAt is null order by version desc", useCase, Recalibrator.ACTOR,
                    uc.activeCalibratorVersion).firstResult();
            return new UseCaseView(uc.name, Mode.valueOf(uc.mode), uc.modeReason, uc.modeChangedAt, uc.modeChangedBy,
                    view(p, registry.readPolicy(p.document), false), uc.activeCalibratorVersion,
                    c == null ? null : c.method, uc.createdAt, uc.updatedAt,
                    pending == null ? null : new UseCaseView.PendingModeChange(pending.id, Mode.valueOf(pending.mode),
                            pending.reason, pending.changedBy, pending.changedAt),
                    proposal == null ? null : proposal.version);
        });
    }

    /** Every use case by name; the cursor is the name to continue after. */
    public Page<UseCaseSummary> useCases(String after, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UseCaseEntity> rows = em.createQuery("from UseCaseEntity u where u.name > :after order by u.name",
                            UseCaseEntity.class)
                    .setParameter("after", after == null ? "" : after)
                    .setMaxResults(limit + 1)
                    .getResultList();
            return Page.of(rows, limit, u -> u.name).map(u -> new UseCaseSummary(u.name, Mode.valueOf(u.mode),
                    u.modeReason, u.modeChangedAt, u.modeChangedBy, u.activePolicyVersion, u.activeCalibratorVersion,
                    u.updatedAt));
        });
    }

    /** Policy versions, newest first; the cursor is the version to continue below. */
    public Page<PolicyVersion> policies(String useCase, Integer below, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            find(useCase);
            List<PolicyEntity> rows = em.createQuery("from PolicyEntity p where p.useCase = :u and p.version < :below"
                            + " order by p.version desc", PolicyEntity.class)
                    .setParameter("u", useCase)
                    .setParameter("below", below == null ? Integer.MAX_VALUE : below)
                    .setMaxResults(limit + 1)
                    .getResultList();
            return Page.of(rows, limit, p -> String.valueOf(p.version))
                    .map(p -> view(p, registry.readPolicy(p.document), false));
        });
    }

    /**
     * Flips the human-in-command switch; it holds from the very next request this instance routes. The switch goes
     * through the oversight gate: under four eyes a switch that loosens (HALT to REVIEW_ALL, anything to AUTO) is
     * stored as pending and waits for another person ({@link #approveModeChange}).
     */
    @WithSpan
    public UseCaseView setMode(String useCase, Mode mode, String reason, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            if (uc == null) {
                throw unknown(useCase);
            }
            OversightSetting inForce = settings.inForce(uc);
            Judgement judgement = OversightGate.judge(inForce, inForce.withMode(mode), actor);
            switch (judgement.outcome()) {
                case APPLY -> applyMode(uc, mode, reason, actor);
                case AWAIT_SECOND_PERSON -> {
                    ModeChangeEntity change = modeChange(useCase, mode, reason, actor, now(), "PENDING");
                    outbox.record(EventOutbox.MODE_CHANGE_REQUESTED, useCase + "/mode/" + change.id, useCase,
                            actor.name(), Map.of("useCase", useCase, "mode", mode.name(), "reasonHmac", digest.hex(reason),
                                    "from", uc.mode, "loosens", judgement.loosensText()));
                }
                case REFUSED_TO_MACHINE -> throw new Failure.NotAllowed(actor.name()
                        + " may only tighten oversight; switching to " + mode + " loosens it");
            }
        });
        registry.load(useCase);
        return useCase(useCase);
    }

    /**
     * A machine's switch ({@code system:*}), inside the caller's transaction: applied only if it tightens oversight
     * (so the drift watchdog can move AUTO to REVIEW_ALL, but never lifts a HALT). Answers whether it applied; the
     * caller reloads the registry after commit.
     */
    public boolean tightenMode(String useCase, Mode mode, String reason, Actor machine) {
        UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
        if (uc == null) {
            throw unknown(useCase);
        }
        OversightSetting inForce = settings.inForce(uc);
        if (inForce.mode() == mode
                || OversightGate.judge(inForce, inForce.withMode(mode), machine).outcome() != Outcome.APPLY) {
            return false;
        }
        applyMode(uc, mode, reason, machine);
        return true;
    }

    /** Four eyes on the switch: another person than the one who asked puts a pending switch into effect. */
    @WithSpan
    public UseCaseView approveModeChange(String useCase, long changeId, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            UseCaseEntity uc = em.find(UseCaseEntity.class, useCase, LockModeType.PESSIMISTIC_WRITE);
            if (uc == null) {
                throw unknown(useCase);
            }
            ModeChangeEntity change = ModeChangeEntity.findById(changeId);
            if (change == null || !change.useCase.equals(useCase)) {
                throw new Failure.NotFound("Use case '" + useCase + "' has no mode change " + changeId);
            }
            if (!"PENDING".equals(change.approval)) {
                throw new Failure.Conflict("Mode change " + changeId + " is not waiting for approval");
            }
            if (actor.isMachine()
                    || actor.samePersonAs(change.changedBy, change.changedByIssuer, change.changedBySubject)) {
                throw new Failure.NotAllowed("Four eyes: " + actor.name() + " asked for this switch and cannot"
                        + " approve it; another admin must.");
            }
            ModeChangeEntity latest = pendingModeChange(uc);
            if (latest == null || latest.id.longValue() != changeId) {
                throw new Failure.Conflict("Mode change " + changeId + " was overtaken by a later change;"
                        + " ask for it again.");
            }
            change.approval = "APPROVED";
            change.approvedBy = actor.name();
            change.approvedAt = now();
            applyMode(uc, Mode.valueOf(change.mode), change.reason + " (approved by " + actor.name() + ")",
                    new Actor(change.changedBy, change.changedByIssuer, change.changedBySubject));
        });
        registry.load(useCase);
        return useCase(useCase);
    }

    /** The newest pending switch asked for after the switch in force, if any. */
    private ModeChangeEntity pendingModeChange(UseCaseEntity uc) {
        return uc.modeChangedAt == null
                ? ModeChangeEntity.find("useCase = ?1 and approval = 'PENDING' order by id desc", uc.name).firstResult()
                : ModeChangeEntity.find("useCase = ?1 and approval = 'PENDING' and changedAt > ?2 order by id desc",
                        uc.name, uc.modeChangedAt).firstResult();
    }

    /** The switch inside the caller's transaction, which holds the use case's row lock (with its audit event). */
    private void applyMode(UseCaseEntity uc, Mode mode, String reason, Actor actor) {
        OffsetDateTime now = now();
        uc.mode = mode.name();
        uc.modeReason = reason;
        uc.modeChangedAt = now;
        uc.modeChangedBy = actor.name();
        touch(uc, now);
        ModeChangeEntity change = modeChange(uc.name, mode, reason, actor, now, null);
        outbox.record(EventOutbox.MODE_CHANGED, uc.name + "/mode/" + change.id, uc.name, actor.name(),
                Map.of("useCase", uc.name, "mode", mode.name(), "reasonHmac", digest.hex(reason)));
    }

    /** A row of the switch's history: applied ({@code approval} null) or waiting for a second admin (PENDING). */
    private static ModeChangeEntity modeChange(String useCase, Mode mode, String reason, Actor actor,
                                               OffsetDateTime at, String approval) {
        ModeChangeEntity change = new ModeChangeEntity();
        change.useCase = useCase;
        change.mode = mode.name();
        change.reason = reason;
        change.changedBy = actor.name();
        change.changedByIssuer = actor.issuer();
        change.changedBySubject = actor.subject();
        change.changedAt = at;
        change.approval = approval;
        change.persist();
        return change;
    }

    public static Failure unknown(String useCase) {
        return new Failure.NotFound("Use case '" + useCase + "' does not exist; create it with"
                + " PUT /v1/use-cases/" + useCase + "/policy");
    }

    private UseCaseEntity find(String useCase) {
        UseCaseEntity uc = UseCaseEntity.findById(useCase);
        if (uc == null) {
            throw unknown(useCase);
        }
        return uc;
    }

    private boolean createUseCase(String useCase) {
        int inserted = em.createNativeQuery("INSERT INTO use_case (name, active_policy_version, active_calibrator_version)"
                        + " VALUES (?1, 1, 1) ON CONFLICT (name) DO NOTHING")
                .setParameter(1, useCase).executeUpdate();
        if (inserted == 0) {
            return false;
        }
        CalibratorEntity identity = new CalibratorEntity();
        identity.useCase = useCase;
        identity.version = 1;
        identity.method = "identity";
        identity.params = "{}";
        identity.createdAt = now();
        identity.persist();
        return true;
    }

    private PolicyVersion storePolicy(String useCase, int version, String document, Policy policy, Actor actor,
                                      OffsetDateTime now, List<String> loosens) {
        PolicyEntity row = new PolicyEntity();
        row.useCase = useCase;
        row.version = version;
        row.document = document;
        row.createdAt = now;
        row.createdBy = actor.name();
        row.createdByIssuer = actor.issuer();
        row.createdBySubject = actor.subject();
        if (!loosens.isEmpty()) {
            row.approval = "PENDING";
            row.loosens = loosens.toArray(String[]::new);
        }
        row.persist();
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("useCase", useCase);
        payload.put("version", version);
        payload.put("policy", policy);
        if (!loosens.isEmpty()) {
            payload.put("pendingApproval", true);
            payload.put("loosens", loosens);
        }
        outbox.record(EventOutbox.POLICY_CHANGED, useCase + "/policy/" + version, useCase, actor.name(), payload);
        return view(row, policy, true);
    }

    private static PolicyEntity policyRow(String useCase, int version) {
        return PolicyEntity.find("useCase = ?1 and version = ?2", useCase, version).firstResult();
    }

    private static void touch(UseCaseEntity uc, OffsetDateTime now) {
        uc.revision++;
        uc.updatedAt = now;
    }

    private static PolicyVersion view(PolicyEntity row, Policy policy, boolean created) {
        return new PolicyVersion(row.useCase, row.version, policy, row.createdAt, row.createdBy, created, row.approval,
                row.loosens == null ? List.of() : List.of(row.loosens), row.approvedBy, row.approvedAt);
    }

    private static void checkRules(String field, List<Rule> rules) {
        try {
            RuleSet.compile(rules);
        } catch (RuleCompilationException e) {
            int index = 0;
            while (!rules.get(index).name().equals(e.ruleName())) {
                index++;
            }
            throw new Failure.Invalid(field + "[" + index + "].when",
                    "rule '" + e.ruleName() + "' does not compile: " + e.getMessage());
        }
    }

    private String write(Policy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A policy always serializes", e);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
