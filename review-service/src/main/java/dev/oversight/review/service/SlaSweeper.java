package dev.oversight.review.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Runs the SLA sweep on a schedule; every instance may run it (rows are locked with SKIP LOCKED). */
@ApplicationScoped
public class SlaSweeper {

    private static final Logger LOG = Logger.getLogger(SlaSweeper.class);

    private final ReviewService review;

    public SlaSweeper(ReviewService review) {
        this.review = review;
    }

    @Scheduled(every = "${review.sla-sweep:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int changed = review.sweepSla(Instant.now());
            if (changed > 0) {
                LOG.infof("SLA sweep escalated or timed out %d tasks", changed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("SLA sweep failed: %s", e.getMessage());
        }
    }
}
