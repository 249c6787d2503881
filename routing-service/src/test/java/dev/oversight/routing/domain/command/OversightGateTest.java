package dev.oversight.routing.domain.command;

import static dev.oversight.routing.domain.command.PolicyBuilder.base;
import static dev.oversight.routing.domain.command.PolicyBuilder.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.command.OversightGate.Outcome;
import org.junit.jupiter.api.Test;

/** The gate: people command, machines only tighten, four eyes hold loosening for a second person. */
class OversightGateTest {

    private static final Actor ALICE = new Actor("alice", "https://idp", "u-1");
    private static final Actor WATCHDOG = Actor.machine("system:drift");
    private final OversightSetting fourEyes = OversightOrderTest.setting(base());
    private final OversightSetting twoEyes = OversightOrderTest.setting(with(b -> b.fourEyes = false));

    @Test
    void tightening_appliesForPeopleAndMachines() {
        assertThat(OversightGate.judge(fourEyes, fourEyes.withMode(Mode.HALT), ALICE).outcome()).isEqualTo(Outcome.APPLY);
        assertThat(OversightGate.judge(fourEyes, fourEyes.withMode(Mode.REVIEW_ALL), WATCHDOG).outcome())
                .isEqualTo(Outcome.APPLY);
    }

    @Test
    void loosening_waitsForASecondPersonUnderFourEyes_andAppliesWithout() {
        OversightGate.Judgement j = OversightGate.judge(fourEyes.withMode(Mode.HALT), fourEyes, ALICE);
        assertThat(j.outcome()).isEqualTo(Outcome.AWAIT_SECOND_PERSON);
        assertThat(j.loosensText()).containsExactly("mode: from HALT to AUTO");
        assertThat(OversightGate.judge(twoEyes.withMode(Mode.HALT), twoEyes, ALICE).outcome()).isEqualTo(Outcome.APPLY);
    }

    @Test
    void aMachine_neverLoosens_withOrWithoutFourEyes() {
        assertThat(OversightGate.judge(fourEyes.withMode(Mode.HALT), fourEyes.withMode(Mode.REVIEW_ALL), WATCHDOG)
                .outcome()).isEqualTo(Outcome.REFUSED_TO_MACHINE);
        assertThat(OversightGate.judge(twoEyes.withMode(Mode.HALT), twoEyes.withMode(Mode.REVIEW_ALL), WATCHDOG)
                .outcome()).isEqualTo(Outcome.REFUSED_TO_MACHINE);
    }

    @Test
    void fourEyesIsTheOneInForce_notTheOneProposed() {
        // Turning four eyes on while loosening something else: the policy in force has none, so it applies.
        OversightSetting proposal = OversightOrderTest.setting(with(b -> b.threshold = 0.5));
        assertThat(OversightGate.judge(twoEyes, proposal, ALICE).outcome()).isEqualTo(Outcome.APPLY);
        // Turning it off is itself loosening, and waits.
        assertThat(OversightGate.judge(fourEyes, twoEyes, ALICE).outcome()).isEqualTo(Outcome.AWAIT_SECOND_PERSON);
    }

    @Test
    void aSecondPerson_isAnotherIssuerAndSubject_neverAnotherName() {
        Actor renamed = new Actor("alice.smith", "https://idp", "u-1");
        Actor otherAccount = new Actor("alice", "https://idp", "u-2");
        Actor otherIssuer = new Actor("alice", "https://other-idp", "u-1");
        assertThat(renamed.samePersonAs("alice", "https://idp", "u-1")).isTrue();
        assertThat(otherAccount.samePersonAs("alice", "https://idp", "u-1")).isFalse();
        assertThat(otherIssuer.samePersonAs("alice", "https://idp", "u-1")).isFalse();
        // A change stored before subjects were kept is compared by name.
        assertThat(ALICE.samePersonAs("alice", null, null)).isTrue();
        assertThat(ALICE.samePersonAs("bob", null, null)).isFalse();
    }

    @Test
    void onlySystemNames_areMachines() {
        assertThat(WATCHDOG.isMachine()).isTrue();
        assertThat(ALICE.isMachine()).isFalse();
        assertThatThrownBy(() -> Actor.machine("drift")).isInstanceOf(IllegalArgumentException.class);
    }
}
