package dev.oversight.review.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.agents.ProcessJudgement;
import dev.oversight.common.agents.Trajectory;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.id.Ids;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.failure.Failure;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.GoldPolicy;
import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.StepJudgement;
import dev.oversight.review.domain.StepVerdict;
import dev.oversight.review.domain.LeaseState;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.domain.Guideline;
import dev.oversight.review.repository.AssignmentRepository;
import dev.oversight.review.repository.ErasureRepository;
import dev.oversight.review.repository.GuidelineRepository;
import dev.oversight.review.repository.ReviewerRepository;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.VerdictRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Verdicts and what they lead to ({@link Task#afterVerdict}): more reviewers, a final outcome on agreement, or an
 * adjudication by a senior reviewer whose verdict then decides. A final outcome goes to the audit trail (with a
 * digest of the final output, never the output) and to the router (with the output and every verdict).
 */
@ApplicationScoped
public class Verdicts {

    /** What a verdict led to: the task's new status, and the final verdict once there is one. */
    public record Submitted(Task task, TaskStatus status, Verdict finalVerdict, UUID adjudicationTaskId) {
    }

    /**
     * What a reviewer says: the verdict, its correction, rationale and scores, and on an agent's run the process
     * judgement and the judged steps (empty when none).
     */
    public record Judgement(Verdict verdict, JsonNode correctedOutput, String rationale, JsonNode scores,
                            ProcessJudgement process, List<StepJudgement> steps) {
        public Judgement {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    private final TaskRepository tasks;
    private final AssignmentRepository assignments;
    private final VerdictRepository verdicts;
    private final ReviewerRepository reviewers;
    private final Claims claims;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final ReviewJson json;
    private final ReviewConfig config;
    private final GoldPolicy gold;

    private final KeyedDigest digest;
    private final ErasureRepository salts;
    private final GuidelineRepository guidelines;
    private final Notifications notifications;

    public Verdicts(TaskRepository tasks, AssignmentRepository assignments, VerdictRepository verdicts,
                    ReviewerRepository reviewers, Claims claims, ReviewOutbox outbox, ReviewTransactions transactions,
                    ReviewJson json, ReviewConfig config, KeyedDigest digest, GuidelineRepository guidelines,
                    Notifications notifications, ErasureRepository salts) {
        this.notifications = notifications;
        this.salts = salts;
        this.digest = digest;
        this.guidelines = guidelines;
        this.tasks = tasks;
        this.assignments = assignments;
        this.verdicts = verdicts;
        this.reviewers = reviewers;
        this.claims = claims;
        this.outbox = outbox;
        this.transactions = transactions;
        this.json = json;
        this.config = config;
        this.gold = new GoldPolicy(config.goldMinItems(), config.goldMinAccuracy());
    }

    /** Records a verdict of the current lease holder and applies what it leads to. */
    @WithSpan
    public Submitted submit(UUID taskId, String reviewer, long token, Judgement j) {
        Verdict verdict = j.verdict();
        JsonNode correctedOutput = j.correctedOutput();
        validate(verdict, correctedOutput, j.rationale());
        String givenCorrection = correctedOutput == null ? null : json.text(correctedOutput);
        String givenSteps = j.steps().isEmpty() ? null : json.valueText(j.steps());
        return transactions.inTransaction(c -> {
            Task task = tasks.find(c, taskId, true).orElseThrow(() -> Claims.notFound(taskId));
            // A person's data erased while the task was open: the verdict counts, but its words are not kept. Only a
            // verdict that carries words needs to ask.
            boolean words = j.rationale() != null || givenCorrection != null || givenSteps != null;
            boolean erased = words && !salts.erased(c, List.of(task.decisionId())).isEmpty();
            String rationale = erased ? null : j.rationale();
            String corrected = erased ? null : givenCorrection;
            String steps = erased ? null : givenSteps;
            task.requireOpen("it takes no more verdicts");
            task.requireVerdictFits(verdict);
            task.requireNotJudgedBy(reviewer, verdicts.of(c, taskId), claims.settledVerdicts(c, task));
            task.requireTrajectoryFor(j.process() != null, "process");
            task.requireTrajectoryFor(!j.steps().isEmpty(), "steps");
            if (steps != null) {
                Trajectory.checkJudgedSteps("steps", j.steps().stream().map(StepJudgement::index).toList(),
                        json.read(task.trajectory()).size());
            }
            if (verdict == Verdict.CORRECT) {
                task.requireAllowedCall(correctedOutput.path("name").isTextual()
                        ? correctedOutput.get("name").textValue() : null, correctedOutput.path("arguments").isObject());
            }
            Lease lease = claims.currentLease(c, taskId, reviewer, token);
            Instant now = Instant.now();
            Boolean goldCorrect = task.goldCorrect(verdict);
            Guideline standard = guidelines.current(c, task.useCase()).orElse(null);
            checkScores(standard, j.scores());
            verdicts.insert(c, new GivenVerdict(taskId, reviewer, verdict, corrected, rationale, json.text(j.scores()),
                    Duration.between(lease.claimedAt(), now).toMillis(), goldCorrect, now, j.process(), steps,
                    standard == null ? null : standard.version()));
            assignments.setState(c, taskId, token, LeaseState.DONE, null);
            if (goldCorrect != null) {
                // Scored, then handled exactly like real work: a reviewer must not be able to tell the difference.
                int[] score = verdicts.goldScore(c, reviewer);
                java.util.Optional<String> pause = gold.pauseReason(score[0], score[1]);
                if (pause.isPresent()) {
                    reviewers.setPaused(c, reviewer, true, pause.get());
                }
            }
            // The permanent log gets keyed digests of people's words, never the words: they stay here, where they can
            // be erased, and the digest still proves what was said without confirming anyone's guess of it.
            byte[] salt = rationale != null || corrected != null || steps != null
                    ? salts.saltOf(c, task.decisionId()) : null;
            ObjectNode given = outbox.payload(task).put("reviewer", reviewer).put("verdict", verdict.name())
                    .put("leaseToken", token);
            if (rationale != null) {
                given.put("rationaleHmac", digest.hex(salt, rationale));
            }
            if (corrected != null) {
                given.put("correctedOutputHmac", digest.hex(salt, corrected));
            }
            if (j.process() != null) {
                given.put("process", j.process().name());
            }
            if (standard != null) {
                // Scores are labels of the rubric's scales, not anyone's words.
                given.put("guidelineVersion", standard.version());
                if (j.scores() != null && !j.scores().isNull()) {
                    given.set("scores", j.scores());
                }
            }
            if (steps != null) {
                // Which steps were judged wrong is no one's words; the notes are, so the trail keeps their digest.
                ArrayNode wrong = given.putArray("wrongSteps");
                j.steps().stream().filter(s -> s.verdict() == StepVerdict.WRONG).forEach(s -> wrong.add(s.index()));
                given.put("stepsHmac", digest.hex(salt, steps));
            }
            outbox.event(c, "VERDICT_SUBMITTED", task, reviewer, given);
            return apply(c, task, reviewer, now);
        });
    }

    private Submitted apply(Connection c, Task task, String reviewer, Instant now) throws SQLException {
        Task.Outcome outcome = task.afterVerdict(verdicts.of(c, task.id()), json::canonicalText);
        if (outcome instanceof Task.Outcome.Finalize f) {
            finalize(c, task, f.verdict(), f.correctedOutput(), "consensus", false, now);
            return new Submitted(task, TaskStatus.DONE, f.verdict(), null);
        }
        if (outcome instanceof Task.Outcome.SettleParent s) {
            tasks.finish(c, task.id(), TaskStatus.DONE, s.verdict(), task.finalOutput(s.verdict(), s.correctedOutput()),
                    now);
            Task parent = tasks.find(c, task.parentTaskId(), true).orElseThrow();
            finalize(c, parent, s.verdict(), s.correctedOutput(), reviewer, false, now);
            return new Submitted(task, TaskStatus.DONE, s.verdict(), null);
        }
        if (outcome instanceof Task.Outcome.Adjudicate) {
            Task adjudication = task.adjudication(Ids.newId(), now);
            tasks.setStatus(c, task.id(), TaskStatus.IN_ADJUDICATION);
            tasks.insert(c, adjudication);
            outbox.event(c, "TASK_CREATED", adjudication, "consensus", outbox.payload(adjudication)
                    .put("kind", TaskKind.ADJUDICATION.name()).put("parentTaskId", task.id().toString())
                    .put("requiredReviews", 1));
            notifications.adjudication(c, adjudication, now);
            return new Submitted(task, TaskStatus.IN_ADJUDICATION, null, adjudication.id());
        }
        return new Submitted(task, TaskStatus.OPEN, null, null);
    }

    /**
     * The outcome is final: the task records it and OUTCOME_FINAL goes to the audit trail (with a digest of the final
     * output, not the output) and to the router (with the output and every verdict, for the app and the label).
     */
    void finalize(Connection c, Task task, Verdict verdict, String corrected, String decidedBy, boolean timedOut,
                  Instant now) throws SQLException {
        String out = task.finalOutput(verdict, corrected);
        tasks.finish(c, task.id(), timedOut ? TaskStatus.EXPIRED : TaskStatus.DONE, verdict, out, now);
        if (task.gold()) {
            return; // a gold item has no decision behind it: nothing for the router or the audit trail
        }
        List<GivenVerdict> given = verdicts.ofDecision(c, task.decisionId(), task.judgementId());
        ObjectNode p = outbox.payload(task).put("verdict", verdict.name()).put("correct", verdict == Verdict.APPROVE)
                .put("decidedBy", decidedBy).put("timedOut", timedOut).put("decidedAt", now.toString());
        ObjectNode audit = p.deepCopy();
        // The router reads the process judgement from each verdict (its outcome intake refuses fields it does not
        // know, so a router older than this service still takes the outcome); the trail records the decision's.
        ProcessJudgement process = ProcessJudgement.of(given.stream().map(GivenVerdict::process)
                .filter(java.util.Objects::nonNull).toList());
        if (process != null) {
            audit.put("process", process.name());
        }
        if (out != null) {
            audit.put("finalOutputHmac", digest.hex(salts.saltOf(c, task.decisionId()), out));
        }
        // A benchmark item judged again is not a decision's outcome: the trail and the router are told it is a judgement.
        if (task.judgementId() != null) {
            audit.put("judgementId", task.judgementId().toString());
            if (task.compares()) {
                audit.put("comparison", true);
            }
        }
        OutboxEvent event = outbox.event(c, task.judgementId() != null ? "ITEM_JUDGED" : "OUTCOME_FINAL", task,
                decidedBy, audit);
        ObjectNode router = p.put("eventId", event.eventId().toString());
        if (task.judgementId() != null) {
            router.put("judgementId", task.judgementId().toString());
        }
        router.set("finalOutput", out == null ? null : json.read(out));
        ArrayNode all = router.putArray("verdicts");
        for (GivenVerdict v : given) {
            ObjectNode n = all.addObject().put("reviewer", v.reviewer()).put("verdict", v.verdict().name())
                    .put("rationale", v.rationale()).put("at", v.createdAt().toString());
            if (v.correctedOutput() != null) {
                n.set("correctedOutput", json.read(v.correctedOutput()));
            }
            if (v.process() != null) {
                n.put("process", v.process().name());
            }
            if (v.steps() != null) {
                n.set("steps", json.read(v.steps()));
            }
            if (v.guidelineVersion() != null) {
                n.put("guidelineVersion", v.guidelineVersion());
            }
            if (v.scores() != null) {
                n.set("scores", json.read(v.scores()));
            }
        }
        if (event.traceparent() != null) {
            router.put("traceparent", event.traceparent());
        }
        outbox.toRouter(c, event, router);
    }

    /**
     * Under guidelines, scores name criteria of the version in force and give each a label of its scale; without
     * guidelines there is no rubric to check them against, and they are kept as given (a JSON object).
     */
    private static void checkScores(Guideline standard, JsonNode scores) {
        if (scores == null || scores.isNull()) {
            return;
        }
        if (!scores.isObject()) {
            throw new Failure.Invalid("scores", "must be an object of criterion name to label");
        }
        if (standard == null) {
            return;
        }
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = scores.fields(); it.hasNext(); ) {
            java.util.Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new Failure.Invalid("scores." + e.getKey(), "must be a label of the criterion's scale");
            }
            labels.put(e.getKey(), e.getValue().textValue());
        }
        standard.problemWithScores(labels).ifPresent(p -> {
            throw new Failure.Invalid("scores", p);
        });
    }

    private void validate(Verdict verdict, JsonNode corrected, String rationale) {
        boolean hasCorrection = corrected != null && !corrected.isNull();
        if (verdict != Verdict.APPROVE && (rationale == null || rationale.isBlank())) {
            throw new Failure.Invalid("rationale", "is required with " + verdict + ": say why");
        }
        if (verdict == Verdict.CORRECT && !hasCorrection) {
            throw new Failure.Invalid("correctedOutput", "is required with CORRECT");
        }
        if (verdict != Verdict.CORRECT && hasCorrection) {
            throw new Failure.Invalid("correctedOutput", "is only taken with CORRECT");
        }
        if (hasCorrection && json.text(corrected).getBytes(StandardCharsets.UTF_8).length > config.maxCorrectionBytes()) {
            throw new Failure.TooLarge("correctedOutput is larger than " + config.maxCorrectionBytes() + " bytes");
        }
    }
}
