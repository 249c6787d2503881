package dev.oversight.review.domain;

import java.time.Instant;
import java.util.List;

/**
 * The queue as one reviewer sees it: per use case, the open review work, how much of it this reviewer may take now,
 * how much is past its SLA, and the earliest due time; and whether the reviewer is paused, and why.
 */
public record QueueSummary(String reviewer, boolean paused, String pausedWhy, List<UseCaseQueue> items) {

    /**
     * One use case's open work; {@code claimable} counts the tasks this reviewer could claim at this moment (what
     * they are qualified for, not assigned to another), {@code assignedToYou} those assigned to them (claimed first).
     */
    public record UseCaseQueue(String useCase, long open, long adjudications, long claimable, long overdue,
                               Instant nextDueAt, long assignedToYou) {
    }
}
