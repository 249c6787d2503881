package dev.oversight.console.service;

import dev.oversight.console.domain.Person;
import dev.oversight.console.domain.Role;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import jakarta.enterprise.context.RequestScoped;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Who is signed in for this request: the OpenID Connect identity (production), or the development session cookie
 * (local stack only). Pages that need a person call {@link #require()}.
 */
@RequestScoped
public class Session {

    private final SecurityIdentity identity;
    private final CurrentVertxRequest request;
    private final DevSignIn dev;
    private Optional<Person> person;

    public Session(SecurityIdentity identity, CurrentVertxRequest request, DevSignIn dev) {
        this.identity = identity;
        this.request = request;
        this.dev = dev;
    }

    public Optional<Person> person() {
        if (person == null) {
            person = resolve();
        }
        return person;
    }

    /** The signed-in person; otherwise the request ends in a redirect to sign in. */
    public Person require() {
        return person().orElseThrow(SignInRequired::new);
    }

    private Optional<Person> resolve() {
        if (!identity.isAnonymous()) {
            AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
            if (token == null) {
                return Optional.empty();
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            identity.getRoles().forEach(r -> Role.ofClaim(r).ifPresent(roles::add));
            return Optional.of(new Person(identity.getPrincipal().getName(), roles, token.getToken()));
        }
        if (dev.enabled() && request.getCurrent() != null) {
            Cookie cookie = request.getCurrent().request().getCookie(DevSignIn.COOKIE);
            return cookie == null ? Optional.empty() : dev.person(cookie.getValue());
        }
        return Optional.empty();
    }

    /** Thrown when a page needs a signed-in person and there is none. */
    public static final class SignInRequired extends RuntimeException {
        public SignInRequired() {
            super("sign in first", null, false, false);
        }
    }
}
