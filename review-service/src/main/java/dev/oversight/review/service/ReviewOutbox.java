package dev.oversight.review.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.review.domain.Task;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * What the review service's changes tell others, written in the change's own transaction: events for the audit
 * trail and outcomes for the router. Gold items are not decisions and tell nobody. The caller's transaction
 * ({@link ReviewTransactions}) holds the change and its events together.
 */
@ApplicationScoped
public class ReviewOutbox {

    /** Outbox destinations. */
    public static final String AUDIT = OutboxEvent.AUDIT;
    public static final String ROUTER = "router";

    private final ObjectMapper mapper;
    private final ReviewJson json;

    public ReviewOutbox(ObjectMapper mapper, ReviewJson json) {
        this.mapper = mapper;
        this.json = json;
    }

    /** The fields every event of a task carries. */
    public ObjectNode payload(Task t) {
        ObjectNode p = mapper.createObjectNode();
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
        OutboxEvent e = OutboxEvent.of(AUDIT, type, task.id().toString(), task.useCase(), actor, json.text(payload));
        return task.traceparent() != null ? e.withTrace(task.traceparent()) : e;
    }

    /** The same event, to the router, with its own body. */
    public void toRouter(Connection c, OutboxEvent event, ObjectNode body) throws SQLException {
        OutboxStore.insert(c, event.to(ROUTER, json.text(body)));
    }
}
