package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StrataTest {

    @Test
    void namesTheStratumByRouteReasonAndAttributes() throws Exception {
        var attributes = new ObjectMapper().readTree("{\"region\":\"eu\",\"customer\":{\"tier\":2}}");
        assertThat(Strata.of(List.of("route", "attributes.region"), "REVIEW", List.of("LOW_CONFIDENCE"), attributes))
                .isEqualTo("route=REVIEW|attributes.region=eu");
        assertThat(Strata.of(List.of("reason", "attributes.customer.tier"), "REVIEW",
                List.of("LOW_CONFIDENCE", "RULE:big"), attributes))
                .isEqualTo("reason=LOW_CONFIDENCE+RULE:big|attributes.customer.tier=2");
        assertThat(Strata.of(List.of("attributes.missing"), "RELEASE", List.of(), null)).isEqualTo("attributes.missing=-");
        assertThat(Strata.of(null, "RELEASE", List.of(), null)).isEqualTo(Strata.ALL);
        assertThat(Strata.KEY.matcher("attributes.region").matches()).isTrue();
        assertThat(Strata.KEY.matcher("attributes").matches()).isFalse();
        assertThat(Strata.KEY.matcher("input.x").matches()).isFalse();
    }

    @Test
    void splitsTheSizeInProportionAndTheShareAddsUp() {
        Map<String, Integer> counts = new TreeMap<>(Map.of("a", 60, "b", 30, "c", 10));
        // 10 of 100: one each, then 7 of the 97 left: exact shares 4.26, 2.09, 0.65 → 4, 2, 0, and the one left
        // goes to the largest remainder (c).
        assertThat(Strata.allocate(counts, 10)).isEqualTo(Map.of("a", 5, "b", 3, "c", 2));
        // 2 of 100 cannot give one to each of 3 strata: 1.2, 0.6, 0.2 → a 1, then b (largest remainder).
        assertThat(Strata.allocate(counts, 2)).isEqualTo(Map.of("a", 1, "b", 1, "c", 0));
        assertThat(Strata.allocate(counts, 200)).isEqualTo(counts);
        Map<String, Integer> skewed = new TreeMap<>(Map.of("big", 997, "s1", 1, "s2", 1, "s3", 1));
        Map<String, Integer> small = Strata.allocate(skewed, 5);
        assertThat(small.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(small).containsEntry("s1", 1).containsEntry("s2", 1).containsEntry("s3", 1).containsEntry("big", 2);
    }
}
