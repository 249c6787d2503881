package dev.oversight.routing.domain.incident;

/**
 * Where an incident's reporting stands. It only moves forward (a step may be skipped: a complete first report can be
 * the final one); nothing reopens a closed incident, a new incident does.
 */
public enum IncidentStatus {
    OPEN, INITIAL_REPORT_SENT, FINAL_REPORT_SENT, CLOSED;

    public boolean canMoveTo(IncidentStatus next) {
        return next.ordinal() > ordinal();
    }

    /** Whether the first report is still to be sent (the deadline is running). */
    public boolean awaitsFirstReport() {
        return this == OPEN;
    }
}
