package dev.oversight.routing.service;

import dev.oversight.routing.domain.Policy;
import java.time.OffsetDateTime;

/** One stored policy version; {@code created} is false when the PUT repeated the active version unchanged. */
public record PolicyVersion(String useCase, int version, Policy policy, OffsetDateTime createdAt, String createdBy,
                            boolean created) {
}
