package dev.oversight.routing.policy.service;

import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.policy.repository.PolicyEntity;
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

    /** The stored row as the API shows it, with its document already read into {@code policy}. */
    public static PolicyVersion of(PolicyEntity row, Policy policy, boolean created) {
        return new PolicyVersion(row.useCase, row.version, policy, row.createdAt, row.createdBy, created, row.approval,
                row.loosens == null ? List.of() : List.of(row.loosens), row.approvedBy, row.approvedAt);
    }

    public boolean pending() {
        return "PENDING".equals(approval);
    }
}
