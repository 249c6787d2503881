package dev.oversight.routing.policy.service;

import dev.oversight.routing.domain.Mode;
import java.time.OffsetDateTime;

/** One line of the use-case list: its switch and the versions in force. */
public record UseCaseSummary(String useCase, Mode mode, String modeReason, OffsetDateTime modeChangedAt,
                             String modeChangedBy, int policyVersion, int calibratorVersion, OffsetDateTime updatedAt) {
}
