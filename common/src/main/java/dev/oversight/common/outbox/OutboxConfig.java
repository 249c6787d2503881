package dev.oversight.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Where a service's outbox rows go and how hard the relay tries. */
@ConfigMapping(prefix = "oversight.outbox")
public interface OutboxConfig {

    /** Rows per delivery round. */
    @WithDefault("500")
    int maxBatch();

    /** Largest request body, kept under the receivers' 1 MiB limit. */
    @WithDefault("900000")
    int maxBodyBytes();

    @WithDefault("200ms")
    Duration pollInterval();

    @WithDefault("30s")
    Duration maxBackoff();

    /** Attempts before an unordered delivery (an app's callback) is given up. */
    @WithDefault("12")
    int maxAttempts();

    /**
     * How long delivered rows are kept before they are pruned: a callback's from its delivery, an ordered
     * destination's (whose rows are not marked one by one) from when it was written, and never before delivery.
     */
    @WithDefault("7d")
    Duration retention();

    /** By destination name (the outbox rows' {@code destination}). */
    Map<String, Destination> destinations();

    interface Destination {

        /** The receiver's endpoint; unset: this instance does not relay the destination (rows wait). */
        Optional<URI> url();

        @WithDefault("EVENTS")
        OutboxRelay.Format format();
    }
}
