package dev.oversight.routing.domain.evaluation;

/** A blind comparison: OPEN while sides wait for people's verdicts, DONE when every side is judged. */
public enum ComparisonStatus {
    OPEN, DONE
}
