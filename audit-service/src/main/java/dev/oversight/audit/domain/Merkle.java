package dev.oversight.audit.domain;

import dev.oversight.common.crypto.Sha256;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, audit paths and consistency proofs, computed from the hashes of
 * perfect, aligned subtrees ({@link NodeSource}) so that any tree size is served in O(log n) node reads.
 * Leaf hash = SHA-256(0x00 ‖ data); interior = SHA-256(0x01 ‖ left ‖ right); a tree of n leaves splits at the
 * largest power of two below n.
 */
public final class Merkle {

    public static final int HASH_SIZE = 32;
    private static final byte[] EMPTY_ROOT = sha256(new byte[0]);

    private Merkle() {
    }

    /** The hash of the perfect subtree at {@code level} covering leaves [index·2^level, (index+1)·2^level). */
    @FunctionalInterface
    public interface NodeSource {
        byte[] node(int level, long index);
    }

    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    public static byte[] leafHash(byte[] data) {
        MessageDigest sha = digest();
        sha.update((byte) 0);
        sha.update(data);
        return sha.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = digest();
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
    }

    /** The largest power of two strictly below n (n ≥ 2). */
    public static long split(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("only trees of two or more leaves split: " + n);
        }
        return Long.highestOneBit(n - 1);
    }

    public static byte[] root(long size, NodeSource nodes) {
        return size == 0 ? emptyRoot() : range(0, size, nodes);
    }

    /** RFC 9162 §2.1.3.1: the audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
    public static List<byte[]> inclusionProof(long index, long size, NodeSource nodes) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, size, nodes, proof);
        return proof;
    }

    /** RFC 9162 §2.1.4.1: the proof that the tree of size {@code first} is a prefix of that of size {@code second}. */
    public static List<byte[]> consistencyProof(long first, long second, NodeSource nodes) {
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("first (" + first + ") must be between 0 and second (" + second + ")");
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, nodes, proof);
        }
        return proof;
    }

    /** RFC 9162 §2.1.3.2: whether the proof shows the leaf at the index in the tree ({@link ProofVerifier} says why not). */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        return ProofVerifier.checkInclusion(index, size, leafHash, proof, root).isEmpty();
    }

    /** RFC 9162 §2.1.4.2: whether the proof shows the first tree is a prefix of the second. */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        return ProofVerifier.checkConsistency(first, second, firstRoot, secondRoot, proof).isEmpty();
    }

    /**
     * The hash of leaves [from, to). Every range the RFC's recursion reaches starts at a multiple of the next
     * power of two at or above its length, so it splits into perfect aligned subtrees read from the source.
     */
    static byte[] range(long from, long to, NodeSource nodes) {
        long n = to - from;
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            return nodes.node(level, from >> level);
        }
        long k = split(n);
        return nodeHash(range(from, from + k, nodes), range(from + k, to, nodes));
    }

    private static void path(long m, long from, long to, NodeSource nodes, List<byte[]> out) {
        long n = to - from;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < from + k) {
            path(m, from, from + k, nodes, out);
            out.add(range(from + k, to, nodes));
        } else {
            path(m, from + k, to, nodes, out);
            out.add(range(from, from + k, nodes));
        }
    }

    private static void subproof(long m, long from, long to, boolean complete, NodeSource nodes, List<byte[]> out) {
        long n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(range(from, to, nodes));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, from, from + k, complete, nodes, out);
            out.add(range(from + k, to, nodes));
        } else {
            subproof(m - k, from + k, to, false, nodes, out);
            out.add(range(from, from + k, nodes));
        }
    }

    static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        return Sha256.newDigest();
    }
}
