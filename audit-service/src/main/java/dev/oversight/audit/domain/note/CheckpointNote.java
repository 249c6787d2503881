package dev.oversight.audit.domain.note;

import dev.oversight.audit.domain.Merkle;
import java.util.Base64;

/**
 * The note text of a C2SP tlog-checkpoint: origin, tree size (decimal, no leading zeroes) and base64 root hash, each
 * line ending in a newline (extension lines are accepted and ignored).
 */
public record CheckpointNote(String origin, long size, byte[] root) {

    public static CheckpointNote parse(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length < 4 || !lines[lines.length - 1].isEmpty() || lines[0].isEmpty()) {
            throw new IllegalArgumentException("a checkpoint is an origin, a size and a root hash");
        }
        long size;
        try {
            size = decimal(lines[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the tree size is a decimal without leading zeroes");
        }
        byte[] root = Base64.getDecoder().decode(lines[2]);
        if (root.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("the root hash is 32 bytes");
        }
        return new CheckpointNote(lines[0], size, root);
    }

    /** A non-negative decimal without leading zeroes (C2SP's sizes). */
    public static long decimal(String s) {
        if (s.isEmpty() || (s.length() > 1 && s.startsWith("0")) || !s.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }

    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }
}
