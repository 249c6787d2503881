package dev.oversight.client;

import java.time.Duration;

/** No final outcome before the deadline: the decision is still with people. Wait again, or act on it later. */
public final class WaitTimeoutException extends RuntimeException {

    private final String decisionId;

    public WaitTimeoutException(String decisionId, Duration waited) {
        super("decision " + decisionId + " has no final outcome after " + waited.toSeconds() + " s");
        this.decisionId = decisionId;
    }

    public String decisionId() {
        return decisionId;
    }
}
