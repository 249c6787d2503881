package dev.oversight.review.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.agents.Step;
import dev.oversight.common.agents.ToolName;
import dev.oversight.common.agents.Trajectory;
import jakarta.validation.Valid;
import dev.oversight.review.domain.Verdict;
import dev.oversight.review.domain.AssignmentStrategy;
import dev.oversight.review.domain.OnReviewTimeout;
import dev.oversight.review.domain.Reliance;
import dev.oversight.review.domain.Requirements;
import dev.oversight.review.service.TaskIntake.NewTask;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import dev.oversight.review.domain.Task;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Review work for one routed decision (from the router), a new judgement of a benchmark item (from the router, with
 * its {@code judgementId}), one side of a blind comparison (from the router, with a {@code judgementId} and
 * {@code comparison: {reference?}}: is this output right, beside what people settled on), or a gold item (from an
 * admin).
 */
public record TaskRequest(
        UUID taskId,
        @NotNull UUID decisionId,
        @NotNull @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 characters of a-z, 0-9 and '-'") String useCase,
        @Size(max = 128) String modelVersion,
        JsonNode input,
        @NotNull(message = "is required: the model output to review") JsonNode output,
        @DecimalMin("0.0") @DecimalMax("1.0") Double rawConfidence,
        @DecimalMin("0.0") @DecimalMax("1.0") Double calibratedConfidence,
        @Size(max = 50) List<@NotNull @Size(max = 128) String> reasons,
        @Min(1) @Max(10) Integer requiredReviews,
        @Min(60) @Max(2_592_000) Long slaSeconds,
        OnReviewTimeout onReviewTimeout,
        Boolean blindReview,
        @Min(0) @Max(1000) Integer priority,
        @Pattern(regexp = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}", message = "must be a W3C traceparent") String traceparent,
        Boolean toolCall,
        @Size(max = 200) List<@NotNull @Pattern(regexp = ToolName.REGEX, message = ToolName.MESSAGE) String> allowedTools,
        @Size(max = Trajectory.MAX_STEPS) List<@NotNull @Valid Step> trajectory,
        UUID judgementId,
        JsonNode comparison,
        @Valid RequiresRequest requires,
        AssignmentStrategy assignment,
        @Min(Task.MIN_OFFER_SECONDS) @Max(86_400) Integer offerSeconds,
        @Valid LimitsRequest reviewerLimits) {

    /** The use case's limits on reviewers' reliance on the model (from its policy). */
    public record LimitsRequest(@Min(0) @Max(3600) Integer minDwellSeconds,
                                @DecimalMin("0.0") @DecimalMax("1.0") Double maxFastApprovalRate,
                                @DecimalMin("0.0") @DecimalMax("1.0") Double maxApprovalGap) {
        Reliance.Limits limits() {
            return new Reliance.Limits(minDwellSeconds, maxFastApprovalRate, maxApprovalGap);
        }
    }

    /** What the task's reviewers must have (the policy's and the matching review rules' requirements). */
    public record RequiresRequest(
            @Size(max = 20) List<@NotNull @Pattern(regexp = Requirements.TAG, message = Requirements.TAG_MESSAGE) String> skills,
            @Size(max = 20) List<@NotNull @Pattern(regexp = Requirements.LANGUAGE, message = Requirements.LANGUAGE_MESSAGE) String> languages,
            @Size(max = 20) List<@NotNull @Pattern(regexp = Requirements.TAG, message = Requirements.TAG_MESSAGE) String> qualifications) {

        public Requirements requirements() {
            return new Requirements(skills, languages, qualifications);
        }
    }

    private Requirements requirements() {
        return requires == null ? Requirements.none() : requires.requirements();
    }

    /**
     * A gold item: what the admin gave, and for each routing field the admin left out, the value of {@code like} (a
     * real task of the use case), so that it shows what real work shows.
     */
    NewTask toGoldTask(Verdict goldVerdict, Optional<Task> like) {
        if (like.isEmpty()) {
            return toNewTask(goldVerdict);
        }
        Task t = like.get();
        return new NewTask(taskId, decisionId, useCase, modelVersion != null ? modelVersion : t.modelVersion(), input,
                output, rawConfidence != null ? rawConfidence : t.rawConfidence(),
                calibratedConfidence != null ? calibratedConfidence : t.calibratedConfidence(),
                reasons != null ? reasons : t.reasons(), requiredReviews != null ? requiredReviews : t.requiredReviews(),
                slaSeconds != null ? slaSeconds : Duration.between(t.createdAt(), t.dueAt()).toSeconds(),
                onReviewTimeout != null ? onReviewTimeout : t.onReviewTimeout(),
                blindReview != null ? blindReview : t.blindReview(), priority != null ? priority : t.priority(),
                goldVerdict, traceparent, toolCall != null && toolCall, allowedTools, trajectory, null, null,
                requires != null ? requirements() : t.requires(), assignment != null ? assignment : t.assignment(),
                offerSeconds != null ? offerSeconds : t.offerSeconds(), null);
    }

    NewTask toNewTask(Verdict goldVerdict) {
        return new NewTask(taskId, decisionId, useCase, modelVersion, input, output, rawConfidence,
                calibratedConfidence, reasons == null ? List.of() : reasons, requiredReviews == null ? 1 : requiredReviews,
                slaSeconds == null ? 86_400 : slaSeconds, onReviewTimeout == null ? OnReviewTimeout.HOLD : onReviewTimeout,
                blindReview != null && blindReview, priority == null ? 0 : priority, goldVerdict, traceparent,
                toolCall != null && toolCall, allowedTools, trajectory, judgementId, comparison, requirements(),
                assignment, offerSeconds == null ? 0 : offerSeconds,
                reviewerLimits == null ? null : reviewerLimits.limits());
    }
}
