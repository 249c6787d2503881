package dev.oversight.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** RFC 6962 reference vectors (transparency-dev/merkle testonly), mutations, and properties. */
class MerkleTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String[] LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};
    private static final String[] ROOTS = {
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    /** A tree held in memory: every perfect subtree, as the audit service stores them. */
    static final class MemoryTree implements Merkle.NodeSource {
        final Map<String, byte[]> nodes = new HashMap<>();
        final Frontier frontier = Frontier.empty();

        void append(byte[] leafHash) {
            for (Frontier.Node n : frontier.append(leafHash)) {
                nodes.put(n.level() + "/" + n.index(), n.hash());
            }
        }

        @Override
        public byte[] node(int level, long index) {
            byte[] h = nodes.get(level + "/" + index);
            if (h == null) {
                throw new IllegalStateException("no node " + level + "/" + index);
            }
            return h;
        }
    }

    static MemoryTree reference() {
        MemoryTree t = new MemoryTree();
        for (String leaf : LEAVES) {
            t.append(Merkle.leafHash(HEX.parseHex(leaf)));
        }
        return t;
    }

    static MemoryTree synthetic(int n) {
        MemoryTree t = new MemoryTree();
        for (int i = 0; i < n; i++) {
            t.append(Merkle.leafHash(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i * 7)}));
        }
        return t;
    }

    @Test
    void emptyTree_leafAndNodeHashes_matchTheRfc() {
        assertThat(HEX.formatHex(Merkle.emptyRoot())).isEqualTo(ROOTS[0]);
        assertThat(HEX.formatHex(Merkle.leafHash(new byte[0]))).isEqualTo(ROOTS[1]);
        assertThat(HEX.formatHex(Merkle.nodeHash(Merkle.leafHash(new byte[0]), Merkle.leafHash(new byte[] {0}))))
                .isEqualTo(ROOTS[2]);
    }

    @Test
    void rootsForSizesZeroToEight_matchTheReference() {
        MemoryTree t = reference();
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(Merkle.root(size, t))).as("size %d", size).isEqualTo(ROOTS[size]);
        }
        assertThat(HEX.formatHex(t.frontier.root())).isEqualTo(ROOTS[8]);
    }

    @Test
    void splitIsTheLargestPowerOfTwoBelow() {
        assertThat(Merkle.split(2)).isEqualTo(1);
        assertThat(Merkle.split(3)).isEqualTo(2);
        assertThat(Merkle.split(4)).isEqualTo(2);
        assertThat(Merkle.split(5)).isEqualTo(4);
        assertThat(Merkle.split(9)).isEqualTo(8);
        assertThat(Merkle.split(1000)).isEqualTo(512);
    }

    @Test
    void inclusionProofs_matchTheReference() {
        MemoryTree t = reference();
        assertThat(hex(Merkle.inclusionProof(0, 8, t))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(Merkle.inclusionProof(5, 8, t))).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(Merkle.inclusionProof(0, 1, t)).isEmpty();
    }

    @Test
    void consistencyProofs_matchTheReference() {
        MemoryTree t = reference();
        assertThat(hex(Merkle.consistencyProof(2, 8, t))).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(Merkle.consistencyProof(6, 8, t))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(Merkle.consistencyProof(2, 5, t))).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(Merkle.consistencyProof(8, 8, t)).isEmpty();
        assertThat(Merkle.consistencyProof(0, 8, t)).isEmpty();
    }

    @Test
    void everyMutatedInclusionProof_isRejected() {
        MemoryTree t = synthetic(37);
        for (int size = 1; size <= 37; size++) {
            byte[] root = Merkle.root(size, t);
            for (int i = 0; i < size; i++) {
                byte[] leaf = t.node(0, i);
                List<byte[]> proof = Merkle.inclusionProof(i, size, t);
                assertThat(Merkle.verifyInclusion(i, size, leaf, proof, root)).isTrue();
                assertThat(Merkle.verifyInclusion(i + 1, size, leaf, proof, root)).isFalse();
                if (i > 0) {
                    assertThat(Merkle.verifyInclusion(i - 1, size, leaf, proof, root)).isFalse();
                }
                // A tree too small to hold the leaf (the size itself is bound by the signed checkpoint).
                assertThat(Merkle.verifyInclusion(i, i, leaf, proof, root)).isFalse();
                assertThat(Merkle.verifyInclusion(i, size, flip(leaf, 0), proof, root)).isFalse();
                assertThat(Merkle.verifyInclusion(i, size, leaf, proof, flip(root, 31))).isFalse();
                for (int p = 0; p < proof.size(); p++) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    bad.set(p, flip(proof.get(p), p % 32));
                    assertThat(Merkle.verifyInclusion(i, size, leaf, bad, root)).isFalse();
                }
                if (!proof.isEmpty()) {
                    assertThat(Merkle.verifyInclusion(i, size, leaf, proof.subList(0, proof.size() - 1), root)).isFalse();
                }
                List<byte[]> extended = new ArrayList<>(proof);
                extended.add(root);
                assertThat(Merkle.verifyInclusion(i, size, leaf, extended, root)).isFalse();
            }
        }
    }

    @Test
    void everyMutatedConsistencyProof_isRejected() {
        MemoryTree t = synthetic(37);
        for (int second = 1; second <= 37; second++) {
            byte[] r2 = Merkle.root(second, t);
            for (int first = 1; first < second; first++) {
                byte[] r1 = Merkle.root(first, t);
                List<byte[]> proof = Merkle.consistencyProof(first, second, t);
                assertThat(Merkle.verifyConsistency(first, second, r1, r2, proof)).isTrue();
                assertThat(Merkle.verifyConsistency(first, second, flip(r1, 3), r2, proof)).isFalse();
                assertThat(Merkle.verifyConsistency(first, second, r1, flip(r2, 3), proof)).isFalse();
                assertThat(Merkle.verifyConsistency(first - 1, second, r1, r2, proof)).isFalse();
                assertThat(Merkle.verifyConsistency(second, first, r2, r1, proof)).isFalse();
                for (int p = 0; p < proof.size(); p++) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    bad.set(p, flip(proof.get(p), 7));
                    assertThat(Merkle.verifyConsistency(first, second, r1, r2, bad)).isFalse();
                }
                assertThat(Merkle.verifyConsistency(first, second, r1, r2, proof.subList(0, proof.size() - 1))).isFalse();
                List<byte[]> extended = new ArrayList<>(proof);
                extended.add(r2);
                assertThat(Merkle.verifyConsistency(first, second, r1, r2, extended)).isFalse();
            }
        }
    }

    @Test
    void badArguments_areRefused() {
        MemoryTree t = synthetic(5);
        assertThatThrownBy(() -> Merkle.inclusionProof(5, 5, t)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Merkle.consistencyProof(6, 5, t)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Merkle.verifyInclusion(0, 0, t.node(0, 0), List.of(), Merkle.emptyRoot())).isFalse();
    }

    @Property(tries = 40)
    void proofsVerify_forRandomTreesOfThousandsOfLeaves(@ForAll @IntRange(min = 1, max = 5000) int size,
                                                        @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        MemoryTree t = synthetic(size);
        byte[] root = Merkle.root(size, t);
        assertThat(root).isEqualTo(t.frontier.root());
        long index = Math.floorMod(seed, size);
        assertThat(Merkle.verifyInclusion(index, size, t.node(0, index), Merkle.inclusionProof(index, size, t), root))
                .isTrue();
        long first = 1 + Math.floorMod(seed * 31L, size);
        assertThat(Merkle.verifyConsistency(first, size, Merkle.root(first, t), root,
                Merkle.consistencyProof(first, size, t))).isTrue();
        Frontier reloaded = Frontier.of(size, t);
        assertThat(reloaded.root()).isEqualTo(root);
    }

    private static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit % copy.length] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }
}
