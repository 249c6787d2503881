package dev.oversight.review.service;

import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.Sha256;
import dev.oversight.common.id.Ids;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.common.tracing.Traces;
import dev.oversight.common.problem.Problem;
import dev.oversight.common.problem.ProblemException;
import dev.oversight.review.domain.Consensus;
import dev.oversight.review.domain.Sla;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.repository.Lease;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.TaskRow;
import dev.oversight.review.repository.VerdictRow;
import io.agroal.api.AgroalDataSource;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The review queue. Every state change is one transaction that also writes the events it causes to the outbox.
 * Claims take a task's row lock ({@code FOR UPDATE SKIP LOCKED}, so concurrent claimers spread over tasks) and
 * re-count the task's taken reviewer slots under that lock, so a task is never handed to more distinct reviewers
 * than it needs. Every lease carries a fencing token; only the holder of the current, unexpired token may judge.
 */
@ApplicationScoped
public class ReviewService {

    public static final String SYSTEM_SLA = "system:sla";
    /** Tasks the SLA sweep locks and handles per transaction. */
    static final int SLA_BATCH = 200;
    /** Outbox destinations. */
    public static final String AUDIT = "audit";
    public static final String ROUTER = "router";

    /** A task to create; {@code taskId} may be given by the router, {@code goldVerdict} only by admins. */
    public record NewTask(UUID taskId, UUID decisionId, String useCase, String modelVersion, JsonNode input,
                          JsonNode output, Double rawConfidence, Double calibratedConfidence, List<String> reasons,
                          int requiredReviews, long slaSeconds, String onReviewTimeout, boolean blindReview,
                          int priority, Verdict goldVerdict, String traceparent) {
    }

    public record Created(TaskRow task, boolean created) {
    }

    public record Claim(TaskRow task, Lease lease) {
    }

    /** What a verdict led to: the task's new status, and the final verdict once there is one. */
    public record Submitted(TaskRow task, String status, String finalVerdict, UUID adjudicationTaskId) {
    }

    private final AgroalDataSource db;
    private final TaskRepository tasks;
    private final Tracer tracer;
    private final ReviewConfig config;
    private final ObjectMapper json;
    private final ObjectMapper canonical;

