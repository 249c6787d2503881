package dev.oversight.audit.domain;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes of perfect subtrees kept in memory, so that a proof reads only the few lowest nodes from storage.
 *
 * <p>A node covers an aligned range of leaves that can never change once the log holds them all, so the hash a
 * committed tree stored for it is valid for every tree size after: any instance may keep it for as long as it likes,
 * without invalidation. Only nodes at {@link #minLevel()} or above are kept (the levels below hold almost all nodes
 * and are each used by few proofs). When more than {@code maxNodes} would be kept the lowest kept level is dropped,
 * so memory stays bounded however long the log grows (about 100 bytes per node).
 *
 * <p>Callers put only nodes that a committed tree holds: written by a committed append, or read from storage.
 */
public final class NodeCache {

    private final ConcurrentHashMap<Long, byte[]> nodes = new ConcurrentHashMap<>();
    private final AtomicInteger minLevel;
    private final int maxNodes;

    /** @param minLevel the lowest level kept; @param maxNodes at most this many nodes, 0 to keep none */
    public NodeCache(int minLevel, int maxNodes) {
        if (minLevel < 0 || minLevel > 63 || maxNodes < 0) {
            throw new IllegalArgumentException("minLevel must be in [0, 63] and maxNodes >= 0");
        }
        this.minLevel = new AtomicInteger(maxNodes == 0 ? 64 : minLevel);
        this.maxNodes = maxNodes;
    }

    /** The node's hash, or null when it is not kept here. */
    public byte[] get(int level, long index) {
        return level < minLevel.get() ? null : nodes.get(key(level, index));
    }

    /** Keeps a committed node's hash (a copy), if its level is kept. */
    public void put(int level, long index, byte[] hash) {
        if (level < minLevel.get() || hash.length != Merkle.HASH_SIZE) {
            return;
        }
        nodes.putIfAbsent(key(level, index), hash.clone());
        if (nodes.size() > maxNodes) {
            shrink();
        }
    }

    private synchronized void shrink() {
        while (nodes.size() > maxNodes && minLevel.get() < 64) {
            int kept = minLevel.incrementAndGet();
            nodes.keySet().removeIf(k -> (int) (k >>> 58) < kept);
        }
    }

    /** The lowest level kept now (64 when the cache is off). */
    public int minLevel() {
        return minLevel.get();
    }

    /** How many nodes are kept. */
    public int size() {
        return nodes.size();
    }

    /** Level in the top 6 bits, index (below 2^58 leaves) in the rest. */
    private static long key(int level, long index) {
        return ((long) level << 58) | index;
    }
}
