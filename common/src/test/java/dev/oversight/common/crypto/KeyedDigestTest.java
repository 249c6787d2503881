package dev.oversight.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** HMAC-SHA-256 against RFC 4231's published test vectors, and keys too short to keep a guess from being confirmed. */
class KeyedDigestTest {

    @Test
    void rfc4231TestCase2_andAKeyAsLongAsTheBlock() throws Exception {
        // RFC 4231 test case 2 uses the 4-byte key "Jefe", shorter than we accept; the same MAC through the JDK shows
        // our construction is plain HMAC-SHA-256, and a long key gives the RFC's value for case 2's data.
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec("Jefe".getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        assertThat(HexFormat.of().formatHex(jdk.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        String key = "0123456789abcdef0123456789abcdef";
        jdk.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        String expected = HexFormat.of().formatHex(jdk.doFinal("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
        assertThat(new KeyedDigest(key).hex("what do ya want for nothing?")).isEqualTo(expected).hasSize(64);
    }

    @Test
    void theSameTextUnderAnotherKey_givesAnotherDigest_andPlainSha256ConfirmsNothing() {
        KeyedDigest a = new KeyedDigest("a".repeat(32));
        KeyedDigest b = new KeyedDigest("b".repeat(32));
        assertThat(a.hex("approve")).isEqualTo(a.hex("approve")).isNotEqualTo(b.hex("approve"))
                .isNotEqualTo(Sha256.hex("approve"));
    }

    @Test
    void aShortKey_isRefused() {
        assertThatThrownBy(() -> new KeyedDigest("too-short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("oversight.digest-key");
        assertThatThrownBy(() -> new KeyedDigest(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSaltedDigest_isHmacOfSaltThenText_andWithoutTheSaltTheKeyAloneConfirmsNothing() throws Exception {
        String key = "k".repeat(32);
        byte[] salt = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        jdk.update(salt);
        String expected = HexFormat.of().formatHex(jdk.doFinal("Jane Doe".getBytes(StandardCharsets.UTF_8)));
        KeyedDigest digest = new KeyedDigest(key);
        assertThat(digest.hex(salt, "Jane Doe")).isEqualTo(expected).isNotEqualTo(digest.hex("Jane Doe"))
                .isNotEqualTo(digest.hex(KeyedDigest.newSalt(), "Jane Doe"));
        assertThat(digest.hex(null, "Jane Doe")).isEqualTo(digest.hex("Jane Doe"));
        assertThat(KeyedDigest.newSalt()).hasSize(KeyedDigest.SALT_BYTES).isNotEqualTo(KeyedDigest.newSalt());
        assertThatThrownBy(() -> digest.hex(new byte[3], "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
