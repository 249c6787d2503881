package dev.oversight.common.agents;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * One step of an agent's run, as the agent reports it: a message, its reasoning, a tool call or a tool's result.
 * {@code name} is who spoke or which tool (optional); {@code content} any JSON value but null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Step(
        @NotNull StepKind kind,
        @Size(min = 1, max = 128) String name,
        @NotNull(message = "is required (any JSON value but null)") JsonNode content) {
}
