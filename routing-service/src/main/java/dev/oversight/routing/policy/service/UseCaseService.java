package dev.oversight.routing.policy.service;

import dev.oversight.common.http.Page;
import dev.oversight.routing.calibration.repository.CalibratorEntity;
import dev.oversight.routing.calibration.service.Recalibrator;
import dev.oversight.routing.config.service.UseCaseRegistry;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.policy.repository.ModeChangeEntity;
import dev.oversight.routing.policy.repository.PolicyEntity;
import dev.oversight.routing.policy.repository.UseCaseEntity;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.List;

/** Use cases as people read them: one with what is in force and what waits for approval, and the list of all. */
@ApplicationScoped
public class UseCaseService {

    private final EntityManager em;
    private final UseCaseRegistry registry;

    public UseCaseService(EntityManager em, UseCaseRegistry registry) {
        this.em = em;
        this.registry = registry;
    }

    @WithSpan
    public UseCaseView useCase(String useCase) {
        return QuarkusTransaction.requiringNew().call(() -> {
            UseCaseEntity uc = UseCaseEntity.named(useCase);
            PolicyEntity p = PolicyEntity.version(useCase, uc.activePolicyVersion);
            CalibratorEntity c = CalibratorEntity.find("useCase = ?1 and version = ?2", useCase,
                    uc.activeCalibratorVersion).firstResult();
            ModeChangeEntity pending = ModeChangeEntity.pendingAfter(uc);
            CalibratorEntity proposal = CalibratorEntity.find("useCase = ?1 and createdBy = ?2 and version > ?3"
                    + " and activatedAt is null order by version desc", useCase, Recalibrator.ACTOR,
                    uc.activeCalibratorVersion).firstResult();
            return new UseCaseView(uc.name, Mode.valueOf(uc.mode), uc.modeReason, uc.modeChangedAt, uc.modeChangedBy,
                    PolicyVersion.of(p, registry.readPolicy(p.document), false), uc.activeCalibratorVersion,
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
}
