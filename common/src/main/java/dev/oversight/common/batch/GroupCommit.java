package dev.oversight.common.batch;

import dev.oversight.common.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Group commit: callers submit items and get a future; a few writer threads each take everything waiting (up to
 * {@code maxBatch}), hand it to the {@link BatchWriter} as one unit of work (one transaction), and complete the
 * futures only after it returns. Durability per item at the cost of one commit per batch.
 *
 * @param <I> what is submitted
 * @param <O> what each item's future completes with
 */
public final class GroupCommit<I, O> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /** Writes one batch atomically; returns one result per item, in the order given. */
    @FunctionalInterface
    public interface BatchWriter<I, O> {
        List<O> write(List<I> batch) throws Exception;
    }

    private record Pending<I, O>(I item, CompletableFuture<O> done) {
    }

    private final String name;
    private final int maxBatch;
    private final BatchWriter<I, O> writer;
    private final BlockingQueue<Pending<I, O>> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public GroupCommit(String name, int threads, int maxBatch, int capacity, BatchWriter<I, O> writer) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.writer = writer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        running = true;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::run, name + "-" + i);
            t.setDaemon(true);
            t.start();
            this.threads.add(t);
        }
    }

    /** Completes once the item's batch is written; fails with a 503 problem if it could not be. */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> done = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending<>(item, done))) {
            done.completeExceptionally(ProblemException.unavailable("At capacity; retry shortly."));
        }
        return done;
    }

    /** Writes what is queued, then stops the writers: nothing accepted is dropped on an orderly shutdown. */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(10_000);
        }
    }

    /** Items waiting for a writer: a gauge of how far commits lag behind submissions. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        List<I> items = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                for (Pending<I, O> p : batch) {
                    items.add(p.item());
                }
                List<O> results = writer.write(items);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(results.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                fail(batch, e);
            } finally {
                batch.clear();
                items.clear();
            }
        }
    }

    private void fail(List<Pending<I, O>> batch, Exception cause) {
        if (cause instanceof ProblemException p) {
            batch.forEach(b -> b.done().completeExceptionally(p));
            return;
        }
        LOG.warnf("%s could not write %d items: %s", name, batch.size(), cause.getMessage());
        ProblemException problem = ProblemException.unavailable("Could not be stored right now; retry (retries are safe).");
        problem.initCause(cause);
        batch.forEach(b -> b.done().completeExceptionally(problem));
    }
}
