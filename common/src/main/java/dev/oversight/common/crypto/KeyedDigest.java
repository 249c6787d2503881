package dev.oversight.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA-256 (RFC 2104) under the deployment's digest key, as lowercase hex: how the permanent audit log refers to
 * text that people or apps wrote (outputs, corrections, rationales, reasons, idempotency keys, query filters) without
 * holding it. A plain SHA-256 of a short text can be confirmed by guessing it; a keyed digest cannot without the key,
 * and once the text is erased where it lived, nothing in the log confirms a guess. The service that owns the text
 * (and the key) can still show that a text is the one the log refers to.
 */
public final class KeyedDigest {

    /** The shortest key accepted: 32 characters (256 bits of a random hex or base64 secret). */
    public static final int MIN_KEY_LENGTH = 32;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public KeyedDigest(String key) {
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("the digest key (oversight.digest-key) must be at least "
                    + MIN_KEY_LENGTH + " characters");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The keyed digest of a text's UTF-8 bytes. */
    public byte[] of(String text) {
        Mac mac = macs.get();
        mac.reset();
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The same, as lowercase hex. */
    public String hex(String text) {
        return HexFormat.of().formatHex(of(text));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required by the Java platform", e);
        }
    }
}
