package dev.oversight.console.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.console.client.OversightFigures.Proportion;
import io.quarkus.qute.TemplateData;
import java.util.List;
import java.util.Map;

/**
 * An evaluation's report as the operator reads it: the candidate against production on the same benchmark items,
 * overall and per stratum, its calibration and automation, and the regressions and fixes side by side. The
 * reliability bins stay the JSON the diagram is drawn from; the items' outputs stay JSON documents.
 */
@TemplateData
public record Evaluation(String id, int benchmark, String modelVersion, List<String> productionVersions,
                         String equivalence, String createdAt, String createdBy, int items, int judged, int undecided,
                         Paired accuracy, Map<String, Paired> strata, double level, boolean significantRegression,
                         Calibration calibration, Automation automation, int regressionCount, int fixCount,
                         List<SideBySide> regressions, List<SideBySide> fixes, int judgedByPeople,
                         List<ComparisonSummary> comparisons) {

    /** Whether people are judging some of its outputs side by side right now. */
    public boolean comparing() {
        return comparisons != null && comparisons.stream().anyMatch(k -> "OPEN".equals(k.status()));
    }

    /** A blind comparison of the evaluation's undecided outputs: OPEN while people judge them, then DONE. */
    @TemplateData
    public record ComparisonSummary(String id, String status, int sides, String createdAt) {
    }

    /** What asking for a comparison answered. */
    public record Comparison(String id, String status, int sides, int judged, int right) {
    }

    /** The paired table of a candidate and production on the same items, with the exact McNemar p-value. */
    @TemplateData
    public record Paired(long n, long bothRight, long regressions, long fixes, long bothWrong, Proportion candidate,
                         Proportion reference, double difference, double pValue) {
    }

    @TemplateData
    public record Calibration(double ece, JsonNode reliability) {
    }

    @TemplateData
    public record Automation(Double threshold, double rate) {
    }

    /** One item: what people settled on, what production answered, what the candidate answered. */
    @TemplateData
    public record SideBySide(String itemId, String stratum, JsonNode input, JsonNode reference, JsonNode production,
                             JsonNode candidate, double candidateConfidence) {
    }

    /** One evaluation as the list shows it. */
    @TemplateData
    public record Summary(String id, int benchmarkVersion, String modelVersion, String status, String createdAt,
                          String createdBy) {

        /** Whether every result is in (an OPEN evaluation still waits for parts and has no report yet). */
        public boolean complete() {
            return !"OPEN".equals(status);
        }
    }

    /** A candidate version's live comparison from shadow outputs, per day. */
    @TemplateData
    public record Shadow(String modelVersion, double level, boolean significantRegression, String first, String last,
                         ShadowFigures figures) {
    }

    @TemplateData
    public record ShadowFigures(int items, int judged, int undecided, Paired overall, Map<String, Paired> strata) {
    }

    /** What a promotion did: the policy version allowing the model (pending under four eyes) and the labels. */
    @TemplateData
    public record Promotion(String id, String modelVersion, String evaluation, boolean overridden, int labels,
                            PolicyVersion policy) {
    }

    /** The body of a promotion. */
    public record PromotionBody(String modelVersion, String evaluation, Override override) {
    }

    public record Override(String reason) {
    }
}
