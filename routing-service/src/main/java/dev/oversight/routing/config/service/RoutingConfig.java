package dev.oversight.routing.config.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "routing")
public interface RoutingConfig {

    Writer writer();

    /** How often each instance checks the database for configuration changed by another instance. */
    @WithDefault("1s")
    Duration configRefresh();

    /**
     * How long this instance keeps deciding on cached configuration it could not refresh (database unreachable,
     * query failing). Past it every decision is REVIEW with reason STALE_CONFIG, so a HALT or a stricter policy set
     * on another instance never goes unenforced for long.
     */
    @WithDefault("5s")
    Duration configMaxStaleness();

    /**
     * The token claim that names the calling app, matched against a policy's {@code apps}; without it the caller's
     * identity (upn, else sub) is the app's.
     */
    java.util.Optional<String> appClaim();

    /**
     * The secret that keys the audit-sample draw (HMAC-SHA256), so that an app cannot choose idempotency keys that
     * are never sampled. At least 32 characters; kept like the other secrets.
     */
    String auditSampleKey();

    /**
     * The audit service's base URL, where decisions' receipts are read ({@code GET /v1/decisions/{id}/receipt});
     * without it receipts are unavailable (503).
     */
    java.util.Optional<java.net.URI> auditUrl();

    /**
     * The review service's base URL, where the signed period reports read the reviewers' over-reliance figures;
     * without it a report says they were not available.
     */
    java.util.Optional<java.net.URI> reviewUrl();

    /** How long an app's previous webhook secret keeps signing after a rotation. */
    @WithDefault("24h")
    Duration webhookSecretGrace();

    /** The largest {@code output} (serialized JSON, bytes) a route request may carry. */
    @WithDefault("262144")
    int maxOutputBytes();

    /** Enables POST /v1/route/noop, the benchmark's baseline. */
    @WithDefault("false")
    boolean benchmarkNoopEndpoint();

    Oversight oversight();

    Drift drift();

    Intake intake();

    /** Which services may deliver to the router, by the name their token carries (one identity per service). */
    interface Intake {
        /** Who delivers final outcomes of reviews ({@code POST /v1/outcomes}). */
        @WithDefault("review-service")
        java.util.List<String> outcomeProducers();

        /** Which services may post labels ({@code POST /v1/labels}); admins always may. */
        @WithDefault("review-service")
        java.util.List<String> labelProducers();
    }

    RecalibrationSchedule recalibration();

    /** Scheduled recalibration (the policy's {@code recalibration} says when each use case is due). */
    interface RecalibrationSchedule {
        /** How often due refits are looked for ("off" to stop). */
        @WithDefault("5m")
        String interval();
    }

    Retention retention();

    /** How long decisions' data is kept (README "Retention and erasure"). */
    interface Retention {
        /** How often the sweep deletes what is due ("off" to stop). */
        @WithDefault("24h")
        String interval();

        /**
         * The legal minimum: a use case's period shorter than this needs an admin's reason (ISO-8601; deployers keep
         * logs at least six months, EU AI Act Art. 19 and 26(6)).
         */
        @WithDefault("P180D")
        String minimum();
    }

    /** The oversight figures as Prometheus gauges. */
    interface Oversight {
        /** The trailing window the gauges cover. */
        @WithDefault("24h")
        Duration metricsWindow();

        /** How often the gauges are recomputed ("off" to stop). */
        @WithDefault("60s")
        String metricsInterval();
    }

    /** The drift watchdog. */
    interface Drift {
        /** How often every use case is tested ("off" to stop). */
        @WithDefault("30s")
        String interval();
    }

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
