package dev.oversight.routing.decide.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.agents.Step;
import dev.oversight.common.agents.ToolName;
import dev.oversight.common.agents.Trajectory;
import dev.oversight.common.failure.Failure;
import dev.oversight.routing.decide.service.RouteCommand;
import dev.oversight.routing.domain.Signal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/route}. */
public record RouteRequest(
        @NotNull @Pattern(regexp = "[a-z0-9-]{1,64}", message = "must be 1-64 characters of a-z, 0-9 and '-'")
        String useCase,
        @NotBlank @Size(max = 128) String modelVersion,
        JsonNode output,
        @Valid ToolCallRequest toolCall,
        @DecimalMin("0.0") @DecimalMax("1.0") Double confidence,
        @Size(min = 1, max = 1000) Map<String, Double> probabilities,
        JsonNode input,
        ObjectNode attributes,
        @Size(min = 1, max = 200) String idempotencyKey,
        @Size(max = 2048) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String callbackUrl,
        @Size(max = Trajectory.MAX_STEPS) List<@NotNull @Valid Step> trajectory,
        @Size(max = MAX_SHADOWS) List<@NotNull @Valid ShadowRequest> shadow,
        @Size(min = 1, max = Signal.MAX) Map<@Pattern(regexp = Signal.NAME, message = Signal.NAME_MESSAGE) String,
                @NotNull(message = "must be a finite number") Double> signals) {

    /** Candidate outputs one request may carry along. */
    public static final int MAX_SHADOWS = 4;

    /**
     * A candidate model's output on the same input, sent along to be measured: recorded, never acted on, never shown
     * to reviewers, and scored against what people decide.
     */
    public record ShadowRequest(
            @NotBlank @Size(max = 128) String modelVersion,
            JsonNode output,
            @Valid ToolCallRequest toolCall,
            @NotNull @DecimalMin("0.0") @DecimalMax("1.0") Double confidence) {
    }

    /** The action an agent asks to take: a tool's name and its arguments (a JSON object). */
    public record ToolCallRequest(
            @NotNull @Pattern(regexp = ToolName.REGEX, message = ToolName.MESSAGE) String name,
            @NotNull(message = "is required: a JSON object, {} for none") ObjectNode arguments) {
    }

    RouteCommand toCommand(String owner, String app) {
        boolean hasOutput = output != null && !output.isNull();
        if (hasOutput && toolCall != null) {
            throw new Failure.Invalid("toolCall", "give either output (a model's output) or toolCall (an agent's next"
                    + " action), not both");
        }
        if (!hasOutput && toolCall == null) {
            throw new Failure.Invalid("output", "is required (any JSON value but null), or give toolCall instead");
        }
        JsonNode routed = hasOutput ? output : JsonNodeFactory.instance.objectNode().put("name", toolCall.name())
                .set("arguments", toolCall.arguments());
        return new RouteCommand(owner, app, useCase, modelVersion, routed, toolCall != null, confidence,
                probabilities, input == null || input.isNull() ? null : input, attributes, idempotencyKey,
                callbackUrl, Trajectory.checkContent("trajectory", trajectory), shadows(), signals);
    }

    /** The shadow outputs as stored ({modelVersion, output, confidence}, output holding the call), or null. */
    private ArrayNode shadows() {
        if (shadow == null || shadow.isEmpty()) {
            return null;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        java.util.Set<String> versions = new java.util.HashSet<>();
        for (int i = 0; i < shadow.size(); i++) {
            ShadowRequest s = shadow.get(i);
            String at = "shadow[" + i + "]";
            boolean hasOutput = s.output() != null && !s.output().isNull();
            if (hasOutput == (s.toolCall() != null)) {
                throw new Failure.Invalid(at + ".output", "give either output or toolCall, as the routed request does");
            }
            if (hasOutput == (toolCall != null)) {
                throw new Failure.Invalid(at, toolCall != null ? "a tool call is shadowed by a toolCall"
                        : "an output is shadowed by an output");
            }
            if (s.modelVersion().equals(modelVersion) || !versions.add(s.modelVersion())) {
                throw new Failure.Invalid(at + ".modelVersion", "must differ from the routed modelVersion and from"
                        + " the other shadows'");
            }
            out.addObject().put("modelVersion", s.modelVersion())
                    .put("confidence", s.confidence())
                    .set("output", hasOutput ? s.output() : JsonNodeFactory.instance.objectNode()
                            .put("name", s.toolCall().name()).set("arguments", s.toolCall().arguments()));
        }
        return out;
    }
}
