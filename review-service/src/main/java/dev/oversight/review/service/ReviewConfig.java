package dev.oversight.review.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "review")
public interface ReviewConfig {

    /** How long a claim lasts unless renewed. */
    @WithDefault("10m")
    Duration lease();

    /** A reviewer is paused once they have answered this many gold items ... */
    @WithDefault("5")
    int goldMinItems();

    /** ... with a share of right answers below this. */
    @WithDefault("0.8")
    double goldMinAccuracy();

    /** How often overdue tasks are escalated or timed out. */
    @WithDefault("30s")
    Duration slaSweep();

    /** How often pushed tasks without a live offer are offered to the next reviewer. */
    @WithDefault("15s")
    Duration offerSweep();

    /** How often the open work's coverage by qualified reviewers is counted for the metric. */
    @WithDefault("30s")
    Duration coverageCheck();

    /** How often waiting notification mails are sent. */
    @WithDefault("5s")
    Duration mailSend();

    /** Where the console is, for the links in notification mails. */
    @WithDefault("http://localhost:8090")
    String consoleUrl();

    /** The largest corrected output, in bytes of JSON. */
    @WithDefault("262144")
    int maxCorrectionBytes();

    /**
     * Which services may create review tasks ({@code POST /v1/tasks}, {@code /v1/tasks/batch}), by the name their
     * token carries: one identity per service.
     */
    @WithDefault("routing-service")
    java.util.List<String> taskProducers();
}
