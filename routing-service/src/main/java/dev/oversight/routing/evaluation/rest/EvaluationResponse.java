package dev.oversight.routing.evaluation.rest;

import dev.oversight.routing.domain.calibration.Metrics;
import dev.oversight.routing.domain.evaluation.ComparisonStatus;
import dev.oversight.routing.domain.evaluation.EvaluationFigures;
import dev.oversight.routing.domain.evaluation.PairedComparison;
import dev.oversight.routing.evaluation.service.EvaluationService.Report;
import dev.oversight.routing.evaluation.service.EvaluationService.SideBySide;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An evaluation's report: the candidate against the model in production on the same items (accuracy with exact
 * 95% intervals, overall and per stratum, the paired difference and its exact McNemar p-value), the candidate's
 * calibration, the share it would release at the policy's error target, and the regressions and fixes side by side;
 * {@code judgedByPeople}: how many outputs people scored in blind comparisons where the rule could not.
 */
public record EvaluationResponse(UUID id, String useCase, int benchmark, String modelVersion,
                                 List<String> productionVersions, String equivalence, Instant createdAt,
                                 String createdBy, int items, int judged, int undecided, PairedComparison accuracy,
                                 Map<String, PairedComparison> strata, double level, boolean significantRegression,
                                 Calibration calibration, Automation automation, int regressionCount, int fixCount,
                                 List<SideBySide> regressions, List<SideBySide> fixes, int judgedByPeople,
                                 List<ComparisonSummary> comparisons) {

    /** A blind comparison of this evaluation's undecided outputs. */
    public record ComparisonSummary(UUID id, ComparisonStatus status, int sides, Instant createdAt) {
    }

    /** The candidate's confidence against its correctness on the items it could be judged on. */
    public record Calibration(double ece, List<Metrics.Bin> reliability) {
    }

    /** Learn-then-Test on the candidate's confidence at the policy's α and δ: its threshold and release share. */
    public record Automation(Double threshold, double rate) {
    }

    static EvaluationResponse of(Report r) {
        EvaluationFigures f = r.figures();
        return new EvaluationResponse(r.evaluation().id(), r.evaluation().useCase(), r.evaluation().benchmarkVersion(),
                r.evaluation().modelVersion(), r.productionVersions(), r.evaluation().equivalence(),
                r.evaluation().createdAt(), r.evaluation().createdBy(), f.items(), f.judged(), f.undecided(),
                f.overall(), f.strata(), r.level(), r.significantRegression(),
                new Calibration(f.ece(), f.reliability()), new Automation(f.threshold(), f.automationRate()),
                f.regressions().size(), f.fixes().size(), r.regressions(), r.fixes(), r.judgedByPeople(),
                r.comparisons().stream().map(k -> new ComparisonSummary(k.id(), k.status(), k.sides(),
                        k.createdAt())).toList());
    }
}
