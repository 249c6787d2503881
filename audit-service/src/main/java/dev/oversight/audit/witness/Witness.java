package dev.oversight.audit.witness;

import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.domain.ProofFailure;
import dev.oversight.audit.domain.ProofVerifier;
import dev.oversight.audit.domain.note.CheckpointNote;
import dev.oversight.audit.domain.note.NoteKey;
import dev.oversight.audit.domain.note.NoteSigner;
import dev.oversight.audit.domain.note.SignedNote;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server side of C2SP tlog-witness ({@code add-checkpoint}), free of any framework: for each log it trusts (by
 * origin and note key) it keeps the latest checkpoint it cosigned, and cosigns a new one only if it is consistent
 * with it. Checking the old size and storing the new checkpoint happen atomically ({@link State#compareAndSet}), so
 * two concurrent requests can never roll the log back. Every status the specification defines is produced here:
 * 400 (malformed, old size above the checkpoint's), 403 (no valid signature of a trusted key), 404 (unknown origin),
 * 409 (old size is not the size last cosigned; body: that size), 422 (bad proof, or a fork: same size, other root).
 */
public final class Witness {

    /** The latest cosigned state of a log: its tree size and root hash. */
    public record Tree(long size, byte[] root) {
    }

    /** Where the witness keeps its latest trees, one per origin; updates must be atomic. */
    public interface State {
        Optional<Tree> get(String origin);

        /** Replaces {@code expected} (empty: none yet) by {@code next}; false if another update came first. */
        boolean compareAndSet(String origin, Optional<Tree> expected, Tree next);
    }

    /** A response: HTTP status, content type and body. */
    public record Response(int status, String contentType, String body) {
        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }

    public static final int MAX_PROOF_LINES = 63;

    private final NoteSigner cosigner;
    private final Map<String, NoteKey> logs;
    private final State state;
    private final Clock clock;

    /** {@code logs}: the log keys this witness trusts, by origin (a log's key name is its origin). */
    public Witness(NoteSigner cosigner, Map<String, NoteKey> logs, State state, Clock clock) {
        this.cosigner = cosigner;
        this.logs = Map.copyOf(logs);
        this.state = state;
        this.clock = clock;
    }

    public NoteKey key() {
        return cosigner.key();
    }

    public Response addCheckpoint(String body) {
        // old <size>\n, up to 63 base64 hash lines, an empty line, then the signed checkpoint.
        int blank = body.indexOf("\n\n");
        if (!body.startsWith("old ") || blank < 0) {
            return Response.text(400, "the body is an old size line, proof lines, an empty line and a checkpoint\n");
        }
        String[] head = body.substring(0, blank).split("\n");
        long oldSize;
        try {
            oldSize = CheckpointNote.decimal(head[0].substring(4));
        } catch (NumberFormatException e) {
            return Response.text(400, "the old size is a decimal without leading zeroes\n");
        }
        if (head.length - 1 > MAX_PROOF_LINES) {
            return Response.text(400, "at most 63 consistency proof lines\n");
        }
        List<byte[]> proof = new ArrayList<>();
        try {
            for (int i = 1; i < head.length; i++) {
                byte[] h = Base64.getDecoder().decode(head[i]);
                if (h.length != Merkle.HASH_SIZE) {
                    throw new IllegalArgumentException("a proof hash is 32 bytes");
                }
                proof.add(h);
            }
        } catch (IllegalArgumentException e) {
            return Response.text(400, "every proof line is a base64 SHA-256 hash\n");
        }
        SignedNote note;
        CheckpointNote cp;
        try {
            note = SignedNote.parse(body.substring(blank + 2));
            cp = CheckpointNote.parse(note.text());
        } catch (IllegalArgumentException e) {
            return Response.text(400, "malformed checkpoint: " + e.getMessage() + "\n");
        }
        NoteKey logKey = logs.get(cp.origin());
        if (logKey == null) {
            return Response.text(404, "unknown log origin " + cp.origin() + "\n");
        }
        try {
            if (note.verifiedBy(List.of(logKey)).isEmpty()) {
                return Response.text(403, "no signature of the log's trusted key\n");
            }
        } catch (IllegalArgumentException e) {
            return Response.text(403, "the log's signature does not verify\n");
        }
        if (oldSize > cp.size()) {
            return Response.text(400, "the old size is above the checkpoint's size\n");
        }
        Optional<Tree> latest = state.get(cp.origin());
        long known = latest.map(Tree::size).orElse(0L);
        if (oldSize != known) {
            return new Response(409, "text/x.tlog.size", known + "\n");
        }
        if (cp.size() == 0 && !Arrays.equals(cp.root(), Merkle.emptyRoot())) {
            return Response.text(422, "a checkpoint of size zero has the empty tree's root\n");
        }
        if (oldSize == 0) {
            if (!proof.isEmpty()) {
                return Response.text(422, "from size zero the consistency proof is empty\n");
            }
        } else if (oldSize == cp.size()) {
            if (!Arrays.equals(latest.get().root(), cp.root())) {
                return Response.text(422, "a fork: size " + cp.size() + " with another root than the one cosigned\n");
            }
        } else {
            Optional<ProofFailure> failure = ProofVerifier.checkConsistency(oldSize, cp.size(), latest.get().root(),
                    cp.root(), proof);
            if (failure.isPresent()) {
                return Response.text(422, "the consistency proof from size " + oldSize + " does not verify: "
                        + failure.get().message() + "\n");
            }
        }
        if (!state.compareAndSet(cp.origin(), latest, new Tree(cp.size(), cp.root()))) {
            long now = state.get(cp.origin()).map(Tree::size).orElse(0L);
            return new Response(409, "text/x.tlog.size", now + "\n");
        }
        SignedNote.Line cosignature = cosigner.cosign(note.text(), clock.instant().getEpochSecond());
        return Response.text(200, cosignature.format());
    }
}
