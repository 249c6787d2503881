package dev.oversight.routing.domain;

/** What a decision is about: a model's output, or a tool call an agent asks to make (its output is the call). */
public enum DecisionKind {
    OUTPUT, TOOL_CALL
}