    public ReviewService(AgroalDataSource db, TaskRepository tasks, Tracer tracer, ReviewConfig config,
                         ObjectMapper json) {
        this.db = db;
        this.tasks = tasks;
        this.tracer = tracer;
        this.config = config;
        this.json = json;
        this.canonical = json.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** Idempotent on the decision: a second intake of the same decision returns the first task. */
    @WithSpan
    public Created create(NewTask t, String actor) {
        return createAll(List.of(t), actor).get(0);
    }

    /**
     * Several intakes in one transaction (the router's outbox delivers them in batches). Each task's work continues
     * the trace of the decision it reviews.
     */
    public List<Created> createAll(List<NewTask> batch, String actor) {
        Instant now = Instant.now();
        return tx(c -> {
            List<Created> out = new ArrayList<>(batch.size());
            for (NewTask t : batch) {
                Span span = Traces.startChild(tracer, "task intake " + t.decisionId(), t.traceparent());
                try (Scope ignored = span.makeCurrent()) {
                    out.add(createOne(c, t, actor, now));
                } finally {
                    span.end();
                }
            }
            return out;
        });
    }

    private Created createOne(Connection c, NewTask t, String actor, Instant now) throws SQLException {
        Duration sla = Duration.ofSeconds(t.slaSeconds());
        String trace = Traces.isValid(t.traceparent()) ? t.traceparent() : Traces.currentTraceparent();
        TaskRow row = new TaskRow(t.taskId() != null ? t.taskId() : Ids.newId(), t.decisionId(), "REVIEW", null,
                t.useCase(), t.modelVersion(), text(t.input()), text(t.output()), t.rawConfidence(),
                t.calibratedConfidence(), t.reasons(), t.requiredReviews(), t.blindReview(), false, t.priority(), 0,
                now, Sla.due(now, sla), Sla.hardDeadline(now, sla), t.onReviewTimeout(), "OPEN",
                t.goldVerdict() == null ? null : t.goldVerdict().name(), null, null, null, trace);
        if (tasks.insert(c, row)) {
            event(c, "TASK_CREATED", row, actor, payload(row).put("requiredReviews", row.requiredReviews())
                    .put("kind", row.kind()));
            return new Created(row, true);
        }
        TaskRow existing = tasks.findByDecision(c, t.decisionId()).orElseThrow(() -> ProblemException.conflict(
                "taskId " + row.id() + " already belongs to another decision"));
        return new Created(existing, false);
    }

    public TaskRow get(UUID id) {
        return tx(c -> tasks.find(c, id, false).orElseThrow(() -> notFound(id)));
    }

    public List<VerdictRow> verdicts(UUID id) {
        return tx(c -> tasks.verdicts(c, id));
    }

    /** Verdicts of several tasks, by task, read at once (a list view shows many tasks). */
    public Map<UUID, List<VerdictRow>> verdictsOf(List<UUID> ids) {
        return tx(c -> tasks.verdictsOf(c, ids));
    }

    public List<TaskRow> list(String status, String useCase, UUID after, int limit) {
        return tx(c -> tasks.page(c, status, useCase, after, limit));
    }

    /** The best task this reviewer may take now, leased to them; empty when nothing is claimable. */
    @WithSpan
    public Optional<Claim> claimNext(String reviewer, boolean senior, String useCase) {
        // Fast path: take the best task nobody else is locking right now.
        Optional<Claim> fast = tx(c -> {
            requireNotPaused(c, reviewer);
            List<UUID> passed = new ArrayList<>();
            for (int attempt = 0; attempt < 20; attempt++) {
                List<TaskRow> candidates = tasks.lockCandidates(c, reviewer, senior, useCase, passed.size() + 1, true);
                Optional<TaskRow> next = candidates.stream().filter(t -> !passed.contains(t.id())).findFirst();
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                passed.add(next.get().id());
                Optional<Claim> claim = leaseIfFree(c, next.get(), reviewer);
                if (claim.isPresent()) {
                    return claim;
                }
            }
            return Optional.empty();
        });
        if (fast.isPresent()) {
            return fast;
        }
        // Every free task may have been locked by a concurrent claimer, which does not mean it has no slot left
        // (a task needing three reviews is claimed three times). Wait for the best one, holding no other lock,
        // so that 204 only ever means "nothing left for you".
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Optional<Claim>> waited = tx(c -> {
                List<TaskRow> best = tasks.lockCandidates(c, reviewer, senior, useCase, 1, false);
                if (best.isEmpty()) {
                    return Optional.of(Optional.<Claim>empty());
                }
                Optional<Claim> claim = leaseIfFree(c, best.get(0), reviewer);
                return claim.isPresent() ? Optional.of(claim) : Optional.<Optional<Claim>>empty();
            });
            if (waited.isPresent()) {
                return waited.get();
            }
        }
        return Optional.empty();
    }

    /** Leases the locked task to the reviewer if, read afresh, it still has a slot for them. */
    private Optional<Claim> leaseIfFree(Connection c, TaskRow task, String reviewer) throws SQLException {
        if (tasks.activeLease(c, task.id(), reviewer).isEmpty() && tasks.takenSlots(c, task.id()) < task.requiredReviews()) {
            return Optional.of(lease(c, task, reviewer));
        }
        return Optional.empty();
    }

