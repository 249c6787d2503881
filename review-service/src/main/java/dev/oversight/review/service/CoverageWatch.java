package dev.oversight.review.service;

import dev.oversight.review.repository.TaskRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.jboss.logging.Logger;

/**
 * Coverage of the open work by the people who may do it: per use case, how many open tasks require a skill, language
 * or qualification that no active, unpaused reviewer has on record today ({@code oversight_review_uncovered_tasks}).
 * Such a task would otherwise wait silently until its SLA breaks; the {@code ReviewerCoverageGap} alert fires on it.
 */
@ApplicationScoped
public class CoverageWatch {

    private static final Logger LOG = Logger.getLogger(CoverageWatch.class);

    private final TaskRepository tasks;
    private final ReviewTransactions transactions;
    private final MultiGauge gauge;
    private final Set<String> seen = new ConcurrentSkipListSet<>();
    private volatile Map<String, Long> last = Map.of();

    public CoverageWatch(TaskRepository tasks, ReviewTransactions transactions, MeterRegistry registry) {
        this.tasks = tasks;
        this.transactions = transactions;
        this.gauge = MultiGauge.builder("oversight.review.uncovered.tasks")
                .description("Open tasks no active qualified reviewer can take").register(registry);
    }

    @Scheduled(every = "${review.coverage-check:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.warnf("Reviewer coverage could not be checked: %s", e.getMessage());
        }
    }

    /** Counts the uncovered tasks now; a use case that had some reads 0 once they are covered. */
    public Map<String, Long> refresh() {
        Map<String, Long> now = new TreeMap<>(transactions.inTransaction(tasks::uncovered));
        seen.addAll(now.keySet());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String useCase : seen) {
            rows.add(MultiGauge.Row.of(Tags.of("use_case", useCase), now.getOrDefault(useCase, 0L)));
        }
        gauge.register(rows, true);
        last = Map.copyOf(now);
        return last;
    }

    public Map<String, Long> last() {
        return last;
    }
}
