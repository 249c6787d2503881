package dev.oversight.routing.calibration.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A stored calibrator version: its report (as stored), whether it is the active one, and its activation's approval
 * (null unless an activation waited for a second person).
 */
public record CalibrationVersion(String useCase, int version, String method, Map<String, Object> report,
                                 boolean active, OffsetDateTime createdAt, OffsetDateTime activatedAt,
                                 Approval approval) {

    public boolean pending() {
        return approval != null && "PENDING".equals(approval.status());
    }

    /** Four eyes on an activation: who asked, why it waits (how it loosens oversight), who approved. */
    public record Approval(String status, List<String> loosens, String requestedBy, OffsetDateTime requestedAt,
                           String approvedBy, OffsetDateTime approvedAt) {
    }
}
