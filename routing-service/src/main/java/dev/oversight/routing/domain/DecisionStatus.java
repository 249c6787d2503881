package dev.oversight.routing.domain;

/**
 * Where a decision stands; the first three are the initial states of the three routes. OVERRIDDEN is a released
 * decision a person reversed afterwards.
 */
public enum DecisionStatus {
    RELEASED, PENDING_REVIEW, BLOCKED, APPROVED, REJECTED, CORRECTED, EXPIRED, OVERRIDDEN;

    public static DecisionStatus initialFor(Route route) {
        return switch (route) {
            case RELEASE -> RELEASED;
            case REVIEW -> PENDING_REVIEW;
            case BLOCK -> BLOCKED;
        };
    }

    public boolean isFinal() {
        return this != PENDING_REVIEW;
    }
}
