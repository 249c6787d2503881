package dev.oversight.review.service;

import dev.oversight.review.domain.AssignmentStrategy;
import dev.oversight.review.domain.Task;
import dev.oversight.review.repository.TaskRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Push assignment. A task of a use case whose policy pushes work is offered to one qualified reviewer at a time:
 * ROUND_ROBIN to whoever was offered work longest ago, LEAST_LOADED to whoever holds the fewest open tasks and
 * offers; only described, active, unpaused reviewers qualified for it today, below their limit of open tasks and who
 * have not judged it, are offered anything. An offer not started within the task's offerSeconds, or used up by a
 * verdict while the task needs more reviewers, moves to the next one (the same one again when nobody else can take
 * it). Adjudications stay pulled by seniors. Nobody to offer it to: the task stays open to anyone qualified who pulls.
 */
@ApplicationScoped
public class Offers {

    private static final Logger LOG = Logger.getLogger(Offers.class);
    static final int BATCH = 200;

    private final TaskRepository tasks;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final Notifications notifications;

    public Offers(TaskRepository tasks, ReviewOutbox outbox, ReviewTransactions transactions,
                  Notifications notifications) {
        this.notifications = notifications;
        this.tasks = tasks;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    @Scheduled(every = "${review.offer-sweep:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int moved = sweep(Instant.now());
            if (moved > 0) {
                LOG.infof("Offered %d tasks to reviewers", moved);
            }
        } catch (RuntimeException e) {
            LOG.warnf("The offer sweep failed: %s", e.getMessage());
        }
    }

    /** Offers every pushed task that has no live offer at {@code now}; answers how many were offered. */
    public int sweep(Instant now) {
        return transactions.inTransaction(c -> {
            int offered = 0;
            for (Task task : tasks.lockUnoffered(c, now, BATCH)) {
                if (offer(c, task, now)) {
                    offered++;
                }
            }
            return offered;
        });
    }

    /**
     * Offers the task to the next reviewer its strategy picks, other than the one it is offered to now when anyone
     * else can take it; answers whether it was offered. Runs in the caller's transaction, with the task locked or new.
     */
    boolean offer(Connection c, Task task, Instant now) throws SQLException {
        UUID taskId = task.id();
        String previous = task.assignedTo();
        if (task.assignment() == AssignmentStrategy.PULL || task.seniorOnly()) {
            return false;
        }
        Optional<String> next = tasks.nextReviewer(c, taskId, task.assignment(), previous);
        if (next.isEmpty() && previous != null) {
            next = tasks.nextReviewer(c, taskId, task.assignment(), null);
        }
        if (next.isEmpty()) {
            if (task.assignedTo() != null) {
                tasks.assign(c, taskId, null, now);
            }
            return false;
        }
        Instant expires = now.plusSeconds(task.offerSeconds());
        tasks.offer(c, taskId, next.get(), now, expires);
        notifications.taskFor(c, task, next.get(), true, now);
        outbox.event(c, "TASK_OFFERED", task, "system:assignment", outbox.payload(task).put("reviewer", next.get())
                .put("strategy", task.assignment().name()).put("offerExpiresAt", expires.toString())
                .put("previous", previous));
        return true;
    }
}
