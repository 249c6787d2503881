package dev.oversight.review.domain;

import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version of a use case's review standard: what reviewers are told (Markdown {@code instructions}) and the
 * criteria a verdict may score, each on its own scale of labels.
 */
public record Guideline(String useCase, int version, String instructions, List<Criterion> criteria, String sha256,
                        Instant createdAt, String createdBy) {

    /** One criterion of the rubric: its name, its scale of labels in order, and what it means. */
    public record Criterion(String name, List<String> scale, String description) {
        public Criterion {
            scale = List.copyOf(scale);
        }
    }

    public Guideline {
        criteria = List.copyOf(criteria);
    }

    /** Why a rubric cannot be used (names repeated, a scale with a label twice), or empty. */
    public static Optional<String> problemWith(List<Criterion> criteria) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < criteria.size(); i++) {
            Criterion c = criteria.get(i);
            if (!names.add(c.name())) {
                return Optional.of("criteria[" + i + "].name: '" + c.name() + "' is used twice");
            }
            if (new HashSet<>(c.scale()).size() < c.scale().size()) {
                return Optional.of("criteria[" + i + "].scale: a label appears twice");
            }
        }
        return Optional.empty();
    }

    /**
     * Why these scores do not fit the rubric, or empty: scores name criteria of this rubric (any subset) and give each
     * a label of its scale.
     */
    public Optional<String> problemWithScores(Map<String, String> scores) {
        for (Iterator<Map.Entry<String, String>> it = scores.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            Criterion c = criteria.stream().filter(k -> k.name().equals(e.getKey())).findFirst().orElse(null);
            if (c == null) {
                return Optional.of("'" + e.getKey() + "' is not a criterion of guideline version " + version
                        + " (criteria: " + criteria.stream().map(Criterion::name).toList() + ")");
            }
            if (!c.scale().contains(e.getValue())) {
                return Optional.of(e.getKey() + ": '" + e.getValue() + "' is not on its scale " + c.scale());
            }
        }
        return Optional.empty();
    }
}
