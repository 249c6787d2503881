package dev.oversight.review.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.problem.ProblemException;
import dev.oversight.review.domain.Task;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * What the review service's changes tell others, written in the change's own transaction: events for the audit
 * trail and outcomes for the router. Gold items are not decisions and tell nobody. Also the JSON text helpers the
 * services share, and their one transaction wrapper.
 */
@ApplicationScoped
public class ReviewOutbox {

    /** Outbox destinations. */
    public static final String AUDIT = "audit";
    public static final String ROUTER = "router";

    private final AgroalDataSource db;
    private final ObjectMapper json;
    private final ObjectMapper canonical;

    public ReviewOutbox(AgroalDataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
        this.canonical = json.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** Runs the work in one transaction; a database that cannot be reached is a 503. */
    public <T> T tx(Transactions.Work<T> work) {
        try {
            return Transactions.inTransaction(db, work);
        } catch (SQLException e) {
            throw ProblemException.unavailable("The review queue cannot be reached right now; retry.");
        }
    }

    /** The fields every event of a task carries. */
    public ObjectNode payload(Task t) {
        ObjectNode p = json.createObjectNode();
        p.put("decisionId", t.decisionId().toString());
        p.put("taskId", t.id().toString());
        p.put("useCase", t.useCase());
        return p;
    }

    /** An event for the audit trail, in the trace of the decision the task reviews (none for gold items). */
    public OutboxEvent event(Connection c, String type, Task task, String actor, ObjectNode payload)
            throws SQLException {
        OutboxEvent e = auditEvent(type, task, actor, payload);
        if (!task.gold()) {
            OutboxStore.insert(c, e);
        }
        return e;
    }

    /** The same event for several tasks, written in one batch (none for gold items). */
    public void events(Connection c, String type, List<Task> tasks, String actor, Function<Task, ObjectNode> payload)
            throws SQLException {
        OutboxStore.insert(c, tasks.stream().filter(t -> !t.gold())
                .map(t -> auditEvent(type, t, actor, payload.apply(t))).toList());
    }

    private OutboxEvent auditEvent(String type, Task task, String actor, ObjectNode payload) {
        OutboxEvent e = OutboxEvent.of(AUDIT, type, task.id().toString(), task.useCase(), actor, text(payload));
        return task.traceparent() != null ? e.withTrace(task.traceparent()) : e;
    }

    /** The same event, to the router, with its own body. */
    public void toRouter(Connection c, OutboxEvent event, ObjectNode body) throws SQLException {
        OutboxStore.insert(c, event.to(ROUTER, text(body)));
    }

    /** JSON text in a canonical form (keys sorted), so equal values compare equal as text. */
    public String canonicalText(String jsonText) {
        if (jsonText == null) {
            return null;
        }
        try {
            return canonical.writeValueAsString(json.readValue(jsonText, Object.class));
        } catch (JsonProcessingException e) {
            return jsonText;
        }
    }

    public JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    public String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("A JSON value could not be serialized");
        }
    }
}
