package dev.oversight.audit.domain.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference vectors: the Go module's sumdb/note tests (golang.org/x/mod/sumdb/note, note_test.go: TestSign, TestOpen,
 * TestNewVerifier) and the example of the C2SP signed-note specification.
 */
class SignedNoteTest {

    private static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String PETER_SKEY = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static NoteSigner peter() {
        byte[] skey = Base64.getDecoder().decode(PETER_SKEY);
        assertThat(skey[0]).isEqualTo(NoteKey.ED25519);
        return NoteSigner.fromSeed("PeterNeumann", NoteKey.ED25519, Arrays.copyOfRange(skey, 1, 33));
    }

    @Test
    void goVectors_theSignerDerivesTheVkey_andSignsExactlyAsGoDoes() {
        NoteSigner peter = peter();
        assertThat(peter.key().vkey()).isEqualTo(PETER_VKEY);
        assertThat(Integer.toHexString(peter.key().keyId())).isEqualTo("c74f20a3");
        String note = new SignedNote(TEXT, List.of(peter.sign(TEXT))).format();
        assertThat(note).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void aSignatureWithABytePastItsEnd_doesNotVerify() {
        // The JDK's Ed25519 reads the first 64 bytes of a longer signature; a note's must be exactly 64.
        NoteSigner peter = peter();
        byte[] sig = peter.sign(TEXT).signature();
        byte[] longer = Arrays.copyOf(sig, sig.length + 1);
        assertThat(peter.key().verifies(TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8), sig)).isTrue();
        assertThat(peter.key().verifies(TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8), longer)).isFalse();
    }

    @Test
    void aSignatureSpelledWithStrayBase64Bits_isRefused() {
        String line = peter().sign(TEXT).format().strip();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int last = line.replaceAll("=+$", "").length() - 1;
        int value = alphabet.indexOf(line.charAt(last));
        assertThat(value & 3).isZero(); // canonical: the two bits past the last byte are zero
        String stray = line.substring(0, last) + alphabet.charAt(value | 1) + line.substring(last + 1);
        assertThat(Base64.getDecoder().decode(stray.substring(stray.lastIndexOf(' ') + 1)))
                .isEqualTo(Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1)));
        assertThatThrownBy(() -> SignedNote.Line.parse(stray)).hasMessageContaining("canonical");
    }

    @Test
    void goVectors_openVerifiesKnownKeys_andIgnoresUnknownOnes() {
        SignedNote n = SignedNote.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);
        assertThat(n.text()).isEqualTo(TEXT);
        NoteKey peter = NoteKey.parse(PETER_VKEY);
        NoteKey enoch = NoteKey.parse(ENOCH_VKEY);
        assertThat(n.verifiedBy(List.of(peter))).containsExactly(peter);
        assertThat(n.verifiedBy(List.of(peter, enoch))).containsExactly(peter, enoch);
        assertThat(n.verifiedBy(List.of())).isEmpty();
        // A known key whose signature fails rejects the note.
        String altered = (TEXT + "\n" + PETER_SIG).replace("answer", "anwser");
        assertThatThrownBy(() -> SignedNote.parse(altered).verifiedBy(List.of(peter)))
                .hasMessageContaining("does not verify");
    }

    @Test
    void goVectors_manglingsOfAVkeyAreRefused() {
        byte[] b = PETER_VKEY.getBytes();
        for (int i = 0; i < b.length; i++) {
            b[i]++;
            String mangled = new String(b);
            b[i]--;
            boolean accepted;
            try {
                NoteKey.parse(mangled);
                accepted = !mangled.equals(PETER_VKEY);
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            // Changing the name, ID or key material must break the key ID check or the parse.
            assertThat(accepted).as("accepted %s", mangled).isFalse();
        }
        assertThatThrownBy(() -> NoteKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVkeyWhoseBase64HoldsAPlus_parses() {
        // Seeds chosen by search: the first whose vkey's base64 part contains "+" (a bug once split it there).
        for (int i = 0; i < 1000; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            seed[1] = (byte) (i >> 8);
            NoteKey key = NoteSigner.fromSeed("example.com/log", NoteKey.ED25519, seed).key();
            if (key.vkey().substring("example.com/log+00000000+".length()).contains("+")) {
                assertThat(NoteKey.parse(key.vkey())).isEqualTo(key);
                return;
            }
        }
        throw new AssertionError("no seed gave a vkey with a + in its base64");
    }

    @Test
    void c2spExample_verifies() {
        NoteKey key = NoteKey.parse("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k");
        SignedNote n = SignedNote.parse("This is an example message.\n\n\u2014 example.com/foo "
                + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n");
        assertThat(n.verifiedBy(List.of(key))).containsExactly(key);
    }

    @Test
    void cosignatures_signTheCheckpointWithATimestamp_andVerify() {
        NoteSigner witness = NoteSigner.fromSeed("witness.example/w1", NoteKey.COSIGNATURE_V1, new byte[32]);
        String checkpoint = "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        SignedNote.Line line = witness.cosign(checkpoint, 1679315147L);
        assertThat(NoteSigner.verifiesCosignature(witness.key(), line, checkpoint)).isTrue();
        assertThat(NoteSigner.verifiesCosignature(witness.key(), line, checkpoint.replace("5\n", "6\n"))).isFalse();
        assertThat(line.signature()).hasSize(72);
        assertThat(NoteKey.parse(witness.key().vkey())).isEqualTo(witness.key());
        assertThat(NoteKey.parse(witness.key().vkey()).type()).isEqualTo(NoteKey.COSIGNATURE_V1);
    }

    @Test
    void malformedNotes_areRefused() {
        for (String bad : List.of("no blank line\n\u2014 a b\n", "text\n\n- a AAAAAAA=\n", "text\n\n\u2014 a+b AAAAAAA=\n",
                "text\n\n\u2014 a !!!\n", "te\u0001xt\n\n\u2014 a AAAAAAA=\n", "text\n\n\u2014 a AAAAAAA=")) {
            assertThatThrownBy(() -> SignedNote.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
