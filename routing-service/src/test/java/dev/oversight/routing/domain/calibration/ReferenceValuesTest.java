package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Published reference values the calibration code must reproduce. */
class ReferenceValuesTest {

    /**
     * The data both scikit-learn comparisons were computed on: {@code numpy.random.RandomState(20261125)}, s =
     * round(uniform(0.3, 1, 40), 4), y = uniform(0, 1, 40) &lt; s³.
     */
    private static final double[] SKLEARN_S = {0.7594, 0.5078, 0.5669, 0.4846, 0.9747, 0.3421, 0.8438, 0.7983, 0.4704,
        0.972, 0.4195, 0.9587, 0.4001, 0.8058, 0.85, 0.3655, 0.6759, 0.4927, 0.6956, 0.3917, 0.4384, 0.4789, 0.8009,
        0.8783, 0.9527, 0.877, 0.3176, 0.7845, 0.9174, 0.6721, 0.5477, 0.7466, 0.3839, 0.8948, 0.8102, 0.7727, 0.7523,
        0.8877, 0.4612, 0.5496};
    private static final double[] SKLEARN_Y = {0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1};

    @Test
    void platt_matchesScikitLearnSigmoidCalibration() {
        double[] f = {-2, -1, -0.5, 0, 0.3, 1, 1.5, 2.5};
        double[] y = {0, 0, 1, 0, 1, 0, 1, 1};
        double[] ab = LogisticCalibrator.plattOnDecisionValues(f, y, ones(f.length));
        assertThat(ab[0]).isCloseTo(-0.59507, within(1e-5));
        assertThat(ab[1]).isCloseTo(0.13171, within(1e-5));
    }

    /**
     * Platt on the raw score, as scikit-learn's {@code CalibratedClassifierCV(method="sigmoid")} fits it: reference
     * values computed once with scikit-learn 1.2.1 ({@code sklearn.calibration._SigmoidCalibration().fit(s, y)},
     * Debian's python3-sklearn; data from {@code numpy.random.RandomState(20261125)}: s = round(uniform(0.3, 1, 40),
     * 4), y = uniform(0, 1, 40) &lt; s³). scikit-learn's BFGS stops at a gradient of 1e-5, about 8e-7 from the exact
     * optimum that our Newton solver reaches, hence the 1e-6 tolerance.
     */
    @Test
    void plattOnRawScores_reproducesScikitLearnWithTheSameLabels() throws Exception {
        LogisticCalibrator platt = LogisticCalibrator.fitPlatt(Labels.unweighted(SKLEARN_S, SKLEARN_Y));
        // scikit-learn's P = 1/(1 + exp(A·s + B)) with A = -5.1065758222610755, B = 4.607848747113011.
        assertThat((Double) platt.params().get("a")).isCloseTo(5.1065758222610755, within(1e-6));
        assertThat((Double) platt.params().get("b")).isCloseTo(-4.607848747113011, within(1e-6));
        double[] probe = {0.3, 0.5, 0.7, 0.8, 0.9, 0.99};
        double[] sklearn = {0.04411338714570985, 0.11359234475593465, 0.262455347076713, 0.3722472512666171,
            0.49701740860816435, 0.61008304743404};
        for (int i = 0; i < probe.length; i++) {
            assertThat(platt.calibrate(probe[i])).as("P(correct | %s)", probe[i]).isCloseTo(sklearn[i], within(1e-6));
        }
    }

    /**
     * Isotonic regression as {@code CalibratedClassifierCV(method="isotonic")} fits it
     * ({@code IsotonicRegression(out_of_bounds="clip")}, scikit-learn 1.2.1) on the same data as the Platt test.
     */
    @Test
    void isotonicOnTheSameLabels_reproducesScikitLearnPredictions() throws Exception {
        PiecewiseCalibrator iso = PiecewiseCalibrator.fitIsotonic(Labels.unweighted(SKLEARN_S, SKLEARN_Y));
        double[] probe = {0.2, 0.3, 0.45, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1.0};
        double[] sklearn = {0.0, 0.0, 0.1, 0.1, 0.16666666666666666, 0.2, 0.2, 0.75, 0.75, 1.0, 1.0};
        for (int i = 0; i < probe.length; i++) {
            assertThat(iso.calibrate(probe[i])).as("isotonic(%s)", probe[i]).isCloseTo(sklearn[i], within(1e-6));
        }
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
