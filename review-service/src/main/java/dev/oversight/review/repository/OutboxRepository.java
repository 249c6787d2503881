package dev.oversight.review.repository;

import dev.oversight.common.id.Ids;
import io.opentelemetry.api.trace.Span;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Events for the router and the audit service, written in the transaction of the change they describe. */
@ApplicationScoped
public class OutboxRepository {

    public void record(Connection c, String type, String subjectId, String useCase, String actor, String payloadJson)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (event_id, type, subject_id, use_case, actor,"
                + " trace_id, occurred_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            ps.setObject(1, Ids.newId());
            ps.setString(2, type);
            ps.setString(3, subjectId);
            ps.setString(4, useCase);
            ps.setString(5, actor);
            ps.setString(6, Span.current().getSpanContext().isValid() ? Span.current().getSpanContext().getTraceId() : null);
            ps.setTimestamp(7, Timestamp.from(Instant.now()));
            ps.setString(8, payloadJson);
            ps.executeUpdate();
        }
    }
}
