package dev.oversight.review.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.agents.Step;
import dev.oversight.common.agents.Trajectory;
import dev.oversight.common.id.Ids;
import dev.oversight.common.failure.Failure;
import dev.oversight.common.tracing.Traces;
import dev.oversight.review.domain.AssignmentStrategy;
import dev.oversight.review.domain.OnReviewTimeout;
import dev.oversight.review.domain.Reliance;
import dev.oversight.review.repository.RelianceRepository;
import dev.oversight.review.domain.Requirements;
import dev.oversight.review.domain.Sla;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.repository.TaskRepository;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.UUID;

/** New review work: the router's tasks (idempotent on the decision) and admins' gold items. */
@ApplicationScoped
public class TaskIntake {

    /**
     * A task to create; {@code taskId} may be given by the router, {@code goldVerdict} only by admins;
     * {@code toolCall}: the output is an agent's tool call, whose correction must call one of {@code allowedTools}
     * (null: any tool); {@code trajectory}: the steps of the agent run that led to the output or call (null: none);
     * {@code comparison}: with a {@code judgementId}, the task is one side of a blind comparison, an object with the
     * {@code reference} people settled on (absent when they only rejected); null otherwise.
     */
    public record NewTask(UUID taskId, UUID decisionId, String useCase, String modelVersion, JsonNode input,
                          JsonNode output, Double rawConfidence, Double calibratedConfidence, List<String> reasons,
                          int requiredReviews, long slaSeconds, OnReviewTimeout onReviewTimeout, boolean blindReview,
                          int priority, Verdict goldVerdict, String traceparent, boolean toolCall,
                          List<String> allowedTools, List<Step> trajectory, UUID judgementId,
                          JsonNode comparison, Requirements requires, AssignmentStrategy assignment,
                          int offerSeconds, Reliance.Limits reviewerLimits) {
    }

    public record Created(Task task, boolean created) {
    }

    private final TaskRepository tasks;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final ReviewJson json;
    private final Tracer tracer;
    private final Offers offers;
    private final RelianceRepository reliance;
    private final Erasures erasures;

    public TaskIntake(TaskRepository tasks, ReviewOutbox outbox, ReviewTransactions transactions, ReviewJson json,
                      Tracer tracer, Offers offers, RelianceRepository reliance, Erasures erasures) {
        this.reliance = reliance;
        this.erasures = erasures;
        this.offers = offers;
        this.tasks = tasks;
        this.outbox = outbox;
        this.transactions = transactions;
        this.json = json;
        this.tracer = tracer;
    }

    /** How many of a use case's newest real tasks a gold item may borrow its look from. */
    static final int GOLD_LIKENESS_POOL = 50;

