package dev.oversight.audit.witness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.audit.domain.Frontier;
import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.domain.note.CheckpointNote;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import dev.oversight.audit.domain.note.SignedNote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every status of C2SP tlog-witness add-checkpoint, on a growing log, and a rewritten history refused. */
class WitnessTest {

    static final String ORIGIN = "oversight.test/log";

    /** A log in memory: leaves, perfect subtrees, and the log's note key. */
    static class Log implements Merkle.NodeSource {
        final Map<String, byte[]> nodes = new HashMap<>();
        final Frontier frontier = Frontier.empty();
        final NoteSigner key;
        long size;

        Log(byte[] seed) {
            key = NoteSigner.fromSeed(ORIGIN, NoteKey.ED25519, seed);
        }

        void append(int n, String salt) {
            for (int i = 0; i < n; i++) {
                for (Frontier.Node node : frontier.append(Merkle.leafHash((salt + size).getBytes()))) {
                    nodes.put(node.level() + "/" + node.index(), node.hash());
                }
                size++;
            }
        }

        @Override
        public byte[] node(int level, long index) {
            return nodes.get(level + "/" + index);
        }

        byte[] root() {
            return size == 0 ? Merkle.emptyRoot() : Merkle.root(size, this);
        }

        String checkpoint() {
            String text = new CheckpointNote(ORIGIN, size, root()).text();
            return new SignedNote(text, List.of(key.sign(text))).format();
        }

        String request(long old) {
            StringBuilder b = new StringBuilder("old ").append(old).append('\n');
            if (old > 0 && old < size) {
                Merkle.consistencyProof(old, size, this).forEach(h -> b.append(Base64.getEncoder().encodeToString(h)).append('\n'));
            }
            return b.append('\n').append(checkpoint()).toString();
        }
    }

    private final NoteSigner cosigner = NoteSigner.fromSeed("witness.test/w1", NoteKey.COSIGNATURE_V1, new byte[32]);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    private Witness witness(Log log, Witness.State state) {
        return new Witness(cosigner, Map.of(ORIGIN, log.key.key()), state, clock);
    }