    /** Claims one named task (or returns the caller's current lease on it). */
    @WithSpan
    public Claim claim(UUID taskId, String reviewer, boolean senior) {
        return tx(c -> {
            requireNotPaused(c, reviewer);
            TaskRow task = tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            if (!"OPEN".equals(task.status())) {
                throw ProblemException.conflict("Task " + taskId + " is " + task.status() + "; it cannot be claimed");
            }
            if (task.seniorOnly() && !senior) {
                throw forbidden("Task " + taskId + " is for senior reviewers");
            }
            if (tasks.verdicts(c, taskId).stream().anyMatch(v -> v.reviewer().equals(reviewer))) {
                throw ProblemException.conflict("You already judged task " + taskId + "; it needs other reviewers");
            }
            if (judgedParent(c, task, reviewer)) {
                throw ProblemException.conflict("You judged the task this adjudication settles; another senior"
                        + " reviewer adjudicates it");
            }
            Optional<Lease> held = tasks.activeLease(c, taskId, reviewer);
            if (held.isPresent()) {
                return new Claim(task, held.get());
            }
            if (tasks.takenSlots(c, taskId) >= task.requiredReviews()) {
                throw ProblemException.conflict("All " + task.requiredReviews() + " reviewer slots of task " + taskId
                        + " are taken; try claim-next");
            }
            return lease(c, task, reviewer);
        });
    }

    public Lease renew(UUID taskId, String reviewer, long token) {
        return tx(c -> {
            tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            Lease lease = currentLease(c, taskId, reviewer, token);
            Instant expires = Instant.now().plus(config.lease());
            tasks.setLeaseStatus(c, taskId, token, "ACTIVE", expires);
            return new Lease(taskId, reviewer, token, lease.claimedAt(), expires);
        });
    }

    public void release(UUID taskId, String reviewer, long token) {
        tx(c -> {
            tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            currentLease(c, taskId, reviewer, token);
            tasks.setLeaseStatus(c, taskId, token, "RELEASED", null);
            return null;
        });
    }

    /**
     * Records a verdict of the current lease holder. When the task has all its verdicts: agreement finalizes it;
     * disagreement opens an adjudication task for a senior reviewer, whose verdict then decides.
     */
    @WithSpan
    public Submitted verdict(UUID taskId, String reviewer, long token, Verdict verdict, JsonNode correctedOutput,
                             String rationale, JsonNode scores) {
        validate(verdict, correctedOutput, rationale);
        String corrected = correctedOutput == null ? null : text(correctedOutput);
        return tx(c -> {
            TaskRow task = tasks.find(c, taskId, true).orElseThrow(() -> notFound(taskId));
            if (!"OPEN".equals(task.status())) {
                throw ProblemException.conflict("Task " + taskId + " is " + task.status() + "; it takes no more verdicts");
            }
            if (tasks.verdicts(c, taskId).stream().anyMatch(v -> v.reviewer().equals(reviewer))
                    || judgedParent(c, task, reviewer)) {
                throw ProblemException.conflict("You already judged task " + taskId);
            }
            Lease lease = currentLease(c, taskId, reviewer, token);
            Instant now = Instant.now();
            Boolean goldCorrect = task.goldVerdict() == null ? null : task.goldVerdict().equals(verdict.name());
            tasks.insertVerdict(c, new VerdictRow(taskId, reviewer, verdict.name(), corrected, rationale,
                    scores == null ? null : text(scores), Duration.between(lease.claimedAt(), now).toMillis(),
                    goldCorrect, now));
            tasks.setLeaseStatus(c, taskId, token, "DONE", null);
            if (goldCorrect != null) {
                // Scored, then handled exactly like real work (a reviewer must not be able to tell the difference).
                scoreGold(c, reviewer);
            }
            // The permanent log gets digests of people's words, never the words: they stay here, where they can be
            // erased, and the digest still proves what was said.
            ObjectNode verdictEvent = payload(task).put("reviewer", reviewer).put("verdict", verdict.name())
                    .put("leaseToken", token);
            if (rationale != null) {
                verdictEvent.put("rationaleSha256", Sha256.hex(rationale));
            }
            if (corrected != null) {
                verdictEvent.put("correctedOutputSha256", Sha256.hex(corrected));
            }
            event(c, "VERDICT_SUBMITTED", task, reviewer, verdictEvent);
            List<VerdictRow> all = tasks.verdicts(c, taskId);
            if (all.size() < task.requiredReviews()) {
                return new Submitted(task, "OPEN", null, null);
            }
            if ("ADJUDICATION".equals(task.kind())) {
                TaskRow parent = tasks.find(c, task.parentTaskId(), true).orElseThrow();
                tasks.finish(c, taskId, "DONE", verdict.name(), finalOutput(task, verdict, corrected), now);
                finalize(c, parent, verdict, corrected, reviewer, false, now);
                return new Submitted(task, "DONE", verdict.name(), null);
            }
            Optional<Consensus.Vote> agreed = Consensus.agreed(all.stream()
                    .map(v -> new Consensus.Vote(Verdict.valueOf(v.verdict()), canonicalText(v.correctedOutput()))).toList());
            if (agreed.isPresent()) {
                finalize(c, task, verdict, all.get(0).correctedOutput(), "consensus", false, now);
                return new Submitted(task, "DONE", verdict.name(), null);
            }
            UUID adjudication = openAdjudication(c, task, now);
            return new Submitted(task, "IN_ADJUDICATION", null, adjudication);
        });
    }

