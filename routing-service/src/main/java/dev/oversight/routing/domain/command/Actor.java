package dev.oversight.routing.domain.command;

import java.util.Objects;

/**
 * Who makes a change. {@code name} is what the trail shows; whether two actors are one person is decided by the
 * token's issuer and subject, never by the name (a renamed account keeps its subject). Actors named
 * {@code system:*} are the router's own jobs: they may only tighten oversight.
 */
public record Actor(String name, String issuer, String subject) {

    public static final String MACHINE_PREFIX = "system:";

    public Actor {
        Objects.requireNonNull(name, "name");
    }

    /** One of the router's own jobs (drift watchdog, scheduled refits, sweeps). */
    public static Actor machine(String name) {
        if (!name.startsWith(MACHINE_PREFIX)) {
            throw new IllegalArgumentException("a machine actor's name starts with " + MACHINE_PREFIX);
        }
        return new Actor(name, null, null);
    }

    public boolean isMachine() {
        return name.startsWith(MACHINE_PREFIX);
    }

    /**
     * Whether this actor is the same person as the author of a change stored with {@code issuer} and {@code subject}
     * (and, for changes stored before subjects were kept, only a {@code name}).
     */
    public boolean samePersonAs(String authorName, String authorIssuer, String authorSubject) {
        if (authorSubject == null || subject == null) {
            return name.equals(authorName);
        }
        return subject.equals(authorSubject) && Objects.equals(issuer, authorIssuer);
    }
}