    /**
     * A real task of the use case, drawn at random from its newest ones, whose routing fields (reasons, priority,
     * required reviews, SLA, blind review, model version, confidences) a gold item takes where the admin gave none, so
     * that reviewers cannot tell it from real work by what it shows. Empty when the use case has no real task yet.
     */
    public Optional<Task> likenessFor(String useCase) {
        List<Task> recent = transactions.inTransaction(c -> tasks.recentReal(c, useCase, GOLD_LIKENESS_POOL));
        return recent.isEmpty() ? Optional.empty()
                : Optional.of(recent.get(ThreadLocalRandom.current().nextInt(recent.size())));
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
        List<Span> spans = new ArrayList<>(batch.size());
        List<Task> fresh = new ArrayList<>(batch.size());
        try {
            for (NewTask t : batch) {
                Span span = Traces.startChild(tracer, "task intake " + t.decisionId(), t.traceparent());
                spans.add(span);
                try (Scope ignored = span.makeCurrent()) {
                    fresh.add(task(t, now));
                }
            }
            return transactions.inTransaction(c -> {
                // One round trip for the tasks and one for their events, whatever the batch's size.
                boolean[] inserted = tasks.insertAll(c, fresh);
                List<Task> created = new ArrayList<>();
                List<Created> out = new ArrayList<>(batch.size());
                for (int i = 0; i < fresh.size(); i++) {
                    Task task = fresh.get(i);
                    if (inserted[i]) {
                        created.add(task);
                        out.add(new Created(task, true));
                        continue;
                    }
                    Task existing = (task.judgementId() != null
                            ? tasks.findJudgementOf(c, task.judgementId(), task.decisionId())
                            : tasks.findReviewOf(c, task.decisionId()))
                            .orElseThrow(() -> new Failure.Conflict("taskId " + task.id()
                                    + " already belongs to another decision"));
                    out.add(new Created(existing, false));
                }
                // A decision erased while its task was on its way: the task is kept, without the erased data.
                erasures.applyToLateTasks(c, created.stream().map(Task::decisionId).toList(), now);
                outbox.events(c, "TASK_CREATED", created, actor, task -> outbox.payload(task)
                        .put("requiredReviews", task.requiredReviews()).put("kind", task.kind().name()));
                // The policy's limits on reliance, as the newest task of each use case carries them.
                for (NewTask t : batch) {
                    if (t.reviewerLimits() != null) {
                        reliance.saveLimits(c, t.useCase(), t.reviewerLimits(), now);
                    }
                }
                // A use case that pushes work offers each new task to one qualified reviewer right away.
                for (Task task : created) {
                    if (task.assignment() != AssignmentStrategy.PULL) {
                        offers.offer(c, task, now);
                    }
                }
                return out;
            });
        } finally {
            spans.forEach(Span::end);
        }
    }

    /** The trajectory's JSON text, within the size every service takes (400 naming it otherwise); null for none. */
    private String trajectory(NewTask t) {
        if (Trajectory.checkContent("trajectory", t.trajectory()) == null) {
            return null;
        }
        String text = json.valueText(t.trajectory());
        Trajectory.checkSize("trajectory", text);
        return text;
    }

    private Task task(NewTask t, Instant now) {
        Duration sla = Duration.ofSeconds(t.slaSeconds());
        String trace = Traces.isValid(t.traceparent()) ? t.traceparent() : Traces.currentTraceparent();
        if (t.judgementId() != null && t.goldVerdict() != null) {
            throw new Failure.Invalid("judgementId", "a gold item judges no benchmark item");
        }
        TaskKind kind = t.judgementId() != null ? TaskKind.JUDGE_ITEM : TaskKind.REVIEW;
        return new Task(t.taskId() != null ? t.taskId() : Ids.newId(), t.decisionId(), kind, null,
                t.useCase(), t.modelVersion(), json.text(t.input()), json.text(t.output()), t.rawConfidence(),
                t.calibratedConfidence(), t.reasons(), t.requiredReviews(), t.blindReview(), false, t.priority(), 0,
                now, Sla.due(now, sla), Sla.hardDeadline(now, sla), t.onReviewTimeout(), TaskStatus.OPEN,
                t.goldVerdict(), null, null, null, trace, t.toolCall(), t.allowedTools(), trajectory(t),
                t.judgementId(), comparison(t), t.requires(), null, t.assignment(), t.offerSeconds());
    }

    /** The comparison's JSON text ({@code {"reference": ...}} or {@code {}}), or null for a task that compares nothing. */
    private String comparison(NewTask t) {
        JsonNode given = t.comparison();
        if (given == null || given.isNull()) {
            return null;
        }
        if (t.judgementId() == null) {
            throw new Failure.Invalid("comparison", "is only taken with a judgementId (the router's comparison)");
        }
        if (!given.isObject() || given.size() > 1 || (given.size() == 1 && !given.has("reference"))) {
            throw new Failure.Invalid("comparison", "must be an object with at most a reference: what people settled on");
        }
        JsonNode reference = given.get("reference");
        ObjectNode stored = JsonNodeFactory.instance.objectNode();
        if (reference != null && !reference.isNull()) {
            stored.set("reference", reference);
        }
        return json.text(stored);
    }
}
