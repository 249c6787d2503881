package dev.oversight.routing.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a new policy version loosens oversight compared with the one in force: each way it lets more outputs through
 * with less human attention. Tightening and neutral changes give an empty list. Conservative by design: a rule whose
 * condition changed counts as loosening, because whether a changed CEL expression matches less cannot be decided.
 */
public final class PolicyChange {

    private PolicyChange() {
    }

    public static List<String> loosenings(Policy before, Policy after) {
        List<String> out = new ArrayList<>();
        if (before.threshold() != null && (after.threshold() == null || after.threshold() < before.threshold())) {
            out.add("threshold lowered from " + before.threshold() + " to "
                    + (after.threshold() == null ? "the calibration's" : after.threshold()));
        }
        if (after.targetErrorRate() > before.targetErrorRate()) {
            out.add("targetErrorRate raised from " + before.targetErrorRate() + " to " + after.targetErrorRate());
        }
        if (after.delta() > before.delta()) {
            out.add("delta raised from " + before.delta() + " to " + after.delta());
        }
        if (after.auditSampleRate() < before.auditSampleRate()) {
            out.add("auditSampleRate lowered from " + before.auditSampleRate() + " to " + after.auditSampleRate());
        }
        rules("reviewRules", before.reviewRules(), after.reviewRules(), out);
        rules("blockRules", before.blockRules(), after.blockRules(), out);
        if (after.requiredReviews() < before.requiredReviews()) {
            out.add("requiredReviews lowered from " + before.requiredReviews() + " to " + after.requiredReviews());
        }
        if (before.blindReview() && !after.blindReview()) {
            out.add("blindReview turned off");
        }
        if (!before.apps().contains(Policy.ANY_APP)
                && (after.apps().contains(Policy.ANY_APP) || !before.apps().containsAll(after.apps()))) {
            out.add("apps widened");
        }
        if (before.onDrift() == OnDrift.REVIEW_ALL && after.onDrift() == OnDrift.ALERT) {
            out.add("onDrift changed from REVIEW_ALL to ALERT");
        }
        boolean autoBefore = before.recalibration() != null && before.recalibration().autoActivate();
        boolean autoAfter = after.recalibration() != null && after.recalibration().autoActivate();
        if (!autoBefore && autoAfter) {
            out.add("recalibration.autoActivate turned on");
        }
        if (before.fourEyes() && !after.fourEyes()) {
            out.add("fourEyes turned off");
        }
        return out;
    }

    /** Whether switching the mode from {@code from} to {@code to} loosens oversight (back to AUTO). */
    public static boolean loosens(Mode from, Mode to) {
        return to == Mode.AUTO && from != Mode.AUTO;
    }

    private static void rules(String field, List<Rule> before, List<Rule> after, List<String> out) {
        Map<String, Rule> now = after.stream().collect(Collectors.toMap(Rule::name, Function.identity()));
        for (Rule r : before) {
            Rule n = now.get(r.name());
            if (n == null) {
                out.add(field + ": rule '" + r.name() + "' removed");
            } else if (!n.when().equals(r.when())) {
                out.add(field + ": rule '" + r.name() + "' changed its condition");
            } else if (field.equals("reviewRules") && !Objects.equals(n.requiredReviews(), r.requiredReviews())
                    && (n.requiredReviews() == null ? 1 : n.requiredReviews())
                    < (r.requiredReviews() == null ? 1 : r.requiredReviews())) {
                out.add(field + ": rule '" + r.name() + "' asks for fewer reviews");
            }
        }
    }
}
