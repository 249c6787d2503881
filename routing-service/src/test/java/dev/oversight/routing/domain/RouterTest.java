package dev.oversight.routing.domain;

import static dev.oversight.routing.domain.Policies.calibrator;
import static dev.oversight.routing.domain.Policies.config;
import static dev.oversight.routing.domain.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Rule HIGH_AMOUNT = new Rule("high-amount", "attributes.amount > 10000", 2);
    private static final Rule PII = new Rule("pii", "attributes.pii == true", null);
    private static final Policy RULES = policy(0.8, 0.0, List.of(HIGH_AMOUNT), List.of(PII));
    private static final Map<String, Object> PLAIN = Map.of("amount", 100L, "pii", false);

    static final AuditSampler SAMPLER = new AuditSampler("router-test-secret-of-at-least-32-characters");

    private static RoutingOutcome decide(UseCaseConfig config, double confidence, Map<String, Object> attributes) {
        return decide(config, confidence, attributes, "m1", "key");
    }

    private static RoutingOutcome decide(UseCaseConfig config, double confidence, Map<String, Object> attributes,
                                         String modelVersion, String key) {
        return Router.decide(config, new Router.Request(confidence, null, attributes, modelVersion, key), SAMPLER, false);
    }

    @Test
    void confidentOutput_isReleasedWithNoReasons() {
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null), 0.9, PLAIN);
        assertThat(o.route()).isEqualTo(Route.RELEASE);
        assertThat(o.reasons()).isEmpty();
        assertThat(o.calibratedConfidence()).isEqualTo(0.9);
        assertThat(o.threshold()).isEqualTo(0.8);
    }

    @Test
    void confidenceExactlyAtThreshold_isReleased() {
        assertThat(decide(config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null), 0.8, PLAIN).route())
                .isEqualTo(Route.RELEASE);
    }

    @Test
    void lowCalibratedConfidence_goesToReview() {
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null), 0.79, PLAIN);
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.LOW_CONFIDENCE);
    }

    @Test
    void thresholdComparesCalibratedNotRawConfidence() {
        Calibrator halving = calibrator(p -> p / 2);
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, halving, null), 0.9, PLAIN);
        assertThat(o.calibratedConfidence()).isEqualTo(0.45);
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.LOW_CONFIDENCE);
    }

    @Test
    void nullPolicyThreshold_usesCalibrationSelectedThreshold() {
        Policy policy = policy(null, 0.0, List.of(), List.of());
        RoutingOutcome o = decide(config(Mode.AUTO, policy, IdentityCalibrator.INSTANCE, 0.6), 0.65, Map.of());
        assertThat(o.threshold()).isEqualTo(0.6);
        assertThat(o.route()).isEqualTo(Route.RELEASE);
    }

    @Test
    void noThresholdAnywhere_reviewsEverything() {
        Policy policy = policy(null, 0.0, List.of(), List.of());
        RoutingOutcome o = decide(config(Mode.AUTO, policy, IdentityCalibrator.INSTANCE, null), 1.0, Map.of());
        assertThat(o.threshold()).isNull();
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.LOW_CONFIDENCE);
    }

    @Test
    void reviewRule_divertsConfidentOutput_andRaisesRequiredReviews() {
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null), 0.99,
                Map.of("amount", 50_000L, "pii", false));
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly("RULE:high-amount");
        assertThat(o.requiredReviews()).isEqualTo(2);
    }

    @Test
    void blockRule_blocks_andEveryOtherReasonIsStillReported() {
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null), 0.2,
                Map.of("amount", 50_000L, "pii", true));
        assertThat(o.route()).isEqualTo(Route.BLOCK);
        assertThat(o.reasons()).containsExactly("BLOCK_RULE:pii", "RULE:high-amount", Router.LOW_CONFIDENCE);
    }

    @Test
    void haltMode_blocksEvenConfidentOutputs() {
        RoutingOutcome o = decide(config(Mode.HALT, RULES, IdentityCalibrator.INSTANCE, null), 0.99, PLAIN);
        assertThat(o.route()).isEqualTo(Route.BLOCK);
        assertThat(o.reasons()).containsExactly(Router.HALTED);
    }

    @Test
    void reviewAllMode_reviewsConfidentOutputs() {
        RoutingOutcome o = decide(config(Mode.REVIEW_ALL, RULES, IdentityCalibrator.INSTANCE, null), 0.99, PLAIN);
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.REVIEW_ALL_MODE);
    }

    @Test
    void reviewAllMode_stillBlocksOnBlockRules() {
        RoutingOutcome o = decide(config(Mode.REVIEW_ALL, RULES, IdentityCalibrator.INSTANCE, null), 0.99,
                Map.of("amount", 1L, "pii", true));
        assertThat(o.route()).isEqualTo(Route.BLOCK);
        assertThat(o.reasons()).containsExactly(Router.REVIEW_ALL_MODE, "BLOCK_RULE:pii");
    }

    @Test
    void missingCalibrator_failsClosed() {
        RoutingOutcome o = decide(config(Mode.AUTO, RULES, null, null), 0.99, PLAIN);
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.INVALID_CALIBRATION);
        assertThat(o.calibratedConfidence()).isNull();
    }

    @Test
    void calibratorReturningNaN_outOfRange_orThrowing_failsClosed() {
        for (Calibrator broken : List.of(calibrator(p -> Double.NaN), calibrator(p -> 1.5), calibrator(p -> -0.1),
                calibrator(p -> {
                    throw new IllegalStateException("boom");
                }))) {
            RoutingOutcome o = decide(config(Mode.AUTO, RULES, broken, null), 0.99, PLAIN);
            assertThat(o.route()).isEqualTo(Route.REVIEW);
            assertThat(o.reasons()).containsExactly(Router.INVALID_CALIBRATION);
        }
    }

    @Test
    void brokenCalibratorNeverReleases_evenWhenRulesWouldPass() {
        RoutingOutcome o = decide(config(Mode.AUTO, policy(0.0, 0.0, List.of(), List.of()),
                calibrator(p -> Double.POSITIVE_INFINITY), null), 1.0, Map.of());
        assertThat(o.route()).isNotEqualTo(Route.RELEASE);
    }

    @Test
    void auditSample_divertsConfidentOutputs_deterministicallyByKey() {
        Policy everything = policy(0.5, 1.0, List.of(), List.of());
        RoutingOutcome o = decide(config(Mode.AUTO, everything, IdentityCalibrator.INSTANCE, null), 0.9, Map.of());
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.AUDIT_SAMPLE);

        Policy tenPercent = policy(0.5, 0.1, List.of(), List.of());
        UseCaseConfig config = config(Mode.AUTO, tenPercent, IdentityCalibrator.INSTANCE, null);
        for (int i = 0; i < 200; i++) {
            String key = "k" + i;
            Route first = decide(config, 0.9, Map.of(), "m1", key).route();
            assertThat(decide(config, 0.9, Map.of(), "m1", key).route()).isEqualTo(first);
        }
    }

    @Test
    void auditSample_neverAppliesToLowConfidenceOutputs() {
        Policy everything = policy(0.5, 1.0, List.of(), List.of());
        RoutingOutcome o = decide(config(Mode.AUTO, everything, IdentityCalibrator.INSTANCE, null), 0.3, Map.of());
        assertThat(o.reasons()).containsExactly(Router.LOW_CONFIDENCE);
    }

    @Test
    void auditSample_onlyAppliesToOutputsThatWouldBeReleased() {
        Policy everything = policy(0.5, 1.0, List.of(HIGH_AMOUNT), List.of(PII));
        UseCaseConfig config = config(Mode.AUTO, everything, IdentityCalibrator.INSTANCE, null);
        assertThat(decide(config, 0.9, Map.of("amount", 50_000L, "pii", false)).reasons())
                .containsExactly("RULE:high-amount");
        assertThat(decide(config, 0.9, Map.of("amount", 1L, "pii", true)).reasons())
                .containsExactly("BLOCK_RULE:pii");
        assertThat(decide(config(Mode.REVIEW_ALL, everything, IdentityCalibrator.INSTANCE, null), 0.9, PLAIN).reasons())
                .containsExactly(Router.REVIEW_ALL_MODE);
    }

    @Test
    void rulesSeeCalibratedConfidenceAndModelVersion() {
        Policy policy = policy(0.0, 0.0,
                List.of(new Rule("old-model", "modelVersion.startsWith('v1')", null),
                        new Rule("calibrated-low", "confidence < 0.5 && rawConfidence >= 0.5", null)),
                List.of());
        RoutingOutcome o = decide(config(Mode.AUTO, policy, calibrator(p -> p / 2), null), 0.8, Map.of(),
                "v1.3", "key");
        assertThat(o.reasons()).containsExactly("RULE:old-model", "RULE:calibrated-low");
    }

    @Test
    void staleConfiguration_failsClosedToReview_andNeverLoosensABlock() {
        UseCaseConfig auto = config(Mode.AUTO, RULES, IdentityCalibrator.INSTANCE, null);
        RoutingOutcome o = Router.decide(auto, new Router.Request(0.99, null, PLAIN, "m1", "k"), SAMPLER, true);
        assertThat(o.route()).isEqualTo(Route.REVIEW);
        assertThat(o.reasons()).containsExactly(Router.STALE_CONFIG);
        UseCaseConfig halted = config(Mode.HALT, RULES, IdentityCalibrator.INSTANCE, null);
        o = Router.decide(halted, new Router.Request(0.99, null, PLAIN, "m1", "k"), SAMPLER, true);
        assertThat(o.route()).isEqualTo(Route.BLOCK);
        assertThat(o.reasons()).contains(Router.STALE_CONFIG, Router.HALTED);
    }

    @Test
    void theCalibrationsSelection_releasesOnItsCertifiedRawCut_notOnAFlatStepBelowIt() {
        // A step map: every raw score from 0.8 up calibrates to 0.95. The fit certified raw scores from 0.9 only.
        Calibrator step = calibrator(p -> p >= 0.8 ? 0.95 : 0.3);
        Policy noThreshold = policy(null, 0.0, List.of(), List.of());
        UseCaseConfig config = new UseCaseConfig("test", Mode.AUTO, 3, noThreshold, RuleSet.EMPTY, RuleSet.EMPTY,
                new ActiveCalibrator(7, step, 0.95, 0.9), 7, 1);
        assertThat(decide(config, 0.85, Map.of()).route()).as("calibrated 0.95, but below the certified cut")
                .isEqualTo(Route.REVIEW);
        assertThat(decide(config, 0.9, Map.of()).route()).isEqualTo(Route.RELEASE);
        assertThat(decide(config, 0.9, Map.of()).threshold()).isEqualTo(0.95);
        // A threshold set in the policy is a calibrated confidence, as before.
        Policy fixed = policy(0.9, 0.0, List.of(), List.of());
        UseCaseConfig withPolicyThreshold = new UseCaseConfig("test", Mode.AUTO, 3, fixed, RuleSet.EMPTY,
                RuleSet.EMPTY, new ActiveCalibrator(7, step, 0.95, 0.9), 7, 1);
        assertThat(decide(withPolicyThreshold, 0.85, Map.of()).route()).isEqualTo(Route.RELEASE);
    }

    private static Policy withTools(List<ToolRule> tools) {
        Policy p = RULES;
        return new Policy(p.threshold(), p.targetErrorRate(), p.delta(), p.auditSampleRate(), p.reviewRules(),
                p.blockRules(), p.requiredReviews(), p.reviewSlaSeconds(), p.onReviewTimeout(), p.blindReview(),
                p.apps(), p.onDrift(), p.fourEyes(), p.recalibration(), tools);
    }

    private static RoutingOutcome call(Policy policy, String tool, double confidence) {
        return Router.decide(config(Mode.AUTO, policy, IdentityCalibrator.INSTANCE, null),
                new Router.Request(confidence, null, PLAIN, "m1", "k", new ToolCall(tool, Map.of())), SAMPLER, false);
    }

    @Test
    void toolCalls_routeByTheirTool_underAList_andByConfidenceAlone_withoutOne() {
        Policy listed = withTools(List.of(new ToolRule("lookup", ToolRule.Route.AUTO, null),
                new ToolRule("refund", ToolRule.Route.REVIEW, 3), new ToolRule("delete", ToolRule.Route.BLOCK, null)));
        assertThat(call(listed, "lookup", 0.9).route()).isEqualTo(Route.RELEASE);
        assertThat(call(listed, "lookup", 0.5).reasons()).containsExactly(Router.LOW_CONFIDENCE);
        RoutingOutcome refund = call(listed, "refund", 0.99);
        assertThat(refund.route()).isEqualTo(Route.REVIEW);
        assertThat(refund.reasons()).containsExactly(Router.TOOL_REVIEW);
        assertThat(refund.requiredReviews()).isEqualTo(3);
        assertThat(call(listed, "delete", 0.99).reasons()).containsExactly(Router.TOOL_BLOCKED);
        RoutingOutcome unknown = call(listed, "wire", 0.99);
        assertThat(unknown.route()).isEqualTo(Route.BLOCK);
        assertThat(unknown.reasons()).containsExactly(Router.TOOL_NOT_ALLOWED);
        // Without a list any tool runs by confidence and rules.
        assertThat(call(withTools(null), "wire", 0.99).route()).isEqualTo(Route.RELEASE);
        assertThat(call(withTools(List.of()), "wire", 0.99).route()).isEqualTo(Route.BLOCK);
    }

    private static Policy withModelVersions(ModelVersions versions) {
        Policy p = RULES;
        return new Policy(p.threshold(), p.targetErrorRate(), p.delta(), p.auditSampleRate(), p.reviewRules(),
                p.blockRules(), p.requiredReviews(), p.reviewSlaSeconds(), p.onReviewTimeout(), p.blindReview(),
                p.apps(), p.onDrift(), p.fourEyes(), p.recalibration(), p.tools(), versions);
    }

    private static RoutingOutcome output(Policy policy, String modelVersion, double confidence) {
        return Router.decide(config(Mode.AUTO, policy, IdentityCalibrator.INSTANCE, null),
                new Router.Request(confidence, null, PLAIN, modelVersion, "k", null), SAMPLER, false);
    }

    @Test
    void aModelVersionThePolicyDoesNotAllow_isReviewedOrBlocked_whateverItsConfidence() {
        Policy review = withModelVersions(new ModelVersions(List.of("v1"), null));
        assertThat(output(review, "v1", 0.99).route()).isEqualTo(Route.RELEASE);
        RoutingOutcome fresh = output(review, "v2", 0.99);
        assertThat(fresh.route()).isEqualTo(Route.REVIEW);
        assertThat(fresh.reasons()).containsExactly(Router.MODEL_VERSION_NEW);
        RoutingOutcome blocked = output(withModelVersions(new ModelVersions(List.of("v1"), ModelVersions.OnNew.BLOCK)),
                "v2", 0.99);
        assertThat(blocked.route()).isEqualTo(Route.BLOCK);
        assertThat(blocked.reasons()).containsExactly(Router.MODEL_VERSION_NOT_ALLOWED);
        // Without a list every version routes on its confidence.
        assertThat(output(withModelVersions(null), "v9", 0.99).route()).isEqualTo(Route.RELEASE);
        // A rule still blocks an allowed version's output.
        assertThat(Router.decide(config(Mode.AUTO, review, IdentityCalibrator.INSTANCE, null),
                new Router.Request(0.99, null, Map.of("amount", 100L, "pii", true), "v1", "k", null), SAMPLER, false)
                .route()).isEqualTo(Route.BLOCK);
    }
}
