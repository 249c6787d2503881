package dev.oversight.routing.outcomes.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.tracing.Traces;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.decide.repository.DecisionRepository;
import dev.oversight.routing.decide.service.DecisionWaiters;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.evaluation.service.ComparisonService;
import dev.oversight.routing.evaluation.service.JudgementService;
import dev.oversight.routing.evaluation.service.ShadowService;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Final outcomes from the review service: the decision's status, final output and verdicts change, a label is
 * stored for calibration (not for a review that timed out: no human judged it), and the app's callback is queued.
 * Candidate outputs sent along as shadows are scored in the same transaction. An outcome applies once; a redelivered
 * one (same decision, already final) changes nothing.
 */
@ApplicationScoped
public class OutcomeService {

    /** One final outcome as the review service reports it. */
    public record Outcome(UUID eventId, UUID decisionId, String verdict, boolean timedOut, Instant decidedAt,
                          JsonNode finalOutput, JsonNode verdicts, String traceparent, UUID judgementId) {
    }

    public enum Result { APPLIED, DUPLICATE, UNKNOWN_DECISION }

    public record Applied(UUID eventId, UUID decisionId, Result result) {
    }

    private final DecisionRepository decisions;
    private final LabelRepository labels;
    private final LabelService labelService;
    private final DecisionWaiters waiters;
    private final ObjectMapper json;
    private final Tracer tracer;
    private final AgentFeedback feedback;
    private final ShadowService shadows;
    private final JudgementService judgements;
    private final ComparisonService comparisons;

    public OutcomeService(DecisionRepository decisions, LabelRepository labels, LabelService labelService,
                          DecisionWaiters waiters, ObjectMapper json, Tracer tracer, AgentFeedback feedback,
                          ShadowService shadows, JudgementService judgements, ComparisonService comparisons) {
        this.feedback = feedback;
        this.shadows = shadows;
        this.judgements = judgements;
        this.comparisons = comparisons;
        this.decisions = decisions;
        this.labels = labels;
        this.labelService = labelService;
        this.waiters = waiters;
        this.json = json;
        this.tracer = tracer;
    }

    /** Applies every outcome in one transaction; answers what each did. */
    public List<Applied> apply(List<Outcome> outcomes) {
        List<Applied> results = new ArrayList<>();
        List<UUID> finished = new ArrayList<>();
        try {
            Transactions.inTransaction(decisions::connection, c -> {
                for (Outcome o : outcomes) {
                    Span span = Traces.startChild(tracer, "outcome " + o.decisionId(), o.traceparent());
                    try (Scope ignored = span.makeCurrent()) {
                        Result r = applyOne(c, o);
                        results.add(new Applied(o.eventId(), o.decisionId(), r));
                        if (r == Result.APPLIED) {
                            finished.add(o.decisionId());
                        }
                    } finally {
                        span.end();
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw new Failure.Unavailable("Outcomes cannot be stored right now; retry.");
        }
        finished.forEach(waiters::finished);
        return results;
    }

    private Result applyOne(Connection c, Outcome o) throws SQLException {
        if (o.judgementId() != null) {
            // A benchmark item judged again (the decision itself was final long ago), or one side of a blind
            // comparison (its decision id is the side's); a timeout judged nothing.
            if (o.timedOut()) {
                return Result.DUPLICATE;
            }
            Optional<Boolean> compared = comparisons.record(c, o.judgementId(), o.decisionId(), o.verdict(),
                    o.decidedAt());
            if (compared.isPresent()) {
                return compared.get() ? Result.APPLIED : Result.DUPLICATE;
            }
            return judgements.record(c, o.judgementId(), o.decisionId(), o.verdict(), o.finalOutput(), o.verdicts(),
                    o.decidedAt()) ? Result.APPLIED : Result.DUPLICATE;
        }
        String status = status(o).name();
        String finalOutput = o.finalOutput() == null || o.finalOutput().isNull() ? null : o.finalOutput().toString();
        String verdicts = o.verdicts() == null || o.verdicts().isNull() ? "[]" : o.verdicts().toString();
        Optional<DecisionRecord> done = decisions.finish(c, o.decisionId(), status, finalOutput, verdicts, o.decidedAt());
        if (done.isEmpty()) {
            return decisions.findById(o.decisionId()).isPresent() ? Result.DUPLICATE : Result.UNKNOWN_DECISION;
        }
        DecisionRecord d = done.get();
        if (!o.timedOut()) {
            labels.insertAll(c, List.of(labelService.reviewLabel(d, correct(o))));
            shadows.score(c, d, Instant.now());
        }
        if (d.callbackUrl() != null) {
            OutboxStore.insert(c, OutboxEvent.of(EventOutbox.CALLBACK, EventOutbox.OUTCOME_NOTIFIED, d.id().toString(),
                    d.useCase(), d.owner(), callbackBody(o.eventId(), d)).withTargetUrl(d.callbackUrl()));
        }
        return Result.APPLIED;
    }

    /** What the app's callback receives: the decision's final state. */
    String callbackBody(UUID eventId, DecisionRecord d) {
        ObjectNode body = json.createObjectNode();
        body.put("eventId", eventId.toString());
        body.put("decisionId", d.id().toString());
        body.put("useCase", d.useCase());
        body.put("route", d.route().name());
        body.put("status", d.status().name());
        body.set("finalOutput", read(d.finalOutput()));
        JsonNode verdicts = read(d.verdicts());
        body.set("verdicts", verdicts);
        AgentFeedback.ForAgent told = feedback.of(d, verdicts);
        if (told.feedback() != null) {
            body.put("feedback", told.feedback());
        }
        if (told.process() != null) {
            body.put("process", told.process().name());
        }
        body.put("decidedAt", d.decidedAt().toString());
        return body.toString();
    }

    private JsonNode read(String text) {
        try {
            return text == null ? json.nullNode() : json.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Stored JSON always parses", e);
        }
    }

    static DecisionStatus status(Outcome o) {
        if (o.timedOut()) {
            return DecisionStatus.EXPIRED;
        }
        return switch (o.verdict()) {
            case "APPROVE" -> DecisionStatus.APPROVED;
            case "REJECT" -> DecisionStatus.REJECTED;
            case "CORRECT" -> DecisionStatus.CORRECTED;
            default -> throw new Failure.Invalid("verdict", "must be APPROVE, REJECT or CORRECT");
        };
    }

    private static boolean correct(Outcome o) {
        return "APPROVE".equals(o.verdict());
    }
}