    @Test
    void aGrowingLog_isCosignedStepByStep_andTheCosignatureVerifies() throws Exception {
        Log log = new Log(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29, 30, 31, 32});
        Witness w = witness(log, new FileState(Files.createTempDirectory("witness").resolve("state")));
        log.append(5, "a");
        Witness.Response first = w.addCheckpoint(log.request(0));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        SignedNote cosigned = SignedNote.parse(log.checkpoint() + first.body());
        SignedNote.Line line = cosigned.signatures().get(1);
        assertThat(NoteSigner.verifiesCosignature(cosigner.key(), line, cosigned.text())).isTrue();
        for (int step : new int[] {1, 2, 8, 100, 3}) {
            long old = log.size;
            log.append(step, "a");
            Witness.Response r = w.addCheckpoint(log.request(old));
            assertThat(r.status()).as("from %d to %d: %s", old, log.size, r.body()).isEqualTo(200);
        }
        // The same checkpoint again is fine (same size, same root).
        assertThat(w.addCheckpoint(log.request(log.size)).status()).isEqualTo(200);
    }

    @Test
    void everyStatusOfTheSpec() throws Exception {
        Log log = new Log(new byte[32]);
        Path file = Files.createTempDirectory("witness").resolve("state");
        Witness w = witness(log, new FileState(file));
        log.append(4, "a");
        assertThat(w.addCheckpoint(log.request(0)).status()).isEqualTo(200);
        long cosigned = log.size;
        log.append(3, "a");

        // 409: the old size is not the one last cosigned; the body says which it is.
        Witness.Response conflict = w.addCheckpoint(log.request(2));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(conflict.body()).isEqualTo(cosigned + "\n");
        // 400: malformed, or an old size above the checkpoint's.
        assertThat(w.addCheckpoint("nonsense").status()).isEqualTo(400);
        assertThat(w.addCheckpoint(log.request(cosigned).replace("old " + cosigned, "old 99")).status()).isEqualTo(400);
        assertThat(w.addCheckpoint(log.request(cosigned).replace("old " + cosigned, "old 04")).status()).isEqualTo(400);
        // 404: a log this witness does not know.
        Log stranger = new Log(new byte[32]) {
            @Override
            String checkpoint() {
                String text = new CheckpointNote("elsewhere.test/log", size, root()).text();
                NoteSigner k = NoteSigner.fromSeed("elsewhere.test/log", NoteKey.ED25519, new byte[32]);
                return new SignedNote(text, List.of(k.sign(text))).format();
            }
        };
        stranger.append(1, "x");
        assertThat(w.addCheckpoint(stranger.request(0)).status()).isEqualTo(404);
        // 403: not signed by the log's trusted key (another key of the same name), or a signature that fails.
        Log impostor = new Log(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
            9, 9, 9, 9, 9, 9});
        impostor.append(7, "a");
        assertThat(w.addCheckpoint(impostor.request(cosigned)).status()).isEqualTo(403);
        String tampered = log.request(cosigned).replaceFirst("\n" + log.size + "\n", "\n" + (log.size + 1) + "\n");
        assertThat(w.addCheckpoint(tampered).status()).isEqualTo(403);
        // 422: a proof that does not verify, a proof from size zero, and a fork at the same size.
        String badProof = log.request(cosigned).replaceFirst("old " + cosigned + "\n[^\n]+\n",
                "old " + cosigned + "\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThat(w.addCheckpoint(badProof).status()).isEqualTo(422);
        // And after all of these, the honest request still succeeds: the state did not move.
        assertThat(w.addCheckpoint(log.request(cosigned)).status()).isEqualTo(200);

        Log fresh = new Log(new byte[32]);
        Witness empty = witness(fresh, new FileState(Files.createTempDirectory("witness").resolve("state")));
        fresh.append(3, "b");
        String withProof = fresh.request(0).replace("old 0\n", "old 0\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThat(empty.addCheckpoint(withProof).status()).isEqualTo(422);
        String emptyTree = ORIGIN + "\n0\n" + Base64.getEncoder().encodeToString(new byte[32]) + "\n";
        String badEmpty = "old 0\n\n" + new SignedNote(emptyTree, List.of(fresh.key.sign(emptyTree))).format();
        assertThat(empty.addCheckpoint(badEmpty).status()).isEqualTo(422);
        // The state survives a restart.
        assertThat(new FileState(file).get(ORIGIN).orElseThrow().size()).isEqualTo(log.size);
    }

    /**
     * The attack witnesses exist for: with the database and the log key, history is rewritten and re-signed. The
     * rewritten tree is not consistent with what the witness cosigned, so it refuses to cosign it.
     */
    @Test
    void aRewrittenHistory_reSignedWithTheLogKey_isRefused() throws Exception {
        byte[] seed = new byte[32];
        seed[0] = 7;
        Log honest = new Log(seed);
        Witness w = witness(honest, new FileState(Files.createTempDirectory("witness").resolve("state")));
        honest.append(10, "honest");
        assertThat(w.addCheckpoint(honest.request(0)).status()).isEqualTo(200);

        Log rewritten = new Log(seed); // same key: the operator's
        rewritten.append(12, "rewritten");
        Witness.Response r = w.addCheckpoint(rewritten.request(10));
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        Log sameSize = new Log(seed);
        sameSize.append(10, "rewritten");
        Witness.Response fork = w.addCheckpoint(sameSize.request(10));
        assertThat(fork.status()).isEqualTo(422);
        assertThat(fork.body()).contains("fork");
    }

    @Test
    void aNewKeyFile_isTheOwnersAlone_fromItsFirstByte() throws Exception {
        java.nio.file.Path key = java.nio.file.Files.createTempDirectory("witness-key").resolve("witness.key");
        byte[] seed = WitnessServer.seed(key);
        assertThat(seed).hasSize(32);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(WitnessServer.seed(key)).isEqualTo(seed);
    }

    @Test
    void aKeyFileOthersCanReadOrWrite_isRefused() throws Exception {
        for (String perms : new String[] {"rw-r--r--", "rw-rw----", "rw-----w-"}) {
            java.nio.file.Path key = java.nio.file.Files.createTempDirectory("witness-key").resolve("witness.key");
            java.nio.file.Files.writeString(key, java.util.Base64.getEncoder().encodeToString(new byte[32]));
            java.nio.file.Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> WitnessServer.seed(key))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("chmod 600");
        }
    }
}
