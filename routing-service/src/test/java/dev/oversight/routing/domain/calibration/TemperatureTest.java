package dev.oversight.routing.domain.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature scaling of whole distributions: the model's logits are twice as sharp as the truth. */
class TemperatureTest {

    static double[] softmax(double[] z, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v * scale);
        }
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] * scale - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void fittedOnDistributions_recoversTheTemperature_andCalibratesTheTopLabel() throws Exception {
        SplittableRandom r = new SplittableRandom(9);
        int n = 20_000;
        double[] s = new double[n];
        double[] y = new double[n];
        double[][] d = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] z = new double[5];
            for (int k = 0; k < 5; k++) {
                z[k] = r.nextGaussian() * 1.5;
            }
            double[] reported = softmax(z, 2.0);
            double[] truth = softmax(z, 1.0);
            int top = 0;
            for (int k = 1; k < 5; k++) {
                if (reported[k] > reported[top]) {
                    top = k;
                }
            }
            s[i] = reported[top];
            d[i] = reported;
            y[i] = r.nextDouble() < truth[top] ? 1 : 0;
        }
        LogisticCalibrator t = LogisticCalibrator.fitTemperature(new Labels(s, y, ReferenceValuesTest.ones(n), d));
        assertThat((Double) t.params().get("t")).isCloseTo(2.0, within(0.1));

        double[] z = {2.0, 0.5, -1.0};
        double[] reported = softmax(z, 2.0);
        assertThat(t.calibrate(reported[0], reported)).isCloseTo(softmax(z, 1.0)[0], within(0.02));
        // Without the distribution only the binary form is possible, and it answers differently.
        assertThat(t.calibrate(reported[0])).isNotCloseTo(t.calibrate(reported[0], reported), within(0.01));
    }
}
