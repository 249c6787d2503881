package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** One page of a service's list; {@code nextCursor} continues it (null on the last page). */
@TemplateData
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
