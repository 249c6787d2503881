package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Guarantees per segment, by seeded simulation (500 trials): segment A's model is calibrated (P(right | s) = s),
 * segment B's much worse (P(right | s) = s¹⁰) and a fifth of the traffic. A threshold certified on the pooled labels
 * holds on average and lets B's released error far exceed α in most trials; certificates per segment keep every
 * segment's released error at most α in at least 1 − δ of the trials. The true released error at a cut λ is known in
 * closed form for scores uniform on [0, 1].
 */
class SegmentCertificatesTest {

    private static final double ALPHA = 0.1;
    private static final double DELTA = 0.1;
    private static final int TRIALS = 500;

    /** 1 − E[s | s ≥ λ] for A; 1 − E[s¹⁰ | s ≥ λ] = 1 − (1 − λ¹¹) / (11 (1 − λ)) for B. */
    static double trueReleasedError(String segment, double lambda) {
        return segment.equals("A") ? (1 - lambda) / 2 : 1 - (1 - Math.pow(lambda, 11)) / (11 * (1 - lambda));
    }

    @Test
    void aPooledCertificateFailsTheWorseSegment_whilePerSegmentCertificatesHoldForEverySegment() {
        int pooledViolationsInB = 0;
        int pooledViolationsOverall = 0;
        int perSegmentViolations = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom r = new SplittableRandom(50_000 + trial);
            SegmentCertificates.SegmentLabels a = labels(r, 8000, 1);
            SegmentCertificates.SegmentLabels b = labels(r, 2000, 10);

            double[] q = concat(a.q(), b.q());
            double[] y = concat(a.y(), b.y());
            ThresholdSelection.Result pooled = ThresholdSelection.select(q, y, ones(q.length), ALPHA, DELTA);
            if (pooled.threshold() != null) {
                double l = pooled.threshold();
                if (trueReleasedError("B", l) > ALPHA) {
                    pooledViolationsInB++;
                }
                // The pooled promise itself: the released error over all traffic (A 80%, B 20%, both uniform).
                if (0.8 * trueReleasedError("A", l) + 0.2 * trueReleasedError("B", l) > ALPHA) {
                    pooledViolationsOverall++;
                }
            }

            Map<String, SegmentCertificates.SegmentLabels> bySegment = new LinkedHashMap<>();
            bySegment.put("A", a);
            bySegment.put("B", b);
            Map<String, SegmentCertificates.Certificate> certs = SegmentCertificates.select(bySegment, ALPHA, DELTA,
                    100);
            boolean anyAbove = false;
            for (var e : certs.entrySet()) {
                Double l = e.getValue().result().threshold();
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
    void aSegmentWithTooFewLabels_getsNoThreshold_andTheOthersShareδAmongThemselves() {
        SplittableRandom r = new SplittableRandom(3);
        Map<String, SegmentCertificates.SegmentLabels> bySegment = new LinkedHashMap<>();
        bySegment.put("en", labels(r, 3000, 1));
        bySegment.put("pt", labels(r, 40, 1));
        Map<String, SegmentCertificates.Certificate> certs = SegmentCertificates.select(bySegment, ALPHA, DELTA, 100);
        assertThat(certs.get("pt").labels()).isEqualTo(40);
        assertThat(certs.get("pt").result()).isNull();
        // With one segment tested it gets all of δ: the same cut as selecting on its labels alone.
        SegmentCertificates.SegmentLabels en = bySegment.get("en");
        assertThat(certs.get("en").result().threshold())
                .isEqualTo(ThresholdSelection.select(en.q(), en.y(), en.w(), ALPHA, DELTA).threshold());
        bySegment.put("de", labels(r, 3000, 1));
        Map<String, SegmentCertificates.Certificate> two = SegmentCertificates.select(bySegment, ALPHA, DELTA, 100);
        assertThat(two.get("en").result().threshold())
                .isEqualTo(ThresholdSelection.select(en.q(), en.y(), en.w(), ALPHA, DELTA / 2).threshold());
    }

    /** Scores uniform on [0, 1], right with probability s^power. */
    private static SegmentCertificates.SegmentLabels labels(SplittableRandom r, int n, int power) {
        double[] q = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            q[i] = r.nextDouble();
            y[i] = r.nextDouble() < Math.pow(q[i], power) ? 1 : 0;
        }
        return new SegmentCertificates.SegmentLabels(q, y, ones(n));
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
