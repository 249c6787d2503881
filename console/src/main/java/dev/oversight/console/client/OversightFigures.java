package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;
import java.util.Map;

/**
 * Whether oversight works for a use case over a window, as the routing service reports it: the share of each route,
 * intervention, overrides, reversals, escalation precision and under-escalation (each a proportion with its 95%
 * interval), review work, reviewer load and calibration health; for agents, how often a reviewed run's process was
 * judged flawed and the tools whose calls people overturned most; under a policy with segments, the figures per
 * segment.
 */
@TemplateData
public record OversightFigures(String useCase, String modelVersion, String from, String to, long volume,
                               Map<String, Proportion> routes, Proportion interventionRate, List<ReasonShare> reasons,
                               Proportion overrideRate, Proportion releasesReversed, Proportion escalationPrecision,
                               Proportion underEscalation, Review review, List<ReviewerLoad> reviewerLoad,
                               CalibrationHealth calibration, Proportion processFlawRate, List<ToolVerdicts> tools,
                               List<SegmentFigures> segments) {

    /** One segment's volume, intervention, escalation precision and under-escalation. */
    @TemplateData
    public record SegmentFigures(String segment, long volume, Proportion interventionRate,
                                 Proportion escalationPrecision, Proportion underEscalation) {
    }

    /** One tool's reviewed calls and how many people rejected or corrected. */
    @TemplateData
    public record ToolVerdicts(String tool, long reviewed, long rejected, long corrected) {
    }

    /** A share with its 95% interval; {@code effectiveN} differs from {@code n} when the sample is weighted. */
    @TemplateData
    public record Proportion(long n, double effectiveN, double estimate, double lower, double upper) {
    }

    @TemplateData
    public record ReasonShare(String reason, long n, double share) {
    }

    @TemplateData
    public record Review(long decided, Double latencySecondsP50, Double latencySecondsP95, long slaBreaches,
                         long expired, long queueDepth) {
    }

    @TemplateData
    public record ReviewerLoad(String reviewer, long verdicts) {
    }

    @TemplateData
    public record CalibrationHealth(int calibratorVersion, String method, long labels, Double ece,
                                    List<Double> eceInterval, Double reportedEce) {
    }
}
