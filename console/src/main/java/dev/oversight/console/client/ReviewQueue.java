package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** A reviewer's queue: whether they are paused (and why), and the open work of each use case. */
@TemplateData
public record ReviewQueue(String reviewer, boolean paused, String pausedWhy, List<UseCaseQueue> items) {

    public ReviewQueue {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * One use case's open work; {@code claimable} counts what this reviewer could claim now (what they are qualified
     * for), {@code assignedToYou} the tasks assigned to them, which their next claim takes first.
     */
    @TemplateData
    public record UseCaseQueue(String useCase, long open, long adjudications, long claimable, long overdue,
                               String nextDueAt, long assignedToYou) {
    }
}