    /**
     * Escalates overdue tasks and applies onReviewTimeout past the hard deadline, in batches (one transaction each)
     * until no task has a step due. Returns how many changed.
     */
    @WithSpan
    public int sweepSla(Instant now) {
        int total = 0;
        while (true) {
            int[] batch = tx(c -> sweepBatch(c, now));
            total += batch[1];
            if (batch[0] < SLA_BATCH || batch[1] == 0) {
                return total;
            }
        }
    }

    /** One batch of the sweep: [tasks locked, tasks changed]. */
    private int[] sweepBatch(Connection c, Instant now) throws SQLException {
            int changed = 0;
            List<TaskRow> due = tasks.lockOverdue(c, now, SLA_BATCH);
            for (TaskRow t : due) {
                switch (Sla.next(now, t.dueAt(), t.hardDeadlineAt(), t.escalationLevel())) {
                    case RAISE_PRIORITY -> {
                        tasks.escalate(c, t.id(), 1, Sla.ESCALATED_PRIORITY_BONUS, false);
                        escalationEvent(c, t, 1);
                    }
                    case TO_SENIORS -> {
                        tasks.escalate(c, t.id(), 2, t.escalationLevel() < 1 ? Sla.ESCALATED_PRIORITY_BONUS : 0, true);
                        escalationEvent(c, t, 2);
                    }
                    case TIME_OUT -> timeOut(c, t, now);
                    case NONE -> {
                        continue;
                    }
                }
                changed++;
            }
            return new int[] {due.size(), changed};
    }

    public void reinstate(String reviewer) {
        tx(c -> {
            tasks.setPaused(c, reviewer, false, null);
            return null;
        });
    }

    public List<TaskRepository.ReviewerStats> reviewerStats(String useCase) {
        return tx(c -> tasks.reviewerStats(c, useCase));
    }

    public List<VerdictRow> finishedVerdicts(String useCase) {
        return tx(c -> tasks.finishedVerdicts(c, useCase));
    }

    public List<TaskRow> corrected(String useCase, UUID after, int limit) {
        return tx(c -> tasks.corrected(c, useCase, after, limit));
    }

    private Claim lease(Connection c, TaskRow task, String reviewer) throws SQLException {
        Instant now = Instant.now();
        Lease lease = tasks.lease(c, task.id(), reviewer, now, now.plus(config.lease()));
        event(c, "TASK_CLAIMED", task, reviewer, payload(task).put("reviewer", reviewer)
                .put("leaseToken", lease.leaseToken()).put("leaseExpiresAt", lease.leaseExpiresAt().toString()));
        return new Claim(task, lease);
    }

    private Lease currentLease(Connection c, UUID taskId, String reviewer, long token) throws SQLException {
        return tasks.leaseWithToken(c, taskId, reviewer, token).orElseThrow(() -> ProblemException.conflict(
                "leaseToken " + token + " is not your current lease on task " + taskId
                        + " (it expired, was released, or another claim replaced it); claim the task again"));
    }

