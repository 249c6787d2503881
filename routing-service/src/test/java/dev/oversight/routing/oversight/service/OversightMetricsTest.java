package dev.oversight.routing.oversight.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OversightMetricsTest {

    @Test
    void theRefreshPeriodIsReadAsTheSchedulerReadsIt() {
        assertThat(OversightMetrics.every("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(OversightMetrics.every("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(OversightMetrics.every("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(OversightMetrics.every("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(OversightMetrics.every("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(OversightMetrics.every("off")).isEqualTo(Duration.ofMinutes(1));
    }
}
