package dev.oversight.routing.domain;

import java.util.List;

/**
 * One version of a use case's routing policy, with every default filled in.
 *
 * @param threshold        release when calibrated confidence ≥ this; null: use the active calibration's selected
 *                         threshold, and review everything while there is none
 * @param targetErrorRate  α: the error rate tolerated among released outputs (used by threshold selection)
 * @param delta            δ: the probability that the α guarantee fails
 * @param auditSampleRate  share of confident outputs sent to review anyway, to keep labels unbiased
 * @param apps             the app identities that may route into this use case; {@link #ANY_APP} alone for any
 * @param onDrift          what the drift watchdog does on detecting drift (ALERT when absent from older versions)
 * @param fourEyes         whether a change that loosens oversight needs a second admin's approval
 * @param recalibration    the refit schedule, or null for none
 * @param tools            the tools an agent may call and how their calls route; null: any tool, by confidence and
 *                         rules (a list blocks every tool it does not name)
 * @param modelVersions    the model versions released on confidence and what happens to others; null: any version
 * @param equivalence      when a candidate model's output counts as the same as the human reference in evaluations
 *                         (a CEL expression over {@code candidate} and {@code reference}); null: equal JSON
 * @param reviewers        what every reviewer of the use case must have (skills, languages, qualifications); null:
 *                         nothing beyond the reviewer role
 * @param assignment       how review tasks reach reviewers; null: PULL
 * @param offerSeconds     how long a pushed task waits for the reviewer it is offered to; null: 600
 * @param reviewerLimits   limits on reviewers' reliance on the model (flags in the review service); null: none
 * @param signals          the confidence signals the use case's outputs carry, in the order calibrators read them;
 *                         null: none (outputs carry one confidence)
 * @param segments         the segments whose calibration and certified threshold are fitted each on its own; null:
 *                         one for all outputs
 */
