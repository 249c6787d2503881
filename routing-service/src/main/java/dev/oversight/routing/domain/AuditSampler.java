package dev.oversight.routing.domain;

import dev.oversight.common.crypto.KeyedDigest;

/**
 * Deterministic audit sampling: the same key always draws the same number in [0, 1), so a retried request is
 * sampled exactly as the first one was, and the draw is uniform so the sampling rate is the real propensity.
 *
 * <p>The draw is HMAC-SHA256 of the request's key under a secret of the deployment. The request's key is partly
 * the app's choice (its idempotency key); without the secret an app could compute the draw and pick keys that are
 * never sampled, and the labels that certify its use case would no longer be a random sample of its releases.
 */
public final class AuditSampler {

    /** The shortest secret accepted: 32 characters, at least 128 bits from a random source. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** HMAC-SHA256 under the secret, one initialised MAC per thread: the draw is on the route hot path. */
    private final KeyedDigest hmac;

    public AuditSampler(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the audit-sample secret must have at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        this.hmac = new KeyedDigest(secret);
    }

    public boolean sampled(String key, double rate) {
        if (rate <= 0) {
            return false;
        }
        return rate >= 1 || draw(key) < rate;
    }

    double draw(String key) {
        byte[] digest = hmac.of(key);
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        bits >>>= 3; // 53 bits: every value is exactly representable as a double
        return bits / (double) (1L << 53);
    }
}
