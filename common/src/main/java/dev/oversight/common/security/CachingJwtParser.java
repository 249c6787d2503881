package dev.oversight.common.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The bearer-token parser every service authenticates with: SmallRye JWT's own verification (signature, issuer,
 * audience, expiry), remembered for tokens that passed it ({@link VerifiedTokens}), so that an app or a service
 * sending the same token on every request pays for RSA verification once. A token that fails verification is never
 * remembered; a remembered one is dropped at its expiry.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser extends DefaultJWTParser {

    private final VerifiedTokens<JsonWebToken> verified;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public CachingJwtParser(JWTAuthContextInfo authContextInfo,
                            @ConfigProperty(name = "oversight.auth.verified-token-cache-size", defaultValue = "10000")
                            int size,
                            @ConfigProperty(name = "oversight.auth.verified-token-max-age", defaultValue = "5m")
                            Duration maxAge) {
        super(authContextInfo);
        this.verified = new VerifiedTokens<>(size, maxAge);
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        Instant now = clock.instant();
        JsonWebToken known = verified.get(token, now);
        if (known != null) {
            return known;
        }
        JsonWebToken jwt = super.parse(token);
        if (jwt.getExpirationTime() > 0) {
            verified.put(token, jwt, Instant.ofEpochSecond(jwt.getExpirationTime()), now);
        }
        return jwt;
    }
}
