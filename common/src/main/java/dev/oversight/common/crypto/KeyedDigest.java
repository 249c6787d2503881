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
 *
 * <p>Text about one decision is digested with that decision's own random salt besides the key
 * (HMAC(key, salt || text), {@link #hex(byte[], String)}): the salt lives only beside the decision in the service's
 * database, so erasing a person's data erases the salt too, and from then on not even the key confirms a guess of
 * the text from the log's digest.
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

    /** The length of a decision's salt, in bytes. */
    public static final int SALT_BYTES = 16;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A new random salt for one decision's texts. */
    public static byte[] newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return salt;
    }

    /**
     * HMAC(key, salt || UTF-8 text) as lowercase hex: the digest of a text that belongs to one decision. A salt is
     * always {@link #SALT_BYTES} long, so salt and text cannot trade bytes; without a salt (a decision written before
     * salts existed) it is the plain keyed digest.
     */
    public String hex(byte[] salt, String text) {
        if (salt == null) {
            return hex(text);
        }
        if (salt.length != SALT_BYTES) {
            throw new IllegalArgumentException("a salt is " + SALT_BYTES + " bytes, not " + salt.length);
        }
        Mac mac = macs.get();
        mac.reset();
        mac.update(salt);
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
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
