package dev.oversight.routing.domain.command;

import dev.oversight.routing.domain.Mode;
import dev.oversight.routing.domain.Policy;

/** What decides what a person sees for one use case: its mode, its policy in force and its calibrator in force. */
public record OversightSetting(Mode mode, Policy policy, CalibratorInForce calibrator) {

    public OversightSetting withMode(Mode next) {
        return new OversightSetting(next, policy, calibrator);
    }

    public OversightSetting withPolicy(Policy next) {
        return new OversightSetting(mode, next, calibrator);
    }

    public OversightSetting withCalibrator(CalibratorInForce next) {
        return new OversightSetting(mode, policy, next);
    }
}
