package dev.oversight.console.domain;

/** A reviewer's verdict, as the review service names it. REJECT and CORRECT need a rationale. */
public enum Verdict {
    APPROVE, REJECT, CORRECT;

    public boolean needsRationale() {
        return this != APPROVE;
    }
}
