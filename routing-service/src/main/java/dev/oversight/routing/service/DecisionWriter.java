package dev.oversight.routing.service;

import dev.oversight.common.problem.ProblemException;
import dev.oversight.routing.repository.DecisionRecord;
import dev.oversight.routing.repository.DecisionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit for decisions. Requests hand their decision to a queue; a few writer threads each take everything
 * waiting (up to {@code routing.writer.max-batch}), insert it with one JDBC batch and commit once, and only then
 * complete the requests. A decision is therefore durable before its answer is sent, at one commit per batch
 * instead of one per request.
 *
 * <p>Idempotency is settled inside the transaction: a record whose key is taken is answered with the stored
 * decision. Keyed records are inserted in key order, so two batches never wait on each other's keys in opposite
 * orders (no deadlock).
 */
@ApplicationScoped
public class DecisionWriter {

    private static final Logger LOG = Logger.getLogger(DecisionWriter.class);
    private static final Comparator<Pending> KEY_ORDER = Comparator
            .comparing((Pending p) -> p.record().idempotencyKey() == null)
            .thenComparing(p -> p.record().useCase())
            .thenComparing(p -> p.record().idempotencyKey() == null ? "" : p.record().idempotencyKey());

    /** A decision as stored: the one asked for, or the earlier one with the same idempotency key. */
    public record Stored(DecisionRecord record, boolean replayed) {
    }

    private record Pending(DecisionRecord record, CompletableFuture<Stored> done) {
    }

    private final DecisionRepository repository;
    private final RoutingConfig.Writer config;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DecisionWriter(DecisionRepository repository, RoutingConfig config) {
        this.repository = repository;
        this.config = config.writer();
        this.queue = new ArrayBlockingQueue<>(this.config.queueCapacity());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Thread t = new Thread(this::run, "decision-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Finishes what was queued before the datasource closes: nothing acknowledged-to-be is dropped. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    /** Completes once the decision is committed; fails with a 503 problem if it could not be. */
    public CompletableFuture<Stored> write(DecisionRecord record) {
        CompletableFuture<Stored> done = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending(record, done))) {
            done.completeExceptionally(ProblemException.unavailable(
                    "The router is at capacity; retry with the same idempotencyKey."));
        }
        return done;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.maxBatch() - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("Decision writer failed a batch", e);
                fail(batch, e);
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> batch) {
        batch.sort(KEY_ORDER);
        List<Stored> results = new ArrayList<>(batch.size());
        try (Connection c = repository.connection()) {
            c.setAutoCommit(false);
            try {
                boolean[] inserted = repository.insertAll(c, batch.stream().map(Pending::record).toList());
                for (int i = 0; i < batch.size(); i++) {
                    DecisionRecord r = batch.get(i).record();
                    results.add(inserted[i] ? new Stored(r, false) : new Stored(
                            repository.findByKey(c, r.useCase(), r.idempotencyKey()).orElseThrow(), true));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            LOG.warnf("Could not commit %d decisions: %s", batch.size(), e.getMessage());
            fail(batch, e);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }

    private static void fail(List<Pending> batch, Exception cause) {
        ProblemException problem = ProblemException.unavailable(
                "The decision could not be stored; retry with the same idempotencyKey.");
        problem.initCause(cause);
        for (Pending p : batch) {
            p.done().completeExceptionally(problem);
        }
    }
}
