package dev.oversight.review.domain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the verdicts of a task agree. They agree when every verdict is the same and, for CORRECT, every
 * corrected output is the same (compared in canonical form); then that verdict is the outcome. Otherwise a
 * senior reviewer adjudicates.
 */
public final class Consensus {

    /** One verdict as consensus sees it; {@code correctedOutput} in a canonical text form, or null. */
    public record Vote(Verdict verdict, String correctedOutput) {
    }

    private Consensus() {
    }

    public static Optional<Vote> agreed(List<Vote> votes) {
        if (votes.isEmpty()) {
            return Optional.empty();
        }
        Vote first = votes.get(0);
        for (Vote v : votes) {
            if (v.verdict() != first.verdict() || !Objects.equals(v.correctedOutput(), first.correctedOutput())) {
                return Optional.empty();
            }
        }
        return Optional.of(first);
    }
}
