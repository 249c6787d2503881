package dev.oversight.console.domain;

/** A reviewer's verdict, as the review service names it (which also says what each one needs). */
public enum Verdict {
    APPROVE, REJECT, CORRECT
}
