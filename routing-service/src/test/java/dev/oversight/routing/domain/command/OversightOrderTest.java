package dev.oversight.routing.domain.command;

import static dev.oversight.routing.domain.command.PolicyBuilder.AUTO;
import static dev.oversight.routing.domain.command.PolicyBuilder.BIG;
import static dev.oversight.routing.domain.command.PolicyBuilder.MANUAL;
import static dev.oversight.routing.domain.command.PolicyBuilder.PII;
import static dev.oversight.routing.domain.command.PolicyBuilder.base;
import static dev.oversight.routing.domain.command.PolicyBuilder.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.oversight.routing.domain.Calibrator;
import dev.oversight.routing.domain.IdentityCalibrator;
import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.OnReviewTimeout;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.ModelVersions;
import dev.oversight.routing.domain.ToolRule;
import dev.oversight.routing.domain.Recalibration;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.Rule;
import dev.oversight.routing.domain.calibration.LogisticCalibrator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The oversight order, axis by axis: every single-axis loosening is named with exactly its axis, the same change
 * the other way round is tightening, incomparable changes loosen both ways, and mixed changes name every axis
 * they loosen.
 */
class OversightOrderTest {

    /** The identity, certified by no fit (version 1 of every use case). */
    static final CalibratorInForce IDENTITY = new CalibratorInForce(1, IdentityCalibrator.INSTANCE, null, null, null);

    static Calibrator fn(String method, DoubleUnaryOperator f) {
        return new Calibrator() {
            @Override
            public double calibrate(double raw) {
                return f.applyAsDouble(raw);
            }

            @Override
            public String method() {
                return method;
            }

            @Override
            public Map<String, Object> params() {
                return Map.of();
            }
        };
    }

    /** A certified fit whose selected raw cut is {@code cut} (error-rate bound 0.03 against a 0.05 target). */
    static CalibratorInForce certified(int version, double cut) {
        return new CalibratorInForce(version, IdentityCalibrator.INSTANCE, cut, cut, 0.03);
    }

    static OversightSetting setting(Policy p) {
        return new OversightSetting(Mode.AUTO, p, IDENTITY);
    }

    static OversightSetting setting(Mode m) {
        return new OversightSetting(m, base(), IDENTITY);
    }

