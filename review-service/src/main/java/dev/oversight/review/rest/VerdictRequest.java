package dev.oversight.review.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.review.domain.Verdict;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A verdict by the holder of the current lease; REJECT and CORRECT need a rationale, CORRECT a corrected output. */
public record VerdictRequest(@NotNull Long leaseToken, @NotNull Verdict verdict, JsonNode correctedOutput,
                             @Size(max = 10_000) String rationale, JsonNode scores) {
}
