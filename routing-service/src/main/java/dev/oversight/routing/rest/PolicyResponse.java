package dev.oversight.routing.rest;

import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.service.PolicyVersion;
import java.time.OffsetDateTime;

public record PolicyResponse(String useCase, int version, OffsetDateTime createdAt, String createdBy, Policy policy) {

    static PolicyResponse of(PolicyVersion v) {
        return new PolicyResponse(v.useCase(), v.version(), v.createdAt(), v.createdBy(), v.policy());
    }
}
