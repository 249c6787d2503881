package dev.oversight.routing.decide.service;

import dev.oversight.common.batch.GroupCommit;
import dev.oversight.common.jdbc.Transactions;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.routing.config.service.RoutingConfig;
import dev.oversight.routing.decide.repository.DecisionRepository;
import dev.oversight.routing.domain.DecisionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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
 * Its outbox events (the audit record, the review task request) are inserted in the same transaction.
 *
 * <p>Idempotency is settled inside the transaction: a record whose key is taken is answered with the stored
 * decision. Keyed records are inserted in key order, so two batches never wait on each other's keys in opposite
 * orders (no deadlock).
 */
@ApplicationScoped
public class DecisionWriter {

    /** A new decision and the outbox events that go with it (written only if the decision is). */
    public record Write(DecisionRecord record, List<OutboxEvent> events) {
    }

    /** A decision as stored: the one asked for, or the earlier one with the same idempotency key. */
    public record Stored(DecisionRecord record, boolean replayed) {
    }

    private final DecisionRepository repository;
    private final RoutingConfig.Writer config;
    private final MeterRegistry meters;
    private GroupCommit<Write, Stored> commits;

    public DecisionWriter(DecisionRepository repository, RoutingConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.config = config.writer();
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        commits = new GroupCommit<>("decision-writer", config.threads(), config.maxBatch(), config.queueCapacity(),
                "Retrying is safe only with an idempotencyKey: without one, a decision whose commit succeeded unseen"
                        + " would be made a second time.", this::commit);
        meters.gauge("oversight_routing_writer_queue", commits, GroupCommit::backlog);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        commits.stop();
    }

    /** Completes once the decision is committed; fails with a 503 problem if it could not be. */
    public CompletableFuture<Stored> write(Write write) {
        return commits.submit(write);
    }

    private List<Stored> commit(List<Write> batch) throws SQLException {
        List<Write> ordered = new ArrayList<>(batch);
        ordered.sort(Comparator.comparing((Write w) -> w.record().idempotencyKey() == null)
                .thenComparing(w -> w.record().useCase())
                .thenComparing(w -> w.record().owner())
                .thenComparing(w -> w.record().idempotencyKey() == null ? "" : w.record().idempotencyKey()));
        return Transactions.inTransaction(repository::connection, c -> {
            boolean[] inserted = repository.insertAll(c, ordered.stream().map(Write::record).toList());
            Map<Write, Stored> byWrite = new IdentityHashMap<>();
            List<OutboxEvent> events = new ArrayList<>(ordered.size() * 2);
            for (int i = 0; i < ordered.size(); i++) {
                DecisionRecord r = ordered.get(i).record();
                if (inserted[i]) {
                    events.addAll(ordered.get(i).events());
                    byWrite.put(ordered.get(i), new Stored(r, false));
                } else {
                    byWrite.put(ordered.get(i), new Stored(
                            repository.findByKey(c, r.useCase(), r.owner(), r.idempotencyKey()).orElseThrow(), true));
                }
            }
            OutboxStore.insert(c, events);
            return batch.stream().map(byWrite::get).toList();
        });
    }
}
