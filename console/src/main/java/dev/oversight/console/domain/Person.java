package dev.oversight.console.domain;

import java.util.Set;

/**
 * The signed-in person: their name, their roles, and the bearer token the console presents to the services on their
 * behalf. The token never reaches a page: {@link #toString()} leaves it out and templates get {@link #bearer()}
 * nowhere.
 */
public record Person(String name, Set<Role> roles, String bearer) {

    public Person {
        roles = Set.copyOf(roles);
    }

    /** The Authorization header value the console sends the services on this person's behalf. */
    public String authorization() {
        return "Bearer " + bearer;
    }

    public boolean is(Role role) {
        return roles.contains(role);
    }

    public boolean reviews() {
        return is(Role.REVIEWER) || is(Role.SENIOR_REVIEWER);
    }

    public boolean senior() {
        return is(Role.SENIOR_REVIEWER);
    }

    public boolean admin() {
        return is(Role.ADMIN);
    }

    public boolean audits() {
        return is(Role.AUDITOR) || is(Role.ADMIN);
    }

    /** Where this person starts: the first console area their roles open. */
    public String home() {
        if (reviews()) {
            return "/review";
        }
        if (admin()) {
            return "/operate";
        }
        if (audits()) {
            return "/audit";
        }
        return "/signed-in";
    }

    @Override
    public String toString() {
        return "Person[" + name + ", " + roles + "]";
    }
}
