package dev.oversight.console.domain;

import java.util.Arrays;
import java.util.Optional;

/** The roles people sign in with (the {@code groups} claim of their token), as the services name them. */
public enum Role {
    REVIEWER("reviewer"),
    SENIOR_REVIEWER("senior-reviewer"),
    AUDITOR("auditor"),
    ADMIN("admin");

    private final String claim;

    Role(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    public static Optional<Role> ofClaim(String claim) {
        return Arrays.stream(values()).filter(r -> r.claim.equals(claim)).findFirst();
    }
}
