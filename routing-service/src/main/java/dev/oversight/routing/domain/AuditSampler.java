package dev.oversight.routing.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic audit sampling: the same key always draws the same number in [0, 1), so a retried request is
 * sampled exactly as the first one was, and the draw is uniform so the sampling rate is the real propensity.
 */
public final class AuditSampler {

    private AuditSampler() {
    }

    public static boolean sampled(String key, double rate) {
        if (rate <= 0) {
            return false;
        }
        return rate >= 1 || draw(key) < rate;
    }

    static double draw(String key) {
        byte[] digest = sha256(key.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        bits >>>= 3; // 53 bits: every value is exactly representable as a double
        return bits / (double) (1L << 53);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
