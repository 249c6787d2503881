package dev.oversight.routing.evaluation.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.routing.evaluation.repository.BenchmarkRepository.Benchmark;
import java.time.Instant;

/**
 * A frozen benchmark's summary: how many items, how they split into strata, when they were decided, how it was
 * drawn ({@code spec}), the review-standard versions its items were judged under ({@code guidelineVersions}: version
 * or "none" to the number of items), how many items' content was erased since, and its digest (recorded in the audit trail).
 */
public record BenchmarkResponse(String useCase, int version, String name, int size, String digest, JsonNode strata,
                                JsonNode guidelineVersions, JsonNode spec, Instant firstDecidedAt, Instant lastDecidedAt, int erased,
                                Instant createdAt, String createdBy) {

    static BenchmarkResponse of(Benchmark b, ObjectMapper json) {
        try {
            return new BenchmarkResponse(b.useCase(), b.version(), b.name(), b.size(), b.digest(),
                    json.readTree(b.strata()), json.readTree(b.guidelineVersions()), json.readTree(b.spec()), b.firstDecidedAt(), b.lastDecidedAt(),
                    b.erased(), b.createdAt(), b.createdBy());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored JSON always parses", e);
        }
    }
}
