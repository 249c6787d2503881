package dev.oversight.routing.policy.service;

import dev.oversight.routing.domain.Mode;
import java.time.OffsetDateTime;

/** A use case as the API shows it: its switch, its active policy and its active calibrator. */
public record UseCaseView(
        String useCase,
        Mode mode,
        String modeReason,
        OffsetDateTime modeChangedAt,
        String modeChangedBy,
        PolicyVersion policy,
        int calibratorVersion,
        String calibratorMethod,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        PendingModeChange pendingModeChange,
        Integer pendingRecalibration) {

    /** A switch back to AUTO that waits for a second admin (four eyes). */
    public record PendingModeChange(long id, Mode mode, String reason, String requestedBy, OffsetDateTime requestedAt) {
    }
}
