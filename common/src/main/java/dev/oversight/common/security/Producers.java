package dev.oversight.common.security;

import dev.oversight.common.failure.Failure;
import io.quarkus.security.identity.SecurityIdentity;
import java.util.List;

/**
 * One identity per service: an intake that takes another service's deliveries (outcomes, labels, review tasks, audit
 * events) accepts only the services that produce for it, by the name their token carries (upn, else
 * preferred_username, else sub). The role {@code service} alone says that a caller is some service, not which.
 */
public final class Producers {

    private Producers() {
    }

    /**
     * Refuses (403) a caller that is not one of {@code producers}.
     *
     * @param intake   what is delivered, for the message
     * @param property the configuration property that lists the producers, for the message
     */
    public static void require(SecurityIdentity caller, List<String> producers, String intake, String property) {
        String name = caller.getPrincipal().getName();
        if (!producers.contains(name)) {
            throw new Failure.NotAllowed(name + " does not produce " + intake + " for this service; " + property
                    + " lists who does.");
        }
    }
}
