package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;

/** The audit service's own verification pass: what it checked and, when something does not match, where and why. */
@TemplateData
public record Verification(boolean ok, String mode, long checkedFrom, long checkedUpTo, Long firstMismatch,
                           String detail, int checkpointsVerified) {
}
