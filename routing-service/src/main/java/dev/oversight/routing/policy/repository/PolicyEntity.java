package dev.oversight.routing.policy.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "policy")
public class PolicyEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "use_case")
    public String useCase;
    public int version;
    @JdbcTypeCode(SqlTypes.JSON)
    public String document;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_by_issuer")
    public String createdByIssuer;
    @Column(name = "created_by_subject")
    public String createdBySubject;
    /** Null when the version took effect on saving; PENDING while it waits for a second admin; then APPROVED. */
    public String approval;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] loosens;
    @Column(name = "approved_by")
    public String approvedBy;
    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    /** One version of the use case's policy; null when there is no such version. */
    public static PolicyEntity version(String useCase, int version) {
        return find("useCase = ?1 and version = ?2", useCase, version).firstResult();
    }
}
