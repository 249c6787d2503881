package dev.oversight.routing.evaluation.rest;

import dev.oversight.common.failure.Failure;
import dev.oversight.routing.domain.evaluation.ItemSource;
import dev.oversight.routing.domain.evaluation.Strata;
import dev.oversight.routing.evaluation.service.BenchmarkService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /v1/use-cases/{useCase}/benchmarks}: which decided items to freeze. */
public record BenchmarkRequest(
        @NotBlank @Size(max = 200) String name,
        OffsetDateTime from,
        OffsetDateTime to,
        @Size(min = 1, max = 100) List<@NotBlank @Size(max = 128) String> modelVersions,
        @Size(min = 1, max = 4) List<@NotNull String> include,
        @Min(1) @Max(BenchmarkService.MAX_SIZE) Integer size,
        @Size(max = 4) List<@NotNull String> stratifyBy) {

    /** Without {@code include}: every source the router holds. */
    static final List<ItemSource> DEFAULT_INCLUDE =
            List.of(ItemSource.REVIEWED, ItemSource.AUDIT_SAMPLED, ItemSource.OVERRIDDEN);

    BenchmarkService.Spec toSpec() {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new Failure.Invalid("to", "must be after from");
        }
        List<ItemSource> sources = new ArrayList<>();
        for (int i = 0; include != null && i < include.size(); i++) {
            ItemSource s = ItemSource.fromApiName(include.get(i));
            if (s == null) {
                throw new Failure.Invalid("include[" + i + "]", "must be one of " + ItemSource.apiNames());
            }
            if (s == ItemSource.GOLD) {
                throw new Failure.Invalid("include[" + i + "]", "gold items are kept in the review service and never"
                        + " reach the router, so no benchmark can hold them; use reviewed, auditSampled or overridden");
            }
            if (!sources.contains(s)) {
                sources.add(s);
            }
        }
        for (int i = 0; stratifyBy != null && i < stratifyBy.size(); i++) {
            if (!Strata.KEY.matcher(stratifyBy.get(i)).matches()) {
                throw new Failure.Invalid("stratifyBy[" + i + "]", "must be reason, route, or an attribute path such"
                        + " as attributes.region");
            }
        }
        if (stratifyBy != null && stratifyBy.stream().distinct().count() < stratifyBy.size()) {
            throw new Failure.Invalid("stratifyBy", "names a key twice");
        }
        return new BenchmarkService.Spec(name, from == null ? null : from.toInstant(),
                to == null ? null : to.toInstant(), modelVersions == null ? null : List.copyOf(modelVersions),
                sources.isEmpty() ? DEFAULT_INCLUDE : List.copyOf(sources), size,
                stratifyBy == null ? List.of() : List.copyOf(stratifyBy));
    }
}
