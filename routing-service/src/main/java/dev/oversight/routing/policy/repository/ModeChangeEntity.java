package dev.oversight.routing.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "mode_change")
public class ModeChangeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "use_case")
    public String useCase;
    public String mode;
    public String reason;
    @Column(name = "changed_by")
    public String changedBy;
    @Column(name = "changed_by_issuer")
    public String changedByIssuer;
    @Column(name = "changed_by_subject")
    public String changedBySubject;
    @Column(name = "changed_at")
    public OffsetDateTime changedAt;
    /** Null when applied at once; PENDING while a loosening switch waits for a second admin; then APPROVED. */
    public String approval;
    @Column(name = "approved_by")
    public String approvedBy;
    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    /** The newest pending switch of the use case asked for after the switch in force, if any. */
    public static ModeChangeEntity pendingAfter(UseCaseEntity uc) {
        return uc.modeChangedAt == null
                ? ModeChangeEntity.<ModeChangeEntity>find("useCase = ?1 and approval = 'PENDING' order by id desc",
                        uc.name).firstResult()
                : ModeChangeEntity.<ModeChangeEntity>find(
                        "useCase = ?1 and approval = 'PENDING' and changedAt > ?2 order by id desc", uc.name,
                        uc.modeChangedAt).firstResult();
    }
}
