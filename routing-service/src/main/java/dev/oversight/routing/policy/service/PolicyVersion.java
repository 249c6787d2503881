package dev.oversight.routing.policy.service;

import dev.oversight.routing.domain.Policy;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * One stored policy version; {@code created} is false when the PUT repeated the active version unchanged.
 * {@code approval} is null for a version that took effect when saved, PENDING while it waits for a second admin
 * (four eyes; {@code loosens} says why), APPROVED once approved.
 */
public record PolicyVersion(String useCase, int version, Policy policy, OffsetDateTime createdAt, String createdBy,
                            boolean created, String approval, List<String> loosens, String approvedBy,
                            OffsetDateTime approvedAt) {

    public boolean pending() {
        return "PENDING".equals(approval);
    }
}
