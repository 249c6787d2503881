package dev.oversight.routing.decide.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.decide.service.RouteCommand;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/** The body of {@code POST /v1/route}. */
public record RouteRequest(
        @NotNull @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 characters of a-z, 0-9 and '-'")
        String useCase,
        @NotBlank @Size(max = 128) String modelVersion,
        @NotNull(message = "is required (any JSON value but null)") JsonNode output,
        @DecimalMin("0.0") @DecimalMax("1.0") Double confidence,
        @Size(min = 1, max = 1000) Map<String, Double> probabilities,
        JsonNode input,
        ObjectNode attributes,
        @Size(min = 1, max = 200) String idempotencyKey,
        @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String callbackUrl) {

    RouteCommand toCommand(String owner, String app) {
        if (output.isNull()) {
            throw new Failure.Invalid("output", "is required (any JSON value but null)");
        }
        return new RouteCommand(owner, app, useCase, modelVersion, output, confidence, probabilities,
                input == null || input.isNull() ? null : input, attributes, idempotencyKey, callbackUrl);
    }
}
