package dev.oversight.routing.domain.oversight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProportionTest {

    // Reference values: R's binom.test(k, n)$conf.int (exact Clopper–Pearson, 95%).
    @Test
    void clopperPearson_matchesPublishedValues() {
        Proportion p = Proportion.of(5, 20);
        assertThat(p.estimate()).isEqualTo(0.25);
        assertThat(p.lower()).isCloseTo(0.08657147, within(1e-7));
        assertThat(p.upper()).isCloseTo(0.49104587, within(1e-7));
        Proportion none = Proportion.of(0, 10);
        assertThat(none.lower()).isEqualTo(0.0);
        assertThat(none.upper()).isCloseTo(0.30849710, within(1e-7));
        Proportion all = Proportion.of(10, 10);
        assertThat(all.lower()).isCloseTo(0.69150290, within(1e-7));
        assertThat(all.upper()).isEqualTo(1.0);
        assertThat(Proportion.of(0, 0).upper()).isEqualTo(1.0);
    }

    @Test
    void equalWeights_giveExactlyTheUnweightedInterval() {
        double[] x = new double[20];
        double[] w = new double[20];
        for (int i = 0; i < 20; i++) {
            x[i] = i < 5 ? 1 : 0;
            w[i] = 50;
        }
        Proportion weighted = Proportion.weighted(x, w);
        Proportion plain = Proportion.of(5, 20);
        assertThat(weighted.effectiveN()).isCloseTo(20, within(1e-9));
        assertThat(weighted.lower()).isCloseTo(plain.lower(), within(1e-9));
        assertThat(weighted.upper()).isCloseTo(plain.upper(), within(1e-9));
    }

    @Test
    void unequalWeights_countAsFewerObservations() {
        double[] x = {1, 0, 0, 0};
        double[] w = {1, 1, 1, 10};
        Proportion p = Proportion.weighted(x, w);
        assertThat(p.estimate()).isCloseTo(1.0 / 13, within(1e-12));
        assertThat(p.effectiveN()).isCloseTo(169.0 / 103, within(1e-12));
        assertThat(p.n()).isEqualTo(4);
    }

    /**
     * The weighted interval's coverage on the mix the router produces: released outputs audit-sampled at 2% (weight
     * 50) next to a 5% sample (weight 20) after a policy change. Over many seeded samples the true error rate lies
     * inside the 95% interval at least about 95% of the time.
     */
    @Test
    void weightedInterval_coversTheTrueRate_byDesign_inSimulation() {
        SplittableRandom rnd = new SplittableRandom(7);
        double truth = 0.08;
        int trials = 2000;
        int covered = 0;
        for (int t = 0; t < trials; t++) {
            int n = 60 + rnd.nextInt(60);
            double[] x = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextDouble() < truth ? 1 : 0;
                w[i] = rnd.nextDouble() < 0.7 ? 50 : 20;
            }
            Proportion p = Proportion.weighted(x, w);
            if (p.lower() <= truth && truth <= p.upper()) {
                covered++;
            }
        }
        assertThat(covered / (double) trials).isGreaterThanOrEqualTo(0.94);
    }
}
