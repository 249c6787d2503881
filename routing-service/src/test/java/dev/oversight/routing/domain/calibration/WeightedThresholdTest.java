package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The threshold guarantee with weighted labels, as Oversight produces them: outputs below the routing threshold are
 * all reviewed (weight 1); released outputs are audit-sampled at rate r and weigh 1/r. Weights are not evidence: a
 * handful of heavy labels must not certify what only many labels could.
 */
class WeightedThresholdTest {

    private static final double ALPHA = 0.1;
    private static final double DELTA = 0.1;
    /** Outputs at or above this raw score were released (and audit-sampled); below it, reviewed. */
    private static final double ROUTING_THRESHOLD = 0.8;
    private static final int OUTPUTS = 20_000;
    private static final int TRIALS = 500;

    @Test
    void tenLabelsOfWeight50_neverCertifyAThreshold() {
        double[] q = new double[10];
        double[] y = new double[10];
        double[] w = new double[10];
        Arrays.fill(q, 0.99);
        Arrays.fill(y, 1);
        Arrays.fill(w, 50);
        // ⌊Σw⌋ = 500 correct labels would "prove" an error rate below 0.1 at δ = 0.1; ten labels cannot.
        assertThat(ThresholdSelection.select(q, y, w, ALPHA, DELTA).threshold()).isNull();
        assertThat(ThresholdSelection.at(q, y, w, 0.99, DELTA).released()).isEqualTo(10);
    }

    @Test
    void unweightedLabels_keepTheExactBinomialTest() {
        int n = ThresholdSelection.minimumSamples(ALPHA, DELTA);
        double[] q = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        Arrays.fill(q, 0.99);
        Arrays.fill(y, 1);
        Arrays.fill(w, 1);
        ThresholdSelection.Result r = ThresholdSelection.select(q, y, w, ALPHA, DELTA);
        assertThat(r.threshold()).isNotNull();
        assertThat(r.released()).isEqualTo(n);
        assertThat(r.errors()).isZero();
        // One label fewer, and zero errors no longer suffice: n ≥ ⌈ln δ / ln(1 − α)⌉ is exact.
        assertThat(ThresholdSelection.select(Arrays.copyOf(q, n - 1), Arrays.copyOf(y, n - 1), Arrays.copyOf(w, n - 1),
                ALPHA, DELTA).threshold()).isNull();
    }

    /**
     * Over 500 seeded trials per audit rate, the true error rate among outputs released at the selected threshold
     * exceeds α in at most a δ fraction of trials.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.01, 0.02, 0.05})
    void auditSampledLabelsMixedWithReviewLabels_keepTheGuarantee(double auditRate) {
        int violations = 0;
        int certified = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom random = new SplittableRandom(Double.doubleToLongBits(auditRate) * 31 + trial);
            double[] q = new double[OUTPUTS];
            double[] y = new double[OUTPUTS];
            double[] w = new double[OUTPUTS];
            int n = 0;
            for (int i = 0; i < OUTPUTS; i++) {
                double s = 0.5 + 0.5 * random.nextDouble();
                boolean correct = random.nextDouble() < Math.pow(s, 4);
                boolean labelled = s < ROUTING_THRESHOLD || random.nextDouble() < auditRate;
                if (labelled) {
                    q[n] = s;
                    y[n] = correct ? 1 : 0;
                    w[n] = s < ROUTING_THRESHOLD ? 1 : 1 / auditRate;
                    n++;
                }
            }
            ThresholdSelection.Result r = ThresholdSelection.select(Arrays.copyOf(q, n), Arrays.copyOf(y, n),
                    Arrays.copyOf(w, n), ALPHA, DELTA);
            if (r.threshold() == null) {
                continue;
            }
            certified++;
            if (trueErrorAbove(r.threshold()) > ALPHA) {
                violations++;
            }
        }
        assertThat((double) violations / TRIALS).as("violations at audit rate %s (%d certified)", auditRate, certified)
                .isLessThanOrEqualTo(DELTA);
        if (auditRate >= 0.05) {
            assertThat(certified).as("the test still certifies with enough audit labels").isGreaterThan(TRIALS / 2);
        }
    }

    /** Error rate among outputs with raw score ≥ λ when P(correct | s) = s⁴ and s ~ U(0.5, 1). */
    private static double trueErrorAbove(double lambda) {
        double lo = Math.max(lambda, 0.5);
        return 1 - (1 - Math.pow(lo, 5)) / (5 * (1 - lo));
    }
}
