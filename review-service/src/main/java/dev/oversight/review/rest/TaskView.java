package dev.oversight.review.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.oversight.common.agents.ProcessJudgement;
import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Guideline;
import dev.oversight.review.domain.Lease;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.domain.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A task as a reviewer sees it. Under blind review everything derived from the model's confidence or the routing
 * (confidences, reasons, priority, how many reviews it needs) and how many verdicts others gave is left out until the
 * reviewer's own verdict is in (automation bias, anchoring); an
 * adjudication shows the verdicts in dispute but not those. Gold items look like any other task. One side of a blind
 * comparison shows the output and what people settled on ({@code comparison.reference}), never which model made it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
        UUID taskId,
        UUID decisionId,
        TaskKind kind,
        UUID parentTaskId,
        String useCase,
        String modelVersion,
        TaskStatus status,
        @JsonRawValue String input,
        @JsonRawValue String output,
        Double rawConfidence,
        Double calibratedConfidence,
        List<String> reasons,
        boolean blindReview,
        Integer requiredReviews,
        Integer verdictsSubmitted,
        Integer priority,
        Instant createdAt,
        Instant dueAt,
        Instant hardDeadlineAt,
        Verdict finalVerdict,
        @JsonRawValue String finalOutput,
        List<VerdictView> priorVerdicts,
        Long leaseToken,
        Instant leaseExpiresAt,
        boolean toolCall,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedTools,
        @JsonRawValue String trajectory,
        @JsonInclude(JsonInclude.Include.NON_NULL) Guideline guidelines,
        @JsonRawValue String comparison,
        String assignedTo) {

    public record VerdictView(String reviewer, Verdict verdict, @JsonRawValue String correctedOutput, String rationale,
                              ProcessJudgement process, @JsonRawValue String steps, @JsonRawValue String scores,
                              Integer guidelineVersion) {
    }

    static TaskView of(Task t, List<GivenVerdict> verdicts, boolean hide, List<GivenVerdict> prior, Lease lease,
                       Guideline guidelines) {
        return new TaskView(t.id(), t.decisionId(), t.kind(), t.parentTaskId(), t.useCase(), t.modelVersion(),
                t.status(), t.input(), t.output(), hide ? null : t.rawConfidence(), hide ? null : t.calibratedConfidence(),
                hide ? null : t.reasons(), t.blindReview(), hide ? null : Integer.valueOf(t.requiredReviews()),
                hide ? null : Integer.valueOf(verdicts.size()),
                hide ? null : Integer.valueOf(t.priority()),
                t.createdAt(), t.dueAt(), t.hardDeadlineAt(), t.finalVerdict(), t.finalOutput(),
                prior == null ? null : prior.stream()
                        .map(v -> new VerdictView(v.reviewer(), v.verdict(), v.correctedOutput(), v.rationale(),
                                v.process(), v.steps(), v.scores(), v.guidelineVersion())).toList(),
                lease == null ? null : lease.leaseToken(), lease == null ? null : lease.leaseExpiresAt(), t.toolCall(),
                t.allowedTools(), t.trajectory(), guidelines, t.comparison(), t.assignedTo());
    }
}