    /** One change that is weaker on exactly {@code axis}; its reverse is stronger or equal on every axis. */
    record Case(String name, OversightAxis axis, OversightSetting before, OversightSetting after) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> singleAxisLoosenings() {
        Policy nullThreshold = with(b -> b.threshold = null);
        return Stream.of(
                new Case("HALT to REVIEW_ALL", OversightAxis.MODE, setting(Mode.HALT), setting(Mode.REVIEW_ALL)),
                new Case("HALT to AUTO", OversightAxis.MODE, setting(Mode.HALT), setting(Mode.AUTO)),
                new Case("REVIEW_ALL to AUTO", OversightAxis.MODE, setting(Mode.REVIEW_ALL), setting(Mode.AUTO)),
                new Case("threshold lowered", OversightAxis.RELEASE_CUT, setting(base()),
                        setting(with(b -> b.threshold = 0.7))),
                new Case("threshold null (nothing released) to 0.9", OversightAxis.RELEASE_CUT,
                        setting(nullThreshold), setting(with(b -> b.threshold = 0.9))),
                new Case("threshold above every calibrated value to 1.0", OversightAxis.RELEASE_CUT,
                        new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(1, fn("c", s -> s * 0.5), null,
                                null, null)),
                        new OversightSetting(Mode.AUTO, with(b -> b.threshold = 0.5),
                                new CalibratorInForce(1, fn("c", s -> s * 0.5), null, null, null))),
                new Case("a certified calibrator with a lower raw cut", OversightAxis.RELEASE_CUT,
                        new OversightSetting(Mode.AUTO, nullThreshold, certified(2, 0.7)),
                        new OversightSetting(Mode.AUTO, nullThreshold, certified(3, 0.6))),
                new Case("a calibrator that maps low scores high under a fixed threshold", OversightAxis.RELEASE_CUT,
                        setting(base()), new OversightSetting(Mode.AUTO, base(),
                                new CalibratorInForce(2, fn("platt", s -> 0.5 + s / 2), null, null, null))),
                new Case("certified replaced by uncertified under a fixed threshold", OversightAxis.CALIBRATOR,
                        new OversightSetting(Mode.AUTO, base(), certified(2, 0.8)),
                        new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(3, IdentityCalibrator.INSTANCE,
                                0.8, 0.8, 0.09))),
                new Case("targetErrorRate raised", OversightAxis.TARGET_ERROR_RATE, setting(base()),
                        setting(with(b -> b.targetErrorRate = 0.1))),
                new Case("delta raised", OversightAxis.DELTA, setting(base()), setting(with(b -> b.delta = 0.1))),
                new Case("auditSampleRate lowered", OversightAxis.AUDIT_SAMPLE_RATE, setting(base()),
                        setting(with(b -> b.auditSampleRate = 0.01))),
                new Case("review rule removed", OversightAxis.REVIEW_RULES, setting(base()),
                        setting(with(b -> b.reviewRules = List.of()))),
                new Case("review rule asks fewer reviews", OversightAxis.REVIEW_RULES, setting(base()),
                        setting(with(b -> b.reviewRules = List.of(new Rule("big", BIG.when(), null))))),
                new Case("block rule removed", OversightAxis.BLOCK_RULES, setting(base()),
                        setting(with(b -> b.blockRules = List.of()))),
                new Case("requiredReviews lowered", OversightAxis.REQUIRED_REVIEWS, setting(base()),
                        setting(with(b -> b.requiredReviews = 1))),
                new Case("HOLD to REJECT", OversightAxis.REVIEW_TIMEOUT,
                        setting(with(b -> b.onReviewTimeout = OnReviewTimeout.HOLD)), setting(base())),
                new Case("REJECT to RELEASE_FLAGGED", OversightAxis.REVIEW_TIMEOUT, setting(base()),
                        setting(with(b -> b.onReviewTimeout = OnReviewTimeout.RELEASE_FLAGGED))),
                new Case("HOLD to RELEASE_FLAGGED", OversightAxis.REVIEW_TIMEOUT,
                        setting(with(b -> b.onReviewTimeout = OnReviewTimeout.HOLD)),
                        setting(with(b -> b.onReviewTimeout = OnReviewTimeout.RELEASE_FLAGGED))),
                new Case("RELEASE_FLAGGED sooner", OversightAxis.REVIEW_TIMEOUT,
                        setting(with(b -> b.onReviewTimeout = OnReviewTimeout.RELEASE_FLAGGED)),
                        setting(with(b -> {
                            b.onReviewTimeout = OnReviewTimeout.RELEASE_FLAGGED;
                            b.reviewSlaSeconds = 60;
                        }))),
                new Case("REJECT sooner", OversightAxis.REVIEW_TIMEOUT, setting(base()),
                        setting(with(b -> b.reviewSlaSeconds = 60))),
                new Case("blindReview off", OversightAxis.BLIND_REVIEW, setting(base()),
                        setting(with(b -> b.blindReview = false))),
                new Case("onDrift REVIEW_ALL to ALERT", OversightAxis.ON_DRIFT, setting(base()),
                        setting(with(b -> b.onDrift = OnDrift.ALERT))),
                new Case("fourEyes off", OversightAxis.FOUR_EYES, setting(base()),
                        setting(with(b -> b.fourEyes = false))),
                new Case("autoActivate on", OversightAxis.RECALIBRATION, setting(base()),
                        setting(with(b -> b.recalibration = AUTO))),
                new Case("a self-activating schedule from none", OversightAxis.RECALIBRATION,
                        setting(with(b -> b.recalibration = null)), setting(with(b -> b.recalibration = AUTO))),
                new Case("apps widened by one", OversightAxis.APPS, setting(base()),
                        setting(with(b -> b.apps = List.of("app-a", "app-b")))),
                new Case("apps widened to any", OversightAxis.APPS, setting(base()),
                        setting(with(b -> b.apps = List.of(Policy.ANY_APP)))),
                new Case("a tool added", OversightAxis.TOOLS, setting(base()),
                        setting(with(b -> b.tools = List.of(b.tools.get(0), b.tools.get(1),
                                new ToolRule("refund", ToolRule.Route.REVIEW, 2))))),
                new Case("a tool relaxed from REVIEW to AUTO", OversightAxis.TOOLS, setting(base()),
                        setting(with(b -> b.tools = List.of(b.tools.get(0),
                                new ToolRule("transfer", ToolRule.Route.AUTO, null))))),
                new Case("a reviewed tool asks fewer reviews", OversightAxis.TOOLS, setting(base()),
                        setting(with(b -> b.tools = List.of(b.tools.get(0),
                                new ToolRule("transfer", ToolRule.Route.REVIEW, 1))))),
                new Case("a blocked tool allowed", OversightAxis.TOOLS,
                        setting(with(b -> b.tools = List.of(new ToolRule("transfer", ToolRule.Route.BLOCK, null)))),
                        setting(with(b -> b.tools = List.of(new ToolRule("transfer", ToolRule.Route.REVIEW, 1))))),
                new Case("the list of tools dropped", OversightAxis.TOOLS, setting(base()),
                        setting(with(b -> b.tools = null))),
                new Case("a model version allowed", OversightAxis.MODEL_VERSIONS, setting(base()),
                        setting(with(b -> b.modelVersions = new ModelVersions(List.of("v1", "v2"),
                                ModelVersions.OnNew.BLOCK)))),
                new Case("new model versions reviewed instead of blocked", OversightAxis.MODEL_VERSIONS,
                        setting(base()), setting(with(b -> b.modelVersions = new ModelVersions(List.of("v1"),
                                ModelVersions.OnNew.REVIEW_ALL)))),
                new Case("the list of model versions dropped", OversightAxis.MODEL_VERSIONS, setting(base()),
                        setting(with(b -> b.modelVersions = null))),
                new Case("a reviewer qualification no longer required", OversightAxis.REVIEWERS, setting(base()),
                        setting(with(b -> b.reviewers = new ReviewerRequirements(List.of("claims"), List.of("pt"),
                                List.of())))),
                new Case("reviewer requirements dropped", OversightAxis.REVIEWERS, setting(base()),
                        setting(with(b -> b.reviewers = null))),
                new Case("a review rule's reviewer requirement dropped", OversightAxis.REVIEW_RULES,
                        setting(with(b -> b.reviewRules = List.of(new Rule("big", BIG.when(), BIG.requiredReviews(),
                                new ReviewerRequirements(List.of("legal"), List.of(), List.of()))))),
                        setting(base())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleAxisLoosenings")
    void aSingleAxisLoosening_namesExactlyThatAxis(Case c) {
        assertThat(OversightOrder.loosenings(c.before(), c.after())).extracting(Loosening::axis)
                .containsOnly(c.axis()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}, reversed")
    @MethodSource("singleAxisLoosenings")
    void theSameChangeReversed_isTightening(Case c) {
        assertThat(OversightOrder.loosenings(c.after(), c.before())).isEmpty();
    }

    @Test
    void everyAxisHasALooseningCase() {
        Set<OversightAxis> covered = singleAxisLoosenings().map(Case::axis).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(OversightAxis.class));
    }

    @Test
    void noChange_loosensNothing() {
        OversightSetting s = new OversightSetting(Mode.REVIEW_ALL, base(), certified(4, 0.7));
        assertThat(OversightOrder.loosenings(s, s)).isEmpty();
    }

    static Stream<Arguments> incomparable() {
        Policy readsConfidence = with(b -> b.reviewRules = List.of(BIG, new Rule("unsure", "confidence < 0.9", null)));
        return Stream.of(
                Arguments.of("a review rule's condition changed", OversightAxis.REVIEW_RULES, setting(base()),
                        setting(with(b -> b.reviewRules = List.of(new Rule("big", "attributes.amount > 5000", 2))))),
                Arguments.of("a block rule's condition changed", OversightAxis.BLOCK_RULES, setting(base()),
                        setting(with(b -> b.blockRules = List.of(new Rule("pii", "false", null))))),
                Arguments.of("a self-activating schedule's method changed", OversightAxis.RECALIBRATION,
                        setting(with(b -> b.recalibration = AUTO)), setting(with(b -> b.recalibration =
                                new Recalibration(Duration.ofHours(6), Duration.ofDays(30), "isotonic", true)))),
                Arguments.of("a self-activating schedule's window changed", OversightAxis.RECALIBRATION,
                        setting(with(b -> b.recalibration = AUTO)), setting(with(b -> b.recalibration =
                                new Recalibration(Duration.ofHours(6), Duration.ofDays(7), "platt", true)))),
                Arguments.of("a calibrator changed under rules that read calibrated confidence",
                        OversightAxis.CALIBRATOR, new OversightSetting(Mode.AUTO, readsConfidence, certified(2, 0.8)),
                        new OversightSetting(Mode.AUTO, readsConfidence, certified(3, 0.8))),
                Arguments.of("thresholds of two calibrators that read the whole distribution",
                        OversightAxis.RELEASE_CUT,
                        new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(2,
                                LogisticCalibrator.temperature(1.5), null, null, null)),
                        new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(3,
                                LogisticCalibrator.temperature(0.5), null, null, null))),
                Arguments.of("a non-monotone calibrator's threshold against a raw cut", OversightAxis.RELEASE_CUT,
                        setting(base()), new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(2,
                                fn("odd", s -> s < 0.5 ? 0.9 : 0.85), null, null, null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incomparable")
    void anIncomparableChange_loosensInBothDirections(String name, OversightAxis axis, OversightSetting a,
                                                       OversightSetting b) {
        assertThat(OversightOrder.loosenings(a, b)).extracting(Loosening::axis).contains(axis);
        assertThat(OversightOrder.loosenings(b, a)).extracting(Loosening::axis).contains(axis);
    }

    @Test
    void tighteningOnEveryAxisAtOnce_loosensNothing() {
        OversightSetting before = new OversightSetting(Mode.AUTO, with(b -> {
            b.onReviewTimeout = OnReviewTimeout.RELEASE_FLAGGED;
            b.blindReview = false;
            b.onDrift = OnDrift.ALERT;
            b.fourEyes = false;
            b.recalibration = AUTO;
            b.apps = List.of(Policy.ANY_APP);
        }), IDENTITY);
        OversightSetting after = new OversightSetting(Mode.HALT, with(b -> {
            b.threshold = 0.95;
            b.targetErrorRate = 0.01;
            b.delta = 0.01;
            b.auditSampleRate = 0.5;
            b.reviewRules = List.of(new Rule("big", BIG.when(), 3), new Rule("new", "true", null));
            b.blockRules = List.of(PII, new Rule("more", "attributes.x == 1", null));
            b.requiredReviews = 3;
            b.reviewSlaSeconds = 60;
            b.onReviewTimeout = OnReviewTimeout.HOLD;
            b.recalibration = MANUAL;
            b.apps = List.of("app-a");
            b.reviewers = b.reviewers.and(new ReviewerRequirements(List.of("legal"), List.of("en"), List.of("bar")));
        }), IDENTITY);
        assertThat(OversightOrder.loosenings(before, after)).isEmpty();
    }

    @Test
    void aMixedChange_isLoosening_andNamesOnlyTheAxesItLoosens() {
        // Tighter threshold and mode, looser audit sampling and apps: loosening, on exactly those two axes.
        OversightSetting before = setting(Mode.REVIEW_ALL);
        OversightSetting after = new OversightSetting(Mode.HALT, with(b -> {
            b.threshold = 0.9;
            b.auditSampleRate = 0;
            b.apps = List.of(Policy.ANY_APP);
        }), IDENTITY);
        assertThat(OversightOrder.loosenings(before, after)).extracting(Loosening::axis)
                .containsExactly(OversightAxis.AUDIT_SAMPLE_RATE, OversightAxis.APPS);
    }

    @Test
    void everyPairOfSingleAxisLoosenings_namesBothAxes() {
        List<Case> cases = singleAxisLoosenings().filter(c -> c.before().mode() == Mode.AUTO
                && c.before().calibrator() == IDENTITY && c.after().calibrator() == IDENTITY
                && c.before().policy().equals(base())).toList();
        List<String> failures = new ArrayList<>();
        for (Case x : cases) {
            for (Case y : cases) {
                if (x.axis() == y.axis()) {
                    continue;
                }
                Policy combined = combine(x.after().policy(), y.after().policy());
                Set<OversightAxis> named = OversightOrder.loosenings(setting(base()), setting(combined)).stream()
                        .map(Loosening::axis).collect(Collectors.toSet());
                if (!named.equals(Set.of(x.axis(), y.axis()))) {
                    failures.add(x + " + " + y + " named " + named);
                }
            }
        }
        assertThat(cases).hasSizeGreaterThan(10);
        assertThat(failures).isEmpty();
    }

    /** Each field that differs from the base in either policy, taken from that policy. */
    private static Policy combine(Policy x, Policy y) {
        Policy b = base();
        return new Policy(pick(b.threshold(), x.threshold(), y.threshold()),
                pick(b.targetErrorRate(), x.targetErrorRate(), y.targetErrorRate()),
                pick(b.delta(), x.delta(), y.delta()), pick(b.auditSampleRate(), x.auditSampleRate(), y.auditSampleRate()),
                pick(b.reviewRules(), x.reviewRules(), y.reviewRules()),
                pick(b.blockRules(), x.blockRules(), y.blockRules()),
                pick(b.requiredReviews(), x.requiredReviews(), y.requiredReviews()),
                pick(b.reviewSlaSeconds(), x.reviewSlaSeconds(), y.reviewSlaSeconds()),
                pick(b.onReviewTimeout(), x.onReviewTimeout(), y.onReviewTimeout()),
                pick(b.blindReview(), x.blindReview(), y.blindReview()), pick(b.apps(), x.apps(), y.apps()),
                pick(b.onDrift(), x.onDrift(), y.onDrift()), pick(b.fourEyes(), x.fourEyes(), y.fourEyes()),
                pick(b.recalibration(), x.recalibration(), y.recalibration()),
                pick(b.tools(), x.tools(), y.tools()), pick(b.modelVersions(), x.modelVersions(), y.modelVersions()),
                null, pick(b.reviewers(), x.reviewers(), y.reviewers()), null, null, null);
    }

    private static <T> T pick(T base, T x, T y) {
        return java.util.Objects.equals(x, base) ? y : x;
    }

    @Test
    void theThresholdMessage_saysWhatItWasAndWhatItBecomes() {
        assertThat(OversightOrder.loosenings(setting(base()), setting(with(b -> b.threshold = 0.6))))
                .extracting(Loosening::toString).containsExactly("releaseCut: threshold lowered from 0.8 to 0.6");
    }

    @Test
    void aThresholdWithoutAnyCalibration_toNull_isTightening_butToACertifiedCutBelowIt_isNot() {
        Policy nullThreshold = with(b -> b.threshold = null);
        assertThat(OversightOrder.loosenings(setting(base()), setting(nullThreshold))).isEmpty();
        assertThat(OversightOrder.loosenings(new OversightSetting(Mode.AUTO, base(), certified(2, 0.6)),
                new OversightSetting(Mode.AUTO, nullThreshold, certified(2, 0.6))))
                .extracting(Loosening::axis).containsExactly(OversightAxis.RELEASE_CUT);
        assertThat(OversightOrder.loosenings(new OversightSetting(Mode.AUTO, base(), certified(2, 0.9)),
                new OversightSetting(Mode.AUTO, nullThreshold, certified(2, 0.9)))).isEmpty();
    }

    @Test
    void fromACertifiedCut_backToAnIdentityThatReleasesNothing_isTightening() {
        Policy nullThreshold = with(b -> b.threshold = null);
        assertThat(OversightOrder.loosenings(new OversightSetting(Mode.AUTO, nullThreshold, certified(2, 0.7)),
                new OversightSetting(Mode.AUTO, nullThreshold, IDENTITY))).isEmpty();
    }

    @Test
    void aCalibratorThatCannotBeBuilt_releasesNothing() {
        OversightSetting broken = new OversightSetting(Mode.AUTO, base(), new CalibratorInForce(2, null, null, null, null));
        assertThat(OversightOrder.loosenings(setting(base()), broken)).isEmpty();
        assertThat(OversightOrder.loosenings(broken, setting(base()))).extracting(Loosening::axis)
                .containsExactly(OversightAxis.RELEASE_CUT);
    }
}
