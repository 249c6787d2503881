package dev.oversight.routing.domain.calibration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Certified release thresholds per segment (Mondrian style): the labels are split by segment (a language, a region,
 * a product line) and each segment gets its own Learn-then-Test threshold ({@link ThresholdSelection}) at the
 * policy's α, each at δ/K where K is the number of segments tested (Bonferroni), so that with probability at least
 * 1 − δ every segment's error rate among its released outputs is at most α at once, not only the average over all of
 * them. A segment with fewer than {@code minLabels} labels is not tested and has no threshold: its outputs are reviewed,
 * never released on a cut certified for others.
 *
 * <p>Assumptions, as for one threshold: within a segment the labels are independent and exchangeable with the outputs
 * the threshold will be applied to; the segment of an output is known when it is routed. Bonferroni holds whatever the
 * dependence between segments; it is conservative when there are many.
 */
public final class SegmentCertificates {

    private SegmentCertificates() {
    }

    /** One segment's labels: scores (calibrated confidence), 1 when right, and weights. */
    public record SegmentLabels(double[] q, double[] y, double[] w) {
    }

    /** A segment's outcome: its certificate, or {@code null} when it had too few labels to be tested. */
    public record Certificate(int labels, ThresholdSelection.Result result) {
    }

    public static Map<String, Certificate> select(Map<String, SegmentLabels> bySegment, double alpha, double delta,
                                                  int minLabels) {
        long tested = bySegment.values().stream().filter(s -> s.y().length >= minLabels).count();
        double each = tested == 0 ? delta : delta / tested;
        Map<String, Certificate> out = new LinkedHashMap<>();
        bySegment.forEach((segment, s) -> out.put(segment, new Certificate(s.y().length, s.y().length < minLabels
                ? null : ThresholdSelection.select(s.q(), s.y(), s.w(), alpha, each))));
        return out;
    }
}
