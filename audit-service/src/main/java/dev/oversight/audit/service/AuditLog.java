package dev.oversight.audit.service;

import dev.oversight.common.jdbc.Transactions;
import dev.oversight.audit.domain.Frontier;
import dev.oversight.audit.domain.Merkle;
import dev.oversight.audit.repository.LogRepository;
import dev.oversight.audit.domain.NewEvent;
import dev.oversight.audit.domain.NodeCache;
import dev.oversight.common.batch.GroupCommit;
import dev.oversight.common.failure.Failure;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sequencer and the tree. Appends go through one group-commit thread per instance, and every batch holds a
 * PostgreSQL advisory lock for its transaction, so indexes are contiguous and the tree has one history however
 * many instances and clients append at once. Each batch: dedupe on eventId, insert, re-read the stored canonical
 * text and hash it (the tree commits to what was stored, not to what was meant), insert the completed nodes,
 * commit; only then are the appends acknowledged.
 */
@ApplicationScoped
public class AuditLog {

    /** Where an event landed; {@code duplicate} when its eventId was already in the log. */
    public record Appended(UUID eventId, long index, boolean duplicate) {
    }

    /** What the sequencer did with one event: appended, found identical, or found with another body. */
    private record Written(Appended appended, boolean conflict) {
    }

    private final LogRepository repository;
    private final AuditConfig.Sequencer config;
    private final MeterRegistry meters;
    private final AtomicLong appended;
    /** Committed nodes of the upper levels, so that proofs read only the lowest few from storage. */
    private final NodeCache cache;
    private GroupCommit<NewEvent, Written> commits;
    /** This instance's view of the tree's right edge; replaced only after a commit, reloaded when stale. */
    private volatile Frontier frontier;

    public AuditLog(LogRepository repository, AuditConfig config, MeterRegistry meters) {
        this.repository = repository;
        this.config = config.sequencer();
        this.meters = meters;
        this.appended = meters.gauge("oversight_audit_log_size", new AtomicLong());
        this.cache = new NodeCache(config.treeCache().minLevel(), config.treeCache().maxNodes());
        meters.gauge("oversight_audit_tree_cache_nodes", cache, NodeCache::size);
    }

    void start(@Observes StartupEvent event) {
        commits = new GroupCommit<>("audit-sequencer", 1, config.maxBatch(), config.queueCapacity(),
                "Retrying is safe: appends are idempotent on eventId.", this::writeBatch);
        meters.gauge("oversight_audit_sequencer_queue", commits, GroupCommit::backlog);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        commits.stop();
    }

