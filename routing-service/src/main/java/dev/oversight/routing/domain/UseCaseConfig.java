package dev.oversight.routing.domain;

/**
 * Everything the router needs to decide for one use case, compiled and ready: built once per configuration
 * change, never per request. {@code calibrator} is null when the active calibrator could not be loaded; the
 * router then fails closed. {@code segmentKey}: the policy's {@code segments.by} compiled, or null when it sets none.
 */
public record UseCaseConfig(
        String useCase,
        Mode mode,
        int policyVersion,
        Policy policy,
        RuleSet blockRules,
        RuleSet reviewRules,
        ActiveCalibrator calibrator,
        int calibratorVersion,
        long revision,
        SegmentKey segmentKey) {

    public UseCaseConfig(String useCase, Mode mode, int policyVersion, Policy policy, RuleSet blockRules,
                         RuleSet reviewRules, ActiveCalibrator calibrator, int calibratorVersion, long revision) {
        this(useCase, mode, policyVersion, policy, blockRules, reviewRules, calibrator, calibratorVersion, revision,
                null);
    }

    /** Whether routing reads the output's attributes: rules, segments or a calibrator fitted per segment do. */
    public boolean readsAttributes() {
        return blockRules.size() + reviewRules.size() > 0 || segmentKey != null
                || (calibrator != null && calibrator.calibrator() instanceof SegmentedCalibrator);
    }
}
