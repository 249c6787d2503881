package dev.oversight.routing.policy.rest;

import dev.oversight.common.agents.ToolName;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.OnReviewTimeout;
import dev.oversight.routing.domain.ModelVersions;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.AssignmentStrategy;
import dev.oversight.routing.domain.Recalibration;
import dev.oversight.routing.domain.ReviewerLimits;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.ToolRule;
import dev.oversight.routing.domain.Rule;
import dev.oversight.routing.domain.Segments;
import dev.oversight.routing.domain.Signal;
import dev.oversight.routing.domain.calibration.MultiSignalCalibrator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The body of {@code PUT /v1/use-cases/{useCase}/policy}; omitted fields take their documented defaults. */
public record PolicyRequest(
        @DecimalMin("0.0") @DecimalMax("1.0") Double threshold,
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax(value = "1.0", inclusive = false) Double targetErrorRate,
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax(value = "1.0", inclusive = false) Double delta,
        @DecimalMin("0.0") @DecimalMax("1.0") Double auditSampleRate,
        @Size(max = 100) List<@Valid @NotNull RuleRequest> reviewRules,
        @Size(max = 100) List<@Valid @NotNull RuleRequest> blockRules,
        @Min(1) @Max(10) Integer requiredReviews,
        @Min(60) @Max(2_592_000) Long reviewSlaSeconds,
        OnReviewTimeout onReviewTimeout,
        Boolean blindReview,
        @NotNull(message = "is required: the app identities that may route into this use case, or [\"*\"] for any app")
        @Size(min = 1, max = 1000)
        List<@NotBlank @Size(max = 256) String> apps,
        OnDrift onDrift,
        Boolean fourEyes,
        @Valid RecalibrationRequest recalibration,
        @Size(max = 200) List<@Valid @NotNull ToolRequest> tools,
        @Valid ModelVersionsRequest modelVersions,
        @Size(min = 1, max = 2000) String equivalence,
        @Valid RequirementsRequest reviewers,
        AssignmentStrategy assignment,
        @Min(60) @Max(86_400) Integer offerSeconds,
        @Valid LimitsRequest reviewerLimits,
        @Size(min = 1, max = Signal.MAX) List<@Valid @NotNull SignalRequest> signals,
        @Valid SegmentsRequest segments) {

    /** A confidence signal outputs carry, and how it is transformed before calibration (none when absent). */
    public record SignalRequest(
            @NotNull @Pattern(regexp = Signal.NAME, message = Signal.NAME_MESSAGE) String name,
            @Pattern(regexp = "logit|log|none", message = "must be one of logit (a probability), log (a positive"
                    + " score), none (any real number)") String transform) {

        Signal toSignal() {
            return new Signal(name, transform == null ? null : MultiSignalCalibrator.Transform.of(transform));
        }
    }

    /** Segments whose guarantees hold each on its own: a CEL expression over attributes, and its labels' floor. */
    public record SegmentsRequest(
            @NotBlank @Size(max = 2000) String by,
            @Min(20) @Max(1_000_000) Integer minLabels) {
    }

    /** Limits on reviewers' reliance on the model: flags in the review service, never a pause. */
    public record LimitsRequest(@Min(0) @Max(3600) Integer minDwellSeconds,
                                @DecimalMin("0.0") @DecimalMax("1.0") Double maxFastApprovalRate,
                                @DecimalMin("0.0") @DecimalMax("1.0") Double maxApprovalGap) {
    }

    /** What reviewers must have: skills, languages (BCP 47, lower case) and qualifications valid on the day. */
    public record RequirementsRequest(
            @Size(max = 20) List<@NotNull @Pattern(regexp = ReviewerRequirements.TAG, message = ReviewerRequirements.TAG_MESSAGE) String> skills,
            @Size(max = 20) List<@NotNull @Pattern(regexp = ReviewerRequirements.LANGUAGE, message = ReviewerRequirements.LANGUAGE_MESSAGE) String> languages,
            @Size(max = 20) List<@NotNull @Pattern(regexp = ReviewerRequirements.TAG, message = ReviewerRequirements.TAG_MESSAGE) String> qualifications) {

        ReviewerRequirements toRequirements() {
            ReviewerRequirements r = new ReviewerRequirements(skills, languages, qualifications);
            return r.requiresNothing() ? null : r;
        }
    }

    /** The model versions released on confidence; outputs of any other are all reviewed (default) or blocked. */
    public record ModelVersionsRequest(
            @NotNull @Size(min = 1, max = 100) List<@NotNull @Size(min = 1, max = 128) String> allowed,
            ModelVersions.OnNew onNew) {

        ModelVersions toModelVersions() {
            return new ModelVersions(allowed.stream().distinct().sorted().toList(), onNew);
        }
    }

    /** One tool an agent may call: its name, how its calls route (AUTO when absent), the reviews REVIEW asks. */
    public record ToolRequest(
            @NotNull @Pattern(regexp = ToolName.REGEX, message = ToolName.MESSAGE) String name,
            ToolRule.Route route,
            @Min(1) @Max(10) Integer requiredReviews) {

        ToolRule toToolRule() {
            return new ToolRule(name, route, requiredReviews);
        }
    }

    /** {@code every} and {@code window} are ISO-8601 durations (PT6H, P1D, P30D). */
    public record RecalibrationRequest(
            @NotNull @Pattern(regexp = "P(T?[0-9]+[DHM])+", message = "must be an ISO-8601 duration such as PT6H or P1D")
            String every,
            @NotNull @Pattern(regexp = "P(T?[0-9]+[DHM])+", message = "must be an ISO-8601 duration such as P30D")
            String window,
            @Pattern(regexp = "auto|identity|platt|platt-logit|beta|isotonic|histogram|temperature|multi-logistic",
                    message = "must be one of auto, identity, platt, platt-logit, beta, isotonic, histogram, temperature, multi-logistic")
            String method,
            Boolean autoActivate) {

        Recalibration toRecalibration() {
            java.time.Duration e;
            java.time.Duration w;
            try {
                e = java.time.Duration.parse(every);
            } catch (java.time.format.DateTimeParseException ex) {
                throw new Failure.Invalid("recalibration.every", "must be an ISO-8601 duration such as PT6H");
            }
            try {
                w = java.time.Duration.parse(window);
            } catch (java.time.format.DateTimeParseException ex) {
                throw new Failure.Invalid("recalibration.window", "must be an ISO-8601 duration such as P30D");
            }
            if (e.compareTo(java.time.Duration.ofHours(1)) < 0) {
                throw new Failure.Invalid("recalibration.every", "must be at least PT1H");
            }
            if (w.compareTo(java.time.Duration.ofHours(1)) < 0 || w.compareTo(java.time.Duration.ofDays(3660)) > 0) {
                throw new Failure.Invalid("recalibration.window", "must be between PT1H and P3660D");
            }
            return new Recalibration(e, w, method == null ? "auto" : method, autoActivate != null && autoActivate);
        }
    }

    /** A rule: {@code when} is a CEL expression over attributes, confidence, rawConfidence and modelVersion. */
    public record RuleRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}", message = "must be 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-'")
            String name,
            @NotBlank @Size(max = 4096) String when,
            @Min(1) @Max(10) Integer requiredReviews,
            @Valid RequirementsRequest requires) {

        Rule toRule() {
            return new Rule(name, when, requiredReviews, requires == null ? null : requires.toRequirements());
        }
    }

    Policy toPolicy() {
        List<Rule> review = rules(reviewRules);
        List<Rule> block = rules(blockRules);
        Set<String> names = new HashSet<>();
        for (Rule rule : block) {
            if (rule.requiredReviews() != null) {
                throw new Failure.Invalid("blockRules", "rule '" + rule.name()
                        + "' sets requiredReviews, which only review rules use");
            }
            if (rule.requires() != null) {
                throw new Failure.Invalid("blockRules", "rule '" + rule.name()
                        + "' sets requires, which only review rules use: a blocked output goes to no reviewer");
            }
        }
        for (Rule rule : concat(review, block)) {
            if (!names.add(rule.name())) {
                throw new Failure.Invalid("reviewRules", "rule name '" + rule.name()
                        + "' is used twice; names must be unique across reviewRules and blockRules");
            }
        }
        if (tools != null && tools.stream().map(ToolRequest::name).distinct().count() < tools.size()) {
            throw new Failure.Invalid("tools", "a tool is listed twice; name each tool once");
        }
        if (offerSeconds != null && (assignment == null || assignment == AssignmentStrategy.PULL)) {
            throw new Failure.Invalid("offerSeconds", "is only taken when the policy pushes work (assignment"
                    + " ROUND_ROBIN or LEAST_LOADED): under PULL nothing is offered");
        }
        if (signals != null && signals.stream().map(SignalRequest::name).distinct().count() < signals.size()) {
            throw new Failure.Invalid("signals", "a signal is listed twice; name each signal once");
        }
        if (apps.contains(Policy.ANY_APP) && apps.size() > 1) {
            throw new Failure.Invalid("apps", "\"*\" admits any app and stands alone; list app identities"
                    + " or give [\"*\"]");
        }
        return new Policy(threshold,
                targetErrorRate == null ? Policy.DEFAULT_TARGET_ERROR_RATE : targetErrorRate,
                delta == null ? Policy.DEFAULT_DELTA : delta,
                auditSampleRate == null ? Policy.DEFAULT_AUDIT_SAMPLE_RATE : auditSampleRate,
                review, block,
                requiredReviews == null ? Policy.DEFAULT_REQUIRED_REVIEWS : requiredReviews,
                reviewSlaSeconds == null ? Policy.DEFAULT_REVIEW_SLA_SECONDS : reviewSlaSeconds,
                onReviewTimeout == null ? OnReviewTimeout.HOLD : onReviewTimeout,
                blindReview != null && blindReview,
                apps.stream().distinct().sorted().toList(),
                onDrift == null ? OnDrift.ALERT : onDrift,
                fourEyes != null && fourEyes,
                recalibration == null ? null : recalibration.toRecalibration(),
                tools == null ? null : tools.stream().map(ToolRequest::toToolRule).toList(),
                modelVersions == null ? null : modelVersions.toModelVersions(),
                equivalence == null || equivalence.isBlank() ? null : equivalence,
                reviewers == null ? null : reviewers.toRequirements(),
                assignment == null || assignment == AssignmentStrategy.PULL ? null : assignment,
                assignment == null || assignment == AssignmentStrategy.PULL ? null
                        : offerSeconds == null ? AssignmentStrategy.DEFAULT_OFFER_SECONDS : offerSeconds,
                reviewerLimits == null ? null : new ReviewerLimits(reviewerLimits.minDwellSeconds(),
                        reviewerLimits.maxFastApprovalRate(), reviewerLimits.maxApprovalGap()),
                signals == null ? null : signals.stream().map(SignalRequest::toSignal).toList(),
                segments == null ? null : new Segments(segments.by().strip(),
                        segments.minLabels() == null ? Segments.DEFAULT_MIN_LABELS : segments.minLabels()));
    }

    private static List<Rule> rules(List<RuleRequest> requests) {
        return requests == null ? List.of() : requests.stream().map(RuleRequest::toRule).toList();
    }

    private static List<Rule> concat(List<Rule> a, List<Rule> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
