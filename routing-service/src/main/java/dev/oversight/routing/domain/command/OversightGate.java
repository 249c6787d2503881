package dev.oversight.routing.domain.command;

import java.util.List;

/**
 * The one rule every change of a use case's oversight goes through. Tightening applies at once, by anyone.
 * Loosening needs a person: a machine ({@code system:*}) may not make it at all, and under four eyes (the policy
 * in force has {@code fourEyes}) it waits for a second person.
 */
public final class OversightGate {

    /** What becomes of a change. */
    public enum Outcome {
        /** Tightening or neutral, or loosening by a person without four eyes: it applies now. */
        APPLY,
        /** Loosening under four eyes: stored, and in force only when a second person approves it. */
        AWAIT_SECOND_PERSON,
        /** Loosening by a machine: not applied; a person may make it. */
        REFUSED_TO_MACHINE
    }

    /** The gate's answer: the outcome and each way the change loosens oversight. */
    public record Judgement(Outcome outcome, List<Loosening> loosens) {

        public List<String> loosensText() {
            return loosens.stream().map(Loosening::toString).toList();
        }
    }

    private OversightGate() {
    }

    public static Judgement judge(OversightSetting before, OversightSetting after, Actor actor) {
        List<Loosening> loosens = OversightOrder.loosenings(before, after);
        if (loosens.isEmpty()) {
            return new Judgement(Outcome.APPLY, loosens);
        }
        if (actor.isMachine()) {
            return new Judgement(Outcome.REFUSED_TO_MACHINE, loosens);
        }
        return new Judgement(before.policy().fourEyes() ? Outcome.AWAIT_SECOND_PERSON : Outcome.APPLY, loosens);
    }
}
