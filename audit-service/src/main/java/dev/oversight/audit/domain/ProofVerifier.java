package dev.oversight.audit.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Verifies RFC 9162 inclusion and consistency proofs and says why one fails ({@link ProofFailure}): the index or
 * sizes out of range, a proof of the wrong length (checked first, against the number of hashes the sizes call for,
 * as transparency-dev/merkle does), something that is not a hash, or the root it leads to.
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /** RFC 9162 §2.1.3.2; empty when the proof shows the leaf at {@code index} in the tree of {@code size}. */
    public static Optional<ProofFailure> checkInclusion(long index, long size, byte[] leafHash, List<byte[]> proof,
                                                        byte[] root) {
        if (index < 0 || index >= size) {
            return Optional.of(new ProofFailure.IndexOutOfRange(index, size));
        }
        Optional<ProofFailure> malformed = hashes(leafHash, root, proof);
        if (malformed.isPresent()) {
            return malformed;
        }
        int expected = inclusionLength(index, size);
        if (proof.size() != expected) {
            return Optional.of(new ProofFailure.WrongProofLength(expected, proof.size()));
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if ((fn & 1) == 1 || fn == sn) {
                r = Merkle.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = Merkle.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return Arrays.equals(r, root) ? Optional.empty() : Optional.of(new ProofFailure.RootMismatch(size));
    }

    /** RFC 9162 §2.1.4.2; empty when the proof shows the tree of {@code first} is a prefix of that of {@code second}. */
    public static Optional<ProofFailure> checkConsistency(long first, long second, byte[] firstRoot,
                                                          byte[] secondRoot, List<byte[]> proof) {
        if (first < 0 || first > second) {
            return Optional.of(new ProofFailure.SizesOutOfOrder(first, second));
        }
        Optional<ProofFailure> malformed = hashes(firstRoot, secondRoot, proof);
        if (malformed.isPresent()) {
            return malformed;
        }
        if (first == second || first == 0) {
            if (!proof.isEmpty()) {
                return Optional.of(new ProofFailure.WrongProofLength(0, proof.size()));
            }
            byte[] expectedFirst = first == 0 ? Merkle.emptyRoot() : secondRoot;
            return Arrays.equals(firstRoot, expectedFirst) ? Optional.empty()
                    : Optional.of(new ProofFailure.RootMismatch(first));
        }
        boolean perfect = Long.bitCount(first) == 1;
        int expected = consistencyLength(first, second);
        if (proof.size() != expected) {
            return Optional.of(new ProofFailure.WrongProofLength(expected, proof.size()));
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (perfect) {
            path.add(firstRoot);
        }
        path.addAll(proof);
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if ((fn & 1) == 1 || fn == sn) {
                fr = Merkle.nodeHash(c, fr);
                sr = Merkle.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = Merkle.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (!Arrays.equals(fr, firstRoot)) {
            return Optional.of(new ProofFailure.RootMismatch(first));
        }
        return Arrays.equals(sr, secondRoot) ? Optional.empty() : Optional.of(new ProofFailure.RootMismatch(second));
    }

    /**
     * The hashes an inclusion proof of {@code index} in a tree of {@code size} has: one per level below the node where
     * the leaf's path and the last leaf's path part ({@code inner}), and one per left sibling above it ({@code border}).
     */
    static int inclusionLength(long index, long size) {
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
        int border = Long.bitCount(index >> inner);
        return inner + border;
    }

    /** The hashes a consistency proof from {@code first} to {@code second} has (0 &lt; first &lt; second). */
    static int consistencyLength(long first, long second) {
        int shift = Long.numberOfTrailingZeros(first);
        int inner = 64 - Long.numberOfLeadingZeros((first - 1) ^ (second - 1)) - shift;
        int border = Long.bitCount((first - 1) >> (inner + shift));
        // A perfect first tree is its own seed; otherwise the proof's first hash is.
        return (Long.bitCount(first) == 1 ? 0 : 1) + inner + border;
    }

    private static Optional<ProofFailure> hashes(byte[] one, byte[] other, List<byte[]> proof) {
        if (!isHash(one) || !isHash(other)) {
            return Optional.of(new ProofFailure.NotAHash(!isHash(one) ? "the leaf or first root" : "the root"));
        }
        for (int i = 0; i < proof.size(); i++) {
            if (!isHash(proof.get(i))) {
                return Optional.of(new ProofFailure.NotAHash("proof hash " + i));
            }
        }
        return Optional.empty();
    }

    private static boolean isHash(byte[] h) {
        return h != null && h.length == Merkle.HASH_SIZE;
    }
}
