package dev.oversight.audit.rest;

import java.util.HexFormat;
import java.util.List;

/** An inclusion proof; {@code rootHash} is the root it leads to (compare it with a signed checkpoint's). */
public record ProofView(long leafIndex, long treeSize, List<String> hashes, String rootHash) {

    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HexFormat.of()::formatHex).toList();
    }
}
