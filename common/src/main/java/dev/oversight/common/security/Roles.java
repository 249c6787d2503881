package dev.oversight.common.security;

/** The roles a bearer token's {@code groups} claim may carry. */
public final class Roles {

    /** An application: routes outputs and reads only the decisions it created. */
    public static final String APP = "app";
    public static final String REVIEWER = "reviewer";
    /** Adjudication and escalations. */
    public static final String SENIOR_REVIEWER = "senior-reviewer";
    /** Reads the audit trail, verifies and exports; writes nothing. */
    public static final String AUDITOR = "auditor";
    /** Policies, modes, calibrations, gold items. */
    public static final String ADMIN = "admin";
    /** Other Oversight services: intake endpoints only. */
    public static final String SERVICE = "service";

    private Roles() {
    }
}
