package dev.oversight.audit.service;

import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.domain.Frontier;
import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.domain.ProofFailure;
import dev.oversight.audit.repository.CheckpointRepository;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Optional;

/**
 * Recomputes the log from what is stored and compares. In [from, to) a leaf that differs from the stored leaf hash
 * or the stored tree leaf, or a missing index, is a mismatch at that index. Every signed checkpoint up to {@code to}
 * must carry a valid signature under the trusted key it names and the root recomputed from the events; a root that
 * differs although every leaf matched means leaves and tree were rewritten together, and the first index of the
 * range since the last good checkpoint is reported.
 *
 * <p>Three passes: a full pass re-hashes every event from 0. An incremental pass starts at the last checkpoint an
 * earlier pass verified: it takes the tree's stored right edge there, proves it against that checkpoint's signed root
 * (so it is the edge the signed history had), and re-hashes only the events after it. It proves that everything
 * appended since extends the verified history; it does not re-read the events before that point, which only a full
 * pass does (run one regularly). A range pass ({@code from}/{@code to}) checks the leaves of a range.
 */
@ApplicationScoped
public class VerificationService {

    public enum Mode { FULL, INCREMENTAL, RANGE }

    /** {@code firstMismatch} is null when everything matched; {@code detail} says what did not. */
    public record Result(boolean ok, Mode mode, long checkedFrom, long checkedUpTo, Long firstMismatch, String detail,
                         int checkpointsVerified) {
    }

    private final LogRepository repository;
    private final CheckpointRepository checkpointRows;
    private final CheckpointService checkpoints;
    private final AuditLog log;

    public VerificationService(LogRepository repository, CheckpointRepository checkpointRows,
                               CheckpointService checkpoints, AuditLog log) {
        this.repository = repository;
        this.checkpointRows = checkpointRows;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    /** Checks [from, to), re-hashing every event from 0 so that the checkpoints' roots can be recomputed. */
    public Result verify(long from, long to) {
        return run(Mode.RANGE, from, to, Frontier.empty(), 0, null);
    }

    /** Full or incremental up to {@code to}; a pass that ends well is recorded for the next incremental one. */
    public Result verify(long to, boolean full, String actor) {
        try {
            Optional<CheckpointRepository.Verified> last = full ? Optional.empty() : checkpointRows.lastVerified()
                    .filter(v -> v.treeSize() <= to);
            Result result;
            if (last.isEmpty()) {
                result = run(Mode.FULL, 0, to, Frontier.empty(), 0, actor);
            } else {
                long start = last.get().treeSize();
                // The pass resumes from the stored right edge only if it is the edge of a signed, trusted root.
                Frontier edge = log.frontierAt(start);
                Optional<StoredCheckpoint> anchor = checkpointRows.checkpoint(start);
                boolean anchored = anchor.isPresent()
                        && Arrays.equals(anchor.get().rootHash(), last.get().rootHash())
                        && Arrays.equals(edge.root(), anchor.get().rootHash())
                        && checkpoints.trustedKey(anchor.get().keyId()).map(k -> new Checkpoint(anchor.get().treeSize(),
                                anchor.get().rootHash(), anchor.get().createdAt().toInstant())
                                .verify(anchor.get().signature(), k)).orElse(false);
                if (!anchored) {
                    return new Result(false, Mode.INCREMENTAL, start, start, start, "the stored tree no longer"
                            + " matches verified checkpoint " + start + "; run a full verification (full=true)", 0);
                }
                result = run(Mode.INCREMENTAL, start, to, edge, start, actor);
            }
            return result;
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    private Result run(Mode mode, long from, long to, Frontier start, long lastGood, String actor) {
        try {
            // Only the checkpoints this pass can reach: after its starting point (from 0 on, the empty tree's too).
            Deque<StoredCheckpoint> pending = new ArrayDeque<>(
                    checkpointRows.checkpointsBetween(start.size() == 0 ? -1 : start.size(), to));
            Scan scan = new Scan(from, pending, start, lastGood);
            scan.checkCheckpoints();
            repository.scan(start.size(), to, row -> scan.accept(row.index(), row.canonical(), row.leafHash(),
                    row.storedLeafNode()));
            if (scan.firstMismatch == null && scan.frontier.size() < to) {
                scan.fail(scan.frontier.size(), "event " + scan.frontier.size() + " is missing");
            }
            if (scan.firstMismatch == null && !scan.pending.isEmpty()) {
                scan.fail(scan.lastGood, "checkpoint " + scan.pending.peekFirst().treeSize() + " covers missing events");
            }
            boolean ok = scan.firstMismatch == null;
            if (ok && actor != null && scan.lastVerified != null) {
                checkpointRows.insertVerified(scan.lastVerified, mode == Mode.FULL, actor);
            }
            return new Result(ok, mode, from, ok ? to : scan.firstMismatch, scan.firstMismatch, scan.detail,
                    scan.verified);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    /** The state of one pass over the log. */
    private final class Scan {
        final long from;
        final Deque<StoredCheckpoint> pending;
        final Frontier frontier;
        Long firstMismatch;
        String detail;
        long lastGood;
        CheckpointRepository.Verified lastVerified;
        int verified;

        Scan(long from, Deque<StoredCheckpoint> pending, Frontier start, long lastGood) {
            this.from = from;
            this.pending = pending;
            this.frontier = start;
            this.lastGood = lastGood;
        }

        void accept(long index, String canonical, byte[] leafHash, byte[] storedLeafNode) {
            if (firstMismatch != null) {
                return;
            }
            if (index != frontier.size()) {
                fail(frontier.size(), "event " + frontier.size() + " is missing");
                return;
            }
            byte[] leaf = Merkle.leafHash(canonical.getBytes(StandardCharsets.UTF_8));
            if (index >= from && (!Arrays.equals(leaf, leafHash) || !Arrays.equals(leaf, storedLeafNode))) {
                fail(index, "event " + index + " does not hash to the leaf the log committed to");
                return;
            }
            frontier.append(leaf);
            checkCheckpoints();
        }

        void checkCheckpoints() {
            while (firstMismatch == null && !pending.isEmpty() && pending.peekFirst().treeSize() == frontier.size()) {
                StoredCheckpoint cp = pending.pollFirst();
                Checkpoint signed = new Checkpoint(cp.treeSize(), cp.rootHash(), cp.createdAt().toInstant());
                Optional<PublicKey> key = checkpoints.trustedKey(cp.keyId());
                if (key.isEmpty()) {
                    fail(lastGood, "checkpoint " + cp.treeSize() + " names key " + cp.keyId()
                            + ", which is not a trusted checkpoint key");
                } else if (!signed.verify(cp.signature(), key.get())) {
                    fail(lastGood, new ProofFailure.BadSignature("checkpoint " + cp.treeSize() + "'s signature")
                            .message());
                } else if (!Arrays.equals(frontier.root(), cp.rootHash())) {
                    fail(lastGood, "the events before " + cp.treeSize() + " no longer produce the signed root ("
                            + new ProofFailure.RootMismatch(cp.treeSize()).message() + "); the change lies at or after"
                            + " index " + lastGood);
                } else {
                    lastGood = cp.treeSize();
                    lastVerified = new CheckpointRepository.Verified(cp.treeSize(), cp.rootHash());
                    verified++;
                }
            }
        }

        void fail(long index, String why) {
            firstMismatch = index;
            detail = why;
        }
    }
}
