package dev.oversight.routing.domain.command;

import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.OnReviewTimeout;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.ModelVersions;
import dev.oversight.routing.domain.ToolRule;
import dev.oversight.routing.domain.Recalibration;
import dev.oversight.routing.domain.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Oversight strength as a partial order over {@link OversightSetting}s. A change is tightening only if the new
 * setting is at least as strong as the old one on every {@link OversightAxis}; {@link #loosenings} names each axis on
 * which it is weaker or cannot be compared, and an empty answer means tightening (or neutral). Conservative by
 * design: where strength cannot be decided (a rule's changed CEL condition, cuts of different calibrators that no
 * raw-score cut describes, a changed calibrator under rules that read calibrated confidence), the change loosens.
 * <ul>
 *   <li>mode: HALT &gt; REVIEW_ALL &gt; AUTO;</li>
 *   <li>release cut: the set of outputs the calibration releases ({@link ReleaseCut}); fewer is stronger, none
 *       (no threshold and no selected cut) the strongest;</li>
 *   <li>calibrator: a certified calibrator is not replaced by an uncertified one (unless the new setting releases
 *       nothing on confidence), and rules that read calibrated
 *       {@code confidence} keep the calibrator they were written for;</li>
 *   <li>targetErrorRate and delta: lower is stronger; auditSampleRate and requiredReviews: higher is stronger;</li>
 *   <li>review and block rules: every rule stays, with the same condition (and, for review rules, at least as many
 *       reviews); adding rules is stronger;</li>
 *   <li>onReviewTimeout: HOLD &gt; REJECT &gt; RELEASE_FLAGGED; when a timeout acts without a person (REJECT,
 *       RELEASE_FLAGGED), a shorter reviewSlaSeconds is weaker;</li>
 *   <li>blindReview, fourEyes: on is stronger; onDrift: REVIEW_ALL &gt; ALERT;</li>
 *   <li>recalibration: a schedule that activates refits by itself is weaker than one that does not, and any change
 *       of method, window or interval of a self-activating schedule cannot be compared;</li>
 *   <li>apps: fewer is stronger; {@code "*"} admits every app;</li>
 *   <li>tools: under a list a tool it does not name is blocked (the strongest), a listed one routes BLOCK &gt;
 *       REVIEW &gt; AUTO (with more reviews stronger); no list lets any tool run by confidence and rules (the
 *       weakest): adding a tool, relaxing its route or its reviews, or dropping the list loosens;</li>
 *   <li>reviewers (of the policy, and of each review rule): more required skills, languages and qualifications are
 *       stronger; dropping one lets people without it judge, and loosens.</li>
 * </ul>
 */
public final class OversightOrder {

    /** Reads calibrated confidence (not {@code rawConfidence}, whose capital C does not match). */
    private static final Pattern CALIBRATED_CONFIDENCE = Pattern.compile("\\bconfidence\\b");

    private OversightOrder() {
    }

    /** Every axis on which {@code after} is weaker than {@code before}, or cannot be compared with it. */
    public static List<Loosening> loosenings(OversightSetting before, OversightSetting after) {
        List<Loosening> out = new ArrayList<>();
        mode(before.mode(), after.mode(), out);
        releaseCut(before, after, out);
        calibrator(before, after, out);
        Policy b = before.policy();
        Policy a = after.policy();
        if (a.targetErrorRate() > b.targetErrorRate()) {
            out.add(new Loosening(OversightAxis.TARGET_ERROR_RATE,
                    "raised from " + b.targetErrorRate() + " to " + a.targetErrorRate()));
        }
        if (a.delta() > b.delta()) {
            out.add(new Loosening(OversightAxis.DELTA, "raised from " + b.delta() + " to " + a.delta()));
        }
        if (a.auditSampleRate() < b.auditSampleRate()) {
            out.add(new Loosening(OversightAxis.AUDIT_SAMPLE_RATE,
                    "lowered from " + b.auditSampleRate() + " to " + a.auditSampleRate()));
        }
        rules(OversightAxis.REVIEW_RULES, b.reviewRules(), a.reviewRules(), out);
        rules(OversightAxis.BLOCK_RULES, b.blockRules(), a.blockRules(), out);
        if (a.requiredReviews() < b.requiredReviews()) {
            out.add(new Loosening(OversightAxis.REQUIRED_REVIEWS,
                    "lowered from " + b.requiredReviews() + " to " + a.requiredReviews()));
        }
        reviewTimeout(b, a, out);
        if (b.blindReview() && !a.blindReview()) {
            out.add(new Loosening(OversightAxis.BLIND_REVIEW, "turned off"));
        }
        if (b.onDrift() == OnDrift.REVIEW_ALL && a.onDrift() == OnDrift.ALERT) {
            out.add(new Loosening(OversightAxis.ON_DRIFT, "changed from REVIEW_ALL to ALERT"));
        }
        if (b.fourEyes() && !a.fourEyes()) {
            out.add(new Loosening(OversightAxis.FOUR_EYES, "turned off"));
        }
        recalibration(b.recalibration(), a.recalibration(), out);
        apps(b.apps(), a.apps(), out);
        tools(b, a, out);
        modelVersions(b.modelVersions(), a.modelVersions(), out);
        // Who may review: dropping a requirement lets people without it judge; adding one only narrows the circle.
        List<String> dropped = ReviewerRequirements.of(a.reviewers()).dropped(ReviewerRequirements.of(b.reviewers()));
        if (!dropped.isEmpty()) {
            out.add(new Loosening(OversightAxis.REVIEWERS, "no longer requires " + String.join(", ", dropped)));
        }
        return List.copyOf(out);
    }

    /** The strength of a mode: HALT 2, REVIEW_ALL 1, AUTO 0. */
    static int strength(Mode mode) {
        return switch (mode) {
            case HALT -> 2;
            case REVIEW_ALL -> 1;
            case AUTO -> 0;
        };
    }

    /** The strength of what a task past its deadline becomes: HOLD (a person still decides) 2, REJECT 1, RELEASE 0. */
    static int strength(OnReviewTimeout timeout) {
        return switch (timeout) {
            case HOLD -> 2;
            case REJECT -> 1;
            case RELEASE_FLAGGED -> 0;
        };
    }

    private static void mode(Mode before, Mode after, List<Loosening> out) {
        if (strength(after) < strength(before)) {
            out.add(new Loosening(OversightAxis.MODE, "from " + before + " to " + after));
        }
    }

    private static void releaseCut(OversightSetting before, OversightSetting after, List<Loosening> out) {
        ReleaseCut b = ReleaseCut.of(before.policy(), before.calibrator());
        ReleaseCut a = ReleaseCut.of(after.policy(), after.calibrator());
        if (!ReleaseCut.releasesMore(b, a)) {
            return;
        }
        Double tb = before.policy().threshold();
        Double ta = after.policy().threshold();
        boolean sameCalibrator = version(before.calibrator()) == version(after.calibrator());
        if (sameCalibrator && tb != null && ta != null) {
            out.add(new Loosening(OversightAxis.RELEASE_CUT, "threshold lowered from " + tb + " to " + ta));
        } else {
            out.add(new Loosening(OversightAxis.RELEASE_CUT, "releases " + ReleaseCut.describe(a) + " instead of "
                    + ReleaseCut.describe(b)));
        }
    }

    private static void calibrator(OversightSetting before, OversightSetting after, List<Loosening> out) {
        CalibratorInForce b = before.calibrator();
        CalibratorInForce a = after.calibrator();
        if (version(b) == version(a)) {
            return;
        }
        double alpha = after.policy().targetErrorRate();
        boolean releasesAnything = !(ReleaseCut.of(after.policy(), a) instanceof ReleaseCut.Nothing);
        if (releasesAnything && b != null && b.certifiedFor(before.policy().targetErrorRate())
                && (a == null || !a.certifiedFor(alpha))) {
            out.add(new Loosening(OversightAxis.CALIBRATOR, "certified version " + b.version()
                    + " replaced by version " + version(a) + ", which certifies no cut at targetErrorRate " + alpha));
        }
        List<String> readers = new ArrayList<>();
        for (Rule r : after.policy().reviewRules()) {
            if (CALIBRATED_CONFIDENCE.matcher(r.when()).find()) {
                readers.add(r.name());
            }
        }
        for (Rule r : after.policy().blockRules()) {
            if (CALIBRATED_CONFIDENCE.matcher(r.when()).find()) {
                readers.add(r.name());
            }
        }
        if (!readers.isEmpty()) {
            out.add(new Loosening(OversightAxis.CALIBRATOR, "rules " + readers + " read calibrated confidence, which"
                    + " version " + version(a) + " changes"));
        }
    }

    private static int version(CalibratorInForce c) {
        return c == null ? 0 : c.version();
    }

    private static void rules(OversightAxis axis, List<Rule> before, List<Rule> after, List<Loosening> out) {
        Map<String, Rule> now = after.stream().collect(Collectors.toMap(Rule::name, Function.identity(), (x, y) -> x));
        for (Rule r : before) {
            Rule n = now.get(r.name());
            if (n == null) {
                out.add(new Loosening(axis, "rule '" + r.name() + "' removed"));
            } else if (!n.when().equals(r.when())) {
                out.add(new Loosening(axis, "rule '" + r.name() + "' changed its condition"));
            } else if (axis == OversightAxis.REVIEW_RULES && reviews(n) < reviews(r)) {
                out.add(new Loosening(axis, "rule '" + r.name() + "' asks for fewer reviews (" + reviews(r) + " to "
                        + reviews(n) + ")"));
            } else if (axis == OversightAxis.REVIEW_RULES) {
                List<String> dropped = ReviewerRequirements.of(n.requires())
                        .dropped(ReviewerRequirements.of(r.requires()));
                if (!dropped.isEmpty()) {
                    out.add(new Loosening(axis, "rule '" + r.name() + "' no longer requires "
                            + String.join(", ", dropped)));
                }
            }
        }
    }

    private static int reviews(Rule r) {
        return r.requiredReviews() == null ? 1 : r.requiredReviews();
    }

    private static void reviewTimeout(Policy b, Policy a, List<Loosening> out) {
        if (strength(a.onReviewTimeout()) < strength(b.onReviewTimeout())) {
            out.add(new Loosening(OversightAxis.REVIEW_TIMEOUT,
                    "changed from " + b.onReviewTimeout() + " to " + a.onReviewTimeout()));
        } else if (a.onReviewTimeout() != OnReviewTimeout.HOLD && a.reviewSlaSeconds() < b.reviewSlaSeconds()) {
            out.add(new Loosening(OversightAxis.REVIEW_TIMEOUT, a.onReviewTimeout() + " after " + a.reviewSlaSeconds()
                    + " s instead of " + b.reviewSlaSeconds() + " s"));
        }
    }

    private static void recalibration(Recalibration b, Recalibration a, List<Loosening> out) {
        if (a == null || !a.autoActivate()) {
            return;
        }
        if (b == null || !b.autoActivate()) {
            out.add(new Loosening(OversightAxis.RECALIBRATION, "autoActivate turned on"));
        } else if (!Objects.equals(a.method(), b.method()) || !Objects.equals(a.window(), b.window())
                || !Objects.equals(a.every(), b.every())) {
            out.add(new Loosening(OversightAxis.RECALIBRATION,
                    "a self-activating schedule changed its method, window or interval"));
        }
    }

    private static void tools(Policy before, Policy after, List<Loosening> out) {
        if (before.tools() == null) {
            return;
        }
        if (after.tools() == null) {
            out.add(new Loosening(OversightAxis.TOOLS, "the list was dropped: any tool may be called"));
            return;
        }
        for (ToolRule now : after.tools()) {
            ToolRule was = before.tool(now.name());
            if (was == null) {
                out.add(new Loosening(OversightAxis.TOOLS, now.name() + " added"));
            } else if (now.route().ordinal() < was.route().ordinal()) {
                out.add(new Loosening(OversightAxis.TOOLS, now.name() + " relaxed from " + was.route() + " to "
                        + now.route()));
            } else if (now.route() == ToolRule.Route.REVIEW && was.route() == ToolRule.Route.REVIEW
                    && reviews(now) < reviews(was)) {
                out.add(new Loosening(OversightAxis.TOOLS, now.name() + " asks fewer reviews"));
            }
        }
    }

    /** Allowing a version, dropping the list, or going from blocking new versions to reviewing them loosens. */
    private static void modelVersions(ModelVersions before, ModelVersions after, List<Loosening> out) {
        if (before == null) {
            return;
        }
        if (after == null) {
            out.add(new Loosening(OversightAxis.MODEL_VERSIONS, "the list was dropped: any model version is released"
                    + " on confidence"));
            return;
        }
        for (String version : after.allowed()) {
            if (!before.allows(version)) {
                out.add(new Loosening(OversightAxis.MODEL_VERSIONS, version + " allowed"));
            }
        }
        if (before.onNew() == ModelVersions.OnNew.BLOCK && after.onNew() == ModelVersions.OnNew.REVIEW_ALL) {
            out.add(new Loosening(OversightAxis.MODEL_VERSIONS, "new versions reviewed instead of blocked"));
        }
    }

    private static int reviews(ToolRule tool) {
        return tool.requiredReviews() == null ? 0 : tool.requiredReviews();
    }

    private static void apps(List<String> before, List<String> after, List<Loosening> out) {
        if (before.contains(Policy.ANY_APP)) {
            return;
        }
        if (after.contains(Policy.ANY_APP) || !before.containsAll(after)) {
            out.add(new Loosening(OversightAxis.APPS, "widened"));
        }
    }
}
