package dev.oversight.review.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * When a reviewer's gold accuracy pauses them: at least {@code minItems} gold items judged and fewer than
 * {@code minAccuracy} of them right.
 */
public record GoldPolicy(int minItems, double minAccuracy) {

    /** Why the reviewer is paused, or empty when their gold record allows them to go on. */
    public Optional<String> pauseReason(int correct, int total) {
        if (total >= minItems && (double) correct / total < minAccuracy) {
            return Optional.of(String.format(Locale.ROOT, "gold accuracy %d/%d is below %.0f%%", correct, total,
                    minAccuracy * 100));
        }
        return Optional.empty();
    }
}
