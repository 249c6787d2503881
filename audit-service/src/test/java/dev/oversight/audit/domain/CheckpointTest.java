package dev.oversight.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void signedTextIsTheDocumentedForm() {
        Checkpoint c = new Checkpoint(8, Merkle.emptyRoot(), Instant.parse("2026-11-23T12:00:00.123456Z"));
        assertThat(c.signedText()).isEqualTo("oversight-audit-checkpoint/v1\n8\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n2026-11-23T12:00:00.123Z\n");
        assertThat(new Checkpoint(1, Merkle.emptyRoot(), Instant.parse("2026-11-23T12:00:00Z")).signedText())
                .endsWith("2026-11-23T12:00:00.000Z\n");
    }

    @Test
    void signatureVerifies_andFailsForAnyChangeOrAnotherKey() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Instant now = Instant.now();
        Checkpoint c = new Checkpoint(42, Merkle.leafHash(new byte[] {1}), now);
        byte[] sig = c.sign(keys.getPrivate());
        assertThat(c.verify(sig, keys.getPublic())).isTrue();
        assertThat(c.verify(sig, other.getPublic())).isFalse();
        assertThat(new Checkpoint(43, c.rootHash(), now).verify(sig, keys.getPublic())).isFalse();
        assertThat(new Checkpoint(42, Merkle.leafHash(new byte[] {2}), now).verify(sig, keys.getPublic())).isFalse();
        assertThat(new Checkpoint(42, c.rootHash(), now.plusSeconds(1)).verify(sig, keys.getPublic())).isFalse();
        assertThat(Checkpoint.keyId(keys.getPublic())).hasSize(16).isNotEqualTo(Checkpoint.keyId(other.getPublic()));
    }
}