    /**
     * Completes when every event is durably in the log. An event whose eventId is in the log with a different
     * canonical body is a conflict (409 naming it); the request's other events are appended all the same.
     */
    public CompletableFuture<List<Appended>> append(List<NewEvent> events) {
        List<CompletableFuture<Written>> futures = events.stream().map(commits::submit).toList();
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<Written> written = futures.stream().map(CompletableFuture::join).toList();
            List<String> conflicts = written.stream().filter(Written::conflict)
                    .map(w -> w.appended().eventId() + " (index " + w.appended().index() + ")").toList();
            if (!conflicts.isEmpty()) {
                throw new Failure.Conflict("eventId already in the log with a different body: "
                        + String.join(", ", conflicts) + ". An event is immutable: send a new eventId for new"
                        + " content. The request's other events were appended.");
            }
            return written.stream().map(Written::appended).toList();
        });
    }

    /** A committed batch: what happened to each event, and the tree's right edge after it. */
    private record Committed(List<Written> results, Frontier frontier, List<Frontier.Node> nodes) {
    }

    private List<Written> writeBatch(List<NewEvent> batch) throws SQLException {
        try {
            Committed done = Transactions.inTransaction(repository::connection, c -> {
                repository.lockSequencer(c);
                long size = repository.size(c);
                Frontier current = frontier;
                Frontier f = current != null && current.size() == size ? current.copy() : loadFrontier(c, size);

                Map<UUID, LogRepository.Known> known = new HashMap<>(
                        repository.knownEvents(c, batch.stream().map(NewEvent::eventId).toList()));
                List<NewEvent> fresh = new ArrayList<>();
                List<Frontier.Node> nodes = new ArrayList<>(batch.size() * 2);
                List<byte[]> leaves = new ArrayList<>();
                List<Written> results = new ArrayList<>(batch.size());
                for (NewEvent e : batch) {
                    byte[] leaf = Merkle.leafHash(e.canonical().getBytes(StandardCharsets.UTF_8));
                    LogRepository.Known existing = known.get(e.eventId());
                    if (existing != null) {
                        boolean same = java.security.MessageDigest.isEqual(existing.leafHash(), leaf);
                        results.add(new Written(new Appended(e.eventId(), existing.index(), true), !same));
                        continue;
                    }
                    long index = size + fresh.size();
                    known.put(e.eventId(), new LogRepository.Known(index, leaf));
                    fresh.add(e);
                    leaves.add(leaf);
                    results.add(new Written(new Appended(e.eventId(), index, false), false));
                }
                if (!fresh.isEmpty()) {
                    repository.insertEvents(c, size, fresh, leaves);
                    List<String> stored = repository.canonicals(c, size, size + fresh.size());
                    for (int i = 0; i < stored.size(); i++) {
                        byte[] leaf = Merkle.leafHash(stored.get(i).getBytes(StandardCharsets.UTF_8));
                        if (!java.util.Arrays.equals(leaf, leaves.get(i))) {
                            throw new IllegalStateException("Event " + (size + i) + " was stored with other bytes");
                        }
                        nodes.addAll(f.append(leaf));
                    }
                    repository.insertNodes(c, nodes);
                }
                return new Committed(results, f, nodes);
            });
            // Only a committed tree becomes this instance's view of the log, and only its nodes are kept in memory.
            frontier = done.frontier();
            done.nodes().forEach(n -> cache.put(n.level(), n.index(), n.hash()));
            appended.set(done.frontier().size());
            return done.results();
        } catch (SQLException | RuntimeException e) {
            frontier = null;
            throw e;
        }
    }

    /** The tree's right edge at {@code size}, read from the stored nodes (to be checked against a signed root). */
    public Frontier frontierAt(long size) {
        try (Connection c = repository.connection()) {
            return loadFrontier(c, size);
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    private Frontier loadFrontier(Connection c, long size) throws SQLException {
        Map<String, byte[]> nodes = repository.nodes(c, Frontier.coordinates(size));
        return Frontier.of(size, (level, index) -> require(nodes, level, index));
    }

    /** The current number of events. */
    public long size() {
        try {
            long size = repository.size();
            appended.accumulateAndGet(size, Math::max);
            return size;
        } catch (SQLException e) {
            throw new Failure.Unavailable("The log cannot be read right now; retry.");
        }
    }

    /**
     * The log's size if it is below {@code treeSize}, else at least {@code treeSize}. The log only grows, so a
     * size this instance has already seen answers without a query (proofs are asked of existing tree sizes).
     */
    public long sizeAtLeast(long treeSize) {
        long known = appended.get();
        return known >= treeSize ? known : size();
    }

    public byte[] root(long size) {
        return withNodes(nodes -> Merkle.root(size, nodes));
    }

    public List<byte[]> inclusionProof(long index, long size) {
        return withNodes(nodes -> Merkle.inclusionProof(index, size, nodes));
    }

    /** An inclusion proof and the root it leads to, from one read of the nodes both need. */
    public record ProofWithRoot(List<byte[]> proof, byte[] root) {
    }

    public ProofWithRoot inclusionProofWithRoot(long index, long size) {
        return withNodes(nodes -> new ProofWithRoot(Merkle.inclusionProof(index, size, nodes), Merkle.root(size, nodes)));
    }

    public List<byte[]> consistencyProof(long first, long second) {
        return withNodes(nodes -> Merkle.consistencyProof(first, second, nodes));
    }

    /**
     * Runs a tree computation with every node it needs that memory does not hold fetched in one query: a first pass
     * against a recording source learns which nodes (the recursion depends only on indexes), a second pass computes.
     * Nodes read from storage are kept in memory when their level is (see {@link NodeCache}).
     */
    private <T> T withNodes(java.util.function.Function<Merkle.NodeSource, T> computation) {
        // What memory holds is copied here in the first pass, so a node the cache drops meanwhile is not missed.
        Map<String, byte[]> nodes = new HashMap<>();
        List<long[]> wanted = new ArrayList<>();
        byte[] placeholder = new byte[Merkle.HASH_SIZE];
        computation.apply((level, index) -> {
            byte[] kept = cache.get(level, index);
            if (kept != null) {
                nodes.put(level + "/" + index, kept);
            } else {
                wanted.add(new long[] {level, index});
            }
            return placeholder;
        });
        if (!wanted.isEmpty()) {
            try (Connection c = repository.connection()) {
                nodes.putAll(repository.nodes(c, wanted));
            } catch (SQLException e) {
                throw new Failure.Unavailable("The log cannot be read right now; retry.");
            }
            for (long[] w : wanted) {
                byte[] h = nodes.get(w[0] + "/" + w[1]);
                if (h != null) {
                    cache.put((int) w[0], w[1], h);
                }
            }
        }
        return computation.apply((level, index) -> require(nodes, level, index));
    }

    private static byte[] require(Map<String, byte[]> nodes, int level, long index) {
        byte[] h = nodes.get(level + "/" + index);
        if (h == null) {
            throw new IllegalStateException("Tree node " + level + "/" + index + " is missing from storage");
        }
        return h;
    }
}
