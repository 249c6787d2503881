package dev.oversight.console.client;

import dev.oversight.console.domain.Mode;
import io.quarkus.qute.TemplateData;

/**
 * A use case as the routing service shows it: its switch, the policy in force, the calibrator in force, and what
 * waits for a second person ({@code pendingModeChange}) or for review ({@code pendingRecalibration}), if anything.
 */
@TemplateData
public record UseCase(String useCase, Mode mode, String modeReason, String modeChangedAt, String modeChangedBy,
                      PolicyVersion activePolicy, int calibratorVersion, String calibratorMethod,
                      PendingModeChange pendingModeChange, Integer pendingRecalibration) {

    /** A loosening switch that waits for another admin's approval. */
    @TemplateData
    public record PendingModeChange(long id, Mode mode, String reason, String requestedBy, String requestedAt) {
    }
}
