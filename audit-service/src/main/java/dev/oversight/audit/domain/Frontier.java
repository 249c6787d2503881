package dev.oversight.audit.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing Merkle tree: the hashes of the perfect subtrees that make up the first
 * {@code size} leaves (one per set bit of size, largest first). Appending a leaf yields every node it completes,
 * with no read of older nodes, so the sequencer keeps the tree current in O(1) amortized work per leaf.
 */
public final class Frontier {

    /** A perfect subtree's hash: level 0 is a leaf. */
    public record Node(int level, long index, byte[] hash) {
    }

    private final List<byte[]> stack;
    private long size;

    private Frontier(long size, List<byte[]> stack) {
        this.size = size;
        this.stack = stack;
    }

    public static Frontier empty() {
        return new Frontier(0, new ArrayList<>());
    }

    /** The frontier of a stored tree of {@code size} leaves, read from its perfect subtrees. */
    public static Frontier of(long size, Merkle.NodeSource nodes) {
        List<byte[]> stack = new ArrayList<>();
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                stack.add(nodes.node(level, start >>> level));
                start += 1L << level;
            }
        }
        return new Frontier(size, stack);
    }

    /** The coordinates {@link #of} reads for a tree of {@code size} leaves. */
    public static List<long[]> coordinates(long size) {
        List<long[]> coords = new ArrayList<>();
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size >>> level & 1) == 1) {
                coords.add(new long[] {level, start >>> level});
                start += 1L << level;
            }
        }
        return coords;
    }

    public Frontier copy() {
        return new Frontier(size, new ArrayList<>(stack));
    }

    public long size() {
        return size;
    }

    /** Adds a leaf; returns the leaf node and every interior node it completes. */
    public List<Node> append(byte[] leafHash) {
        List<Node> created = new ArrayList<>(2);
        long index = size;
        int level = 0;
        byte[] hash = leafHash;
        created.add(new Node(0, index, hash));
        while ((index & 1) == 1) {
            hash = Merkle.nodeHash(stack.remove(stack.size() - 1), hash);
            index >>= 1;
            level++;
            created.add(new Node(level, index, hash));
        }
        stack.add(hash);
        size++;
        return created;
    }

    public byte[] root() {
        if (stack.isEmpty()) {
            return Merkle.emptyRoot();
        }
        byte[] r = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            r = Merkle.nodeHash(stack.get(i), r);
        }
        return r;
    }
}
