package dev.oversight.audit.domain.note;

import dev.oversight.common.crypto.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * An Ed25519 note verifier key (C2SP signed-note): a key name, a signature type and a 32-byte public key. Its key ID
 * is SHA-256(name || 0x0A || type || key)[:4]; its text form (a "vkey") is {@code name+hex(keyID)+base64(type||key)}.
 * Type 0x01 verifies note signatures over the note text; type 0x04 verifies timestamped checkpoint cosignatures
 * (C2SP tlog-cosignature, {@code cosignature/v1}).
 */
public record NoteKey(String name, byte type, byte[] publicKey) {

    public static final byte ED25519 = 0x01;
    public static final byte COSIGNATURE_V1 = 0x04;
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    public NoteKey {
        if (!validName(name)) {
            throw new IllegalArgumentException("a key name is non-empty, without spaces or '+'");
        }
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes");
        }
        if (type != ED25519 && type != COSIGNATURE_V1) {
            throw new IllegalArgumentException("unsupported signature type " + type);
        }
        publicKey = publicKey.clone();
    }

    static boolean validName(String name) {
        return name != null && !name.isEmpty() && name.codePoints().noneMatch(c -> c == '+' || Character.isWhitespace(c)
                || Character.isSpaceChar(c) || c < 0x20);
    }

    /** The key of a Java Ed25519 public key (its X.509 encoding ends in the 32 raw bytes). */
    public static NoteKey of(String name, byte type, PublicKey key) {
        byte[] der = key.getEncoded();
        return new NoteKey(name, type, Arrays.copyOfRange(der, der.length - 32, der.length));
    }

    /** Parses a vkey, checking that its key ID is the one its name, type and key derive. */
    public static NoteKey parse(String vkey) {
        // The name has no "+" and the ID is hex, so the first two "+" split; the base64 key may hold "+" itself.
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3 || parts[1].length() != 8) {
            throw new IllegalArgumentException("a vkey is name+keyid+base64key");
        }
        byte[] material;
        try {
            material = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the vkey's key is not base64", e);
        }
        if (material.length != 33) {
            throw new IllegalArgumentException("an Ed25519 vkey holds a type byte and 32 key bytes");
        }
        NoteKey key = new NoteKey(parts[0], material[0], Arrays.copyOfRange(material, 1, 33));
        if (!HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(key.keyId()).array()).equals(parts[1])) {
            throw new IllegalArgumentException("the vkey's key ID does not match its key");
        }
        return key;
    }

    /** SHA-256(name || 0x0A || type || public key)[:4], big-endian. */
    public int keyId() {
        MessageDigest sha = Sha256.newDigest();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update(type);
        sha.update(publicKey);
        return ByteBuffer.wrap(sha.digest(), 0, 4).getInt();
    }

    public String vkey() {
        byte[] material = new byte[33];
        material[0] = type;
        System.arraycopy(publicKey, 0, material, 1, 32);
        return name + "+" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(keyId()).array()) + "+"
                + Base64.getEncoder().encodeToString(material);
    }

    public PublicKey javaKey() {
        try {
            byte[] der = new byte[SPKI_PREFIX.length + 32];
            System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
            System.arraycopy(publicKey, 0, der, SPKI_PREFIX.length, 32);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /**
     * Whether {@code signature} is this key's Ed25519 signature of {@code message}: exactly 64 bytes (the JDK would
     * accept a longer one by its first 64, which would let anyone append bytes to a valid signature line).
     */
    public boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != 64) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(javaKey());
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteKey k && k.name.equals(name) && k.type == type && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey) + type;
    }

    @Override
    public String toString() {
        return vkey();
    }
}
