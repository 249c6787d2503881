package dev.oversight.routing.domain.oversight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    // Reference: numpy.percentile([1, 2, 3, 4, 10], [50, 95]) = [3.0, 8.8]; R quantile(type = 7) agrees.
    @Test
    void linearInterpolation_matchesNumpy() {
        double[] v = {10, 2, 4, 1, 3};
        assertThat(Percentiles.of(v, 0.5)).isEqualTo(3.0);
        assertThat(Percentiles.of(v, 0.95)).isCloseTo(8.8, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(Percentiles.of(v, 0)).isEqualTo(1.0);
        assertThat(Percentiles.of(v, 1)).isEqualTo(10.0);
        assertThat(Percentiles.of(new double[] {7}, 0.95)).isEqualTo(7.0);
        assertThat(Percentiles.of(new double[0], 0.5)).isNull();
    }
}
