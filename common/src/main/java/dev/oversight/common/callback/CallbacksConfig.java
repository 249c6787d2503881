package dev.oversight.common.callback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where apps' callbacks may go and how they are sent (see {@link CallbackTargets}). */
@ConfigMapping(prefix = "oversight.callbacks")
public interface CallbacksConfig {

    /** Plain http callbacks; only for development (the local stack sets it), never in production. */
    @WithDefault("false")
    boolean allowHttp();

    /** {@code host:port} (or {@code host:*}) receivers exempt from the internal-address checks. */
    Optional<List<String>> allowedHosts();

    /** Callbacks in flight to one receiver host at once; a slow host delays only its own. */
    @WithDefault("4")
    int maxInFlightPerHost();

    /** Callbacks in flight in all (threads of this instance's sender). */
    @WithDefault("32")
    int maxInFlight();

    /** The most one callback may take, connection included. */
    @WithDefault("10s")
    Duration timeout();
}
