package dev.oversight.routing.domain;

import java.util.List;

/**
 * The model versions a use case releases on confidence ({@code allowed}), and what happens to the outputs of any
 * other version ({@code onNew}): all reviewed, or all blocked. A new version is never released on a calibrator fitted
 * to another model; people allow it with a new policy version, which loosens oversight and so goes through the gate.
 */
public record ModelVersions(List<String> allowed, OnNew onNew) {

    /** What happens to an output of a version not allowed. */
    public enum OnNew {
        REVIEW_ALL,
        BLOCK
    }

    public ModelVersions {
        allowed = List.copyOf(allowed);
        onNew = onNew == null ? OnNew.REVIEW_ALL : onNew;
    }

    public boolean allows(String modelVersion) {
        return allowed.contains(modelVersion);
    }

    /** The same list with one more version allowed (kept sorted, as policies store it). */
    public ModelVersions allowing(String modelVersion) {
        return new ModelVersions(java.util.stream.Stream.concat(allowed.stream(), java.util.stream.Stream.of(modelVersion))
                .distinct().sorted().toList(), onNew);
    }
}
