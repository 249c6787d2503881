package dev.oversight.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a proof fails is named the same way, whichever proof and whichever size. */
class ProofVerifierTest {

    private final MerkleTest.MemoryTree t = MerkleTest.synthetic(70);

    @Test
    void theLengthsCalledFor_areThoseOfTheProofsTheLogServes() {
        for (int size = 1; size <= 70; size++) {
            for (int i = 0; i < size; i++) {
                assertThat(ProofVerifier.inclusionLength(i, size)).as("inclusion %d of %d", i, size)
                        .isEqualTo(Merkle.inclusionProof(i, size, t).size());
            }
            for (int first = 1; first < size; first++) {
                assertThat(ProofVerifier.consistencyLength(first, size)).as("consistency %d to %d", first, size)
                        .isEqualTo(Merkle.consistencyProof(first, size, t).size());
            }
        }
    }

    @Test
    void inclusion_namesTheCause() {
        for (int size = 1; size <= 40; size++) {
            byte[] root = Merkle.root(size, t);
            for (int i = 0; i < size; i++) {
                byte[] leaf = t.node(0, i);
                List<byte[]> proof = Merkle.inclusionProof(i, size, t);
                assertThat(ProofVerifier.checkInclusion(i, size, leaf, proof, root)).isEmpty();
                assertThat(ProofVerifier.checkInclusion(i, i, leaf, proof, root))
                        .contains(new ProofFailure.IndexOutOfRange(i, i));
                assertThat(ProofVerifier.checkInclusion(i, size, leaf, proof, flip(root)))
                        .contains(new ProofFailure.RootMismatch(size));
                List<byte[]> longer = new ArrayList<>(proof);
                longer.add(root);
                assertThat(ProofVerifier.checkInclusion(i, size, leaf, longer, root))
                        .contains(new ProofFailure.WrongProofLength(proof.size(), proof.size() + 1));
                if (!proof.isEmpty()) {
                    assertThat(ProofVerifier.checkInclusion(i, size, leaf, proof.subList(1, proof.size()), root))
                            .contains(new ProofFailure.WrongProofLength(proof.size(), proof.size() - 1));
                    List<byte[]> shortHash = new ArrayList<>(proof);
                    shortHash.set(0, new byte[31]);
                    assertThat(ProofVerifier.checkInclusion(i, size, leaf, shortHash, root))
                            .contains(new ProofFailure.NotAHash("proof hash 0"));
                }
            }
        }
    }

    @Test
    void consistency_namesTheCause_andWhichRootDoesNotMatch() {
        for (int second = 2; second <= 40; second++) {
            byte[] r2 = Merkle.root(second, t);
            for (int first = 1; first < second; first++) {
                byte[] r1 = Merkle.root(first, t);
                List<byte[]> proof = Merkle.consistencyProof(first, second, t);
                assertThat(ProofVerifier.checkConsistency(first, second, r1, r2, proof)).isEmpty();
                // A perfect first tree is the proof's seed: a wrong one leads away from the second root instead.
                long missed = Long.bitCount(first) == 1 ? second : first;
                assertThat(ProofVerifier.checkConsistency(first, second, flip(r1), r2, proof))
                        .contains(new ProofFailure.RootMismatch(missed));
                assertThat(ProofVerifier.checkConsistency(first, second, r1, flip(r2), proof))
                        .contains(new ProofFailure.RootMismatch(second));
                assertThat(ProofVerifier.checkConsistency(second, first, r2, r1, proof))
                        .contains(new ProofFailure.SizesOutOfOrder(second, first));
                assertThat(ProofVerifier.checkConsistency(first, second, r1, r2, proof.subList(1, proof.size())))
                        .contains(new ProofFailure.WrongProofLength(proof.size(), proof.size() - 1));
            }
        }
        byte[] r = Merkle.root(5, t);
        assertThat(ProofVerifier.checkConsistency(5, 5, r, r, List.of(r)))
                .contains(new ProofFailure.WrongProofLength(0, 1));
        assertThat(ProofVerifier.checkConsistency(0, 5, r, r, List.of())).contains(new ProofFailure.RootMismatch(0));
    }

    private static byte[] flip(byte[] hash) {
        byte[] copy = hash.clone();
        copy[7] ^= 1;
        return copy;
    }
}
