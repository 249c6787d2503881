package dev.oversight.routing.evaluation.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.decide.rest.RouteRequest.ToolCallRequest;
import dev.oversight.routing.evaluation.service.BenchmarkService;
import dev.oversight.routing.evaluation.service.EvaluationService.Submitted;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code POST /v1/use-cases/{useCase}/evaluations}: a candidate's output on every benchmark item, or, with
 * {@code complete: false}, on the first part of them (the rest follow in {@link PartRequest}s).
 */
public record EvaluationRequest(
        @NotNull @Min(1) Integer benchmark,
        @NotBlank @Size(max = 128) String modelVersion,
        @NotNull @Size(min = 1, max = BenchmarkService.MAX_SIZE) List<@NotNull @Valid ResultRequest> results,
        Boolean complete) {

    /** A further part of an open evaluation's results; {@code complete} (default true): the last part. */
    public record PartRequest(
            @NotNull @Size(max = BenchmarkService.MAX_SIZE) List<@NotNull @Valid ResultRequest> results,
            Boolean complete) {

        List<Submitted> submitted() {
            return EvaluationRequest.submitted(results);
        }

        boolean last() {
            return complete == null || complete;
        }
    }

    boolean last() {
        return complete == null || complete;
    }

    /** One item's candidate output ({@code output}, or {@code toolCall} on a tool-call item) and its confidence. */
    public record ResultRequest(
            @NotNull UUID itemId,
            JsonNode output,
            @Valid ToolCallRequest toolCall,
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double confidence) {
    }

    List<Submitted> submitted() {
        return submitted(results);
    }

    private static List<Submitted> submitted(List<ResultRequest> results) {
        List<Submitted> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            ResultRequest r = results.get(i);
            boolean hasOutput = r.output() != null && !r.output().isNull();
            if (hasOutput == (r.toolCall() != null)) {
                throw new Failure.Invalid("results[" + i + "].output", "give either output or toolCall");
            }
            JsonNode output = hasOutput ? r.output() : JsonNodeFactory.instance.objectNode()
                    .put("name", r.toolCall().name()).set("arguments", r.toolCall().arguments());
            out.add(new Submitted(r.itemId(), output, !hasOutput, r.confidence()));
        }
        return out;
    }
}
