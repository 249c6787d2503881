package dev.oversight.routing.config.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.config.service.RoutingConfig;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who the calling app is, as policies' {@code apps} name it: the value of {@code routing.app-claim} when configured,
 * else the caller's identity (upn, else sub). The app owns its decisions: it reads them back, its idempotency keys
 * are its own, and its callbacks are signed with its webhook secret.
 */
@RequestScoped
public class AppIdentity {

    private final SecurityIdentity caller;
    private final JsonWebToken token;
    private final RoutingConfig config;

    public AppIdentity(SecurityIdentity caller, JsonWebToken token, RoutingConfig config) {
        this.caller = caller;
        this.token = token;
        this.config = config;
    }

    public String name() {
        if (config.appClaim().isEmpty()) {
            return caller.getPrincipal().getName();
        }
        Object value = token.getClaim(config.appClaim().get());
        if (value == null) {
            throw new Failure.NotAllowed("The token has no '" + config.appClaim().get() + "' claim naming the app.");
        }
        return value instanceof JsonString s ? s.getString() : value.toString();
    }
}
