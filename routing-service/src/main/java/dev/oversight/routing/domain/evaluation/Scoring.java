package dev.oversight.routing.domain.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.common.json.CanonicalJson;
import dev.oversight.routing.domain.CelValues;

/**
 * Whether an output is right on an item people decided. The item's reference is what people settled on: the
 * output they approved, the correction they wrote, or an override's replacement. When people rejected an output
 * without writing a better one, the item has no reference, only the rejected output: an output that is the same as
 * the rejected one is wrong, and any other cannot be judged from the record (undecided; people may judge it).
 *
 * <p>"The same" is the policy's {@link Equivalence} when it has one, else equal RFC 8785 canonical JSON. The model
 * in production and every candidate are scored by the same rule, so their accuracies compare.
 */
public final class Scoring {

    private final Equivalence equivalence;

    private Scoring(Equivalence equivalence) {
        this.equivalence = equivalence;
    }

    /** Equal canonical JSON. */
    public static Scoring exact() {
        return new Scoring(null);
    }

    /** The policy's rule; exact equality when it is null. */
    public static Scoring by(Equivalence equivalence) {
        return new Scoring(equivalence);
    }

    public boolean usesEquivalence() {
        return equivalence != null;
    }

    /**
     * TRUE (right), FALSE (wrong) or null (undecided).
     *
     * @param output    the output to score
     * @param reference what people settled on, or null when they only rejected
     * @param rejected  the output people rejected (used when there is no reference), or null
     */
    public Boolean score(JsonNode output, JsonNode reference, JsonNode rejected) {
        if (output == null || output.isNull()) {
            return null;
        }
        if (reference != null && !reference.isNull()) {
            return same(output, reference);
        }
        if (rejected != null && !rejected.isNull() && Boolean.TRUE.equals(same(output, rejected))) {
            return false;
        }
        return null;
    }

    /** Whether two outputs are the same under this scoring; null when the rule cannot decide. */
    public Boolean same(JsonNode a, JsonNode b) {
        if (equivalence == null) {
            return CanonicalJson.of(a).equals(CanonicalJson.of(b));
        }
        return equivalence.equivalent(CelValues.value(a), CelValues.value(b));
    }
}
