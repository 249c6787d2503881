package dev.oversight.review.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The service-level clock of a task: due after the policy's SLA; at the due time its priority goes up (level 1);
 * half an SLA later only senior reviewers get it (level 2); at the hard deadline, two SLAs after creation, the
 * policy's onReviewTimeout applies.
 */
public final class Sla {

    /** What is due for a task now. */
    public enum Step {
        NONE, RAISE_PRIORITY, TO_SENIORS, TIME_OUT
    }

    public static final int ESCALATED_PRIORITY_BONUS = 100;

    private Sla() {
    }

    public static Instant due(Instant created, Duration sla) {
        return created.plus(sla);
    }

    public static Instant hardDeadline(Instant created, Duration sla) {
        return created.plus(sla.multipliedBy(2));
    }

    public static Step next(Instant now, Instant due, Instant hardDeadline, int escalationLevel) {
        if (!now.isBefore(hardDeadline)) {
            return Step.TIME_OUT;
        }
        Duration half = Duration.between(due, hardDeadline).dividedBy(2);
        if (escalationLevel < 2 && !now.isBefore(due.plus(half))) {
            return Step.TO_SENIORS;
        }
        if (escalationLevel < 1 && !now.isBefore(due)) {
            return Step.RAISE_PRIORITY;
        }
        return Step.NONE;
    }
}
