package dev.oversight.audit.domain;

import dev.oversight.common.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * A signed statement of the log's state. The signature is Ed25519 over exactly this UTF-8 text:
 * <pre>
 * oversight-audit-checkpoint/v1
 * &lt;treeSize, decimal&gt;
 * &lt;rootHash, 64 lowercase hex digits&gt;
 * &lt;timestamp, ISO-8601 UTC with milliseconds, e.g. 2026-11-23T12:00:00.000Z&gt;
 * </pre>
 * each line ending in a newline.
 */
public record Checkpoint(long treeSize, byte[] rootHash, Instant timestamp) {

    public static final String HEADER = "oversight-audit-checkpoint/v1";
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public Checkpoint {
        timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    }

    public String signedText() {
        return HEADER + "\n" + treeSize + "\n" + HexFormat.of().formatHex(rootHash) + "\n"
                + TIMESTAMP.format(timestamp) + "\n";
    }

    public byte[] sign(PrivateKey key) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(signedText().getBytes(StandardCharsets.UTF_8));
        return s.sign();
    }

    public boolean verify(byte[] signature, PublicKey key) {
        if (signature == null || signature.length != 64) {
            return false; // an Ed25519 signature is 64 bytes; the JDK would accept a longer one by its first 64
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedText().getBytes(StandardCharsets.UTF_8));
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** A short, stable name for a public key: the first 16 hex digits of SHA-256 of its X.509 encoding. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(Sha256.of(key.getEncoded())).substring(0, 16);
    }
}
