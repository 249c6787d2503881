package dev.oversight.routing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditSamplerTest {

    @Test
    void sameKey_sameDraw() {
        assertThat(AuditSampler.draw("claims:abc")).isEqualTo(AuditSampler.draw("claims:abc"));
        assertThat(AuditSampler.draw("claims:abc")).isNotEqualTo(AuditSampler.draw("claims:abd"));
    }

    @Test
    void rateZeroNeverSamples_rateOneAlwaysSamples() {
        for (int i = 0; i < 1000; i++) {
            assertThat(AuditSampler.sampled("k" + i, 0.0)).isFalse();
            assertThat(AuditSampler.sampled("k" + i, 1.0)).isTrue();
        }
    }

    @Test
    void drawsAreUniform_soTheRateIsTheRealPropensity() {
        int n = 200_000;
        int sampled = 0;
        int[] deciles = new int[10];
        for (int i = 0; i < n; i++) {
            double u = AuditSampler.draw("use-case:" + i);
            assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            deciles[(int) (u * 10)]++;
            if (AuditSampler.sampled("use-case:" + i, 0.05)) {
                sampled++;
            }
        }
        // Binomial(200000, 0.05): sd ≈ 97, so ±600 is > 6 sd; each decile: sd ≈ 134, ±1000 is > 7 sd.
        assertThat(sampled).isBetween(10_000 - 600, 10_000 + 600);
        for (int count : deciles) {
            assertThat(count).isBetween(20_000 - 1000, 20_000 + 1000);
        }
    }
}
