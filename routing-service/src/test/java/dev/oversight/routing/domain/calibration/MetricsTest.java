package dev.oversight.routing.domain.calibration;

import static dev.oversight.routing.domain.calibration.ReferenceValuesTest.ones;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void ece_isTheWeightedGapPerEqualWidthBin() {
        // Bin (0.8, 0.8667]: p = 0.85 twice, one right → gap 0.35; bin (0.2, 0.2667]: p = 0.25, wrong → 0.25.
        double[] p = {0.85, 0.85, 0.25};
        double[] y = {1, 0, 0};
        assertThat(Metrics.ece(p, y, ones(3))).isCloseTo((2 * 0.35 + 0.25) / 3, within(1e-12));
        assertThat(Metrics.mce(p, y, ones(3))).isCloseTo(0.35, within(1e-12));
    }

    @Test
    void bins_areOpenBelowClosedAbove() {
        List<Metrics.Bin> bins = Metrics.reliability(new double[] {0.0, 1.0 / 15, 1.0 / 15 + 1e-9, 1.0},
                new double[] {0, 0, 0, 1}, ones(4), 15);
        assertThat(bins.get(0).count()).isEqualTo(2);
        assertThat(bins.get(1).count()).isEqualTo(1);
        assertThat(bins.get(14).count()).isEqualTo(1);
    }

    @Test
    void brierAndLogLoss_matchHandComputedValues() {
        double[] p = {0.9, 0.2, 0.6};
        double[] y = {1, 0, 0};
        assertThat(Metrics.brier(p, y, ones(3))).isCloseTo((0.01 + 0.04 + 0.36) / 3, within(1e-12));
        assertThat(Metrics.logLoss(p, y, ones(3)))
                .isCloseTo(-(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3, within(1e-12));
    }

    @Test
    void perfectlyCalibratedPredictions_haveZeroEce() {
        double[] p = {0.5, 0.5, 0.5, 0.5};
        double[] y = {1, 0, 1, 0};
        assertThat(Metrics.ece(p, y, ones(4))).isZero();
        assertThat(Metrics.eceEqualMass(p, y, ones(4))).isZero();
    }

    @Test
    void aurc_isLowWhenConfidenceRanksErrorsLast() {
        double[] y = {1, 1, 0, 0};
        double good = Metrics.aurc(new double[] {0.9, 0.8, 0.3, 0.2}, y, ones(4));
        double bad = Metrics.aurc(new double[] {0.2, 0.3, 0.8, 0.9}, y, ones(4));
        // Good ranking: risks 0, 0, 1/3, 1/2 → mean 5/24. Reversed: 1, 1, 2/3, 1/2 → 19/24.
        assertThat(good).isCloseTo(5.0 / 24, within(1e-12));
        assertThat(bad).isCloseTo(19.0 / 24, within(1e-12));
    }

    @Test
    void bootstrapInterval_containsThePointEstimate_andIsReproducible() {
        Labels labels = CalibratorPropertiesTest.overconfident(2000, 3, 1);
        double point = Metrics.ece(labels.score(), labels.y(), labels.weight());
        double[] ci = Metrics.bootstrap95(labels.score(), labels.y(), labels.weight(), Metrics::ece, 200, 9);
        assertThat(ci[0]).isLessThanOrEqualTo(point);
        assertThat(ci[1]).isGreaterThanOrEqualTo(point);
        assertThat(Metrics.bootstrap95(labels.score(), labels.y(), labels.weight(), Metrics::ece, 200, 9)).isEqualTo(ci);
    }
}
