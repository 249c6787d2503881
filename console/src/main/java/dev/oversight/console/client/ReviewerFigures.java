package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** Each reviewer's figures; the gold figures are there only for the people the review service shows them to. */
@TemplateData
public record ReviewerFigures(List<Reviewer> items) {

    public ReviewerFigures {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** One reviewer: volume, time on task, how often overturned, gold accuracy, whether paused. */
    @TemplateData
    public record Reviewer(String reviewer, long volume, Double meanTimeOnTaskMs, Double overturnRate,
                           Double goldAccuracy, Long goldItems, boolean paused) {
    }
}
