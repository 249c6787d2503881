package dev.oversight.review.domain;

import dev.oversight.common.agents.ToolName;
import dev.oversight.common.failure.Failure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A review task and the rules of what happens to it. JSON values are kept as their JSON text ({@code trajectory}: the
 * steps of the agent run being reviewed, a JSON array, or null; {@code judgementId}: the router's judgement a
 * JUDGE_ITEM task and its adjudication belong to, or null; {@code comparison}: on a JUDGE_ITEM task that is one side of a
 * blind comparison, {@code {"reference": ...}} with what people settled on (absent when they only rejected), else
 * null; {@code requires}: what its reviewers must have; {@code assignedTo}: the one reviewer it is assigned to, or
 * null). The task decides what
 * a verdict leads to ({@link #afterVerdict}), what its SLA clock asks for ({@link #slaStep}), what a timeout does
 * ({@link #onTimeout}), and how a gold item scores a verdict; the service stores what it decides.
 */
public record Task(
        UUID id,
        UUID decisionId,
        TaskKind kind,
        UUID parentTaskId,
        String useCase,
        String modelVersion,
        String input,
        String output,
        Double rawConfidence,
        Double calibratedConfidence,
        List<String> reasons,
        int requiredReviews,
        boolean blindReview,
        boolean seniorOnly,
        int priority,
        int escalationLevel,
        Instant createdAt,
        Instant dueAt,
        Instant hardDeadlineAt,
        OnReviewTimeout onReviewTimeout,
        TaskStatus status,
        Verdict goldVerdict,
        Verdict finalVerdict,
        String finalOutput,
        Instant decidedAt,
        String traceparent,
        boolean toolCall,
        List<String> allowedTools,
        String trajectory,
        UUID judgementId,
        String comparison,
        Requirements requires,
        String assignedTo,
        AssignmentStrategy assignment,
        int offerSeconds) {

    /** Priority an adjudication gets above the task it settles. */
    public static final int ADJUDICATION_PRIORITY_BONUS = 50;
    /** Escalation level of a task held for senior reviewers after its hard deadline. */
    public static final int HELD = 3;

    public Task {
        reasons = List.copyOf(reasons);
        allowedTools = allowedTools == null ? null : List.copyOf(allowedTools);
        requires = requires == null ? Requirements.none() : requires;
        assignment = assignment == null ? AssignmentStrategy.PULL : assignment;
        offerSeconds = offerSeconds < MIN_OFFER_SECONDS ? DEFAULT_OFFER_SECONDS : offerSeconds;
    }

    /** How long an offered task waits for its reviewer to start it, unless the policy says otherwise. */
    public static final int DEFAULT_OFFER_SECONDS = 600;
    public static final int MIN_OFFER_SECONDS = 60;

    /** A task that reviews a model's output (not a tool call). */
    public Task(UUID id, UUID decisionId, TaskKind kind, UUID parentTaskId, String useCase, String modelVersion,
                String input, String output, Double rawConfidence, Double calibratedConfidence, List<String> reasons,
                int requiredReviews, boolean blindReview, boolean seniorOnly, int priority, int escalationLevel,
                Instant createdAt, Instant dueAt, Instant hardDeadlineAt, OnReviewTimeout onReviewTimeout,
                TaskStatus status, Verdict goldVerdict, Verdict finalVerdict, String finalOutput, Instant decidedAt,
                String traceparent) {
        this(id, decisionId, kind, parentTaskId, useCase, modelVersion, input, output, rawConfidence,
                calibratedConfidence, reasons, requiredReviews, blindReview, seniorOnly, priority, escalationLevel,
                createdAt, dueAt, hardDeadlineAt, onReviewTimeout, status, goldVerdict, finalVerdict, finalOutput,
                decidedAt, traceparent, false, null, null, null, null, null, null, null, 0);
    }

    /** What the verdicts given so far lead to. */
    public sealed interface Outcome {
        /** More reviewers are needed. */
        record Wait() implements Outcome {
        }

        /** The reviewers agree: the task is decided. */
        record Finalize(Verdict verdict, String correctedOutput) implements Outcome {
        }

        /** The reviewers disagree: a senior reviewer adjudicates. */
        record Adjudicate() implements Outcome {
        }

        /** The adjudicator decided the disagreement of the parent task. */
        record SettleParent(Verdict verdict, String correctedOutput) implements Outcome {
        }
    }

    /** What happens at the hard deadline. */
    public sealed interface Timeout {
        /** Kept open, for senior reviewers only. */
        record Hold() implements Timeout {
        }

        /** Decided by the policy, recorded as not a human judgement. */
        record Decide(Verdict verdict) implements Timeout {
        }
    }

    public boolean gold() {
        return goldVerdict != null;
    }

    /** Whether a verdict on this gold item is right; null for real work. */
    public Boolean goldCorrect(Verdict verdict) {
        return gold() ? goldVerdict == verdict : null;
    }

    /** The output a decision ends with: the model's when approved, the correction when corrected, none if rejected. */
    public String finalOutput(Verdict verdict, String correctedOutput) {
        return switch (verdict) {
            case APPROVE -> output;
            case CORRECT -> correctedOutput;
            case REJECT -> null;
        };
    }

    /**
     * After a verdict is recorded: {@code verdicts} are all of this task's, in the order given, the newest last;
     * {@code canonical} puts a corrected output in a canonical text form, so equal corrections compare equal.
     */
    public Outcome afterVerdict(List<GivenVerdict> verdicts, UnaryOperator<String> canonical) {
        if (verdicts.size() < requiredReviews) {
            return new Outcome.Wait();
        }
        GivenVerdict last = verdicts.get(verdicts.size() - 1);
        if (kind == TaskKind.ADJUDICATION) {
            return new Outcome.SettleParent(last.verdict(), last.correctedOutput());
        }
        Optional<Consensus.Vote> agreed = Consensus.agreed(verdicts.stream()
                .map(v -> new Consensus.Vote(v.verdict(), v.correctedOutput() == null ? null
                        : canonical.apply(v.correctedOutput()))).toList());
        if (agreed.isPresent()) {
            return new Outcome.Finalize(agreed.get().verdict(), verdicts.get(0).correctedOutput());
        }
        return new Outcome.Adjudicate();
    }

    /** The adjudication task of this task's disagreement: one senior reviewer, as blind and as gold as this one. */
    public Task adjudication(UUID adjudicationId, Instant now) {
        return new Task(adjudicationId, decisionId, TaskKind.ADJUDICATION, id, useCase, modelVersion, input, output,
                rawConfidence, calibratedConfidence, reasons, 1, blindReview, true,
                priority + ADJUDICATION_PRIORITY_BONUS, 0, now, dueAt, hardDeadlineAt, onReviewTimeout,
                TaskStatus.OPEN, goldVerdict, null, null, null, traceparent, toolCall, allowedTools, trajectory,
                judgementId, comparison, requires, null, AssignmentStrategy.PULL, offerSeconds);
    }

    /** What the SLA clock asks for now; nothing for tasks that are not open or are already held. */
    public Sla.Step slaStep(Instant now) {
        if (status != TaskStatus.OPEN || escalationLevel >= HELD) {
            return Sla.Step.NONE;
        }
        return Sla.next(now, dueAt, hardDeadlineAt, escalationLevel);
    }

    /**
     * The hard deadline passed. {@code REJECT} and {@code RELEASE_FLAGGED} decide only a task no human has judged:
     * once a reviewer gave a verdict on the decision, or its disagreement is being adjudicated, a timeout never
     * overrides them and the task is held for senior reviewers.
     */
    public Timeout onTimeout(boolean humanVerdictGiven) {
        if (onReviewTimeout == OnReviewTimeout.HOLD || humanVerdictGiven || kind == TaskKind.ADJUDICATION) {
            return new Timeout.Hold();
        }
        return new Timeout.Decide(onReviewTimeout == OnReviewTimeout.REJECT ? Verdict.REJECT : Verdict.APPROVE);
    }

    /** Whether this task (or the one it adjudicates) judges one side of a blind comparison. */
    public boolean compares() {
        return comparison != null;
    }

    /**
     * A comparison asks whether the output shown is right: APPROVE (it is) or REJECT (it is not). A correction would
     * be a new reference, which is not what the comparison measures; refused.
     */
    public void requireVerdictFits(Verdict verdict) {
        if (compares() && verdict == Verdict.CORRECT) {
            throw new Failure.Invalid("verdict", "a side-by-side comparison takes APPROVE (the output is right) or"
                    + " REJECT (it is not), not CORRECT");
        }
    }

    /** A claim or a verdict needs the task open; {@code refused} says what the task no longer takes. */
    public void requireOpen(String refused) {
        if (status != TaskStatus.OPEN) {
            throw new TaskNotOpen(id, status, refused);
        }
    }

    /**
     * Each judgement of a decision is a different person's: refuses a reviewer who judged this task
     * ({@code onThis}: its verdicts) or, for an adjudication, the task it settles ({@code onSettled}: that task's
     * verdicts, empty for other tasks).
     */
    public void requireNotJudgedBy(String reviewer, List<GivenVerdict> onThis, List<GivenVerdict> onSettled) {
        if (onThis.stream().anyMatch(v -> v.reviewer().equals(reviewer))) {
            throw AlreadyJudged.thisTask(id);
        }
        if (onSettled.stream().anyMatch(v -> v.reviewer().equals(reviewer))) {
            throw AlreadyJudged.settledTask();
        }
    }

    /**
     * A correction of a tool call is itself a call the agent may make: {@code name} a tool the policy allows (any, when
     * it lists none) and {@code arguments} a JSON object ({@code argumentsIsObject}). Nothing to check for an output.
     */
    public void requireAllowedCall(String name, boolean argumentsIsObject) {
        if (!toolCall) {
            return;
        }
        if (!ToolName.isValid(name)) {
            throw new Failure.Invalid("correctedOutput.name", "must be the tool to call: " + ToolName.MESSAGE);
        }
        if (allowedTools != null && !allowedTools.contains(name)) {
            throw new Failure.Invalid("correctedOutput.name", "must be a tool the policy allows: "
                    + String.join(", ", allowedTools));
        }
        if (!argumentsIsObject) {
            throw new Failure.Invalid("correctedOutput.arguments", "must be a JSON object, {} for none");
        }
    }

    /**
     * A process judgement ({@code judged}: a verdict names a process or steps) needs the steps to judge: refused for a
     * task without a trajectory, naming {@code field}.
     */
    public void requireTrajectoryFor(boolean judged, String field) {
        if (judged && trajectory == null) {
            throw new Failure.Invalid(field, "is only taken for a task with a trajectory (an agent's steps)");
        }
    }

    /** Whether a viewer sees this task without what routing derived (confidences, reasons, priority). */
    public boolean hidesRoutingFrom(boolean admin, boolean viewerJudgedIt) {
        return blindReview && !admin && !viewerJudgedIt;
    }
}
