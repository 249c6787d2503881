package dev.oversight.review.domain;

import dev.oversight.common.agents.ProcessJudgement;
import java.time.Instant;
import java.util.UUID;

/**
 * A verdict as given; JSON values as their JSON text. Verdicts by {@code system:*} actors are not human. On an agent's
 * run, {@code process} and {@code steps} (the step judgements, a JSON array) say how the reviewer judged its steps.
 * {@code guidelineVersion}: the review standard in force when it was given (null: the use case had none).
 */
public record GivenVerdict(UUID taskId, String reviewer, Verdict verdict, String correctedOutput, String rationale,
                           String scores, Long timeOnTaskMs, Boolean goldCorrect, Instant createdAt,
                           ProcessJudgement process, String steps, Integer guidelineVersion) {

    /** A verdict that does not judge an agent's steps. */
    public GivenVerdict(UUID taskId, String reviewer, Verdict verdict, String correctedOutput, String rationale,
                        String scores, Long timeOnTaskMs, Boolean goldCorrect, Instant createdAt) {
        this(taskId, reviewer, verdict, correctedOutput, rationale, scores, timeOnTaskMs, goldCorrect, createdAt, null,
                null, null);
    }

    public static final String SYSTEM_PREFIX = "system:";

    public boolean byHuman() {
        return !reviewer.startsWith(SYSTEM_PREFIX);
    }
}
