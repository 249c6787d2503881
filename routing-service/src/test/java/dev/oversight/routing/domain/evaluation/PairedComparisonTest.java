package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    @Test
    void countsTheFourCellsItemByItem() {
        boolean[] reference = {true, true, true, false, false, true, false};
        boolean[] candidate = {true, false, true, true, false, false, true};
        PairedComparison p = PairedComparison.of(reference, candidate);
        assertThat(p.n()).isEqualTo(7);
        assertThat(p.bothRight()).isEqualTo(2);
        assertThat(p.regressions()).isEqualTo(2);
        assertThat(p.fixes()).isEqualTo(2);
        assertThat(p.bothWrong()).isEqualTo(1);
        assertThat(p.candidate().estimate()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(p.reference().estimate()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(p.difference()).isZero();
        assertThat(p.pValue()).isEqualTo(1);
    }

    @Test
    void aRegressionIsSignificantOnlyWithEnoughEvidence() {
        // 12 regressions, 2 fixes: p = 53/4096 ≈ 0.013.
        PairedComparison worse = PairedComparison.of(80, 12, 2, 6);
        assertThat(worse.difference()).isCloseTo(-0.10, within(1e-12));
        assertThat(worse.pValue()).isCloseTo(53.0 / 4096, within(1e-15));
        assertThat(worse.significantRegression(0.05)).isTrue();
        assertThat(worse.significantRegression(0.01)).isFalse();
        // The same p-value the other way round is an improvement, never a regression.
        assertThat(PairedComparison.of(80, 2, 12, 6).significantRegression(0.05)).isFalse();
        // One regression on a tiny benchmark is not evidence.
        assertThat(PairedComparison.of(3, 1, 0, 0).significantRegression(0.05)).isFalse();
    }

    @Test
    void theAccuracyIntervalsAreExact() {
        PairedComparison p = PairedComparison.of(8, 0, 2, 0);
        // Candidate 10/10: the Clopper–Pearson lower bound is (0.025)^(1/10) = 0.69150.
        assertThat(p.candidate().lower()).isCloseTo(Math.pow(0.025, 0.1), within(1e-9));
        assertThat(p.candidate().upper()).isEqualTo(1);
        assertThat(PairedComparison.of(0, 0, 0, 0).pValue()).isEqualTo(1);
    }
}
