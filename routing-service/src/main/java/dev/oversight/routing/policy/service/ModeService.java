package dev.oversight.routing.policy.service;

import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.command.Actor;
import dev.oversight.routing.domain.command.OversightGate;
import dev.oversight.routing.domain.command.OversightGate.Judgement;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import dev.oversight.routing.domain.command.OversightSetting;
import dev.oversight.routing.policy.repository.ModeChangeEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** The human-in-command switch of a use case (AUTO, REVIEW_ALL, HALT), through the oversight gate. */
@ApplicationScoped
public class ModeService {

    private final UseCaseRegistry registry;
    private final UseCaseService useCases;
    private final EventOutbox outbox;
    private final OversightSettings settings;
    private final KeyedDigest digest;

    public ModeService(UseCaseRegistry registry, UseCaseService useCases, EventOutbox outbox,
                       OversightSettings settings, KeyedDigest digest) {
        this.registry = registry;
        this.useCases = useCases;
        this.outbox = outbox;
        this.settings = settings;
        this.digest = digest;
    }

    /**
     * Flips the human-in-command switch; it holds from the very next request this instance routes. The switch goes
     * through the oversight gate: under four eyes a switch that loosens (HALT to REVIEW_ALL, anything to AUTO) is
     * stored as pending and waits for another person ({@link #approveModeChange}).
     */
    @WithSpan
    public UseCaseView setMode(String useCase, Mode mode, String reason, Actor actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
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
        return useCases.useCase(useCase);
    }

    /**
     * A machine's switch ({@code system:*}), inside the caller's transaction: applied only if it tightens oversight
     * (so the drift watchdog can move AUTO to REVIEW_ALL, but never lifts a HALT). Answers whether it applied; the
     * caller reloads the registry after commit.
     */
    public boolean tightenMode(String useCase, Mode mode, String reason, Actor machine) {
        UseCaseEntity uc = UseCaseEntity.locked(useCase);
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
            UseCaseEntity uc = UseCaseEntity.locked(useCase);
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
            ModeChangeEntity latest = ModeChangeEntity.pendingAfter(uc);
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
        return useCases.useCase(useCase);
    }

    /** The switch inside the caller's transaction, which holds the use case's row lock (with its audit event). */
    private void applyMode(UseCaseEntity uc, Mode mode, String reason, Actor actor) {
        OffsetDateTime now = now();
        uc.mode = mode.name();
        uc.modeReason = reason;
        uc.modeChangedAt = now;
        uc.modeChangedBy = actor.name();
        uc.touch(now);
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

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
