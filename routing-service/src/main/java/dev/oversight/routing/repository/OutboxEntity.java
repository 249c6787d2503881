package dev.oversight.routing.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "outbox")
public class OutboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "event_id")
    public UUID eventId;
    public String type;
    @Column(name = "subject_id")
    public String subjectId;
    @Column(name = "use_case")
    public String useCase;
    public String actor;
    @Column(name = "trace_id")
    public String traceId;
    @Column(name = "occurred_at")
    public OffsetDateTime occurredAt;
    @JdbcTypeCode(SqlTypes.JSON)
    public String payload;
    @Column(name = "delivered_at")
    public OffsetDateTime deliveredAt;
}
