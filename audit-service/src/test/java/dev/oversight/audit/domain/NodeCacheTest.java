package dev.oversight.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeCacheTest {

    private static byte[] hash(int seed) {
        byte[] h = new byte[Merkle.HASH_SIZE];
        h[0] = (byte) seed;
        h[31] = (byte) (seed >> 8);
        return h;
    }

    @Test
    void keepsNodesAtOrAboveItsLevel_only() {
        NodeCache cache = new NodeCache(2, 100);
        cache.put(1, 7, hash(1));
        cache.put(2, 7, hash(2));
        cache.put(5, 0, hash(3));
        assertThat(cache.get(1, 7)).isNull();
        assertThat(cache.get(2, 7)).isEqualTo(hash(2));
        assertThat(cache.get(5, 0)).isEqualTo(hash(3));
        assertThat(cache.get(2, 8)).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void keepsACopy_soACallersLaterWritesDoNotReachIt() {
        NodeCache cache = new NodeCache(0, 10);
        byte[] h = hash(9);
        cache.put(0, 1, h);
        h[0] = 42;
        assertThat(cache.get(0, 1)).isEqualTo(hash(9));
    }

    @Test
    void theFirstHashOfANodeStays() {
        NodeCache cache = new NodeCache(0, 10);
        cache.put(3, 1, hash(1));
        cache.put(3, 1, hash(2));
        assertThat(cache.get(3, 1)).isEqualTo(hash(1));
    }

    @Test
    void levelsAndIndexesDoNotCollide() {
        NodeCache cache = new NodeCache(0, 1000);
        long big = (1L << 57) + 3;
        cache.put(0, big, hash(1));
        cache.put(1, big, hash(2));
        cache.put(63, 0, hash(3));
        assertThat(cache.get(0, big)).isEqualTo(hash(1));
        assertThat(cache.get(1, big)).isEqualTo(hash(2));
        assertThat(cache.get(63, 0)).isEqualTo(hash(3));
        assertThat(cache.get(0, 3)).isNull();
    }

    @Test
    void pastItsBound_dropsTheLowestLevelsUntilItFits() {
        NodeCache cache = new NodeCache(0, 10);
        for (int i = 0; i < 8; i++) {
            cache.put(0, i, hash(i));
        }
        for (int i = 0; i < 4; i++) {
            cache.put(1, i, hash(100 + i));
        }
        // 12 > 10: level 0 goes, level 1 stays.
        assertThat(cache.minLevel()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(4);
        assertThat(cache.get(0, 0)).isNull();
        assertThat(cache.get(1, 3)).isEqualTo(hash(103));
        cache.put(0, 0, hash(0));
        assertThat(cache.get(0, 0)).isNull();
    }

    @Test
    void aZeroBound_keepsNothing() {
        NodeCache cache = new NodeCache(0, 0);
        cache.put(10, 1, hash(1));
        assertThat(cache.get(10, 1)).isNull();
        assertThat(cache.size()).isZero();
        assertThatThrownBy(() -> new NodeCache(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Proofs computed through the cache, filled as the tree grows, equal proofs from the full set of nodes. */
    @Test
    void proofsThroughTheCache_equalProofsFromAllNodes() {
        Frontier f = Frontier.empty();
        Map<String, byte[]> all = new HashMap<>();
        NodeCache cache = new NodeCache(2, 1_000);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] leaf = Merkle.leafHash(("event " + i).getBytes());
            leaves.add(leaf);
            for (Frontier.Node n : f.append(leaf)) {
                all.put(n.level() + "/" + n.index(), n.hash());
                cache.put(n.level(), n.index(), n.hash());
            }
        }
        Merkle.NodeSource fromAll = (l, i) -> all.get(l + "/" + i);
        Merkle.NodeSource cachedFirst = (l, i) -> {
            byte[] h = cache.get(l, i);
            return h != null ? h : all.get(l + "/" + i);
        };
        for (long size : new long[] {1, 2, 3, 7, 16, 100, 255, 256, 300}) {
            byte[] root = Merkle.root(size, fromAll);
            assertThat(Merkle.root(size, cachedFirst)).isEqualTo(root);
            for (long i = 0; i < size; i += 7) {
                List<byte[]> proof = Merkle.inclusionProof(i, size, cachedFirst);
                assertThat(proof).containsExactlyElementsOf(Merkle.inclusionProof(i, size, fromAll));
                assertThat(Merkle.verifyInclusion(i, size, leaves.get((int) i), proof, root)).isTrue();
            }
        }
    }
}
