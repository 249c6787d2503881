package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.routing.domain.Signal;
import dev.oversight.routing.domain.SegmentedCalibrator;
import dev.oversight.routing.domain.calibration.MultiSignalCalibrator.Transform;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The promise of a cut of the combined score, by seeded simulation (500 trials): a latent quality z ~ N(0, 1) makes an
 * output right with probability σ(3z), and three signals each see z through noise of one standard deviation. The
 * multi-logistic calibrator is fitted on one half of 2,000 labels and its cut certified on the other; the true error
 * among released outputs, measured on 20,000 fresh outputs with their exact probabilities, exceeds α in at most a δ
 * fraction of trials. Certifying on the labels that taught the combination would have no such promise.
 */
class MultiSignalGuaranteeTest {

    private static final double ALPHA = 0.1;
    private static final double DELTA = 0.1;
    private static final int TRIALS = 500;
    private static final List<Signal> SIGNALS = List.of(new Signal("a", Transform.NONE),
            new Signal("b", Transform.NONE), new Signal("c", Transform.NONE));

    @Test
    void releasedErrorOfTheCombinedScore_exceedsAlpha_inAtMostADeltaFractionOfTrials() throws Exception {
        int violations = 0;
        int certified = 0;
        double automation = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            SplittableRandom r = new SplittableRandom(70_000 + trial);
            Sample labels = sample(r, 2000);
            String[] one = new String[2000];
            Arrays.fill(one, "all");
            SegmentedCalibrator.Part part = CalibrationFitter.fitSegments(labels.labels(), one, "multi-logistic",
                    new CalibrationFitter.Options(ALPHA, DELTA, null, null, trial, SIGNALS), "attributes.s", 20,
                    false).calibrator().part("all").orElseThrow();
            if (part.selectedRawCut() == null) {
                continue;
            }
            certified++;
            MultiSignalCalibrator combined = (MultiSignalCalibrator) part.calibrator();
            Sample fresh = sample(r, 20_000);
            double[] q = combined.predictAll(fresh.labels().signals());
            double wrong = 0;
            int released = 0;
            for (int i = 0; i < q.length; i++) {
                if (q[i] >= part.selectedRawCut()) {
                    released++;
                    wrong += 1 - fresh.p()[i];
                }
            }
            automation += released / 20_000.0;
            if (released > 0 && wrong / released > ALPHA) {
                violations++;
            }
        }
        assertThat(certified).as("cuts certified").isGreaterThan(TRIALS / 2);
        assertThat(automation / certified).as("a certified cut releases something").isGreaterThan(0.05);
        assertThat((double) violations / TRIALS).isLessThanOrEqualTo(DELTA);
    }

    @Test
    void auto_choosesTheCombination_whenItPredictsBetterOutOfFold_andASingleSignalWhenTheOthersAreNoise()
            throws Exception {
        // The app's own confidence is one of the three noisy views of z, as a probability.
        Sample sample = sample(new SplittableRandom(9), 3000);
        Labels l = sample.labels();
        double[] confidence = new double[l.size()];
        for (int i = 0; i < confidence.length; i++) {
            confidence[i] = 1 / (1 + Math.exp(-l.signals()[0][i]));
        }
        Labels both = new Labels(confidence, l.y(), l.weight(), null, l.signals());
        CalibrationFitter.Report report = CalibrationFitter.fit(both, "auto",
                new CalibrationFitter.Options(ALPHA, DELTA, null, null, 1, SIGNALS));
        assertThat(report.calibrator().method()).isEqualTo("multi-logistic");
        assertThat(report.crossValidatedLogLoss().get("multi-logistic"))
                .isLessThan(report.crossValidatedLogLoss().get("platt-logit"));

        // Signals b and c replaced by noise: the combination buys nothing, and auto keeps the simpler map.
        SplittableRandom r = new SplittableRandom(10);
        double[][] noisy = {l.signals()[0], new double[l.size()], new double[l.size()]};
        for (int i = 0; i < l.size(); i++) {
            noisy[1][i] = r.nextGaussian();
            noisy[2][i] = r.nextGaussian();
        }
        CalibrationFitter.Report plain = CalibrationFitter.fit(new Labels(confidence, l.y(), l.weight(), null, noisy),
                "auto", new CalibrationFitter.Options(ALPHA, DELTA, null, null, 1, SIGNALS));
        assertThat(plain.calibrator().method()).isNotEqualTo("multi-logistic");
        assertThat(plain.signalComparison().combined().brier())
                .isGreaterThan(plain.signalComparison().singles().get(0).brier() - 0.002);
    }

    private record Sample(Labels labels, double[] p) {
    }

    private static Sample sample(SplittableRandom r, int n) {
        double[][] s = new double[3][n];
        double[] y = new double[n];
        double[] p = new double[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            double z = r.nextGaussian();
            p[i] = 1 / (1 + Math.exp(-3 * z));
            y[i] = r.nextDouble() < p[i] ? 1 : 0;
            for (int a = 0; a < 3; a++) {
                s[a][i] = z + r.nextGaussian();
            }
            score[i] = Double.NaN; // the outputs carry signals only
        }
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return new Sample(new Labels(score, y, w, null, s), p);
    }
}
