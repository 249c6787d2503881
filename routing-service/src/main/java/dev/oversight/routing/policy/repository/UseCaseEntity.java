package dev.oversight.routing.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
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
}
