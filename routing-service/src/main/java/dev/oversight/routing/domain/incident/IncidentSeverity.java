package dev.oversight.routing.domain.incident;

import java.time.Duration;
import java.time.Instant;

/**
 * How serious an incident is, and so how soon its first report is due after the deployer became aware of it
 * (EU AI Act, Article 73): a widespread infringement or a serious and irreversible disruption of critical
 * infrastructure within 2 days (73(3)), a person's death within 10 days (73(4)), any other serious incident within
 * 15 days (73(2)). The law asks for "immediately" first; these are the latest dates.
 */
public enum IncidentSeverity {
    DEATH(10), WIDESPREAD_OR_CRITICAL_INFRASTRUCTURE(2), SERIOUS(15);

    private final int days;

    IncidentSeverity(int days) {
        this.days = days;
    }

    public int days() {
        return days;
    }

    /** The latest moment the first report may be sent. */
    public Instant deadline(Instant awareAt) {
        return awareAt.plus(Duration.ofDays(days));
    }
}
