package dev.oversight.routing.domain.command;

/** One way a change weakens oversight: the axis, and what happens on it in words a person reads. */
public record Loosening(OversightAxis axis, String detail) {

    /** As the API lists it in {@code loosens[]}: the axis' name first, then what changes. */
    @Override
    public String toString() {
        return axis.apiName() + ": " + detail;
    }
}