    /**
     * The outcome is final: the task records it and OUTCOME_FINAL goes to the audit trail (with a digest of the final
     * output, not the output) and to the router (with the output and every verdict, for the app and the label).
     */
    private void finalize(Connection c, TaskRow task, Verdict verdict, String corrected, String decidedBy,
                          boolean timedOut, Instant now) throws SQLException {
        String out = finalOutput(task, verdict, corrected);
        tasks.finish(c, task.id(), timedOut ? "EXPIRED" : "DONE", verdict.name(), out, now);
        if (task.goldVerdict() != null) {
            return; // a gold item has no decision behind it: nothing for the router or the audit trail
        }
        ObjectNode p = payload(task).put("verdict", verdict.name()).put("correct", verdict == Verdict.APPROVE)
                .put("decidedBy", decidedBy).put("timedOut", timedOut).put("decidedAt", now.toString());
        ObjectNode audit = p.deepCopy();
        if (out != null) {
            audit.put("finalOutputSha256", Sha256.hex(out));
        }
        OutboxEvent event = event(c, "OUTCOME_FINAL", task, decidedBy, audit);
        ObjectNode router = p.put("eventId", event.eventId().toString());
        router.set("finalOutput", out == null ? null : read(out));
        ArrayNode verdicts = router.putArray("verdicts");
        for (VerdictRow v : tasks.verdictsOfDecision(c, task.decisionId())) {
            ObjectNode n = verdicts.addObject().put("reviewer", v.reviewer()).put("verdict", v.verdict())
                    .put("rationale", v.rationale()).put("at", v.createdAt().toString());
            if (v.correctedOutput() != null) {
                n.set("correctedOutput", read(v.correctedOutput()));
            }
        }
        if (event.traceparent() != null) {
            router.put("traceparent", event.traceparent());
        }
        OutboxStore.insert(c, event.to(ROUTER, text(router)));
    }

    private UUID openAdjudication(Connection c, TaskRow task, Instant now) throws SQLException {
        tasks.setStatus(c, task.id(), "IN_ADJUDICATION");
        TaskRow adj = new TaskRow(Ids.newId(), task.decisionId(), "ADJUDICATION", task.id(), task.useCase(),
                task.modelVersion(), task.input(), task.output(), task.rawConfidence(), task.calibratedConfidence(),
                task.reasons(), 1, task.blindReview(), true, task.priority() + 50, 0, now, task.dueAt(),
                task.hardDeadlineAt(), task.onReviewTimeout(), "OPEN", task.goldVerdict(), null, null, null,
                task.traceparent());
        tasks.insert(c, adj);
        event(c, "TASK_CREATED", adj, "consensus", payload(adj).put("kind", "ADJUDICATION")
                .put("parentTaskId", task.id().toString()).put("requiredReviews", 1));
        return adj.id();
    }

    /**
     * The hard deadline passed. REJECT and RELEASE_FLAGGED decide only for tasks no human has judged: once a
     * reviewer gave a verdict, or a disagreement is being adjudicated, the task is held for senior reviewers instead.
     */
    private void timeOut(Connection c, TaskRow t, Instant now) throws SQLException {
        String policy = t.onReviewTimeout();
        boolean judged = "ADJUDICATION".equals(t.kind()) || tasks.verdictsOfDecision(c, t.decisionId()).stream()
                .anyMatch(v -> !v.reviewer().startsWith("system:"));
        if ("HOLD".equals(policy) || judged) {
            tasks.escalate(c, t.id(), 3, 0, true);
            event(c, "TASK_TIMED_OUT", t, SYSTEM_SLA, payload(t).put("onReviewTimeout", policy)
                    .put("held", true).put("humanVerdictGiven", judged));
            return;
        }
        Verdict v = "REJECT".equals(policy) ? Verdict.REJECT : Verdict.APPROVE;
        tasks.insertVerdict(c, new VerdictRow(t.id(), SYSTEM_SLA, v.name(), null,
                "Review deadline passed; policy onReviewTimeout=" + policy + " (not a human judgement)", null, null,
                null, now));
        TaskRow decided = t;
        if ("ADJUDICATION".equals(t.kind())) {
            tasks.finish(c, t.id(), "EXPIRED", v.name(), null, now);
            decided = tasks.find(c, t.parentTaskId(), true).orElseThrow();
        }
        finalize(c, decided, v, null, SYSTEM_SLA, true, now);
    }

