package dev.oversight.review.domain;

import dev.oversight.common.failure.Failure;
import java.util.UUID;

/** A claim or a verdict on a task that is no longer open (decided, or expired by its policy). */
public final class TaskNotOpen extends Failure.Conflict {
    public TaskNotOpen(UUID taskId, TaskStatus status, String refused) {
        super("Task " + taskId + " is " + status + "; " + refused);
    }
}
