package dev.oversight.routing.domain.evaluation;

import java.util.Arrays;
import java.util.List;

/** How people came to decide a benchmark item; the names are the API's. */
public enum ItemSource {
    /** Reviewed because the router sent it to review (low confidence, a rule, a new model version...). */
    REVIEWED("reviewed"),
    /** Reviewed only because it was audit-sampled among confident outputs. */
    AUDIT_SAMPLED("auditSampled"),
    /** A gold item seeded by an admin; gold items live in the review service and never reach the router. */
    GOLD("gold"),
    /** A released output a person overrode. */
    OVERRIDDEN("overridden");

    private final String apiName;

    ItemSource(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static ItemSource fromApiName(String name) {
        return Arrays.stream(values()).filter(s -> s.apiName.equals(name)).findFirst().orElse(null);
    }

    public static List<String> apiNames() {
        return Arrays.stream(values()).map(ItemSource::apiName).toList();
    }

    /** The source of a decided decision, from its status and the reasons it was routed for. */
    public static ItemSource of(String status, List<String> reasons) {
        if (status.equals("OVERRIDDEN")) {
            return OVERRIDDEN;
        }
        return reasons.equals(List.of("AUDIT_SAMPLE")) ? AUDIT_SAMPLED : REVIEWED;
    }
}
