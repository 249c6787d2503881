package dev.oversight.audit.domain;

import java.util.HexFormat;

/**
 * Why a proof or a checkpoint does not hold, in one vocabulary for every verifier (the Merkle proofs, the offline
 * verifier, the witness and the service's own verification), so that each reports the same cause the same way.
 */
public sealed interface ProofFailure {

    /** One sentence for people: what does not hold, with the sizes and indexes that say where. */
    String message();

    /** The leaf index is not in the tree: {@code 0 <= index < size} does not hold. */
    record IndexOutOfRange(long index, long size) implements ProofFailure {
        public String message() {
            return "index " + index + " is not in a tree of size " + size;
        }
    }

    /** The sizes cannot be proved consistent: {@code 0 <= first <= second} does not hold. */
    record SizesOutOfOrder(long first, long second) implements ProofFailure {
        public String message() {
            return "size " + first + " is not between 0 and size " + second;
        }
    }

    /** The proof has another number of hashes than the sizes (and index) call for. */
    record WrongProofLength(int expected, int actual) implements ProofFailure {
        public String message() {
            return "the proof has " + actual + " hashes where " + expected + " are needed";
        }
    }

    /** A hash of the proof, a leaf or a root is not a SHA-256 hash ({@code what} says which). */
    record NotAHash(String what) implements ProofFailure {
        public String message() {
            return what + " is not a 32-byte hash";
        }
    }

    /** The proof (or the events) lead to another root than the one the tree of this size has. */
    record RootMismatch(long size) implements ProofFailure {
        public String message() {
            return "the hashes do not lead to the root of the tree of size " + size;
        }
    }

    /** A signature does not verify with the trusted key ({@code what} says whose signature on what). */
    record BadSignature(String what) implements ProofFailure {
        public String message() {
            return what + " does not verify";
        }
    }

    /** The log signed two different roots for one size: it showed different histories to different parties. */
    record SplitView(long size, byte[] oneRoot, byte[] otherRoot) implements ProofFailure {
        public String message() {
            return "split view: the log signed two checkpoints of size " + size + " with different roots ("
                    + HexFormat.of().formatHex(oneRoot) + ", " + HexFormat.of().formatHex(otherRoot)
                    + "); it showed different histories to different parties";
        }
    }
}
