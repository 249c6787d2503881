package dev.oversight.review.domain;

import dev.oversight.common.failure.Failure;
import java.util.UUID;

/** The reviewer already judged this task, or the task this adjudication settles: the next judgement is another's. */
public final class AlreadyJudged extends Failure.Conflict {
    public AlreadyJudged(String reason) {
        super(reason);
    }

    static AlreadyJudged thisTask(UUID taskId) {
        return new AlreadyJudged("You already judged task " + taskId + "; it needs other reviewers");
    }

    static AlreadyJudged settledTask() {
        return new AlreadyJudged(
                "You judged the task this adjudication settles; another senior reviewer adjudicates it");
    }
}
