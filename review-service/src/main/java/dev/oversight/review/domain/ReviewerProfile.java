package dev.oversight.review.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a reviewer is to the queue: their skills, languages and qualifications, how many tasks they may hold at once
 * ({@code maxOpenLeases}, null: no limit), whether they review at all ({@code active}) and whether gold items paused
 * them. A reviewer nobody described has the profile {@link #unknown}: no skills, active, no limit. {@code email}:
 * where notifications go (null: none), {@code notifications}: whether they want them, {@code senior}: told when an
 * adjudication opens.
 */
public record ReviewerProfile(String name, List<String> skills, List<String> languages,
                              List<Qualification> qualifications, Integer maxOpenLeases, boolean active, boolean paused,
                              String pausedWhy, boolean described, Instant updatedAt, String updatedBy, String email,
                              boolean notifications, boolean senior) {

    public ReviewerProfile {
        skills = List.copyOf(skills);
        languages = List.copyOf(languages);
        qualifications = List.copyOf(qualifications);
    }

    public static ReviewerProfile unknown(String name) {
        return new ReviewerProfile(name, List.of(), List.of(), List.of(), null, true, false, null, false, null, null,
                null, true, false);
    }

    /** Whether mail may be sent to this reviewer. */
    public boolean mailable() {
        return email != null && notifications && active;
    }

    /**
     * What this reviewer lacks for a task requiring {@code r} on {@code day}, in words for them ("skill legal",
     * "qualification medical expired on 2026-11-30"); empty when they may take it.
     */
    public Optional<String> missing(Requirements r, LocalDate day) {
        List<String> lacks = new ArrayList<>();
        r.skills().stream().filter(s -> !skills.contains(s)).forEach(s -> lacks.add("skill " + s));
        r.languages().stream().filter(l -> !languages.contains(l)).forEach(l -> lacks.add("language " + l));
        for (String q : r.qualifications()) {
            Optional<Qualification> held = qualifications.stream().filter(h -> h.name().equals(q)).findFirst();
            if (held.isEmpty()) {
                lacks.add("qualification " + q);
            } else if (!held.get().validOn(day)) {
                lacks.add("qualification " + q + " (expired on " + held.get().validUntil() + ")");
            }
        }
        return lacks.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", lacks));
    }
}
