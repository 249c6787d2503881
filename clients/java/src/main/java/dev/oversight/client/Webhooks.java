package dev.oversight.client;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verification of the router's callbacks, written to the Standard Webhooks specification (v1 signatures): the
 * HMAC-SHA256 of {@code <webhook-id>.<webhook-timestamp>.<body>} under the app's secret ({@code whsec_} + base64),
 * in {@code webhook-signature} as space-separated {@code v1,<base64>}. Check the raw body before parsing it.
 */
public final class Webhooks {

    /** Deliveries whose timestamp is further than this from now are refused (replays). */
    public static final long TOLERANCE_SECONDS = 300;

    /** The delivery is not from the router holding this secret, was altered, or is too old or too new. */
    public static final class InvalidSignatureException extends Exception {
        InvalidSignatureException(String message) {
            super(message);
        }
    }

    private Webhooks() {
    }

    /** Throws unless {@code body} was signed with {@code secret}; header names in any letter case. */
    public static void verify(String secret, Map<String, String> headers, byte[] body) throws InvalidSignatureException {
        verify(secret, headers, body, Instant.now());
    }

    public static void verify(String secret, Map<String, String> headers, byte[] body, Instant now)
            throws InvalidSignatureException {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        String id = h.get("webhook-id");
        String timestamp = h.get("webhook-timestamp");
        String signatures = h.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            throw new InvalidSignatureException("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long sent;
        try {
            sent = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSignatureException("webhook-timestamp is not a number of seconds");
        }
        if (Math.abs(now.getEpochSecond() - sent) > TOLERANCE_SECONDS) {
            throw new InvalidSignatureException("webhook-timestamp is more than " + TOLERANCE_SECONDS + " s from now");
        }
        byte[] expected = sign(secret, id, sent, body).substring(3).getBytes(StandardCharsets.US_ASCII);
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1")
                    && MessageDigest.isEqual(candidate.substring(comma + 1).getBytes(StandardCharsets.US_ASCII),
                    expected)) {
                return;
            }
        }
        throw new InvalidSignatureException("no v1 signature matches");
    }

    /** The {@code webhook-signature} value ({@code v1,<base64>}) of a message, as the router sends it. */
    public static String sign(String secret, String id, long timestamp, byte[] body) {
        String raw = secret.startsWith("whsec_") ? secret.substring(6) : secret;
        byte[] key = Base64.getDecoder().decode(raw);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
