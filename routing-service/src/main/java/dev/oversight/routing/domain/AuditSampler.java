package dev.oversight.routing.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

    /** One initialised MAC per thread: the draw is on the route hot path, and a Mac is not thread-safe. */
    private final ThreadLocal<Mac> macs;

    public AuditSampler(String secret) {
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the audit-sample secret must have at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is required by the Java platform", e);
            }
        });
    }

    public boolean sampled(String key, double rate) {
        if (rate <= 0) {
            return false;
        }
        return rate >= 1 || draw(key) < rate;
    }

    double draw(String key) {
        byte[] digest = macs.get().doFinal(key.getBytes(StandardCharsets.UTF_8));
        long bits = 0;
        for (int i = 0; i < 7; i++) {
            bits = (bits << 8) | (digest[i] & 0xFF);
        }
        bits >>>= 3; // 53 bits: every value is exactly representable as a double
        return bits / (double) (1L << 53);
    }
}
