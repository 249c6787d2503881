package dev.oversight.review.domain;

import java.time.Instant;
import java.util.UUID;

/** A verdict as given; JSON values as their JSON text. Verdicts by {@code system:*} actors are not human. */
public record GivenVerdict(UUID taskId, String reviewer, Verdict verdict, String correctedOutput, String rationale,
                           String scores, Long timeOnTaskMs, Boolean goldCorrect, Instant createdAt) {

    public static final String SYSTEM_PREFIX = "system:";

    public boolean byHuman() {
        return !reviewer.startsWith(SYSTEM_PREFIX);
    }
}
