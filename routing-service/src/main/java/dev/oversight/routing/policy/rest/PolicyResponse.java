package dev.oversight.routing.policy.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.policy.service.PolicyVersion;
import java.time.OffsetDateTime;
import java.util.List;

public record PolicyResponse(String useCase, int version, OffsetDateTime createdAt, String createdBy, Policy policy,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Approval approval) {

    /** Four eyes: PENDING (and why: how the version loosens oversight) until another admin approves it. */
    public record Approval(String status, List<String> loosens, String approvedBy, OffsetDateTime approvedAt) {
    }

    public static PolicyResponse of(PolicyVersion v) {
        return new PolicyResponse(v.useCase(), v.version(), v.createdAt(), v.createdBy(), v.policy(),
                v.approval() == null ? null : new Approval(v.approval(), v.loosens(), v.approvedBy(), v.approvedAt()));
    }
}
