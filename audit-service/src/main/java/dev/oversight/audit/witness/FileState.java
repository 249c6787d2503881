package dev.oversight.audit.witness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A witness's state in one file, a line per log: {@code origin size base64(root)}. An update is checked and
 * written under one lock, to a temporary file that is forced to disk and then moved over the old one atomically, and
 * the directory is forced after the move (the rename itself is durable only then), so a crash leaves either the old
 * state or the new one, never a rollback.
 */
public final class FileState implements Witness.State {

    private final Path file;
    private final Map<String, Witness.Tree> trees = new LinkedHashMap<>();

    public FileState(Path file) {
        this.file = file;
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] p = line.split(" ");
                    trees.put(p[0], new Witness.Tree(Long.parseLong(p[1]), Base64.getDecoder().decode(p[2])));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<Witness.Tree> get(String origin) {
        return Optional.ofNullable(trees.get(origin));
    }

    @Override
    public synchronized boolean compareAndSet(String origin, Optional<Witness.Tree> expected, Witness.Tree next) {
        Witness.Tree now = trees.get(origin);
        boolean same = expected.isEmpty() ? now == null
                : now != null && now.size() == expected.get().size() && Arrays.equals(now.root(), expected.get().root());
        if (!same) {
            return false;
        }
        Map<String, Witness.Tree> updated = new LinkedHashMap<>(trees);
        updated.put(origin, next);
        write(updated);
        trees.put(origin, next);
        return true;
    }

    private void write(Map<String, Witness.Tree> all) {
        StringBuilder s = new StringBuilder();
        all.forEach((o, t) -> s.append(o).append(' ').append(t.size()).append(' ')
                .append(Base64.getEncoder().encodeToString(t.root())).append('\n'));
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".witness-state", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("the witness state could not be written; nothing was cosigned", e);
        }
    }

    /** Forces a directory's entries (a rename, a new file) to disk. */
    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
