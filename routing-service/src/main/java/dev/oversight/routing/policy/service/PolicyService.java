package dev.oversight.routing.policy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.http.Page;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.Rule;
import dev.oversight.routing.domain.RuleCompilationException;
import dev.oversight.routing.domain.RuleSet;
import dev.oversight.routing.domain.SegmentKey;
import dev.oversight.routing.domain.Segments;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.evaluation.Equivalence;
import dev.oversight.routing.domain.command.OversightGate.Judgement;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import dev.oversight.routing.domain.command.OversightGate;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The versioned policies of use cases, through the oversight gate; a use case is created by its first policy. */
@ApplicationScoped
public class PolicyService {

    private final EntityManager em;
    private final ObjectMapper json;
    private final UseCaseRegistry registry;
    private final EventOutbox outbox;
    private final OversightSettings settings;
    private final AgroalDataSource db;

    public PolicyService(EntityManager em, ObjectMapper json, UseCaseRegistry registry, EventOutbox outbox,
                         OversightSettings settings, AgroalDataSource db) {
        this.db = db;
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
        return putPolicy(useCase, policy, actor, null);
    }

    /** What else a change records, in its own transaction: it happens exactly when the new version is stored. */
    @FunctionalInterface
    public interface Alongside {
        void record(Connection c, PolicyVersion saved) throws SQLException;
    }

    /**
     * The same, with {@code alongside} run in the transaction that stores the new version (not when nothing changed),
     * on a connection that joins it: a promotion's labels and record exist exactly when its policy version does.
     */
    public PolicyVersion putPolicy(String useCase, Policy policy, Actor actor, Alongside alongside) {
        checkRules("reviewRules", policy.reviewRules());
        checkRules("blockRules", policy.blockRules());
        checkEquivalence(policy.equivalence());
        checkSegments(policy.segments());
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
                return PolicyVersion.of(PolicyEntity.version(useCase, uc.activePolicyVersion), policy, false);
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
                uc.touch(now);
            }
            PolicyVersion stored = storePolicy(useCase, latest + 1, document, policy, actor, now, loosens);
            if (alongside != null) {
                try (Connection c = db.getConnection()) {
                    alongside.record(c, stored);
                } catch (SQLException e) {
                    throw new Failure.Unavailable("The change could not be stored right now; retry.");
                }
            }
            return stored;
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
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
            PolicyEntity row = PolicyEntity.version(useCase, version);
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
            uc.touch(now);
            outbox.record(EventOutbox.POLICY_APPROVED, useCase + "/policy/" + version + "/approval", useCase,
                    actor.name(), Map.of("useCase", useCase, "version", version, "author", row.createdBy,
                            "approvedBy", actor.name()));
            return PolicyVersion.of(row, registry.readPolicy(row.document), false);
        });
        registry.load(useCase);
        return approved;
    }

    /** Policy versions, newest first; the cursor is the version to continue below. */
    public Page<PolicyVersion> policies(String useCase, Integer below, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity.named(useCase);
            List<PolicyEntity> rows = em.createQuery("from PolicyEntity p where p.useCase = :u and p.version < :below"
                            + " order by p.version desc", PolicyEntity.class)
                    .setParameter("u", useCase)
                    .setParameter("below", below == null ? Integer.MAX_VALUE : below)
                    .setMaxResults(limit + 1)
                    .getResultList();
            return Page.of(rows, limit, p -> String.valueOf(p.version))
                    .map(p -> PolicyVersion.of(p, registry.readPolicy(p.document), false));
        });
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
        return PolicyVersion.of(row, policy, true);
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

    private static void checkEquivalence(String equivalence) {
        if (equivalence == null) {
            return;
        }
        try {
            Equivalence.compile(equivalence);
        } catch (RuleCompilationException e) {
            throw new Failure.Invalid("equivalence", "does not compile to a bool over candidate and reference: "
                    + e.getMessage());
        }
    }

    private static void checkSegments(Segments segments) {
        if (segments == null) {
            return;
        }
        try {
            SegmentKey.compile(segments.by());
        } catch (RuleCompilationException e) {
            throw new Failure.Invalid("segments.by", "does not compile over attributes: " + e.getMessage());
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
