package dev.oversight.routing.service;

import dev.oversight.common.batch.GroupCommit;
import dev.oversight.routing.repository.DecisionRecord;
import dev.oversight.routing.repository.DecisionRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Decisions are committed in groups: a request's decision joins whatever other requests' decisions are waiting,
 * all are inserted with one JDBC batch in one transaction, and every request is answered after that commit. A
 * decision is therefore durable before its answer is sent, at one commit per batch instead of one per request.
 *
 * <p>Idempotency is settled inside the transaction: a record whose key is taken is answered with the stored
 * decision. Keyed records are inserted in key order, so two batches never wait on each other's keys in opposite
 * orders (no deadlock).
 */
@ApplicationScoped
public class DecisionWriter {

    /** A decision as stored: the one asked for, or the earlier one with the same idempotency key. */
    public record Stored(DecisionRecord record, boolean replayed) {
    }

    private final DecisionRepository repository;
    private final RoutingConfig.Writer config;
    private final MeterRegistry meters;
    private GroupCommit<DecisionRecord, Stored> commits;

    public DecisionWriter(DecisionRepository repository, RoutingConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.config = config.writer();
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        commits = new GroupCommit<>("decision-writer", config.threads(), config.maxBatch(), config.queueCapacity(),
                this::commit);
        meters.gauge("oversight_routing_writer_queue", commits, GroupCommit::backlog);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        commits.stop();
    }

    /** Completes once the decision is committed; fails with a 503 problem if it could not be. */
    public CompletableFuture<Stored> write(DecisionRecord record) {
        return commits.submit(record);
    }

    private List<Stored> commit(List<DecisionRecord> batch) throws SQLException {
        List<DecisionRecord> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing((DecisionRecord r) -> r.idempotencyKey() == null)
                .thenComparing(DecisionRecord::useCase)
                .thenComparing(DecisionRecord::owner)
                .thenComparing(r -> r.idempotencyKey() == null ? "" : r.idempotencyKey()));
        try (Connection c = repository.connection()) {
            c.setAutoCommit(false);
            try {
                boolean[] inserted = repository.insertAll(c, ordered);
                Map<DecisionRecord, Stored> byRecord = new IdentityHashMap<>();
                for (int i = 0; i < ordered.size(); i++) {
                    DecisionRecord r = ordered.get(i);
                    byRecord.put(r, inserted[i] ? new Stored(r, false) : new Stored(
                            repository.findByKey(c, r.useCase(), r.owner(), r.idempotencyKey()).orElseThrow(), true));
                }
                c.commit();
                return batch.stream().map(byRecord::get).toList();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
