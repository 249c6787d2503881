package dev.oversight.routing.domain;

/**
 * How a use case's outputs fall into segments whose guarantees hold each on its own (Mondrian style): {@code by} is a
 * CEL expression over {@code attributes} whose value (a string, number or boolean, taken as text) names an output's
 * segment; a segment with fewer than {@code minLabels} labels gets no certified threshold of its own, and its outputs
 * are reviewed.
 */
public record Segments(String by, int minLabels) {

    public static final int DEFAULT_MIN_LABELS = 100;
    /** The most segments one fit certifies; further ones are reviewed (a CEL typo must not make a million). */
    public static final int MAX = 100;
    /** The segment of an output whose expression yields null, an error or no attribute. */
    public static final String NONE = "(none)";
}
