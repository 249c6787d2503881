package dev.oversight.routing.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.NullValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetTest {

    private static List<Rule> matching(String expression, Map<String, Object> attributes) throws Exception {
        RuleSet rules = RuleSet.compile(List.of(new Rule("r", expression, null)));
        return rules.matching(new RuleInput(attributes, 0.7, 0.6, "m1"));
    }

    @Test
    void syntaxError_isRejectedAtCompileTime_namingTheRule() {
        assertThatThrownBy(() -> RuleSet.compile(List.of(new Rule("ok", "true", null),
                new Rule("broken", "attributes.amount >", null))))
                .isInstanceOf(RuleCompilationException.class)
                .satisfies(e -> assertThat(((RuleCompilationException) e).ruleName()).isEqualTo("broken"))
                .hasMessageContaining("mismatched input");
    }

    @Test
    void nonBooleanResult_isRejectedAtCompileTime() {
        assertThatThrownBy(() -> RuleSet.compile(List.of(new Rule("sum", "confidence + 1.0", null))))
                .isInstanceOf(RuleCompilationException.class);
    }

    @Test
    void unknownVariable_isRejectedAtCompileTime() {
        assertThatThrownBy(() -> RuleSet.compile(List.of(new Rule("typo", "atributes.x == 1", null))))
                .isInstanceOf(RuleCompilationException.class)
                .hasMessageContaining("undeclared reference");
    }

    @Test
    void integerAndDoubleAttributesCompareWithEitherLiteral() throws Exception {
        assertThat(matching("attributes.amount > 10000", Map.of("amount", 20_000L))).hasSize(1);
        assertThat(matching("attributes.amount > 10000", Map.of("amount", 20_000.5))).hasSize(1);
        assertThat(matching("attributes.amount > 10000.0", Map.of("amount", 20_000L))).hasSize(1);
        assertThat(matching("attributes.amount > 10000", Map.of("amount", 5L))).isEmpty();
    }

    @Test
    void macrosStringsListsAndNestedMapsWork() throws Exception {
        Map<String, Object> attrs = Map.of("country", "DE", "tags", List.of("vip", "new"),
                "customer", Map.of("tier", "gold"));
        assertThat(matching("has(attributes.country) && attributes.country in ['DE', 'FR']", attrs)).hasSize(1);
        assertThat(matching("attributes.tags.exists(t, t == 'vip')", attrs)).hasSize(1);
        assertThat(matching("attributes.customer.tier == 'gold'", attrs)).hasSize(1);
        assertThat(matching("has(attributes.missing)", attrs)).isEmpty();
    }

    @Test
    void jsonNullAttribute_comparesEqualToNull() throws Exception {
        assertThat(matching("attributes.reviewer == null", Map.of("reviewer", NullValue.NULL_VALUE))).hasSize(1);
    }

    @Test
    void evaluationError_countsAsMatch_soABrokenSafeguardDiverts() throws Exception {
        assertThat(matching("attributes.amount > 10", Map.of())).hasSize(1);
        assertThat(matching("attributes.amount > 10", Map.of("amount", "not a number"))).hasSize(1);
    }

    @Test
    void matchingKeepsPolicyOrder() throws Exception {
        RuleSet rules = RuleSet.compile(List.of(new Rule("b", "true", null), new Rule("a", "false", null),
                new Rule("c", "confidence > 0.5", null)));
        assertThat(rules.matching(new RuleInput(Map.of(), 0.9, 0.9, "m")))
                .extracting(Rule::name).containsExactly("b", "c");
    }

    @Test
    void rulesReadTheToolCall_andAnOutputHasNone() throws Exception {
        RuleSet rules = RuleSet.compile(List.of(new Rule("big-transfer",
                "toolCall.name == 'transfer' && toolCall.arguments.amount > 1000", null)));
        assertThat(rules.matching(new RuleInput(Map.of(), 0.9, 0.9, "m", new ToolCall("transfer",
                Map.of("amount", 5000L))))).hasSize(1);
        assertThat(rules.matching(new RuleInput(Map.of(), 0.9, 0.9, "m", new ToolCall("transfer",
                Map.of("amount", 10L))))).isEmpty();
        assertThat(rules.matching(new RuleInput(Map.of(), 0.9, 0.9, "m", new ToolCall("lookup", Map.of()))))
                .isEmpty();
        assertThat(rules.matching(new RuleInput(Map.of("amount", 5000L), 0.9, 0.9, "m"))).isEmpty();
    }
}
