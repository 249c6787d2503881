package dev.oversight.routing.outcomes.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.evaluation.service.ShadowService;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.routing.config.service.EventOutbox;
import dev.oversight.routing.decide.repository.DecisionRepository;
import dev.oversight.routing.decide.service.DecisionWaiters;
import dev.oversight.routing.decide.service.OutputSizeLimit;
import dev.oversight.routing.domain.DecisionOverride;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.outcomes.repository.LabelRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reversing a release: a person turns a RELEASED decision into OVERRIDDEN, with a reason and an optional replacement
 * output. In one transaction the decision changes, the reversal is recorded, the output becomes a label (it was
 * wrong), the audit trail gets an event (digests of the reason and output, never the words), and the app's callback
 * is queued; then anyone long-polling the decision is woken.
 */
@ApplicationScoped
public class OverrideService {

    private final DecisionRepository decisions;
    private final LabelRepository labels;
    private final EventOutbox events;
    private final OutcomeService outcomes;
    private final DecisionWaiters waiters;
    private final KeyedDigest digest;
    private final OutputSizeLimit outputLimit;
    private final ShadowService shadows;

    public OverrideService(DecisionRepository decisions, LabelRepository labels, EventOutbox events,
                           OutcomeService outcomes, DecisionWaiters waiters, KeyedDigest digest,
                           OutputSizeLimit outputLimit, ShadowService shadows) {
        this.outputLimit = outputLimit;
        this.shadows = shadows;
        this.digest = digest;
        this.decisions = decisions;
        this.labels = labels;
        this.events = events;
        this.outcomes = outcomes;
        this.waiters = waiters;
    }

    public DecisionRecord override(UUID id, String reason, JsonNode output, String actor) {
        String replacement = output == null || output.isNull() ? null : output.toString();
        if (replacement != null) {
            outputLimit.check("output", replacement);
        }
        DecisionOverride o = new DecisionOverride(reason, replacement, actor,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        DecisionRecord done;
        try {
            done = Transactions.inTransaction(decisions::connection, c -> {
                Optional<DecisionRecord> d = decisions.override(c, id, replacement, o);
                if (d.isEmpty()) {
                    return null;
                }
                DecisionRecord r = d.get();
                labels.insertAll(c, List.of(new LabelRepository.NewLabel(r.useCase(), r.modelVersion(), r.id(),
                        r.rawConfidence(), false, 1.0, "override", r.probabilities(), actor, r.signals(), null)));
                shadows.score(c, r, o.at());
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("decisionId", r.id().toString());
                payload.put("useCase", r.useCase());
                payload.put("modelVersion", r.modelVersion());
                payload.put("previousStatus", DecisionStatus.RELEASED.name());
                payload.put("status", DecisionStatus.OVERRIDDEN.name());
                if (!r.erased()) {
                    payload.put("reasonHmac", digest.hex(r.digestSalt(), reason));
                    if (replacement != null) {
                        payload.put("finalOutputHmac", digest.hex(r.digestSalt(), replacement));
                    }
                }
                events.record(c, EventOutbox.DECISION_OVERRIDDEN, r.id().toString(), r.useCase(), actor, payload);
                if (r.callbackUrl() != null) {
                    OutboxStore.insert(c, OutboxEvent.of(EventOutbox.CALLBACK, EventOutbox.OUTCOME_NOTIFIED,
                            r.id().toString(), r.useCase(), r.owner(), outcomes.callbackBody(UUID.randomUUID(), r))
                            .withTargetUrl(r.callbackUrl()));
                }
                return r;
            });
        } catch (SQLException e) {
            throw new Failure.Unavailable("The override cannot be stored right now; retry.");
        }
        if (done == null) {
            DecisionRecord current;
            try {
                current = decisions.findById(id).orElse(null);
            } catch (SQLException e) {
                throw new Failure.Unavailable("The decision cannot be read right now; retry.");
            }
            if (current == null) {
                throw new Failure.NotFound("Decision " + id + " does not exist");
            }
            throw new Failure.Conflict("Only a RELEASED decision can be overridden; decision " + id + " is "
                    + current.status() + (current.status() == DecisionStatus.PENDING_REVIEW
                    ? " (its reviewers decide it)" : ""));
        }
        waiters.finished(id);
        return done;
    }

    public Optional<DecisionOverride> overrideOf(UUID id) {
        try {
            return decisions.overrideOf(id);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The decision cannot be read right now; retry.");
        }
    }
}
