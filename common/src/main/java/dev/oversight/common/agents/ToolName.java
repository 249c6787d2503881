package dev.oversight.common.agents;

import java.util.regex.Pattern;

/**
 * What a tool's name may be, everywhere an agent's tool call is taken: the router's requests and policies, and the
 * review service's tasks and corrections. {@link #REGEX} and {@link #MESSAGE} are constants for Bean Validation.
 */
public final class ToolName {

    public static final String REGEX = "[A-Za-z0-9_.:-]{1,128}";
    public static final String MESSAGE = "must be 1-128 characters of letters, digits and _ . : -";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private ToolName() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
