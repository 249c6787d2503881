package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The promise of threshold selection, checked by simulation: on overconfident scores with known truth, the
 * error rate among released outputs exceeds α in at most a δ fraction of independent trials.
 */
class ThresholdGuaranteeTest {

    private static final double ALPHA = 0.1;
    private static final double DELTA = 0.1;
    private static final double POWER = 4; // P(correct | score s) = s⁴: a score of 0.9 is right 66% of the time

    @Test
    void releasedErrorRate_exceedsAlpha_inAtMostADeltaFractionOfTrials() throws Exception {
        int trials = 200;
        int violations = 0;
        int selected = 0;
        for (int trial = 0; trial < trials; trial++) {
            Labels labels = CalibratorPropertiesTest.overconfident(3000, POWER, 1000 + trial);
            CalibrationFitter.Report report = CalibrationFitter.fit(labels, "platt",
                    new CalibrationFitter.Options(ALPHA, DELTA, null, null, trial));
            if (report.selectedThreshold() == null) {
                continue;
            }
            selected++;
            if (trueReleasedErrorRate(report) > ALPHA) {
                violations++;
            }
        }
        assertThat(selected).as("thresholds found").isGreaterThan(trials / 2);
        assertThat((double) violations / trials).isLessThanOrEqualTo(DELTA);
    }

    @Test
    void rawScoresWouldHaveViolated_soTheTestCanFail() {
        // Releasing at a raw score of 0.8 on these scores errs 33% of the time, over 3α: a cut must be certified.
        assertThat(1 - expectedCorrectAbove(0.8, s -> s)).isGreaterThan(3 * ALPHA);
    }

    @Test
    void noThresholdPasses_whenEverythingIsWrongTooOften() throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        int n = 2000;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextDouble();
            y[i] = r.nextDouble() < 0.5 ? 1 : 0;
        }
        CalibrationFitter.Report report = CalibrationFitter.fit(Labels.unweighted(s, y), "isotonic",
                new CalibrationFitter.Options(0.05, 0.05, null, null, 1));
        assertThat(report.selectedThreshold()).isNull();
        assertThat(report.expectedAutomationRate()).isZero();
    }

    /**
     * The exact error rate among released outputs, integrating over the score distribution U(0.5, 1): the router
     * releases at the certified raw-score cut.
     */
    private static double trueReleasedErrorRate(CalibrationFitter.Report report) {
        return 1 - expectedCorrectAbove(report.selectedRawCut(), s -> s);
    }

    private static double expectedCorrectAbove(double lambda, java.util.function.DoubleUnaryOperator calibrated) {
        int steps = 100_000;
        double released = 0;
        double correct = 0;
        for (int i = 0; i < steps; i++) {
            double s = 0.5 + 0.5 * (i + 0.5) / steps;
            if (calibrated.applyAsDouble(s) >= lambda) {
                released++;
                correct += Math.pow(s, POWER);
            }
        }
        return released == 0 ? 1 : correct / released;
    }
}
