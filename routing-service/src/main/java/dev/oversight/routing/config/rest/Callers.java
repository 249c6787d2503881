package dev.oversight.routing.config.rest;

import dev.oversight.routing.domain.command.Actor;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The person or service behind a request, as the oversight gate tells people apart: by issuer and subject. */
public final class Callers {

    private Callers() {
    }

    public static Actor actor(SecurityIdentity caller) {
        String name = caller.getPrincipal().getName();
        if (caller.getPrincipal() instanceof JsonWebToken token) {
            return new Actor(name, token.getIssuer(), token.getSubject() == null ? name : token.getSubject());
        }
        return new Actor(name, null, name);
    }
}
