package dev.oversight.routing.config.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * Records a configuration change for the audit trail in the caller's transaction (the connection joins it), so the
 * event exists exactly when the change it describes does. Delivery is the outbox relay's job.
 */
@ApplicationScoped
public class EventOutbox {

    public static final String AUDIT = OutboxEvent.AUDIT;
    public static final String REVIEW = "review";
    public static final String CALLBACK = "callback";

    public static final String POLICY_CHANGED = "POLICY_CHANGED";
    public static final String POLICY_APPROVED = "POLICY_APPROVED";
    public static final String MODE_CHANGED = "MODE_CHANGED";
    public static final String MODE_CHANGE_REQUESTED = "MODE_CHANGE_REQUESTED";
    public static final String CALIBRATOR_ACTIVATED = "CALIBRATOR_ACTIVATED";
    public static final String CALIBRATOR_ACTIVATION_REQUESTED = "CALIBRATOR_ACTIVATION_REQUESTED";
    public static final String LABELS_IMPORTED = "LABELS_IMPORTED";
    public static final String DECISION_MADE = "DECISION_MADE";
    public static final String TASK_REQUESTED = "TASK_REQUESTED";
    public static final String OUTCOME_NOTIFIED = "OUTCOME_NOTIFIED";
    public static final String DECISION_OVERRIDDEN = "DECISION_OVERRIDDEN";
    public static final String DRIFT_DETECTED = "DRIFT_DETECTED";
    public static final String WEBHOOK_SECRET_ROTATED = "WEBHOOK_SECRET_ROTATED";
    public static final String BENCHMARK_FROZEN = "BENCHMARK_FROZEN";
    public static final String BENCHMARK_ITEM_ERASED = "BENCHMARK_ITEM_ERASED";
    public static final String EVALUATION_RECORDED = "EVALUATION_RECORDED";
    public static final String MODEL_PROMOTED = "MODEL_PROMOTED";
    public static final String REJUDGE_REQUESTED = "REJUDGE_REQUESTED";
    public static final String COMPARISON_REQUESTED = "COMPARISON_REQUESTED";
    public static final String COMPARISON_DONE = "COMPARISON_DONE";
    public static final String INCIDENT_OPENED = "INCIDENT_OPENED";
    public static final String INCIDENT_STEP = "INCIDENT_STEP";
    public static final String REPORT_ISSUED = "REPORT_ISSUED";

    private final ObjectMapper json;
    private final AgroalDataSource db;

    public EventOutbox(ObjectMapper json, AgroalDataSource db) {
        this.json = json;
        this.db = db;
    }

    /** Must run inside a transaction. */
    public void record(String type, String subjectId, String useCase, String actor, Map<String, Object> payload) {
        try (Connection c = db.getConnection()) {
            OutboxStore.insert(c, OutboxEvent.of(AUDIT, type, subjectId, useCase, actor, text(payload)));
        } catch (SQLException e) {
            throw new IllegalStateException("The audit event could not be recorded", e);
        }
    }

    /** The same, on the caller's own connection (a hand-written transaction); answers the event's id. */
    public java.util.UUID record(Connection c, String type, String subjectId, String useCase, String actor,
                                 Map<String, Object> payload) throws SQLException {
        OutboxEvent event = OutboxEvent.of(AUDIT, type, subjectId, useCase, actor, text(payload));
        OutboxStore.insert(c, event);
        return event.eventId();
    }

    private String text(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("An event payload always serializes", ex);
        }
    }
}
