package dev.oversight.audit.service;

import dev.oversight.audit.domain.StoredCheckpoint;
import dev.oversight.audit.domain.StoredEvent;
import dev.oversight.audit.domain.note.Receipt;
import dev.oversight.audit.domain.note.SignedNote;
import dev.oversight.common.failure.Failure;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Receipts: an event's C2SP tlog-proof against the newest signed checkpoint, with that checkpoint's witness
 * cosignatures so far. Nothing is signed on request: an event newer than the newest checkpoint gets its receipt once
 * the next checkpoint is signed (every {@code audit.checkpoint-interval}).
 */
@ApplicationScoped
public class Receipts {

    private final EventQueries events;
    private final CheckpointService checkpoints;
    private final AuditLog log;

    public Receipts(EventQueries events, CheckpointService checkpoints, AuditLog log) {
        this.events = events;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    public Receipt of(long index) {
        StoredEvent event = events.event(index)
                .orElseThrow(() -> new Failure.NotFound("The log has no event at index " + index));
        StoredCheckpoint cp = checkpoints.latest().filter(c -> c.treeSize() > index).orElseThrow(() ->
                new Failure.Conflict("Event " + index + " is not in a signed checkpoint yet; checkpoints are signed"
                        + " every few seconds: retry shortly."));
        SignedNote note = checkpoints.note(cp).orElseThrow(() -> new Failure.Conflict("The newest checkpoint was"
                + " signed before notes were stored; retry after the next one."));
        return new Receipt(event.canonical().getBytes(StandardCharsets.UTF_8), index,
                log.inclusionProof(index, cp.treeSize()), note.format());
    }
}
