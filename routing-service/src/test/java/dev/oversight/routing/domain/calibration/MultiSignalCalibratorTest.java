package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.oversight.routing.domain.calibration.MultiSignalCalibrator.Transform;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The several-signal calibrator against closed forms (one binary signal: each group's share, and the textbook
 * standard error of a log-odds ratio), its handling of a signal that carries nothing and of bad input, and by seeded
 * simulation: three weakly informative signals combined beat the best of them alone.
 */
class MultiSignalCalibratorTest {

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    @Test
    void oneBinarySignal_withoutPenalty_fitsEachGroupsShare_andTheLogOddsRatiosStandardError() {
        // 100 outputs with signal 0, 30 right; 100 with signal 1, 80 right.
        int n = 200;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = i < 100 ? 0 : 1;
            y[i] = i < 100 ? (i < 30 ? 1 : 0) : (i < 180 ? 1 : 0);
        }
        MultiSignalCalibrator c = MultiSignalCalibrator.fit(List.of("judge"), List.of(Transform.NONE),
                new double[][] {s}, y, ones(n), 0);
        assertThat(c.predict(new double[] {0})).isCloseTo(0.3, within(1e-9));
        assertThat(c.predict(new double[] {1})).isCloseTo(0.8, within(1e-9));
        // Standardised, the signal's sd is 0.5: the weight is half the log-odds ratio, its standard error half the
        // textbook sqrt(1/(n0 p0 q0) + 1/(n1 p1 q1)).
        double logOddsRatio = Math.log(0.8 / 0.2) - Math.log(0.3 / 0.7);
        double se = Math.sqrt(1 / (100 * 0.3 * 0.7) + 1 / (100 * 0.8 * 0.2));
        MultiSignalCalibrator.Weight weight = c.weights().get(0);
        assertThat(weight.signal()).isEqualTo("judge");
        assertThat(weight.weight()).isCloseTo(0.5 * logOddsRatio, within(1e-9));
        assertThat(weight.lower()).isCloseTo(0.5 * (logOddsRatio - 1.959963984540054 * se), within(1e-7));
        assertThat(weight.upper()).isCloseTo(0.5 * (logOddsRatio + 1.959963984540054 * se), within(1e-7));
    }

    @Test
    void aSignalThatCarriesNothing_getsAWeightWhoseIntervalCoversZero_andThePenaltyShrinksWeights() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 3000;
        double[] informative = new double[n];
        double[] noise = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian() * 1.5;
            y[i] = r.nextDouble() < LogisticFit.sigmoid(z) ? 1 : 0;
            informative[i] = LogisticFit.sigmoid(z + r.nextGaussian());
            noise[i] = r.nextDouble();
        }
        List<String> names = List.of("selfConsistency", "coinFlip");
        List<Transform> t = List.of(Transform.LOGIT, Transform.LOGIT);
        MultiSignalCalibrator free = MultiSignalCalibrator.fit(names, t, new double[][] {informative, noise}, y, ones(n),
                0);
        MultiSignalCalibrator ridge = MultiSignalCalibrator.fit(names, t, new double[][] {informative, noise}, y,
                ones(n), 500);
        MultiSignalCalibrator.Weight signal = free.weights().get(0);
        MultiSignalCalibrator.Weight nothing = free.weights().get(1);
        assertThat(signal.lower()).isGreaterThan(0.5);
        assertThat(nothing.lower()).isLessThan(0);
        assertThat(nothing.upper()).isGreaterThan(0);
        assertThat(ridge.weights().get(0).weight()).isLessThan(signal.weight()).isPositive();
    }

    @Test
    void transformsPutSignalsOnALogOddsScale_andClipWhatWouldBeInfinite() {
        assertThat(Transform.LOGIT.apply(0.5)).isZero();
        assertThat(Transform.LOGIT.apply(0.9)).isCloseTo(Math.log(9), within(1e-12));
        assertThat(Transform.LOGIT.apply(1.0)).isCloseTo(Math.log((1 - 1e-6) / 1e-6), within(1e-6));
        assertThat(Transform.LOGIT.apply(0.0)).isCloseTo(-Math.log((1 - 1e-6) / 1e-6), within(1e-6));
        assertThat(Transform.LOG.apply(Math.E)).isCloseTo(1, within(1e-12));
        assertThat(Transform.LOG.apply(0)).isEqualTo(Math.log(1e-12));
        assertThat(Transform.NONE.apply(-2.5)).isEqualTo(-2.5);
    }

    @Test
    void badInput_isRefusedWithWhatIsWrong() {
        double[] y = {1, 0};
        double[] w = {1, 1};
        assertThatThrownBy(() -> MultiSignalCalibrator.fit(List.of(), List.of(), new double[0][], y, w, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultiSignalCalibrator.fit(List.of("a"), List.of(Transform.NONE),
                new double[][] {{1, Double.NaN}}, y, w, 1)).hasMessageContaining("'a' is not a finite number");
        assertThatThrownBy(() -> MultiSignalCalibrator.fit(List.of("a"), List.of(Transform.NONE),
                new double[][] {{1}}, y, w, 1)).hasMessageContaining("1 values for 2 labels");
        assertThatThrownBy(() -> MultiSignalCalibrator.fit(List.of("a"), List.of(Transform.NONE),
                new double[][] {{1, 2}}, y, w, -1)).hasMessageContaining("penalty");
        MultiSignalCalibrator c = MultiSignalCalibrator.fit(List.of("a"), List.of(Transform.NONE),
                new double[][] {{1, 1}}, y, w, 1);
        assertThat(c.predict(new double[] {1})).isCloseTo(0.5, within(1e-9)); // a constant signal carries nothing
        assertThatThrownBy(() -> c.predict(new double[] {1, 2})).hasMessageContaining("expected 1 signals");
    }

    /**
     * Three signals, each a noisy view of how likely the output is right (each alone weakly informative): fitted on 600
     * labels and scored on 2,000 fresh outputs, the combined calibrator's Brier score beats the best single-signal
     * calibrator's in nearly every one of 500 seeded trials, and on average.
     */
    @Test
    void threeWeakSignalsCombined_beatTheBestOneAlone_byBrierScore_in500Trials() {
        int trials = 500;
        int wins = 0;
        double combinedSum = 0;
        double bestSingleSum = 0;
        List<String> names = List.of("meanLogprob", "selfConsistency", "judge");
        List<Transform> t = List.of(Transform.LOGIT, Transform.LOGIT, Transform.LOGIT);
        for (int trial = 0; trial < trials; trial++) {
            SplittableRandom r = new SplittableRandom(10_000 + trial);
            double[][] train = new double[3][600];
            double[] yTrain = new double[600];
            draw(r, train, yTrain);
            double[][] test = new double[3][2000];
            double[] yTest = new double[2000];
            draw(r, test, yTest);
            double[] w = ones(600);
            double[] wTest = ones(2000);
            double combined = Metrics.brier(MultiSignalCalibrator.fit(names, t, train, yTrain, w,
                    MultiSignalCalibrator.DEFAULT_PENALTY).predictAll(test), yTest, wTest);
            double best = Double.MAX_VALUE;
            for (int k = 0; k < 3; k++) {
                MultiSignalCalibrator single = MultiSignalCalibrator.fit(List.of(names.get(k)), List.of(t.get(k)),
                        new double[][] {train[k]}, yTrain, w, MultiSignalCalibrator.DEFAULT_PENALTY);
                best = Math.min(best, Metrics.brier(single.predictAll(new double[][] {test[k]}), yTest, wTest));
            }
            combinedSum += combined;
            bestSingleSum += best;
            if (combined < best) {
                wins++;
            }
        }
        assertThat(combinedSum / trials).isLessThan(bestSingleSum / trials);
        assertThat(wins).as("trials the combined calibrator won").isGreaterThanOrEqualTo(trials * 95 / 100);
    }

    @Test
    void outOfFold_theCombinationIsComparedWithEachSignalAlone_onTheSameFolds() {
        SplittableRandom r = new SplittableRandom(11);
        double[][] signals = new double[3][1500];
        double[] y = new double[1500];
        draw(r, signals, y);
        List<String> names = List.of("meanLogprob", "selfConsistency", "judge");
        List<Transform> t = List.of(Transform.LOGIT, Transform.LOGIT, Transform.LOGIT);
        MultiSignalCalibrator.Comparison c = MultiSignalCalibrator.compare(names, t, signals, y, ones(1500),
                MultiSignalCalibrator.DEFAULT_PENALTY, 5, 3);
        assertThat(c.singles()).extracting(MultiSignalCalibrator.OutOfFold::calibrator).containsExactlyElementsOf(names);
        assertThat(c.best()).isEqualTo("combined");
        assertThat(c.combined().brier()).isLessThan(c.singles().stream()
                .mapToDouble(MultiSignalCalibrator.OutOfFold::brier).min().orElseThrow());
        // The least noisy signal is the best alone; a signal that is pure noise would never be "best" over the rest.
        assertThat(c.singles().get(0).brier()).isLessThan(c.singles().get(2).brier());
        assertThat(c.combined().ece()).isBetween(0.0, 0.1);
        assertThat(MultiSignalCalibrator.compare(names, t, signals, y, ones(1500), 1, 5, 3)).isEqualTo(c);
        // With a single informative signal and two pure-noise ones, combining buys nothing: the signal alone wins.
        double[][] mostlyNoise = {signals[0], new double[1500], new double[1500]};
        for (int i = 0; i < 1500; i++) {
            mostlyNoise[1][i] = r.nextDouble();
            mostlyNoise[2][i] = r.nextDouble();
        }
        MultiSignalCalibrator.Comparison noisy = MultiSignalCalibrator.compare(names, t, mostlyNoise, y, ones(1500),
                MultiSignalCalibrator.DEFAULT_PENALTY, 5, 3);
        assertThat(noisy.combined().brier()).isGreaterThan(noisy.singles().get(0).brier() - 0.002);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MultiSignalCalibrator.compare(names, t,
                new double[][] {{0.5}, {0.5}, {0.5}}, new double[] {1}, new double[] {1}, 1, 5, 3))
                .hasMessageContaining("at least 5 labels");
    }

    /** z: the log-odds of being right; each signal sees z through its own noise, as a probability. */
    private static void draw(SplittableRandom r, double[][] signals, double[] y) {
        double[] noise = {1.6, 2.0, 2.4};
        for (int i = 0; i < y.length; i++) {
            double z = 0.5 + 1.5 * r.nextGaussian();
            y[i] = r.nextDouble() < LogisticFit.sigmoid(z) ? 1 : 0;
            for (int k = 0; k < signals.length; k++) {
                signals[k][i] = LogisticFit.sigmoid(z + noise[k] * r.nextGaussian());
            }
        }
    }
}
