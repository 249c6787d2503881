package dev.oversight.review.service;

import dev.oversight.review.domain.GivenVerdict;
import dev.oversight.review.domain.Sla;
import dev.oversight.review.domain.Task;
import dev.oversight.review.domain.TaskKind;
import dev.oversight.review.domain.TaskStatus;
import dev.oversight.review.repository.TaskRepository;
import dev.oversight.review.repository.VerdictRepository;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The SLA clock of open tasks ({@link Sla}): raise priority when due, senior reviewers only half an SLA later, and at
 * the hard deadline what {@link Task#onTimeout} says. Every instance may sweep (rows are locked with SKIP LOCKED).
 */
@ApplicationScoped
public class SlaSweeper {

    private static final Logger LOG = Logger.getLogger(SlaSweeper.class);
    public static final String SYSTEM_SLA = GivenVerdict.SYSTEM_PREFIX + "sla";
    /** Tasks the sweep locks and handles per transaction. */
    static final int BATCH = 200;

    private final TaskRepository tasks;
    private final VerdictRepository verdicts;
    private final Verdicts outcomes;
    private final ReviewOutbox outbox;
    private final ReviewTransactions transactions;
    private final Notifications notifications;

    public SlaSweeper(TaskRepository tasks, VerdictRepository verdicts, Verdicts outcomes, ReviewOutbox outbox,
                      ReviewTransactions transactions, Notifications notifications) {
        this.notifications = notifications;
        this.tasks = tasks;
        this.verdicts = verdicts;
        this.outcomes = outcomes;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    @Scheduled(every = "${review.sla-sweep:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            int changed = sweep(Instant.now());
            if (changed > 0) {
                LOG.infof("SLA sweep escalated or timed out %d tasks", changed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("SLA sweep failed: %s", e.getMessage());
        }
    }

    /**
     * Applies every SLA step due at {@code now}, in batches (one transaction each) until no task has one left, so
     * tasks already held can never crowd out the ones still due. Returns how many tasks changed.
     */
    @WithSpan
    public int sweep(Instant now) {
        int total = 0;
        while (true) {
            int[] batch = transactions.inTransaction(c -> sweepBatch(c, now));
            total += batch[1];
            if (batch[0] < BATCH || batch[1] == 0) {
                return total;
            }
        }
    }

    /** One batch of the sweep: [tasks locked, tasks changed]. */
    private int[] sweepBatch(Connection c, Instant now) throws SQLException {
        int changed = 0;
        List<Task> due = tasks.lockOverdue(c, now, BATCH);
        for (Task t : due) {
            switch (t.slaStep(now)) {
                case RAISE_PRIORITY -> {
                    tasks.escalate(c, t.id(), 1, Sla.ESCALATED_PRIORITY_BONUS, false);
                    escalated(c, t, 1);
                    notifications.slaStep(c, t, "passed its SLA: its priority went up", now);
                }
                case TO_SENIORS -> {
                    tasks.escalate(c, t.id(), 2, t.escalationLevel() < 1 ? Sla.ESCALATED_PRIORITY_BONUS : 0, true);
                    escalated(c, t, 2);
                    notifications.slaStep(c, t, "is half an SLA late: only senior reviewers get it now", now);
                }
                case TIME_OUT -> {
                    timeOut(c, t, now);
                    notifications.slaStep(c, t, "reached its hard deadline (onReviewTimeout "
                            + t.onReviewTimeout() + ")", now);
                }
                case NONE -> {
                    continue;
                }
            }
            changed++;
        }
        return new int[] {due.size(), changed};
    }

    private void timeOut(Connection c, Task t, Instant now) throws SQLException {
        boolean human = verdicts.ofDecision(c, t.decisionId(), t.judgementId()).stream().anyMatch(GivenVerdict::byHuman);
        Task.Timeout timeout = t.onTimeout(human);
        if (timeout instanceof Task.Timeout.Decide decide) {
            verdicts.insert(c, new GivenVerdict(t.id(), SYSTEM_SLA, decide.verdict(), null,
                    "Review deadline passed; policy onReviewTimeout=" + t.onReviewTimeout()
                            + " (not a human judgement)", null, null, null, now));
            Task decided = t;
            if (t.kind() == TaskKind.ADJUDICATION) {
                tasks.finish(c, t.id(), TaskStatus.EXPIRED, decide.verdict(), null, now);
                decided = tasks.find(c, t.parentTaskId(), true).orElseThrow();
            }
            outcomes.finalize(c, decided, decide.verdict(), null, SYSTEM_SLA, true, now);
            return;
        }
        tasks.escalate(c, t.id(), Task.HELD, 0, true);
        outbox.event(c, "TASK_TIMED_OUT", t, SYSTEM_SLA, outbox.payload(t)
                .put("onReviewTimeout", t.onReviewTimeout().name()).put("held", true).put("humanVerdictGiven", human));
    }

    private void escalated(Connection c, Task t, int level) throws SQLException {
        outbox.event(c, "TASK_ESCALATED", t, SYSTEM_SLA, outbox.payload(t).put("level", level)
                .put("seniorOnly", level >= 2));
    }
}
