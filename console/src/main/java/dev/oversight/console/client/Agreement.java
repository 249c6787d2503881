package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** How far reviewers agree: Fleiss' kappa over the tasks they shared, and Cohen's kappa for each pair. */
@TemplateData
public record Agreement(String useCase, Kappa fleiss, List<Pair> pairs) {

    public Agreement {
        pairs = pairs == null ? List.of() : List.copyOf(pairs);
    }

    /** A kappa with its 95% interval (null when too few items give one). */
    @TemplateData
    public record Kappa(Double kappa, List<Double> ci95, int items, int ratersPerItem) {
    }

    /** Cohen's kappa of two reviewers over the items both judged. */
    @TemplateData
    public record Pair(String reviewerA, String reviewerB, Double kappa, List<Double> ci95, int items) {
    }
}
