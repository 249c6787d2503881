package dev.oversight.routing.domain;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The action an agent asks to take: a tool's name and its arguments. {@code arguments} already holds CEL values
 * (as {@link RuleInput#attributes()} does), so rules read {@code toolCall.name} and {@code toolCall.arguments.x}.
 */
public record ToolCall(String name, Map<String, Object> arguments) {

    /** What a tool's name may be: letters, digits and {@code _ . : -}, 1 to 128 of them. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    public ToolCall {
        arguments = Map.copyOf(arguments);
    }
}
