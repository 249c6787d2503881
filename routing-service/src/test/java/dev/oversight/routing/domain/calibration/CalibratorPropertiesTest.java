package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.Calibrators;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class CalibratorPropertiesTest {

    /** Overconfident scores: the true probability of being right is score^power. */
    static Labels overconfident(int n, double power, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.5 + 0.5 * r.nextDouble();
            y[i] = r.nextDouble() < Math.pow(s[i], power) ? 1 : 0;
        }
        return Labels.unweighted(s, y);
    }

    @Property(tries = 60)
    void everyFittedCalibrator_isMonotoneAndMapsIntoTheUnitInterval(
            @ForAll @IntRange(min = 1, max = 5000) int seed,
            @ForAll @DoubleRange(min = 0.5, max = 6) double power,
            @ForAll @IntRange(min = 30, max = 1500) int n) {
        Labels labels = overconfident(n, power, seed);
        for (CalibrationFitter.Method method : CalibrationFitter.Method.values()) {
            Calibrator c;
            try {
                c = CalibrationFitter.fitOne(method, labels);
            } catch (CalibrationException rejected) {
                continue; // a rejected fit never reaches the router
            }
            double previous = -1;
            for (int i = 0; i <= 1000; i++) {
                double q = c.calibrate(i / 1000.0);
                assertThat(q).as("%s at %s", method, i / 1000.0).isBetween(0.0, 1.0);
                assertThat(q).as("%s monotone at %s", method, i / 1000.0).isGreaterThanOrEqualTo(previous - 1e-12);
                previous = q;
            }
            // What is stored rebuilds to the same map.
            Calibrator rebuilt = Calibrators.create(c.method(), c.params()).orElseThrow();
            assertThat(rebuilt.calibrate(0.77)).isCloseTo(c.calibrate(0.77), within(1e-12));
        }
    }

    @Test
    void fitsThatDecreaseWithConfidence_areRejected() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 2000;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = r.nextDouble();
            y[i] = r.nextDouble() < 1 - s[i] ? 1 : 0;
        }
        Labels inverted = Labels.unweighted(s, y);
        assertThatThrownBy(() -> LogisticCalibrator.fitPlatt(inverted)).isInstanceOf(CalibrationException.class);
        assertThatThrownBy(() -> LogisticCalibrator.fitTemperature(inverted)).isInstanceOf(CalibrationException.class);
        assertThatThrownBy(() -> LogisticCalibrator.fitBeta(inverted)).isInstanceOf(CalibrationException.class);
        assertThatThrownBy(() -> PiecewiseCalibrator.fitHistogram(inverted, 15)).isInstanceOf(CalibrationException.class);
        assertThatThrownBy(() -> PiecewiseCalibrator.isotonic(new double[] {0.1, 0.2}, new double[] {0.9, 0.1}))
                .isInstanceOf(CalibrationException.class);
    }

    @Test
    void temperature_recoversAKnownTemperature() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        int n = 50_000;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.01 + 0.98 * r.nextDouble();
            double z = Math.log(s[i] / (1 - s[i]));
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z / 2.0)) ? 1 : 0;
        }
        LogisticCalibrator t = LogisticCalibrator.fitTemperature(Labels.unweighted(s, y));
        assertThat((Double) t.params().get("t")).isCloseTo(2.0, within(0.1));
    }

    @Test
    void beta_onCalibratedScores_isNearIdentity() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        int n = 50_000;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 0.01 + 0.98 * r.nextDouble();
            y[i] = r.nextDouble() < s[i] ? 1 : 0;
        }
        LogisticCalibrator beta = LogisticCalibrator.fitBeta(Labels.unweighted(s, y));
        for (double p : new double[] {0.2, 0.5, 0.8}) {
            assertThat(beta.calibrate(p)).isCloseTo(p, within(0.03));
        }
    }

    @Test
    void weights_countAsRepeatedLabels() throws Exception {
        double[] s = {0.1, 0.3, 0.5, 0.7, 0.9};
        double[] y = {0, 1, 0, 1, 1};
        Labels weighted = new Labels(s, y, new double[] {1, 2, 1, 3, 1});
        Labels repeated = Labels.unweighted(new double[] {0.1, 0.3, 0.3, 0.5, 0.7, 0.7, 0.7, 0.9},
                new double[] {0, 1, 1, 0, 1, 1, 1, 1});
        for (double p : new double[] {0.2, 0.4, 0.6, 0.8}) {
            assertThat(PiecewiseCalibrator.fitIsotonic(weighted).calibrate(p))
                    .isCloseTo(PiecewiseCalibrator.fitIsotonic(repeated).calibrate(p), within(1e-12));
            assertThat(LogisticCalibrator.fitBeta(weighted).calibrate(p))
                    .isCloseTo(LogisticCalibrator.fitBeta(repeated).calibrate(p), within(1e-6));
        }
    }

    @Test
    void isotonic_handlesManyTiesAndLargeInputs() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        int n = 200_000;
        double[] s = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.round(r.nextDouble() * 100) / 100.0; // 101 distinct scores
            y[i] = r.nextDouble() < s[i] ? 1 : 0;
        }
        PiecewiseCalibrator iso = PiecewiseCalibrator.fitIsotonic(Labels.unweighted(s, y));
        assertThat(iso.calibrate(0.5)).isCloseTo(0.5, within(0.03));
    }
}