public record Policy(
        Double threshold,
        double targetErrorRate,
        double delta,
        double auditSampleRate,
        List<Rule> reviewRules,
        List<Rule> blockRules,
        int requiredReviews,
        long reviewSlaSeconds,
        OnReviewTimeout onReviewTimeout,
        boolean blindReview,
        List<String> apps,
        OnDrift onDrift,
        boolean fourEyes,
        Recalibration recalibration,
        List<ToolRule> tools,
        ModelVersions modelVersions,
        String equivalence,
        ReviewerRequirements reviewers,
        AssignmentStrategy assignment,
        Integer offerSeconds,
        ReviewerLimits reviewerLimits,
        List<Signal> signals,
        Segments segments) {

    /** The wildcard of {@code apps}: any authenticated app may route into the use case. */
    public static final String ANY_APP = "*";

    public static final double DEFAULT_TARGET_ERROR_RATE = 0.05;
    public static final double DEFAULT_DELTA = 0.05;
    public static final double DEFAULT_AUDIT_SAMPLE_RATE = 0.01;
    public static final int DEFAULT_REQUIRED_REVIEWS = 1;
    public static final long DEFAULT_REVIEW_SLA_SECONDS = 86_400;

    public Policy {
        reviewRules = List.copyOf(reviewRules);
        blockRules = List.copyOf(blockRules);
        apps = List.copyOf(apps);
        onDrift = onDrift == null ? OnDrift.ALERT : onDrift;
        tools = tools == null ? null : List.copyOf(tools);
        signals = signals == null || signals.isEmpty() ? null : List.copyOf(signals);
    }

    /** A policy whose outputs carry one confidence, no signals. */
    public Policy(Double threshold, double targetErrorRate, double delta, double auditSampleRate, List<Rule> reviewRules,
                  List<Rule> blockRules, int requiredReviews, long reviewSlaSeconds, OnReviewTimeout onReviewTimeout,
                  boolean blindReview, List<String> apps, OnDrift onDrift, boolean fourEyes,
                  Recalibration recalibration, List<ToolRule> tools, ModelVersions modelVersions, String equivalence,
                  ReviewerRequirements reviewers, AssignmentStrategy assignment, Integer offerSeconds,
                  ReviewerLimits reviewerLimits) {
        this(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                modelVersions, equivalence, reviewers, assignment, offerSeconds, reviewerLimits, null, null);
    }

    /** A policy without a list of model versions (any version routes on confidence). */
    public Policy(Double threshold, double targetErrorRate, double delta, double auditSampleRate, List<Rule> reviewRules,
                  List<Rule> blockRules, int requiredReviews, long reviewSlaSeconds, OnReviewTimeout onReviewTimeout,
                  boolean blindReview, List<String> apps, OnDrift onDrift, boolean fourEyes,
                  Recalibration recalibration, List<ToolRule> tools) {
        this(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools, null,
                null, null, null, null, null);
    }

    /** A policy without reviewer requirements (anyone with the reviewer role reviews). */
    public Policy(Double threshold, double targetErrorRate, double delta, double auditSampleRate, List<Rule> reviewRules,
                  List<Rule> blockRules, int requiredReviews, long reviewSlaSeconds, OnReviewTimeout onReviewTimeout,
                  boolean blindReview, List<String> apps, OnDrift onDrift, boolean fourEyes,
                  Recalibration recalibration, List<ToolRule> tools, ModelVersions modelVersions, String equivalence) {
        this(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                modelVersions, equivalence, null, null, null, null);
    }

    /** A policy whose tasks are pulled by reviewers. */
    public Policy(Double threshold, double targetErrorRate, double delta, double auditSampleRate, List<Rule> reviewRules,
                  List<Rule> blockRules, int requiredReviews, long reviewSlaSeconds, OnReviewTimeout onReviewTimeout,
                  boolean blindReview, List<String> apps, OnDrift onDrift, boolean fourEyes,
                  Recalibration recalibration, List<ToolRule> tools, ModelVersions modelVersions, String equivalence,
                  ReviewerRequirements reviewers) {
        this(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                modelVersions, equivalence, reviewers, null, null, null);
    }

    /** A policy without an equivalence rule (evaluations compare outputs as JSON). */
    public Policy(Double threshold, double targetErrorRate, double delta, double auditSampleRate, List<Rule> reviewRules,
                  List<Rule> blockRules, int requiredReviews, long reviewSlaSeconds, OnReviewTimeout onReviewTimeout,
                  boolean blindReview, List<String> apps, OnDrift onDrift, boolean fourEyes,
                  Recalibration recalibration, List<ToolRule> tools, ModelVersions modelVersions) {
        this(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                modelVersions, null, null, null, null, null);
    }

    /** The same policy with this list of model versions (a promotion adds a version to it). */
    public Policy withModelVersions(ModelVersions versions) {
        return new Policy(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                versions, equivalence, reviewers, assignment, offerSeconds, reviewerLimits, signals,
                segments);
    }

    /**
     * What the reviewers of an output must have: the policy's requirements and those of every review rule named in
     * {@code reasons} ({@code RULE:name}).
     */
    public ReviewerRequirements reviewersFor(List<String> reasons) {
        ReviewerRequirements out = ReviewerRequirements.of(reviewers);
        for (Rule r : reviewRules) {
            if (r.requires() != null && reasons.contains(Router.RULE_PREFIX + r.name())) {
                out = out.and(r.requires());
            }
        }
        return out;
    }

    /** How calls of this tool route: its entry, or null when the policy lists tools and this one is not listed. */
    public ToolRule tool(String name) {
        if (tools == null) {
            return new ToolRule(name, ToolRule.Route.AUTO, null);
        }
        return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    /** The names of the policy's signals, in order; empty when it names none. */
    public List<String> signalNames() {
        return signals == null ? List.of() : signals.stream().map(Signal::name).toList();
    }

    /** Whether this app identity may route into the use case. */
    public boolean admits(String app) {
        return apps.contains(ANY_APP) || apps.contains(app);
    }
}
