package dev.oversight.common.batch;

import dev.oversight.common.failure.Failure;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
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
 * <p>One item never fails its neighbours: when a batch fails for any reason but the database being unavailable, it
 * is split in halves and each half written again, down to the single item at fault, which alone gets an error (400
 * when the database refused its data, 500 otherwise). The writer must therefore be safe to call again with a subset
 * of a batch that failed (its transaction rolled back). When the database itself is unavailable every item gets a
 * {@link Failure.Unavailable} (a 503) with the detail the owner chose.
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
    private final String unavailableDetail;
    private final int maxBatch;
    private final BatchWriter<I, O> writer;
    private final BlockingQueue<Pending<I, O>> queue;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param unavailableDetail the Unavailable failure's detail when the database is unavailable or the queue is full: tell
     *                          the caller whether a retry is safe
     */
    public GroupCommit(String name, int threads, int maxBatch, int capacity, String unavailableDetail,
                       BatchWriter<I, O> writer) {
        this.name = name;
        this.unavailableDetail = unavailableDetail;
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

    /** Completes once the item's batch is written; fails with a {@link Failure} if it could not be. */
    public CompletableFuture<O> submit(I item) {
        CompletableFuture<O> done = new CompletableFuture<>();
        if (!running || !queue.offer(new Pending<>(item, done))) {
            done.completeExceptionally(new Failure.Unavailable("At capacity. " + unavailableDetail));
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
        while (running || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                writeIsolating(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Writes the batch; on a failure that is not the database's unavailability, each half again. */
    private void writeIsolating(List<Pending<I, O>> batch) {
        List<O> results;
        try {
            List<I> items = new ArrayList<>(batch.size());
            for (Pending<I, O> p : batch) {
                items.add(p.item());
            }
            results = writer.write(items);
        } catch (Exception e) {
            if (batch.size() > 1 && !(e instanceof Failure) && !databaseUnavailable(e)) {
                LOG.debugf("%s: a batch of %d failed (%s); writing its halves apart", name, batch.size(), e.getMessage());
                int half = batch.size() / 2;
                writeIsolating(new ArrayList<>(batch.subList(0, half)));
                writeIsolating(new ArrayList<>(batch.subList(half, batch.size())));
            } else {
                fail(batch, e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }

    private void fail(List<Pending<I, O>> batch, Exception cause) {
        Failure failure;
        if (cause instanceof Failure p) {
            failure = p;
        } else if (databaseUnavailable(cause) || sqlState(cause).startsWith("40")) {
            LOG.warnf("%s could not write %d items: %s", name, batch.size(), cause.getMessage());
            failure = new Failure.Unavailable("The database is unavailable; nothing was stored. " + unavailableDetail);
        } else if (refusedData(sqlState(cause))) {
            LOG.infof("%s: the database refused one item (SQLSTATE %s): %s", name, sqlState(cause), cause.getMessage());
            failure = new Failure.Unstorable("The database refused"
                    + " a value of this request (SQLSTATE " + sqlState(cause) + "); nothing was stored. Change the"
                    + " request; a retry of the same one fails the same way.");
        } else {
            LOG.errorf(cause, "%s could not write an item", name);
            failure = new Failure.Broken("server-error", "Server error",
                    "This request could not be stored; nothing was stored.");
        }
        if (failure.getCause() == null && failure != cause) {
            failure.initCause(cause);
        }
        batch.forEach(b -> b.done().completeExceptionally(failure));
    }

    /**
     * The database cannot be reached or will not take work now (connection failure, server shutting down, out of
     * resources, no pooled connection in time): splitting the batch would not help and the caller may retry.
     */
    static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // The server states every error it raises; a stateless one comes from the pool or the client side.
                String state = sql.getSQLState();
                if (state == null) {
                    return true;
                }
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Data exception (22), integrity constraint (23) or program limit (54, e.g. a row too large). */
    private static boolean refusedData(String sqlState) {
        return sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("54");
    }

    private static String sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }
}
