package dev.oversight.routing.policy.repository;

import dev.oversight.routing.domain.UnknownUseCase;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

@Entity
@Table(name = "use_case")
public class UseCaseEntity extends PanacheEntityBase {

    @Id
    public String name;
    public String mode;
    @Column(name = "mode_reason")
    public String modeReason;
    @Column(name = "mode_changed_at")
    public OffsetDateTime modeChangedAt;
    @Column(name = "mode_changed_by")
    public String modeChangedBy;
    @Column(name = "active_policy_version")
    public int activePolicyVersion;
    @Column(name = "active_calibrator_version")
    public int activeCalibratorVersion;
    public long revision;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    /** The use case's row, locked for the caller's transaction: changes to one use case are serialized on it. */
    public static UseCaseEntity locked(String name) {
        UseCaseEntity uc = findById(name, LockModeType.PESSIMISTIC_WRITE);
        if (uc == null) {
            throw new UnknownUseCase(name);
        }
        return uc;
    }

    /** The use case's row, read without a lock. */
    public static UseCaseEntity named(String name) {
        UseCaseEntity uc = findById(name);
        if (uc == null) {
            throw new UnknownUseCase(name);
        }
        return uc;
    }

    /** Marks a change of what is in force: other instances see the new revision and reload the use case. */
    public void touch(OffsetDateTime now) {
        revision++;
        updatedAt = now;
    }
}