    private void scoreGold(Connection c, String reviewer) throws SQLException {
        int[] score = tasks.goldScore(c, reviewer);
        if (score[1] >= config.goldMinItems() && (double) score[0] / score[1] < config.goldMinAccuracy()) {
            tasks.setPaused(c, reviewer, true, String.format(java.util.Locale.ROOT,
                    "gold accuracy %d/%d is below %.0f%%", score[0], score[1], config.goldMinAccuracy() * 100));
        }
    }

    /** Whether the reviewer gave a verdict on the task this adjudication task settles. */
    private boolean judgedParent(Connection c, TaskRow task, String reviewer) throws SQLException {
        return task.parentTaskId() != null && tasks.verdicts(c, task.parentTaskId()).stream()
                .anyMatch(v -> v.reviewer().equals(reviewer));
    }

    private void requireNotPaused(Connection c, String reviewer) throws SQLException {
        Optional<String> why = tasks.pausedWhy(c, reviewer);
        if (why.isPresent()) {
            throw forbidden("You are paused from reviewing: " + why.get() + ". An admin can reinstate you.");
        }
    }

    private void escalationEvent(Connection c, TaskRow t, int level) throws SQLException {
        event(c, "TASK_ESCALATED", t, SYSTEM_SLA, payload(t).put("level", level)
                .put("seniorOnly", level >= 2));
    }

    private void validate(Verdict verdict, JsonNode corrected, String rationale) {
        boolean hasCorrection = corrected != null && !corrected.isNull();
        if (verdict != Verdict.APPROVE && (rationale == null || rationale.isBlank())) {
            throw ProblemException.invalidField("rationale", "is required with " + verdict + ": say why");
        }
        if (verdict == Verdict.CORRECT && !hasCorrection) {
            throw ProblemException.invalidField("correctedOutput", "is required with CORRECT");
        }
        if (verdict != Verdict.CORRECT && hasCorrection) {
            throw ProblemException.invalidField("correctedOutput", "is only taken with CORRECT");
        }
        if (hasCorrection && text(corrected).getBytes(StandardCharsets.UTF_8).length > config.maxCorrectionBytes()) {
            throw ProblemException.tooLarge("correctedOutput is larger than " + config.maxCorrectionBytes() + " bytes");
        }
    }

    private static String finalOutput(TaskRow task, Verdict verdict, String corrected) {
        return switch (verdict) {
            case APPROVE -> task.output();
            case CORRECT -> corrected;
            case REJECT -> null;
        };
    }

    private ObjectNode payload(TaskRow t) {
        ObjectNode p = json.createObjectNode();
        p.put("decisionId", t.decisionId().toString());
        p.put("taskId", t.id().toString());
        p.put("useCase", t.useCase());
        return p;
    }

    /** An event for the audit trail, in the trace of the decision the task reviews. */
    private OutboxEvent event(Connection c, String type, TaskRow task, String actor, ObjectNode payload)
            throws SQLException {
        OutboxEvent e = OutboxEvent.of(AUDIT, type, task.id().toString(), task.useCase(), actor, text(payload));
        if (task.goldVerdict() != null) {
            return e; // gold items are not decisions: they stay out of the audit trail
        }
        if (task.traceparent() != null) {
            e = e.withTrace(task.traceparent());
        }
        OutboxStore.insert(c, e);
        return e;
    }


    private String canonicalText(String jsonText) {
        if (jsonText == null) {
            return null;
        }
        try {
            return canonical.writeValueAsString(json.readValue(jsonText, Object.class));
        } catch (JsonProcessingException e) {
            return jsonText;
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON is unreadable", e);
        }
    }

    private String text(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("A JSON value could not be serialized");
        }
    }

    private <T> T tx(Transactions.Work<T> work) {
        try {
            return Transactions.inTransaction(db, work);
        } catch (SQLException e) {
            throw ProblemException.unavailable("The review queue cannot be reached right now; retry.");
        }
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("No task " + id);
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }
}
