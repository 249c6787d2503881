package dev.oversight.audit.service;

import dev.oversight.audit.domain.Checkpoint;
import dev.oversight.audit.domain.Frontier;
import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.audit.repository.StoredCheckpoint;
import dev.oversight.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Recomputes the log from what is stored and compares. Every event from 0 is re-hashed from its canonical text;
 * in [from, to) a leaf that differs from the stored leaf hash or the stored tree leaf, or a missing index, is a
 * mismatch at that index. Every signed checkpoint up to {@code to} must carry a valid signature and the root
 * recomputed from the events; a root that differs although every leaf matched means leaves and tree were
 * rewritten together, and the first index of the range since the last good checkpoint is reported.
 */
@ApplicationScoped
public class VerificationService {

    /** {@code firstMismatch} is null when everything matched; {@code detail} says what did not. */
    public record Result(boolean ok, long checkedUpTo, Long firstMismatch, String detail, int checkpointsVerified) {
    }

    private final LogRepository repository;
    private final CheckpointService checkpoints;

    public VerificationService(LogRepository repository, CheckpointService checkpoints) {
        this.repository = repository;
        this.checkpoints = checkpoints;
    }

    public Result verify(long from, long to) {
        try {
            List<StoredCheckpoint> newestFirst = repository.checkpoints(to + 1, Integer.MAX_VALUE);
            Scan scan = new Scan(from, new ArrayDeque<>(newestFirst.size()));
            newestFirst.forEach(scan.pending::addFirst);
            scan.checkCheckpoints();
            repository.scan(0, to, row -> scan.accept(row.index(), row.canonical(), row.leafHash(), row.storedLeafNode()));
            if (scan.firstMismatch == null && scan.frontier.size() < to) {
                scan.fail(scan.frontier.size(), "event " + scan.frontier.size() + " is missing");
            }
            if (scan.firstMismatch == null && !scan.pending.isEmpty()) {
                scan.fail(scan.lastGood, "checkpoint " + scan.pending.peekFirst().treeSize() + " covers missing events");
            }
            boolean ok = scan.firstMismatch == null;
            return new Result(ok, ok ? to : scan.firstMismatch, scan.firstMismatch, scan.detail, scan.verified);
        } catch (SQLException e) {
            throw ProblemException.unavailable("The log cannot be read right now; retry.");
        }
    }

    /** The state of one pass over the log. */
    private final class Scan {
        final long from;
        final Deque<StoredCheckpoint> pending;
        final Frontier frontier = Frontier.empty();
        Long firstMismatch;
        String detail;
        long lastGood;
        int verified;

        Scan(long from, Deque<StoredCheckpoint> pending) {
            this.from = from;
            this.pending = pending;
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
                if (!signed.verify(cp.signature(), checkpoints.publicKey())) {
                    fail(lastGood, "checkpoint " + cp.treeSize() + " has an invalid signature");
                } else if (!Arrays.equals(frontier.root(), cp.rootHash())) {
                    fail(lastGood, "the events before " + cp.treeSize() + " no longer produce the signed root;"
                            + " the change lies at or after index " + lastGood);
                } else {
                    lastGood = cp.treeSize();
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
