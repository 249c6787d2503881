package dev.oversight.common.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one way every service hashes: a fresh digest for incremental use (Merkle nodes, note key ids, request
 * fingerprints), the digest of bytes, and lowercase hex of a text's UTF-8 bytes. Framework-free.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh SHA-256 digest (not thread-safe: one per use). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    public static byte[] of(byte[] data) {
        return newDigest().digest(data);
    }

    /** Lowercase hex of the digest of a text's UTF-8 bytes. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(of(text.getBytes(StandardCharsets.UTF_8)));
    }
}
