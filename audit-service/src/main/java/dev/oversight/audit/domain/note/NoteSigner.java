package dev.oversight.audit.domain.note;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;

/**
 * Signs notes with an Ed25519 key: note signatures (type 0x01, over the note text) and timestamped checkpoint
 * cosignatures (type 0x04, C2SP tlog-cosignature: over {@code cosignature/v1\ntime <t>\n} and the note text, the
 * signature bytes being the big-endian u64 timestamp followed by the Ed25519 signature).
 */
public final class NoteSigner {

    private final NoteKey key;
    private final PrivateKey privateKey;

    public NoteSigner(NoteKey key, PrivateKey privateKey) {
        this.key = key;
        this.privateKey = privateKey;
    }

    /** A signer from a 32-byte Ed25519 seed (RFC 8032 private key), deriving its public key. */
    public static NoteSigner fromSeed(String name, byte type, byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            KeyPair pair = g.generateKeyPair();
            return new NoteSigner(NoteKey.of(name, type, pair.getPublic()), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java platform since 15", e);
        }
    }

    public NoteKey key() {
        return key;
    }

    /** The note signature line of {@code text} (type 0x01 keys). */
    public SignedNote.Line sign(String text) {
        if (key.type() != NoteKey.ED25519) {
            throw new IllegalStateException("a cosigner key signs cosignatures only");
        }
        return new SignedNote.Line(key.name(), key.keyId(), ed25519(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The cosignature line of a checkpoint's note text at {@code timestamp} (seconds since the epoch). */
    public SignedNote.Line cosign(String checkpointText, long timestamp) {
        if (key.type() != NoteKey.COSIGNATURE_V1) {
            throw new IllegalStateException("a note key signs notes only");
        }
        byte[] sig = ed25519(cosignedMessage(checkpointText, timestamp));
        return new SignedNote.Line(key.name(), key.keyId(),
                ByteBuffer.allocate(8 + sig.length).putLong(timestamp).put(sig).array());
    }

    /** What a v1 cosignature signs. */
    public static byte[] cosignedMessage(String checkpointText, long timestamp) {
        return ("cosignature/v1\ntime " + timestamp + "\n" + checkpointText).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a line is a valid v1 cosignature of {@code checkpointText} by {@code key} (type 0x04). */
    public static boolean verifiesCosignature(NoteKey key, SignedNote.Line line, String checkpointText) {
        if (key.type() != NoteKey.COSIGNATURE_V1 || !key.name().equals(line.name()) || key.keyId() != line.keyId()
                || line.signature().length != 8 + 64) {
            return false;
        }
        long timestamp = ByteBuffer.wrap(line.signature(), 0, 8).getLong();
        if (timestamp < 0) {
            return false;
        }
        return key.verifies(cosignedMessage(checkpointText, timestamp),
                java.util.Arrays.copyOfRange(line.signature(), 8, 72));
    }

    private byte[] ed25519(byte[] message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }
}
