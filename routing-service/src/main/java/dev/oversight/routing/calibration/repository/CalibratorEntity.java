package dev.oversight.routing.calibration.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "calibrator")
public class CalibratorEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "use_case")
    public String useCase;
    public int version;
    public String method;
    @JdbcTypeCode(SqlTypes.JSON)
    public String params;
    @Column(name = "selected_threshold")
    public Double selectedThreshold;

    /** The certified raw-score cut the router releases at (null: none certified, or fitted before cuts existed). */
    @Column(name = "selected_raw_cut")
    public Double selectedRawCut;
    /** Bound as text and cast, so the report keeps the key order it was written with. */
    @ColumnTransformer(write = "?::json")
    public String report;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;
    /** The fit's upper confidence bound on the error rate above its selected cut (null: none selected). */
    @Column(name = "error_rate_upper_bound")
    public Double errorRateUpperBound;
    /** Null unless an activation waits for a second person (PENDING) or was approved by one (APPROVED). */
    public String approval;
    @JdbcTypeCode(SqlTypes.ARRAY)
    public String[] loosens;
    @Column(name = "requested_by")
    public String requestedBy;
    @Column(name = "requested_by_issuer")
    public String requestedByIssuer;
    @Column(name = "requested_by_subject")
    public String requestedBySubject;
    @Column(name = "requested_at")
    public OffsetDateTime requestedAt;
    /** The calibrator version in force when the activation was asked for: approval needs it still in force. */
    @Column(name = "requested_over")
    public Integer requestedOver;
    @Column(name = "approved_by")
    public String approvedBy;
    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;
}
