package dev.oversight.routing.decide.service;

import dev.oversight.routing.decide.repository.DecisionRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Long-polls on decisions: a waiter is released when its decision becomes final, or when its time is up. An outcome
 * applied by this instance releases waiters at once; one applied by another instance is seen by a check of all
 * waited-on decisions every {@link #RECHECK} (one query), so any instance can serve the wait. No request thread is
 * held while waiting.
 */
@ApplicationScoped
public class DecisionWaiters {

    static final Duration RECHECK = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(DecisionWaiters.class);

    private final DecisionRepository decisions;
    private final Map<UUID, Set<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    public DecisionWaiters(DecisionRepository decisions) {
        this.decisions = decisions;
    }

    void start(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "decision-waiters");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::recheck, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
        waiting.values().forEach(set -> set.forEach(f -> f.complete(null)));
    }

    /** Completes when the decision is final or after {@code timeout}, whichever is first. */
    public CompletableFuture<Void> await(UUID id, Duration timeout) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(mine);
        timer.schedule(() -> {
            mine.complete(null);
            waiting.computeIfPresent(id, (k, set) -> {
                set.remove(mine);
                return set.isEmpty() ? null : set;
            });
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        return mine;
    }

    /** How many requests wait on this decision now. */
    public int waitingOn(UUID id) {
        Set<CompletableFuture<Void>> set = waiting.get(id);
        return set == null ? 0 : set.size();
    }

    public void finished(UUID id) {
        Set<CompletableFuture<Void>> set = waiting.remove(id);
        if (set != null) {
            set.forEach(f -> f.complete(null));
        }
    }

    private void recheck() {
        if (waiting.isEmpty()) {
            return;
        }
        try {
            List<UUID> done = decisions.finalAmong(List.copyOf(waiting.keySet()));
            done.forEach(this::finished);
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("decision waiters not rechecked: %s", e.getMessage());
        }
    }
}
