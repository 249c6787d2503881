package dev.oversight.common.agents;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What one step of an agent's run is; written in JSON (and named in error messages) in lower case. */
public enum StepKind {
    @JsonProperty("message") MESSAGE,
    @JsonProperty("reasoning") REASONING,
    @JsonProperty("tool_call") TOOL_CALL,
    @JsonProperty("tool_result") TOOL_RESULT;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
