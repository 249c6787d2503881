package dev.oversight.routing.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the people who review an output must have: every skill, every language (BCP 47, lower case) and a
 * qualification valid on the day, each named by a tag. The review service gives a task only to reviewers who have
 * them on record.
 */
public record ReviewerRequirements(List<String> skills, List<String> languages, List<String> qualifications) {

    public static final String TAG = "[a-z0-9][a-z0-9._-]{0,63}";
    public static final String TAG_MESSAGE = "must be a tag of 1-64 characters of a-z, 0-9, '.', '_' and '-'";
    public static final String LANGUAGE = "[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}";
    public static final String LANGUAGE_MESSAGE = "must be a BCP 47 language tag in lower case, such as pt or pt-br";

    private static final ReviewerRequirements NONE = new ReviewerRequirements(List.of(), List.of(), List.of());

    /** Sorted and without repeats, so that equal requirements compare equal. */
    public ReviewerRequirements {
        skills = normal(skills);
        languages = normal(languages);
        qualifications = normal(qualifications);
    }

    public static ReviewerRequirements none() {
        return NONE;
    }

    public boolean requiresNothing() {
        return skills.isEmpty() && languages.isEmpty() && qualifications.isEmpty();
    }

    /** Both requirements at once. */
    public ReviewerRequirements and(ReviewerRequirements other) {
        if (other == null || other.requiresNothing()) {
            return this;
        }
        return new ReviewerRequirements(join(skills, other.skills), join(languages, other.languages),
                join(qualifications, other.qualifications));
    }

    /** What {@code before} required that this no longer does, in words ("skill legal"); empty when nothing. */
    public List<String> dropped(ReviewerRequirements before) {
        List<String> out = new ArrayList<>();
        before.skills.stream().filter(s -> !skills.contains(s)).forEach(s -> out.add("skill " + s));
        before.languages.stream().filter(s -> !languages.contains(s)).forEach(s -> out.add("language " + s));
        before.qualifications.stream().filter(s -> !qualifications.contains(s)).forEach(s -> out.add("qualification " + s));
        return out;
    }

    /** Null-safe: none when absent. */
    public static ReviewerRequirements of(ReviewerRequirements r) {
        return r == null ? NONE : r;
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> normal(List<String> tags) {
        return tags == null ? List.of() : List.copyOf(new TreeSet<>(tags));
    }
}
