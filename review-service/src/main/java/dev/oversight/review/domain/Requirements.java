package dev.oversight.review.domain;

import java.util.List;
import java.util.TreeSet;

/**
 * What a task requires of the people who review it: every skill, every language and a qualification valid on the
 * day, each named by a tag. None of them: anyone with the reviewer role may take it.
 */
public record Requirements(List<String> skills, List<String> languages, List<String> qualifications) {

    /** A skill or qualification tag. */
    public static final String TAG = "[a-z0-9][a-z0-9._-]{0,63}";
    public static final String TAG_MESSAGE = "must be a tag of 1-64 characters of a-z, 0-9, '.', '_' and '-'";
    /** A language: a BCP 47 tag in lower case (en, pt, pt-br). */
    public static final String LANGUAGE = "[a-z]{2,3}(-[a-z0-9]{2,8}){0,3}";
    public static final String LANGUAGE_MESSAGE = "must be a BCP 47 language tag in lower case, such as pt or pt-br";

    private static final Requirements NONE = new Requirements(List.of(), List.of(), List.of());

    /** Sorted and without repeats, so that equal requirements compare equal. */
    public Requirements {
        skills = normal(skills);
        languages = normal(languages);
        qualifications = normal(qualifications);
    }

    public static Requirements none() {
        return NONE;
    }

    public boolean isEmpty() {
        return skills.isEmpty() && languages.isEmpty() && qualifications.isEmpty();
    }

    private static List<String> normal(List<String> tags) {
        return tags == null ? List.of() : List.copyOf(new TreeSet<>(tags));
    }
}
