package dev.oversight.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How this service gets the token it presents to other services: a client-credentials grant at the identity
 * provider (production), or a token it signs with a private key the receivers trust (the local stack).
 */
@ConfigMapping(prefix = "oversight.service-auth")
public interface ServiceAuthConfig {

    Optional<URI> tokenUrl();

    Optional<String> clientId();

    Optional<String> clientSecret();

    Optional<String> scope();

    /** PKCS#8 PEM RSA key for self-signed tokens. */
    Optional<Path> privateKey();

    @WithDefault("${quarkus.application.name}")
    String subject();

    @WithDefault("${mp.jwt.verify.issuer}")
    String issuer();

    /** The audience of self-signed tokens: the one every service checks. */
    @WithDefault("${mp.jwt.verify.audiences}")
    String audience();

    /** The source configured, or one that explains what is missing. */
    default java.util.function.Supplier<String> tokens() {
        if (tokenUrl().isPresent()) {
            return ServiceTokens.clientCredentials(tokenUrl().get(), clientId().orElseThrow(
                    () -> new IllegalStateException("oversight.service-auth.client-id is required with token-url")),
                    clientSecret().orElse(""), scope().orElse(null));
        }
        if (privateKey().isPresent()) {
            return ServiceTokens.selfSigned(privateKey().get(), issuer(), audience(), subject(), java.time.Duration.ofMinutes(10));
        }
        return () -> {
            throw new IllegalStateException("no service credentials: set oversight.service-auth.token-url"
                    + " (client credentials) or oversight.service-auth.private-key");
        };
    }
}
