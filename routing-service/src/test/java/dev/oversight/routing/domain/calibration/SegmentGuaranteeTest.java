package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guarantees per segment, by seeded simulation (500 trials): segment A's model is calibrated (P(right | s) = s),
 * segment B's much worse (P(right | s) = s¹⁰) and a fifth of the traffic. A threshold certified on the pooled labels
 * holds on average and lets B's released error far exceed α in most trials; certificates per segment keep every
 * segment's released error at most α in at least 1 − δ of the trials. The true released error at a cut λ is known in
 * closed form for scores uniform on [0, 1]. Both go through {@link CalibrationFitter} as a fit does (identity
 * calibration, so the cut is on the score itself).
 */
class SegmentGuaranteeTest {

    private static final double ALPHA = 0.1;
    private static final double DELTA = 0.1;
    private static final int TRIALS = 500;
    private static final CalibrationFitter.Options OPTIONS = new CalibrationFitter.Options(ALPHA, DELTA, null, null, 1);

    /** 1 − E[s | s ≥ λ] for A; 1 − E[s¹⁰ | s ≥ λ] = 1 − (1 − λ¹¹) / (11 (1 − λ)) for B. */
    static double trueReleasedError(String segment, double lambda) {
        return segment.equals("A") ? (1 - lambda) / 2 : 1 - (1 - Math.pow(lambda, 11)) / (11 * (1 - lambda));
    }

    @Test
    void aPooledCertificateFailsTheWorseSegment_whilePerSegmentCertificatesHoldForEverySegment()
            throws CalibrationException {
        int pooledViolationsInB = 0;
        int pooledViolationsOverall = 0;
        int perSegmentViolations = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom r = new SplittableRandom(50_000 + trial);
            Labels a = labels(r, 8000, 1);
            Labels b = labels(r, 2000, 10);
            Labels all = new Labels(concat(a.score(), b.score()), concat(a.y(), b.y()), ones(10_000));
            String[] segment = new String[10_000];
            Arrays.fill(segment, 0, 8000, "A");
            Arrays.fill(segment, 8000, 10_000, "B");

            // Pooled: every label in one segment, certified at all of δ.
            String[] oneSegment = new String[10_000];
            Arrays.fill(oneSegment, "all");
            Double pooled = CalibrationFitter.fitSegments(all, oneSegment, "identity", OPTIONS, "attributes.s", 100,
                    false).calibrator().part("all").orElseThrow().selectedRawCut();
            if (pooled != null) {
                double l = pooled;
                if (trueReleasedError("B", l) > ALPHA) {
                    pooledViolationsInB++;
                }
                // The pooled promise itself: the released error over all traffic (A 80%, B 20%, both uniform).
                if (0.8 * trueReleasedError("A", l) + 0.2 * trueReleasedError("B", l) > ALPHA) {
                    pooledViolationsOverall++;
                }
            }

            CalibrationFitter.SegmentedReport each = CalibrationFitter.fitSegments(all, segment, "identity", OPTIONS,
                    "attributes.s", 100, false);
            boolean anyAbove = false;
            for (var e : each.calibrator().parts().entrySet()) {
                Double l = e.getValue().selectedRawCut();
                if (l != null && trueReleasedError(e.getKey(), l) > ALPHA) {
                    anyAbove = true;
                }
            }
            if (anyAbove) {
                perSegmentViolations++;
            }
        }
        assertThat((double) pooledViolationsOverall / TRIALS).as("the pooled promise holds on average")
                .isLessThanOrEqualTo(DELTA);
        assertThat((double) pooledViolationsInB / TRIALS).as("B's released error above α under the pooled cut")
                .isGreaterThan(0.5);
        assertThat((double) perSegmentViolations / TRIALS).as("some segment above α under per-segment cuts")
                .isLessThanOrEqualTo(DELTA);
    }

    @Test
    void aSegmentWithTooFewLabels_getsNoThreshold_andTheOthersShareδAmongThemselves() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        Labels en = labels(r, 3000, 1);
        Labels pt = labels(r, 40, 1);
        Labels de = labels(r, 3000, 1);
        Labels two = new Labels(concat(en.score(), pt.score()), concat(en.y(), pt.y()), ones(3040));
        String[] segment = new String[3040];
        Arrays.fill(segment, 0, 3000, "en");
        Arrays.fill(segment, 3000, 3040, "pt");
        CalibrationFitter.SegmentedReport one = CalibrationFitter.fitSegments(two, segment, "identity", OPTIONS,
                "attributes.language", 100);
        assertThat(one.tested()).isEqualTo(1);
        assertThat(one.calibrator().part("pt")).isEmpty();
        assertThat(one.segments()).filteredOn(f -> f.segment().equals("pt")).singleElement()
                .satisfies(f -> assertThat(f.labels()).isEqualTo(40));
        // With one segment tested it gets all of δ: the same cut as selecting on its labels alone.
        assertThat(one.calibrator().part("en").orElseThrow().selectedRawCut())
                .isEqualTo(ThresholdSelection.select(en.score(), en.y(), en.weight(), ALPHA, DELTA).threshold());

        Labels three = new Labels(concat(two.score(), de.score()), concat(two.y(), de.y()), ones(6040));
        String[] segments3 = Arrays.copyOf(segment, 6040);
        Arrays.fill(segments3, 3040, 6040, "de");
        CalibrationFitter.SegmentedReport both = CalibrationFitter.fitSegments(three, segments3, "identity", OPTIONS,
                "attributes.language", 100);
        assertThat(both.tested()).isEqualTo(2);
        assertThat(both.deltaEach()).isEqualTo(DELTA / 2);
        assertThat(both.calibrator().part("en").orElseThrow().selectedRawCut())
                .isEqualTo(ThresholdSelection.select(en.score(), en.y(), en.weight(), ALPHA, DELTA / 2).threshold());
        // The router's segment by its expression over attributes.
        assertThat(both.calibrator().segmentOf(java.util.Map.of("language", "de"))).isEqualTo("de");
    }

    /** Scores uniform on [0, 1], right with probability s^power. */
    private static Labels labels(SplittableRandom r, int n, int power) {
        double[] q = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = r.nextDouble();
            y[i] = r.nextDouble() < Math.pow(q[i], power) ? 1 : 0;
        }
        return new Labels(q, y, ones(n));
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
