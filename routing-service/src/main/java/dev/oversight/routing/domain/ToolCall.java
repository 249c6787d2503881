package dev.oversight.routing.domain;

import java.util.Map;

/**
 * The action an agent asks to take: a tool's name and its arguments. {@code arguments} already holds CEL values
 * (as {@link RuleInput#attributes()} does), so rules read {@code toolCall.name} and {@code toolCall.arguments.x}.
 */
public record ToolCall(String name, Map<String, Object> arguments) {

    public ToolCall {
        arguments = Map.copyOf(arguments);
    }
}
