package dev.oversight.routing.calibration.rest;

import dev.oversight.routing.calibration.service.FitRequest;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /v1/use-cases/{useCase}/calibrations}. */
public record CalibrationRequest(
        @NotNull @Pattern(regexp = "auto|identity|platt|platt-logit|beta|isotonic|histogram|temperature|multi-logistic",
                message = "must be one of auto, identity, platt, platt-logit, beta, isotonic, histogram, temperature, multi-logistic")
        String method,
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax(value = "1.0", inclusive = false) Double targetErrorRate,
        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax(value = "1.0", inclusive = false) Double delta,
        Boolean activate,
        @Size(min = 1, max = 128) String modelVersion,
        @Positive Double costReview,
        @Positive Double costError) {

    FitRequest toFitRequest() {
        return new FitRequest(method, targetErrorRate, delta, activate != null && activate, modelVersion, costReview,
                costError, null);
    }
}
