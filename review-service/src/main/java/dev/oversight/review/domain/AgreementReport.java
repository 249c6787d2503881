package dev.oversight.review.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Agreement among reviewers of finished tasks: Fleiss' kappa over the tasks with the most common number of
 * raters, and Cohen's kappa for every pair of reviewers who judged at least two tasks in common, each with a 95%
 * bootstrap interval ({@link Agreement}).
 */
public final class AgreementReport {

    /** A kappa with its interval (null when undefined), over {@code items} tasks of {@code ratersPerItem} raters. */
    public record Kappa(Double kappa, List<Double> ci95, int items, int ratersPerItem) {
        static Kappa of(Agreement.Kappa k, int raters) {
            return new Kappa(Double.isNaN(k.kappa()) ? null : k.kappa(),
                    Double.isNaN(k.lower()) ? null : List.of(k.lower(), k.upper()), k.items(), raters);
        }
    }

    public record Pair(String reviewerA, String reviewerB, Double kappa, List<Double> ci95, int items,
                       int ratersPerItem) {
    }

    public record Report(String useCase, Kappa fleiss, List<Pair> pairs) {
    }

    private AgreementReport() {
    }

    /** @param verdicts human verdicts of finished review tasks */
    public static Report of(String useCase, List<GivenVerdict> verdicts) {
        Map<UUID, Map<String, Verdict>> byTask = new java.util.LinkedHashMap<>();
        for (GivenVerdict v : verdicts) {
            byTask.computeIfAbsent(v.taskId(), k -> new TreeMap<>()).put(v.reviewer(), v.verdict());
        }
        return new Report(useCase, fleiss(byTask), pairs(byTask));
    }

    private static Kappa fleiss(Map<UUID, Map<String, Verdict>> byTask) {
        Map<Integer, List<Map<String, Verdict>>> bySize = new TreeMap<>();
        byTask.values().stream().filter(m -> m.size() >= 2)
                .forEach(m -> bySize.computeIfAbsent(m.size(), k -> new ArrayList<>()).add(m));
        List<Map<String, Verdict>> items = bySize.values().stream()
                .max((a, b) -> Integer.compare(a.size(), b.size())).orElse(List.of());
        if (items.size() < 2) {
            return null;
        }
        int[][] counts = new int[items.size()][Verdict.values().length];
        for (int i = 0; i < items.size(); i++) {
            for (Verdict v : items.get(i).values()) {
                counts[i][v.ordinal()]++;
            }
        }
        return Kappa.of(Agreement.fleissWithInterval(counts, 1), items.get(0).size());
    }

    private static List<Pair> pairs(Map<UUID, Map<String, Verdict>> byTask) {
        Map<String, List<Verdict[]>> common = new TreeMap<>();
        for (Map<String, Verdict> ratings : byTask.values()) {
            List<String> reviewers = new ArrayList<>(ratings.keySet());
            for (int i = 0; i < reviewers.size(); i++) {
                for (int j = i + 1; j < reviewers.size(); j++) {
                    common.computeIfAbsent(reviewers.get(i) + '\u0000' + reviewers.get(j), k -> new ArrayList<>())
                            .add(new Verdict[] {ratings.get(reviewers.get(i)), ratings.get(reviewers.get(j))});
                }
            }
        }
        List<Pair> out = new ArrayList<>();
        common.forEach((pair, rows) -> {
            if (rows.size() < 2) {
                return;
            }
            String[] names = pair.split("\u0000");
            Kappa k = Kappa.of(Agreement.cohenWithInterval(rows.stream().map(r -> r[0].name()).toList(),
                    rows.stream().map(r -> r[1].name()).toList(), 1), 2);
            out.add(new Pair(names[0], names[1], k.kappa(), k.ci95(), k.items(), k.ratersPerItem()));
        });
        return out;
    }
}
