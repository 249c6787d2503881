package dev.oversight.routing.domain;

/** A policy rule whose CEL expression does not parse or type-check. */
public class RuleCompilationException extends Exception {

    private final String ruleName;

    public RuleCompilationException(String ruleName, String message) {
        super(message);
        this.ruleName = ruleName;
    }

    public String ruleName() {
        return ruleName;
    }
}
