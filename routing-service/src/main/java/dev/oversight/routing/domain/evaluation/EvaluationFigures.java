package dev.oversight.routing.domain.evaluation;

import dev.oversight.routing.domain.calibration.Metrics;
import dev.oversight.routing.domain.calibration.ThresholdSelection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an evaluation shows, from its scored items: the candidate against the model in production on the items
 * both could be judged on (overall and per stratum, with exact intervals and the exact McNemar test), the
 * candidate's calibration on those items, the share it would release at the policy's certified error target, and
 * the items it regressed on and fixed.
 *
 * <p>Assumptions: the benchmark's items are a sample of the use case's traffic that people decided (a frozen
 * benchmark says how it was drawn), judged independently; the automation rate is Learn-then-Test threshold
 * selection on the candidate's raw confidence over these items, so it holds for traffic like them.
 */
public record EvaluationFigures(
        int items,
        int judged,
        int undecided,
        PairedComparison overall,
        Map<String, PairedComparison> strata,
        double ece,
        List<Metrics.Bin> reliability,
        Double threshold,
        double automationRate,
        List<String> regressions,
        List<String> fixes) {

    /** One item as scored: its id, its stratum, the two verdicts (null: undecided) and the candidate's confidence. */
    public record Scored(String itemId, String stratum, Boolean candidate, Boolean reference, double confidence) {
    }

    /** The figures; {@code targetErrorRate} and {@code delta} are the policy's α and δ. */
    public static EvaluationFigures of(List<Scored> scored, double targetErrorRate, double delta) {
        List<Scored> judged = scored.stream().filter(s -> s.candidate() != null && s.reference() != null).toList();
        Map<String, List<Scored>> byStratum = new TreeMap<>();
        for (Scored s : judged) {
            byStratum.computeIfAbsent(s.stratum(), k -> new ArrayList<>()).add(s);
        }
        Map<String, PairedComparison> strata = new LinkedHashMap<>();
        byStratum.forEach((stratum, items) -> strata.put(stratum, compare(items)));

        List<Scored> calibrated = scored.stream().filter(s -> s.candidate() != null).toList();
        double[] p = new double[calibrated.size()];
        double[] y = new double[calibrated.size()];
        double[] w = new double[calibrated.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = calibrated.get(i).confidence();
            y[i] = calibrated.get(i).candidate() ? 1 : 0;
            w[i] = 1;
        }
        ThresholdSelection.Result selected = ThresholdSelection.select(p, y, w, targetErrorRate, delta);
        return new EvaluationFigures(scored.size(), judged.size(), scored.size() - judged.size(), compare(judged),
                strata, p.length == 0 ? 0 : Metrics.ece(p, y, w), Metrics.reliability(p, y, w, 10),
                selected.threshold(), selected.expectedAutomationRate(),
                judged.stream().filter(s -> s.reference() && !s.candidate()).map(Scored::itemId).toList(),
                judged.stream().filter(s -> !s.reference() && s.candidate()).map(Scored::itemId).toList());
    }

    private static PairedComparison compare(List<Scored> items) {
        boolean[] reference = new boolean[items.size()];
        boolean[] candidate = new boolean[items.size()];
        for (int i = 0; i < items.size(); i++) {
            reference[i] = items.get(i).reference();
            candidate[i] = items.get(i).candidate();
        }
        return PairedComparison.of(reference, candidate);
    }
}
