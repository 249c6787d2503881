package dev.oversight.audit.service;

import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.Tiles;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Reads tiles and entry bundles (C2SP tlog-tiles) out of the stored tree. Only what the newest signed checkpoint
 * covers is served: a client checks tiles against a checkpoint, and everything below one never changes.
 */
@ApplicationScoped
public class TileReader {

    private final LogRepository repository;
    private final CheckpointService checkpoints;

    public TileReader(LogRepository repository, CheckpointService checkpoints) {
        this.repository = repository;
        this.checkpoints = checkpoints;
    }

    public byte[] read(Tiles.Tile tile) {
        long published = checkpoints.latest().map(StoredCheckpoint::treeSize).orElse(0L);
        if (tile.minTreeSize() > published) {
            throw new Failure.NotFound("No tile " + tile.path() + " yet: the newest checkpoint covers " + published
                    + " events");
        }
        try (Connection c = repository.connection()) {
            if (tile.entries()) {
                List<String> texts = repository.canonicals(c, tile.first(), tile.first() + tile.width());
                requireWhole(tile, texts.size());
                return Tiles.bundle(texts);
            }
            List<byte[]> hashes = repository.nodeRange(c, tile.treeLevel(), tile.first(), tile.first() + tile.width());
            requireWhole(tile, hashes.size());
            ByteArrayOutputStream out = new ByteArrayOutputStream(hashes.size() * 32);
            hashes.forEach(out::writeBytes);
            return out.toByteArray();
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    private static void requireWhole(Tiles.Tile tile, int found) {
        if (found != tile.width()) {
            throw new IllegalStateException("Tile " + tile.path() + " has " + found + " of its " + tile.width()
                    + " stored rows below a signed checkpoint");
        }
    }
}
