package dev.oversight.routing.decide.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.oversight.routing.domain.DecisionKind;
import dev.oversight.routing.domain.DecisionRecord;
import dev.oversight.routing.domain.DecisionStatus;
import dev.oversight.routing.domain.Route;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The inline answer of {@code POST /v1/route}. */
public record RouteResponse(
        UUID decisionId,
        String useCase,
        String modelVersion,
        Route route,
        DecisionStatus status,
        DecisionKind kind,
        Double rawConfidence,
        Double calibratedConfidence,
        Double threshold,
        List<String> reasons,
        int policyVersion,
        int calibratorVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer requiredReviews,
        @JsonInclude(JsonInclude.Include.NON_NULL) UUID reviewTaskId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String idempotencyKey,
        @JsonInclude(JsonInclude.Include.NON_NULL) String segment,
        Instant createdAt,
        Links links) {

    public record Links(String self) {
    }

    static RouteResponse of(DecisionRecord d) {
        Route route = d.route();
        return new RouteResponse(d.id(), d.useCase(), d.modelVersion(), route, d.status(), d.kind(),
                d.rawConfidence(), d.calibratedConfidence(), d.threshold(), d.reasons(), d.policyVersion(),
                d.calibratorVersion(), route == Route.REVIEW ? d.requiredReviews() : null, d.reviewTaskId(),
                d.idempotencyKey(), d.segment(), d.createdAt(), new Links("/v1/decisions/" + d.id()));
    }
}
