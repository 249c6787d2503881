package dev.oversight.routing.outcomes.rest;

import dev.oversight.routing.domain.Signal;
import dev.oversight.routing.outcomes.service.LabelService.LabelInput;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import java.util.UUID;

/**
 * One label: either {@code {decisionId, correct, source}} for a routed decision, or
 * {@code {useCase, modelVersion, confidence and/or signals, correct, weight?, probabilities?, attributes?}} to import
 * an evaluation set.
 */
public record LabelRequest(
        UUID decisionId,
        @NotNull(message = "is required (true or false)") Boolean correct,
        @Size(max = 64) String source,
        @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 characters of a-z, 0-9 and '-'") String useCase,
        @Size(min = 1, max = 128) String modelVersion,
        Double confidence,
        Double weight,
        @Size(min = 1, max = 1000) Map<String, Double> probabilities,
        @Size(min = 1, max = Signal.MAX) Map<@Pattern(regexp = Signal.NAME, message = Signal.NAME_MESSAGE) String,
                @NotNull(message = "must be a finite number") Double> signals,
        com.fasterxml.jackson.databind.JsonNode attributes) {

    LabelInput toInput() {
        return new LabelInput(decisionId, correct, source, useCase, modelVersion, confidence, weight, probabilities,
                signals, attributes);
    }
}
