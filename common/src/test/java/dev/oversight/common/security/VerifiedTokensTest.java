package dev.oversight.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private final Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aVerifiedToken_isRemembered_untilItExpires() {
        VerifiedTokens<String> t = new VerifiedTokens<>(10, Duration.ofMinutes(5));
        t.put("a.b.c", "alice", now.plusSeconds(60), now);
        assertThat(t.get("a.b.c", now.plusSeconds(59))).isEqualTo("alice");
        assertThat(t.get("a.b.c", now.plusSeconds(60))).isNull();
        assertThat(t.size()).isZero();
        assertThat(t.get("a.b.d", now)).isNull();
    }

    @Test
    void noEntryOutlivesTheMaximumAge_andExpiredTokensAreNotKept() {
        VerifiedTokens<String> t = new VerifiedTokens<>(10, Duration.ofMinutes(5));
        t.put("long", "bob", now.plus(Duration.ofHours(8)), now);
        assertThat(t.get("long", now.plus(Duration.ofMinutes(4)))).isEqualTo("bob");
        assertThat(t.get("long", now.plus(Duration.ofMinutes(5)))).isNull();
        t.put("old", "carol", now.minusSeconds(1), now);
        assertThat(t.get("old", now.minusSeconds(2))).isNull();
    }

    @Test
    void theCacheIsBounded() {
        VerifiedTokens<Integer> t = new VerifiedTokens<>(100, Duration.ofMinutes(5));
        for (int i = 0; i < 1000; i++) {
            t.put("token-" + i, i, now.plusSeconds(60), now);
            assertThat(t.size()).isLessThanOrEqualTo(100);
        }
        assertThat(t.get("token-999", now)).isEqualTo(999);
    }
}
