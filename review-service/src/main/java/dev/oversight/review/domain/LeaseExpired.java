package dev.oversight.review.domain;

import dev.oversight.common.failure.Failure;
import java.util.UUID;

/** The lease token is not the reviewer's current lease: it expired, was released, or a later claim replaced it. */
public final class LeaseExpired extends Failure.Conflict {
    public LeaseExpired(UUID taskId, long token) {
        super("leaseToken " + token + " is not your current lease on task " + taskId
                + " (it expired, was released, or another claim replaced it); claim the task again");
    }
}
