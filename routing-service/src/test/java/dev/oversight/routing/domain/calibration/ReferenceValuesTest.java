package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Published reference values the calibration code must reproduce. */
class ReferenceValuesTest {

    @Test
    void platt_matchesScikitLearnSigmoidCalibration() {
        double[] f = {-2, -1, -0.5, 0, 0.3, 1, 1.5, 2.5};
        double[] y = {0, 0, 1, 0, 1, 0, 1, 1};
        double[] ab = LogisticCalibrator.plattOnDecisionValues(f, y, ones(f.length));
        assertThat(ab[0]).isCloseTo(-0.59507, within(1e-5));
        assertThat(ab[1]).isCloseTo(0.13171, within(1e-5));
    }

    @Test
    void platt_matchesLibsvmReferenceUsedByScikitLearnTests() {
        double[] ab = LogisticCalibrator.plattOnDecisionValues(new double[] {5, -4, 1}, new double[] {1, 0, 0}, ones(3));
        assertThat(ab[0]).isCloseTo(-0.20261354391187855, within(1e-5));
        assertThat(ab[1]).isCloseTo(0.65236314980010512, within(1e-5));
    }

    @Test
    void isotonic_matchesScikitLearnIsotonicRegression() throws Exception {
        Labels labels = Labels.unweighted(new double[] {0.1, 0.2, 0.2, 0.4, 0.6, 0.8}, new double[] {0, 1, 0, 0, 1, 1});
        PiecewiseCalibrator iso = PiecewiseCalibrator.fitIsotonic(labels);
        assertThat(iso.calibrate(0.15)).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(iso.calibrate(0.5)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(iso.calibrate(0.0)).isEqualTo(0.0);
        assertThat(iso.calibrate(1.0)).isEqualTo(1.0);
    }

    @Test
    void binomialTest_table() {
        // α = δ = 0.05 with 1000 released outputs: 38 errors pass, 39 fail.
        assertThat(ThresholdSelection.pValue(1000, 38, 0.05)).isLessThanOrEqualTo(0.05);
        assertThat(ThresholdSelection.pValue(1000, 39, 0.05)).isGreaterThan(0.05);
        // Zero errors need n ≥ 59.
        assertThat(ThresholdSelection.minimumSamples(0.05, 0.05)).isEqualTo(59);
        assertThat(ThresholdSelection.pValue(59, 0, 0.05)).isLessThanOrEqualTo(0.05);
        assertThat(ThresholdSelection.pValue(58, 0, 0.05)).isGreaterThan(0.05);
    }

    @Test
    void clopperPearsonUpperBound_fiveOfHundred() {
        assertThat(ThresholdSelection.clopperPearsonUpper(5, 100, 0.05)).isCloseTo(0.102253, within(1e-5));
        assertThat(ThresholdSelection.clopperPearsonUpper(0, 59, 0.05)).isCloseTo(1 - Math.pow(0.05, 1.0 / 59), within(1e-9));
    }

    static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }
}
