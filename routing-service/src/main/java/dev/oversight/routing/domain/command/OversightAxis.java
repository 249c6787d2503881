package dev.oversight.routing.domain.command;

/**
 * Everything that decides what a person sees of a use case's outputs: the axes of the oversight order
 * ({@link OversightOrder}). {@link #apiName()} is how the API and the audit trail name the axis.
 */
public enum OversightAxis {
    MODE("mode"),
    RELEASE_CUT("releaseCut"),
    CALIBRATOR("calibrator"),
    TARGET_ERROR_RATE("targetErrorRate"),
    DELTA("delta"),
    AUDIT_SAMPLE_RATE("auditSampleRate"),
    REVIEW_RULES("reviewRules"),
    BLOCK_RULES("blockRules"),
    REQUIRED_REVIEWS("requiredReviews"),
    REVIEW_TIMEOUT("onReviewTimeout"),
    BLIND_REVIEW("blindReview"),
    ON_DRIFT("onDrift"),
    FOUR_EYES("fourEyes"),
    RECALIBRATION("recalibration"),
    APPS("apps"),
    TOOLS("tools"),
    MODEL_VERSIONS("modelVersions"),
    REVIEWERS("reviewers");

    private final String apiName;

    OversightAxis(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}
