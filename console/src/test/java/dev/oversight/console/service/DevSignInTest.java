package dev.oversight.console.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oversight.console.domain.Person;
import dev.oversight.console.domain.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DevSignInTest {

    private static ConsoleConfig config(boolean enabled, String key, Duration session) {
        return new ConsoleConfig() {
            public boolean devSignIn() { return enabled; }
            public String devSignInKey() { return key; }
            public String devTokenIssuer() { return "https://oversight.local"; }
            public String devTokenAudience() { return "oversight"; }
            public Duration devSession() { return session; }
            public int pageSize() { return 25; }
        };
    }

    private final DevSignIn dev = new DevSignIn(config(true, "testing/jwt-private.pem", Duration.ofHours(1)),
            new ObjectMapper());

    @Test
    void aMintedToken_signsThePersonIn_withTheirRole() {
        Person p = dev.person(dev.mint("rita", Role.SENIOR_REVIEWER)).orElseThrow();
        assertThat(p.name()).isEqualTo("rita");
        assertThat(p.roles()).containsExactly(Role.SENIOR_REVIEWER);
        assertThat(p.senior()).isTrue();
        assertThat(p.toString()).doesNotContain(p.bearer());
    }

    @Test
    void anAlteredToken_orOneSignedByAnotherKey_orAnExpiredOne_signsNobodyIn() {
        String token = dev.mint("rita", Role.REVIEWER);
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"reviewer\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(dev.person(forged)).isEmpty();
        assertThat(dev.person("not.a.token")).isEmpty();
        assertThat(dev.person("garbage")).isEmpty();

        DevSignIn other = new DevSignIn(config(true, "testing/other-private.pem", Duration.ofHours(1)), new ObjectMapper());
        assertThat(dev.person(other.mint("rita", Role.ADMIN))).isEmpty();

        DevSignIn expired = new DevSignIn(config(true, "testing/jwt-private.pem", Duration.ofSeconds(-5)), new ObjectMapper());
        assertThat(dev.person(expired.mint("rita", Role.ADMIN))).isEmpty();
    }

    @Test
    void switchedOff_nothingSignsIn() {
        DevSignIn off = new DevSignIn(config(false, "testing/jwt-private.pem", Duration.ofHours(1)), new ObjectMapper());
        assertThat(off.person(dev.mint("rita", Role.ADMIN))).isEmpty();
    }
}
