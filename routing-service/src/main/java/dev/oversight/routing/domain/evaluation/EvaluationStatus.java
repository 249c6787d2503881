package dev.oversight.routing.domain.evaluation;

/** Whether an evaluation still takes results (OPEN: some parts are still to come) or has them all (COMPLETE). */
public enum EvaluationStatus {
    OPEN, COMPLETE
}
