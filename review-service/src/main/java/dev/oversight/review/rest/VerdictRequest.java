package dev.oversight.review.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.agents.ProcessJudgement;
import dev.oversight.common.agents.Trajectory;
import dev.oversight.review.domain.StepJudgement;
import dev.oversight.review.domain.StepVerdict;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.service.Verdicts;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A verdict by the holder of the current lease; REJECT and CORRECT need a rationale, CORRECT a corrected output. On a
 * task with a trajectory, {@code process} judges how the agent got there and {@code steps} single steps.
 */
public record VerdictRequest(@NotNull Long leaseToken, @NotNull Verdict verdict, JsonNode correctedOutput,
                             @Size(max = 10_000) String rationale, JsonNode scores, ProcessJudgement process,
                             @Size(max = Trajectory.MAX_STEPS) List<@NotNull @Valid StepRequest> steps) {

    /** One step judged: its index in the trajectory (from 0), OK or WRONG, and an optional note. */
    public record StepRequest(@NotNull @Min(0) Integer index, @NotNull StepVerdict verdict,
                              @Size(max = 1000) String note) {
    }

    Verdicts.Judgement judgement() {
        List<StepJudgement> judged = steps == null ? List.of() : steps.stream()
                .map(s -> new StepJudgement(s.index(), s.verdict(),
                        s.note() == null || s.note().isBlank() ? null : s.note().strip()))
                .toList();
        return new Verdicts.Judgement(verdict, correctedOutput, rationale, scores, process, judged);
    }
}
