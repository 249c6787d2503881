package dev.oversight.routing.policy.rest;

import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.policy.service.UseCaseView;
import java.time.OffsetDateTime;

public record UseCaseResponse(
        String useCase,
        Mode mode,
        String modeReason,
        OffsetDateTime modeChangedAt,
        String modeChangedBy,
        PolicyResponse activePolicy,
        int calibratorVersion,
        String calibratorMethod,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        UseCaseView.PendingModeChange pendingModeChange,
        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
        Integer pendingRecalibration) {

    static UseCaseResponse of(UseCaseView v) {
        return new UseCaseResponse(v.useCase(), v.mode(), v.modeReason(), v.modeChangedAt(), v.modeChangedBy(),
                PolicyResponse.of(v.policy()), v.calibratorVersion(), v.calibratorMethod(), v.createdAt(),
                v.updatedAt(), v.pendingModeChange(), v.pendingRecalibration());
    }
}
