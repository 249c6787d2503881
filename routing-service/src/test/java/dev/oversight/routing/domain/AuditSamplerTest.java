package dev.oversight.routing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditSamplerTest {

    private static final AuditSampler SAMPLER = new AuditSampler("sampler-test-secret-of-at-least-32-chars");

    @Test
    void theDrawIsKeyedBySecret_soAnAppCannotPredictWhichKeysAreSampled() {
        // With SHA-256 of the key alone, an app could compute the draw and send only keys above the rate. Under
        // another deployment's secret the same key draws an unrelated number; without it the app cannot tell.
        AuditSampler other = new AuditSampler("another-deployment-secret-32-chars-long");
        int agree = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean a = SAMPLER.sampled("claims:key-" + i, 0.5);
            boolean b = other.sampled("claims:key-" + i, 0.5);
            agree += a == b ? 1 : 0;
        }
        // Independent fair coins agree about half the time (sd 50); identical draws would agree 10,000 times.
        assertThat(agree).isBetween(4_700, 5_300);
        // The keys an app would pick from the unkeyed hash (never sampled at 5%) are sampled at the real rate.
        int picked = 0;
        int sampled = 0;
        for (int i = 0; picked < 20_000; i++) {
            String key = "claims:pick-" + i;
            if (unkeyedDraw(key) >= 0.05) {
                picked++;
                sampled += SAMPLER.sampled(key, 0.05) ? 1 : 0;
            }
        }
        assertThat(sampled).isBetween(1_000 - 200, 1_000 + 200);
    }

    @Test
    void aShortSecretIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AuditSampler("short"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static double unkeyedDraw(String key) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = (bits << 8) | (d[i] & 0xFF);
            }
            return (bits >>> 3) / (double) (1L << 53);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sameKey_sameDraw() {
        assertThat(SAMPLER.draw("claims:abc")).isEqualTo(SAMPLER.draw("claims:abc"));
        assertThat(SAMPLER.draw("claims:abc")).isNotEqualTo(SAMPLER.draw("claims:abd"));
    }

    @Test
    void rateZeroNeverSamples_rateOneAlwaysSamples() {
        for (int i = 0; i < 1000; i++) {
            assertThat(SAMPLER.sampled("k" + i, 0.0)).isFalse();
            assertThat(SAMPLER.sampled("k" + i, 1.0)).isTrue();
        }
    }

    @Test
    void drawsAreUniform_soTheRateIsTheRealPropensity() {
        int n = 200_000;
        int sampled = 0;
        int[] deciles = new int[10];
        for (int i = 0; i < n; i++) {
            double u = SAMPLER.draw("use-case:" + i);
            assertThat(u).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            deciles[(int) (u * 10)]++;
            if (SAMPLER.sampled("use-case:" + i, 0.05)) {
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
