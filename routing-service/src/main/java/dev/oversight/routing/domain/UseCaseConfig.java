package dev.oversight.routing.domain;

/**
 * Everything the router needs to decide for one use case, compiled and ready: built once per configuration
 * change, never per request. {@code calibrator} is null when the active calibrator could not be loaded; the
 * router then fails closed.
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
        long revision) {

    /** The threshold in force: the policy's own, else the calibration's selected one, else none. */
    public Double effectiveThreshold() {
        if (policy.threshold() != null) {
            return policy.threshold();
        }
        return calibrator == null ? null : calibrator.selectedThreshold();
    }
}
