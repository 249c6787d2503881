package dev.oversight.routing.domain.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oversight.routing.domain.RuleCompilationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EquivalenceTest {

    @Test
    void comparesOnlyWhatTheRuleNames() throws Exception {
        Equivalence sameDecision = Equivalence.compile("candidate.decision == reference.decision");
        assertThat(sameDecision.equivalent(Map.of("decision", "approve", "note", "fine"),
                Map.of("decision", "approve", "note", "looks good"))).isTrue();
        assertThat(sameDecision.equivalent(Map.of("decision", "deny"), Map.of("decision", "approve"))).isFalse();
    }

    @Test
    void anItemTheRuleCannotJudgeIsUndecided() throws Exception {
        Equivalence sameDecision = Equivalence.compile("candidate.decision == reference.decision");
        assertThat(sameDecision.equivalent(Map.of("other", 1L), Map.of("decision", "approve"))).isNull();
        assertThat(sameDecision.equivalent("a string", Map.of("decision", "approve"))).isNull();
    }

    @Test
    void numbersAndListsCompareAsJsonValues() throws Exception {
        // CEL compares an int with a double, but does arithmetic only on one type: double() converts.
        Equivalence close = Equivalence.compile("double(candidate.amount) - double(reference.amount) < 1.0"
                + " && double(reference.amount) - double(candidate.amount) < 1.0"
                + " && size(candidate.tags) == size(reference.tags) && candidate.amount <= 100.5");
        assertThat(close.equivalent(Map.of("amount", 100L, "tags", List.of("a")),
                Map.of("amount", 100.5, "tags", List.of("b")))).isTrue();
    }

    @Test
    void aRuleThatDoesNotCompileOrYieldABoolIsRefused() {
        assertThatThrownBy(() -> Equivalence.compile("candidate ==")).isInstanceOf(RuleCompilationException.class);
        assertThatThrownBy(() -> Equivalence.compile("1 + 2")).isInstanceOf(RuleCompilationException.class);
    }
}
