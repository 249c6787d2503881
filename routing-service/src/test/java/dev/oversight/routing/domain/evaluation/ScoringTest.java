package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ScoringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode j(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void withoutARuleOutputsAreEqualAsCanonicalJson() throws Exception {
        Scoring exact = Scoring.exact();
        assertThat(exact.score(j("{\"b\":1.0,\"a\":\"x\"}"), j("{\"a\":\"x\",\"b\":1}"), null)).isTrue();
        assertThat(exact.score(j("{\"a\":\"x\",\"b\":2}"), j("{\"a\":\"x\",\"b\":1}"), null)).isFalse();
        assertThat(exact.score(j("\"approve\""), j("\"approve\""), null)).isTrue();
    }

    @Test
    void aRuleComparesOnlyWhatItNames() throws Exception {
        Scoring byDecision = Scoring.by(Equivalence.compile("candidate.decision == reference.decision"));
        JsonNode reference = j("{\"decision\":\"approve\",\"note\":\"ok\"}");
        assertThat(byDecision.score(j("{\"decision\":\"approve\",\"note\":\"fine\"}"), reference, null)).isTrue();
        assertThat(Scoring.exact().score(j("{\"decision\":\"approve\",\"note\":\"fine\"}"), reference, null)).isFalse();
        assertThat(byDecision.score(j("{\"decision\":\"deny\"}"), reference, null)).isFalse();
        assertThat(byDecision.score(j("{\"verdict\":\"approve\"}"), reference, null)).isNull();
    }

    @Test
    void aRejectionWithoutACorrectionJudgesOnlyTheRejectedOutput() throws Exception {
        JsonNode rejected = j("{\"decision\":\"approve\"}");
        assertThat(Scoring.exact().score(j("{\"decision\":\"approve\"}"), null, rejected)).isFalse();
        assertThat(Scoring.exact().score(j("{\"decision\":\"deny\"}"), null, rejected)).isNull();
        assertThat(Scoring.exact().score(null, j("1"), null)).isNull();
    }
}
