package dev.oversight.routing.domain.oversight;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Whether oversight works, for one use case (and model version) over a time window: what the router did, what
 * reviewers found, how fast they were, and whether the calibration still holds; for agents, how often people found
 * the process of a reviewed run flawed ({@code processFlawRate}: runs judged FLAWED among runs whose process was
 * judged) and which tools' calls they rejected or corrected most. Every estimate carries its n and a 95% interval
 * ({@link Proportion}); counts are exact. {@code segments}: the same figures per segment when the policy sets segments
 * (empty otherwise): a group the model serves worse shows there even when the totals look fine.
 */
public record OversightReport(
        String useCase,
        String modelVersion,
        Instant from,
        Instant to,
        long volume,
        Map<String, Proportion> routes,
        Proportion interventionRate,
        List<ReasonShare> reasons,
        Proportion overrideRate,
        Proportion releasesReversed,
        Proportion escalationPrecision,
        Proportion underEscalation,
        Review review,
        List<ReviewerLoad> reviewerLoad,
        CalibrationHealth calibration,
        Proportion processFlawRate,
        List<ToolVerdicts> tools,
        List<SegmentFigures> segments) {

    /**
     * One segment's share of the figures: its decisions, how many people saw or were stopped (intervention), how
     * often escalated outputs were wrong (escalation precision), and the weighted error of its audit samples
     * (under-escalation).
     */
    public record SegmentFigures(String segment, long volume, Proportion interventionRate,
                                 Proportion escalationPrecision, Proportion underEscalation) {
    }

    /** How often a reason was given, among all decisions of the window. */
    public record ReasonShare(String reason, long n, double share) {
    }

    /** Review work: latency of decided reviews, SLA breaches (decided late, or open past the SLA), expiries, queue. */
    public record Review(long decided, Double latencySecondsP50, Double latencySecondsP95, long slaBreaches,
                         long expired, long queueDepth) {
    }

    /**
     * How people judged one tool's calls that they reviewed in the window: how many, how many were rejected and how
     * many corrected. The report lists the tools most often rejected or corrected first.
     */
    public record ToolVerdicts(String tool, long reviewed, long rejected, long corrected) {
    }

    /** Verdicts given by one reviewer in the window. */
    public record ReviewerLoad(String reviewer, long verdicts) {
    }

    /**
     * The active calibrator on labels that arrived after it was fitted (so none of them fitted it): their ECE with a
     * bootstrap 95% interval, next to the out-of-fold ECE in the calibrator's own report.
     */
    public record CalibrationHealth(int calibratorVersion, String method, long labels, Double ece,
                                    double[] eceInterval, Double reportedEce) {
    }
}
