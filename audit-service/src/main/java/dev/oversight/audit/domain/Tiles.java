package dev.oversight.audit.domain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log in the C2SP tlog-tiles layout (https://c2sp.org/tlog-tiles): the same RFC 6962 tree, served as static,
 * cacheable resources any tiles client can read to compute proofs or mirror the log.
 *
 * <p>A tile at level {@code L}, index {@code N} holds up to 256 consecutive hashes of tree level {@code 8L}, those
 * of nodes {@code N*256 .. N*256+W-1}: leaf hashes at level 0, at level 1 the roots of full level-0 tiles, and so on.
 * An entry bundle holds the entries whose leaf hashes make up the level-0 tile of the same index, each as a big-endian
 * uint16 length and its bytes (here: an event's canonical JSON in UTF-8), so no entry may exceed
 * {@link #MAX_ENTRY_BYTES}. A tile is partial ({@code .p/W}) when it holds fewer than 256 hashes; its content never
 * changes either, because the log only grows.
 */
public final class Tiles {

    /** Hashes in a full tile. */
    public static final int WIDTH = 256;
    /** Tree levels a tile spans. */
    public static final int HEIGHT = 8;
    /** The largest entry an entry bundle can hold (a uint16 length). */
    public static final int MAX_ENTRY_BYTES = 0xFFFF;

    // <L>/<N>[.p/<W>] or entries/<N>[.p/<W>]: no leading zeroes in L and W, N in 3-digit groups, all but the last "x".
    private static final Pattern PATH = Pattern.compile(
            "(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/){0,6})([0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

    private Tiles() {
    }

    /**
     * One tile or entry bundle. {@code level} is the tile level (0 for entry bundles), {@code width} 1 to 256.
     */
    public record Tile(boolean entries, int level, long index, int width) {

        public boolean full() {
            return width == WIDTH;
        }

        /** The tree level of the hashes it holds. */
        public int treeLevel() {
            return level * HEIGHT;
        }

        /** The first node (of {@link #treeLevel()}) it holds. */
        public long first() {
            return index * WIDTH;
        }

        /**
         * The smallest tree that has every hash of this tile: {@code (N*256 + W) * 256^L} entries
         * ({@link Long#MAX_VALUE} when that is beyond any tree).
         */
        public long minTreeSize() {
            try {
                long size = Math.addExact(Math.multiplyExact(index, WIDTH), width);
                for (int l = 0; l < level; l++) {
                    size = Math.multiplyExact(size, WIDTH);
                }
                return size;
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        /** Its path below {@code <prefix>/tile/}. */
        public String path() {
            return (entries ? "entries" : String.valueOf(level)) + "/" + encodeIndex(index)
                    + (full() ? "" : ".p/" + width);
        }
    }

    /**
     * The tile a path below {@code tile/} names, if it is one in the specification's only spelling (so that each tile
     * has one address a cache keys on).
     */
    public static Optional<Tile> parse(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        boolean entries = m.group(1).equals("entries");
        int level = entries ? 0 : Integer.parseInt(m.group(1));
        if (level > 63) {
            return Optional.empty();
        }
        String groups = m.group(2);
        if (groups.startsWith("x000/")) {
            return Optional.empty();
        }
        String digits = groups.replace("x", "").replace("/", "") + m.group(3);
        long index;
        try {
            index = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        int width = m.group(4) == null ? WIDTH : Integer.parseInt(m.group(4));
        if (m.group(4) != null && width >= WIDTH) {
            return Optional.empty();
        }
        return Optional.of(new Tile(entries, level, index, width));
    }

    /** A tile index as zero-padded 3-digit path elements, all but the last prefixed "x": 1234067 is x001/x234/067. */
    public static String encodeIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("a tile index is never negative: " + index);
        }
        StringBuilder out = new StringBuilder(String.format("%03d", index % 1000));
        for (long rest = index / 1000; rest > 0; rest /= 1000) {
            out.insert(0, String.format("x%03d/", rest % 1000));
        }
        return out.toString();
    }

    /** An entry bundle of these texts (UTF-8), each behind its big-endian uint16 length. */
    public static byte[] bundle(List<String> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 512);
        for (String entry : entries) {
            byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > MAX_ENTRY_BYTES) {
                throw new IllegalArgumentException("an entry of " + bytes.length + " bytes does not fit an entry"
                        + " bundle (at most " + MAX_ENTRY_BYTES + ")");
            }
            out.write(bytes.length >>> 8);
            out.write(bytes.length & 0xFF);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }
}
