package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reference values: the exact two-sided p-value 2·Σ_{i ≤ min(b,c)} C(b+c, i) / 2^(b+c), computed by hand for small
 * tables and with exact rational arithmetic (Python's fractions and math.comb) for the larger ones.
 */
class McNemarTest {

    @Test
    void smallTablesAgreeWithHandComputedValues() {
        assertThat(McNemar.pValue(1, 6)).isCloseTo(1.0 / 8, within(1e-15));          // 2·(1+7)/128
        assertThat(McNemar.pValue(0, 5)).isCloseTo(1.0 / 16, within(1e-15));         // 2·1/32
        assertThat(McNemar.pValue(2, 12)).isCloseTo(53.0 / 4096, within(1e-15));     // 2·(1+14+91)/16384
        assertThat(McNemar.pValue(4, 6)).isCloseTo(193.0 / 256, within(1e-15));      // 2·386/1024
        assertThat(McNemar.pValue(10, 0)).isCloseTo(1.0 / 512, within(1e-15));
    }

    @Test
    void agrestisPresidentialApprovalTable() {
        // Agresti, Categorical Data Analysis (2002), Table 10.1: 150 changed from approve to disapprove, 86 the
        // other way. The exact p-value, from exact rational arithmetic, is 3.715936139571442e-05 (the asymptotic
        // McNemar statistic z = -4.17 of the book gives about 3.1e-05).
        assertThat(McNemar.pValue(150, 86)).isCloseTo(3.715936139571442e-05, within(1e-15));
        assertThat(McNemar.pValue(86, 150)).isEqualTo(McNemar.pValue(150, 86));
    }

    @Test
    void largeCountsNeitherOverflowNorLoseTheTail() {
        assertThat(McNemar.pValue(30, 50)).isCloseTo(0.03299261842647618, within(1e-12));
        assertThat(McNemar.pValue(1000, 1100)).isCloseTo(0.030720707864242296, within(1e-10));
        assertThat(McNemar.pValue(0, 2000)).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
    }

    @Test
    void noEvidenceMeansNoSignificance() {
        assertThat(McNemar.pValue(0, 0)).isEqualTo(1);
        assertThat(McNemar.pValue(0, 1)).isEqualTo(1);
        assertThat(McNemar.pValue(5, 5)).isEqualTo(1);
        assertThatThrownBy(() -> McNemar.pValue(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void underTheNullTheTestRejectsAtMostAtItsLevel() {
        // Two models equally good (each discordant item falls either way with probability 1/2): over many
        // simulated benchmarks of 40 discordant items, p < 0.05 happens at most 5% of the time (the exact test is
        // conservative: about 3.8% here, the mass of Bin(40, 1/2) at or beyond 13 from either end).
        Random random = new Random(27);
        int trials = 20_000;
        int rejected = 0;
        for (int t = 0; t < trials; t++) {
            int b = 0;
            for (int i = 0; i < 40; i++) {
                b += random.nextBoolean() ? 1 : 0;
            }
            if (McNemar.pValue(b, 40 - b) < 0.05) {
                rejected++;
            }
        }
        assertThat((double) rejected / trials).isLessThanOrEqualTo(0.05).isGreaterThan(0.02);
    }
}
