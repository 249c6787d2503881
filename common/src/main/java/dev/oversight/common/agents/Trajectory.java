package dev.oversight.common.agents;

import dev.oversight.common.failure.Failure;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The limits on an agent's trajectory (the steps that led to an output or a tool call), and on the judgement of its
 * steps, wherever they are taken: the router's requests and the review service's tasks and verdicts.
 */
public final class Trajectory {

    /** At most this many steps. */
    public static final int MAX_STEPS = 200;
    /** At most this many bytes of UTF-8 JSON for the whole trajectory (1 MiB). */
    public static final int MAX_BYTES = 1 << 20;

    private Trajectory() {
    }

    /**
     * Refuses (400, naming the step) a step without content: JSON null is no content (Bean Validation sees a JSON null
     * as a value). Returns the steps, or null for none (an empty list is none).
     */
    public static List<Step> checkContent(String field, List<Step> steps) {
        if (steps == null || steps.isEmpty()) {
            return null;
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).content() == null || steps.get(i).content().isNull()) {
                throw new Failure.Invalid(field + "[" + i + "].content", "is required (any JSON value but null)");
            }
        }
        return steps;
    }

    /** Refuses (400, naming {@code field}) a trajectory whose JSON text is larger than {@link #MAX_BYTES}. */
    public static void checkSize(String field, String jsonText) {
        // A char is at most 3 bytes of UTF-8 (a surrogate pair 4 for 2 chars): most texts need no encoding to know.
        if ((long) jsonText.length() * 3 > MAX_BYTES && jsonText.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new Failure.Invalid(field, "is larger than " + MAX_BYTES + " bytes of JSON (1 MiB)");
        }
    }

    /**
     * Refuses (400, naming the step) a judgement of steps that does not fit a trajectory of {@code steps} steps: an
     * index outside it, or one step judged twice. {@code indexes} in the order given.
     */
    public static void checkJudgedSteps(String field, List<Integer> indexes, int steps) {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < indexes.size(); i++) {
            int index = indexes.get(i);
            if (index < 0 || index >= steps) {
                throw new Failure.Invalid(field + "[" + i + "].index", "must be the index of a step of the trajectory,"
                        + " 0 to " + (steps - 1));
            }
            if (!seen.add(index)) {
                throw new Failure.Invalid(field + "[" + i + "].index", "judges step " + index + " a second time");
            }
        }
    }
}
