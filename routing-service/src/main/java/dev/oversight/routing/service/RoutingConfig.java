package dev.oversight.routing.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "routing")
public interface RoutingConfig {

    Writer writer();

    /** How often each instance checks the database for configuration changed by another instance. */
    @WithDefault("1s")
    Duration configRefresh();

    /** The largest {@code output} (serialized JSON, bytes) a route request may carry. */
    @WithDefault("262144")
    int maxOutputBytes();

    /** Enables POST /v1/route/noop, the benchmark's baseline. */
    @WithDefault("false")
    boolean benchmarkNoopEndpoint();

    interface Writer {
        /** Threads committing decision batches; each holds one database connection while it writes. */
        @WithDefault("2")
        int threads();

        /** The most decisions one commit carries. */
        @WithDefault("256")
        int maxBatch();

        /** Decisions waiting for a commit before new requests are turned away with 503. */
        @WithDefault("10000")
        int queueCapacity();
    }
}
