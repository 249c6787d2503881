package dev.oversight.routing.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyChangeTest {

    private static Policy policy(Double threshold, double alpha, double audit, List<Rule> review, List<String> apps,
                                 boolean blind, boolean fourEyes) {
        return new Policy(threshold, alpha, 0.05, audit, review, List.of(), 1, 3600, OnReviewTimeout.HOLD, blind,
                apps, OnDrift.ALERT, fourEyes, null);
    }

    private static final Rule BIG = new Rule("big", "attributes.amount > 1000", null);
    private final Policy base = policy(0.8, 0.05, 0.02, List.of(BIG), List.of("app-a"), true, true);

    @Test
    void tighteningAndNeutralChanges_loosenNothing() {
        assertThat(PolicyChange.loosenings(base, base)).isEmpty();
        assertThat(PolicyChange.loosenings(base, policy(0.9, 0.01, 0.05,
                List.of(BIG, new Rule("new", "true", 2)), List.of("app-a"), true, true))).isEmpty();
    }

    @Test
    void everyLoosening_isNamed() {
        assertThat(PolicyChange.loosenings(base, policy(0.7, 0.05, 0.02, List.of(BIG), List.of("app-a"), true, true)))
                .containsExactly("threshold lowered from 0.8 to 0.7");
        assertThat(PolicyChange.loosenings(base, policy(null, 0.05, 0.02, List.of(BIG), List.of("app-a"), true, true)))
                .singleElement().asString().startsWith("threshold lowered");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.1, 0.02, List.of(BIG), List.of("app-a"), true, true)))
                .containsExactly("targetErrorRate raised from 0.05 to 0.1");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.01, List.of(BIG), List.of("app-a"), true, true)))
                .containsExactly("auditSampleRate lowered from 0.02 to 0.01");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.02, List.of(), List.of("app-a"), true, true)))
                .containsExactly("reviewRules: rule 'big' removed");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.02,
                List.of(new Rule("big", "attributes.amount > 5000", null)), List.of("app-a"), true, true)))
                .containsExactly("reviewRules: rule 'big' changed its condition");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.02, List.of(BIG), List.of("*"), true, true)))
                .containsExactly("apps widened");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.02, List.of(BIG), List.of("app-a"), false, true)))
                .containsExactly("blindReview turned off");
        assertThat(PolicyChange.loosenings(base, policy(0.8, 0.05, 0.02, List.of(BIG), List.of("app-a"), true, false)))
                .containsExactly("fourEyes turned off");
    }

    @Test
    void backToAuto_isTheLooseningSwitch() {
        assertThat(PolicyChange.loosens(Mode.HALT, Mode.AUTO)).isTrue();
        assertThat(PolicyChange.loosens(Mode.REVIEW_ALL, Mode.AUTO)).isTrue();
        assertThat(PolicyChange.loosens(Mode.AUTO, Mode.HALT)).isFalse();
        assertThat(PolicyChange.loosens(Mode.HALT, Mode.REVIEW_ALL)).isFalse();
    }
}
