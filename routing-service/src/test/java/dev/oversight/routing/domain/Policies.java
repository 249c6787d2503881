package dev.oversight.routing.domain;

import java.util.List;

/** Policies and configurations for domain tests. */
final class Policies {

    private Policies() {
    }

    static Policy policy(Double threshold, double auditSampleRate, List<Rule> reviewRules, List<Rule> blockRules) {
        return new Policy(threshold, 0.05, 0.05, auditSampleRate, reviewRules, blockRules, 1, 3600,
                OnReviewTimeout.HOLD, false, List.of(Policy.ANY_APP), OnDrift.ALERT, false, null, null);
    }

    static UseCaseConfig config(Mode mode, Policy policy, Calibrator calibrator, Double selectedThreshold) {
        try {
            return new UseCaseConfig("test", mode, 3, policy, RuleSet.compile(policy.blockRules()),
                    RuleSet.compile(policy.reviewRules()),
                    calibrator == null ? null : new ActiveCalibrator(7, calibrator, selectedThreshold), 7, 1);
        } catch (RuleCompilationException e) {
            throw new AssertionError(e);
        }
    }

    static Calibrator calibrator(java.util.function.DoubleUnaryOperator f) {
        return new Calibrator() {
            @Override
            public double calibrate(double rawConfidence) {
                return f.applyAsDouble(rawConfidence);
            }

            @Override
            public String method() {
                return "test";
            }

            @Override
            public java.util.Map<String, Object> params() {
                return java.util.Map.of();
            }
        };
    }
}
