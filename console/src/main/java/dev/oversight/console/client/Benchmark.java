package dev.oversight.console.client;

import io.quarkus.qute.TemplateData;
import java.util.Map;

/** A frozen benchmark's summary: its size, strata, the review-standard versions behind it, erasures and digest. */
@TemplateData
public record Benchmark(int version, String name, int size, String digest, Map<String, Integer> strata,
                        Map<String, Integer> guidelineVersions, String firstDecidedAt, String lastDecidedAt, int erased,
                        String createdAt, String createdBy) {

    /** The digest's first 12 hex digits, enough to tell benchmarks apart at a glance. */
    public String shortDigest() {
        return digest == null || digest.length() < 12 ? digest : digest.substring(0, 12);
    }
}
